"""The tabulated (whole-corridor) DP and costs agree, to the bit, with the row-by-row reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from npfterm.alignment.costs import CostModel, SentenceFeatures, _cumulative_overlaps
from npfterm.alignment.document import MODES
from npfterm.alignment.dp import (
    DEFAULT_BEADS,
    FIRST_PASS_BEADS,
    Corridor,
    _two_smallest_by_key,
    bead_family,
    fill,
    fill_by_rows,
    margins,
    margins_by_rows,
    traceback,
)
from npfterm.alignment import evidence
from npfterm.alignment.evidence import EnEvidence, OverlapIndex, ZhEvidence

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)


class RandomCosts:
    """Seeded random bead costs (some impossible, some tied), asked for row by row only."""

    def __init__(self, n: int, m: int, types: tuple[tuple[int, int], ...], seed: int, skip: float) -> None:
        rng = np.random.default_rng(seed)
        draw = rng.integers(-2, 3, (len(types), n + 1, m + 1)).astype(np.float64)  # integers: ties
        draw[rng.random(draw.shape) < 0.1] = np.inf
        self.table = dict(zip(types, draw))
        self.skip = skip

    def bead_costs(self, a: int, b: int, i: int, j0: int, j1: int) -> np.ndarray:
        if a == 0 or b == 0:
            return np.full(j1 - j0, self.skip * (a + b))
        return self.table[(a, b)][i, j0:j1]


def _corridor(shape: str, n: int, m: int, width: int, costs: RandomCosts) -> Corridor:
    if shape == "full":
        return Corridor.full(n, m)
    if shape == "diagonal":
        return Corridor.diagonal(n, m, width)
    return Corridor.around(traceback(fill_by_rows(n, m, costs, FIRST_PASS_BEADS, Corridor.full(n, m))), n, m, width)


@SETTINGS
@given(
    st.integers(0, 10),
    st.integers(0, 10),
    st.sampled_from([DEFAULT_BEADS, FIRST_PASS_BEADS, bead_family(4)]),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0.0, 0.5, 1.0, 3.0]),
    st.sampled_from(["full", "diagonal", "around"]),
    st.integers(0, 3),
)
def test_fill_and_margins_equal_the_row_by_row_reference(n, m, types, seed, skip, shape, width):
    costs = RandomCosts(n, m, types, seed, skip)
    corridor = _corridor(shape, n, m, width, costs)
    try:
        expected = fill_by_rows(n, m, costs, types, corridor, keep_scores=True)
    except ValueError:  # the corridor does not connect: the same error either way
        try:
            fill(n, m, costs, types, corridor)
        except ValueError:
            return
        raise AssertionError("the tabulated fill connected a corridor the reference could not")
    got = fill(n, m, costs, types, corridor, keep_scores=True)
    assert got.total == expected.total
    assert all(np.array_equal(x, y) for x, y in zip(got.back, expected.back, strict=True))
    assert got.scores is not None and expected.scores is not None
    assert all(np.array_equal(x, y) for x, y in zip(got.scores, expected.scores, strict=True))
    spans = traceback(got)
    assert margins(n, m, costs, got, spans) == margins_by_rows(n, m, costs, expected, spans)


def _reference_two_smallest(keys: np.ndarray, values: np.ndarray, size: int) -> tuple[list[float], list[float]]:
    best, second = [], []
    for k in range(size):
        mine = sorted(values[keys == k].tolist()) + [np.inf, np.inf]
        best.append(mine[0])
        second.append(mine[1])
    return best, second


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from([0.0, 1.0, 1.5, -2.0, np.inf])), max_size=30))
def test_two_smallest_by_key_counts_repeats(pairs):
    keys = np.array([k for k, _ in pairs], dtype=np.int64)
    values = np.array([v for _, v in pairs], dtype=np.float64)
    half = len(pairs) // 2
    best, second = _two_smallest_by_key(lambda: [(keys[:half], values[:half]), (keys[half:], values[half:])], 6)
    assert (best.tolist(), second.tolist()) == _reference_two_smallest(keys, values, 6)


KEYS = [f"k{x}" for x in range(8)]
key_sets = st.frozensets(st.sampled_from(KEYS), max_size=3)


@st.composite
def features(draw: st.DrawFn) -> SentenceFeatures:
    """Random sentences: Chinese tokens with key sets (some empty), English key sets, lengths, paragraphs."""
    n, m = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    zh = tuple(
        ZhEvidence(tuple(f"t{t}" for t in range(len(keys))), tuple(keys))
        for keys in draw(st.lists(st.lists(key_sets, max_size=4), min_size=n, max_size=n))
    )
    en = tuple(EnEvidence(k) for k in draw(st.lists(key_sets, min_size=m, max_size=m)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    embed = draw(st.booleans())

    def unit(rows: int) -> np.ndarray:
        v = rng.normal(size=(rows, 4))
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    return SentenceFeatures(
        zh=zh,
        en=en,
        zh_len=rng.integers(1, 60, n).astype(np.float64),
        en_len=rng.integers(1, 240, m).astype(np.float64),
        zh_para=np.sort(rng.integers(0, 4, n)),
        en_para=np.sort(rng.integers(0, 4, m)),
        interleaved=draw(st.booleans()),
        zh_emb=unit(n) if embed else None,
        en_emb=unit(m) if embed else None,
    )


@SETTINGS
@given(features(), st.sampled_from(sorted(MODES)), st.sampled_from([0.0, 0.2]), st.integers(0, 3), st.booleans())
def test_cell_costs_equal_bead_costs(feats, mode, floor, width, full):
    n, m = len(feats.zh), len(feats.en)
    corridor = Corridor.full(n, m) if full else Corridor.diagonal(n, m, width)
    model = CostModel(feats, corridor, DEFAULT_BEADS, MODES[mode])
    model.set_member_floor(floor)
    types = [ab for ab in DEFAULT_BEADS]
    table = model.cell_costs(types, corridor)
    assert table is not None
    starts = corridor.starts
    for k, (a, b) in enumerate(types):
        for i in range(n + 1):
            lo, hi = int(corridor.lo[i]), int(corridor.hi[i])
            row = table[k, starts[i] : starts[i + 1]]
            j0 = max(lo, b)
            if i < a or j0 >= hi:
                assert np.isinf(row).all()
                continue
            assert np.isinf(row[: j0 - lo]).all()
            assert np.array_equal(row[j0 - lo :], model.bead_costs(a, b, i, j0, hi))


@SETTINGS
@given(features(), st.integers(0, 3))
def test_cumulative_overlaps_equal_per_row_counts(feats, width):
    n, m = len(feats.zh), len(feats.en)
    index = OverlapIndex(feats.en)
    corridor = Corridor.diagonal(n, m, width)
    c0 = np.maximum(0, corridor.lo[np.minimum(n, np.arange(n) + 1)] - 2)
    size = np.maximum(0, np.minimum(m, corridor.hi[np.minimum(n, np.arange(n) + 3)] - 1) - c0)
    start = np.concatenate([[0], np.cumsum(size + 1)[:-1]])
    flat = _cumulative_overlaps(index, feats.zh, c0, size, start)
    for r in range(n):
        expected = np.concatenate([[0.0], np.cumsum(index.row(feats.zh[r], int(c0[r]), int(c0[r] + size[r])))])
        assert np.array_equal(flat[start[r] : start[r] + size[r] + 1], expected)


@SETTINGS
@given(features(), st.integers(0, 9), st.integers(0, 9), st.booleans())
def test_overlap_rows_count_matches_from_the_key_sets(feats, c0, width, memoised):
    """Per English sentence: Chinese tokens with a key there, plus distinct Chinese keys found there."""
    m = len(feats.en)
    c0, c1 = min(c0, m), min(m, c0 + width)
    index = OverlapIndex(feats.en)
    if not memoised:
        index._memoised = evidence.HITS_MEMO  # as when a long document has filled the memo
    for zh in feats.zh:
        union = frozenset().union(*zh.keys)
        expected = [
            sum(bool(keys & feats.en[j].keys) for keys in zh.keys) + len(union & feats.en[j].keys)
            for j in range(c0, c1)
        ]
        assert index.row(zh, c0, c1).tolist() == expected


def test_a_model_without_tables_is_asked_row_by_row():
    """Generic costs (no ``cell_costs``) go through the same tabulated fill."""
    costs = RandomCosts(4, 5, DEFAULT_BEADS, 7, 1.0)
    assert not hasattr(costs, "cell_costs")
    assert fill(4, 5, costs).total == fill_by_rows(4, 5, costs, DEFAULT_BEADS, Corridor.full(4, 5)).total

