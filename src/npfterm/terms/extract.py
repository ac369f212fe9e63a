"""Term pairs of an aligned document: what it states in brackets, and what its beads show.

1. **Stated pairs** come from :func:`npfterm.text.stated.parenthetical_pairs`.
2. **Chinese candidates.**  jieba words with part-of-speech tags, re-joined
   where together they are a dictionary word (碳中 + 和 → 碳中和); every run of
   one to five words between punctuation and function words is a candidate,
   except verb–object phrases (a bare verb first), lone general words, and a
   verb plus a term that also occurs without it (发展 + 新质生产力).
3. **English equivalents.**  Each candidate is matched against its bead's
   English by dictionary glosses, unit by unit (:mod:`npfterm.terms.match`);
   when the bead has no match, the neighbouring beads are tried, since a
   sentence aligner's errors are mostly off by one.
4. **Overlaps.**  Matches nested in longer ones are kept when they are the
   longer one's head or established units — the C-value idea: a string that
   occurs more often than its container, in the document and the store, is a
   term of its own.  "A and B" compounds split into their two terms.
5. **Co-occurrence.**  Repeated candidates the dictionary cannot gloss (names,
   coinages) are paired by Dice over beads — the document's and the store's.
6. One preferred English form per term, plus variants the texts repeat.

Scores are in [0, 1]: how sure we are that the pair belongs in a glossary.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Iterable, Mapping, Protocol, Sequence

from npfterm.models import Alignment, Sentence, TermPair
from npfterm.terms.calibration import nesting, probability
from npfterm.terms.match import GLUE, EnMatch, explained_tokens, match_candidate
from npfterm.text.gloss import (
    NEGATION,
    EnToken,
    Unit,
    dictionary_words,
    en_key,
    en_tokens,
    name_unit,
    phrase,
    senses,
    units,
)
from npfterm.text.lexicon import Lexicon
from npfterm.text.tokens import HAN_RE, ZH_STOPWORDS, stem

#: Longest Chinese candidate, in jieba words and in characters.
MAX_ZH_WORDS = 5
MAX_ZH_CHARS = 16
#: A lone two-character word is a term only if it is rarer than the
#: GENERAL_VOCAB most frequent words of jieba's dictionary (general usage).
GENERAL_VOCAB = 20_000
#: Pairs whose raw evidence score is below this are left out (one gap match seen once).
MIN_SCORE = 0.5
#: Co-occurrence needs this many beads holding both sides.
MIN_JOINT = 3
#: Evidence from one occurrence, by kind of match: every unit explained; a gap
#: filled next to two or more explained units; a gap next to one (which needs
#: a second occurrence to reach MIN_SCORE).
QUALITY = {"full": 0.85, "gap": 0.65, "gap1": 0.55}
NEIGHBOUR_DISCOUNT = 0.8

# Part-of-speech tags (jieba's ICTCLAS set) that end a candidate run.
_BREAK_TAGS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "m", "mq", "q", "y", "e", "o", "x", "w", "zg"})
_EDGE_TAGS = frozenset({"d", "df", "dg", "f", "tg"})  # adverbs and locatives: never first or last
_BAD_LAST = frozenset({"vd", "ad", "a"})  # a term does not end on an adjective or adverb
_LONE_BAD = frozenset({"v", "vd", "vi", "a", "ad", "d", "z", "zg"})  # a lone verb or adjective is vocabulary
_VERB_TAGS = frozenset({"v", "vn", "vd"})
_NAME_TAGS = frozenset({"nr", "nrfg", "nrt"})
# Tags of noun compounds (nouns, nominal verbs, fixed expressions, abbreviations):
# only these may leave one unit to a gap.
_NOMINAL_TAGS = frozenset({"n", "nz", "ng", "nt", "ns", "vn", "an", "l", "j", "b", "t", "s"})


class StoreStats(Protocol):
    """Bead counts over the stored documents, for termhood and co-occurrence across documents."""

    def zh_bead_count(self, text: str) -> int: ...

    def en_bead_count(self, phrase: str) -> int: ...

    def joint_bead_count(self, zh: str, en_phrase: str) -> int: ...


@dataclass(frozen=True)
class ExtractOptions:
    """Settings that change which pairs come out."""

    min_score: float = MIN_SCORE  # on the raw evidence score, before calibration
    calibrated: bool = True  # scores as probabilities (npfterm.terms.calibration); False: the raw evidence score
    neighbours: int = 1  # beads searched either side when a bead holds no match
    cooccurrence: bool = True


# -- Chinese candidates -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ZhToken:
    word: str
    tag: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A run of Chinese words that may be a term, and where it occurs."""

    text: str
    words: tuple[str, ...]
    tags: tuple[str, ...]
    sentence: int  # index of the Chinese sentence
    first: int  # token span in that sentence
    last: int


def zh_tokens(text: str, lexicon: Lexicon, keep: Sequence[str] = ()) -> list[ZhToken]:
    """Tagged jieba words; ``keep`` terms stay whole; split words that form a dictionary word re-joined."""
    import jieba.posseg as posseg

    from npfterm.text.tokens import _jieba, _protect

    _jieba()  # quiet, initialised
    pieces = _protect(text, sorted(set(keep), key=len, reverse=True)) if keep else [(text, False)]
    raw: list[ZhToken] = []
    for piece, whole in pieces:
        if whole:
            raw.append(ZhToken(piece, "nz"))
            continue
        raw.extend(ZhToken(p.word.strip(), p.flag) for p in posseg.lcut(piece, HMM=True) if p.word.strip())
    return _merge_names(_merge_headwords(raw, lexicon))


def _merge_names(tokens: list[ZhToken]) -> list[ZhToken]:
    """A one-character surname jieba split from its given name (陈 + 清扬) becomes one name."""
    out: list[ZhToken] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.tag in _NAME_TAGS and len(tok.word) == 1 and nxt and 1 <= len(nxt.word) <= 2 and _all_han(nxt.word) and nxt.word not in ZH_STOPWORDS:
            out.append(ZhToken(tok.word + nxt.word, "nr"))
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def _merge_headwords(tokens: list[ZhToken], lexicon: Lexicon) -> list[ZhToken]:
    """Join two or three adjacent Han tokens that together are a dictionary word of 3–6 characters."""
    out: list[ZhToken] = []
    i = 0
    while i < len(tokens):
        for n in (3, 2):
            group = tokens[i : i + n]
            joined = "".join(t.word for t in group)
            if len(group) == n and 3 <= len(joined) <= 6 and _all_han(joined) and lexicon.translations(joined):
                out.append(ZhToken(joined, "n"))
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _all_han(text: str) -> bool:
    return all(HAN_RE.match(c) for c in text)


def _is_break(tok: ZhToken) -> bool:
    return not _all_han(tok.word) or tok.word in ZH_STOPWORDS or tok.tag in _BREAK_TAGS


@lru_cache(maxsize=1)
def _general_threshold() -> tuple[Mapping[str, int], int]:
    """jieba's word frequencies, and the frequency of its GENERAL_VOCAB-th most frequent word."""
    from npfterm.text.tokens import _jieba

    freq = _jieba().dt.FREQ
    ranked = sorted((v for v in freq.values() if v > 0), reverse=True)
    return freq, ranked[min(GENERAL_VOCAB, len(ranked) - 1)] if ranked else 0


def general_word(word: str) -> bool:
    """Is ``word`` among the most frequent words of general Chinese?"""
    freq, threshold = _general_threshold()
    return freq.get(word, 0) > threshold


def zh_candidates(tokens: Sequence[ZhToken], sentence: int, names: frozenset[str] = frozenset()) -> list[Candidate]:
    """Every term-shaped run of 1–MAX_ZH_WORDS words in one sentence.

    ``names`` are the romanised forms of capitalised English words of the
    document: a word jieba tags as a name is taken as one only if the English
    spells it (so 高水平/nr is not a person).
    """
    out: list[Candidate] = []
    for i in range(len(tokens)):
        if _is_break(tokens[i]) or tokens[i].tag in _EDGE_TAGS:
            continue
        if i > 0 and tokens[i - 1].tag == "h":
            continue  # after a prefix (非 物质文化遗产): a fragment of the word the prefix begins
        for j in range(i + 1, min(len(tokens), i + MAX_ZH_WORDS) + 1):
            last = tokens[j - 1]
            if _is_break(last):
                break
            words = tuple(t.word for t in tokens[i:j])
            text = "".join(words)
            if len(text) > MAX_ZH_CHARS:
                break
            if last.tag in _EDGE_TAGS or len(text) < 2:
                continue
            if len(words) > 1 and (tokens[i].tag == "v" or last.tag in _BAD_LAST or _verb_only(last)):
                continue  # a verb–object or subject–verb phrase, or a modifier without its head
            if any(_verb_only(t) for t in tokens[i + 1 : j - 1]):
                continue  # a clause: 新材料项目 获得 银行贷款
            if len(words) > 1 and any(_real_name(t, names) for t in tokens[i:j]) and not _org_head(last):
                continue  # a person's name with words around it is a phrase ("夜里陈清扬")
            if len(words) == 1 and last.tag in _LONE_BAD:
                continue
            out.append(Candidate(text, words, tuple(t.tag for t in tokens[i:j]), sentence, i, j))
    return out


def _real_name(tok: ZhToken, names: frozenset[str]) -> bool:
    if tok.tag not in _NAME_TAGS:
        return False
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(tok.word)) in names


def english_names(beads: Iterable[_BeadText]) -> frozenset[str]:
    """Lower-cased capitalised words, alone and in adjacent pairs: where names may hide (Chen Qingyang → chenqingyang)."""
    out: set[str] = set()
    for b in beads:
        caps = [t for t in b.tokens if t.text[:1].isupper() and not t.initial]
        out.update(t.lower for t in caps)
        for a, c in zip(b.tokens, b.tokens[1:]):
            if a.text[:1].isupper() and c.text[:1].isupper():
                out.add(a.lower + c.lower)
    return frozenset(out)


def _verb_only(tok: ZhToken) -> bool:
    """A verb the dictionary knows only as a verb ("to tell"), so a subject–verb phrase ends here."""
    if tok.tag != "v" and not (len(tok.word) == 1 and tok.tag in _VERB_TAGS):
        return False
    known = senses(tok.word)
    return len(tok.word) == 1 or not known or all(s.verbal for s in known)


def _org_head(tok: ZhToken) -> bool:
    """Does the run end on an institution word (公司, 大学, 研究所…), making a name part of a name?"""
    return tok.tag in ("nt", "nz") or tok.word.endswith(("公司", "集团", "大学", "学院", "研究所", "研究院", "医院", "银行", "中心", "协会", "委员会", "部", "局"))


def _verb_phrase(cand: Candidate, occurrences: Mapping[str, int]) -> bool:
    """A verb plus a term that also occurs without it: 发展 + 新质生产力, 新质生产力 + 营造."""
    if len(cand.words) < 2:
        return False
    mine = occurrences.get(cand.text, 0)
    if cand.tags[0] in _VERB_TAGS and occurrences.get("".join(cand.words[1:]), 0) > mine:
        return True
    return cand.tags[-1] in _VERB_TAGS and occurrences.get("".join(cand.words[:-1]), 0) > mine


def candidate_readings(cand: Candidate) -> list[tuple[Unit, ...]]:
    """The candidate as translation units: with its names read as names first, then as words.

    jieba tags some ordinary words as names (高水平/nr), so a name that no
    romanisation matches gets a second reading by its characters' meanings.
    """
    plain = tuple(u for w in cand.words for u in units(w))
    if not any(tag in _NAME_TAGS for tag in cand.tags):
        return [plain]
    named = tuple(
        u for w, tag in zip(cand.words, cand.tags) for u in ((name_unit(w),) if tag in _NAME_TAGS else units(w))
    )
    return [named, plain]


_ADVERB_RE = re.compile(r"(al|ful|ous|ive|ent|ant|ate|ed|ing|ic|less)ly$")


def _past_or_adverb(word: str) -> bool:
    """A past-tense verb ("gasped", "came") or a derived adverb ("especially")."""
    from npfterm.text.tokens import _IRREGULAR

    if len(word) >= 7 and _ADVERB_RE.search(word):
        return True
    if word.endswith("ed") and len(word) > 4 and stem(word) != word:
        return True
    return word in _IRREGULAR and word not in _IRREGULAR_NOT_VERBS


_IRREGULAR_NOT_VERBS = frozenset("men women children feet teeth mice people better best worse worst has".split())


def term_like(en: str) -> bool:
    """Could this English phrase name something in a glossary?

    Not a negated phrase ("didn't matter", "said nothing"), and not ending on
    a past-tense verb or an adverb ("Grandma gasped", "especially").
    """
    toks = en_tokens(en)
    if any(t.stems == (NEGATION,) for t in toks):
        return False
    return not (toks and _past_or_adverb(toks[-1].lower))


def nominal(cand: Candidate) -> bool:
    """Is the candidate a noun compound: nouns, nominal verbs or fixed expressions, adjectives only before the head?"""
    *mods, head = cand.tags
    return head in _NOMINAL_TAGS and all(tag in _NOMINAL_TAGS or tag in ("a", "ag") for tag in mods)


# -- the document pass --------------------------------------------------------------


@dataclass(frozen=True)
class _BeadText:
    zh_sents: tuple[int, ...]
    zh: str
    en: str
    score: float
    tokens: tuple[EnToken, ...]
    # unmatched English sentences right before and after the bead: a part of its translation the aligner missed?
    orphans: tuple[tuple[str, tuple[EnToken, ...]], ...] = ()


@dataclass
class _Acc:
    """Evidence gathered for one (zh, English stems) pair."""

    words: tuple[str, ...]
    count: int = 0
    quality: float = 0.0
    example: tuple[str, str] = ("", "")
    example_quality: float = -1.0
    surfaces: Counter[str] = field(default_factory=Counter)

    def add(self, q: float, surface: str, example: tuple[str, str]) -> None:
        """Independent occurrences combine like independent witnesses (noisy-or)."""
        self.count += 1
        self.quality = 1.0 - (1.0 - self.quality) * (1.0 - q)
        self.surfaces[surface] += 1
        if q > self.example_quality:
            self.example, self.example_quality = example, q


def extract_terms(
    alignment: Alignment,
    *,
    lexicon: Lexicon | None = None,
    stats: StoreStats | None = None,
    options: ExtractOptions = ExtractOptions(),
) -> list[TermPair]:
    """Term pairs of one aligned document, stated and aligned, ranked by score.

    A document in traditional characters is read as its simplified twin
    (jieba's model, the stopwords and termhood are simplified) and its terms
    and examples are given back in the document's own characters.
    """
    simplified = _simplified(alignment)
    if simplified is alignment:
        return _extract(alignment, lexicon, stats, options)
    found = _extract(simplified, lexicon, stats, options)
    return [_in_script(t, simplified, alignment) for t in found]


def _simplified(alignment: Alignment) -> Alignment:
    """The alignment with its Chinese in simplified characters (itself if nothing changes).

    Only a character-for-character conversion is used, so spans map back.
    """
    from npfterm.text.tokens import to_simplified

    def convert(sentences: tuple[Sentence, ...]) -> tuple[Sentence, ...]:
        out = (replace(s, text=to_simplified(s.text)) for s in sentences)
        return tuple(c if len(c.text) == len(s.text) else s for c, s in zip(out, sentences))

    # English sentences too: they state terms in brackets, "productive forces (新質生產力)"
    zh, en = convert(alignment.zh), convert(alignment.en)
    if zh == alignment.zh and en == alignment.en:
        return alignment
    return replace(alignment, zh=zh, en=en)


def _in_script(term: TermPair, simplified: Alignment, original: Alignment) -> TermPair:
    """``term`` (found in ``simplified``) with its Chinese and example as ``original`` writes them."""
    zh = term.zh
    for s, o in zip(simplified.zh + simplified.en, original.zh + original.en):
        at = s.text.find(term.zh)
        if at >= 0:
            zh = o.text[at : at + len(term.zh)]
            break
    ex_zh, ex_en = term.example_zh, term.example_en
    if ex_zh or ex_en:
        pairs = list(zip(simplified.pairs(), original.pairs()))
        ex_zh = {s.zh: o.zh for s, o in pairs}.get(ex_zh, ex_zh)
        ex_en = {s.en: o.en for s, o in pairs}.get(ex_en, ex_en)
    return replace(term, zh=zh, example_zh=ex_zh, example_en=ex_en)


def _extract(
    alignment: Alignment, lexicon: Lexicon | None, stats: StoreStats | None, options: ExtractOptions
) -> list[TermPair]:
    from npfterm.text.lexicon import load_cedict
    from npfterm.text.stated import parenthetical_pairs

    lex = lexicon or load_cedict()
    stated = parenthetical_pairs([s.text for s in alignment.en], [s.text for s in alignment.zh])
    beads = _bead_texts(alignment)
    sent_tokens = [zh_tokens(s.text, lex, [p.zh for p in stated]) for s in alignment.zh]
    counts = _Occurrences(stats)
    found = _aligned_pairs(beads, sent_tokens, counts, options)
    if options.cooccurrence:
        found.update(_cooccurrence_pairs(beads, sent_tokens, found, stats))
    pairs = [_stated_with_example(p, beads) for p in stated]
    pairs += [p for p in _finish(found) if p.score >= options.min_score]
    pairs = _dedupe(pairs)
    if options.calibrated:
        nested = nesting([(p.zh, p.score) for p in pairs])
        pairs = [replace(p, score=probability(p.score, p.count, p.evidence == "parenthetical", *nested[p.zh])) for p in pairs]
    return rank_terms(pairs)


class _Occurrences:
    """How often a candidate string occurs: in this document, plus in the store's beads (looked up once each)."""

    def __init__(self, stats: StoreStats | None) -> None:
        self.doc: Counter[str] = Counter()
        self._stats = stats
        self._store: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        if self._stats is None or len(text) < 3:
            return self.doc[text]  # shorter strings have no index in the store: a scan would be too slow
        if text not in self._store:
            self._store[text] = self._stats.zh_bead_count(text)
        return self.doc[text] + self._store[text]


def _bead_texts(alignment: Alignment) -> list[_BeadText]:
    pairs = list(alignment.pairs())

    def orphans(k: int) -> tuple[tuple[str, tuple[EnToken, ...]], ...]:
        near = [pairs[j] for j in (k - 1, k + 1) if 0 <= j < len(pairs)]
        return tuple((p.en, tuple(en_tokens(p.en))) for p in near if p.en and not p.zh)

    return [
        _BeadText(bead.zh, pair.zh, pair.en, bead.score, tuple(en_tokens(pair.en)), orphans(k))
        for k, (bead, pair) in enumerate(zip(alignment.beads, pairs))
        if pair.complete
    ]


def _aligned_pairs(
    beads: Sequence[_BeadText],
    sent_tokens: Sequence[list[ZhToken]],
    counts: _Occurrences,
    options: ExtractOptions,
) -> dict[tuple[str, str], _Acc]:
    names = english_names(beads)
    cands_by_bead = [[c for i in b.zh_sents for c in zh_candidates(sent_tokens[i], i, names)] for b in beads]
    # general words count for nothing: 科技 alone must not make 科技创新 "a verb plus a term"
    counts.doc.update(c.text for cs in cands_by_bead for c in cs if not _general(c))
    explained = [_explained(b, sent_tokens) for b in beads]
    matches: list[tuple[int, Candidate, EnMatch]] = []
    for bi, cands in enumerate(cands_by_bead):
        for cand in cands:
            if _verb_phrase(cand, counts.doc):
                continue
            m = None
            place = _enumeration_place(cand, sent_tokens[cand.sentence], [(c, x) for b, c, x in matches if b == bi])
            for cu in candidate_readings(cand):
                m = match_candidate(cu, beads[bi].en, beads[bi].tokens, explained[bi], gaps=nominal(cand), chunk=place)
                if m is None and options.neighbours:
                    m = _neighbour_match(cu, bi, beads, explained, options.neighbours)
                if m is not None:
                    break
            if m is not None and term_like(m.en) and not _vocabulary(cand, m, counts):
                matches.append((bi, cand, m))
    proper = {t.text for b in beads for t in b.tokens if not t.initial and t.text[:1].isupper()}
    found: dict[tuple[str, str], _Acc] = {}
    for bi, cand, m in select_matches(matches, counts):
        acc = found.setdefault((cand.text, " ".join(en_key(m.en))), _Acc(cand.words))
        acc.add(match_quality(m, beads[bi].score), _mid_sentence(m, proper), (beads[bi].zh, beads[bi].en))
    return found


_ENUMERATION = frozenset("、,，")


def _enumeration_place(
    cand: Candidate, tokens: Sequence[ZhToken], earlier: Sequence[tuple[Candidate, EnMatch]]
) -> int | None:
    """The English chunk an enumeration item's translation belongs in: the one after the previous item's.

    劳动者、劳动资料、劳动对象 ↔ "workers, means of labor, subjects of labor": 劳动资料
    follows 劳动者, matched to "workers", so it is translated in the next chunk.
    """
    if cand.first == 0 or tokens[cand.first - 1].word not in _ENUMERATION:
        return None
    before = [(c, m) for c, m in earlier if c.sentence == cand.sentence and c.last == cand.first - 1]
    if not before:
        return None
    _, m = max(before, key=lambda cm: cm[0].last - cm[0].first)
    return m.chunk + 1


def _vocabulary(cand: Candidate, m: EnMatch, counts: Callable[[str], int]) -> bool:
    """Is a lone two-character word general vocabulary rather than a term?

    A name in English ("Spring Festival", "Great Wall", "Criminal Law" —
    capitalised mid-sentence) makes it a term; so does a full translation of a
    word outside general usage (刺绣 → embroidery).  A word of general usage,
    or one only partly translated and seen once, is vocabulary.
    """
    if len(cand.words) != 1 or len(cand.text) != 2:
        return False
    if proper_name(m):
        return False
    if _general(cand):
        return True
    return m.gap > 0 and counts(cand.text) < 2


def _general(cand: Candidate) -> bool:
    return len(cand.words) == 1 and len(cand.text) == 2 and general_word(cand.text)


def proper_name(m: EnMatch) -> bool:
    """Is the English match a name of two or more words, each capitalised ("Great Wall"; "China" alone is not enough)?"""
    words = [w for w in m.en.split() if w.lower() not in GLUE]
    return len(words) > 1 and all(w[:1].isupper() for w in words)


def match_quality(m: EnMatch, bead_score: float) -> float:
    """Evidence from one occurrence: the kind of match, the bead's confidence, a neighbour-bead discount."""
    q = QUALITY["full"] if m.gap == 0 else QUALITY["gap"] if m.anchors >= 2 else QUALITY["gap1"]
    if m.neighbour:
        q *= NEIGHBOUR_DISCOUNT
    return q * (0.8 + 0.2 * min(max(bead_score, 0.0), 1.0))


def _explained(bead: _BeadText, sent_tokens: Sequence[list[ZhToken]]) -> list[bool]:
    bead_units = [u for i in bead.zh_sents for t in sent_tokens[i] if not _is_break(t) for u in units(t.word)]
    return explained_tokens(bead.tokens, bead_units)


def _neighbour_match(
    cu: Sequence[Unit], bi: int, beads: Sequence[_BeadText], explained: Sequence[Sequence[bool]], width: int
) -> EnMatch | None:
    """A match with every unit explained (no gap) in a bead next to this one, or in an unmatched English sentence
    next to it."""
    for d in range(1, width + 1):
        for bj in (bi - d, bi + d):
            if 0 <= bj < len(beads):
                m = match_candidate(cu, beads[bj].en, beads[bj].tokens, explained[bj])
                if m is not None and m.gap == 0:
                    return replace(m, neighbour=True)
    for text, tokens in beads[bi].orphans:
        m = match_candidate(cu, text, tokens, [False] * len(tokens))
        if m is not None and m.gap == 0:
            return replace(m, neighbour=True)
    return None


def _mid_sentence(m: EnMatch, proper: set[str]) -> str:
    """The phrase as it reads mid-sentence: "Factors of production" → "factors of production"."""
    en = re.sub(r"['’]s$", "", m.en)  # "UNESCO's" names UNESCO
    first, _, rest = en.partition(" ")
    if m.initial and first[:1].isupper() and first[1:].islower() and first not in proper:
        return " ".join(filter(None, (first.lower(), rest)))
    return en


def select_matches(
    matches: Sequence[tuple[int, Candidate, EnMatch]], occurrences: _Occurrences | Mapping[str, int]
) -> list[tuple[int, Candidate, EnMatch]]:
    """Resolve matches that overlap within one sentence.

    Chinese compounds are head-final, so a match ending where a longer one
    ends is its head and a term of its own (转型升级 in 产业深度转型升级).  Other
    matches inside a longer one stay only if they are established units: seen
    more often than the longer one, a dictionary word, or one jieba word of
    three or more characters — fragments like 良好国际 go.  A match that is two
    smaller ones translated as "A and B" (碳达峰碳中和) is those two terms.  A gap
    filled with words that are another candidate's match in the bead is
    dropped (新动能 ≠ "new models" when 新模式 → "new models").
    """
    count: Callable[[str], int] = occurrences if callable(occurrences) else (lambda text: occurrences.get(text, 0))
    by_sentence: dict[int, list[tuple[int, Candidate, EnMatch]]] = defaultdict(list)
    full_by_bead: dict[int, list[tuple[Candidate, str]]] = defaultdict(list)
    gap_claims: Counter[tuple[int, str]] = Counter()
    for item in matches:
        by_sentence[item[1].sentence].append(item)
        if item[2].gap == 0:
            full_by_bead[item[0]].append((item[1], item[2].en.lower()))
        else:
            gap_claims[(item[0], item[2].en.lower())] += 1
    kept = []
    for items in by_sentence.values():
        english = {(c.first, c.last): m.en.lower() for _, c, m in items}
        for item in items:
            bi, c, m = item
            outer = [o for _, o, _ in items if o.first <= c.first and o.last >= c.last and o.last - o.first > c.last - c.first]
            if any(
                o.last != c.last and not _established(c, o, count) and not _prepositional_object(m.en, english[(o.first, o.last)])
                for o in outer
            ):
                continue
            if _coordination(c.first, c.last, m.en.lower(), english):
                continue
            if m.gap and (
                gap_claims[(bi, m.en.lower())] > 1
                or any(
                    (m.en.lower() in en or en in m.en.lower()) and not _inside(o, c) for o, en in full_by_bead[bi]
                )
            ):
                continue
            kept.append(item)
    return kept


def _inside(inner: Candidate, outer: Candidate) -> bool:
    return inner.sentence == outer.sentence and outer.first <= inner.first and inner.last <= outer.last


_PREPOSITIONS = frozenset({"of", "in", "for", "on"})


def _prepositional_object(inner_en: str, outer_en: str) -> bool:
    """Is the inner match a whole noun phrase after a preposition of the outer one?

    高技术产业投资 → "investment in high-tech industries": 高技术产业 ("high-tech
    industries") is a phrase of its own there, not a modifier cut from its head.
    """
    inner, outer = inner_en.lower().split(), outer_en.lower().split()
    n = len(inner)
    return len(outer) > n + 1 and outer[-n:] == inner and outer[-n - 1] in _PREPOSITIONS


def _established(inner: Candidate, outer: Candidate, count: Callable[[str], int]) -> bool:
    if (len(inner.words) == 1 and len(inner.text) >= 3) or senses(inner.text):
        return True
    return count(inner.text) > count(outer.text)


def _coordination(first: int, last: int, en: str, english: Mapping[tuple[int, int], str]) -> bool:
    """Is the match two smaller matches side by side, translated as "A and B"?"""
    for (a, b), left in english.items():
        right = english.get((b, last)) if a == first and b < last else None
        if right and en in (f"{left} and {right}", f"{right} and {left}", f"{left}, {right}", f"{left} or {right}"):
            return True
    return False


# -- co-occurrence ------------------------------------------------------------------


def _cooccurrence_pairs(
    beads: Sequence[_BeadText],
    sent_tokens: Sequence[list[ZhToken]],
    found: Mapping[tuple[str, str], _Acc],
    stats: StoreStats | None,
) -> dict[tuple[str, str], _Acc]:
    """Repeated candidates the dictionary cannot gloss, paired with the n-gram sharing most beads (Dice)."""
    matched = [zh for zh, _ in found]
    names = english_names(beads)
    zh_beads: dict[str, set[int]] = defaultdict(set)
    words_of: dict[str, tuple[str, ...]] = {}
    for bi, b in enumerate(beads):
        for i in b.zh_sents:
            for c in zh_candidates(sent_tokens[i], i, names):
                if _unglossed(c) and not any(c.text in z or z in c.text for z in matched):
                    zh_beads[c.text].add(bi)
                    words_of[c.text] = c.words
    en_index: dict[str, set[int]] = defaultdict(set)
    for bi, b in enumerate(beads):
        for gram in en_ngrams(b.en, b.tokens, 4):
            en_index[gram].add(bi)
    out: dict[tuple[str, str], _Acc] = {}
    for zh, bset in zh_beads.items():
        if len(bset) < MIN_JOINT:
            continue
        scored = [
            (2 * len(bset & eset) / (len(bset) + len(eset)), len(gram), gram)
            for gram, eset in en_index.items()
            if len(bset & eset) >= MIN_JOINT
        ]
        if not scored:
            continue
        dice, _, gram = max(scored)
        joint = len(bset & en_index[gram])
        if stats is not None:
            dice = min(dice, _store_dice(zh, gram, stats, dice))
        score = dice * (1.0 - 1.0 / (joint + 1))
        if score >= MIN_SCORE:
            bi = min(bset & en_index[gram])
            acc = _Acc(words_of[zh])
            acc.add(score, gram, (beads[bi].zh, beads[bi].en))
            acc.count = joint
            out[(zh, " ".join(en_key(gram)))] = acc
    return out


def _unglossed(cand: Candidate) -> bool:
    """Does the candidate hold a word the dictionary cannot translate (a name, a coinage)?"""
    return any(not u.senses for u in candidate_readings(cand)[-1])


def _store_dice(zh: str, en: str, stats: StoreStats, local: float) -> float:
    if len(zh) < 3:
        return local  # see _Occurrences
    z, e = stats.zh_bead_count(zh), stats.en_bead_count(en)
    if z + e == 0:
        return local
    return 2 * stats.joint_bead_count(zh, en) / (z + e)


def en_ngrams(text: str, tokens: Sequence[EnToken], n_max: int) -> set[str]:
    """Phrase-shaped n-grams (content words at both ends, glue words inside) up to ``n_max`` words."""
    grams: set[str] = set()
    for i, first in enumerate(tokens):
        if not first.content or first.hyphen_before:
            continue
        for j in range(i, min(len(tokens), i + n_max)):
            tok = tokens[j]
            if tok.chunk != first.chunk or not (tok.content or tok.lower in GLUE or tok.hyphen_before):
                break
            if tok.content and not (j + 1 < len(tokens) and tokens[j + 1].hyphen_before):
                grams.add(phrase(text, tokens, i, j))
    return grams


# -- rows ---------------------------------------------------------------------------


def _finish(found: Mapping[tuple[str, str], _Acc]) -> list[TermPair]:
    """One row per (zh, English form) in its commonest spelling; then the preferred variants."""
    out = []
    for (zh, _), acc in found.items():
        en = max(acc.surfaces.items(), key=lambda kv: (kv[1], kv[0].islower(), kv[0]))[0]
        out.append(
            TermPair(
                zh=zh, en=en, evidence="aligned", score=round(acc.quality, 4), count=acc.count,
                pinyin=term_pinyin(zh, acc.words), example_zh=acc.example[0], example_en=acc.example[1],
            )
        )
    return preferred_variants(out)


def preferred_variants(pairs: Sequence[TermPair]) -> list[TermPair]:
    """Per Chinese term the best-attested English form, and others seen at least twice and half as often.

    A glossary gives one equivalent per term; a variant earns its own row only
    when the texts keep using it.
    """
    by_zh: dict[str, list[TermPair]] = defaultdict(list)
    for p in pairs:
        by_zh[p.zh].append(p)
    out = []
    for group in by_zh.values():
        group.sort(key=lambda p: (-p.score, -p.count, p.en))
        out.append(group[0])
        out.extend(p for p in group[1:] if p.count >= 2 and 2 * p.count >= group[0].count)
    return out


def _stated_with_example(pair: TermPair, beads: Sequence[_BeadText]) -> TermPair:
    """A bracketed pair with its pinyin, and the bead stating it as example."""
    example = (pair.example_zh, pair.example_en)
    for b in beads:
        if (pair.example_en and pair.example_en in b.en) or (pair.example_zh and pair.example_zh in b.zh):
            example = (b.zh, b.en)
            break
    return replace(pair, pinyin=term_pinyin(pair.zh), example_zh=example[0], example_en=example[1])


def _dedupe(pairs: Iterable[TermPair]) -> list[TermPair]:
    """One row per (zh, en) up to case and inflection; a stated pair wins over an aligned one."""
    best: dict[tuple[str, tuple[str, ...]], TermPair] = {}
    for p in pairs:
        key = (p.zh, en_key(p.en))
        old = best.get(key)
        if old is None:
            best[key] = p
            continue
        keep, other = (p, old) if (p.evidence == "parenthetical", p.score) > (old.evidence == "parenthetical", old.score) else (old, p)
        best[key] = replace(keep, count=max(keep.count, other.count))
    return list(best.values())


def rank_terms(pairs: Iterable[TermPair]) -> list[TermPair]:
    """Highest score first, then most frequent, then by text (stable output)."""
    return sorted(pairs, key=lambda p: (-p.score, -p.count, p.zh, p.en))


def term_pinyin(zh: str, words: Sequence[str] | None = None) -> str:
    """Tone-marked pinyin, syllables joined within a word: 新质生产力 → "xīnzhì shēngchǎnlì"."""
    from pypinyin import Style, pinyin

    from npfterm.text.lexicon import load_cedict

    tokens = list(words) if words and "".join(words) == zh else [t.word for t in zh_tokens(zh, load_cedict())]
    parts = [p for w in tokens for p in (dictionary_words(w) if HAN_RE.match(w) else [w])]
    out = []
    for w in parts:
        out.append(_join_syllables([s[0] for s in pinyin(w, style=Style.TONE)]) if HAN_RE.search(w) else w)
    return " ".join(out)


def _join_syllables(syllables: Sequence[str]) -> str:
    """One word's syllables, with the apostrophe before a vowel-initial one (xī'ān)."""
    import unicodedata

    out = ""
    for syl in syllables:
        if out and unicodedata.normalize("NFD", syl)[:1] in ("a", "e", "o"):
            out += "'"
        out += syl
    return out
