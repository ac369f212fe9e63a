"""Properties of the chain bytes → text → segments → sentences → beads, on arbitrary input.

Inputs mix CJK (BMP and astral ideographs, CJK punctuation, kana, hangul,
fullwidth forms), Latin, Greek and Cyrillic letters, the punctuation the
splitters cut at (。！？.!?“”()（）…), every kind of whitespace and line
break, control characters, combining marks, format and private-use
characters, and anything else Unicode has except surrogates.

What each stage may drop, and nothing else:

* readers: the byte-order mark, CR (line breaks become LF) and NFC
  composition — ``normalise`` documents all three; Markdown markup, but only
  in files named ``*.md``/``*.markdown`` (checked on its own below: it only
  ever deletes, and keeps one output line per input line);
* parser and splitters: whitespace only (their module docstrings say so),
  and the lines that mark document boundaries (text.boundaries), which are
  no text; each document between them is parsed on its own.

So the sentences of a document, taken in document order, are its text once
every whitespace character is removed.  Bytes holding a NUL are refused or
read as BOM-less UTF-16 by design (``readers.decode_bytes``), so text with a
NUL is exempt from the read-back equality, not from "never crashes".

Settings are fixed (``derandomize``) so CI sees the same examples every run.
"""

from __future__ import annotations

import codecs
import math
import re
import tempfile
import unicodedata
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npfterm.alignment.document import MODES, AlignOptions, align_text, confidence
from npfterm.alignment.dp import (
    DEFAULT_BEADS,
    FIRST_PASS_BEADS,
    Corridor,
    bead_family,
    fill,
    margins,
    traceback,
)
from npfterm.errors import InputError, LanguageMissingError
from npfterm.models import BilingualText, Lang, Segment, Sentence
from npfterm.pipeline import load_bilingual
from npfterm.text.parse import (
    bilingual_from_pair,
    bilingual_from_sentence_lines,
    bilingual_from_text,
    detect_language,
    parse,
)
from npfterm.text.boundaries import is_marker, split_documents
from npfterm.text.read import decode_bytes, read_text, remove_invisible, strip_markdown
from npfterm.text.split import split_segment

pytestmark = pytest.mark.slow  # processes, property searches or store-safety loops: run by .ci/run, not by -m "not slow"

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

T = TypeVar("T")

# --- inputs -----------------------------------------------------------------------------

_CJK = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # unified ideographs
    st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),  # extension A
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),  # extension B (astral)
    st.characters(min_codepoint=0x3000, max_codepoint=0x30FF),  # CJK punctuation, kana
    st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),  # fullwidth forms
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7AF),  # hangul
)
_LETTERS = st.one_of(
    st.characters(min_codepoint=0x41, max_codepoint=0x7A),
    st.characters(min_codepoint=0xC0, max_codepoint=0x24F),
    st.characters(min_codepoint=0x370, max_codepoint=0x4FF),
)
_PUNCTUATION = st.sampled_from(list("。！？.!?“”‘’\"'()（）…,，、;；:：—-《》「」[]0123456789%"))
_SPACES = st.sampled_from(list(" \t\n\n\r\u3000\xa0\u2028\u2029\x0b\x0c\x85\x1c"))
_ODD = st.characters(categories=["Cc", "Mn", "Me", "Cf", "Co", "Cn"])  # controls, marks, format, private, unassigned
_ANY = st.characters(exclude_categories=["Cs"])
CHARS = st.one_of(_CJK, _LETTERS, _PUNCTUATION, _SPACES, _ODD, _ANY)
PIECES = st.sampled_from(
    [
        "新质生产力是创新起主导作用的先进生产力质态。",
        "科技创新能够催生新产业！",
        "Sci-tech innovation can generate new industries. ",
        "New productive forces are mainly driven by innovation? ",
        "Mr. ", "U.S. ", "Jan. 5 ", "e.g. ", "(Xi's original words in Chinese) ", "Ltd(西安)", "（AI）",
        "(1) ", "（一）", "……", "“引号”", "\r\n", "\n\n", "  ", "\n---\n", "\n\f\n", "\n</doc>\n",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(CHARS, max_size=200),
    st.lists(st.one_of(PIECES, st.text(CHARS, max_size=6)), max_size=40).map("".join),
)

_WS = re.compile(r"\s+")
_NEWLINES = re.compile(r"\r\n?")


def _bare(text: str) -> str:
    return _WS.sub("", text)


def _or_input_error(call: Callable[[], T]) -> T | None:
    """The call's result, or None when it raised an InputError (any other exception propagates)."""
    try:
        return call()
    except InputError:
        return None


def _in_order(segments: list[Segment], lang: str | None = None) -> list[str]:
    """The sentences of ``segments`` (of one language, or all), in document order."""
    return [t for seg in segments if lang in (None, seg.lang) for t in split_segment(seg)]


def _documents_in_order(text: str, lang: str | None = None) -> list[str]:
    """The sentences of each document of ``text`` (of one language, or all), in order."""
    return [t for part in split_documents(text) for t in _in_order(parse(part), lang)]


def _unmarked(text: str) -> str:
    """``text`` without its boundary marker lines."""
    return "\n".join(line for line in text.split("\n") if not is_marker(line))


def _check_sentences(sentences: tuple[Sentence, ...], lang: str) -> None:
    assert [s.index for s in sentences] == list(range(len(sentences)))
    assert all(s.lang == lang and s.text and s.text == s.text.strip() for s in sentences)
    assert [s.paragraph for s in sentences] == sorted(s.paragraph for s in sentences)


# --- parser and splitters ------------------------------------------------------------------


@PROPERTY
@given(TEXTS)
def test_one_document_loses_nothing_but_whitespace(text: str) -> None:
    segments = parse(text)
    assert _bare("".join(_in_order(segments))) == _bare(text)
    try:
        bilingual = bilingual_from_text(text)
    except LanguageMissingError as error:  # only when that language really is absent
        assert not any(s.lang == error.missing for part in split_documents(text) for s in parse(part))
        return
    for lang, sentences in (("zh", bilingual.zh), ("en", bilingual.en)):
        # each side is the document's sentences of that language, in document order
        assert [s.text for s in sentences] == _documents_in_order(text, lang)
        _check_sentences(sentences, lang)


@pytest.mark.filterwarnings("ignore::npfterm.text.boundaries.DocumentCountWarning")
@PROPERTY
@given(TEXTS, TEXTS)
def test_two_documents_lose_nothing_but_whitespace(text_a: str, text_b: str) -> None:
    pair = _or_input_error(lambda: bilingual_from_pair(text_a, text_b))
    if pair is not None:  # each side is one document's sentences, in order, whatever language they are in
        zh_doc, en_doc = (text_a, text_b) if detect_language(text_a) == "zh" else (text_b, text_a)
        for sentences, doc, lang in ((pair.zh, zh_doc, "zh"), (pair.en, en_doc, "en")):
            assert [s.text for s in sentences] == _documents_in_order(doc)
            assert _bare("".join(s.text for s in sentences)) == _bare(_unmarked(doc))
            _check_sentences(sentences, lang)
    lines = _or_input_error(lambda: bilingual_from_sentence_lines(text_a, text_b))
    if lines is not None:  # each side is one input's non-blank lines, trimmed, as given
        sides = sorted([tuple(s.text for s in lines.zh), tuple(s.text for s in lines.en)])
        assert sides == sorted(
            tuple(line.strip() for line in t.split("\n") if line.strip() and not is_marker(line)) for t in (text_a, text_b)
        )


# --- readers ---------------------------------------------------------------------------------

UNICODE_FILES: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16-le-bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-32-le-bom": lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le"),
}


def _as_read(text: str) -> str:
    """What reading must give for a text written in a Unicode encoding: its BOM
    gone, CR and CRLF → LF, invisible format characters (zero-width, bidi
    controls, U+FEFF anywhere) gone, NFC.  Everything else as written."""
    text = text[1:] if text.startswith("\ufeff") else text
    text = _NEWLINES.sub("\n", text)
    return unicodedata.normalize("NFC", remove_invisible(text))


@PROPERTY
@given(TEXTS, st.sampled_from(sorted(UNICODE_FILES)))
def test_a_text_file_reads_back_as_written_and_its_sentences_keep_every_character(text: str, encoding: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.txt"
        path.write_bytes(UNICODE_FILES[encoding](text))
        read = _or_input_error(lambda: read_text(path))
        if read is None or "\x00" in text:
            return
        assert read == _as_read(text)
        bilingual = _or_input_error(lambda: load_bilingual([str(path)]))
    if bilingual is not None:
        for lang, sentences in (("zh", bilingual.zh), ("en", bilingual.en)):
            assert [s.text for s in sentences] == _documents_in_order(read, lang)
    assert _bare("".join(_in_order(parse(read)))) == _bare(_as_read(text))


_BOMS = st.sampled_from(
    [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE]
)
_CODECS = st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "gb18030", "gbk", "big5hkscs", "cp1252"])
BYTES = st.one_of(
    st.binary(max_size=400),
    st.tuples(_BOMS, st.binary(max_size=200)).map(b"".join),
    # real text in some encoding, then cut anywhere and followed by junk
    st.tuples(TEXTS, _CODECS, st.integers(0, 400), st.binary(max_size=4)).map(
        lambda t: t[0].encode(t[1], errors="ignore")[: t[2]] + t[3]
    ),
)


@PROPERTY
@given(BYTES)
def test_any_bytes_decode_to_text_or_an_input_error(data: bytes) -> None:
    text = _or_input_error(lambda: decode_bytes(data, "x"))
    assert text is None or isinstance(text, str)


_MARKUP = st.sampled_from(
    [
        "# ", "## ", "> ", "- ", "* ", "1. ", "```", "~~~", "---", "***", "===", "[a](http://x)", "![i](p.png)",
        "[r][1]", "[1]: http://x", "<http://a.b>", "<b>", "</b>", "<!--", "-->", "<!-- a\nnote -->", "**", "__", "*", "_", "~~", "`",
        "\\", "\n", "\n\n", "    ", "(", ")", "[", "]", "|", "#",
    ]
)  # fmt: skip
MARKDOWN = st.lists(st.one_of(_MARKUP, st.text(CHARS, max_size=4)), max_size=50).map("".join)


def _is_subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)


@PROPERTY
@given(MARKDOWN)
def test_markdown_stripping_only_deletes_and_keeps_one_line_per_line(text: str) -> None:
    plain = strip_markdown(text)
    assert plain.count("\n") == text.count("\n")
    assert _is_subsequence(_bare(plain), _bare(text))


# --- the aligner -------------------------------------------------------------------------------

_VOCABULARY = st.sampled_from(
    ["innovation", "new", "productive", "forces", "China", "growth", "the", "of", "and", "development", "AI",
     "2024", "5%", "创新", "新质", "生产力", "中国", "增长", "发展", "产业", "人工智能", "经济", "。", "，", "."]
)  # fmt: skip
SENTENCE = st.one_of(
    st.text(CHARS, min_size=1, max_size=80),
    st.lists(_VOCABULARY, min_size=1, max_size=30).map(" ".join),
    st.lists(_VOCABULARY, min_size=1, max_size=30).map("".join),
    st.sampled_from(["", " ", "。", "x" * 1500]),
)


@st.composite
def bilingual_texts(draw: st.DrawFn) -> BilingualText:
    def side(lang: Lang) -> tuple[Sentence, ...]:
        size = draw(st.integers(1, 40))  # drawn first, so long documents are as likely as short ones
        texts = draw(st.lists(SENTENCE, min_size=size, max_size=size))
        steps = draw(st.lists(st.integers(0, 2), min_size=len(texts), max_size=len(texts)))
        paragraphs = np.cumsum(steps).tolist()
        return tuple(Sentence(t, lang, k, p) for k, (t, p) in enumerate(zip(texts, paragraphs)))

    return BilingualText(side("zh"), side("en"), interleaved=draw(st.booleans()), source="random")


def _check_cover(spans: list[tuple[tuple[int, ...], tuple[int, ...]]], n: int, m: int) -> None:
    """Every zh and en index exactly once, in order, each bead a contiguous run, none empty."""
    assert all(zh or en for zh, en in spans)
    assert [i for zh, _ in spans for i in zh] == list(range(n))
    assert [j for _, en in spans for j in en] == list(range(m))


def _check_alignment(text: BilingualText, mode: str) -> None:
    options = AlignOptions(mode=mode)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # random sentences are rightly not parallel
        alignment = align_text(text, options)
    _check_cover([(b.zh, b.en) for b in alignment.beads], len(text.zh), len(text.en))
    assert all((len(b.zh), len(b.en)) in options.bead_types for b in alignment.beads)
    assert all(math.isfinite(b.score) and 0.0 <= b.score <= 1.0 for b in alignment.beads)
    assert len(list(alignment.pairs())) == len(alignment.beads)


@settings(PROPERTY, max_examples=100)
@given(bilingual_texts())
def test_lexical_alignment_covers_every_sentence_once_in_order_with_a_probability_each(text: BilingualText) -> None:
    _check_alignment(text, "lexical")


@settings(PROPERTY, max_examples=20)  # the sentence encoder makes each example slower
@given(bilingual_texts())
def test_hybrid_alignment_covers_every_sentence_once_in_order_with_a_probability_each(text: BilingualText) -> None:
    _check_alignment(text, "hybrid")


class _TableCosts:
    """Seeded random bead costs of one kind: normal, with impossible (inf) beads, huge, all-equal or integer."""

    def __init__(self, n: int, m: int, types: tuple[tuple[int, int], ...], seed: int, kind: str, skip: float) -> None:
        rng = np.random.default_rng(seed)
        shape = (n + 1, m + 1)
        draw = {
            "normal": lambda: rng.normal(0.0, 1.0, shape),
            "impossible": lambda: np.where(rng.random(shape) < 0.5, np.inf, rng.normal(0.0, 1.0, shape)),
            "huge": lambda: rng.normal(0.0, 1e6, shape),
            "ties": lambda: np.zeros(shape),
            "integer": lambda: rng.integers(-3, 3, shape).astype(np.float64),
        }[kind]
        self.table = {ab: draw() for ab in types}
        self.skip = skip

    def bead_costs(self, a: int, b: int, i: int, j0: int, j1: int) -> np.ndarray:
        if a == 0 or b == 0:
            return np.full(j1 - j0, self.skip * (a + b))
        return self.table[(a, b)][i, j0:j1]


@PROPERTY
@given(
    st.integers(0, 12),
    st.integers(0, 12),
    st.sampled_from([DEFAULT_BEADS, FIRST_PASS_BEADS, bead_family(3), bead_family(5)]),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["normal", "impossible", "huge", "ties", "integer"]),
    st.floats(-1.0, 100.0),
    st.sampled_from(["full", "diagonal", "around"]),
    st.integers(0, 4),
)
def test_the_dp_covers_both_sides_on_any_cost_matrix(
    n: int,
    m: int,
    types: tuple[tuple[int, int], ...],
    seed: int,
    kind: str,
    skip: float,
    shape: str,
    width: int,
) -> None:
    costs = _TableCosts(n, m, types, seed, kind, skip)
    if shape == "full":
        corridor = Corridor.full(n, m)
    elif shape == "diagonal":
        corridor = Corridor.diagonal(n, m, width)
    else:
        corridor = Corridor.around(traceback(fill(n, m, costs, FIRST_PASS_BEADS)), n, m, width)
    table = fill(n, m, costs, types, corridor, keep_scores=True)
    spans = traceback(table)
    _check_cover([(tuple(range(i0, i1)), tuple(range(j0, j1))) for i0, i1, j0, j1 in spans], n, m)
    assert all((i1 - i0, j1 - j0) in types for i0, i1, j0, j1 in spans)
    found = margins(n, m, costs, table, spans)
    assert len(found) == len(spans) and all(margin >= 0.0 for margin in found)  # NaN fails this too
    for (i0, i1, j0, j1), margin in zip(spans, found):
        for mode in MODES:
            for similarity in (0.0, 0.5, 1.0):
                score = confidence(mode, margin, similarity, i1 > i0 and j1 > j0)
                assert math.isfinite(score) and 0.0 <= score <= 1.0
