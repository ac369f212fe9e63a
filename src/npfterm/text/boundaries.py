"""Document boundaries: where one input holds several articles, told by explicit markers.

Users combine articles into one input: one file with several bilingual
articles, or a Chinese and an English file each holding the same articles in
the same order.  Only markers that real files carry separate them, never a
guess from the text:

* a line that is only a form feed (``\\f``): a page or section break written
  on its own line (``printf '\\f\\n'`` between files, exports that end a
  section with one).  A form feed that starts a line of text is a page break
  inside an article (``pdftotext`` puts one before every page) and stays
  whitespace, as before;
* an SGML document tag on its own line, ``<doc …>`` or ``</doc>`` (the WMT
  test sets, TREC);
* a separator line: three or more of one separator character (``-`` ``*``
  ``=`` ``_`` ``~`` ``#`` ``+`` ``—`` ``─`` ``═`` ``•`` ``·`` and the
  fullwidth ``－`` ``＊`` ``＝``), spaces between allowed (``* * *``), nothing
  else on the line: Markdown's thematic break, and what people type between
  articles.  A line of ``=`` or ``-`` directly under a heading (a short line
  without end punctuation) and about as wide as it is that heading's
  underline, not a boundary; a short ``---`` under an article's last line
  (``cat a.txt; echo ---; cat b.txt``) still separates.  One sentence per
  line has no headings to underline: there every separator line separates.
  In Markdown files ``---`` right under a line of text is a setext underline
  (CommonMark), removed by the reader before it gets here.

A marker line is never text: it does not become a sentence.  Repeated markers
(``</doc>`` then ``<doc …>``) make one boundary; an empty part between or
around them is no document.  A text without marker lines comes back whole,
unchanged.
"""

from __future__ import annotations

import re
import unicodedata

from npfterm.text.structure import is_label

__all__ = ["DocumentCountWarning", "BOUNDARY_BREAKS", "is_marker", "split_documents"]

#: How many paragraph breaks a boundary counts as where it cannot hold the
#: alignment (two files with different numbers of documents).
BOUNDARY_BREAKS = 3

_SEPARATOR_CHARS = "-*=_~#+—─═•·－＊＝"
_SEPARATOR = re.compile(rf"[ \t]*([{re.escape(_SEPARATOR_CHARS)}])(?:[ \t]*\1){{2,}}[ \t]*")
_UNDERLINE_CHARS = "=-"
#: An underline spans at least this share of its heading's width (people draw it to the heading's end).
UNDERLINE_SHARE = 0.8
_DOC_TAG = re.compile(r"[ \t]*</?doc(?:\s[^<>]*)?>[ \t]*", re.IGNORECASE)
_FORM_FEED = re.compile(r"[ \t\v]*\f[ \t\v\f]*")


class DocumentCountWarning(UserWarning):
    """Two files hold different numbers of documents, so their boundaries cannot pair them."""


def is_marker(line: str) -> bool:
    """Whether ``line`` (without its line break) is a boundary marker line of any kind."""
    return bool(_FORM_FEED.fullmatch(line) or _DOC_TAG.fullmatch(line) or _SEPARATOR.fullmatch(line))


def split_documents(text: str, *, underlines: bool = True) -> list[str]:
    """The documents of a combined text, marker lines removed, in order.

    ``[text]`` itself when it has no marker line; no part is blank.  With
    ``underlines``, a heading's underline is removed too (left as a blank
    line), but does not separate documents.
    """
    lines = text.split("\n")
    if not any(is_marker(line) for line in lines):
        return [text]
    parts: list[str] = []
    current: list[str] = []
    previous = ""
    for line in lines:
        if not is_marker(line):
            current.append(line)
        elif underlines and _is_underline(line, previous):
            current.append("")
        else:
            parts.append("\n".join(current))
            current = []
        previous = line
    parts.append("\n".join(current))
    return [part for part in parts if part.strip()]


def _is_underline(line: str, previous: str) -> bool:
    """A heading's underline: ``===`` or ``---`` right under a heading line, drawn to about its width."""
    match = _SEPARATOR.fullmatch(line)
    heading = previous.strip()
    return (
        match is not None
        and match.group(1) in _UNDERLINE_CHARS
        and bool(heading)
        and not is_marker(previous)
        and is_label(heading)
        and line.count(match.group(1)) >= UNDERLINE_SHARE * _width(heading)
    )


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
