"""Numbers as language-neutral values: the cheapest strong alignment evidence.

``2024年`` ↔ ``2024``, ``5%`` ↔ ``5 percent``, ``十多万`` ↔ ``one hundred
thousand``, ``四十一`` ↔ ``forty-one``, ``3.5万`` ↔ ``35,000``.  Both sides
produce the same normalised tokens (``"41"``, ``"5%"``), so matching is set
intersection.  The value 1 is left out on purpose: 一 and "a/one" are too
frequent to be evidence.
"""

from __future__ import annotations

import re

_ZH_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
_ZH_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_ZH_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_ZH_NUM_CHARS = "".join(_ZH_DIGITS) + "".join(_ZH_SMALL) + "".join(_ZH_BIG)

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")

# A Chinese number: optional Arabic part, then numeral characters (多/余 may
# sit inside, as in 十多万), or Arabic digits alone.
_ZH_NUM_RE = re.compile(
    rf"(百分之)?((?:\d+(?:\.\d+)?)?[{_ZH_NUM_CHARS}](?:[{_ZH_NUM_CHARS}多余]*[{_ZH_NUM_CHARS}])?|\d+(?:,\d{{3}})*(?:\.\d+)?)(%?)"
)

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
# Month names give their number (January 31 ↔ 1月31日); "May" only before a day.
_EN_MONTH_RE = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|May(?=\s+\d))\b"
)
_EN_WORDS = "|".join(sorted({**_EN_UNITS, **_EN_TENS, **_EN_SCALES}, key=len, reverse=True))
_EN_NUM_RE = re.compile(
    rf"(?<![\w.])(\d+(?:,\d{{3}})*(?:\.\d+)?|(?:a\s+)?(?:{_EN_WORDS})(?:(?:\s+and\s+|[\s-]+)(?:{_EN_WORDS}))*)"
    rf"(?:\s+({'|'.join(_EN_SCALES)}))?"
    r"(\s*%|\s+per\s*cent\b|\s+percent\b)?(?![\w])",
    re.IGNORECASE,
)


def _fmt(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:.6g}"


def zh_numeral_value(text: str) -> float | None:
    """Value of a Chinese numeral string such as 三亿五千万, 十多万, 二〇二四, 3.5万."""
    text = text.replace("多", "").replace("余", "")
    m = re.match(r"^(\d+(?:\.\d+)?)", text)
    prefix = float(m.group(1)) if m else None
    rest = text[m.end() :] if m else text
    if prefix is not None and not rest:
        return prefix
    if rest and all(ch in _ZH_DIGITS for ch in rest) and prefix is None:
        if len(rest) == 1:
            return float(_ZH_DIGITS[rest])
        if len(rest) >= 3:
            return float("".join(str(_ZH_DIGITS[ch]) for ch in rest))  # 二〇二四 → 2024
        return None  # 两三, 七八: an approximate range, see zh_numbers
    total = 0.0
    section = 0.0
    number = prefix if prefix is not None else 0.0
    for ch in rest:
        if ch in _ZH_DIGITS:
            number = _ZH_DIGITS[ch]
        elif ch in _ZH_SMALL:
            section += (number or 1) * _ZH_SMALL[ch]
            number = 0
        elif ch in _ZH_BIG:
            section += number
            number = 0
            if _ZH_BIG[ch] > 10_000:
                total = (total + section) * _ZH_BIG[ch]
            else:
                total += section * _ZH_BIG[ch]
            section = 0
        else:
            return None
    return total + section + number


def zh_numbers(text: str) -> list[str]:
    """Normalised number tokens in Chinese text."""
    text = text.translate(_FULLWIDTH)
    out: list[str] = []
    for m in _ZH_NUM_RE.finditer(text):
        raw = m.group(2).replace(",", "")
        percent = bool(m.group(1) or m.group(3))
        value = zh_numeral_value(raw)
        if value is None:
            if len(raw) == 2 and all(ch in _ZH_DIGITS for ch in raw):  # 两三 → 2, 3
                for ch in raw:
                    _emit(out, float(_ZH_DIGITS[ch]), percent, explicit=False)
            continue
        _emit(out, value, percent, explicit=raw[0].isdigit())
    return out


def _emit(out: list[str], value: float, percent: bool, explicit: bool) -> None:
    """Append a value token; a percentage also gives its bare number (8% ↔ "4.5 to 8 percent")."""
    if value == 1 and not percent and not explicit:
        return
    if percent:
        out.append(_fmt(value) + "%")
    out.append(_fmt(value))


def en_number_value(words: str) -> float | None:
    """Value of an English number: digits (1,000 / 4.5) or words (forty-one, a hundred)."""
    words = words.strip().lower()
    if words[:1].isdigit():
        return float(words.replace(",", ""))
    total = 0
    current = 0
    seen = False
    for word in re.split(r"[\s-]+", words):
        if word in ("a", "and", ""):
            if word == "a":
                current = 1
            continue
        if word in _EN_UNITS:
            current += _EN_UNITS[word]
        elif word in _EN_TENS:
            current += _EN_TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _EN_SCALES:
            total += (current or 1) * _EN_SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def en_numbers(text: str) -> list[str]:
    """Normalised number tokens in English text."""
    out: list[str] = []
    for m in _EN_NUM_RE.finditer(text):
        raw = m.group(1)
        value = en_number_value(raw)
        if value is None:
            continue
        if m.group(2):
            value *= _EN_SCALES[m.group(2).lower()]
        _emit(out, value, bool(m.group(3)), explicit=raw[0].isdigit())
    for m in _EN_MONTH_RE.finditer(text):
        out.append(str(_EN_MONTHS[m.group(1)[:3].lower()]))
    return out
