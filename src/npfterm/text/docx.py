"""Word documents (.docx) → text: body paragraphs and tables in document order.

A table of two columns whose cells hold different languages (a bilingual
table, one column per language) is read row by row, each row's two cells as
consecutive paragraphs, so the aligner pairs the sentences of one row; any
other table gives its cells as paragraphs.  A file that is not a Word
document says what it is instead: a password-protected (encrypted) document,
an old binary ``.doc``, or a zip of something else.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any, Iterator

from npfterm.errors import InputError
from npfterm.text.tokens import has_han

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_DOCUMENT_PART = "word/document.xml"
_MAX_PART_BYTES = 512 * 1024 * 1024  # document.xml larger than this unpacked: a zip bomb, not a document


def _check_container(data: bytes, name: str) -> None:
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise InputError(f"{name} is password-protected (encrypted); save an unprotected copy and align that")
        raise InputError(f"{name} is an old binary Word (.doc) file, not .docx; save it as .docx first")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            part = archive.getinfo(_DOCUMENT_PART) if _DOCUMENT_PART in names else None
    except zipfile.BadZipFile:
        raise InputError(f"{name} is not a Word document (not a zip file); give a .docx saved by Word or LibreOffice") from None
    if part is None:
        raise InputError(f"{name} is a zip file but not a Word document (it has no {_DOCUMENT_PART})")
    if part.file_size > _MAX_PART_BYTES:
        raise InputError(f"{name}: its text part unpacks to {part.file_size // (1024 * 1024)} MB; refusing a zip bomb")


def _is_bilingual(rows: list[list[str]]) -> bool:
    """Two columns, one Chinese and one not, on most rows that have both cells."""
    full = [r for r in rows if len(r) == 2 and r[0] and r[1]]
    if not full:
        return False
    split = sum(1 for a, b in full if has_han(a) != has_han(b))
    return split * 2 > len(full)


def _blocks(document: Any) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, document).text
        elif tag == "tbl":
            rows = [[cell.text.strip() for cell in _unique_cells(row)] for row in Table(child, document).rows]
            if _is_bilingual(rows):
                for row in rows:
                    yield from (cell for cell in row if cell)
            else:
                yield from (cell for row in rows for cell in row)


def _unique_cells(row: Any) -> list[Any]:
    """A row's cells, a merged cell once (python-docx repeats it for every grid column it spans)."""
    cells: list[Any] = []
    for cell in row.cells:
        if not cells or cell._tc is not cells[-1]._tc:
            cells.append(cell)
    return cells


def docx_text(data: bytes, name: str) -> str:
    """The text of a .docx, one paragraph per block separated by blank lines; ``InputError`` if it is not one."""
    _check_container(data, name)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise InputError(f"{name} is not a readable Word document ({type(exc).__name__}: {exc})") from None
    paragraphs = [" ".join(block.split()) if not has_han(block) else block.strip() for block in _blocks(document)]
    text = "\n\n".join(p for p in paragraphs if p)
    if not text.strip():
        raise InputError(f"{name} has no text in its body or tables")
    return text
