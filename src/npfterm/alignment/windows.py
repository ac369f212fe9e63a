"""Windows: a long document aligned one window at a time, each cut at a confident anchor.

Aligning a whole document holds its features, embeddings and DP tables at
once, so memory grew with its length.  Above ``window`` sentences (both
languages together) the document is aligned in windows instead, each of that
size and shaped like what is left of the document.  Of each window's beads
only those in its first ``COMMIT_SHARE`` are kept, up to the last *anchor*: a
bead with both sides and confidence ≥ ``ANCHOR_SCORE`` followed by another
such bead.  The next window starts right after the anchor, where the
alignment is certain, so the forced end of a window never shapes a kept bead.
This is Bertalign's two-step idea (a cheap path first, then the fine search
where the path is) taken one step further: the fine search runs piece by
piece.  Time is linear in the length and memory is one window's plus the
result.

The function is pure and knows nothing of text: ``align_piece(i0, i1, j0, j1)``
aligns Chinese sentences ``[i0, i1)`` with English ``[j0, j1)`` and returns
beads numbered from 0; this module shifts them into place.
"""

from __future__ import annotations

import math
from typing import Callable, Iterator, Sequence

from npfterm.models import Bead

#: Sentences (Chinese + English) per window; shorter documents are aligned whole.
WINDOW_SENTENCES = 4000
#: Share of each window (on both sides) within which its beads may be kept.
COMMIT_SHARE = 2 / 3
#: Confidence of a two-sided bead that can end a window's kept part.
ANCHOR_SCORE = 0.9

PieceAligner = Callable[[int, int, int, int], Sequence[Bead]]


def needs_windows(n: int, m: int, window: int) -> bool:
    """Whether a document of ``n`` Chinese and ``m`` English sentences is aligned in windows."""
    return n > 0 and m > 0 and n + m > window


def window_extent(i0: int, j0: int, n: int, m: int, window: int) -> tuple[int, int]:
    """Ends ``(i1, j1)`` of the window starting at ``(i0, j0)``: ``window`` sentences, shaped like the rest."""
    rest_n, rest_m = n - i0, m - j0
    if rest_n + rest_m <= window:
        return n, m
    share = window / (rest_n + rest_m)
    return i0 + max(1, round(rest_n * share)), j0 + max(1, round(rest_m * share))


def kept_beads(beads: Sequence[Bead], size_n: int, size_m: int) -> int:
    """How many of a window's leading beads to keep (at least one).

    The last anchor whose end lies within ``COMMIT_SHARE`` of the window on
    both sides; without one, every bead that ends there; without any, the first.
    """
    limit_n, limit_m = math.ceil(size_n * COMMIT_SHARE), math.ceil(size_m * COMMIT_SHARE)
    inside = 0  # beads that end within the limits
    anchor = 0  # beads up to and including the last anchor
    ends_n = ends_m = 0
    for k, bead in enumerate(beads):
        ends_n, ends_m = ends_n + len(bead.zh), ends_m + len(bead.en)
        if ends_n > limit_n or ends_m > limit_m:
            break
        inside = k + 1
        if k + 1 < len(beads) and _confident(bead) and _confident(beads[k + 1]):
            anchor = k + 1
    return anchor or inside or 1


def _confident(bead: Bead) -> bool:
    return bool(bead.zh) and bool(bead.en) and bead.score >= ANCHOR_SCORE


def align_in_windows(n: int, m: int, window: int, align_piece: PieceAligner) -> Iterator[Bead]:
    """The beads of the whole document, in order, aligned window by window."""
    if window < 2:
        raise ValueError("a window holds at least two sentences")
    i0 = j0 = 0
    while i0 < n and j0 < m:
        i1, j1 = window_extent(i0, j0, n, m, window)
        beads = align_piece(i0, i1, j0, j1)
        last = i1 == n and j1 == m
        keep = len(beads) if last else kept_beads(beads, i1 - i0, j1 - j0)
        base_i, base_j = i0, j0
        for bead in beads[:keep]:
            yield bead.shifted(base_i, base_j)
            i0, j0 = i0 + len(bead.zh), j0 + len(bead.en)
        if last:
            return
    # one side is used up: what is left of the other is unmatched
    yield from (Bead((i,), (), 0.0) for i in range(i0, n))
    yield from (Bead((), (j,), 0.0) for j in range(j0, m))
