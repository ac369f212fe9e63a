"""Term pairs the text itself states: ``English phrase (中文)`` and ``中文（English）``.

The hard part is the left boundary: the noun phrase, not the clause.  English
phrases are read backwards from the bracket until a word that cannot sit inside
a noun phrase (a determiner, preposition, verb, pronoun) — except ``of``/``and``
between capitalised words, as in "Ministry of Industry and Information
Technology".  Chinese terms are the jieba-word suffix of the preceding run that
the dictionary says best matches the English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from npfterm.models import TermPair
from npfterm.text.tokens import HAN_RE, en_content_stems

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# English text, then (Chinese) — ASCII or fullwidth brackets, optional space before.
_EN_ZH_RE = re.compile(rf"[(（]\s*([{_HAN}][{_HAN}·・\-—0-9A-Za-z ]{{0,40}}?)\s*[)）]")
# Chinese text, then (English or acronym).
_ZH_EN_RE = re.compile(rf"([{_HAN}]{{1,30}})\s*[(（]\s*([A-Za-z][A-Za-z0-9 .,&'’\-/]{{0,80}}?)\s*[)）]")
_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.\-]*")

# Words that end a noun phrase when read right to left.
_NP_STOP = frozenset(
    """a an the this that these those its his her their our your my of in on at by for from with
    to into onto as and or but nor is are was were be been being has have had do does did called
    known named termed dubbed also which who whom whose where when while if than then so such
    about over under between through during including include includes included like via
    he she it they we you i him them us me said says say says""".split()
)
_NAME_GLUE = frozenset({"of", "and", "for", "&"})
_COMPANY_TAIL = re.compile(r"^(Ltd|Inc|LLC|Co|Corp|Plc|GmbH|AG|SA)\.?$")
_MAX_EN_WORDS = 8


@dataclass(frozen=True)
class _Found:
    zh: str
    en: str
    sentence_en: str
    sentence_zh: str


def english_phrase_before(text: str) -> str:
    """The noun phrase that ends ``text`` (the words just before a bracket)."""
    words = list(_WORD_RE.finditer(text))
    picked: list[re.Match[str]] = []
    for k in range(len(words) - 1, -1, -1):
        word = words[k]
        gap = text[word.end() : picked[-1].start()] if picked else text[word.end() :]
        if picked and not _joins(gap, word.group(0), picked[-1].group(0)):
            break
        low = word.group(0).lower().rstrip(".")
        if low in _NP_STOP:
            left = words[k - 1].group(0) if k > 0 else ""
            right = picked[-1].group(0) if picked else ""
            if not (low in _NAME_GLUE and left[:1].isupper() and right[:1].isupper()):
                break
        picked.append(word)
        if len(picked) >= _MAX_EN_WORDS:
            break
    while picked and picked[-1].group(0).lower() in _NP_STOP:  # no glue word at the left edge
        picked.pop()
    if not picked:
        return ""
    return text[picked[-1].start() : picked[0].end()].strip()


def _joins(gap: str, left: str, right: str) -> bool:
    """May the gap between two words sit inside one noun phrase?"""
    if gap.strip() == "":
        return True
    # "Co., Ltd": a comma before a company-form word
    return gap.strip() == "," and bool(_COMPANY_TAIL.match(right.rstrip(","))) and bool(_COMPANY_TAIL.match(left))


def trim_unlinked(en: str, zh: str) -> str:
    """Drop the words at the left of ``en`` up to the last lower-case word nothing in ``zh`` translates.

    The grammar-based boundary cannot tell a verb from an adjective
    ("explained new-quality productive forces"); the dictionary can: a
    lower-case word with no link to the Chinese term, before the first word
    with one, is not part of its name, and neither is anything before it
    ("President Xi explained …").  Capitalised words after it stay (names are
    often untranslatable), and so do "of"/"and" inside a name.
    """
    from npfterm.text.lexicon import load_cedict
    from npfterm.text.tokens import stem, zh_words

    lexicon = load_cedict()
    linked: set[str] = set(lexicon.word_translations(zh))
    for w in zh_words(zh):
        linked |= lexicon.word_translations(w)
    words = en.split(" ")
    hits = [k for k, w in enumerate(words) if _linked(w, linked, stem)]
    if not hits:
        return en  # no evidence either way: keep the grammatical phrase
    # Everything up to the last unlinked lower-case word before the first linked
    # one goes: "President Xi explained new-quality productive forces".
    cut = [k for k in range(hits[0]) if words[k][:1].islower() and words[k].lower() not in _NAME_GLUE]
    return " ".join(words[cut[-1] + 1 :] if cut else words)


_CAP_RE = re.compile(r"^[A-Z0-9]")


def name_tail(words: Sequence[str], opening: bool = False) -> int:
    """Where the run of capitalised words that ends ``words`` starts (``of``/``and`` inside it kept).

    A capitalised first word of a sentence (``opening``) counts only if the
    dictionary's English never writes it in lower case ("Developer" does, so
    "Developer Country Garden" is a descriptor and a name).
    """
    k = len(words)
    while k > 0:
        w = words[k - 1]
        if _CAP_RE.match(w):
            if k == 1 and opening and _common_word(w):
                break
            k -= 1
        elif w.lower() in _NAME_GLUE and k < len(words) and k > 1 and _CAP_RE.match(words[k - 2]):
            k -= 1
        else:
            break
    return k


@lru_cache(maxsize=1)
def _english_vocabulary() -> frozenset[str]:
    """Stems of every word the dictionary's English uses."""
    from npfterm.text.lexicon import load_cedict

    return load_cedict().english_stems()


def _common_word(word: str) -> bool:
    return bool(en_content_stems(word.lower())) and set(en_content_stems(word.lower())) <= _english_vocabulary()


def name_without_descriptor(en: str, zh: str, opening: bool = False) -> str:
    """The name at the end of ``en`` without the descriptor before it, or "" if there is none to drop.

    "Internet giant Tencent (腾讯)", "Legal scholar Wang Liming (王利明)": the
    shortest span next to the bracket that the Chinese explains is the
    capitalised name.  The name stands alone when the dictionary gives it as
    the word's translation ("Baidu, Internet portal …"), when it spells the
    word's pinyin, or when nothing in the Chinese translates the descriptor.
    """
    from npfterm.text.lexicon import load_cedict, load_cedict_entries
    from npfterm.text.tokens import stem, zh_words

    from pypinyin import lazy_pinyin

    words = en.split(" ")
    spelled = "".join(lazy_pinyin(zh)).lower()
    for j in range(1, len(words)):  # a suffix that spells the pinyin: "Chinese Premier Li Qiang (李强)"
        if re.sub(r"[^a-z]", "", " ".join(words[j:]).lower()) == spelled:
            return " ".join(words[j:])
    k = name_tail(words, opening)
    if k == 0 or k == len(words) or words[k].lower() in _NAME_GLUE:
        return ""
    tail = " ".join(words[k:])
    entry = load_cedict_entries().get(zh)
    if entry and any(sense.lower().startswith(tail.lower()) for sense in entry.senses):
        return tail
    lexicon = load_cedict()
    linked: set[str] = set(lexicon.word_translations(zh))
    for w in zh_words(zh):
        linked |= lexicon.word_translations(w)
    if any(_linked(w, linked, stem) for w in words[:k]):
        return ""
    return tail


def _linked(word: str, linked: set[str], stem) -> bool:  # type: ignore[no-untyped-def]
    parts = [p for p in re.split(r"[-/]", word.lower().strip(".,")) if p]
    return any(stem(p) in linked for p in parts)


def _looks_like_term(en: str) -> bool:
    words = en.split()
    if not words or len(words) > 6:
        return False
    if "," in en and not re.search(r",\s*(Ltd|Inc|LLC)\b", en):
        return False  # a gloss or a clause, not a name
    return True


def chinese_term_before(run: str, en: str) -> str:
    """The suffix of a Han run that names what ``en`` names.

    Candidates are suffixes made of whole jieba words; the one whose dictionary
    translations share the most stems with ``en`` (or whose glosses spell an
    acronym) wins, shorter on ties.  With no evidence, the last word of two or
    more characters.
    """
    from npfterm.text.lexicon import load_cedict
    from npfterm.text.tokens import zh_words

    lexicon = load_cedict()
    words = [w for w in zh_words(run) if HAN_RE.search(w)]
    if not words:
        return ""
    target = set(en_content_stems(en)) | {en.lower()} | _acronym_expansion(words, en)
    best, best_score = "", 0.0
    for k in range(1, min(len(words), 6) + 1):
        cand = "".join(words[-k:])
        if not run.endswith(cand):
            break
        per_word = [lexicon.word_translations(w) for w in words[-k:]]
        stems = frozenset().union(*per_word) | lexicon.translations(cand)
        score = len(stems & target) / max(len(target), 1)
        all_matched = all(t & target for t in per_word)
        if score > best_score + 1e-9 or (best and score >= best_score - 1e-9 and all_matched):
            best, best_score = cand, score
    if best:
        return best
    for w in reversed(words):
        if len(w) >= 2 and run.endswith(w):
            return w
    return words[-1] if run.endswith(words[-1]) else ""


def _acronym_expansion(words: Sequence[str], en: str) -> set[str]:
    """Stems of dictionary senses whose initials spell ``en`` (GDP → gross domestic product)."""
    acro = en.strip()
    if not re.fullmatch(r"[A-Z][A-Z0-9&]{1,7}", acro):
        return set()
    from npfterm.text.lexicon import clean_sense, load_cedict_entries

    entries = load_cedict_entries()
    out: set[str] = set()
    for k in range(1, min(len(words), 6) + 1):
        entry = entries.get("".join(words[-k:]))
        for sense in entry.senses if entry else ():
            sense = clean_sense(sense).replace(acro, "")
            initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", sense) if w.lower() not in {"of", "and", "the"})
            if initials.lower() == acro.lower():
                out.update(en_content_stems(sense))
    return out


def _find(en_sentences: Sequence[str], zh_sentences: Sequence[str]) -> list[_Found]:
    found: list[_Found] = []
    for sent in en_sentences:
        for m in _EN_ZH_RE.finditer(sent):
            zh = m.group(1).strip()
            han = len(HAN_RE.findall(zh))
            if han < 2 or han < 0.6 * len(zh.replace(" ", "")):
                continue
            before = sent[: m.start()]
            en = english_phrase_before(before)
            if en:
                opening = before.rstrip().endswith(en) and not before.rstrip()[: -len(en)].strip(" \"“‘'")
                en = name_without_descriptor(en, zh, opening) or trim_unlinked(en, zh)
                found.append(_Found(zh, en, sent, ""))
    for sent in zh_sentences:
        for m in _ZH_EN_RE.finditer(sent):
            en = m.group(2).strip().rstrip(".,")
            if not _looks_like_term(en):
                continue
            zh = chinese_term_before(m.group(1), en)
            if zh:
                found.append(_Found(zh, en, "", sent))
    return found


def parenthetical_pairs(en_sentences: Sequence[str], zh_sentences: Sequence[str]) -> list[TermPair]:
    """Every (zh, en) pair stated in brackets, counted, with a first example."""
    merged: dict[tuple[str, str], TermPair] = {}
    for f in _find(en_sentences, zh_sentences):
        key = (f.zh, f.en)
        old = merged.get(key)
        if old is None:
            merged[key] = TermPair(
                zh=f.zh, en=f.en, evidence="parenthetical", score=1.0, count=1,
                example_zh=f.sentence_zh, example_en=f.sentence_en,
            )
        else:
            merged[key] = TermPair(
                zh=old.zh, en=old.en, evidence=old.evidence, score=old.score, count=old.count + 1,
                example_zh=old.example_zh, example_en=old.example_en,
            )
    return list(merged.values())
