"""TSV and CSV: bead and term tables written, glossaries read whatever their column order.

TSV cannot hold a tab or newline inside a cell, so those become spaces (the
text has none after sentence splitting; imported text might).  CSV is written
for spreadsheets: UTF-8 with a BOM so Excel picks the encoding, and cells that
start with = + - @ are prefixed with ' so they are not run as formulas.

CSV and TSV glossaries → term pairs, whatever their column order.

Glossaries come from Excel, OmegaT, memoQ and hand-made sheets, with or
without a header and with Chinese in any column.  Columns are found by header
name (``zh``, ``zh-CN``, ``Chinese``, ``中文``, ``source``…) where there is a
header, else by what the cells hold: the column that is mostly Chinese and
the column that is mostly Latin letters.  A first row whose "Chinese" cell has
no Chinese in a column that otherwise does is a header too (``Term,Translation``).
Our own term tables (``npfterm terms --format csv``) come back with every field.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence, TextIO

from npfterm.errors import FormatError
from npfterm.formats import xml as xmltree
from npfterm.formats.reading import LangCodes, Opener, Parsed, ReadWhole, TermRows
from npfterm.formats.writing import ExportMeta
from npfterm.formats.xml import Readable, is_lang_code
from npfterm.models import AlignedPair, TermPair
from npfterm.text.read import decode_bytes, normalise
from npfterm.text.tokens import HAN_RE, LATIN_RE

_TSV_UNSAFE = re.compile(r"[\t\r\n]+")
# A cell that (after any apostrophes) starts like a formula gets one more
# apostrophe; ``unneutralise`` removes exactly one, so the mapping reverses.
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")

HEADER = ("zh", "en", "score")
ALIGNMENT_HEADER = ("zh", "en", "score", "ids", "status")  # the xlsx alignment sheet (formats/xlsx.py)
TERM_HEADER = ("zh", "en", "pinyin", "score", "count", "evidence", "example_zh", "example_en")


def tsv_cell(value: object) -> str:
    return _TSV_UNSAFE.sub(" ", str(value))


def csv_cell(value: object) -> str:
    """A cell Excel shows as text, never evaluates (OWASP CSV injection advice)."""
    text = str(value)
    if _NEEDS_QUOTE.match(text) and not _is_number(text):
        return "'" + text
    return text


def unneutralise(cell: str) -> str:
    """The text ``csv_cell`` was given: ``'=SUM(A1)`` → ``=SUM(A1)``, ``''=x`` → ``'=x``."""
    return cell[1:] if _QUOTED.match(cell) else cell


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_rows_tsv(header: Sequence[str], rows: Iterable[Sequence[object]], out: TextIO) -> None:
    out.write("\t".join(header) + "\n")
    for row in rows:
        out.write("\t".join(tsv_cell(v) for v in row) + "\n")


def write_rows_csv(header: Sequence[str], rows: Iterable[Sequence[object]], out: TextIO, bom: bool = True) -> None:
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


def _rows(pairs: Iterable[AlignedPair]) -> Iterable[tuple[str, str, str]]:
    for pair in pairs:
        yield pair.zh, pair.en, f"{pair.score:.4f}"


def write_tsv(pairs: Iterable[AlignedPair], out: TextIO, meta: ExportMeta) -> None:
    write_rows_tsv(HEADER, _rows(pairs), out)


def write_csv(pairs: Iterable[AlignedPair], out: TextIO, meta: ExportMeta) -> None:
    write_rows_csv(HEADER, _rows(pairs), out)


def term_row(term: TermPair) -> tuple[str, ...]:
    """A term pair's cells in ``TERM_HEADER`` order."""
    return (
        term.zh, term.en, term.pinyin, f"{term.score:.4f}", str(term.count),
        term.evidence, term.example_zh, term.example_en,
    )


def write_terms_tsv(terms: Iterable[TermPair], out: TextIO, meta: ExportMeta) -> None:
    write_rows_tsv(TERM_HEADER, map(term_row, terms), out)


def write_terms_csv(terms: Iterable[TermPair], out: TextIO, meta: ExportMeta) -> None:
    write_rows_csv(TERM_HEADER, map(term_row, terms), out)


# header name (lower case, spaces and hyphens as "_") → field; language codes
# such as zh-CN or en_US are recognised through LangCodes
# Names of a role, not a language: a glossary translated from English has its English under "原文"
# (git's zh_TW glossary) or "source", so these give way when the cells say otherwise (_trust_roles).
_ROLE_NAMES = {
    **dict.fromkeys(("source", "src", "source_term", "源语", "原文"), "zh"),
    **dict.fromkeys(("target", "tgt", "target_term", "translation", "译文", "譯文", "翻译", "翻譯"), "en"),
}
_HEADER_FIELDS = {
    **dict.fromkeys(("chinese", "中文", "汉语", "漢語"), "zh"),
    **dict.fromkeys(("english", "英文", "英语", "英語"), "en"),
    **_ROLE_NAMES,
    **dict.fromkeys(("pinyin", "拼音"), "pinyin"),
    **dict.fromkeys(("score", "confidence"), "score"),
    **dict.fromkeys(("count", "occurrences", "frequency", "freq"), "count"),
    "example_zh": "example_zh",
    "example_en": "example_en",
    **dict.fromkeys(("comment", "comments", "note", "notes", "remark", "remarks", "备注", "注释", "註釋"), "note"),
}
_HEADER_KEY = re.compile(r"[\s\-]+")
_MIN_SHARE = 0.5  # share of rows whose cell must be Chinese (or Latin) for a column to be that side
_NEAR_BEST = 0.2  # columns this close to the best share count as equally good


@dataclass(frozen=True)
class Row:
    """One row of a sheet: its line (or row) number and its cells as text."""

    line: int
    cells: tuple[str, ...]


def _tsv_rows(text: str) -> Iterator[Row]:
    return _tsv_line_rows(text.split("\n"))


def _tsv_line_rows(lines: Iterable[str]) -> Iterator[Row]:
    for number, line in enumerate(lines, 1):
        yield Row(number, tuple(line.removesuffix("\n").split("\t")))


def _csv_rows(text: str, name: str) -> Iterator[Row]:
    return _csv_line_rows(io.StringIO(text, newline=""), name)


def _csv_line_rows(lines: Iterable[str], name: str) -> Iterator[Row]:
    """Rows of CSV text given as lines (each with its "\n"); ``;`` is the delimiter if the first line says so."""
    rest = iter(lines)
    head: list[str] = []
    for text in rest:
        head.append(text)
        if text.strip():
            break
    first = head[-1] if head else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(itertools.chain(head, rest), delimiter=delimiter, strict=True)
    line = 1
    try:
        for cells in reader:
            yield Row(line, tuple(unneutralise(c) for c in cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FormatError(f"{name} line {line}: {exc}") from None


def _header_fields(cells: tuple[str, ...], langs: LangCodes) -> dict[str, int]:
    """Field → column for a header row (empty when the row is not a header)."""
    fields: dict[str, int] = {}
    for col, cell in enumerate(cells):
        key = _HEADER_KEY.sub("_", cell.strip().lower())
        field = _HEADER_FIELDS.get(key) or (langs.side(key) if is_lang_code(key.replace("_", "-")) else None)
        if field and field not in fields:
            fields[field] = col
    return fields if ("zh" in fields or "en" in fields) else {}


def _is_zh(cell: str) -> bool:
    return bool(HAN_RE.search(cell))


def _is_en(cell: str) -> bool:
    return bool(LATIN_RE.search(cell)) and not HAN_RE.search(cell)


class _Columns:
    """What choosing columns by content needs of some rows: how many, how wide, and per column
    how many cells are Chinese and how many English.  Counted a row at a time, so a file of
    any length is described in a few numbers."""

    def __init__(self, rows: Iterable[Row] = ()) -> None:
        self.rows = 0
        self.width = 0
        self.counts: dict[str, list[int]] = {"zh": [], "en": []}
        for row in rows:
            self.add(row.cells)

    def add(self, cells: Sequence[str]) -> None:
        self.rows += 1
        if len(cells) > self.width:
            for counts in self.counts.values():
                counts.extend([0] * (len(cells) - self.width))
            self.width = len(cells)
        for col, cell in enumerate(cells):
            if _is_zh(cell):
                self.counts["zh"][col] += 1
            elif _is_en(cell):
                self.counts["en"][col] += 1

    def plus(self, cells: Sequence[str]) -> "_Columns":
        """These rows and one more."""
        out = _Columns()
        out.rows, out.width, out.counts = self.rows, self.width, {k: list(v) for k, v in self.counts.items()}
        out.add(cells)
        return out

    def share(self, col: int, side: str) -> float:
        """Share of all rows whose cell in ``col`` is of that side's language: a mostly empty column never wins."""
        counts = self.counts[side]
        return (counts[col] if col < len(counts) else 0) / self.rows


def _trust_roles(rows: _Columns, fields: dict[str, int], header: tuple[str, ...]) -> dict[str, int]:
    """Drop zh/en columns named only by role (source, 原文) whose cells are not that language.

    Content then decides: the column whose cells are Chinese is the Chinese one.
    """
    out = dict(fields)
    for side in ("zh", "en"):
        col = out.get(side)
        if col is None or _HEADER_KEY.sub("_", header[col].strip().lower()) not in _ROLE_NAMES:
            continue
        if rows.share(col, side) < _MIN_SHARE:
            del out[side]
    return out


def _by_content(rows: _Columns, fields: dict[str, int]) -> dict[str, int]:
    """Fill in the zh/en columns the header did not name from what the cells hold.

    The leftmost of the columns (nearly) as Chinese, or English, as the best
    one wins: a term column beats a comment column that is English on every
    row (OmegaT's source, target, comment) even when a few terms are not words.
    """
    fields = dict(fields)
    for side in ("zh", "en"):
        if side in fields:
            continue
        shares = {c: rows.share(c, side) for c in range(rows.width) if c not in fields.values()}
        best = max(shares.values(), default=0.0)
        if best >= _MIN_SHARE:
            fields[side] = min(c for c, share in shares.items() if share >= max(best - _NEAR_BEST, _MIN_SHARE))
    return fields


def _number(row: Row, col: int | None, name: str, what: str, cast: Callable[[str], float]) -> float | None:
    if col is None or col >= len(row.cells) or not row.cells[col].strip():
        return None
    raw = row.cells[col].strip()
    try:
        value = cast(raw)
    except ValueError:
        value = math.nan
    if math.isnan(value) or value < 0:
        raise FormatError(f"{name} line {row.line}: {what} {raw!r} is not a non-negative number")
    return value


def _row_term(row: Row, fields: dict[str, int], name: str) -> TermPair | None:
    """One glossary row's term pair; None for a row without both a Chinese and an English term."""
    needed = max(fields["zh"], fields["en"]) + 1

    def cell(key: str) -> str:
        col = fields.get(key)
        return row.cells[col].strip() if col is not None and col < len(row.cells) else ""

    if len(row.cells) < needed:
        raise FormatError(
            f"{name} line {row.line}: {len(row.cells)} column(s), expected at least {needed} "
            f"(Chinese in column {fields['zh'] + 1}, English in column {fields['en'] + 1})"
        )
    zh, en = cell("zh"), cell("en")
    if not zh or not en:
        return None
    score = _number(row, fields.get("score"), name, "score", float)
    count = _number(row, fields.get("count"), name, "count", int)
    note = cell("note")
    return TermPair(
        zh=zh, en=en, evidence="imported",
        score=1.0 if score is None else score, count=1 if count is None else int(count),
        pinyin=cell("pinyin"), example_zh=cell("example_zh"), example_en=cell("example_en"),
        extra=(("note", note),) if note else (),
    )


def _body_terms(rows: Iterable[Row], plan: "_Plan", name: str, notes: list[str]) -> Iterator[TermPair]:
    """The term pairs of a glossary's body rows (blank rows left out), in order; the note on rows skipped
    goes to ``notes`` at the end, and a body without a term pair is refused there."""
    kept = 0
    for row in rows:
        term = _row_term(row, plan.fields, name)
        if term is not None:
            kept += 1
            yield term
    if not kept:
        raise FormatError(f"{name}: no row has both a Chinese and an English term")
    if kept < plan.body_rows:
        notes.append(f"{name}: skipped {plan.body_rows - kept} of {plan.body_rows} rows without both a Chinese and an English term")


def is_alignment_layout(cells: Sequence[str]) -> bool:
    """A header row of npfterm's alignment sheet: zh, en, score, ids, status."""
    return tuple(str(c).strip().lower() for c in cells[: len(ALIGNMENT_HEADER)]) == ALIGNMENT_HEADER


def parse_table(rows: list[Row], name: str, langs: LangCodes, as_tm: bool = False) -> Parsed:
    """A sheet's rows: npfterm's alignment layout or, with ``as_tm``, any zh/en table as translation units
    of a reviewed document; otherwise glossary rows as term pairs."""
    rows = list(_nonblank(rows))
    if rows and is_alignment_layout(rows[0].cells):
        fields = {key: col for col, key in enumerate(ALIGNMENT_HEADER)}
        return _units(rows[1:], fields, name, "npfterm's alignment layout")
    if as_tm:
        return _as_tm(rows, name, langs)
    return _glossary(rows, name, langs)


def _as_tm(rows: list[Row], name: str, langs: LangCodes) -> Parsed:
    if not rows:
        raise FormatError(f"{name}: the sheet has no rows")
    fields = _header_fields(rows[0].cells, langs)
    body = rows[1:] if fields else rows
    columns = _Columns(body or rows)
    fields = _by_content(columns, _trust_roles(columns, fields, rows[0].cells))
    if "zh" not in fields or "en" not in fields:
        raise FormatError(f"{name}: cannot tell which column holds the Chinese and which the English; add a header row naming them zh and en")
    layout = f"as asked: zh in column {fields['zh'] + 1}, en in column {fields['en'] + 1}"
    return _units(body, fields, name, layout)


_IDS = re.compile(r"\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*")


def _ids(row: Row, col: int | None, name: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    raw = row.cells[col].strip() if col is not None and col < len(row.cells) else ""
    if not raw:
        return (), ()
    found = _IDS.fullmatch(raw)
    if not found:
        raise FormatError(f"{name} line {row.line}: ids {raw!r} are not like [0]:[1,2]")
    return tuple(tuple(int(x) for x in g.split(",") if x.strip()) for g in found.groups())  # type: ignore[return-value]


def _units(rows: list[Row], fields: dict[str, int], name: str, layout: str) -> Parsed:
    """Rows as translation units a person has checked: evidence ``reviewed``, score 1.0."""
    pairs: list[AlignedPair] = []
    for row in rows:
        cells = [row.cells[fields[k]].strip() if fields[k] < len(row.cells) else "" for k in ("zh", "en")]
        zh_ids, en_ids = _ids(row, fields.get("ids"), name)
        _number(row, fields.get("score"), name, "score", float)  # a malformed score is refused, not ignored
        if cells[0] or cells[1]:
            pairs.append(AlignedPair(cells[0], cells[1], zh_ids, en_ids, 1.0, evidence="reviewed"))
    if not any(p.zh and p.en for p in pairs):
        raise FormatError(f"{name}: no row has both a Chinese and an English side")
    return Parsed(pairs=tuple(pairs), settings=(("layout", layout), ("review", "reviewed")))


@dataclass(frozen=True)
class _Plan:
    """How a glossary's rows are read: which column is which, whether its first row is a header, how many rows follow."""

    fields: dict[str, int]
    header: bool  # the first (non-blank) row names the columns or is otherwise not a term
    body_rows: int


def _plan(first: Row | None, rest: _Columns, name: str, langs: LangCodes) -> _Plan:
    """The glossary's columns from its first row and what the rows after it hold (``rest``)."""
    if first is None:
        raise FormatError(f"{name}: the glossary has no rows")
    fields = _header_fields(first.cells, langs)
    named = bool(fields)
    body = rest if named else rest.plus(first.cells)
    if not body.rows:
        raise FormatError(f"{name}: the glossary has a header but no rows")
    fields = _by_content(body, _trust_roles(body, fields, first.cells))
    if "zh" not in fields or "en" not in fields:
        raise FormatError(
            f"{name}: cannot tell which column holds the Chinese and which the English terms; "
            "add a header row naming them zh and en"
        )
    cells = first.cells
    # a first row without Chinese where the column has it: a header with names we do not know, like "Term,Translation"
    header = named or (rest.rows > 0 and not (fields["zh"] < len(cells) and _is_zh(cells[fields["zh"]])))
    return _Plan(fields, header, rest.rows if header else rest.rows + 1)


def _glossary(rows: list[Row], name: str, langs: LangCodes) -> Parsed:
    plan = _plan(rows[0] if rows else None, _Columns(rows[1:]), name, langs)
    notes: list[str] = []
    terms = tuple(_body_terms(rows[1:] if plan.header else rows, plan, name, notes))
    return Parsed(terms=terms, settings=(("format", "glossary"),), notes=tuple(notes))


def _nonblank(rows: Iterable[Row]) -> Iterator[Row]:
    return (r for r in rows if any(c.strip() for c in r.cells))


def _text(data: bytes, name: str) -> str:
    return normalise(decode_bytes(data, name))


def parse_csv(data: bytes, name: str, langs: LangCodes = LangCodes(), as_tm: bool = False) -> Parsed:
    return parse_table(list(_csv_rows(_text(data, name), name)), name, langs, as_tm)


def parse_tsv(data: bytes, name: str, langs: LangCodes = LangCodes(), as_tm: bool = False) -> Parsed:
    return parse_table(list(_tsv_rows(_text(data, name))), name, langs, as_tm)


def read_csv(source: Readable, name: str, langs: LangCodes = LangCodes()) -> Parsed:
    """A CSV glossary read a line at a time: memory holds its rows, never the file or its decoded copies.

    For UTF-8 (with or without BOM) without control characters; anything else
    raises ``ReadWhole`` for ``parse_csv``.  The rows are those ``parse_csv`` finds
    (translation units asked for with ``as_tm`` are always read whole).
    """
    return parse_table(list(_csv_line_rows(utf8_lines(source), name)), name, langs)


def read_tsv(source: Readable, name: str, langs: LangCodes = LangCodes()) -> Parsed:
    """A TSV glossary read a line at a time (as ``read_csv``)."""
    return parse_table(list(_tsv_line_rows(utf8_lines(source))), name, langs)


def stream_csv(open_source: Opener, name: str, langs: LangCodes = LangCodes()) -> TermRows:
    """A CSV glossary read twice and never held: the first pass checks every row's syntax and chooses the
    columns from counts, the second (``TermRows.read``) makes the term pairs one row at a time.

    ``ReadWhole`` for what ``parse_csv`` must read instead: another encoding,
    control characters, npfterm's alignment sheet (translation units).
    """
    return _stream_table(open_source, name, langs, lambda source: _csv_line_rows(utf8_lines(source), name))


def stream_tsv(open_source: Opener, name: str, langs: LangCodes = LangCodes()) -> TermRows:
    """A TSV glossary read twice and never held (as ``stream_csv``)."""
    return _stream_table(open_source, name, langs, lambda source: _tsv_line_rows(utf8_lines(source)))


def _stream_table(
    open_source: Opener, name: str, langs: LangCodes, row_reader: Callable[[Readable], Iterable[Row]]
) -> TermRows:
    first: Row | None = None
    rest = _Columns()
    with open_source() as source:
        for row in _nonblank(row_reader(source)):
            if first is None:
                if is_alignment_layout(row.cells):
                    raise ReadWhole
                first = row
            else:
                rest.add(row.cells)
    plan = _plan(first, rest, name, langs)

    def read(notes: list[str]) -> Iterator[TermPair]:
        with open_source() as source:
            rows = _nonblank(row_reader(source))
            if plan.header:
                next(rows, None)
            yield from _body_terms(rows, plan, name, notes)

    return TermRows(read)


# Control characters other than tab (and the line's own LF): a lone CR, NUL (UTF-16), binary bytes.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def utf8_lines(source: Readable) -> Iterator[str]:
    """Lines of UTF-8 text as ``normalise`` would make them (LF-terminated, NFC, no BOM), read piece by piece.

    Raises ``ReadWhole`` for what only the whole-file path handles: another
    encoding, a UTF-16 BOM, lone CRs and other control characters.
    """
    rest = b""
    first = True
    while True:
        chunk = source.read(xmltree.CHUNK_BYTES)
        data = rest + chunk
        if first:
            first = False
            if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise ReadWhole
            data = data.removeprefix(codecs.BOM_UTF8)
        lines = data.split(b"\n")
        rest = lines.pop() if chunk else b""  # a line cut by the read waits for the next piece
        for raw in lines:
            try:
                line = raw.removesuffix(b"\r").decode("utf-8")
            except UnicodeDecodeError:
                raise ReadWhole from None
            if _CONTROLS.search(line):
                raise ReadWhole
            yield unicodedata.normalize("NFC", line) + "\n"
        if not chunk:
            return
