"""The bundled article aligns to the same pairs whatever its encoding and newlines.

One bilingual file (``corpora/npf-xi-2024-01-31.txt``, UTF-8, English and
Chinese interleaved) and a pair derived from it by the parser (its Chinese
segments in one file, its English segments in another) are written in every
encoding and newline convention a user's editor may produce, read back through
the real readers, and aligned in lexical mode (no sentence encoder: fast, and
the encoding question does not depend on the mode).

"Same pairs" means, per bead and in order: the Chinese text, the English
text, ``zh_ids``, ``en_ids`` and the score, exactly as for the UTF-8 original.
That is the bar for every encoding that can hold the text as it is: UTF-8
with a BOM, UTF-16 LE/BE with a BOM (and LE without one), GB18030 and GBK
(the whole article is strictly encodable in both: its only non-ASCII
characters besides Han are ’、。), CRLF and mixed LF/CRLF/CR newlines.

Big5 cannot hold simplified characters, so its text is first converted to
traditional with OpenCC (s2tw).  That is a different text, not the same text
in another encoding, and the dictionary evidence differs by script (jieba and
CC-CEDICT see other words), so its beads may legitimately differ from the
simplified original's.  For Big5 "same pairs" is therefore judged twice:

* against the same traditional text saved as UTF-8: identical pairs and
  scores (the encoding changes nothing);
* against the simplified original: identical sentences (same count, paragraph
  numbers, and text once mapped back with OpenCC tw2s, which inverts s2tw on
  this article exactly): reading, parsing and splitting do not depend on the
  script.  The bead structure is not compared there.
"""

from __future__ import annotations

import codecs
import functools
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.alignment.document import AlignOptions
from npfterm.cli import app
from npfterm.models import Alignment, Sentence
from npfterm.pipeline import align_files, load_bilingual
from npfterm.text.parse import parse

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "npf-xi-2024-01-31.txt"
OPTIONS = AlignOptions(mode="lexical")
MIXED_SEED = 20240131

Pair = tuple[str, str, tuple[int, ...], tuple[int, ...], float]


# --- how a text becomes bytes -----------------------------------------------------------


def _mixed_newlines(text: str, seed: int = MIXED_SEED) -> str:
    """Each line break becomes LF, CRLF or CR at random (seeded).

    A CR directly followed by an LF-started break would be one CRLF, not two
    breaks, so that combination (only possible around an empty line) is not drawn.
    """
    rng = random.Random(seed)
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        ending = rng.choice(("\n", "\r\n", "\r"))
        if out[-1].endswith("\r") and ending.startswith("\n"):
            ending = "\r"
        out.append(ending + line)
    return "".join(out)


def _bom(bom: bytes, codec: str) -> Callable[[str], bytes]:
    return lambda text: bom + text.encode(codec, errors="strict")


def _plain(codec: str) -> Callable[[str], bytes]:
    return lambda text: text.encode(codec, errors="strict")


#: name → text to bytes; every one of them keeps the text as it is.
UNICODE_VARIANTS: dict[str, Callable[[str], bytes]] = {
    "utf-8-bom": _bom(codecs.BOM_UTF8, "utf-8"),
    "utf-16-le-bom": _bom(codecs.BOM_UTF16_LE, "utf-16-le"),
    "utf-16-be-bom": _bom(codecs.BOM_UTF16_BE, "utf-16-be"),
    "utf-16-le-no-bom": _plain("utf-16-le"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "mixed-newlines": lambda text: _mixed_newlines(text).encode("utf-8"),
    "utf-16-be-bom-crlf": lambda text: codecs.BOM_UTF16_BE + text.replace("\n", "\r\n").encode("utf-16-be"),
}
LEGACY_VARIANTS: dict[str, Callable[[str], bytes]] = {
    "gb18030": _plain("gb18030"),
    "gbk": _plain("gbk"),
    "gbk-mixed-newlines": lambda text: _mixed_newlines(text).encode("gbk"),
}
VARIANTS = {**UNICODE_VARIANTS, **LEGACY_VARIANTS}


def test_the_variants_are_what_they_claim() -> None:
    text = _original()
    mixed = _mixed_newlines(text)
    assert mixed.count("\r\n") and mixed.replace("\r\n", "").count("\r") and mixed.replace("\r\n", "").count("\n")
    assert mixed.replace("\r\n", "\n").replace("\r", "\n") == text
    assert _mixed_newlines("a\n\nb\n\n\nc", seed=3).replace("\r\n", "\n").replace("\r", "\n") == "a\n\nb\n\n\nc"
    for name, encode in VARIANTS.items():
        assert encode(text) != text.encode("utf-8"), name


# --- references ----------------------------------------------------------------------------


@functools.cache
def _original() -> str:
    return CORPUS.read_text(encoding="utf-8")


@functools.cache
def _split_pair() -> tuple[str, str]:
    """The article's Chinese and its English segments, each as its own file, one per line."""
    segments = parse(_original())
    zh = "\n".join(s.text for s in segments if s.lang == "zh")
    en = "\n".join(s.text for s in segments if s.lang == "en")
    return zh, en


@functools.cache
def _opencc(config: str) -> Callable[[str], str]:
    opencc = pytest.importorskip("opencc")
    return opencc.OpenCC(config).convert


def _pairs(alignment: Alignment) -> list[Pair]:
    return [(p.zh, p.en, p.zh_ids, p.en_ids, p.score) for p in alignment.pairs()]


def _write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("encodings")


@pytest.fixture(scope="module")
def bilingual_reference(folder: Path) -> list[Pair]:
    path = _write(folder, "reference.txt", _original().encode("utf-8"))
    pairs = _pairs(align_files([path], OPTIONS))
    assert len(pairs) > 20 and sum(1 for p in pairs if p[2] and p[3]) >= 8  # a real alignment, not a degenerate one
    return pairs


@pytest.fixture(scope="module")
def pair_reference(folder: Path) -> list[Pair]:
    zh, en = _split_pair()
    paths = [_write(folder, "reference.zh.txt", zh.encode("utf-8")), _write(folder, "reference.en.txt", en.encode("utf-8"))]
    pairs = _pairs(align_files(paths, OPTIONS))
    assert sum(1 for p in pairs if p[2] and p[3]) >= 10
    return pairs


# --- the bilingual file ------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_bilingual_file_aligns_the_same_in_every_encoding(
    tmp_path: Path, bilingual_reference: list[Pair], variant: str
) -> None:
    path = _write(tmp_path, "article.txt", VARIANTS[variant](_original()))
    assert _pairs(align_files([path], OPTIONS)) == bilingual_reference


# --- a Chinese file and an English file -------------------------------------------------


@pytest.mark.parametrize("variant", UNICODE_VARIANTS)
def test_pair_aligns_the_same_with_both_files_in_a_unicode_encoding(
    tmp_path: Path, pair_reference: list[Pair], variant: str
) -> None:
    zh, en = _split_pair()
    encode = UNICODE_VARIANTS[variant]
    paths = [_write(tmp_path, "zh.txt", encode(zh)), _write(tmp_path, "en.txt", encode(en))]
    assert _pairs(align_files(paths, OPTIONS)) == pair_reference


@pytest.mark.parametrize("english", ["utf-8", "same"])
@pytest.mark.parametrize("variant", LEGACY_VARIANTS)
def test_pair_aligns_the_same_with_the_chinese_file_in_a_gb_encoding(
    tmp_path: Path, pair_reference: list[Pair], variant: str, english: str
) -> None:
    """The English file in UTF-8 beside a GB Chinese one, or in the same GB encoding
    (it holds ’ and a few Han names, which GBK encodes too)."""
    zh, en = _split_pair()
    encode = LEGACY_VARIANTS[variant]
    en_bytes = en.encode("utf-8") if english == "utf-8" else encode(en)
    paths = [_write(tmp_path, "zh.txt", encode(zh)), _write(tmp_path, "en.txt", en_bytes)]
    assert _pairs(align_files(paths, OPTIONS)) == pair_reference


# --- Big5: traditional characters ---------------------------------------------------------


def _same_sentences(traditional: tuple[Sentence, ...], simplified: tuple[Sentence, ...]) -> None:
    to_simplified = _opencc("tw2s")
    assert [(to_simplified(s.text), s.lang, s.index, s.paragraph) for s in traditional] == [
        (s.text, s.lang, s.index, s.paragraph) for s in simplified
    ]


def test_traditional_conversion_is_exactly_reversible_on_this_article() -> None:
    """What lets the Big5 tests map sentences back and compare them."""
    for text in (_original(), *_split_pair()):
        assert _opencc("tw2s")(_opencc("s2tw")(text)) == text


@pytest.mark.parametrize("codec", ["big5", "cp950", "big5hkscs"])
def test_bilingual_big5_file_aligns_as_its_utf8_twin_and_splits_as_the_original(tmp_path: Path, codec: str) -> None:
    traditional = _opencc("s2tw")(_original())
    big5 = _write(tmp_path, "big5.txt", traditional.encode(codec, errors="strict"))
    utf8 = _write(tmp_path, "utf8.txt", traditional.encode("utf-8"))
    assert _pairs(align_files([big5], OPTIONS)) == _pairs(align_files([utf8], OPTIONS))
    original = _write(tmp_path, "original.txt", _original().encode("utf-8"))
    read, expected = load_bilingual([big5]), load_bilingual([original])
    _same_sentences(read.zh, expected.zh)
    _same_sentences(read.en, expected.en)


@pytest.mark.parametrize("codec", ["big5", "cp950"])
def test_pair_with_a_big5_chinese_file_aligns_as_its_utf8_twin_and_splits_as_the_original(
    tmp_path: Path, codec: str
) -> None:
    zh, en = _split_pair()
    traditional = _opencc("s2tw")(zh)
    en_path = _write(tmp_path, "en.txt", en.encode("utf-8"))
    big5 = [_write(tmp_path, "big5.zh.txt", traditional.encode(codec, errors="strict")), en_path]
    utf8 = [_write(tmp_path, "utf8.zh.txt", traditional.encode("utf-8")), en_path]
    assert _pairs(align_files(big5, OPTIONS)) == _pairs(align_files(utf8, OPTIONS))
    original = [_write(tmp_path, "original.zh.txt", zh.encode("utf-8")), en_path]
    read, expected = load_bilingual(big5), load_bilingual(original)
    _same_sentences(read.zh, expected.zh)
    assert read.en == expected.en


# --- through the command line -------------------------------------------------------------


def _cli_pairs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *files: str) -> list[Pair]:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["align", *files, "--mode", "lexical", "--format", "jsonl", "--no-store"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    return [(r["zh"], r["en"], tuple(r["zh_ids"]), tuple(r["en_ids"]), r["score"]) for r in rows]


def test_cli_aligns_a_gb18030_crlf_file_as_the_utf8_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bilingual_reference: list[Pair]
) -> None:
    (tmp_path / "article.txt").write_bytes(_original().replace("\n", "\r\n").encode("gb18030"))
    assert _cli_pairs(tmp_path, monkeypatch, "article.txt") == bilingual_reference


def test_cli_aligns_a_utf16_chinese_file_with_a_utf8_english_one_as_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pair_reference: list[Pair]
) -> None:
    zh, en = _split_pair()
    (tmp_path / "zh.txt").write_bytes(UNICODE_VARIANTS["utf-16-le-bom"](zh))
    (tmp_path / "en.txt").write_bytes(en.encode("utf-8"))
    assert _cli_pairs(tmp_path, monkeypatch, "en.txt", "zh.txt") == pair_reference


def test_traditional_chinese_aligns_exactly_as_the_simplified_original(tmp_path: Path) -> None:
    """Evidence is computed on simplified text (jieba and the keys are simplified), so a
    Taiwan or Hong Kong text gets the same beads and scores as its simplified twin."""
    original = _write(tmp_path, "simplified.txt", _original().encode("utf-8"))
    traditional = _write(tmp_path, "traditional.txt", _opencc("s2tw")(_original()).encode("utf-8"))
    ids = [(p.zh_ids, p.en_ids, p.score) for p in align_files([original], OPTIONS).pairs()]
    assert [(p.zh_ids, p.en_ids, p.score) for p in align_files([traditional], OPTIONS).pairs()] == ids
