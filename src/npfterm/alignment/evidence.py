"""Translation evidence between sentences: which words could translate which.

Each Chinese token gets the set of English *keys* it may correspond to — stems of
its dictionary glosses, its own lower-cased form for Latin tokens inside Chinese
(GDP, 6G, AI), value tokens for numbers (``#2024``, ``#5%``).  Each English
sentence is a set of keys of the same kinds.  The overlap of a Chinese and an
English sentence is then counted on both sides: Chinese tokens with a match, and
English keys that some Chinese token could produce.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from npfterm.text.lexicon import Lexicon
from npfterm.text.numerals import en_numbers, zh_numbers
from npfterm.text.tokens import (
    EN_STOPWORDS,
    HAN_RE,
    ZH_STOPWORDS,
    en_content_stems,
    stem,
    to_simplified,
    zh_words,
)

_NUMERIC_TOKEN_RE = re.compile(r"^[\d.,%０-９．％]+$")
_LATIN_TOKEN_RE = re.compile(r"^[A-Za-z][A-Za-z0-9.+\-]*$|^\d+[A-Za-z][A-Za-z0-9]*$")


@dataclass(frozen=True, slots=True)
class ZhEvidence:
    """A Chinese sentence: per content token, the English keys it may match."""

    tokens: tuple[str, ...]
    keys: tuple[frozenset[str], ...]

    @property
    def size(self) -> int:
        return len(self.tokens)


@dataclass(frozen=True, slots=True)
class EnEvidence:
    """An English sentence: its content keys."""

    keys: frozenset[str]

    @property
    def size(self) -> int:
        return len(self.keys)


# Common surnames: a surname token followed by a short token is read as a name.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟"
)


@lru_cache(maxsize=100_000)
def pinyin_keys(word: str) -> frozenset[str]:
    """Romanised forms an English text may use for a Chinese name: 叶文洁 → yewenjie, ye, wenjie."""
    from pypinyin import lazy_pinyin

    syl = [p for p in lazy_pinyin(word, errors="ignore") if p.isalpha()]
    if not syl:
        return frozenset()
    keys = {"py:" + "".join(syl)}
    if len(syl) >= 2:
        keys.add("py:" + syl[0])
        keys.add("py:" + "".join(syl[1:]))
    return frozenset(keys)


def _name_like(word: str, lexicon: Lexicon) -> bool:
    """Out-of-dictionary words of 2–4 characters are often names; so are proper nouns."""
    return 2 <= len(word) <= 4 and word not in lexicon


def zh_evidence(text: str, lexicon: Lexicon, keep: Iterable[str] = ()) -> ZhEvidence:
    """Tokens and key sets for one Chinese sentence."""
    tokens: list[str] = []
    keys: list[frozenset[str]] = []
    words = zh_words(to_simplified(text), keep)  # jieba and the dictionary keys are simplified
    skip_next = False
    for k, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        if _NUMERIC_TOKEN_RE.match(word):
            continue  # numbers come from numerals.zh_numbers below
        if HAN_RE.search(word):
            nxt = words[k + 1] if k + 1 < len(words) else ""
            if word in _SURNAMES and 1 <= len(nxt) <= 2 and HAN_RE.match(nxt) and nxt not in ZH_STOPWORDS:
                name = word + nxt  # 陈 + 清扬: a surname and a given name
                tokens.append(name)
                keys.append(pinyin_keys(name) | lexicon.word_translations(name))
                skip_next = True
                continue
            if word in ZH_STOPWORDS:
                continue
            found = lexicon.word_translations(word)
            if _name_like(word, lexicon):
                found = found | pinyin_keys(word)
            tokens.append(word)
            keys.append(found)
        elif _LATIN_TOKEN_RE.match(word):
            low = word.lower()
            if low in EN_STOPWORDS:
                continue
            tokens.append(word)
            keys.append(frozenset({stem(low), low}))
    for value in zh_numbers(text):
        tokens.append(value)
        keys.append(frozenset({"#" + value}))
    return ZhEvidence(tuple(tokens), tuple(keys))


_CAPITALISED_RE = re.compile(r"\b[A-Z][a-z]+(?:-[a-z]+)?\b")


def en_evidence(text: str) -> EnEvidence:
    """Key set for one English sentence: content stems, number values, romanised names."""
    keys = set(en_content_stems(text))
    keys.update("#" + v for v in en_numbers(text))
    keys.update("py:" + w.lower().replace("-", "") for w in _CAPITALISED_RE.findall(text) if w.lower() not in EN_STOPWORDS)
    return EnEvidence(frozenset(keys))


#: Matches kept per Chinese sentence (8 bytes each) for the document's later cost models; beyond
#: this many (a long document) each row is cut from the postings again: slower, memory bounded.
HITS_MEMO = 1_000_000


class OverlapIndex:
    """Counts, for one Chinese sentence against a range of English ones, the matched tokens.

    An inverted index from key to English sentence ids makes a row cost
    proportional to the number of matches, not to the row's width.
    """

    def __init__(self, en: Sequence[EnEvidence]) -> None:
        postings: dict[str, list[int]] = {}
        for j, ev in enumerate(en):
            for key in ev.keys:
                postings.setdefault(key, []).append(j)
        self._postings = {k: np.asarray(v, dtype=np.int64) for k, v in postings.items()}
        self._token_memo: dict[frozenset[str], np.ndarray] = {}
        self._hits_memo: dict[ZhEvidence, np.ndarray] = {}
        self._memoised = 0

    def _token_hits(self, keys: frozenset[str]) -> np.ndarray:
        hit = self._token_memo.get(keys)
        if hit is None:
            arrays = [self._postings[k] for k in keys if k in self._postings]
            if not arrays:
                hit = np.empty(0, dtype=np.int64)
            elif len(arrays) == 1:
                hit = arrays[0]
            else:
                hit = np.unique(np.concatenate(arrays))
            self._token_memo[keys] = hit
        return hit

    def _match_lists(self, zh: ZhEvidence) -> list[np.ndarray]:
        """Sorted English ids per Chinese token with a match, then per matched English key."""
        arrays: list[np.ndarray] = []
        union: set[str] = set()
        for keys in zh.keys:
            if keys:
                union.update(keys)
                arrays.append(self._token_hits(keys))
        arrays.extend(self._postings[k] for k in union if k in self._postings)
        return arrays

    def hits(self, zh: ZhEvidence, c0: int, c1: int) -> np.ndarray:
        """English sentence ids in ``[c0, c1)``, once per match (a token with a translation there, a key found).

        The overlap of ``zh`` with English sentence j is the number of times j occurs.
        Every cost model of a document asks again, so each sentence's matches are
        kept sorted, up to HITS_MEMO of them in all.
        """
        memo = self._hits_memo.get(zh)
        if memo is None and self._memoised < HITS_MEMO:
            arrays = self._match_lists(zh)
            memo = np.sort(np.concatenate(arrays)) if arrays else np.empty(0, dtype=np.int64)
            self._hits_memo[zh] = memo
            self._memoised += len(memo)
        if memo is not None:
            lo, hi = np.searchsorted(memo, (c0, c1))
            return memo[lo:hi]
        parts = [arr[slice(*np.searchsorted(arr, (c0, c1)))] for arr in self._match_lists(zh)]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def row(self, zh: ZhEvidence, c0: int, c1: int) -> np.ndarray:
        """Matched Chinese tokens + matched English keys, for English sentences ``[c0, c1)``."""
        if c1 <= c0:
            return np.zeros(0, dtype=np.float64)
        return np.bincount(self.hits(zh, c0, c1) - c0, minlength=c1 - c0).astype(np.float64)
