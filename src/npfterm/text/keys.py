"""Lookup keys: the normalised forms under which the store indexes a term and lookup finds it.

One definition shared by the writer (the store) and the reader (lookup), so a
term is always found under the key it was filed by.
"""

from __future__ import annotations

import re
import unicodedata

from npfterm.text.gloss import en_key
from npfterm.text.tokens import to_simplified


def zh_key(text: str) -> str:
    """Chinese as the store indexes it: simplified, without spaces."""
    return re.sub(r"\s+", "", to_simplified(unicodedata.normalize("NFKC", text)))


def en_key_text(text: str) -> str:
    """English as the store indexes it: content stems in order ("Productive Forces" → "product forc")."""
    return " ".join(en_key(unicodedata.normalize("NFKC", text)))


def pinyin_key(text: str) -> str:
    """Pinyin without tones, spaces or case: "xīnzhì shēngchǎnlì" → "xinzhishengchanli" (ü → u)."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("u:", "u").replace("v", "u"))
    return "".join(c for c in decomposed if "a" <= c <= "z")
