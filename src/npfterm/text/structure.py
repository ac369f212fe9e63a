"""Structure: whether a sentence is a heading or a label rather than running text.

Headings ("Welsh AMs worried about 'looking like muppets'"), labels that
introduce what follows ("The following is his definition of the term:",
"要点："), and bracketed notes ("(Xi's original words in Chinese)") are the
lines translators most often leave out or add.  The aligner treats them as
cheaper to leave unmatched; it still pairs them when the evidence says so.
"""

from __future__ import annotations

import re

__all__ = ["HEADING_MAX_EN_WORDS", "HEADING_MAX_ZH_CHARS", "is_label"]

#: Longest text without end punctuation that is taken for a heading.
HEADING_MAX_EN_WORDS = 14
HEADING_MAX_ZH_CHARS = 30

_CLOSERS = "\"'”’」』》）)]】"
_END = re.compile(rf"[.!?。！？…][{re.escape(_CLOSERS)}]*$")
_COLON = re.compile(r"[:：]$")
_BRACKETED = re.compile(r"^[(（\[【].*[)）\]】]$")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def is_label(text: str) -> bool:
    """A heading (short, no end punctuation), a label ending in a colon, or a bracketed note."""
    text = text.strip()
    if not text:
        return False
    if _COLON.search(text) or _BRACKETED.match(text):
        return True
    if _END.search(text):
        return False
    han = len(_HAN.findall(text))
    if han:
        return han <= HEADING_MAX_ZH_CHARS
    return len(text.split()) <= HEADING_MAX_EN_WORDS
