"""Combined inputs: each document aligned on its own, the results joined into one alignment.

When a text holds several documents (``BilingualText.parts``, found by
text.boundaries), the k-th Chinese document is aligned with the k-th English
one only: the boundaries are hard anchors, so no bead ever pairs sentences of
two different articles, however well their positions or lengths would fit.
Each document is aligned by ``align_text`` (whole, or in windows when long,
with its own length model and skip cost); the beads are shifted into place
and the result is one ``Alignment`` over all the sentences, beads in order.
A text of one document is aligned exactly as ``align_text`` aligns it.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

from npfterm.alignment.document import AlignOptions, NotParallelWarning, _warn_if_not_parallel, align_text
from npfterm.models import Alignment, Bead, BilingualText, Sentence
from npfterm.text.lexicon import Lexicon, load_cedict

__all__ = ["align_documents", "document_spans"]


def document_spans(text: BilingualText) -> list[tuple[int, int, int, int]]:
    """``(i0, i1, j0, j1)`` per document: its Chinese sentences ``[i0, i1)`` and English ``[j0, j1)``."""
    starts = [(0, 0), *text.parts]
    ends = [*text.parts, (len(text.zh), len(text.en))]
    return [(i0, i1, j0, j1) for (i0, j0), (i1, j1) in zip(starts, ends)]


def align_documents(
    text: BilingualText, options: AlignOptions = AlignOptions(), lexicon: Lexicon | None = None
) -> Alignment:
    """Align ``text`` document by document, never across a boundary; one text is one ``align_text``."""
    if not text.parts:
        return align_text(text, options, lexicon)
    base = lexicon or load_cedict()
    results: list[Alignment] = []
    with warnings.catch_warnings():  # said once below, for the whole text
        warnings.simplefilter("ignore", NotParallelWarning)
        for i0, i1, j0, j1 in document_spans(text):
            part = BilingualText(text.zh[i0:i1], text.en[j0:j1], text.interleaved, text.source)
            results.append(align_text(part, options, base))
    zh: list[Sentence] = []
    en: list[Sentence] = []
    beads: list[Bead] = []
    for result in results:
        di, dj = len(zh), len(en)
        beads.extend(b.shifted(di, dj) for b in result.beads)
        zh.extend(_renumbered(result.zh, di))
        en.extend(_renumbered(result.en, dj))
    _warn_if_not_parallel(beads, text.source)
    return Alignment(tuple(zh), tuple(en), tuple(beads), results[0].info, text.source)


def _renumbered(sentences: tuple[Sentence, ...], base: int) -> list[Sentence]:
    """A document's sentences indexed from ``base`` on (their index within the whole text)."""
    return [s if s.index == base + k else replace(s, index=base + k) for k, s in enumerate(sentences)]
