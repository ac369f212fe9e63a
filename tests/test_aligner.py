"""The DP core on hand-made costs, and against brute force on random ones."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from npfterm.alignment.dp import (
    DEFAULT_BEADS,
    FIRST_PASS_BEADS,
    Corridor,
    fill,
    margins,
    path_cost,
    search,
    traceback,
)


class LengthCosts:
    """Cost = mismatch of summed lengths, plus a per-sentence penalty for skips and merges."""

    def __init__(self, a: list[int], b: list[int], skip: float = 5.0, merge: float = 1.0) -> None:
        self.ca = np.concatenate([[0], np.cumsum(a)])
        self.cb = np.concatenate([[0], np.cumsum(b)])
        self.skip = skip
        self.merge = merge

    def bead_costs(self, a: int, b: int, i: int, j0: int, j1: int) -> np.ndarray:
        if a == 0 or b == 0:
            return np.full(j1 - j0, self.skip * (a + b))
        js = np.arange(j0, j1)
        la = self.ca[i] - self.ca[i - a]
        lb = self.cb[js] - self.cb[js - b]
        return np.abs(la - lb) + self.merge * (a + b - 2)


def shapes(spans):
    return [(i1 - i0, j1 - j0) for i0, i1, j0, j1 in spans]


def test_equal_lengths_give_the_diagonal():
    lengths = [10, 20, 30, 40, 50]
    spans = search(5, 5, LengthCosts(lengths, lengths))
    assert spans == [(k, k + 1, k, k + 1) for k in range(5)]


def test_two_to_one_merge():
    spans = search(3, 2, LengthCosts([10, 15, 15], [10, 30]))
    assert spans == [(0, 1, 0, 1), (1, 3, 1, 2)]


def test_one_to_two_split():
    spans = search(2, 3, LengthCosts([10, 30], [10, 14, 16]))
    assert shapes(spans) == [(1, 1), (1, 2)]


def test_dropped_sentence_is_a_skip():
    # the English side lacks the middle sentence
    spans = search(3, 2, LengthCosts([10, 37, 20], [10, 20], skip=2.0))
    assert spans == [(0, 1, 0, 1), (1, 2, 1, 1), (2, 3, 1, 2)]


def test_one_side_empty():
    assert search(0, 3, LengthCosts([], [1, 2, 3])) == [(0, 0, 0, 1), (0, 0, 1, 2), (0, 0, 2, 3)]
    assert search(2, 0, LengthCosts([1, 2], [])) == [(0, 1, 0, 0), (1, 2, 0, 0)]
    assert search(0, 0, LengthCosts([], [])) == []


def test_bead_types_must_include_skips():
    with pytest.raises(ValueError):
        fill(2, 2, LengthCosts([1, 2], [1, 2]), bead_types=((1, 1),))


def test_corridor_restricts_but_still_connects():
    a = list(range(1, 41))
    corridor = Corridor.diagonal(40, 40, 2)
    assert corridor.cells() < 41 * 41 / 4
    spans = search(40, 40, LengthCosts(a, a), corridor=corridor)
    assert spans == [(k, k + 1, k, k + 1) for k in range(40)]


@pytest.mark.parametrize(("n", "m"), [(1, 2), (1, 8), (2, 11), (11, 2)])
def test_a_zero_width_diagonal_still_connects(n, m):
    """Regression (found by test_properties): Corridor.diagonal(1, 2, 0) gave rows
    [0, 1) and [2, 3), which no 1-1 or skip bead joins, so fill() raised."""
    corridor = Corridor.diagonal(n, m, 0)
    assert all(corridor.lo[1:] < corridor.hi[:-1])  # each row reaches into the next
    spans = search(n, m, LengthCosts([1] * n, [1] * m), FIRST_PASS_BEADS, corridor)
    assert sum(i1 - i0 for i0, i1, _, _ in spans) == n and sum(j1 - j0 for _, _, j0, j1 in spans) == m


def test_corridor_around_a_path_is_monotone_and_covers_it():
    path = [(0, 1, 0, 2), (1, 3, 2, 3), (3, 4, 3, 6)]
    c = Corridor.around(path, 4, 6, 0)
    assert list(c.lo) == sorted(c.lo) and list(c.hi) == sorted(c.hi)
    for i0, i1, j0, j1 in path:
        for i in range(i0, i1 + 1):
            assert c.lo[i] <= j0 and c.hi[i] >= j1 + 1  # columns j0..j1 are all visited


class TableCosts:
    """Arbitrary (seeded) costs, including negative ones."""

    def __init__(self, n: int, m: int, seed: int, skip: float) -> None:
        rng = np.random.default_rng(seed)
        self.c = {ab: rng.normal(0.0, 1.0, (n + 1, m + 1)) for ab in DEFAULT_BEADS}
        self.skip = skip

    def bead_costs(self, a: int, b: int, i: int, j0: int, j1: int) -> np.ndarray:
        if a == 0 or b == 0:
            return np.full(j1 - j0, self.skip * (a + b))
        return self.c[(a, b)][i, j0:j1]


def brute_force(n: int, m: int, costs: TableCosts) -> float:
    best = np.full((n + 1, m + 1), np.inf)
    best[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for a, b in DEFAULT_BEADS:
                if i >= a and j >= b:
                    best[i, j] = min(best[i, j], best[i - a, j - b] + costs.bead_costs(a, b, i, j, j + 1)[0])
    return float(best[n, m])


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 9), st.integers(0, 9), st.integers(0, 10_000), st.floats(-0.5, 1.5))
def test_matches_brute_force_and_path_has_the_optimal_cost(n, m, seed, skip):
    """Regression: the traced path once disagreed with the DP total (float noise faked a skip)."""
    costs = TableCosts(n, m, seed, skip)
    table = fill(n, m, costs)
    spans = traceback(table)
    expected = brute_force(n, m, costs)
    assert table.total == pytest.approx(expected, abs=1e-9)
    assert path_cost(costs, spans) == pytest.approx(expected, abs=1e-9)
    # the path covers every sentence once, in order
    assert [s[0] for s in spans] == [0] + [s[1] for s in spans[:-1]] if spans else n == m == 0
    assert sum(i1 - i0 for i0, i1, _, _ in spans) == n
    assert sum(j1 - j0 for _, _, j0, j1 in spans) == m


def brute_force_margins(n, m, costs, best_spans):
    """Enumerate all paths: for each given bead, the best cost of a path without it, minus the optimum."""
    paths = []

    def walk(i, j, acc, spans):
        if (i, j) == (n, m):
            paths.append((acc, tuple(spans)))
            return
        for a, b in DEFAULT_BEADS:
            if i + a <= n and j + b <= m:
                c = costs.bead_costs(a, b, i + a, j + b, j + b + 1)[0]
                walk(i + a, j + b, acc + c, spans + [(i, i + a, j, j + b)])

    walk(0, 0, 0.0, [])
    best_cost = min(c for c, _ in paths)
    return best_cost, {
        span: min((c for c, sp in paths if span not in sp), default=np.inf) - best_cost for span in best_spans
    }


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 4), st.integers(0, 4), st.integers(0, 10_000), st.floats(-0.5, 1.5))
def test_margins_match_path_enumeration(n, m, seed, skip):
    costs = TableCosts(n, m, seed, skip)
    table = fill(n, m, costs, keep_scores=True)
    spans = traceback(table)
    got = margins(n, m, costs, table, spans)
    best, expected = brute_force_margins(n, m, costs, spans)  # ties: judge the DP's own path
    assert table.total == pytest.approx(best, abs=1e-9)
    for span, margin in zip(spans, got):
        if np.isfinite(expected[span]):
            assert margin == pytest.approx(max(expected[span], 0.0), abs=1e-9)
        else:
            assert margin == np.inf


def test_margins_are_zero_for_ties_and_large_for_clear_beads():
    clear = LengthCosts([10, 20, 30], [10, 20, 30])  # the runner-up merges two beads: merge cost 2
    table = fill(3, 3, clear, keep_scores=True)
    assert margins(3, 3, clear, table, traceback(table)) == [2.0, 2.0, 2.0]
    vague = LengthCosts([10, 10, 10], [20, 10], skip=5.0, merge=0.0)  # 2-1 + 1-1 ties with 3-2
    table = fill(3, 2, vague, keep_scores=True)
    assert min(margins(3, 2, vague, table, traceback(table))) == pytest.approx(0.0, abs=1e-9)
