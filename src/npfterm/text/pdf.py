"""PDF files with a text layer → text, one paragraph per block of lines.

Text comes from the PDF's own text layer (pypdf); a scanned PDF has none and
is refused with a message saying so (npfterm does no OCR), as is an
encrypted PDF that needs a password to open.  Lines a PDF breaks for layout
are joined back into paragraphs: a line joins the next unless it ends a
sentence (。！？.!?: and closing quotes); Chinese lines join without a space.
"""

from __future__ import annotations

import io
import re

from npfterm.errors import InputError
from npfterm.text.tokens import has_han

_ENDS_PARAGRAPH = re.compile(r"[。！？!?.:：;；」』”\"')）]\s*$")
_MIN_TEXT_CHARS = 1  # a page set with fewer characters than this in all has no text layer


def _join_lines(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    current = ""
    for line in (x.strip() for x in lines):
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if not current:
            current = line
        elif has_han(current[-1:]) or has_han(line[:1]):
            current += line
        else:
            current += " " + line
        if _ENDS_PARAGRAPH.search(line):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def pdf_text(data: bytes, name: str) -> str:
    """The text layer of a PDF; ``InputError`` for an encrypted, scanned or broken one."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name} is encrypted (it needs a password to open); save a copy without a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(f"{name} is not a readable PDF ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # pypdf raises NotImplementedError/DependencyError for unsupported encryption
        raise InputError(f"{name} could not be opened ({type(exc).__name__}: {exc})") from None
    if sum(len(p.strip()) for p in pages) < _MIN_TEXT_CHARS:
        raise InputError(
            f"{name} has no text layer (a scanned PDF?); npfterm reads text, not images: run OCR on it first"
        )
    paragraphs = [p for page in pages for p in _join_lines(page.splitlines())]
    return "\n\n".join(paragraphs)
