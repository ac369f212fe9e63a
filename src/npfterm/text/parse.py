"""Text → language-tagged segments: paragraphs, then script runs.

Takes ``str``, never paths.  A paragraph is a line (hard-wrapped lines are
joined back); a line that mixes scripts is cut where one language gives way
to a substantial run of the other.  Short runs of the other script — a Han
term in English, an acronym in Chinese — and parentheticals stay with the
text around them.  Only whitespace is ever dropped: the segments, joined, are
the input minus its whitespace.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import replace

from npfterm.errors import InputError, LanguageMissingError
from npfterm.models import BilingualText, Lang, Segment, Sentence
from npfterm.text.boundaries import BOUNDARY_BREAKS, DocumentCountWarning, split_documents
from npfterm.text.split import split_segments_as, split_sentences

__all__ = [
    "HAN_EMBED_MAX",
    "HAN_WEIGHT",
    "LATIN_EMBED_MAX_WORDS",
    "ZH_WRAP_MIN",
    "bilingual_from_pair",
    "bilingual_from_sentence_lines",
    "bilingual_from_text",
    "detect_language",
    "paragraphs",
    "parse",
]

# One Han character carries about as much text as three Latin letters
# (English runs ~3 letters per Chinese character in translation).
HAN_WEIGHT = 3.0
# Longest Han run (characters) that stays inside English: a term or a name.
HAN_EMBED_MAX = 10
# Most Latin words that stay inside Chinese: an acronym, a model name, a term.
LATIN_EMBED_MAX_WORDS = 4
# A Chinese line shorter than this was not hard-wrapped.
ZH_WRAP_MIN = 30

# Han script for our purposes: CJK ideographs, kana, hangul, CJK punctuation
# (U+3001–303F; U+3000 is whitespace) and fullwidth forms.
_CJK = (
    "\u2e80-\u2fff\u3001-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff"
    "\ufe10-\ufe1f\ufe30-\ufe6f\uff00-\uffef\U00020000-\U0003ffff"
)
_HAN = f"[{_CJK}]"
# Strong characters: Han, or letters of any other script (Latin in practice).
# Digits, ASCII punctuation, symbols and spaces are neutral.
_STRONG = re.compile(rf"(?P<zh>{_HAN}+)|(?P<en>(?:(?!{_HAN})[^\W\d_])+)")
_PARENS = re.compile(r"[()（）]")
_OPEN_PARENS = "(（"
# A leading "(1)", "(a)", "(iv)", "（一）", "(AI)": a label, not a language switch.
_LABEL = re.compile(r"[(（]\s*(?:[0-9A-Za-z]{1,3}|[ivxlcdmIVXLCDM]{1,6}|[一二三四五六七八九十百零〇]{1,4})\s*[)）]")
# A sentence ends inside a parenthetical: it is a translation, not a gloss.
_SENTENCE_END = re.compile(r"[。！？]|\b[a-z]{2,}[.!?]+[\"'”’]*(?:\s|$)")
_EN_LINE_END = re.compile(r"[.!?:]+[\"'”’)\]]*$")
_ZH_LINE_END = re.compile(r"[。！？!?…⋯」”』）)】》〉：；:;.]$")
_ZH_ITEM_START = re.compile(
    r"[（(]?[一二三四五六七八九十百零〇\d]+[）)、.．]|第[一二三四五六七八九十百零〇\d]+[章节条部篇]"
)
_EN_ITEM_START = re.compile(r"(?:[a-z]|[ivx]+)[.)]\s")
_MASK = "\x00"  # stands in for a parenthetical while looking for script runs


def detect_language(text: str) -> Lang | None:
    """The language with more weighted text: Han × ``HAN_WEIGHT`` vs Latin letters.

    None when the text has neither.
    """
    han, latin = _weights(text)
    if not han and not latin:
        return None
    return "zh" if han * HAN_WEIGHT >= latin else "en"


def parse(text: str) -> list[Segment]:
    """Split text into language-tagged segments, numbered by paragraph."""
    pieces: list[tuple[str, Lang | None, int]] = []
    for index, paragraph in enumerate(paragraphs(text)):
        pieces.extend((piece, lang, index) for piece, lang in _split_scripts(paragraph))
    langs = _fill_languages([lang for _, lang, _ in pieces])
    return [Segment(piece, lang, index) for (piece, _, index), lang in zip(pieces, langs)]


def paragraphs(text: str) -> list[str]:
    """Non-empty lines, with hard-wrapped continuation lines joined back.

    English continuations join with a space, Chinese ones without; a blank
    line always ends a paragraph.
    """
    out: list[str] = []
    parts: list[str] = []  # the open paragraph's lines and joiners
    previous: str | None = None  # its last line
    previous_lang: Lang | None = None
    for raw in text.split("\n"):
        line = raw.strip()
        lang = detect_language(line)
        joiner = _joiner(previous, previous_lang, line, lang) if line else None
        if joiner is None and parts:
            out.append("".join(parts))
            parts.clear()
        if not line:
            previous = previous_lang = None
            continue
        parts.extend((line,) if joiner is None else (joiner, line))
        previous, previous_lang = line, lang
    if parts:
        out.append("".join(parts))
    return out


def bilingual_from_text(text: str, source: str = "") -> BilingualText:
    """One document holding both languages (interleaved paragraphs or lines).

    Several documents separated by boundary markers (text.boundaries) are
    parsed one by one; each boundary cuts both languages at the same point.
    """
    documents = [split_sentences(parse(part)) for part in split_documents(text)]
    spans = [_span(*document) for document in documents]  # one paragraph axis for both languages
    zh, zh_starts = _joined([d[0] for d in documents], spans)
    en, en_starts = _joined([d[1] for d in documents], spans)
    if not zh:
        raise LanguageMissingError("zh", source)
    if not en:
        raise LanguageMissingError("en", source)
    return BilingualText(zh, en, interleaved=True, source=source, parts=tuple(zip(zh_starts, en_starts)))


def bilingual_from_pair(text_a: str, text_b: str, source_a: str = "", source_b: str = "") -> BilingualText:
    """Two monolingual documents in either order; each is split as its own language.

    When both hold the same number of documents (text.boundaries), the k-th of
    one pairs with the k-th of the other.
    """
    (zh_text, zh_source), (en_text, en_source) = _order_pair(text_a, text_b, source_a, source_b)
    zh = [split_segments_as(parse(part), "zh") for part in split_documents(zh_text)]
    en = [split_segments_as(parse(part), "en") for part in split_documents(en_text)]
    return _paired(zh, en, zh_source, en_source)


def bilingual_from_sentence_lines(
    text_a: str, text_b: str, source_a: str = "", source_b: str = ""
) -> BilingualText:
    """Two pre-split documents, one sentence per line, in either order.

    Lines are taken as they are (trimmed; blank lines skipped).  Blank lines
    still number paragraphs, so a sentence's ``paragraph`` is its block.  A
    boundary marker line (text.boundaries) is no sentence: it separates
    documents, as in ``bilingual_from_pair``.
    """
    (zh_text, zh_source), (en_text, en_source) = _order_pair(text_a, text_b, source_a, source_b)
    zh = [_sentence_lines(part, "zh") for part in split_documents(zh_text, underlines=False)]
    en = [_sentence_lines(part, "en") for part in split_documents(en_text, underlines=False)]
    return _paired(zh, en, zh_source, en_source)


# --- documents ----------------------------------------------------------------


def _joined(
    documents: Sequence[Sequence[Sentence]], spans: Sequence[int] | None = None
) -> tuple[tuple[Sentence, ...], list[int]]:
    """The documents' sentences as one sequence, and where each document after the first starts.

    Indices run on.  Document k takes ``spans[k]`` paragraphs (by default as
    many as its sentences reach), and the next one starts ``BOUNDARY_BREAKS``
    paragraphs after its last, so a boundary counts as a strong break.
    """
    out: list[Sentence] = []
    starts: list[int] = []
    offset = 0
    for k, sentences in enumerate(documents):
        if k:
            starts.append(len(out))
        base = len(out)
        out.extend(replace(s, index=base + s.index, paragraph=offset + s.paragraph) for s in sentences)
        span = spans[k] if spans is not None else _span(sentences)
        offset += span + BOUNDARY_BREAKS - 1
    return tuple(out), starts


def _span(*sides: Sequence[Sentence]) -> int:
    """Paragraphs the sentences of one document reach (numbered from 0)."""
    return max((s.paragraph + 1 for side in sides for s in side), default=0)


def _paired(
    zh_documents: Sequence[Sequence[Sentence]], en_documents: Sequence[Sequence[Sentence]], zh_source: str, en_source: str
) -> BilingualText:
    """Two monolingual texts of one or more documents each; paired document by document when the counts agree."""
    zh, zh_starts = _joined(zh_documents)
    en, en_starts = _joined(en_documents)
    parts: tuple[tuple[int, int], ...] = ()
    if len(zh_starts) == len(en_starts):
        parts = tuple(zip(zh_starts, en_starts))
    else:
        warnings.warn(
            f"the Chinese text{_named(zh_source)} holds {_documents(len(zh_documents))} and the English"
            f"{_named(en_source)} {len(en_documents)}, so the documents cannot be paired one to one; "
            "they are aligned as one text, each boundary counting as a paragraph break",
            DocumentCountWarning,
            stacklevel=3,
        )
    return BilingualText(zh, en, interleaved=False, source=_pair_source(zh_source, en_source), parts=parts)


def _documents(count: int) -> str:
    return f"{count} document{'' if count == 1 else 's'}"


def _named(source: str) -> str:
    return f" ({source})" if source else ""


# --- paragraphs ---------------------------------------------------------------


def _joiner(previous: str | None, previous_lang: Lang | None, line: str, lang: Lang | None) -> str | None:
    """How ``line`` joins the paragraph ending in ``previous``; None when it starts a new one."""
    if previous is None or lang is None or lang != previous_lang:
        return None
    if lang == "en":
        return " " if _continues_english(previous, line) else None
    return "" if _continues_chinese(previous, line) else None


def _continues_english(previous: str, line: str) -> bool:
    return line[0].islower() and not _EN_LINE_END.search(previous) and not _EN_ITEM_START.match(line)


def _continues_chinese(previous: str, line: str) -> bool:
    return (
        len(previous) >= ZH_WRAP_MIN
        and not _ZH_LINE_END.search(previous)
        and not _ZH_ITEM_START.match(line)
    )


# --- script runs ----------------------------------------------------------------


def _split_scripts(paragraph: str) -> list[tuple[str, Lang | None]]:
    """Cut one paragraph into (text, language) pieces; None when it has no letters."""
    groups = _paren_groups(paragraph)
    if groups and not paragraph[: groups[0][0]].strip():
        head = _leading_group(paragraph, groups[0])
        if head is not None:
            end = groups[0][1]
            rest = paragraph[end:]
            return [(paragraph[:end].strip(), head), *_split_runs(rest, _shift(groups[1:], -end))]
    return _split_runs(paragraph, groups)


def _leading_group(paragraph: str, group: tuple[int, int]) -> Lang | None:
    """The language of a line-opening parenthetical that is its own segment.

    It is when it is not a label and its language differs from what follows:
    ``(Xi's original words in Chinese) 概括地说…``.
    """
    start, end = group
    if _LABEL.fullmatch(paragraph, start, end):
        return None
    own = detect_language(paragraph[start + 1 : end - 1])
    rest = detect_language(paragraph[end:])
    return own if own is not None and rest is not None and own != rest else None


def _split_runs(text: str, groups: list[tuple[int, int]]) -> list[tuple[str, Lang | None]]:
    """Cut where a substantial run of one script meets a substantial run of the other."""
    glue = [g for g in groups if _is_gloss(text, g)]
    masked = _masked(text, glue)
    runs = _runs(masked)
    if not runs:
        return _nonempty([(text, detect_language(text))])
    anchors = [i for i, run in enumerate(runs) if _substantial(run)]
    if not anchors:
        return _nonempty([(text, detect_language(masked))])
    cuts: list[tuple[int, int, Lang]] = []  # (left end, right start, language of the left side)
    for a, b in zip(anchors, anchors[1:]):
        if runs[a].lang != runs[b].lang:
            t = _boundary(masked, runs, a, b)
            left_end, right_start = _split_gap(text, *_gap(text, runs[t], runs[t + 1]), glue)
            cuts.append((left_end, right_start, runs[a].lang))
    pieces: list[tuple[str, Lang | None]] = []
    start = 0
    for left_end, right_start, lang in cuts:
        pieces.append((text[start:left_end], lang))
        start = right_start
    pieces.append((text[start:], runs[anchors[-1]].lang))
    return _nonempty(pieces)


class _Run:
    """A stretch of one script's strong characters (neutrals inside included)."""

    __slots__ = ("lang", "start", "end", "size")

    def __init__(self, lang: Lang, start: int, end: int, size: int) -> None:
        self.lang = lang
        self.start = start
        self.end = end
        self.size = size  # Han characters, or Latin words


def _runs(text: str) -> list[_Run]:
    runs: list[_Run] = []
    for m in _STRONG.finditer(text):
        lang: Lang = "zh" if m.lastgroup == "zh" else "en"
        size = len(m.group()) if lang == "zh" else 1
        if runs and runs[-1].lang == lang:
            runs[-1].end = m.end()
            runs[-1].size += size
        else:
            runs.append(_Run(lang, m.start(), m.end(), size))
    return runs


def _substantial(run: _Run) -> bool:
    limit = HAN_EMBED_MAX if run.lang == "zh" else LATIN_EMBED_MAX_WORDS
    return run.size > limit


def _boundary(text: str, runs: list[_Run], a: int, b: int) -> int:
    """Where to cut between anchors of different languages: the index of the left run.

    Minor runs between them go with the text before, unless a sentence ends
    earlier: the last language change after a sentence end wins.
    """
    changes = [t for t in range(a, b) if runs[t].lang == runs[a].lang and runs[t + 1].lang == runs[b].lang]
    ended = [t for t in changes if _has_end(text[runs[t].end - 1 : runs[t + 1].start])]
    return (ended or changes)[-1]


def _has_end(text: str) -> bool:
    return any(ch in "。！？.!?…" for ch in text)


def _gap(text: str, left: _Run, right: _Run) -> tuple[int, int]:
    """The neutral stretch between two runs, widened over CJK punctuation that
    faces the other way: a fullwidth opening bracket ending a Han run belongs
    to what follows, a fullwidth closing one starting it to what precedes.
    """
    end, start = left.end, right.start
    if left.lang == "zh":
        while end > left.start and _is_opening(text[end - 1]):
            end -= 1
    if right.lang == "zh":
        while start < right.end and _is_closing(text[start]):
            start += 1
    return end, start


def _split_gap(text: str, end: int, start: int, glue: list[tuple[int, int]]) -> tuple[int, int]:
    """Share the neutral gap ``text[end:start]`` between the runs on either side.

    Parentheticals and closing punctuation go left, opening punctuation and
    what follows the space go right; the whitespace between is dropped.
    """
    pos = end
    last = bisect.bisect_right(glue, (start, start)) - 1  # the last gloss starting in the gap
    if last >= 0 and glue[last][0] >= end and glue[last][1] <= start:
        pos = glue[last][1]
    gap = text[pos:start]
    spaces = [i for i, ch in enumerate(gap) if ch.isspace()]
    if spaces:
        openers = [i for i, ch in enumerate(gap[: spaces[0]]) if _is_opening(ch)]
        left = openers[0] if openers else spaces[0]
        right = left
        while right < len(gap) and gap[right].isspace():
            right += 1
        return pos + left, pos + right
    left = 0
    while left < len(gap) and _is_closing(gap[left]):
        left += 1
    return pos + left, pos + left


def _is_opening(ch: str) -> bool:
    return unicodedata.category(ch) in ("Ps", "Pi")


def _is_closing(ch: str) -> bool:
    return unicodedata.category(ch) in ("Pe", "Pf", "Po")


def _paren_groups(text: str) -> list[tuple[int, int]]:
    """Outermost balanced (…) / （…） groups as (start, end) spans."""
    groups: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for m in _PARENS.finditer(text):
        if m.group() in _OPEN_PARENS:
            if depth == 0:
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                groups.append((start, m.end()))
    return groups


def _is_gloss(text: str, group: tuple[int, int]) -> bool:
    """A parenthetical that belongs to the text before it: a name, a term, a gloss.

    One holding a whole sentence of substance is a translation; its script
    runs count like any others.
    """
    inner = text[group[0] + 1 : group[1] - 1]
    return not (_SENTENCE_END.search(inner) and any(_substantial(run) for run in _runs(inner)))


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(_MASK * (end - start))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _shift(spans: list[tuple[int, int]], by: int) -> list[tuple[int, int]]:
    return [(start + by, end + by) for start, end in spans]


def _nonempty(pieces: list[tuple[str, Lang | None]]) -> list[tuple[str, Lang | None]]:
    return [(piece.strip(), lang) for piece, lang in pieces if piece.strip()]


def _fill_languages(langs: list[Lang | None]) -> list[Lang]:
    """Pieces without letters (numbers, rules) take the next piece's language.

    Failing that the previous one's, failing that English.
    """
    following: list[Lang | None] = []
    nearest: Lang | None = None
    for lang in reversed(langs):
        nearest = lang or nearest
        following.append(nearest)
    out: list[Lang] = []
    previous: Lang = "en"
    for lang in reversed(following):
        previous = lang or previous
        out.append(previous)
    return out


def _weights(text: str) -> tuple[int, int]:
    """(Han characters, Latin letters) in ``text``."""
    han = latin = 0
    for m in _STRONG.finditer(text):
        if m.lastgroup == "zh":
            han += len(m.group())
        else:
            latin += len(m.group())
    return han, latin


# --- pairs --------------------------------------------------------------------


def _order_pair(text_a: str, text_b: str, source_a: str, source_b: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """((Chinese text, its source), (English text, its source)), whatever the order given."""
    name_a = source_a or "the first input"
    name_b = source_b or "the second input"
    lang_a = detect_language(text_a)
    lang_b = detect_language(text_b)
    for lang, name in ((lang_a, name_a), (lang_b, name_b)):
        if lang is None:
            raise InputError(f"{name} has no Chinese or English text; give one Chinese and one English file")
    if lang_a == lang_b:
        missing: Lang = "en" if lang_a == "zh" else "zh"
        both = "Chinese" if lang_a == "zh" else "English"
        raise LanguageMissingError(missing, f"{name_a} or {name_b} (both are {both})")
    if lang_a == "zh":
        return (text_a, source_a), (text_b, source_b)
    return (text_b, source_b), (text_a, source_a)


def _pair_source(zh_source: str, en_source: str) -> str:
    return " + ".join(s for s in (zh_source, en_source) if s)


def _sentence_lines(text: str, lang: Lang) -> tuple[Sentence, ...]:
    sentences: list[Sentence] = []
    block = 0
    blank = False
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            blank = True
            continue
        if blank and sentences:
            block += 1
        blank = False
        sentences.append(Sentence(line, lang, len(sentences), block))
    return tuple(sentences)
