"""Words of both languages as English stems, so a Chinese word can be checked against an English phrase.

English side: word tokens with their phrase chunk (punctuation ends a phrase)
and content stems, tolerant of inflection and derivation (:func:`stems_match`).

Chinese side: what CC-CEDICT says a word means (:func:`units`).  A dictionary
word keeps its senses, each an ordered stem list with a head; a word the
dictionary lacks is cut into dictionary sub-words and runs of single
characters (新质生产力 → 新质 + 生产力), each explained on its own.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from npfterm.text.tokens import EN_STOPWORDS, EN_TOKEN_RE, stem

# Prepositions, pronouns and sentence adverbs EN_STOPWORDS leaves out; no term is made of them.
_MORE_FUNCTION_WORDS = frozenset(
    "toward towards within across among amongst along beyond via despite amid throughout alongside unlike "
    "versus upon everyone everybody someone somebody anyone anybody everything sometimes always often ever "
    "already still even perhaps maybe however therefore actually especially really almost quite rather whether "
    "yet instead".split()
)
# Clipped forms common in Chinese–English journalism ("sci-tech") and old spellings, expanded before stemming.
_CLIPPED = {
    "sci": "science", "tech": "technology", "info": "information", "econ": "economy",
    "govt": "government", "intl": "international",
    "peking": "beijing",  # the postal romanisation kept in names (Peking Opera, Peking University)
}
# Spelling variants stemming does not unify (British → American).
_SPELLING = ((re.compile(r"our$"), "or"), (re.compile(r"is(e|ing|ed|ation)?$"), r"iz\1"))
_PUNCT_GAP_RE = re.compile(r"[^\s\-]")  # any visible character between two words breaks a phrase
_SENTENCE_END = ".!?\"“"


def norm_stem(s: str) -> str:
    """A stem with British spellings made American (labour → labor)."""
    for pat, rep in _SPELLING:
        s = pat.sub(rep, s)
    return s


@dataclass(frozen=True, slots=True)
class EnToken:
    """One English word, or one part of a hyphenated word, with its content stem and phrase chunk."""

    text: str
    start: int
    end: int
    stems: tuple[str, ...]  # the content stem; empty for a function word
    lower: str
    chunk: int  # punctuation between two words starts a new chunk
    initial: bool = False  # first word of a sentence (its capital may be only that)
    hyphen_before: bool = False  # joined to the previous token by a hyphen ("high-|level")

    @property
    def content(self) -> bool:
        return bool(self.stems)


def en_tokens(text: str) -> list[EnToken]:
    """Word tokens of an English text; hyphenated words split into their parts, joined by ``hyphen_before``."""
    out: list[EnToken] = []
    chunk = 0
    prev_end = 0
    for m in EN_TOKEN_RE.finditer(text):
        if out and _PUNCT_GAP_RE.search(text[prev_end : m.start()]):
            chunk += 1
        before = text[: m.start()].rstrip()
        initial = not before or before[-1] in _SENTENCE_END
        pos = m.start()
        for n, part in enumerate(m.group(0).split("-")):
            if part:
                low = part.lower().replace("’", "'")
                out.append(
                    EnToken(part, pos, pos + len(part), _content_stem(low), low, chunk, initial and n == 0, n > 0)
                )
            pos += len(part) + 1
        prev_end = m.end()
    return out


# Negation is content: "not able" must not match "able".
NEGATION = "not"
_NEGATORS = frozenset({"not", "no", "never", "n't", "cannot", "nothing", "none", "nobody", "without", "neither", "nor"})


def _content_stem(low: str) -> tuple[str, ...]:
    if low in _NEGATORS or low.endswith("n't"):
        return (NEGATION,)
    if not any(c.isalpha() for c in low) or low in EN_STOPWORDS or low in _MORE_FUNCTION_WORDS:
        return ()
    return (norm_stem(stem(_CLIPPED.get(low, low))),)


def phrase(text: str, tokens: Sequence[EnToken], first: int, last: int) -> str:
    """The source text of tokens ``first``..``last`` (inclusive)."""
    return text[tokens[first].start : tokens[last].end]


def en_key(text: str) -> tuple[str, ...]:
    """An English phrase as its stem sequence, for case- and inflection-tolerant comparison."""
    return tuple(s for t in en_tokens(text) for s in (t.stems or (t.lower,)))


def stems_match(word: str, gloss: str) -> bool:
    """Inflection- and derivation-tolerant equality of an English stem and a gloss stem.

    Equal; or sharing a prefix of five or more letters with at most two left
    over on each side (produc/product, reliant/relianc); or a compound ending
    in the other (hallmark ← mark, around ← round; photolithography ← lithography).
    """
    if word == gloss:
        return True
    short, long_ = (word, gloss) if len(word) <= len(gloss) else (gloss, word)
    if len(short) >= 5:
        k = 0
        for a, b in zip(short, long_):
            if a != b:
                break
            k += 1
        if k >= 5 and len(short) - k <= 2 and len(long_) - k <= 2:
            return True
    # a compound ending in the other: an English compound (hallmark ← mark), or a gloss compound ending in a
    # longer English word (photolithography ← lithography), not in a short one ("materialist" is no "list")
    if len(word) >= len(gloss) + 3 and word.endswith(gloss):
        return len(gloss) >= 4
    return len(word) >= 6 and len(gloss) >= len(word) + 3 and gloss.endswith(word)


def matches_any(stems: Sequence[str], keys: frozenset[str]) -> bool:
    return any(stems_match(s, k) for s in stems for k in keys)


# -- Chinese ----------------------------------------------------------------------

_LIGHT_VERBS = frozenset({"make", "take", "give", "have", "do", "get", "carri", "put", "set", "becom"})
_OF_RE = re.compile(r"\b(of|between|for)\b")
# Derivational suffixes a translation expresses through morphology (-ive, -ize).
_AFFIXES = frozenset("性化")


@dataclass(frozen=True, slots=True)
class Sense:
    """One dictionary meaning as ordered English stems, with its head word."""

    stems: tuple[str, ...]
    head: str
    verbal: bool = False  # "to ..." in the dictionary

    def explained_by(self, stems: Sequence[str]) -> bool:
        """Two thirds of the stems matched, or the head and half of them ("essential factor" ← "factor").

        A negated sense needs the negation ("not able" is not "able").
        """
        hit = [k for k in self.stems if any(stems_match(s, k) for s in stems)]
        if not hit or (NEGATION in self.stems and NEGATION not in hit):
            return False
        n = len(self.stems)
        return len(hit) >= math.ceil(2 * n / 3) or (self.head in hit and len(hit) >= math.ceil(n / 2))

    def fully_explained_by(self, stems: Sequence[str]) -> bool:
        """Two thirds of the stems matched: the head alone ("tigers" for "Amur tiger") is not the whole word."""
        hit = [k for k in self.stems if any(stems_match(s, k) for s in stems)]
        return len(hit) >= math.ceil(2 * len(self.stems) / 3) and (NEGATION not in self.stems or NEGATION in hit)


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of a Chinese term that an English word or phrase translates.

    Either a dictionary word (``senses``) or a run of characters the
    dictionary does not know as a word (``chars``: each character's glosses),
    such as 新质 or a name; ``romanised`` is its toneless pinyin, syllables
    separated by spaces, for matching names (陈清扬 → "chen qing yang").
    """

    text: str
    keys: frozenset[str]  # every stem that links an English word to this unit
    senses: tuple[Sense, ...] = ()
    chars: tuple[frozenset[str], ...] = ()
    romanised: str = ""


def explains(unit: Unit, stems: Sequence[str]) -> str:
    """``"strong"``, ``"head"``, ``"loose"`` or ``""``: how well English ``stems`` translate ``unit``.

    A dictionary word needs one of its senses explained, strongly when two
    thirds of the sense is; by its head alone ("head": 高质量 ← "quality"), or
    loosely by its first character (新型 ← "new").  A character run of
    three or more is strongly explained when two thirds of its characters are
    (碳达峰 ← "carbon peaking"); a shorter run loosely, by any character (新质 ← "new").
    """
    if unit.senses:
        explained = [s for s in unit.senses if s.explained_by(stems)]
        if any(s.fully_explained_by(stems) for s in explained):
            return "strong"
        if explained:
            return "head"
        return "loose" if _first_character_explained(unit.text, stems) else ""
    hit = sum(1 for keys in unit.chars if matches_any(stems, keys))
    if not hit:
        return ""
    n = len(unit.chars)
    return "strong" if n >= 3 and hit >= math.ceil(2 * n / 3) else "loose"


def _first_character_explained(word: str, stems: Sequence[str]) -> bool:
    """A two-character word whose first character the English translates (新型 ← "new", 医疗 ← "medical")."""
    if len(word) != 2:
        return False
    from npfterm.text.lexicon import load_cedict

    keys = frozenset(norm_stem(k) for k in load_cedict().translations(word[0]))
    return matches_any(stems, keys)


@lru_cache(maxsize=100_000)
def senses(word: str) -> tuple[Sense, ...]:
    """CC-CEDICT meanings of ``word``; "a; b" counts as two meanings."""
    from npfterm.text.lexicon import load_cedict_entries, sense_stems

    entry = load_cedict_entries().get(word)
    if entry is None:
        return ()
    out: list[Sense] = []
    for sense in entry.senses:
        for part in _sense_parts(sense):
            negated = _negated(part)
            stems = tuple(dict.fromkeys(norm_stem(x) for x in sense_stems(part))) + ((NEGATION,) if negated else ())
            if not stems:
                continue
            if part.strip().startswith("to "):
                # a verb sense is about its verb ("to induce labor"), unless the verb is light ("to make a breakthrough")
                head = stems[1] if stems[0] in _LIGHT_VERBS and len(stems) > 1 else stems[0]
            else:
                before_of = [norm_stem(x) for x in sense_stems(_OF_RE.split(part, 1)[0])]
                head = before_of[-1] if before_of and before_of[-1] in stems else stems[-1]
            found = Sense(stems, head, part.strip().startswith("to "))
            if found not in out:
                out.append(found)
    return tuple(out)


_ACRONYM_RE = re.compile(r"\(([A-Z][A-Z0-9]{1,7})\)")


def _sense_parts(sense: str) -> list[str]:
    """The meanings one CC-CEDICT sense holds; an acronym in brackets is one of its own: "artificial intelligence (AI)" → AI."""
    from npfterm.text.lexicon import clean_sense

    return _parts(clean_sense(sense)) + _ACRONYM_RE.findall(sense)


def _negated(part: str) -> bool:
    return any(w in _NEGATORS for w in re.findall(r"[a-z']+", part.lower()))


def has_senses(word: str) -> bool:
    """``bool(senses(word))`` from a set of headwords (~10 MB, cached on disk), without loading every entry.

    Dictionary segmentation asks this of every substring of a term; a glossary
    import asks it of millions of terms and needs no more.
    """
    return word in _sense_words()


@lru_cache(maxsize=1)
def _sense_words() -> frozenset[str]:
    import hashlib
    from pathlib import Path

    from npfterm.text.lexicon import cached_words, load_cedict_entries, sense_stems

    def build() -> list[str]:
        # senses(w) is non-empty exactly when one of its parts has a stem or is negated
        return [
            w for w, e in load_cedict_entries().items()
            if any(sense_stems(p) or _negated(p) for s in e.senses for p in _sense_parts(s))
        ]

    # keyed on this module's text, so a change to what counts as a meaning builds the set again
    return cached_words("senses-" + hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12], build)


def _parts(sense: str) -> list[str]:
    """"a; b" as two meanings; "the Grand Canal, 1800 km from …" also as its first phrase alone.

    CC-CEDICT puts a description after a comma ("Baidu, Internet portal …",
    "UNESCO, United Nations …"); the phrase before it is the translation.
    """
    out = []
    for part in sense.split(";"):
        out.append(part)
        head, comma, _ = part.partition(",")
        if comma and head.strip() and not head.strip().startswith("to "):
            out.append(head)
    return out


def dictionary_words(word: str) -> list[str]:
    """``word`` cut where the dictionary sees words (传统产业 → 传统, 产业; 新质生产力 → 新质, 生产力)."""
    if has_senses(word):
        return [word]
    out: list[str] = []
    for piece, _ in _group(_segment(word)):
        if piece in _AFFIXES and out:
            out[-1] += piece  # 创新性: a suffix belongs to its word
        else:
            out.append(piece)
    return out


@lru_cache(maxsize=100_000)
def units(word: str) -> tuple[Unit, ...]:
    """``word`` as translation units: itself if the dictionary has it, else its dictionary parts and character runs."""
    known = senses(word)
    if known:
        return (Unit(word, frozenset(k for s in known for k in s.stems), known),)
    pieces = _group(_segment(word))
    if len(pieces) == 1 and not pieces[0][1]:
        return (_char_run(word),)
    out: list[Unit] = []
    for piece, is_word in pieces:
        if piece in _AFFIXES:
            continue
        out.extend(units(piece) if is_word else (_char_run(piece),))
    return tuple(out) or (_char_run(word),)


def name_unit(name: str) -> Unit:
    """A personal name: matched by its romanisation (陈清扬 → Chen Qingyang), never by its characters' meanings."""
    run = _char_run(name)
    return Unit(name, frozenset(), (), (), run.romanised)


def _char_run(text: str) -> Unit:
    from npfterm.text.lexicon import load_cedict

    lex = load_cedict()
    chars = tuple(frozenset(norm_stem(k) for k in lex.translations(c)) for c in text)
    romanised = ""
    if 2 <= len(text) <= 4:
        from pypinyin import lazy_pinyin

        romanised = " ".join(lazy_pinyin(text))
    return Unit(text, frozenset().union(*chars), (), chars, romanised)


def _segment(word: str) -> list[str]:
    """Forward maximum matching on dictionary words of two or more characters; single characters between."""
    out: list[str] = []
    i = 0
    while i < len(word):
        for j in range(min(len(word), i + 6), i + 1, -1):
            if word[i:j] != word and has_senses(word[i:j]):
                out.append(word[i:j])
                i = j
                break
        else:
            out.append(word[i])
            i += 1
    return out


def _group(pieces: Sequence[str]) -> list[tuple[str, bool]]:
    """Runs of single characters joined (新 + 质 → 新质); dictionary words and affixes on their own."""
    out: list[tuple[str, bool]] = []
    run = ""
    for p in pieces:
        if len(p) == 1 and p not in _AFFIXES:
            run += p
            continue
        if run:
            out.append((run, False))
            run = ""
        out.append((p, len(p) > 1))
    if run:
        out.append((run, False))
    return out
