"""Bead costs: length, lexical overlap and position, combined for the DP.

A bead covering Chinese sentences ``[i-a, i)`` and English ``[j-b, j)`` costs

  − w_lex · lexsim                      translation evidence (evidence.py), in [0, 1]
  + w_len · −log P(length ratio)        Gale–Church, ratio and variance from this document
  + w_pos · Σ paragraph distance        per sentence, only when both languages share one document
  + w_par · breaks crossed on one side   two files: paragraphs of a translation follow the original's
  + w_merge · (a + b − 2)               many-to-many beads must earn their place
  + w_member · Σ shortfall              each member of a larger bead: how far its own similarity
                                        with the other side falls short of the document's floor

and leaving one sentence unmatched costs ``w_skip``, or the skip cost learned
from the document (deletions.py), a little less for a heading or label.  Similarity enters with a
minus sign and per bead, not per sentence (as in Bertalign): two good 1-1
beads then beat one 2-2 bead that merges them, so beads stay as fine as the
evidence allows.  Pairwise overlaps are
computed once for the cells the corridor can reach and summed over blocks, so
a 2-3 bead costs no more to score than a 1-1 bead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Callable, Iterator, Sequence, Union

import numpy as np

from npfterm.alignment.dp import INF, BeadType, Corridor, Span
from npfterm.alignment.evidence import EnEvidence, OverlapIndex, ZhEvidence

#: Length ratio English/Chinese characters and its variance before the document speaks.
PRIOR_RATIO = 4.0
PRIOR_VARIANCE = 2.0
MAX_LENGTH_COST = 12.0
#: One row, or an array of rows aligned with the columns (a whole corridor at once).
Rows = Union[int, np.ndarray]
#: Paragraphs beyond the adjacent one over which the position cost rises to 1.
POSITION_SCALE = 2.0


@dataclass(frozen=True)
class Weights:
    """Cost weights; every field travels in the run signature."""

    lexical: float = 1.0
    embedding: float = 0.0
    length: float = 0.05
    position: float = 0.3
    skip: float = 0.5
    merge: float = 0.1
    #: 0: leaving a sentence unmatched costs ``skip``; else the skip cost is
    #: learned from the document's unmatched rate (alignment/deletions.py).
    deletion_scale: float = 0.0
    deletion_offset: float = 0.0
    #: Per unit of similarity a member of a larger bead falls short, on its own,
    #: of ``member_share`` × the document's median pair similarity.
    member: float = 0.0
    member_share: float = 0.0
    #: How much cheaper a heading or label is to leave unmatched.
    label: float = 0.0
    #: Cost per paragraph break a bead crosses on one side only (two-file input).
    paragraph: float = 0.0

    def items(self) -> tuple[tuple[str, float], ...]:
        return tuple((f.name, float(getattr(self, f.name))) for f in fields(self))


@dataclass(frozen=True)
class SentenceFeatures:
    """Everything the cost needs about the two sequences, computed once."""

    zh: tuple[ZhEvidence, ...]
    en: tuple[EnEvidence, ...]
    zh_len: np.ndarray  # characters without spaces
    en_len: np.ndarray  # characters, spaces collapsed
    zh_para: np.ndarray
    en_para: np.ndarray
    interleaved: bool
    zh_emb: np.ndarray | None = None  # (n, d) L2-normalised sentence embeddings
    en_emb: np.ndarray | None = None
    zh_label: np.ndarray | None = None  # bool: heading or label (text/structure.py)
    en_label: np.ndarray | None = None


#: Corridor cells whose costs are computed in one go (whole rows, so each row's embedding
#: similarities see the same columns as when asked row by row).
CHUNK_CELLS = 1 << 16

#: Bead costs kept for the backward pass (about 16 bytes each with their arrays and keys: 250 MB);
#: beyond this a very long document recomputes them instead: slower, but memory stays bounded.
COST_CACHE_FLOATS = 16_000_000


def _unit(x: np.ndarray) -> np.ndarray:
    """``x`` clipped to [0, 1] (np.clip costs several times more on the short rows used here)."""
    return np.minimum(np.maximum(x, 0.0), 1.0)


def _log_tail(delta: np.ndarray) -> np.ndarray:
    """−log P(|Z| ≥ |δ|) for a standard normal, computed in log space (no underflow)."""
    z = np.abs(delta) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    log_erfc = np.log(t) - z * z + poly
    return np.minimum(-log_erfc, MAX_LENGTH_COST)


class CostModel:
    """Implements :class:`npfterm.alignment.dp.BeadCosts` over prepared features."""

    def __init__(
        self,
        feats: SentenceFeatures,
        corridor: Corridor,
        bead_types: Sequence[BeadType],
        weights: Weights = Weights(),
        ratio: float = PRIOR_RATIO,
        variance: float = PRIOR_VARIANCE,
        index: OverlapIndex | None = None,
    ) -> None:
        self.f = feats
        self.w = weights
        self.ratio = ratio
        self.variance = variance
        self.n = len(feats.zh)
        self.m = len(feats.en)
        self._zlen = np.concatenate([[0.0], np.cumsum(feats.zh_len, dtype=np.float64)])
        self._elen = np.concatenate([[0.0], np.cumsum(feats.en_len, dtype=np.float64)])
        self._ztok = np.concatenate([[0.0], np.cumsum([z.size for z in feats.zh], dtype=np.float64)])
        self._etok = np.concatenate([[0.0], np.cumsum([e.size for e in feats.en], dtype=np.float64)])
        self._index = index or OverlapIndex(feats.en)
        self.set_skip_costs(np.full(self.n, weights.skip), np.full(self.m, weights.skip))
        self.member_floor = 0.0
        self._zemb = self._eemb = None
        if feats.zh_emb is not None and feats.en_emb is not None and weights.embedding:
            self._zemb, self._eemb = feats.zh_emb, feats.en_emb
        max_a = max(a for a, _ in bead_types)
        max_b = max(b for _, b in bead_types)
        self._cost_cache: dict[tuple[int, int, int], tuple[int, np.ndarray]] = {}
        self._cell_cache: dict[BeadType, np.ndarray] = {}
        self._cached = 0  # floats held by the caches, bounded by COST_CACHE_FLOATS
        lo, hi = corridor.lo, corridor.hi
        self._lo, self._hi = lo, hi
        self.corridor = corridor
        # per Chinese sentence r, cumulative overlaps with English [c0, c1), laid end to end
        rows = np.arange(self.n)
        c0 = np.maximum(0, lo[np.minimum(self.n, rows + 1)] - max_b)
        c1 = np.minimum(self.m, hi[np.minimum(self.n, rows + max_a)] - 1)
        c1 = np.maximum(c0, c1)
        self._cum_c0, self._cum_len = c0.astype(np.int64), (c1 - c0).astype(np.int64)
        self._cum_start = np.concatenate([[0], np.cumsum(self._cum_len + 1)[:-1]]).astype(np.int64)
        self._cum = _cumulative_overlaps(self._index, feats.zh, self._cum_c0, self._cum_len, self._cum_start)

    # --- components -----------------------------------------------------
    # ``i`` is one row (an int) or, for whole corridors at once, an array of rows aligned with ``js``.
    def set_length_model(self, ratio: float, variance: float) -> None:
        """Use a learned length ratio and variance (drops cached costs)."""
        self.ratio, self.variance = ratio, variance
        self._drop_cache()

    def set_skip_costs(self, zh: np.ndarray, en: np.ndarray) -> None:
        """Per-sentence costs of leaving each Chinese and English sentence unmatched."""
        self.skip_zh = np.asarray(zh, dtype=np.float64)
        self.skip_en = np.asarray(en, dtype=np.float64)
        self._skip_zh_cum = np.concatenate([[0.0], np.cumsum(self.skip_zh)])
        self._skip_en_cum = np.concatenate([[0.0], np.cumsum(self.skip_en)])

    def set_member_floor(self, floor: float) -> None:
        """The similarity each member of a larger bead must show on its own (drops cached costs)."""
        self.member_floor = floor
        self._drop_cache()

    def _drop_cache(self) -> None:
        self._cost_cache.clear()
        self._cell_cache.clear()
        self._cached = 0

    def member_shortfall(self, a: int, b: int, i: Rows, js: np.ndarray) -> np.ndarray:
        """Σ over the members of a side with several sentences of max(0, floor − own similarity)."""
        total = np.zeros(len(js))
        for own in self.member_similarities(a, b, i, js):
            total += np.maximum(0.0, self.member_floor - own)
        return total

    def member_similarities(self, a: int, b: int, i: Rows, js: np.ndarray) -> Iterator[np.ndarray]:
        """Each member's own similarity, for each side of the bead with several sentences.

        A member's own similarity is its w_lex·lexsim + w_emb·embsim with the
        whole other side of the bead: a sentence that translates part of the
        other side has some, an untranslated one glued to a pair has none.
        English members come first, then Chinese.
        """
        for t in range(b) if b > 1 else ():
            own = self.w.lexical * self.lexsim(a, 1, i, js - t)
            if self._zemb is not None:
                own = own + self.w.embedding * _by_row(lambda row, cols: self._embsim_single_en(a, row, cols), i, js - t)
            yield own
        for u in range(1, a + 1) if a > 1 else ():
            r = i - a + u  # the member zh [r-1, r)
            own = self.w.lexical * self.lexsim(1, b, r, js)
            if self._zemb is not None:
                own = own + self.w.embedding * _by_row(lambda row, cols: self.embsim(1, b, row, cols), r, js)
            yield own

    def _embsim_single_en(self, a: int, i: int, js: np.ndarray) -> np.ndarray:
        """Cosine of zh [i-a, i) summed against each single English sentence ``js - 1``."""
        assert self._zemb is not None and self._eemb is not None
        z = self._zemb[i - a : i].sum(axis=0)
        e = self._eemb[js - 1]
        return (e @ z) / np.maximum(np.linalg.norm(e, axis=1) * max(float(np.linalg.norm(z)), 1e-8), 1e-8)

    def overlap(self, a: int, b: int, i: Rows, js: np.ndarray) -> np.ndarray:
        """Matched tokens (both sides) in the block zh [i-a, i) × en [j-b, j).

        Each Chinese row's cumulative counts cover the columns the corridor can
        reach; columns outside them count as no overlap (hence the clipping).  For
        one row ``js`` is a contiguous run, and slicing is much cheaper than indexing.
        """
        total = np.zeros(len(js))
        for t in range(a):
            r = i - a + t
            c0, size, base = self._cum_c0[r], self._cum_len[r], self._cum_start[r]
            if isinstance(r, int) and js[0] - b >= c0 and js[-1] <= c0 + size:  # one row, all inside: slices
                lo = base + js[0] - c0
                total += self._cum[lo : lo + len(js)] - self._cum[lo - b : lo - b + len(js)]
                continue
            hi_idx = np.minimum(np.maximum(js - c0, 0), size)
            lo_idx = np.minimum(np.maximum(js - b - c0, 0), size)
            total += self._cum[base + hi_idx] - self._cum[base + lo_idx]
        return total

    def lexsim(self, a: int, b: int, i: Rows, js: np.ndarray) -> np.ndarray:
        """Share of tokens on both sides that have a translation on the other, in [0, 1]."""
        tokens = (self._ztok[i] - self._ztok[i - a]) + (self._etok[js] - self._etok[js - b])
        return _unit(self.overlap(a, b, i, js) / np.maximum(tokens, 1.0))

    def embsim(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        """Cosine of the summed sentence embeddings of each side (0 without embeddings)."""
        if self._zemb is None or self._eemb is None:
            return np.zeros(len(js))
        # spans are short (≤ 6 sentences): summing rows beats storing prefix sums
        z = self._zemb[i - a : i].sum(axis=0)
        e = self._eemb[js - b]
        for t in range(1, b):
            e = e + self._eemb[js - b + t]
        dots = e @ z
        norms = np.linalg.norm(e, axis=1) * max(float(np.linalg.norm(z)), 1e-8)
        return dots / np.maximum(norms, 1e-8)

    def length_cost(self, a: int, b: int, i: Rows, js: np.ndarray) -> np.ndarray:
        lz = self._zlen[i] - self._zlen[i - a]
        le = (self._elen[js] - self._elen[js - b]) / self.ratio
        mean = np.maximum((lz + le) / 2.0, 1.0)
        return _log_tail((le - lz) / np.sqrt(self.variance * mean))

    def position_cost(self, a: int, b: int, i: Rows, js: np.ndarray) -> np.ndarray:
        """Per sentence, how far (in paragraphs) it sits from the other side of the bead.

        Only for one document holding both languages, where a translation sits
        in the same or the next paragraph.  Each member pays for itself, so a
        bead cannot absorb sentences from distant paragraphs for free; one
        paragraph of distance is allowed, the cost saturates at 1 per sentence.
        """
        if not self.f.interleaved:
            return np.zeros(len(js))
        zp, ep = self.f.zh_para, self.f.en_para
        zp0, zp1 = zp[i - a], zp[i - 1]
        ep0, ep1 = ep[js - b], ep[js - 1]
        # one row per member: English members (b, len(js)), Chinese members (a, len(js)) or (a, 1)
        en_members = ep[js[None, :] - b + np.arange(b)[:, None]]
        zh_members = zp[np.asarray(i) - a + np.arange(a)[:, None]]
        far = np.concatenate(
            (np.maximum(en_members - zp1, zp0 - en_members), np.maximum(zh_members - ep1, ep0 - zh_members))
        )
        return _unit((far - 1) / POSITION_SCALE).sum(axis=0)

    def break_cost(self, a: int, b: int, i: Rows, js: np.ndarray) -> np.ndarray:
        """Paragraph breaks the bead crosses on one side but not the other (two-file input).

        Paragraphs of a translation follow the original's, so a bead whose
        English spans two paragraphs while its Chinese sits in one has glued
        sentences across a boundary the translator kept.
        """
        zh_breaks = self.f.zh_para[i - 1] - self.f.zh_para[i - a]
        en_breaks = self.f.en_para[js - 1] - self.f.en_para[js - b]
        return np.abs(en_breaks - zh_breaks).astype(np.float64)

    # --- BeadCosts ------------------------------------------------------
    def bead_costs(self, a: int, b: int, i: int, j0: int, j1: int) -> np.ndarray:
        """Costs for a row of bead ends, cached per (a, b, row) over the corridor.

        The forward fill and the backward margins ask for the same beads, so
        each is computed once.
        """
        if a == 0 or b == 0:
            return self._skip_cost(a, b, i, np.arange(j0, j1))
        key = (a, b, i)
        hit = self._cost_cache.get(key)
        if hit is None and self._cached < COST_CACHE_FLOATS:
            start, stop = max(int(self._lo[i]), b), int(self._hi[i])
            if start < stop:
                hit = (start, self._bead_costs(a, b, i, start, stop))
                self._cost_cache[key] = hit
                self._cached += stop - start
        if hit is not None and hit[0] <= j0 and j1 <= hit[0] + len(hit[1]):
            return hit[1][j0 - hit[0] : j1 - hit[0]]
        return self._bead_costs(a, b, i, j0, j1)

    def cell_costs(self, bead_types: Sequence[BeadType], corridor: Corridor) -> np.ndarray | None:
        """Costs of each bead type ending at every cell of ``corridor``: (types, cells), inf where none ends.

        The whole corridor in a few numpy operations per bead type instead of a
        few per row; None when that would hold more than COST_CACHE_FLOATS
        values (the DP then asks row by row).  Values equal :meth:`bead_costs`.
        """
        rows, cols = corridor.cell_coordinates()
        if len(bead_types) * len(rows) > COST_CACHE_FLOATS:
            return None
        same = corridor is self.corridor
        out = np.full((len(bead_types), len(rows)), INF)
        for k, (a, b) in enumerate(bead_types):
            ok = (rows >= a) & (cols >= b)
            if a == 0 or b == 0:
                out[k, ok] = self._skip_cost(a, b, rows[ok], cols[ok])
                continue
            values = self._cell_cache.get((a, b)) if same else None
            if values is None:
                values = self._costs_by_chunk(a, b, rows, cols, corridor.starts)
                if same and self._cached + len(values) <= COST_CACHE_FLOATS:
                    self._cell_cache[(a, b)] = values
                    self._cached += len(values)
            out[k, ok] = values
        return out

    def _costs_by_chunk(self, a: int, b: int, rows: np.ndarray, cols: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """:meth:`_costs_at` for the cells where a bead (a, b) can end, whole rows of about CHUNK_CELLS at a time.

        The cost components make a dozen temporaries each as long as their input:
        chunks bound them on a long document's wide corridor.
        """
        bounds = np.unique(np.append(starts[np.searchsorted(starts, np.arange(0, len(rows), CHUNK_CELLS), "right") - 1],
                                     len(rows)))
        parts = []
        for s, e in zip(bounds[:-1], bounds[1:]):
            r, c = rows[s:e], cols[s:e]
            ok = (r >= a) & (c >= b)
            parts.append(self._costs_at(a, b, r[ok], c[ok]))
        return np.concatenate(parts) if parts else np.zeros(0)

    def _bead_costs(self, a: int, b: int, i: int, j0: int, j1: int) -> np.ndarray:
        return self._costs_at(a, b, i, np.arange(j0, j1))

    def _costs_at(self, a: int, b: int, i: Rows, js: np.ndarray) -> np.ndarray:
        """Costs of beads (a, b) ending at row(s) ``i``, columns ``js`` (``i >= a``, ``js >= b``)."""
        cost = -self.w.lexical * self.lexsim(a, b, i, js)
        if self._zemb is not None:
            cost -= self.w.embedding * _by_row(lambda row, cols: self.embsim(a, b, row, cols), i, js)
        cost += self.w.length * self.length_cost(a, b, i, js)
        if self.f.interleaved:
            cost += self.w.position * self.position_cost(a, b, i, js)
        elif self.w.paragraph and a + b > 2:
            cost += self.w.paragraph * self.break_cost(a, b, i, js)
        cost += self.w.merge * (a + b - 2)
        if self.w.member and self.member_floor > 0 and a + b > 2:
            cost += self.w.member * self.member_shortfall(a, b, i, js)
        return cost

    def similarity(self, span: Span) -> float:
        """The weighted evidence of a bead, w_lex·lexsim + w_emb·embsim (0 for unmatched)."""
        i0, i1, j0, j1 = span
        if i1 == i0 or j1 == j0:
            return 0.0
        return float(self.pair_similarity(i1 - i0, j1 - j0, i1, np.array([j1]))[0])

    def pair_similarity(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        """w_lex·lexsim + w_emb·embsim of the blocks zh [i-a, i) × en [j-b, j), one per column in ``js``."""
        sim = self.w.lexical * self.lexsim(a, b, i, js)
        if self._zemb is not None:
            sim = sim + self.w.embedding * self.embsim(a, b, i, js)
        return sim

    def _skip_cost(self, a: int, b: int, i: Rows, js: np.ndarray) -> np.ndarray:
        zh = self._skip_zh_cum[i] - self._skip_zh_cum[i - a]
        return zh + (self._skip_en_cum[js] - self._skip_en_cum[js - b])

    def span_cost(self, span: Span) -> float:
        i0, i1, j0, j1 = span
        if i1 > i0 and j1 > j0:
            return float(self._bead_costs(i1 - i0, j1 - j0, i1, j1, j1 + 1)[0])
        return float(self._skip_cost(i1 - i0, j1 - j0, i1, np.array([j1]))[0])


def _cumulative_overlaps(
    index: OverlapIndex, zh: Sequence[ZhEvidence], c0: np.ndarray, size: np.ndarray, start: np.ndarray
) -> np.ndarray:
    """For each Chinese sentence r, 0 then the running overlap with English ``c0[r] ..``, ``size[r]`` of them,
    laid end to end from ``start[r]`` (one array, not one per sentence).
    """
    out = np.zeros(int(start[-1] + size[-1] + 1) if len(zh) else 0)
    for r, z in enumerate(zh):
        lo, n = int(c0[r]), int(size[r])
        out[start[r] + 1 : start[r] + 1 + n] = np.cumsum(np.bincount(index.hits(z, lo, lo + n) - lo, minlength=n))
    return out


def _by_row(per_row: Callable[[int, np.ndarray], np.ndarray], i: Rows, js: np.ndarray) -> np.ndarray:
    """``per_row(i, js)`` for one row, or row by row for an array of rows sorted by row.

    Embedding similarities go through a matrix product whose rounding may depend
    on how many columns it sees, so each row is computed over the same columns as
    a row-by-row caller would ask for.
    """
    if isinstance(i, (int, np.integer)):
        return per_row(int(i), js)
    out = np.empty(len(js))
    edges = np.flatnonzero(np.diff(i)) + 1
    for s, e in zip([0, *edges], [*edges, len(js)]):
        if e > s:
            out[s:e] = per_row(int(i[s]), js[s:e])
    return out


def estimate_length_model(
    feats: SentenceFeatures, spans: Sequence[Span], sims: Sequence[float], floor: float = 0.2
) -> tuple[float, float] | None:
    """Length ratio and variance from the confident beads of a first pass.

    Uses beads with both sides whose lexical similarity is at least ``floor``;
    returns None when there are too few to trust (then priors stay).
    """
    zs: list[float] = []
    es: list[float] = []
    for (i0, i1, j0, j1), sim in zip(spans, sims):
        if i1 > i0 and j1 > j0 and sim >= floor:
            zs.append(float(feats.zh_len[i0:i1].sum()))
            es.append(float(feats.en_len[j0:j1].sum()))
    if len(zs) < 5:
        return None
    z = np.asarray(zs)
    e = np.asarray(es)
    ratio = float(np.median(e / np.maximum(z, 1.0)))
    ratio = min(max(ratio, 1.0), 12.0)
    en_scaled = e / ratio
    mean = np.maximum((z + en_scaled) / 2.0, 1.0)
    resid = (en_scaled - z) ** 2 / mean
    # trim the worst 10 % so one bad bead does not inflate the variance
    resid = np.sort(resid)[: max(1, int(len(resid) * 0.9))]
    variance = float(min(max(resid.mean(), 0.5), 20.0))
    return ratio, variance
