"""Soft cuts decided by the other language: align the pieces, rejoin what it does not separate.

Where the splitter is unsure whether a sentence ends ("… in the U.S. The
storm …" against "… the U.S. President …") it leaves the sentence whole and
records soft cuts (``Sentence.soft_cuts``).  Here such sentences are cut into
their pieces before aligning.  Afterwards two neighbouring pieces of one
sentence stay apart when they lie in different beads, at least one of them
with a translation: the other language has a sentence for one piece and not
for the other.  Pieces in the same bead are one sentence again, and so are
neighbouring pieces both left without a translation (nothing tells them
apart).  A 1-2 bead over two pieces thus becomes a 1-1 bead.

Pure functions over sentences and beads; ``document.align_text`` calls them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from npfterm.models import Bead, BilingualText, Sentence

__all__ = ["PieceMap", "final_ids", "in_pieces", "rejoin", "rejoin_beads"]


@dataclass(frozen=True)
class PieceMap:
    """Where each piece came from, per language: its sentence and its span in that sentence's text."""

    zh: tuple[tuple[int, int, int], ...]  # (sentence index, start, end) per piece
    en: tuple[tuple[int, int, int], ...]


def _pieces(sentences: Sequence[Sentence]) -> tuple[list[Sentence], list[tuple[int, int, int]]]:
    out: list[Sentence] = []
    spans: list[tuple[int, int, int]] = []
    for k, s in enumerate(sentences):
        bounds = [0, *s.soft_cuts, len(s.text)]
        for a, b in zip(bounds, bounds[1:]):
            out.append(Sentence(s.text[a:b].strip(), s.lang, len(out), s.paragraph))
            spans.append((k, a, b))
    return out, spans


def in_pieces(text: BilingualText) -> tuple[BilingualText, PieceMap | None]:
    """``text`` with every sentence cut at its soft cuts, and where the pieces came from.

    Without soft cuts the text is returned as it is, with no map.
    """
    if not any(s.soft_cuts for s in (*text.zh, *text.en)):
        return text, None
    zh, zh_spans = _pieces(text.zh)
    en, en_spans = _pieces(text.en)
    return BilingualText(tuple(zh), tuple(en), text.interleaved, text.source), PieceMap(tuple(zh_spans), tuple(en_spans))


def final_ids(owner: Sequence[int], bead_of: Sequence[int], two_sided: Sequence[bool]) -> list[int]:
    """Each piece's sentence after rejoining, numbered from 0.

    ``owner[p]`` is the sentence piece ``p`` was cut from, ``bead_of[p]`` the
    bead holding it, ``two_sided[b]`` whether bead ``b`` has both languages.
    A piece starts a new sentence when it starts one of its own sentence, or
    when it lies in another bead than the piece before it and one of the two
    beads has both languages.
    """
    out: list[int] = []
    current = -1
    for p, (k, b) in enumerate(zip(owner, bead_of)):
        if p == 0 or k != owner[p - 1] or (b != bead_of[p - 1] and (two_sided[b] or two_sided[bead_of[p - 1]])):
            current += 1
        out.append(current)
    return out


def rejoin_beads(beads: Sequence[Bead], zh_final: Sequence[int], en_final: Sequence[int]) -> list[Bead] | None:
    """The beads over rejoined sentences; beads sharing a sentence become one.

    ``zh_final``/``en_final`` map pieces to sentences (``final_ids``).  A
    merged bead stands where its two-sided member stood (one-sided beads of
    the other language may pass it) and keeps that member's confidence; a
    merge of unmatched pieces keeps the lowest.  None when the merged beads
    would not be in order on both sides (then the caller keeps every cut).
    """
    parent = list(range(len(beads)))

    def root(b: int) -> int:
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    for side, final in (("zh", zh_final), ("en", en_final)):
        first: dict[int, int] = {}
        for b, bead in enumerate(beads):
            for p in getattr(bead, side):
                f = final[p]
                if f in first:
                    parent[root(b)] = root(first[f])
                else:
                    first[f] = b
    groups: dict[int, list[int]] = {}
    for b in range(len(beads)):
        groups.setdefault(root(b), []).append(b)

    def position(members: list[int]) -> int:
        return next((b for b in members if beads[b].zh and beads[b].en), members[0])

    out: list[Bead] = []
    for members in sorted(groups.values(), key=position):
        paired = [beads[b].score for b in members if beads[b].zh and beads[b].en]
        zh = sorted({zh_final[p] for b in members for p in beads[b].zh})
        en = sorted({en_final[p] for b in members for p in beads[b].en})
        out.append(Bead(tuple(zh), tuple(en), min(paired or [beads[b].score for b in members]), beads[members[0]].evidence))
    for side, final in (("zh", zh_final), ("en", en_final)):
        ids = [i for bead in out for i in getattr(bead, side)]
        if ids != list(range(len(set(final)))):
            return None
    return out


def _sentences(
    originals: Sequence[Sentence], spans: Sequence[tuple[int, int, int]], final: Sequence[int]
) -> tuple[Sentence, ...]:
    """The rejoined sentences: each the stretch of its original's text its pieces cover."""
    out: list[Sentence] = []
    start = 0
    for p, (k, a, b) in enumerate(spans):
        original = originals[k]
        joins = p > 0 and final[p] == final[p - 1]
        start = start if joins else a
        sentence = Sentence(original.text[start:b].strip(), original.lang, final[p], original.paragraph)
        if joins:
            out[-1] = sentence
        else:
            out.append(sentence)
    return tuple(out)


def rejoin(
    original: BilingualText, pieces: PieceMap, beads: Sequence[Bead]
) -> tuple[tuple[Sentence, ...], tuple[Sentence, ...], tuple[Bead, ...]]:
    """Sentences and beads once the pieces the alignment did not separate are one sentence again."""
    zh_bead = _bead_of(beads, "zh", len(pieces.zh))
    en_bead = _bead_of(beads, "en", len(pieces.en))
    two_sided = [bool(b.zh and b.en) for b in beads]
    zh_final = final_ids([k for k, _, _ in pieces.zh], zh_bead, two_sided)
    en_final = final_ids([k for k, _, _ in pieces.en], en_bead, two_sided)
    merged = rejoin_beads(beads, zh_final, en_final)
    if merged is None:  # keep every piece apart
        zh_final, en_final = list(range(len(pieces.zh))), list(range(len(pieces.en)))
        merged = list(beads)
    return _sentences(original.zh, pieces.zh, zh_final), _sentences(original.en, pieces.en, en_final), tuple(merged)


def _bead_of(beads: Sequence[Bead], side: str, size: int) -> list[int]:
    out = [-1] * size
    for b, bead in enumerate(beads):
        for p in getattr(bead, side):
            out[p] = b
    if -1 in out:
        raise ValueError(f"the beads leave a {side} piece out")
    return out
