"""Excel workbooks (xlsx, via openpyxl): alignment and term sheets out; alignment, units or glossary rows in.

The alignment sheet has the columns zh, en, score, ids (Vecalign's ``[0]:[1,2]``)
and status (who made the bead: aligned, reviewed, imported); the term sheet the
same columns as the TSV term table.  Both have a bold, frozen header and
wrapped text; a second sheet, ``settings``, holds the run's settings.  Cells
are always written as text or numbers, never as formulas, even when a
sentence starts with ``=``.  Characters a workbook cannot hold (control
characters) are dropped with a warning.

Reading: the first sheet's rows go through the same table reader as CSV and
TSV (``delimited.parse_table``): npfterm's own alignment layout (or any zh/en
table with ``--as tm``) becomes translation units, anything else a glossary.
"""

from __future__ import annotations

import io
import warnings
from typing import BinaryIO, Iterable, Sequence

from npfterm.errors import FormatError
from npfterm.formats.delimited import ALIGNMENT_HEADER, TERM_HEADER, Row, parse_table, term_row
from npfterm.formats.reading import LangCodes, Parsed
from npfterm.formats.writing import ExportMeta
from npfterm.models import AlignedPair, TermPair

WIDTHS = {"zh": 50, "en": 70, "example_zh": 40, "example_en": 50}


def bead_ids(pair: AlignedPair) -> str:
    """``[0]:[1,2]``: the bead's sentence indices per language."""
    return f"[{','.join(map(str, pair.zh_ids))}]:[{','.join(map(str, pair.en_ids))}]"


def _clean(value: object, dropped: list[int]) -> object:
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cleaned = ILLEGAL_CHARACTERS_RE.sub("", value)
    if cleaned != value:
        dropped[0] += 1
    return cleaned


def _write_sheet(
    out: BinaryIO, title: str, header: Sequence[str], rows: Iterable[Sequence[object]], meta: ExportMeta
) -> None:
    """One data sheet and a settings sheet, streamed (openpyxl's write-only mode: memory stays flat)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    for col, name in enumerate(header, 1):
        sheet.column_dimensions[get_column_letter(col)].width = WIDTHS.get(name, 12)
    dropped = [0]

    def cell(value: object, **style: object) -> WriteOnlyCell:
        made = WriteOnlyCell(sheet, value=_clean(value, dropped))
        if made.data_type == "f":  # text that starts with "=" stays text
            made.data_type = "s"
        for key, item in style.items():
            setattr(made, key, item)
        return made

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append([cell(name, font=bold) for name in header])
    for values in rows:
        sheet.append([cell(v, alignment=wrap) for v in values])
    settings = book.create_sheet("settings")
    settings.column_dimensions["A"].width = 14
    settings.column_dimensions["B"].width = 100
    for key, value in _settings(meta):
        settings.append([cell(key), cell(value)])
    if dropped[0]:
        cells = f"{dropped[0]} cell" + ("" if dropped[0] == 1 else "s")
        warnings.warn(f"dropped characters a workbook cannot hold (control characters) from {cells}")
    book.save(out)


def _settings(meta: ExportMeta) -> list[tuple[str, str]]:
    rows = [("tool", f"npfterm {meta.tool_version}".strip()), ("signature", meta.signature),
            ("src_lang", meta.src_lang), ("tgt_lang", meta.tgt_lang), ("sources", " | ".join(meta.sources))]
    return [(k, v) for k, v in [*rows, *meta.settings] if v]


def write_xlsx(pairs: Iterable[AlignedPair], out: BinaryIO, meta: ExportMeta) -> None:
    rows = ((p.zh, p.en, round(p.score, 4), bead_ids(p), p.evidence) for p in pairs)
    _write_sheet(out, "alignment", ALIGNMENT_HEADER, rows, meta)


def write_terms_xlsx(terms: Iterable[TermPair], out: BinaryIO, meta: ExportMeta) -> None:
    rows = ([*term_row(t)[:3], round(t.score, 4), t.count, *term_row(t)[5:]] for t in terms)
    _write_sheet(out, "terms", TERM_HEADER, rows, meta)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_xlsx(data: bytes, name: str, langs: LangCodes = LangCodes(), as_tm: bool = False) -> Parsed:
    """The first sheet's rows (see the module docstring); FormatError for a file openpyxl cannot read."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            rows = [Row(n, tuple(_cell(v) for v in values)) for n, values in enumerate(sheet.iter_rows(values_only=True), 1)]
        finally:
            book.close()
    except FormatError:
        raise
    except Exception as exc:  # zipfile, XML and openpyxl errors alike: the file is not a workbook we can read
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FormatError(f"{name} is not a readable Excel workbook (.xlsx): {detail}") from None
    return parse_table(rows, name, langs, as_tm)
