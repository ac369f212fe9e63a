"""``npfterm lookup``: query normalisation, matching and ranking over the store.

A query is Chinese (simplified or traditional), English, or pinyin with or
without tones and spaces.  Each kind is reduced to the key the store indexes
(:func:`zh_key`, :func:`en_key_text`, :func:`pinyin_key`), so an exact match
is an index lookup; fuzzy matches come from the store's trigram index and are
scored with rapidfuzz.  A word the corpus lacks falls back to CC-CEDICT,
marked as evidence ``dictionary``.  Examples are beads holding the term,
those whose English also holds the matched translation first.

This module runs in a cold process for every lookup, so it imports nothing
heavy at module level: OpenCC, rapidfuzz and the dictionary load only when a
query needs them, and jieba, numpy and the aligner never.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Sequence

from npfterm.errors import InputError
from npfterm.text.gloss import en_key, en_tokens
from npfterm.text.keys import en_key_text, pinyin_key, zh_key
from npfterm.text.tokens import has_han, to_simplified

if TYPE_CHECKING:  # pragma: no cover
    from npfterm.store.db import BeadRow, Store, TermRow

_PINYIN_QUERY_RE = re.compile(r"^[a-zü\u0300-\u036f1-5' \-]+$")
FUZZY_CUTOFF = 70.0  # rapidfuzz ratio (0–100) below which a term is not shown
DICTIONARY_SCORE = 0.5  # a dictionary sense: plausible, but not from the user's texts
_CANDIDATES = 200  # rows fetched from the index for fuzzy scoring
CONFIDENT_BEAD = 0.5  # examples from beads at least this sure come first, shortest first
_DICT_SENSES = 5  # dictionary senses shown per headword
MAX_QUERY_CHARS = 1000  # a term, or a phrase; longer queries are refused before any work
MAX_LIMIT = 10_000  # most matches (and examples) one lookup returns (lookup -n's bound)


_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u)"
)
_PINYIN_KEY_RE = re.compile(rf"^(?:{_SYLLABLE})+$")


def looks_like_pinyin(text: str) -> bool:
    """Pinyin syllables (tone marks or numbers optional), with or without spaces: "xinzhi shengchanli"."""
    if not _PINYIN_QUERY_RE.match(unicodedata.normalize("NFD", text.lower())):
        return False
    return all(_PINYIN_KEY_RE.match(pinyin_key(part)) for part in re.split(r"[\s'\-]+", text) if part)


# -- results ------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """One term pair answering the query.

    ``kind`` is "exact", "fuzzy" or "dictionary"; ``similarity`` is 1 for
    exact matches; ``score`` is the pair's confidence times that similarity.
    """

    zh: str
    en: str
    pinyin: str
    score: float
    count: int
    evidence: str
    kind: str = "exact"
    similarity: float = 1.0

    def as_json(self) -> dict[str, object]:
        return {
            "zh": self.zh, "en": self.en, "pinyin": self.pinyin,
            "score": self.score, "count": self.count, "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Example:
    """A stored bead holding the term; spans mark the term on each side (character offsets)."""

    zh: str
    en: str
    doc: str
    zh_spans: tuple[tuple[int, int], ...] = ()
    en_spans: tuple[tuple[int, int], ...] = ()

    def as_json(self) -> dict[str, object]:
        return {"zh": self.zh, "en": self.en, "doc": self.doc}


@dataclass(frozen=True)
class LookupResult:
    query: str
    matches: tuple[Match, ...] = ()
    examples: tuple[Example, ...] = ()
    kinds: tuple[str, ...] = field(default=())  # how the query was read: zh, en, pinyin

    def as_json(self) -> dict[str, object]:
        """Exactly the documented shape: query, matches, examples."""
        return {
            "query": self.query,
            "matches": [m.as_json() for m in self.matches],
            "examples": [e.as_json() for e in self.examples],
        }


# -- lookup -------------------------------------------------------------------------


def normalise_query(query: str) -> str:
    """The query as searched: NFKC, whitespace collapsed; InputError when longer than :data:`MAX_QUERY_CHARS`."""
    if len(query) > MAX_QUERY_CHARS:
        raise InputError(f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", query)).strip()


def lookup(store: "Store", query: str, *, limit: int = 10) -> LookupResult:
    """Matches (exact, then fuzzy, then dictionary) and up to ``limit`` examples for ``query``."""
    q = normalise_query(query)
    if not q:
        return LookupResult(query=query)
    limit = max(1, min(limit, MAX_LIMIT))
    searches = _searches(q)
    exact: dict[int, Match] = {}
    fuzzy: dict[int, Match] = {}
    for column, key in searches:
        for row in store.terms_by_key(column, [key]):
            exact.setdefault(row.id, _match(row))
    for column, key in searches:
        for row, sim in _fuzzy(store, column, key, typos=not exact):
            if row.id not in exact and (row.id not in fuzzy or fuzzy[row.id].similarity < sim):
                fuzzy[row.id] = _match(row, "fuzzy", sim)
    ranked = sorted(exact.values(), key=lambda m: (-m.score, -m.count, m.zh, m.en))
    ranked += sorted(fuzzy.values(), key=lambda m: (-m.score, -m.similarity, -m.count, m.zh, m.en))
    if not exact:
        ranked += dictionary_matches(q, searches)
    matches = tuple(ranked[:limit])
    examples = _examples(store, q, searches, matches, limit)
    return LookupResult(query=query, matches=matches, examples=examples, kinds=tuple(dict.fromkeys(c for c, _ in searches)))


def _searches(q: str) -> list[tuple[str, str]]:
    """(store column, key) pairs to try: Chinese, or English and pinyin."""
    if has_han(q):
        return [("zh_key", zh_key(q))]
    out = []
    key = en_key_text(q)
    if key:
        out.append(("en_key", key))
    if looks_like_pinyin(q):
        py = pinyin_key(q)
        if len(py) >= 2:
            out.append(("pinyin_key", py))
    return out


def _match(row: "TermRow", kind: str = "exact", sim: float = 1.0) -> Match:
    return Match(row.zh, row.en, row.pinyin, round(row.score * sim, 4), row.count, row.evidence, kind, round(sim, 4))


def _fuzzy(store: "Store", column: str, key: str, typos: bool) -> list[tuple["TermRow", float]]:
    """Terms whose key resembles ``key``, with similarity: containing it, contained in it, or — when
    ``typos`` (nothing matched exactly) — sharing most trigrams with it."""
    from rapidfuzz import fuzz

    rows: dict[int, TermRow] = {}
    for row in store.terms_containing(column, key, _CANDIDATES):
        rows[row.id] = row
    if column == "zh_key" and len(key) <= 20:
        parts = {key[i:j] for i in range(len(key)) for j in range(i + 2, len(key) + 1) if key[i:j] != key}
        for row in store.terms_by_key(column, sorted(parts)):
            rows[row.id] = row
    if typos and not rows:
        for row in store.terms_sharing_trigrams(column, key, _CANDIDATES):
            rows[row.id] = row
    out = []
    for row in rows.values():
        other = getattr(row, column)
        sim = fuzz.ratio(key, other)
        if sim >= FUZZY_CUTOFF and other != key:
            out.append((row, sim / 100.0))
    return out


# -- dictionary fallback --------------------------------------------------------------


def dictionary_matches(q: str, searches: Sequence[tuple[str, str]]) -> list[Match]:
    """CC-CEDICT entries for a query the corpus lacks: by headword, English sense, or pinyin."""
    from npfterm.text.lexicon import clean_sense, load_cedict_entries

    entries = load_cedict_entries()
    found: list[tuple[str, str, str]] = []  # headword, cedict pinyin, sense
    for column, key in searches:
        if column == "zh_key":
            for head in dict.fromkeys((key, q.replace(" ", ""))):
                entry = entries.get(head)
                if entry:
                    found += [(head, entry.pinyin[0], clean_sense(s)) for s in entry.senses[:_DICT_SENSES]]
                    break
        elif column == "en_key":
            found += _by_sense(entries, q, key)
        elif column == "pinyin_key":
            found += _by_pinyin(entries, key)
    seen: set[tuple[str, str]] = set()
    out = []
    for head, pinyin, sense in found:
        if sense and (head, sense) not in seen and to_simplified(head) == head:
            seen.add((head, sense))
            out.append(Match(head, sense, numbered_to_marks(pinyin), DICTIONARY_SCORE, 0, "dictionary", "dictionary", 1.0))
    return out


def _by_sense(entries, q: str, key: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """Headwords with a sense equal to the English query (up to inflection), shortest headwords first."""
    from npfterm.text.lexicon import clean_sense

    words = [w for w in re.findall(r"[a-z]+", q.lower()) if len(w) > 2] or [q.lower()]
    probe = max(words, key=len)[:5]
    hits = []
    for head, entry in entries.items():
        for sense in entry.senses:
            if probe in sense.lower():
                cleaned = clean_sense(sense)
                if any(en_key_text(_ACRONYM_RE.sub("", part)) == key for part in cleaned.split(";")):
                    hits.append((len(head), head, entry.pinyin[0], cleaned))
                    break
    return [(h, p, s) for _, h, p, s in sorted(hits)[:_DICT_SENSES]]


def _by_pinyin(entries, key: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    from npfterm.text.lexicon import clean_sense

    hits = []
    for head, entry in entries.items():
        if any(p.replace("u:", "u").translate(_CEDICT_PINYIN_DROP).lower() == key for p in entry.pinyin) and entry.senses:
            hits.append((head, entry.pinyin[0], clean_sense(entry.senses[0])))
    return hits[:_DICT_SENSES]


_CEDICT_PINYIN_DROP = str.maketrans("", "", "0123456789 ")


_ACRONYM_RE = re.compile(r"\b[A-Z][A-Z0-9]+\b")
_TONE_MARKS = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "ü": "ǖǘǚǜ"}


def numbered_to_marks(pinyin: str) -> str:
    """CC-CEDICT pinyin to tone marks, one word: "tan4 zhong1 he2" → "tànzhōnghé"."""
    out = []
    for syl in pinyin.split():
        syl = syl.replace("u:", "ü").replace("v", "ü")
        m = re.match(r"^([a-zü]+)([1-5])$", syl.lower())
        if not m:
            out.append(syl)
            continue
        body, tone = m.group(1), int(m.group(2))
        if tone == 5:
            out.append(body)
            continue
        pos = next((body.index(v) for v in "ae" if v in body), -1)
        if pos < 0:
            pos = body.index("o") if "ou" in body else max(i for i, c in enumerate(body) if c in "aeiouü") if any(c in "aeiouü" for c in body) else -1
        if pos < 0:
            out.append(body)
            continue
        out.append(body[:pos] + _TONE_MARKS[body[pos]][tone - 1] + body[pos + 1 :])
    return "".join(out)


# -- examples ---------------------------------------------------------------------------


def _examples(
    store: "Store", q: str, searches: Sequence[tuple[str, str]], matches: Sequence[Match], limit: int
) -> tuple[Example, ...]:
    """Beads holding the best match (or the query): those with its translation on the English side
    first, then confident beads, then short ones (an example should be quick to read)."""
    if limit <= 0:
        return ()
    top = next((m for m in matches if m.kind != "dictionary"), None) or (matches[0] if matches else None)
    zh_terms = [t for t in dict.fromkeys([top.zh if top else "", *(k for c, k in searches if c == "zh_key")]) if t]
    if has_han(q) and q not in zh_terms:
        zh_terms.append(q)
    if top:
        en_terms = [m.en for m in matches if m.zh == top.zh and m.kind == top.kind]
    else:
        en_terms = [q] if any(c == "en_key" for c, _ in searches) else []
    rows: dict[int, BeadRow] = {}
    for term in zh_terms:
        for row in store.beads_with_zh(term, limit * 10):
            rows.setdefault(row.id, row)
    if not rows and en_terms:
        for row in store.beads_with_en(en_terms[0], limit * 10):
            rows.setdefault(row.id, row)
    en_stems = [en_key(t) for t in en_terms]
    scored = []
    for row in rows.values():
        zh_spans = tuple(span for term in zh_terms for span in find_all(row.zh, term))
        en_spans = _merge(span for stems in en_stems for span in stem_spans(row.en, stems))
        rank = (bool(zh_spans) and bool(en_spans), bool(en_spans), row.score >= CONFIDENT_BEAD, -len(row.zh), row.score)
        scored.append((rank, row, zh_spans, en_spans))
    scored.sort(key=lambda item: item[0], reverse=True)
    return tuple(Example(r.zh, r.en, r.doc, _merge(z), e) for _, r, z, e in scored[:limit])


def find_all(text: str, term: str) -> list[tuple[int, int]]:
    """Every (start, end) where ``term`` occurs in ``text``."""
    out, start = [], 0
    while term:
        at = text.find(term, start)
        if at < 0:
            break
        out.append((at, at + len(term)))
        start = at + len(term)
    return out


def stem_spans(text: str, stems: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Where the English term (as a stem sequence) occurs in ``text``, inflection-tolerant."""
    if not stems:
        return ()
    toks = [t for t in en_tokens(text) if t.stems or t.lower]
    keys = [t.stems[0] if t.stems else t.lower for t in toks]
    n = len(stems)
    out = []
    for i in range(len(keys) - n + 1):
        if tuple(keys[i : i + n]) == tuple(stems):
            out.append((toks[i].start, toks[i + n - 1].end))
    return tuple(out)


def _merge(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(set(spans)):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)
