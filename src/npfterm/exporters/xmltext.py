"""XML text helpers shared by the TMX and TBX writers."""

from __future__ import annotations

import re
import warnings
from xml.sax.saxutils import escape, quoteattr

# Characters XML 1.0 forbids anywhere (controls other than tab/LF/CR, lone
# surrogates, U+FFFE/U+FFFF).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class XmlCharacterWarning(UserWarning):
    """Text held characters XML 1.0 cannot represent; they were removed."""


def xml_text(value: str) -> str:
    """Escaped element text, with forbidden characters removed (and a warning)."""
    cleaned, count = _FORBIDDEN.subn("", value)
    if count:
        warnings.warn(
            f"removed {count} character(s) that XML 1.0 does not allow", XmlCharacterWarning, stacklevel=3
        )
    return escape(cleaned)


def xml_attr(value: str) -> str:
    """A quoted, escaped attribute value (quotes included)."""
    return quoteattr(_FORBIDDEN.sub("", value))
