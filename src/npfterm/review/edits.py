"""Edits on beads: merge, split, move, unmatch, split a sentence — pure functions, shared by page and CLI.

A :class:`Draft` is a document under review: its sentences per language and
its beads in document order.  Every edit returns a new draft; the beads it
makes carry the evidence ``reviewed`` and the score 1.0 (a person confirmed
them).  Beads stay monotone: each language's sentences appear in order, each
exactly once, which :func:`check` verifies.  An edit that cannot apply raises
:class:`~npfterm.errors.EditError` with a message a user can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, Mapping

from npfterm.errors import EditError
from npfterm.models import Alignment, Bead, Lang, RunInfo, Sentence

REVIEWED = "reviewed"
Direction = Literal[-1, 1]


@dataclass(frozen=True, slots=True)
class Draft:
    """A document under review: sentences per language and beads over their indices."""

    zh: tuple[Sentence, ...]
    en: tuple[Sentence, ...]
    beads: tuple[Bead, ...]

    def sentences(self, lang: Lang) -> tuple[Sentence, ...]:
        return self.zh if lang == "zh" else self.en

    def bead_of(self, lang: Lang, index: int) -> int:
        """Position of the bead holding sentence ``index`` of ``lang``."""
        for pos, bead in enumerate(self.beads):
            if index in _side(bead, lang):
                return pos
        raise EditError(f"there is no {lang} sentence {index}")

    def to_alignment(self, info: RunInfo, source: str = "") -> Alignment:
        return Alignment(self.zh, self.en, self.beads, info, source)


def from_alignment(alignment: Alignment) -> Draft:
    return Draft(alignment.zh, alignment.en, alignment.beads)


def reviewed(zh: tuple[int, ...], en: tuple[int, ...]) -> Bead:
    """A bead a person made or confirmed."""
    return Bead(tuple(zh), tuple(en), 1.0, REVIEWED)


def _side(bead: Bead, lang: Lang) -> tuple[int, ...]:
    return bead.zh if lang == "zh" else bead.en


def _with_side(bead_zh: tuple[int, ...], bead_en: tuple[int, ...], lang: Lang, ids: tuple[int, ...]) -> Bead:
    return reviewed(ids, bead_en) if lang == "zh" else reviewed(bead_zh, ids)


def _bead_index(draft: Draft, pos: int) -> int:
    if not 0 <= pos < len(draft.beads):
        raise EditError(f"there is no bead {pos + 1}; the document has {len(draft.beads)}")
    return pos


def _splice(draft: Draft, start: int, stop: int, new: list[Bead]) -> Draft:
    """Replace beads[start:stop] by ``new`` (empty beads dropped)."""
    beads = draft.beads[:start] + tuple(b for b in new if b.zh or b.en) + draft.beads[stop:]
    return replace(draft, beads=beads)


# -- bead edits ---------------------------------------------------------------------


def merge(draft: Draft, pos: int, direction: Direction = 1) -> Draft:
    """Merge bead ``pos`` with the next (``direction`` 1) or previous (-1) one."""
    _bead_index(draft, pos)
    other = pos + direction
    if not 0 <= other < len(draft.beads):
        raise EditError(f"bead {pos + 1} has no {'next' if direction == 1 else 'previous'} bead to merge with")
    first, second = sorted((pos, other))
    a, b = draft.beads[first], draft.beads[second]
    return _splice(draft, first, second + 1, [reviewed(a.zh + b.zh, a.en + b.en)])


def split_bead(draft: Draft, pos: int, zh_cut: int, en_cut: int) -> Draft:
    """Split bead ``pos`` in two: its first ``zh_cut`` Chinese and ``en_cut`` English sentences, and the rest."""
    bead = draft.beads[_bead_index(draft, pos)]
    if not (0 <= zh_cut <= len(bead.zh) and 0 <= en_cut <= len(bead.en)):
        raise EditError(f"bead {pos + 1} has {len(bead.zh)} Chinese and {len(bead.en)} English sentences; cannot cut it there")
    head = reviewed(bead.zh[:zh_cut], bead.en[:en_cut])
    tail = reviewed(bead.zh[zh_cut:], bead.en[en_cut:])
    if not (head.zh or head.en) or not (tail.zh or tail.en):
        raise EditError(f"splitting bead {pos + 1} there leaves one part empty; choose a cut inside it")
    return _splice(draft, pos, pos + 1, [head, tail])


def split_even(draft: Draft, pos: int, lang: Lang, index: int) -> Draft:
    """Split bead ``pos`` after sentence ``index`` of ``lang``; the other language is cut in proportion.

    The page's one-key split: on a 2-2 bead after the first Chinese sentence
    gives two 1-1 beads.
    """
    bead = draft.beads[_bead_index(draft, pos)]
    side, other = _side(bead, lang), _side(bead, "en" if lang == "zh" else "zh")
    if index not in side:
        raise EditError(f"{lang} sentence {index} is not in bead {pos + 1}")
    cut = side.index(index) + 1
    if cut == len(side):
        raise EditError(f"{lang} sentence {index} is the last of its bead; split after an earlier sentence")
    other_cut = round(len(other) * cut / len(side))
    if lang == "zh":
        return split_bead(draft, pos, cut, other_cut)
    return split_bead(draft, pos, other_cut, cut)


# -- sentence edits -----------------------------------------------------------------


def _edge(draft: Draft, lang: Lang, index: int) -> tuple[int, Bead, tuple[int, ...]]:
    pos = draft.bead_of(lang, index)
    bead = draft.beads[pos]
    return pos, bead, _side(bead, lang)


def move(draft: Draft, lang: Lang, index: int, direction: Direction) -> Draft:
    """Move a sentence into the previous (-1) or next (1) bead; it must be the first or last of its side."""
    pos, bead, side = _edge(draft, lang, index)
    if direction == -1 and side[0] != index:
        raise EditError(f"only the first {lang} sentence of a bead can move to the previous bead")
    if direction == 1 and side[-1] != index:
        raise EditError(f"only the last {lang} sentence of a bead can move to the next bead")
    target = pos + direction
    if not 0 <= target < len(draft.beads):
        raise EditError(f"bead {pos + 1} has no {'previous' if direction == -1 else 'next'} bead")
    rest = tuple(i for i in side if i != index)
    neighbour = draft.beads[target]
    moved = _side(neighbour, lang) + (index,) if direction == -1 else (index,) + _side(neighbour, lang)
    new_self = _with_side(bead.zh, bead.en, lang, rest)
    new_other = _with_side(neighbour.zh, neighbour.en, lang, moved)
    if direction == -1:
        return _splice(draft, target, pos + 1, [new_other, new_self])
    return _splice(draft, pos, target + 1, [new_self, new_other])


def unmatch(draft: Draft, lang: Lang, index: int) -> Draft:
    """Take a sentence out of its bead as an unmatched one, before (first) or after (last) the rest."""
    pos, bead, side = _edge(draft, lang, index)
    other = _side(bead, "en" if lang == "zh" else "zh")
    if not other and len(side) == 1:
        raise EditError(f"{lang} sentence {index} is already unmatched")
    alone = _with_side((), (), lang, (index,))
    rest = _with_side(bead.zh, bead.en, lang, tuple(i for i in side if i != index))
    if side[0] == index:
        return _splice(draft, pos, pos + 1, [alone, rest])
    if side[-1] == index:
        return _splice(draft, pos, pos + 1, [rest, alone])
    raise EditError(
        f"{lang} sentence {index} is in the middle of its bead; unmatch or move the sentences before or after it first"
    )


def split_sentence(draft: Draft, lang: Lang, index: int, offset: int) -> Draft:
    """Cut sentence ``index`` at character ``offset`` into two sentences of the same bead (fixes segmentation).

    Later sentences of that language are renumbered, in the beads too.
    """
    sentences = draft.sentences(lang)
    if not 0 <= index < len(sentences):
        raise EditError(f"there is no {lang} sentence {index}")
    text = sentences[index].text
    head, tail = text[:offset].strip(), text[offset:].strip()
    if not 0 < offset < len(text) or not head or not tail:
        raise EditError(f"cut {lang} sentence {index} inside its text, not at its start or end")
    old = sentences[index]
    out: list[Sentence] = list(sentences[:index])
    out.append(Sentence(head, lang, index, old.paragraph))
    out.append(Sentence(tail, lang, index + 1, old.paragraph))
    out.extend(Sentence(s.text, lang, s.index + 1, s.paragraph) for s in sentences[index + 1 :])
    pos = draft.bead_of(lang, index)

    def shift(ids: tuple[int, ...]) -> tuple[int, ...]:
        new: list[int] = []
        for i in ids:
            new.extend((i, i + 1) if i == index else (i + 1 if i > index else i,))
        return tuple(new)

    beads: list[Bead] = []
    for n, b in enumerate(draft.beads):
        zh = shift(b.zh) if lang == "zh" else b.zh
        en = shift(b.en) if lang == "en" else b.en
        beads.append(reviewed(zh, en) if n == pos else replace(b, zh=zh, en=en))
    sents = tuple(out)
    return Draft(sents if lang == "zh" else draft.zh, sents if lang == "en" else draft.en, tuple(beads))


def confirm(draft: Draft, positions: tuple[int, ...] | None = None) -> Draft:
    """Mark beads reviewed as they are (all of them when ``positions`` is None): the document is checked."""
    chosen = set(range(len(draft.beads)) if positions is None else positions)
    for pos in chosen:
        _bead_index(draft, pos)
    beads = tuple(reviewed(b.zh, b.en) if n in chosen else b for n, b in enumerate(draft.beads))
    return replace(draft, beads=beads)


def check(draft: Draft) -> None:
    """EditError unless every sentence of each language is in exactly one bead, in order, and no bead is empty."""
    for lang in ("zh", "en"):
        ids = [i for b in draft.beads for i in _side(b, lang)]  # type: ignore[arg-type]
        if ids != list(range(len(draft.sentences(lang)))):  # type: ignore[arg-type]
            raise EditError(f"the beads do not cover the {lang} sentences once each, in order")
    if any(not b.zh and not b.en for b in draft.beads):
        raise EditError("a bead holds no sentence")


# -- one edit from plain data (the page's JSON, a CLI argument) ----------------------


def _int(op: Mapping[str, object], key: str) -> int:
    value = op.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise EditError(f"the edit needs an integer {key!r}")
    return value


def _lang(op: Mapping[str, object]) -> Lang:
    value = op.get("lang")
    if value not in ("zh", "en"):
        raise EditError("the edit needs 'lang': 'zh' or 'en'")
    return value  # type: ignore[return-value]


def _direction(op: Mapping[str, object]) -> Direction:
    value = _int(op, "direction")
    if value not in (-1, 1):
        raise EditError("'direction' is -1 (previous) or 1 (next)")
    return value  # type: ignore[return-value]


def apply(draft: Draft, op: Mapping[str, object]) -> Draft:
    """Apply one edit given as data, e.g. ``{"op": "unmatch", "lang": "en", "index": 3}``; the result is checked.

    Edits: ``merge`` (bead, direction), ``split`` (bead, lang, index: cut after
    that sentence), ``move`` (lang, index, direction), ``unmatch`` (lang, index),
    ``cut`` (lang, index, offset: split a sentence), ``confirm`` (bead; without
    it, every bead).
    """
    name = op.get("op")
    if name == "merge":
        out = merge(draft, _int(op, "bead"), _direction(op))
    elif name == "split":
        out = split_even(draft, _int(op, "bead"), _lang(op), _int(op, "index"))
    elif name == "move":
        out = move(draft, _lang(op), _int(op, "index"), _direction(op))
    elif name == "unmatch":
        out = unmatch(draft, _lang(op), _int(op, "index"))
    elif name == "cut":
        out = split_sentence(draft, _lang(op), _int(op, "index"), _int(op, "offset"))
    elif name == "confirm":
        out = confirm(draft, None if op.get("bead") is None else (_int(op, "bead"),))
    else:
        raise EditError(f"unknown edit {name!r}; one of: {', '.join(EDITS)}")
    check(out)
    return out


EDITS = ("merge", "split", "move", "unmatch", "cut", "confirm")


#: Beads scored below this are "to check": of hybrid pairs scored 0.8 or more, about 96 % are exactly
#: right on MAC-Dev (README, Quality), below it the share falls quickly.
CHECK_BELOW = 0.8


def to_check(draft: Draft, below: float = CHECK_BELOW) -> list[int]:
    """Positions of beads a person should look at: not yet reviewed, scored below ``below``.

    Pairs come first (a wrong pair goes into the translation memory; an
    unmatched sentence only misses it), each group lowest score first.
    """
    found = [
        (not (b.zh and b.en), b.score, pos)
        for pos, b in enumerate(draft.beads)
        if b.evidence != REVIEWED and b.score < below
    ]
    return [pos for _, _, pos in sorted(found)]
