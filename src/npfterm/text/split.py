"""Segments → sentences, with one rule set per language.

Splitting only ever cuts text and trims whitespace at the cut, so the
sentences of a segment, joined, are the segment minus whitespace: nothing is
lost or invented.  A sentence never spans two segments.

Where the rules cannot tell (a period after a token shaped like an
abbreviation, before a capital: "… the U.S. The storm …", "Redwood Inc. The") the
sentence is not cut but carries a *soft cut* there; the aligner keeps it only
when the other language's sentences support it (alignment/soft.py).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from npfterm.models import Lang, Segment, Sentence

__all__ = [
    "ABBREVIATIONS",
    "ATTRIBUTION_MAX_CHARS",
    "BEFORE_NUMBER_ABBREVIATIONS",
    "LEADING_ABBREVIATIONS",
    "SOFT_MIN_WORDS",
    "split_en",
    "split_en_soft",
    "split_segment",
    "split_segments_as",
    "split_sentences",
    "split_zh",
]

# Lead into what follows, so never end a sentence: titles, Latin shorthands.
LEADING_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "messrs", "gen", "gov", "sen", "rep",
        "lt", "col", "capt", "rev", "hon", "vs", "e.g", "i.e", "cf", "approx",
    }
)  # fmt: skip
# Not ended by the rules alone: the leading ones, and name and company forms that may end a
# sentence ("… called Redwood Inc. The company …"), where the other language decides (soft cuts).
ABBREVIATIONS = LEADING_ABBREVIATIONS | {"jr", "sr", "co", "ltd", "inc", "corp", "bros"}
# End a sentence unless a number follows: "Jan. 29", "No. 5", "Fig. 3".
BEFORE_NUMBER_ABBREVIATIONS = frozenset(
    {
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "no", "nos", "vol", "fig", "art", "sec", "ch",
    }
)  # fmt: skip

_IDEOGRAPH = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"
_ZH_CLOSERS = "”’」』）)】》〉\"'»"
# 。！？ (and ASCII ! ?), ellipses, or ASCII '.' right after a Han character;
# closing quotes and brackets after the mark stay with the sentence.
_ZH_END = re.compile(rf"(?:[。！？!?…⋯]+|(?<={_IDEOGRAPH})\.+)[{_ZH_CLOSERS}]*")
# . ! ? … (and closing quotes/brackets), whitespace, then the next sentence's
# first character (looked at, not consumed).
_ZH_QUOTE_CLOSERS = "”」』\""
_ZH_QUOTE_OPENERS = "“「『\""
#: Longest clause after a quotation taken for its attribution ("他说。", "该团体的声明宣称。").
ATTRIBUTION_MAX_CHARS = 12
_EN_END = re.compile(r"""(?P<mark>[.!?…]+)["'”’)\]»]*(?=\s+["'“‘(\[«]*(?P<next>\S))""")
_OPENING = "\"'“‘([«"
_DOTTED_LETTERS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\S*\w\S*")
_INITIAL_START = re.compile(r"[A-Z]\.(?:\s|$)")
#: Fewest words on each side of a soft cut: an initial or a title alone is no sentence.
SOFT_MIN_WORDS = 3
_HARD, _SOFT = "hard", "soft"


def split_zh(text: str) -> list[str]:
    """Split Chinese at 。！？, ellipses and ASCII ! ? (or '.' after a Han character).

    Commas and semicolons never end a sentence.  A quotation that closes its
    own sentence and is followed by a short attribution (“……。”他说。) is one
    sentence with it, as it is in English ("…," he said.).
    """
    cuts = [m.end() for m in _ZH_END.finditer(text)]
    keep = [
        c for k, c in enumerate(cuts) if not _attribution_follows(text, ([0, *cuts])[k], c, cuts[k + 1 : k + 2])
    ]
    return _cut(text, keep)


def _attribution_follows(text: str, start: int, cut: int, following: list[int]) -> bool:
    """The sentence ``[start, cut)`` is a quotation, and what follows up to the next cut is a short attribution."""
    if cut == 0 or text[cut - 1] not in _ZH_QUOTE_CLOSERS or text[start:cut].lstrip()[:1] not in _ZH_QUOTE_OPENERS:
        return False
    end = following[0] if following else len(text)
    clause = text[cut:end].strip()
    return (
        0 < len(clause) <= ATTRIBUTION_MAX_CHARS
        and clause[-1] in "。！？"
        and not any(ch in clause for ch in _ZH_QUOTE_OPENERS)
        and not any(ch in clause for ch in "，,；;：:")
    )


def split_en(text: str) -> list[str]:
    """Split English at . ! ? followed by space and a plausible sentence start.

    Not after abbreviations, initials or dotted acronyms, not inside numbers,
    URLs or e-mail addresses (no space follows the dot), and not before a
    lowercase word (``He asked, "Why?" she said.``).
    """
    return [sentence for sentence, _ in split_en_soft(text)]


def split_en_soft(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """``split_en``'s sentences, each with its soft cuts (offsets into the sentence).

    A soft cut is a period after a token shaped like an abbreviation (dotted
    letters such as U.S. or p.m., a lone capital, an abbreviation that may end
    a sentence such as Inc. or Jr.; never a title) before a capitalised word, with at least SOFT_MIN_WORDS words on each
    side.  Where there are fewer the rules decide alone, as they always did.
    """
    marks = [(m.end(), *_boundary(text, m)) for m in _EN_END.finditer(text)]
    sure = [end for end, kind, _ in marks if kind == _HARD]
    hard: list[int] = []
    soft: list[int] = []
    last = 0
    for end, kind, fallback in marks:
        if kind == _SOFT:
            after = bisect.bisect_right(sure, end)
            stop = sure[after] if after < len(sure) else len(text)
            if _has_words(text, last, end) and _has_words(text, end, stop):
                soft.append(end)
                last = end
                continue
        if kind == _HARD or fallback:
            hard.append(end)
            last = end
    out = []
    for start, end in _spans(text, hard):
        sentence = text[start:end].strip()
        first = start + len(text[start:end]) - len(text[start:end].lstrip())
        inside = soft[bisect.bisect_right(soft, first) : bisect.bisect_left(soft, first + len(sentence))]
        out.append((sentence, tuple(c - first for c in inside)))
    return out


def _has_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds SOFT_MIN_WORDS words (it stops counting there)."""
    for count, _ in enumerate(_WORD.finditer(text, start, end), 1):
        if count >= SOFT_MIN_WORDS:
            return True
    return False


def split_segment(segment: Segment) -> list[str]:
    """One segment's sentences, by its own language's rules."""
    return split_zh(segment.text) if segment.lang == "zh" else split_en(segment.text)


def split_sentences(segments: Iterable[Segment]) -> tuple[list[Sentence], list[Sentence]]:
    """Sentences of each language, in document order, indexed per language from 0."""
    out: dict[Lang, list[Sentence]] = {"zh": [], "en": []}
    for segment in segments:
        sentences = out[segment.lang]
        for text, cuts in _split_marked(segment):
            sentences.append(Sentence(text, segment.lang, len(sentences), segment.paragraph, cuts))
    return out["zh"], out["en"]


def split_segments_as(segments: Iterable[Segment], lang: Lang) -> list[Sentence]:
    """Sentences of a monolingual document: every segment counts as ``lang``.

    Each segment is still split by the rules of the script it is written in,
    so an English heading in a Chinese file is split like English.
    """
    sentences: list[Sentence] = []
    for segment in segments:
        for text, cuts in _split_marked(segment):
            sentences.append(Sentence(text, lang, len(sentences), segment.paragraph, cuts))
    return sentences


def _split_marked(segment: Segment) -> list[tuple[str, tuple[int, ...]]]:
    """One segment's sentences with their soft cuts (Chinese has none)."""
    if segment.lang == "zh":
        return [(text, ()) for text in split_zh(segment.text)]
    return split_en_soft(segment.text)


def _boundary(text: str, match: re.Match[str]) -> tuple[str | None, bool]:
    """Whether a sentence ends at ``match``: surely (hard), perhaps (soft) or not (None),
    and for a soft end, whether the rules alone would end it there."""
    nxt = match.group("next")
    if not nxt.isalnum() or nxt.islower():
        return None, False
    if match.group("mark") != ".":
        return _HARD, True
    word = _word_before(text, match.start()).lstrip(_OPENING)
    ends = _ends_sentence(word, nxt)
    if nxt.isalpha() and _abbreviation_shaped(word) and not _in_name(text, match, word):
        return _SOFT, ends
    return (_HARD if ends else None), ends


def _in_name(text: str, match: re.Match[str], word: str) -> bool:
    """An initial inside a name: after a capitalised word or before another initial ("George W. Bush", "J. R. R.")."""
    if not (len(word) == 1 and word.isupper()):
        return False
    start = match.start() - len(_word_before(text, match.start()))
    while start > 0 and text[start - 1].isspace():
        start -= 1
    before = _word_before(text, start).lstrip(_OPENING)
    after = text[match.end() : match.end() + 8].lstrip()
    return before[:1].isupper() or _INITIAL_START.match(after) is not None


def _abbreviation_shaped(word: str) -> bool:
    """Dotted letters (U.S., p.m.), a single capital (an initial) or a known abbreviation that may end a sentence."""
    key = word.lower()
    if key in LEADING_ABBREVIATIONS:
        return False
    return (
        key in ABBREVIATIONS
        or (len(word) == 1 and word.isupper())
        or _DOTTED_LETTERS.fullmatch(word) is not None
    )


def _ends_sentence(word: str, nxt: str) -> bool:
    key = word.lower()
    if key in ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isupper():  # an initial: "J. K. Rowling"
        return False
    if _DOTTED_LETTERS.fullmatch(word) and word != key:  # U.S., U.K.
        return False
    return not (key in BEFORE_NUMBER_ABBREVIATIONS and word[:1].isupper() and nxt.isdigit())


def _word_before(text: str, end: int) -> str:
    """The whitespace-delimited token ending at ``end``.

    A scan rather than a regex: each token is walked once, so a huge token
    (a URL, a blob) costs linear time, not quadratic.
    """
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _cut(text: str, cuts: list[int]) -> list[str]:
    """Slice at ``cuts``, trim, and fold pieces without a word into a neighbour."""
    return [text[start:end].strip() for start, end in _spans(text, cuts)]


def _spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Spans between ``cuts``, pieces without a word folded into a neighbour.

    A piece of bare punctuation ("……" opening a text) is not a sentence; it
    joins the sentence before it, or after it when it comes first.
    """
    bounds = [0, *(c for c in cuts if 0 < c < len(text)), len(text)]
    spans = [(a, b) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and not _WORD_CHAR.search(text, start, end):
            merged[-1] = (merged[-1][0], end)
        elif len(merged) == 1 and not _WORD_CHAR.search(text, *merged[0]):
            merged[0] = (merged[0][0], end)
        else:
            merged.append((start, end))
    return merged
