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

import csv
import io
import math
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence, TextIO

from npfterm.errors import FormatError
from npfterm.formats.reading import LangCodes, Parsed
from npfterm.formats.writing import ExportMeta
from npfterm.formats.xml import is_lang_code
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
    for number, line in enumerate(text.split("\n"), 1):
        yield Row(number, tuple(line.split("\t")))


def _csv_rows(text: str, name: str) -> Iterator[Row]:
    first = next((line for line in text.split("\n") if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
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


def _share(rows: list[Row], col: int, test: Callable[[str], bool]) -> float:
    """Share of all rows whose cell passes ``test``: a mostly empty column never wins."""
    return sum(1 for r in rows if col < len(r.cells) and test(r.cells[col])) / len(rows)


def _is_zh(cell: str) -> bool:
    return bool(HAN_RE.search(cell))


def _is_en(cell: str) -> bool:
    return bool(LATIN_RE.search(cell)) and not HAN_RE.search(cell)


def _trust_roles(rows: list[Row], fields: dict[str, int], header: tuple[str, ...]) -> dict[str, int]:
    """Drop zh/en columns named only by role (source, 原文) whose cells are not that language.

    Content then decides: the column whose cells are Chinese is the Chinese one.
    """
    out = dict(fields)
    for side, test in (("zh", _is_zh), ("en", _is_en)):
        col = out.get(side)
        if col is None or _HEADER_KEY.sub("_", header[col].strip().lower()) not in _ROLE_NAMES:
            continue
        if _share(rows, col, test) < _MIN_SHARE:
            del out[side]
    return out


def _by_content(rows: list[Row], fields: dict[str, int]) -> dict[str, int]:
    """Fill in the zh/en columns the header did not name from what the cells hold.

    The leftmost of the columns (nearly) as Chinese, or English, as the best
    one wins: a term column beats a comment column that is English on every
    row (OmegaT's source, target, comment) even when a few terms are not words.
    """
    width = max(len(r.cells) for r in rows)
    fields = dict(fields)
    for side, test in (("zh", _is_zh), ("en", _is_en)):
        if side in fields:
            continue
        shares = {c: _share(rows, c, test) for c in range(width) if c not in fields.values()}
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


def _terms(rows: list[Row], fields: dict[str, int], name: str) -> tuple[list[TermPair], int]:
    needed = max(fields["zh"], fields["en"]) + 1
    terms, skipped = [], 0

    def cell(row: Row, key: str) -> str:
        col = fields.get(key)
        return row.cells[col].strip() if col is not None and col < len(row.cells) else ""

    for row in rows:
        if len(row.cells) < needed:
            raise FormatError(
                f"{name} line {row.line}: {len(row.cells)} column(s), expected at least {needed} "
                f"(Chinese in column {fields['zh'] + 1}, English in column {fields['en'] + 1})"
            )
        zh, en = cell(row, "zh"), cell(row, "en")
        if not zh or not en:
            skipped += 1
            continue
        score = _number(row, fields.get("score"), name, "score", float)
        count = _number(row, fields.get("count"), name, "count", int)
        note = cell(row, "note")
        terms.append(
            TermPair(
                zh=zh, en=en, evidence="imported",
                score=1.0 if score is None else score, count=1 if count is None else int(count),
                pinyin=cell(row, "pinyin"), example_zh=cell(row, "example_zh"), example_en=cell(row, "example_en"),
                extra=(("note", note),) if note else (),
            )
        )
    return terms, skipped


def is_alignment_layout(cells: Sequence[str]) -> bool:
    """A header row of npfterm's alignment sheet: zh, en, score, ids, status."""
    return tuple(str(c).strip().lower() for c in cells[: len(ALIGNMENT_HEADER)]) == ALIGNMENT_HEADER


def parse_table(rows: list[Row], name: str, langs: LangCodes, as_tm: bool = False) -> Parsed:
    """A sheet's rows: npfterm's alignment layout or, with ``as_tm``, any zh/en table as translation units
    of a reviewed document; otherwise glossary rows as term pairs."""
    rows = [r for r in rows if any(c.strip() for c in r.cells)]
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
    fields = _by_content(body or rows, _trust_roles(body or rows, fields, rows[0].cells))
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


def _glossary(rows: list[Row], name: str, langs: LangCodes) -> Parsed:
    if not rows:
        raise FormatError(f"{name}: the glossary has no rows")
    fields = _header_fields(rows[0].cells, langs)
    named = bool(fields)
    body = rows[1:] if named else rows
    if not body:
        raise FormatError(f"{name}: the glossary has a header but no rows")
    fields = _by_content(body, _trust_roles(body, fields, rows[0].cells))
    if "zh" not in fields or "en" not in fields:
        raise FormatError(
            f"{name}: cannot tell which column holds the Chinese and which the English terms; "
            "add a header row naming them zh and en"
        )
    first = rows[0].cells
    if not named and len(rows) > 1 and not (fields["zh"] < len(first) and _is_zh(first[fields["zh"]])):
        body = rows[1:]  # a header with names we do not know, like "Term,Translation"
    terms, skipped = _terms(body, fields, name)
    if not terms:
        raise FormatError(f"{name}: no row has both a Chinese and an English term")
    notes: tuple[str, ...] = ()
    if skipped:
        notes = (f"{name}: skipped {skipped} of {len(body)} rows without both a Chinese and an English term",)
    return Parsed(terms=tuple(terms), settings=(("format", "glossary"),), notes=notes)


def _text(data: bytes, name: str) -> str:
    return normalise(decode_bytes(data, name))


def parse_csv(data: bytes, name: str, langs: LangCodes = LangCodes(), as_tm: bool = False) -> Parsed:
    return parse_table(list(_csv_rows(_text(data, name), name)), name, langs, as_tm)


def parse_tsv(data: bytes, name: str, langs: LangCodes = LangCodes(), as_tm: bool = False) -> Parsed:
    return parse_table(list(_tsv_rows(_text(data, name))), name, langs, as_tm)
