"""Exporters: one contract every format inherits (write → read back → same pairs), golden files,
DTD validity, and real clients (translate-toolkit, Python's csv module) reading what we write.

Each format's test class says how to read its file back and what the format can
hold of a pair (TSV cannot hold a tab, Moses no line break, TMX no one-sided
bead); the contract checks that exactly that comes back, for awkward text.
Golden files pin the bytes; set NPFTERM_UPDATE_GOLDEN=1 to rewrite them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
import warnings
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npfterm.errors import ExportError
from npfterm.evaluate import parse_beads
from npfterm.formats.delimited import tsv_cell
from npfterm.formats.moses import one_line
from npfterm.formats.reading import parse
from npfterm.formats.writing import (
    PAIR_FORMATS,
    ExportMeta,
    export_pairs,
    export_terms,
    output_paths,
    pair_formats,
    pair_writer,
    term_formats,
    term_writer,
)
from npfterm.formats.xml import XmlCharacterWarning, strip_forbidden
from npfterm.models import AlignedPair, TermPair
from npfterm.text.read import remove_invisible

GOLDEN = Path(__file__).resolve().parent / "golden"
SPEC = Path(__file__).resolve().parents[1] / ".." / "shared" / "spec"
UPDATE_GOLDEN = os.environ.get("NPFTERM_UPDATE_GOLDEN") == "1"

META = ExportMeta(
    tool_version="0.1.0",
    signature="npfterm:0.1.0|mode:lexical|beads:0-1,1-0,1-1",
    sources=("report.txt", "speech.md"),
)

PAIRS = (
    AlignedPair("发展新质生产力是推动高质量发展的内在要求。",
                "Developing new-quality productive forces is an intrinsic requirement.", (0,), (0,), 0.9312, "report.txt"),
    AlignedPair("研发投入增长8.1%，达到3.3万亿元。", "R&D spending grew 8.1% to <3.3 trillion> \"yuan\" & 'more'.",
                (1,), (1,), 0.875, "report.txt"),
    AlignedPair("没有对应的句子。", "", (2,), (), 0.0, "report.txt"),
    AlignedPair("", "An English sentence with no counterpart.", (), (2,), 0.0, "report.txt"),
    AlignedPair("我们要加快建设现代化产业体系。这是第二句。", "=SUM(A1) looks like a formula;\tthen a tab.", (3, 4), (3,), 0.5, "speech.md"),
    AlignedPair("第一行\n第二行", "-1 is a number, +x is not\r\nand a CRLF ]]> with 😀 and 𠀀", (5,), (4, 5), 1.0, "speech.md"),
)

TERMS = (
    TermPair("新质生产力", "new-quality productive forces", "parenthetical", 0.9312, 2,
             "xīn zhì shēng chǎn lì", "发展新质生产力。", "Develop new-quality productive forces (新质生产力)."),
    TermPair("研发", "R&D <research> \"and\" 'development'", "aligned", 0.5, 1, "yán fā"),
    TermPair("人工智能", "@AI", "dictionary", 1.0, 17),
    TermPair("减碳", "-carbon\treduction", "aligned", 0.0, 3, "", "", "a line\nbreak"),
    TermPair("负一", "-1", "aligned", 0.25, 1, "", "'=already quoted", "'-1"),
)


def blank_volatile(text: str) -> str:
    """Dates and the tool version change between runs and releases; golden files hold blanks."""
    text = re.sub(r'(creationdate|creationtoolversion)="[^"]*"', r'\1=""', text)
    return re.sub(r"<p>npfterm [^<]*</p>", "<p>npfterm </p>", text)


def check_golden(name: str, actual: bytes) -> None:
    path = GOLDEN / name
    actual = blank_volatile(actual.decode("utf-8")).encode("utf-8")
    if UPDATE_GOLDEN:
        path.write_bytes(actual)
    assert path.is_file(), f"no golden file {path}; run with NPFTERM_UPDATE_GOLDEN=1"
    assert actual == path.read_bytes()


# --- the contract -----------------------------------------------------------


class PairFormatContract:
    """Write → read back → the same pairs, as far as the format can hold them."""

    fmt: ClassVar[str]
    golden: ClassVar[str]

    def read_back(self, out: Path) -> list[tuple[object, ...]]:
        raise NotImplementedError

    def expected(self, pair: AlignedPair) -> tuple[object, ...] | None:
        """What the format holds of one pair (None: the pair is not written)."""
        raise NotImplementedError

    def write(self, tmp_path: Path, pairs=PAIRS, meta: ExportMeta = META) -> tuple[Path, int]:
        out = tmp_path / f"out.{self.fmt}"
        count = export_pairs(self.fmt, pairs, out, meta)
        return out, count

    def files(self, out: Path) -> list[Path]:
        return [out]

    def test_round_trip(self, tmp_path):
        out, count = self.write(tmp_path)
        expected = [e for e in map(self.expected, PAIRS) if e is not None]
        assert self.read_back(out) == expected
        assert count == len(expected)

    def test_golden(self, tmp_path):
        out, _ = self.write(tmp_path)
        suffixes = PAIR_FORMATS[self.fmt].suffixes
        for path, suffix in zip(self.files(out), suffixes or ("",)):
            check_golden(self.golden + suffix, path.read_bytes())

    def test_nothing_to_write_gives_a_readable_empty_file(self, tmp_path):
        out, count = self.write(tmp_path, pairs=())
        assert count == 0
        assert all(p.is_file() for p in self.files(out))


def _cell(alphabet: st.SearchStrategy[str], required: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text as a glossary cell holds it: NFC, no controls, no outer spaces, one character of its language."""
    text = st.text(alphabet, max_size=12)
    return st.tuples(text, required, text).map(lambda t: unicodedata.normalize("NFC", "".join(t)).strip())


# no invisible format characters (Cf) either: importing removes them, like reading any text
_NO_CONTROLS = st.characters(blacklist_categories=("Cs", "Cc", "Cf"))
ZH_CELL = _cell(_NO_CONTROLS, st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF))
EN_CELL = _cell(st.characters(max_codepoint=0x2FFF, blacklist_categories=("Cs", "Cc", "Cf")), st.sampled_from("aZ"))


class TermFormatContract:
    """The same contract for term tables."""

    fmt: ClassVar[str]
    golden: ClassVar[str]

    def read_back(self, out: Path) -> list[tuple[object, ...]]:
        """By default through ``npfterm import``'s parser, which must give evidence "imported"."""
        parsed = parse(out.read_bytes(), out.name)
        assert all(t.evidence == "imported" for t in parsed.terms)
        return [(t.zh, t.en, t.pinyin, t.score, t.count, t.example_zh, t.example_en) for t in parsed.terms]

    def expected(self, term: TermPair) -> tuple[object, ...]:
        return (term.zh, term.en, term.pinyin, term.score, term.count, term.example_zh, term.example_en)

    def written(self, tmp_path: Path) -> Path:
        out = tmp_path / f"terms.{self.fmt}"
        assert export_terms(self.fmt, TERMS, out, META) == len(TERMS)
        return out

    def test_round_trip(self, tmp_path):
        assert self.read_back(self.written(tmp_path)) == [self.expected(t) for t in TERMS]

    def test_golden(self, tmp_path):
        check_golden(self.golden, self.written(tmp_path).read_bytes())

    # one test per format by design (the contract), hence several executors
    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.differing_executors])
    @given(zh=ZH_CELL, en=EN_CELL, score=st.floats(0, 1).map(lambda x: round(x, 4)), count=st.integers(1, 10**6))
    def test_any_term_survives(self, tmp_path, zh, en, score, count):
        term = TermPair(zh, en, "aligned", score, count)
        out = tmp_path / f"any.{self.fmt}"
        export_terms(self.fmt, [term], out, META)
        assert self.read_back(out) == [self.expected(term)]

    def test_stream_writer_matches_file_export(self, tmp_path):
        out = self.written(tmp_path)
        buf = io.StringIO(newline="")
        term_writer(self.fmt)(TERMS, buf, META)
        assert blank_volatile(buf.getvalue()) == blank_volatile(out.read_bytes().decode("utf-8"))


# --- pair formats -----------------------------------------------------------


class TestTmx(PairFormatContract):
    fmt = "tmx"
    golden = "pairs.tmx"

    def expected(self, pair):
        return (pair.zh, pair.en, round(pair.score, 4), pair.kind, pair.doc) if pair.complete else None

    def read_back(self, out):
        return [(p.zh, p.en, p.score, p.kind, p.doc) for p in parse(out.read_bytes(), out.name).pairs]

    def test_header_has_every_required_attribute(self, tmp_path):
        from lxml import etree

        out, _ = self.write(tmp_path)
        header = etree.parse(str(out)).find("header")
        assert {k: header.get(k) for k in ("creationtool", "segtype", "o-tmf", "adminlang", "srclang", "datatype")} == {
            "creationtool": "npfterm", "segtype": "sentence", "o-tmf": "npfterm",
            "adminlang": "en-US", "srclang": "zh-CN", "datatype": "plaintext",
        }
        assert header.get("creationtoolversion") == "0.1.0"
        assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate"))
        props = [(p.get("type"), p.text) for p in header.findall("prop")]
        assert props == [("x-npfterm-signature", META.signature), ("x-source-doc", "report.txt"), ("x-source-doc", "speech.md")]

    def test_language_codes_are_configurable(self, tmp_path):
        from lxml import etree

        out = tmp_path / "out.tmx"
        export_pairs("tmx", PAIRS, out, ExportMeta(src_lang="zh-Hans", tgt_lang="en-GB"))
        tree = etree.parse(str(out))
        assert tree.find("header").get("srclang") == "zh-Hans"
        langs = {t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in tree.iter("tuv")}
        assert langs == {"zh-Hans", "en-GB"}

    def test_a_bad_language_code_is_refused(self, tmp_path):
        with pytest.raises(ExportError, match="'zh CN' is not a language code"):
            export_pairs("tmx", PAIRS, tmp_path / "out.tmx", ExportMeta(src_lang="zh CN"))
        assert not (tmp_path / "out.tmx").exists()

    def test_valid_against_the_tmx14_dtd(self, tmp_path):
        dtd_path = SPEC / "tmx14.dtd"
        if not dtd_path.is_file():
            pytest.skip(f"{dtd_path} not found")
        from lxml import etree

        dtd = etree.DTD(str(dtd_path))
        out, _ = self.write(tmp_path)
        assert dtd.validate(etree.parse(str(out))), dtd.error_log.filter_from_errors()
        # and the check can fail: a unit without its segments is invalid
        broken = re.sub(r"<tuv .*?</tuv>\n", "", out.read_text(encoding="utf-8"))
        assert not dtd.validate(etree.fromstring(broken.encode("utf-8")))

    def test_translate_toolkit_reads_every_segment(self, tmp_path):
        from translate.storage.tmx import tmxfile

        out, _ = self.write(tmp_path)
        with out.open("rb") as fh:
            store = tmxfile(fh, sourcelanguage="zh-CN", targetlanguage="en-US")
        assert [(u.source, u.target) for u in store.units] == [(p.zh, p.en) for p in PAIRS if p.complete]

    def test_forbidden_characters_are_removed_with_one_warning(self, tmp_path):
        dirty = (AlignedPair("中\x00文\x0b", "Eng\ud800lish\uffff", (0,), (0,), 0.5, "a\x01.txt"),
                 AlignedPair("二\x1f", "two", (1,), (1,), 0.5))
        out = tmp_path / "out.tmx"
        meta = ExportMeta(settings=(("mo\x02de", "lex\x03ical"),))
        with pytest.warns(XmlCharacterWarning, match=r"removed 8 character\(s\) .* from 6 text field\(s\) of the TMX output"):
            export_pairs("tmx", dirty, out, meta)
        imported = parse(out.read_bytes(), "out.tmx")
        assert [(p.zh, p.en, p.doc) for p in imported.pairs] == [("中文", "English", "a.txt"), ("二", "two", "out.tmx")]
        assert b'<prop type="x-npfterm-mode">lexical</prop>' in out.read_bytes()

    def test_stream_writer_leaves_out_one_sided_beads(self):
        buf = io.StringIO()
        pair_writer("tmx")(PAIRS, buf, META)
        assert buf.getvalue().count("<tu ") == sum(p.complete for p in PAIRS) == 4

    def test_clean_text_gives_no_warning(self, tmp_path):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            self.write(tmp_path)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(zh=st.text(min_size=1), en=st.text(min_size=1))
    def test_any_text_survives(self, tmp_path, zh, en):
        cleaned = [unicodedata.normalize("NFC", remove_invisible(strip_forbidden(t)[0])) for t in (zh, en)]
        if not all(c.strip() for c in cleaned):
            return
        buf = io.StringIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XmlCharacterWarning)
            pair_writer("tmx")([AlignedPair(zh, en, (0,), (0,), 0.5)], buf, ExportMeta())
        back = parse(buf.getvalue().encode("utf-8"), "x.tmx").pairs
        assert [(p.zh, p.en) for p in back] == [tuple(cleaned)]


class TestJsonl(PairFormatContract):
    fmt = "jsonl"
    golden = "pairs.jsonl"

    def expected(self, pair):
        return (pair.zh, pair.en, pair.zh_ids, pair.en_ids, pair.score, pair.doc)

    def read_back(self, out):
        return [(p.zh, p.en, p.zh_ids, p.en_ids, p.score, p.doc) for p in parse(out.read_bytes(), out.name).pairs]

    def test_one_source_leaves_the_document_out(self, tmp_path):
        out = tmp_path / "one.jsonl"
        export_pairs("jsonl", PAIRS[:1], out, ExportMeta(sources=("report.txt",)))
        assert set(json.loads(out.read_text(encoding="utf-8"))) == {"zh", "en", "zh_ids", "en_ids", "score"}


class DelimitedPairs(PairFormatContract):
    """TSV and CSV pair tables, read back by Python's csv module."""

    dialect: ClassVar[dict[str, object]]
    encoding: ClassVar[str]

    def read_back(self, out):
        with out.open(encoding=self.encoding, newline="") as fh:
            rows = list(csv.reader(fh, **self.dialect))
        assert rows[0] == ["zh", "en", "score"]
        return [tuple(r) for r in rows[1:]]


class TestTsv(DelimitedPairs):
    fmt = "tsv"
    golden = "pairs.tsv"
    dialect = {"delimiter": "\t", "quoting": csv.QUOTE_NONE}
    encoding = "utf-8"

    def expected(self, pair):
        return (tsv_cell(pair.zh), tsv_cell(pair.en), f"{pair.score:.4f}")


class TestCsv(DelimitedPairs):
    fmt = "csv"
    golden = "pairs.csv"
    dialect = {}
    encoding = "utf-8-sig"

    def expected(self, pair):
        neutral = "'" + pair.en if pair.en.startswith(("=", "+", "-", "@")) else pair.en
        return (pair.zh, neutral, f"{pair.score:.4f}")

    def test_excel_conventions(self, tmp_path):
        out, _ = self.write(tmp_path)
        data = out.read_bytes()
        assert data.startswith(b"\xef\xbb\xbfzh,en,score\r\n")
        assert data.count(b"\r\n") == len(PAIRS) + 2  # header, rows, one CRLF kept inside a quoted cell
        assert b"'=SUM(A1)" in data and b"'-1 is" in data


class TestBeads(PairFormatContract):
    fmt = "beads"
    golden = "pairs.beads"

    def expected(self, pair):
        return (pair.zh_ids, pair.en_ids)

    def read_back(self, out):
        return [(tuple(zh), tuple(en)) for zh, en in parse_beads(out.read_text(encoding="utf-8"))]


class TestMoses(PairFormatContract):
    fmt = "moses"
    golden = "pairs"

    def write(self, tmp_path, pairs=PAIRS, meta=META):
        out = tmp_path / "corpus"
        return out, export_pairs("moses", pairs, out, meta)

    def files(self, out):
        return [out.with_name("corpus.zh"), out.with_name("corpus.en")]

    def expected(self, pair):
        return (one_line(pair.zh), one_line(pair.en)) if pair.complete else None

    def read_back(self, out):
        zh, en = (p.read_text(encoding="utf-8").split("\n") for p in self.files(out))
        assert zh[-1] == en[-1] == ""  # every line ends with a newline
        return list(zip(zh[:-1], en[:-1]))

    def test_a_stem_ending_in_a_language_suffix_is_not_doubled(self, tmp_path):
        spec = PAIR_FORMATS["moses"]
        assert output_paths(spec, tmp_path / "corpus.zh") == (tmp_path / "corpus.zh", tmp_path / "corpus.en")
        assert output_paths(spec, tmp_path / "v1.2") == (tmp_path / "v1.2.zh", tmp_path / "v1.2.en")

    def test_needs_a_path_not_stdout_or_a_directory(self, tmp_path):
        with pytest.raises(ExportError, match=r"moses writes two files \(OUT.zh and OUT.en\); give -o OUT"):
            export_pairs("moses", PAIRS, None, META)
        with pytest.raises(ExportError, match="needs a file name stem, not a directory"):
            export_pairs("moses", PAIRS, tmp_path, META)

    def test_a_failure_leaves_neither_file(self, tmp_path):
        def failing():
            yield PAIRS[0]
            raise RuntimeError("disk full")

        with pytest.raises(RuntimeError):
            export_pairs("moses", failing(), tmp_path / "corpus", META)
        assert list(tmp_path.iterdir()) == []


# --- term formats -----------------------------------------------------------


class TestTermTsv(TermFormatContract):
    fmt = "tsv"
    golden = "terms.tsv"

    def expected(self, term):
        return tuple(tsv_cell(v) if isinstance(v, str) else v for v in super().expected(term))


class TestTermCsv(TermFormatContract):
    fmt = "csv"
    golden = "terms.csv"

    def test_python_csv_reads_the_columns(self, tmp_path):
        with self.written(tmp_path).open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert list(rows[0]) == ["zh", "en", "pinyin", "score", "count", "evidence", "example_zh", "example_en"]
        assert [(r["zh"], r["en"], r["evidence"]) for r in rows] == [
            ("新质生产力", "new-quality productive forces", "parenthetical"),
            ("研发", "R&D <research> \"and\" 'development'", "aligned"),
            ("人工智能", "'@AI", "dictionary"),
            ("减碳", "'-carbon\treduction", "aligned"),
            ("负一", "-1", "aligned"),
        ]


class TestTermJson(TermFormatContract):
    fmt = "json"
    golden = "terms.json"

    def read_back(self, out):
        json.loads(out.read_text(encoding="utf-8"))  # one valid document
        return super().read_back(out)

    def test_empty_table_is_an_empty_array(self):
        buf = io.StringIO()
        term_writer("json")([], buf, META)
        assert json.loads(buf.getvalue()) == []


class TestTermJsonl(TermFormatContract):
    fmt = "jsonl"
    golden = "terms.jsonl"


class TestTbx(TermFormatContract):
    fmt = "tbx"
    golden = "terms.tbx"

    def test_translate_toolkit_reads_every_term(self, tmp_path):
        from translate.storage.tbx import tbxfile

        with self.written(tmp_path).open("rb") as fh:
            store = tbxfile(fh, sourcelanguage="zh-CN", targetlanguage="en-US")
        assert [(u.source, u.target) for u in store.units] == [(t.zh, t.en) for t in TERMS]

    def test_same_shape_as_the_sample_omegat_reads(self, tmp_path):
        from lxml import etree

        root = etree.parse(str(self.written(tmp_path))).getroot()
        assert (root.tag, root.get("type")) == ("martif", "TBX-Basic")
        terms = root.xpath("/martif/text/body/termEntry/langSet/tig/term/text()")
        assert terms == [x for t in TERMS for x in (t.zh, t.en)]


class TestTbx3(TermFormatContract):
    fmt = "tbx3"
    golden = "terms.tbx3"

    def test_v3_structure_and_namespace(self, tmp_path):
        from lxml import etree

        ns = {"t": "urn:iso:std:iso:30042:ed-2"}
        root = etree.parse(str(self.written(tmp_path))).getroot()
        assert root.tag == "{urn:iso:std:iso:30042:ed-2}tbx" and root.get("style") == "dca"
        terms = root.xpath("/t:tbx/t:text/t:body/t:conceptEntry/t:langSec/t:termSec/t:term/text()", namespaces=ns)
        assert terms == [x for t in TERMS for x in (t.zh, t.en)]


class TestOmegaT(TermFormatContract):
    fmt = "omegat"
    golden = "terms.omegat.txt"

    def expected(self, term):
        return (tsv_cell(term.zh), tsv_cell(term.en))

    def read_back(self, out):
        return [(t.zh, t.en) for t in parse(out.read_bytes(), "glossary.txt", "tsv").terms]

    def test_like_the_sample_glossary(self, tmp_path):
        out = tmp_path / "glossary.txt"
        export_terms("omegat", TERMS[:1], out, META)
        assert out.read_text(encoding="utf-8") == (
            "新质生产力\tnew-quality productive forces\t"
            "npfterm: parenthetical, 2 occurrences, score 0.93, pinyin xīn zhì shēng chǎn lì\n"
        )


# --- xlsx (binary: the golden file is the sheet's cells as TSV) ---------------


def sheet_rows(out: Path, sheet: int = 0) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook

    book = load_workbook(out)
    return [tuple("" if v is None else v for v in row) for row in book.worksheets[sheet].iter_rows(values_only=True)]


def sheet_golden(out: Path) -> bytes:
    """Every sheet's cells, tab-separated, with repr for text (so tabs and line ends stay visible)."""
    from openpyxl import load_workbook

    book = load_workbook(out)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"# {sheet.title} (frozen at {sheet.freeze_panes})")
        for row in sheet.iter_rows():
            lines.append("\t".join(repr(c.value) + ("" if c.data_type != "f" else " FORMULA") for c in row))
    text = "\n".join(lines) + "\n"
    return re.sub(r"'npfterm [^']*'", "'npfterm '", text).encode("utf-8")


class TestXlsx(PairFormatContract):
    fmt = "xlsx"
    golden = "pairs.xlsx.txt"

    def expected(self, pair):
        ids = f"[{','.join(map(str, pair.zh_ids))}]:[{','.join(map(str, pair.en_ids))}]"
        return (pair.zh, pair.en, pair.score, ids, pair.evidence)

    def read_back(self, out):
        rows = sheet_rows(out)
        assert rows[0] == ("zh", "en", "score", "ids", "status")
        return rows[1:]

    def test_golden(self, tmp_path):
        out, _ = self.write(tmp_path)
        check_golden(self.golden, sheet_golden(out))

    def test_frozen_header_wrapped_text_and_no_formulas(self, tmp_path):
        from openpyxl import load_workbook

        out, _ = self.write(tmp_path)
        sheet = load_workbook(out).worksheets[0]
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
        assert all(c.alignment.wrap_text for row in sheet.iter_rows(min_row=2) for c in row)
        assert sheet["B6"].value.startswith("=SUM(A1)") and sheet["B6"].data_type == "s"
        assert dict(sheet_rows(out, 1))["signature"] == META.signature

    def test_import_reads_our_layout_as_reviewed_units(self, tmp_path):
        out, _ = self.write(tmp_path)
        imported = parse(out.read_bytes(), out.name)
        assert dict(imported.parsed.settings)["layout"] == "npfterm's alignment layout"
        assert [(p.zh, p.en, p.zh_ids, p.en_ids, p.evidence) for p in imported.pairs] == [
            (p.zh, p.en, p.zh_ids, p.en_ids, "reviewed") for p in PAIRS
        ]

    def test_needs_a_file(self, tmp_path):
        with pytest.raises(ExportError, match="xlsx writes a binary file; give -o FILE.xlsx"):
            export_pairs("xlsx", PAIRS, None, META)
        with pytest.raises(ExportError, match="xlsx writes a binary file; give an output path"):
            pair_writer("xlsx")

    def test_control_characters_are_dropped_with_a_warning(self, tmp_path):
        with pytest.warns(UserWarning, match="control characters. from 2 cells"):
            out, _ = self.write(tmp_path, pairs=(AlignedPair("中\x01文", "bell\x07", (0,), (0,), 1.0),))
        assert sheet_rows(out)[1][:2] == ("中文", "bell")


class TestTermXlsx(TermFormatContract):
    fmt = "xlsx"
    golden = "terms.xlsx.txt"

    def test_golden(self, tmp_path):
        check_golden(self.golden, sheet_golden(self.written(tmp_path)))

    def test_stream_writer_matches_file_export(self, tmp_path):
        with pytest.raises(ExportError, match="xlsx writes a binary file"):
            term_writer("xlsx")


# --- registry ---------------------------------------------------------------


def test_every_format_has_a_contract_test():
    tested_pairs = {c.fmt for c in PairFormatContract.__subclasses__() + DelimitedPairs.__subclasses__() if hasattr(c, "fmt")}
    tested_terms = {c.fmt for c in TermFormatContract.__subclasses__()}
    assert tested_pairs == set(pair_formats())
    assert tested_terms == set(term_formats())


def test_term_formats_offered_to_the_terms_command():
    assert term_formats() == ("tsv", "csv", "json", "jsonl", "tbx", "tbx3", "omegat", "xlsx")


@pytest.mark.parametrize("lookup, name", [(pair_writer, "ods"), (term_writer, "tmx")])
def test_unknown_format(lookup, name):
    with pytest.raises(ExportError, match=f"unknown (pair|term) format '{name}'; choose one of: "):
        lookup(name)


def test_a_multi_file_format_has_no_stream_writer():
    with pytest.raises(ExportError, match="moses writes 2 files; give an output path"):
        pair_writer("moses")


# --- acceptance: the seed's term pairs in TBX and CSV -------------------------


def test_seed_terms_in_tbx_and_csv_hold_the_same_pairs(tmp_path):
    """What ``npfterm terms <seed> --format tbx|csv`` writes, read by translate-toolkit and csv."""
    from translate.storage.tbx import tbxfile

    from npfterm.pipeline import load_bilingual
    from npfterm.text.stated import parenthetical_pairs

    seed = Path(__file__).resolve().parents[1] / "corpora" / "npf-xi-2024-01-31.txt"
    text = load_bilingual([str(seed)])
    terms = parenthetical_pairs([s.text for s in text.en], [s.text for s in text.zh])
    assert len(terms) >= 3
    export_terms("tbx", terms, tmp_path / "seed.tbx", META)
    export_terms("csv", terms, tmp_path / "seed.csv", META)
    with (tmp_path / "seed.tbx").open("rb") as fh:
        from_tbx = [(u.source, u.target) for u in tbxfile(fh, sourcelanguage="zh-CN", targetlanguage="en-US").units]
    with (tmp_path / "seed.csv").open(encoding="utf-8-sig", newline="") as fh:
        from_csv = [(row["zh"], row["en"]) for row in csv.DictReader(fh)]
    assert from_tbx == from_csv == [(t.zh, t.en) for t in terms]


@pytest.mark.parametrize("fmt", ["tmx", "moses"])
def test_an_unwritable_output_is_an_export_error_and_nothing_is_left(tmp_path, fmt):
    target = tmp_path / "missing" / "out"
    with pytest.raises(ExportError, match=f"cannot write {target}[.a-z]*: directory {target.parent} does not exist"):
        export_pairs(fmt, PAIRS, target, META)
    assert list(tmp_path.iterdir()) == []
