"""Monotonic sentence alignment by dynamic programming, in three testable steps.

1. costs come from a :class:`BeadCosts` object (see ``costs.py``): the cost of a
   bead covering Chinese sentences ``[i-a, i)`` and English ``[j-b, j)``, for a
   whole row of ``j`` at once (numpy);
2. :func:`fill` runs the DP row by row inside a :class:`Corridor` — the cells
   the search may visit — and keeps only back-pointers, so memory grows with the
   corridor, not with n·m;
3. :func:`traceback` turns the back-pointers into spans.

Nothing here knows about languages or text; it aligns two sequences of lengths
``n`` and ``m`` under any cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable, Iterator, Protocol, Sequence

import numpy as np

BeadType = tuple[int, int]
Span = tuple[int, int, int, int]  # zh [i0, i1), en [j0, j1)

def bead_family(max_sentences: int) -> tuple[BeadType, ...]:
    """Skips plus every a-b bead with a + b ≤ ``max_sentences``, small shapes first."""
    shapes = [(a, b) for a in range(1, max_sentences) for b in range(1, max_sentences) if a + b <= max_sentences]
    return ((0, 1), (1, 0)) + tuple(sorted(shapes, key=lambda ab: (ab[0] + ab[1], ab)))


#: Literary translation needs 1-4, 2-3 and even 1-6 (MAC-Dev's gold has them).
DEFAULT_BEADS: tuple[BeadType, ...] = bead_family(7)
#: 1-1 and skips only: the cheap first pass that finds the path.
FIRST_PASS_BEADS: tuple[BeadType, ...] = ((0, 1), (1, 0), (1, 1))

INF = np.inf


class BeadCosts(Protocol):
    """What the DP needs from a cost model."""

    def bead_costs(self, a: int, b: int, i: int, j0: int, j1: int) -> np.ndarray:
        """Costs of beads over zh ``[i-a, i)`` and en ``[j-b, j)`` for ``j`` in ``[j0, j1)``.

        Called only with ``i >= a`` and ``j0 >= b``; returns float64 of length ``j1 - j0``.
        """
        ...


@dataclass(frozen=True)
class Corridor:
    """For each row ``i`` in ``0..n`` the DP visits columns ``[lo[i], hi[i])``.

    ``lo`` and ``hi`` are non-decreasing, row 0 starts at column 0 and row n
    reaches column m, so a path from (0, 0) to (n, m) always exists.
    """

    lo: np.ndarray
    hi: np.ndarray
    m: int

    @property
    def n(self) -> int:
        return len(self.lo) - 1

    def cells(self) -> int:
        return int((self.hi - self.lo).sum())

    @cached_property
    def starts(self) -> np.ndarray:
        """The corridor's cells laid end to end, row by row: cell (i, j) is number ``starts[i] + j - lo[i]``.

        ``starts[n + 1]`` is the number of cells.
        """
        return np.concatenate([[0], np.cumsum(self.hi - self.lo)]).astype(np.int64)

    def cell_coordinates(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of every cell, in the order of :attr:`starts`."""
        widths = self.hi - self.lo
        rows = np.repeat(np.arange(self.n + 1), widths)
        cols = np.arange(int(self.starts[-1])) - (self.starts[:-1] - self.lo)[rows]
        return rows, cols

    @classmethod
    def full(cls, n: int, m: int) -> "Corridor":
        return cls(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64), m)

    @classmethod
    def diagonal(cls, n: int, m: int, width: int) -> "Corridor":
        """A band of half-width ``width`` around the straight line (0,0)–(n,m)."""
        rows = np.arange(n + 1)
        centre = np.rint(rows * (m / max(n, 1))).astype(np.int64)
        return cls._make(centre, centre, n, m, width)

    @classmethod
    def around(cls, spans: Sequence[Span], n: int, m: int, width: int) -> "Corridor":
        """A band of half-width ``width`` (rows and columns) around a path of spans."""
        lo = np.full(n + 1, m, dtype=np.int64)
        hi = np.zeros(n + 1, dtype=np.int64)
        lo[0] = hi[0] = 0
        lo[n] = min(lo[n], m)
        hi[n] = m
        for i0, i1, j0, j1 in spans:
            lo[i0 : i1 + 1] = np.minimum(lo[i0 : i1 + 1], j0)
            hi[i0 : i1 + 1] = np.maximum(hi[i0 : i1 + 1], j1)
        return cls._make(lo, hi, n, m, width)

    @classmethod
    def _make(cls, lo: np.ndarray, hi: np.ndarray, n: int, m: int, width: int) -> "Corridor":
        if width > 0 and n > 0:
            # widen across rows: each row sees the path within ``width`` rows of it
            pad_lo = np.concatenate([np.full(width, lo[0]), lo, np.full(width, lo[-1])])
            pad_hi = np.concatenate([np.full(width, hi[0]), hi, np.full(width, hi[-1])])
            win = np.lib.stride_tricks.sliding_window_view
            lo = win(pad_lo, 2 * width + 1).min(axis=1)
            hi = win(pad_hi, 2 * width + 1).max(axis=1)
        lo = np.clip(lo - width, 0, m)
        hi = np.clip(hi + width + 1, 1, m + 1)
        lo = np.minimum.accumulate(lo[::-1])[::-1].copy()  # non-decreasing
        hi = np.maximum.accumulate(hi)
        lo[0] = 0
        hi[-1] = m + 1
        # each row starts where the row before still reaches, so a 1-0 bead can
        # always step down: a steep, narrow band would otherwise leave gaps
        lo[1:] = np.minimum(lo[1:], hi[:-1] - 1)
        return cls(lo.astype(np.int64), hi.astype(np.int64), m)


@dataclass(frozen=True)
class Table:
    """Back-pointers of a filled DP: ``back[i][j - lo[i]]`` indexes ``bead_types``.

    ``scores`` (kept on request) holds the best cost from (0, 0) to each cell.
    """

    back: list[np.ndarray]
    corridor: Corridor
    bead_types: tuple[BeadType, ...]
    total: float
    scores: list[np.ndarray] | None = None


def _row_slice(row: np.ndarray, row_lo: int, c0: int, c1: int) -> np.ndarray:
    """Values of a stored row at columns ``[c0, c1)``, ``inf`` outside its corridor."""
    out = np.full(c1 - c0, INF)
    s0 = max(c0, row_lo)
    s1 = min(c1, row_lo + len(row))
    if s1 > s0:
        out[s0 - c0 : s1 - c0] = row[s0 - row_lo : s1 - row_lo]
    return out


def fill(
    n: int,
    m: int,
    costs: BeadCosts,
    bead_types: Sequence[BeadType] = DEFAULT_BEADS,
    corridor: Corridor | None = None,
    keep_scores: bool = False,
) -> Table:
    """Fill the DP inside ``corridor`` (the full matrix if None).

    The costs of every bead type at every cell are tabulated first (a few numpy
    operations per bead type, :func:`cell_costs`); each row then takes the best
    bead over all types at once.  Row ``i`` depends on earlier rows through beads
    with ``a >= 1`` and on itself only through the 0-1 bead, which is solved for
    the whole row with a running minimum: D[j] = min(A[j], D[j-1] + c[j]).
    Same result, to the bit, as :func:`fill_by_rows`, used when the table
    would be too big.
    """
    types = tuple(bead_types)
    if (0, 1) not in types or (1, 0) not in types:
        raise ValueError("bead types must include the skips (0, 1) and (1, 0)")
    corridor = corridor or Corridor.full(n, m)
    steps = [(a, b) for a, b in types if a > 0]
    table = cell_costs(costs, steps + [(0, 1)], corridor)
    if table is None:
        return fill_by_rows(n, m, costs, types, corridor, keep_scores)
    skip_idx = types.index((0, 1))
    codes = np.array([k for k, (a, _) in enumerate(types) if a > 0], dtype=np.int8)
    starts, lo_arr, hi_arr = corridor.starts, corridor.lo, corridor.hi
    cells = int(starts[-1])
    rows, cols = corridor.cell_coordinates()
    pred = np.stack([_neighbours(corridor, rows, cols, -a, -b) for a, b in steps])  # (1, 0) is always one
    skip = np.where(cols >= 1, table[-1], 0.0)  # the 0-1 bead ending at each cell; none ends at column 0
    scores = np.full(cells + 1, INF)  # the last cell stands for "outside the corridor"
    back = np.full(cells, skip_idx, dtype=np.int8)
    for i in range(n + 1):
        s, e = int(starts[i]), int(starts[i + 1])
        best, arg = _best_step(scores, pred, table, codes, skip_idx, s, e)
        if i == 0:
            best[0] = 0.0  # the empty prefix
        lo, hi = int(lo_arr[i]), int(hi_arr[i])
        if hi > max(lo, 1):  # the 0-1 bead: D[j] = min(A[j], D[j-1] + skip[j]) as a prefix minimum
            prefix = np.cumsum(skip[s:e])
            shifted = best - prefix
            running = np.minimum.accumulate(shifted)
            # compare in the shifted domain so rounding cannot fake a skip
            took_skip = running < shifted
            best = np.where(took_skip, running + prefix, best)
            arg[took_skip] = skip_idx
        scores[s:e] = best
        back[s:e] = arg
    total = float(scores[int(starts[n]) + m - int(lo_arr[n])])
    if not np.isfinite(total):
        raise ValueError("corridor does not connect (0, 0) to (n, m)")
    by_row = [slice(int(starts[i]), int(starts[i + 1])) for i in range(n + 1)]
    kept = [scores[r] for r in by_row] if keep_scores else None
    return Table([back[r] for r in by_row], corridor, types, total, kept)


#: Above this many values (bead types × corridor cells) the DP asks for costs row by row instead of
#: tabulating them: slower, but memory stays bounded on very wide corridors.
CELL_FLOATS = 3_000_000


class CellCosts(BeadCosts, Protocol):
    """A cost model that can tabulate a whole corridor at once (optional; see :func:`cell_costs`)."""

    def cell_costs(self, bead_types: Sequence[BeadType], corridor: Corridor) -> np.ndarray | None:
        """(types, cells) costs of beads ending at each cell, inf where none can end; None if too big."""
        ...


def cell_costs(costs: BeadCosts, bead_types: Sequence[BeadType], corridor: Corridor) -> np.ndarray | None:
    """Costs of each bead type ending at each corridor cell, (types, cells), inf where it cannot end.

    From the model's own ``cell_costs`` when it has one, else gathered row by row from
    ``bead_costs``; None above CELL_FLOATS values.
    """
    if len(bead_types) * corridor.cells() > CELL_FLOATS:
        return None
    own = getattr(costs, "cell_costs", None)
    if own is not None:
        return own(bead_types, corridor)
    starts, lo_arr, hi_arr = corridor.starts, corridor.lo, corridor.hi
    out = np.full((len(bead_types), int(starts[-1])), INF)
    for k, (a, b) in enumerate(bead_types):
        for i in range(a, corridor.n + 1):
            lo, hi = int(lo_arr[i]), int(hi_arr[i])
            j0 = max(lo, b)
            if j0 < hi:
                out[k, starts[i] + j0 - lo : starts[i] + hi - lo] = costs.bead_costs(a, b, i, j0, hi)
    return out


def _neighbours(corridor: Corridor, rows: np.ndarray, cols: np.ndarray, di: int, dj: int) -> np.ndarray:
    """For each cell (i, j), the number of cell (i + di, j + dj), or the cell count when that is outside."""
    lo, hi, starts = corridor.lo, corridor.hi, corridor.starts
    r, c = rows + di, cols + dj
    inside = (r >= 0) & (r <= corridor.n)
    rc = np.where(inside, r, 0)
    inside &= (c >= lo[rc]) & (c < hi[rc])
    index = np.where(inside, starts[rc] + c - lo[rc], starts[-1])
    return index.astype(np.int32 if starts[-1] < 2**31 else np.int64)


def _best_step(
    scores: np.ndarray, pred: np.ndarray, table: np.ndarray, codes: np.ndarray, skip_idx: int, s: int, e: int
) -> tuple[np.ndarray, np.ndarray]:
    """Best way into cells ``[s, e)`` by a bead with a Chinese side, and its type; inf and the skip if none.

    Types are tried in order and the first of equal candidates wins (argmin), as a
    loop keeping only strict improvements would do.
    """
    cand = scores[pred[:, s:e]]
    cand += table[:-1, s:e]
    pick = cand.argmin(axis=0)
    best = cand[pick, np.arange(e - s)]
    return best, np.where(best < INF, codes[pick], skip_idx).astype(np.int8)


def fill_by_rows(
    n: int, m: int, costs: BeadCosts, types: tuple[BeadType, ...], corridor: Corridor, keep_scores: bool = False
) -> Table:
    """:func:`fill` asking the costs row by row: the reference, and the way for corridors too big to tabulate.

    Each bead type is vectorised over the row; the 0-1 bead is solved as in :func:`fill`.
    """
    skip_idx = types.index((0, 1))
    lo_arr, hi_arr = corridor.lo, corridor.hi
    max_a = max(a for a, _ in types)
    rows: dict[int, tuple[int, np.ndarray]] = {}
    back: list[np.ndarray] = []
    kept: list[np.ndarray] = []

    for i in range(n + 1):
        lo, hi = int(lo_arr[i]), int(hi_arr[i])
        width = hi - lo
        best = np.full(width, INF)
        arg = np.full(width, skip_idx, dtype=np.int8)
        if i == 0:
            best[0] = 0.0  # the empty prefix
        for k, (a, b) in enumerate(types):
            if a == 0 or a > i:
                continue
            prev_lo, prev = rows[i - a]
            # columns j whose predecessor j-b is inside the previous row's corridor
            c0 = max(lo, prev_lo + b, b)
            c1 = min(hi, prev_lo + len(prev) + b)
            if c1 <= c0:
                continue
            cand = prev[c0 - b - prev_lo : c1 - b - prev_lo]
            finite = np.isfinite(cand)
            if not finite.any():
                continue
            cand = cand + costs.bead_costs(a, b, i, c0, c1)
            seg = best[c0 - lo : c1 - lo]
            better = cand < seg
            seg[better] = cand[better]
            arg[c0 - lo : c1 - lo][better] = k
        # the 0-1 bead: D[j] = min(A[j], D[j-1] + skip[j]) as a prefix minimum
        s0 = max(lo, 1)
        if hi > s0:
            step = np.zeros(width)
            step[s0 - lo :] = costs.bead_costs(0, 1, i, s0, hi)
            prefix = np.cumsum(step)
            shifted = best - prefix
            running = np.minimum.accumulate(shifted)
            # compare in the shifted domain so rounding cannot fake a skip
            took_skip = running < shifted
            best = np.where(took_skip, running + prefix, best)
            arg[took_skip] = skip_idx
        rows[i] = (lo, best)
        if not keep_scores:
            rows.pop(i - max_a - 1, None)
        back.append(arg)

    last_lo, last = rows[n]
    total = float(last[m - last_lo])
    if not np.isfinite(total):
        raise ValueError("corridor does not connect (0, 0) to (n, m)")
    scores = [rows[i][1] for i in range(n + 1)] if keep_scores else None
    return Table(back, corridor, types, total, scores)


class _TopTwo:
    """The two smallest values seen per index (vectorised updates)."""

    def __init__(self, size: int) -> None:
        self.best = np.full(size, INF)
        self.second = np.full(size, INF)

    def add(self, index: np.ndarray | slice, values: np.ndarray) -> None:
        best = self.best[index]
        self.second[index] = np.minimum(self.second[index], np.maximum(best, values))
        self.best[index] = np.minimum(best, values)

    def add_scalar_pair(self, k: int, v1: float, v2: float) -> None:
        for v in (v1, v2):
            if v < self.best[k]:
                self.second[k], self.best[k] = self.best[k], v
            elif v < self.second[k]:
                self.second[k] = v


def _two_smallest(values: np.ndarray) -> tuple[float, float]:
    if len(values) == 0:
        return INF, INF
    if len(values) == 1:
        return float(values[0]), INF
    two = np.partition(values, 1)[:2]
    return float(two[0]), float(two[1])


def margins(
    n: int,
    m: int,
    costs: BeadCosts,
    table: Table,
    spans: Sequence[Span],
) -> list[float]:
    """For each bead of the best path, how much worse the best path without it is.

    A backward pass gives, with the forward scores, the best complete path
    through every possible bead (its max-marginal).  Any path that avoids bead
    b covers b's first sentence with some other bead, so the margin is the
    second-best max-marginal among beads covering that sentence, minus the
    optimum.  0 means a tie; large means the evidence is unambiguous.
    Costs are tabulated as in :func:`fill`; same result, to the bit, as
    :func:`margins_by_rows`.
    """
    assert table.scores is not None, "fill(..., keep_scores=True) first"
    corridor = table.corridor
    steps = [(a, b) for a, b in table.bead_types if a > 0]
    tab = cell_costs(costs, steps + [(0, 1)], corridor)
    if tab is None:
        return margins_by_rows(n, m, costs, table, spans)
    starts, lo_arr, hi_arr = corridor.starts, corridor.lo, corridor.hi
    cells = int(starts[-1])
    rows, cols = corridor.cell_coordinates()
    fwd = np.concatenate(table.scores)
    # for the bead of each type starting at each cell: the cell it ends at, and its cost
    succ = np.stack([_neighbours(corridor, rows, cols, a, b) for a, b in steps])
    step_cost = np.concatenate([tab[:-1], np.full((len(steps), 1), INF)], axis=1)
    step_cost = np.take_along_axis(step_cost, succ, axis=1)
    skip = tab[-1]
    bwd = np.full(cells + 1, INF)
    through = np.full((len(steps), cells), INF)  # best complete path using each bead
    skip_through = np.full(cells, INF)  # ... using the 0-1 bead that starts at each cell
    zh_two = np.full((n + 1, len(steps), 2), INF)  # the two smallest of ``through`` per row and type
    for i in range(n, -1, -1):
        s, e = int(starts[i]), int(starts[i + 1])
        lo, hi = int(lo_arr[i]), int(hi_arr[i])
        cand = bwd[succ[:, s:e]] + step_cost[:, s:e]
        best = cand.min(axis=0)
        if i == n and lo <= m < hi:
            best[m - lo] = min(best[m - lo], 0.0)
        through[:, s:e] = fwd[s:e] + cand
        zh_two[i] = _two_smallest_per_row(through[:, s:e])
        e1 = min(hi - 1, m)  # cells whose successor j+1 is in this row and ≤ m
        if e1 > lo:
            k = e1 - lo
            step = np.zeros(e - s)
            step[:k] = skip[s + 1 : s + 1 + k]
            prefix = np.concatenate([[0.0], np.cumsum(step[:-1])])
            shifted = best + prefix
            running = np.minimum.accumulate(shifted[::-1])[::-1]
            best = np.where(running < shifted, running - prefix, best)
            skip_through[s : s + k] = fwd[s : s + k] + step[:k] + best[1 : k + 1]
        bwd[s:e] = best
    zh_best, zh_second = _zh_two_smallest(zh_two, [a for a, _ in steps], max(n, 1))

    def en_pieces() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(English sentence, max-marginal) of each bead covering it: 0-1 beads, then each type's members."""
        yield cols, skip_through
        for k, (_, b) in enumerate(steps):
            for t in range(b):
                yield cols + t, through[k]

    en_best, en_second = _two_smallest_by_key(en_pieces, max(m, 1))
    opt = table.total
    out: list[float] = []
    for i0, i1, j0, j1 in spans:
        best_k, second_k = (zh_best[i0], zh_second[i0]) if i1 > i0 else (en_best[j0], en_second[j0])
        # the path's own bead is the best (== opt); the runner-up is the alternative
        alt = second_k if best_k <= opt + 1e-9 else best_k
        out.append(float(max(0.0, alt - opt)) if np.isfinite(alt) else INF)
    return out


def _two_smallest_per_row(values: np.ndarray) -> np.ndarray:
    """The two smallest of each row of a 2-D array, (rows, 2); inf when a row has fewer."""
    if values.shape[1] >= 2:
        return np.partition(values, 1, axis=1)[:, :2]
    out = np.full((values.shape[0], 2), INF)
    out[:, : values.shape[1]] = values
    return out


def _zh_two_smallest(per_row: np.ndarray, spans: Sequence[int], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per Chinese sentence, the two smallest max-marginals of the beads covering it.

    ``per_row[i, t]`` holds the two smallest for beads of type ``t`` starting at
    row ``i``; such a bead covers sentences ``i .. i + spans[t] - 1``.
    """
    rows = per_row.shape[0]
    columns = []
    for t, a in enumerate(spans):
        for u in range(a):  # sentence k is covered by beads starting at row k - u
            shifted = np.full((size, 2), INF)
            take = max(0, min(size - u, rows))
            shifted[u : u + take] = per_row[:take, t]
            columns.append(shifted)
    if not columns:
        return np.full(size, INF), np.full(size, INF)
    two = _two_smallest_per_row(np.concatenate(columns, axis=1))
    return two[:, 0], two[:, 1]


def _two_smallest_by_key(
    pieces: Callable[[], Iterable[tuple[np.ndarray, np.ndarray]]], size: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each key in ``[0, size)``, the smallest and second smallest of its values (a multiset), inf if none.

    ``pieces()`` yields (keys, values) arrays; they are read twice, one piece at a
    time, so the whole multiset is never held at once.  Infinite values are left
    out (a key without values gets inf anyway), and so may their keys be out of range.
    """
    best = np.full(size, INF)
    for keys, values in pieces():
        keep = values < INF
        np.minimum.at(best, keys[keep], values[keep])
    second = np.full(size, INF)
    ties = np.zeros(size, dtype=np.int64)
    for keys, values in pieces():
        keep = values < INF
        keys, values = keys[keep], values[keep]
        hit = values == best[keys]
        ties += np.bincount(keys[hit], minlength=size)
        np.minimum.at(second, keys[~hit], values[~hit])
    return best, np.where(ties >= 2, best, second)


def margins_by_rows(n: int, m: int, costs: BeadCosts, table: Table, spans: Sequence[Span]) -> list[float]:
    """:func:`margins` asking the costs row by row: the reference, and the way for corridors too big to tabulate."""
    assert table.scores is not None, "fill(..., keep_scores=True) first"
    types, corridor, fwd = table.bead_types, table.corridor, table.scores
    lo_arr, hi_arr = corridor.lo, corridor.hi
    zh_top, en_top = _TopTwo(max(n, 1)), _TopTwo(max(m, 1))
    back: list[np.ndarray] = [np.empty(0)] * (n + 1)
    for i in range(n, -1, -1):
        lo, hi = int(lo_arr[i]), int(hi_arr[i])
        width = hi - lo
        best = np.full(width, INF)
        if i == n and lo <= m < hi:
            best[m - lo] = 0.0
        for a, b in types:
            if a == 0 or i + a > n:
                continue
            nxt_lo, nxt = int(lo_arr[i + a]), back[i + a]
            c0 = max(lo, nxt_lo - b)
            c1 = min(hi, nxt_lo + len(nxt) - b, m - b + 1)
            if c1 <= c0:
                continue
            cand = nxt[c0 + b - nxt_lo : c1 + b - nxt_lo]
            if not np.isfinite(cand).any():
                continue
            cand = cand + costs.bead_costs(a, b, i + a, c0 + b, c1 + b)
            seg = best[c0 - lo : c1 - lo]
            np.minimum(seg, cand, out=seg)
            through = fwd[i][c0 - lo : c1 - lo] + cand  # best path using each of these beads
            v1, v2 = _two_smallest(through)
            for k in range(i, i + a):
                zh_top.add_scalar_pair(k, v1, v2)
            for s in range(b):
                en_top.add(slice(c0 + s, c1 + s), through)
        e1 = min(hi - 1, m)  # cells whose successor j+1 is in this row and ≤ m
        if e1 > lo:
            step = np.zeros(width)
            step[: e1 - lo] = costs.bead_costs(0, 1, i, lo + 1, e1 + 1)
            prefix = np.concatenate([[0.0], np.cumsum(step[:-1])])
            shifted = best + prefix
            running = np.minimum.accumulate(shifted[::-1])[::-1]
            best = np.where(running < shifted, running - prefix, best)
            # 0-1 beads (i, j) → (i, j+1) cover English sentence j
            through = fwd[i][: e1 - lo] + step[: e1 - lo] + best[1 : e1 - lo + 1]
            en_top.add(slice(lo, e1), through)
        back[i] = best
    opt = table.total
    out: list[float] = []
    for i0, i1, j0, j1 in spans:
        top, k = (zh_top, i0) if i1 > i0 else (en_top, j0)
        # the path's own bead is the best (== opt); the runner-up is the alternative
        alt = top.second[k] if top.best[k] <= opt + 1e-9 else top.best[k]
        out.append(float(max(0.0, alt - opt)) if np.isfinite(alt) else INF)
    return out


def traceback(table: Table) -> list[Span]:
    """Spans of the best path, in document order."""
    corridor = table.corridor
    i, j = corridor.n, corridor.m
    spans: list[Span] = []
    while i > 0 or j > 0:
        a, b = table.bead_types[int(table.back[i][j - int(corridor.lo[i])])]
        spans.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    spans.reverse()
    return spans


def search(
    n: int,
    m: int,
    costs: BeadCosts,
    bead_types: Sequence[BeadType] = DEFAULT_BEADS,
    corridor: Corridor | None = None,
) -> list[Span]:
    """Fill and trace back in one call."""
    return traceback(fill(n, m, costs, bead_types, corridor))


def path_cost(costs: BeadCosts, spans: Sequence[Span]) -> float:
    """Total cost of a given path (for tests and diagnostics)."""
    total = 0.0
    for i0, i1, j0, j1 in spans:
        total += float(costs.bead_costs(i1 - i0, j1 - j0, i1, j1, j1 + 1)[0])
    return total
