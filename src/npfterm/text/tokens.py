"""Word tokenisation for both languages: jieba for Chinese, a regex for English.

jieba is imported on first use only (it costs ~0.7 s), so commands that never
tokenise Chinese — ``--help``, ``lookup`` — do not pay for it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    import jieba as _jieba_t

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
HAN_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
# English words: letters with inner apostrophes/hyphens, or numbers like 4.5, 1,000, 70%.
EN_TOKEN_RE = re.compile(
    r"\d+[A-Za-z][A-Za-z0-9]*|[A-Za-z]+\d[A-Za-z0-9]*"  # 6G, 3D, G20, MP3
    r"|\d+(?:[.,]\d+)*%?"
    r"|[A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)?(?:-[A-Za-z\u00c0-\u024f0-9]+)*"
)
LATIN_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*[A-Za-z0-9+]|[A-Za-z]|\d+[A-Za-z]+[A-Za-z0-9]*")

# Function words that carry no translation evidence.  Kept small on purpose:
# removing too much hides real overlap in short sentences.
EN_STOPWORDS = frozenset(
    """a an the and or but nor so yet of to in on at by for from with without into onto upon
    as than then that this these those there here is are was were be been being am do does did
    done doing have has had having will would shall should can could may might must it its it's
    he him his she her hers they them their theirs we us our ours you your yours i me my mine
    who whom whose which what when where why how not no yes all any some such each every
    also just very too more most much many own same other only both either neither about
    over under again further once up down out off if because while until against between
    through during before after above below s t d ll m o re ve y one's oneself itself himself
    herself themselves ourselves yourself myself something someone anything anyone nothing
    thing things get got let lets mr mrs ms""".split()
)
ZH_STOPWORDS = frozenset(
    """的 了 着 过 是 在 和 与 及 或 而 也 就 都 又 还 把 被 让 给 对 向 从 于 以 为 之 其 这 那 此
    该 各 每 我 你 他 她 它 们 我们 你们 他们 她们 它们 自己 个 这个 那个 这些 那些 一个 什么 怎么
    吗 呢 吧 啊 呀 嘛 哦 么 得 地 所 等 将 使 由 并 但 却 如 若 则 即 来 去 上 下 中 里 不 没 没有 有
    要 会 能 可 可以 已 已经 很 最 更 再 才 又 就是 还是 也是 一 一些 一样""".split()
)

ZH_PUNCT_RE = re.compile(r"^[\W_]+$")

# Irregular English forms → base form, so "said" meets the gloss "to say".
# Stemming handles regular inflection; these it cannot.
_IRREGULAR = {
    form: base
    for base, forms in (
        ("arise", "arose arisen"), ("awake", "awoke awoken"), ("be", "was were been"),
        ("bear", "bore borne born"), ("beat", "beaten"), ("become", "became"), ("begin", "began begun"),
        ("bend", "bent"), ("bet", "bet"), ("bind", "bound"), ("bite", "bit bitten"), ("bleed", "bled"),
        ("blow", "blew blown"), ("break", "broke broken"), ("breed", "bred"), ("bring", "brought"),
        ("build", "built"), ("burn", "burnt"), ("burst", "burst"), ("buy", "bought"), ("catch", "caught"),
        ("choose", "chose chosen"), ("cling", "clung"), ("come", "came"), ("creep", "crept"),
        ("deal", "dealt"), ("dig", "dug"), ("do", "did done"), ("draw", "drew drawn"),
        ("dream", "dreamt"), ("drink", "drank drunk"), ("drive", "drove driven"), ("eat", "ate eaten"),
        ("fall", "fell fallen"), ("feed", "fed"), ("feel", "felt"), ("fight", "fought"), ("find", "found"),
        ("flee", "fled"), ("fling", "flung"), ("fly", "flew flown"), ("forbid", "forbade forbidden"),
        ("forget", "forgot forgotten"), ("forgive", "forgave forgiven"), ("freeze", "froze frozen"),
        ("get", "got gotten"), ("give", "gave given"), ("go", "went gone"), ("grind", "ground"),
        ("grow", "grew grown"), ("hang", "hung"), ("have", "had has"), ("hear", "heard"),
        ("hide", "hid hidden"), ("hit", "hit"), ("hold", "held"), ("hurt", "hurt"), ("keep", "kept"),
        ("kneel", "knelt"), ("know", "knew known"), ("lay", "laid"), ("lead", "led"), ("lean", "leant"),
        ("leap", "leapt"), ("learn", "learnt"), ("leave", "left"), ("lend", "lent"), ("lie", "lay lain"),
        ("light", "lit"), ("lose", "lost"), ("make", "made"), ("mean", "meant"), ("meet", "met"),
        ("pay", "paid"), ("ride", "rode ridden"), ("ring", "rang rung"), ("rise", "rose risen"),
        ("run", "ran"), ("say", "said says"), ("see", "saw seen"), ("seek", "sought"), ("sell", "sold"),
        ("send", "sent"), ("shake", "shook shaken"), ("shine", "shone"), ("shoot", "shot"),
        ("show", "shown"), ("shrink", "shrank shrunk"), ("sing", "sang sung"), ("sink", "sank sunk"),
        ("sit", "sat"), ("slay", "slew slain"), ("sleep", "slept"), ("slide", "slid"), ("speak", "spoke spoken"),
        ("speed", "sped"), ("spend", "spent"), ("spin", "spun"), ("spit", "spat"), ("spring", "sprang sprung"),
        ("stand", "stood"), ("steal", "stole stolen"), ("stick", "stuck"), ("sting", "stung"),
        ("stink", "stank stunk"), ("strike", "struck stricken"), ("strive", "strove striven"),
        ("swear", "swore sworn"), ("sweep", "swept"), ("swim", "swam swum"), ("swing", "swung"),
        ("take", "took taken"), ("teach", "taught"), ("tear", "tore torn"), ("tell", "told"),
        ("think", "thought"), ("throw", "threw thrown"), ("tread", "trod trodden"),
        ("understand", "understood"), ("wake", "woke woken"), ("wear", "wore worn"), ("weave", "wove woven"),
        ("weep", "wept"), ("win", "won"), ("wind", "wound"), ("write", "wrote written"),
        ("child", "children"), ("man", "men"), ("woman", "women"), ("foot", "feet"), ("tooth", "teeth"),
        ("mouse", "mice"), ("person", "people"), ("good", "better best"), ("bad", "worse worst"),
    )
    for form in forms.split()
}
_CONTRACTION_RE = re.compile(r"(n't|'ll|'re|'ve|'d|'m)$")


@lru_cache(maxsize=1)
def _jieba() -> "_jieba_t":
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def has_han(text: str) -> bool:
    return HAN_RE.search(text) is not None


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC t2s); other text unchanged.

    jieba's model and the termbase are simplified, so Chinese evidence and
    store keys are computed on simplified text; what users see keeps the
    characters they wrote.
    """
    return _t2s().convert(text) if has_han(text) else text


def zh_words(text: str, keep: Iterable[str] = ()) -> list[str]:
    """Chinese word tokens (punctuation and spaces dropped).

    ``keep`` lists terms that must stay whole (a termbase, pairs the document
    states); they are cut out first, longest first, and jieba splits the rest.
    This avoids mutating jieba's global dictionary.
    """
    pieces = _protect(text, sorted(set(keep), key=len, reverse=True)) if keep else [(text, False)]
    out: list[str] = []
    jb = _jieba()
    for piece, whole in pieces:
        if whole:
            out.append(piece)
            continue
        for word in jb.lcut(piece, HMM=True):
            word = word.strip()
            if word and not ZH_PUNCT_RE.match(word):
                out.append(word)
    return out


def _protect(text: str, terms: list[str]) -> list[tuple[str, bool]]:
    """Split ``text`` around occurrences of ``terms`` (longest first)."""
    if not terms:
        return [(text, False)]
    pattern = re.compile("|".join(re.escape(t) for t in terms if t))
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(0), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def en_words(text: str) -> list[str]:
    """English word tokens, lower-cased, curly apostrophes normalised."""
    return [t.lower().replace("’", "'") for t in EN_TOKEN_RE.findall(text)]


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of a lower-case English word, irregular forms first reduced to their base."""
    if word.endswith("'s"):
        word = word[:-2]
    word = _CONTRACTION_RE.sub("", word)
    word = _IRREGULAR.get(word, word)
    if word == "ca":  # can't
        word = "can"
    return _stemmer().stemWord(word)


def en_content_stems(text: str) -> list[str]:
    """Stems of English content words (stopwords and bare numbers removed).

    Hyphenated compounds give their parts too: ``high-quality`` → high, qualiti.
    """
    out: list[str] = []
    for tok in en_words(text):
        if tok[0].isdigit() and not any(ch.isalpha() for ch in tok):
            continue  # numbers are matched as values, see numerals.py
        parts = tok.split("-") if "-" in tok else [tok]
        for part in parts:
            base = _CONTRACTION_RE.sub("", part)
            if base and base not in EN_STOPWORDS and not base.isdigit() and base != "ca":
                out.append(stem(base))
    return out
