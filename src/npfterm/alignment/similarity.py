"""Similarity of every Chinese sentence to every English one: the matrix the HTML report draws the path over.

The value of a cell is what the aligner sees in a 1-1 bead of those two
sentences: the share of tokens with a dictionary translation on the other
side and, in hybrid mode, the cosine of the sentence embeddings, combined
with the mode's weights and scaled to [0, 1].  A long document (more than
:data:`MAX_CELLS` cells) gets the cells within :data:`BAND` sentences of the
path only; the others are NaN (not computed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from npfterm.alignment.costs import CostModel
from npfterm.alignment.document import AlignOptions, document_lexicon, sentence_features
from npfterm.alignment.dp import Corridor
from npfterm.models import Alignment, BilingualText
from npfterm.text.lexicon import Lexicon

MAX_CELLS = 2_000_000
BAND = 40


@dataclass(frozen=True)
class SimilarityMatrix:
    """``values[i, j]`` for Chinese sentence i and English sentence j; NaN where not computed."""

    values: np.ndarray
    band: int | None  # None: every cell; else the half-width around the path


def spans(alignment: Alignment) -> list[tuple[int, int, int, int]]:
    """Each bead as (zh start, zh end, en start, en end), ends exclusive, in document order."""
    out: list[tuple[int, int, int, int]] = []
    i = j = 0
    for bead in alignment.beads:
        i0 = bead.zh[0] if bead.zh else i
        j0 = bead.en[0] if bead.en else j
        i, j = i0 + len(bead.zh), j0 + len(bead.en)
        out.append((i0, i, j0, j))
    return out


def similarity_matrix(alignment: Alignment, lexicon: Lexicon | None = None) -> SimilarityMatrix:
    """The similarity of each sentence pair, with the signals of the alignment's mode."""
    from npfterm.text.lexicon import load_cedict

    n, m = len(alignment.zh), len(alignment.en)
    if n == 0 or m == 0:
        return SimilarityMatrix(np.zeros((n, m), dtype=np.float32), None)
    mode = alignment.info.mode if alignment.info.mode in ("hybrid", "lexical") else "hybrid"
    weights = AlignOptions(mode=mode).cost_weights
    text = BilingualText(alignment.zh, alignment.en, source=alignment.source)
    feats = sentence_features(text, document_lexicon(text, lexicon or load_cedict()), embeddings=weights.embedding > 0)
    band = None if n * m <= MAX_CELLS else BAND
    corridor = Corridor.full(n, m) if band is None else Corridor.around(spans(alignment), n, m, band)
    model = CostModel(feats, corridor, ((1, 1),), weights)
    total = weights.lexical + (weights.embedding if feats.zh_emb is not None else 0.0)
    values = np.full((n, m), np.nan, dtype=np.float32)
    for i in range(n):
        start, stop = max(int(corridor.lo[i + 1]), 1), min(int(corridor.hi[i + 1]), m + 1)
        if start >= stop:
            continue
        js = np.arange(start, stop)
        sim = weights.lexical * model.lexsim(1, 1, i + 1, js)
        if feats.zh_emb is not None:
            sim = sim + weights.embedding * np.maximum(model.embsim(1, 1, i + 1, js), 0.0)
        values[i, start - 1 : stop - 1] = np.minimum(sim / max(total, 1e-9), 1.0)
    return SimilarityMatrix(values, band)
