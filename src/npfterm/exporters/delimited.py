"""TSV and CSV: a header, then zh, en, score per bead, or one term pair per row.

TSV cannot hold a tab or newline inside a cell, so those become spaces (the
text has none after sentence splitting; imported text might).  CSV is written
for spreadsheets: UTF-8 with a BOM so Excel picks the encoding, and cells that
start with = + - @ are prefixed with ' so they are not run as formulas.
"""

from __future__ import annotations

import csv
import re
from typing import Iterable, Sequence, TextIO

from npfterm.exporters import ExportMeta
from npfterm.models import AlignedPair, TermPair

_TSV_UNSAFE = re.compile(r"[\t\r\n]+")
# A cell that (after any apostrophes) starts like a formula gets one more
# apostrophe; ``unneutralise`` removes exactly one, so the mapping reverses.
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")

HEADER = ("zh", "en", "score")
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
