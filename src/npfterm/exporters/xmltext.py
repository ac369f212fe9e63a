"""XML text helpers shared by the TMX and TBX writers.

Text is escaped by hand rather than through an XML library so writers can
stream; the price is that the rules live here, in one place: ``& < >`` always,
quotes in attributes, carriage returns as ``&#13;`` (a parser would otherwise
turn them into line feeds), and characters XML 1.0 cannot hold removed.
Removals are counted per file and reported once, as one warning, because a
warning per segment would bury the user.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# Characters XML 1.0 forbids anywhere (controls other than tab/LF/CR, lone
# surrogates, U+FFFE/U+FFFF).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_ENTITIES = {"\r": "&#13;"}
_LANG_CODE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")


class XmlCharacterWarning(UserWarning):
    """Text held characters XML 1.0 cannot represent; they were removed."""


def strip_forbidden(value: str) -> tuple[str, int]:
    """``value`` without the characters XML 1.0 forbids, and how many were removed."""
    return _FORBIDDEN.subn("", value)


def is_lang_code(code: str) -> bool:
    """A BCP 47-shaped code (``zh-CN``, ``en``, ``zh-Hans-CN``), as xml:lang needs."""
    return bool(_LANG_CODE.match(code))


@dataclass
class XmlEscaper:
    """Escapes text for one output file and remembers what it had to remove."""

    removed: int = 0
    fields: int = 0

    def _clean(self, value: str) -> str:
        cleaned, count = strip_forbidden(value)
        if count:
            self.removed += count
            self.fields += 1
        return cleaned

    def text(self, value: str) -> str:
        """Escaped element content."""
        return escape(self._clean(value), _TEXT_ENTITIES)

    def attr(self, value: str) -> str:
        """A quoted, escaped attribute value (quotes included)."""
        return quoteattr(self._clean(value))

    def warn(self, what: str) -> None:
        """One warning for the whole file (``what``: its format), if anything was removed."""
        if self.removed:
            warnings.warn(
                f"removed {self.removed} character(s) that XML 1.0 does not allow "
                f"from {self.fields} text field(s) of the {what} output",
                XmlCharacterWarning,
                stacklevel=3,
            )
