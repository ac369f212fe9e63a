"""The store: one SQLite file holding documents, beads and term pairs — the only sqlite3 user.

Layout (schema version :data:`SCHEMA_VERSION`):

- ``documents`` — one row per aligned or imported document, keyed by its
  source: the resolved path(s) of its file(s), ``-:HASH`` for stdin (schema 4;
  before, a document with the same content hash or base name was replaced);
  its name, content hash, date and run signature/settings (JSON).
- ``sentences`` and ``beads`` — the document's sentences and aligned pairs;
  a bead's ``evidence`` says who made it: ``aligned``, ``reviewed`` (corrected
  or confirmed in the review page) or ``imported`` (schema 5).
- ``terms`` — one row per (Chinese, English) pair as written, with its
  aggregate count, score, evidence and example, plus lookup keys (simplified
  Chinese, English stems, toneless pinyin).  An imported glossary's variants
  (``aborting`` and ``abort``, ``lo fi`` and ``lo-fi``) stay separate rows;
  only a pair found in a document joins the row of an inflectional variant
  already there, and lookup folds variants through the keys; ``term_sources`` says which document (or
  imported glossary, ``doc_id`` NULL) contributed what, so replacing a
  document takes its terms out again.
- FTS5 indexes: a trigram index over bead Chinese (any substring of three or
  more characters), a Porter-stemmed index over bead English, and a trigram
  index over the term keys.  Without FTS5/trigram support, ``LIKE`` scans.
- ``meta`` — schema version, the npfterm version and settings of the last write.

Every write is one ``BEGIN IMMEDIATE`` transaction: it either happens whole or
not at all, and a second writer waits up to the busy timeout.  The file runs
in WAL mode so lookups never wait for writers.  sqlite3 errors never leave
this module raw: they become :class:`TermbaseError` with a message that says
what to do.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
import urllib.parse
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from npfterm.errors import InputError, TermbaseError
from npfterm.models import AlignedPair, Alignment, Bead, RunInfo, Sentence, TermPair
from npfterm.text.keys import en_key_text, pinyin_key, zh_key
from npfterm.version import __version__

SCHEMA_VERSION = 5
DEFAULT_TIMEOUT = 60.0  # seconds a writer waits for another (a 200 MB import holds the lock ~1 min)
TIMEOUT_ENV = "NPFTERM_BUSY_TIMEOUT"  # overrides DEFAULT_TIMEOUT (seconds)
EVIDENCE = ("parenthetical", "aligned", "dictionary", "imported")
_EVIDENCE_RANK = {"parenthetical": 3, "imported": 2, "aligned": 1, "dictionary": 0}


@dataclass(frozen=True)
class DocumentInfo:
    """A stored document, as ``npfterm export`` and listings show it."""

    id: int
    name: str
    source_path: str
    content_hash: str
    added: str  # ISO 8601, UTC
    zh_count: int  # sentences (or imported segments) per language
    en_count: int
    bead_count: int
    signature: str


@dataclass(frozen=True)
class StoredDocument:
    """One stored document in full: sentences and beads, as the review page edits them."""

    info: DocumentInfo
    zh: tuple[Sentence, ...]
    en: tuple[Sentence, ...]
    beads: tuple[Bead, ...]
    settings: Mapping[str, object]

    def alignment(self) -> Alignment:
        """The document as an Alignment (its run settings stay in ``settings``; only mode and version are carried)."""
        info = RunInfo(version=str(self.settings.get("version", "")), mode=str(self.settings.get("mode", "")), bead_types=())
        return Alignment(self.zh, self.en, self.beads, info, self.info.name)


@dataclass(frozen=True)
class TermRow:
    """A term pair as stored, with its id and lookup keys (for ranking in lookup)."""

    id: int
    zh: str
    en: str
    pinyin: str
    zh_key: str
    en_key: str
    pinyin_key: str
    count: int
    score: float
    evidence: str
    example_zh: str
    example_en: str


@dataclass(frozen=True)
class BeadRow:
    """One stored bead with its document's name."""

    id: int
    zh: str
    en: str
    score: float
    doc: str


def default_path() -> Path:
    """``$NPFTERM_DB``, else ``npfterm.sqlite`` in the platform's user data directory."""
    env = os.environ.get("NPFTERM_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("npfterm", appauthor=False)) / "npfterm.sqlite"


def busy_timeout() -> float:
    """Seconds a writer waits for another: ``$NPFTERM_BUSY_TIMEOUT``, else :data:`DEFAULT_TIMEOUT`."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < 1e6:  # also refuses nan and inf
        raise TermbaseError(f"{TIMEOUT_ENV}={raw!r} is not a number of seconds; set it to e.g. 10, or unset it")
    return seconds


# -- schema -------------------------------------------------------------------------

# Documents are keyed by source_path (schema 4); two may hold the same content.
_DOCUMENTS = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    source_path TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    added TEXT NOT NULL,
    zh_count INTEGER NOT NULL,
    en_count INTEGER NOT NULL,
    signature TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT '{}'
);
"""
_DOCUMENT_INDEXES = """
CREATE UNIQUE INDEX documents_source ON documents(source_path);
CREATE INDEX documents_name ON documents(name);
"""

_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
""" + _DOCUMENTS + _DOCUMENT_INDEXES + """
CREATE TABLE sentences (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    lang TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
    idx INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_id, lang, idx)
) WITHOUT ROWID;
CREATE TABLE beads (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    zh TEXT NOT NULL,
    en TEXT NOT NULL,
    zh_ids TEXT NOT NULL,
    en_ids TEXT NOT NULL,
    score REAL NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX beads_doc ON beads(doc_id, pos);
CREATE TABLE terms (
    id INTEGER PRIMARY KEY,
    zh TEXT NOT NULL,
    en TEXT NOT NULL,
    pinyin TEXT NOT NULL DEFAULT '',
    count INTEGER NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'candidate',
    example_bead INTEGER REFERENCES beads(id) ON DELETE SET NULL,
    example_zh TEXT NOT NULL DEFAULT '',
    example_en TEXT NOT NULL DEFAULT ''
);
CREATE TABLE term_sources (
    term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
    doc_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    count INTEGER NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL,
    example_bead INTEGER REFERENCES beads(id) ON DELETE SET NULL,
    example_zh TEXT NOT NULL DEFAULT '',
    example_en TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX term_sources_key ON term_sources(term_id, IFNULL(doc_id, 0));
CREATE INDEX term_sources_doc ON term_sources(doc_id);
"""

# Version 2 added lookup keys to terms and the term index.
_TERM_KEYS = """
ALTER TABLE terms ADD COLUMN zh_key TEXT NOT NULL DEFAULT '';
ALTER TABLE terms ADD COLUMN en_key TEXT NOT NULL DEFAULT '';
ALTER TABLE terms ADD COLUMN pinyin_key TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX terms_pair ON terms(zh, en_key);
CREATE INDEX terms_zh_key ON terms(zh_key);
CREATE INDEX terms_en_key ON terms(en_key);
CREATE INDEX terms_pinyin_key ON terms(pinyin_key);
CREATE INDEX terms_rank ON terms(score DESC, count DESC);
"""

# Version 3 keys a term by its English as written, not by its stems: a glossary keeps its variants.
_TERMS_AS_WRITTEN = """
DROP INDEX terms_pair;
CREATE UNIQUE INDEX terms_pair ON terms(zh, en);
CREATE INDEX terms_variant ON terms(zh, en_key);
"""


# Version 5 added who made each bead (the review page marks its corrections ``reviewed``).
_BEAD_EVIDENCE = """
ALTER TABLE beads ADD COLUMN evidence TEXT NOT NULL DEFAULT 'aligned';
"""


def _bead_index(name: str, column: str, tokenize: str) -> str:
    """An FTS5 index over one bead column, kept in step with ``beads`` by triggers."""
    return f"""
CREATE VIRTUAL TABLE {name} USING fts5({column}, content='beads', content_rowid='id', tokenize='{tokenize}');
CREATE TRIGGER {name}_ai AFTER INSERT ON beads BEGIN
    INSERT INTO {name}(rowid, {column}) VALUES (new.id, new.{column});
END;
CREATE TRIGGER {name}_ad AFTER DELETE ON beads BEGIN
    INSERT INTO {name}({name}, rowid, {column}) VALUES ('delete', old.id, old.{column});
END;
"""


def _bead_fts(trigram: bool) -> str:
    """Chinese by trigrams (any substring of 3+ characters), English by Porter stems."""
    zh = _bead_index("beads_zh_fts", "zh", "trigram") if trigram else ""
    return zh + _bead_index("beads_en_fts", "en", "porter unicode61 remove_diacritics 2")


_TERM_FTS = """
CREATE VIRTUAL TABLE terms_fts USING fts5(zh_key, en_key, pinyin_key, content='terms', content_rowid='id',
    tokenize='trigram');
CREATE TRIGGER terms_ai AFTER INSERT ON terms BEGIN
    INSERT INTO terms_fts(rowid, zh_key, en_key, pinyin_key) VALUES (new.id, new.zh_key, new.en_key, new.pinyin_key);
END;
CREATE TRIGGER terms_ad AFTER DELETE ON terms BEGIN
    INSERT INTO terms_fts(terms_fts, rowid, zh_key, en_key, pinyin_key)
    VALUES ('delete', old.id, old.zh_key, old.en_key, old.pinyin_key);
END;
CREATE TRIGGER terms_au AFTER UPDATE OF zh_key, en_key, pinyin_key ON terms BEGIN
    INSERT INTO terms_fts(terms_fts, rowid, zh_key, en_key, pinyin_key)
    VALUES ('delete', old.id, old.zh_key, old.en_key, old.pinyin_key);
    INSERT INTO terms_fts(rowid, zh_key, en_key, pinyin_key) VALUES (new.id, new.zh_key, new.en_key, new.pinyin_key);
END;
"""


def _features(conn: sqlite3.Connection) -> tuple[bool, bool]:
    """(FTS5 available, trigram tokenizer available) in this SQLite build."""
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._probe USING fts5(x, tokenize='trigram')")
        conn.execute("DROP TABLE temp._probe")
        return True, True
    except sqlite3.OperationalError:
        pass
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._probe USING fts5(x)")
        conn.execute("DROP TABLE temp._probe")
        return True, False
    except sqlite3.OperationalError:
        return False, False


# -- errors -------------------------------------------------------------------------


def _error(exc: sqlite3.Error, path: Path) -> TermbaseError:
    """A sqlite3 error as a message a user can act on."""
    text = str(exc)
    low = text.lower()
    if "not a database" in low or "file is encrypted" in low or "malformed" in low:
        return TermbaseError(f"{path} is not an npfterm store (file is not a database)")
    if "locked" in low or "busy" in low:
        return TermbaseError(f"the store {path} is locked by another npfterm process; try again")
    if "readonly" in low or "read-only" in low:
        return TermbaseError(f"the store {path} is read-only; check the file's permissions")
    if "disk is full" in low or "disk i/o" in low:
        return TermbaseError(f"cannot write the store {path}: {text}; free some disk space and try again")
    if "unable to open" in low:
        return TermbaseError(f"cannot open the store {path}; check that its directory exists and is writable")
    return TermbaseError(f"store error in {path}: {text}")


# -- the store ----------------------------------------------------------------------


class Store:
    """An npfterm store file.  Open with :meth:`open`; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path, fts: bool, trigram: bool) -> None:
        self._conn = conn
        self.path = path
        self._fts = fts
        self._trigram = trigram
        self.read_only = False  # opened read-only: the file cannot be written here
        # made by this open and not yet written: removed again if the ``with`` block fails
        # (a streamed import refused at its last row leaves no new, empty store behind)
        self._made: tuple[Path, ...] = ()

    # -- opening --

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        create: bool = True,
        timeout: float | None = None,
        read_only: bool = False,
    ) -> "Store":
        """Open (and if needed create or migrate) the store at ``path``.

        ``None`` means ``$NPFTERM_DB``, else the user data directory.  With
        ``create=False`` a missing store is an error rather than a new file.
        ``timeout`` (seconds a writer waits for another) defaults to :func:`busy_timeout`.
        ``read_only``: for commands that only read (lookup, export, docs) —
        a store this process cannot write (a read-only file, folder or file
        system) is opened read-only instead of refused.
        """
        if timeout is None:
            timeout = busy_timeout()
        target = Path(path).expanduser() if path is not None else default_path()
        if target.is_dir():
            raise TermbaseError(f"{target} is a directory; give the store's file name, e.g. {target / 'npfterm.sqlite'}")
        exists = target.exists()
        if not exists and not create:
            raise TermbaseError(f"no store at {target}", hint=("store", None))
        if exists and read_only and not _writable(target):
            return cls._open_read_only(target, timeout)
        made: list[Path] = []
        if not exists:
            made = [target, *(p for p in reversed(target.parent.parents) if not p.exists()), *([] if target.parent.exists() else [target.parent])]
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise TermbaseError(f"cannot create the store {target}: {exc.strerror or exc}") from None
        try:
            conn = sqlite3.connect(target, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise _error(exc, target) from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls._prepare(conn, target, timeout)
            store._made = tuple(made)
        except sqlite3.Error as exc:
            conn.close()
            if not exists:
                _remove_empty(target)
            raise _error(exc, target) from None
        except BaseException:
            conn.close()
            if not exists:
                _remove_empty(target)
            raise
        return store

    @classmethod
    def _open_read_only(cls, target: Path, timeout: float) -> "Store":
        """A store that cannot be written: ``mode=ro``, or ``immutable=1`` when even that needs a write (WAL)."""
        uri = "file:" + urllib.parse.quote(str(target.resolve()))
        last: sqlite3.Error | None = None
        for flags in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                conn = sqlite3.connect(uri + flags, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                last = exc
                continue
            try:
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
                if "meta" not in tables:
                    raise TermbaseError(f"{target} is not an npfterm store (it is a database without npfterm's tables)")
                version = _schema_version(conn, target)
                if version < 2:
                    raise TermbaseError(
                        f"the store {target} needs upgrading to schema {SCHEMA_VERSION}, which needs write access; "
                        "open it once where it can be written"
                    )
            except sqlite3.Error as exc:
                conn.close()
                last = exc
                continue
            except BaseException:
                conn.close()
                raise
            store = cls(conn, target, "beads_en_fts" in tables, "beads_zh_fts" in tables)
            store.read_only = True
            return store
        assert last is not None
        raise _error(last, target) from None

    @classmethod
    def _prepare(cls, conn: sqlite3.Connection, path: Path, timeout: float) -> "Store":
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "meta" not in tables:
            raise TermbaseError(f"{path} is not an npfterm store (it is a database without npfterm's tables)")
        _use_wal(conn, timeout)
        conn.execute("PRAGMA synchronous = NORMAL")
        if not tables:
            fts, trigram = _features(conn)
            with _transaction(conn, path):
                if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                    _create(conn, fts, trigram)
        else:
            _migrate(conn, path)
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        return cls(conn, path, "beads_en_fts" in names, "beads_zh_fts" in names)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        empty = False
        if exc_type is not None and self._made:
            with contextlib.suppress(sqlite3.Error):  # still empty: no other process has written it meanwhile
                empty = not self._conn.execute(
                    "SELECT EXISTS (SELECT 1 FROM documents) OR EXISTS (SELECT 1 FROM terms)"
                ).fetchone()[0]
        self.close()
        if empty:
            _remove_new(self._made)

    # -- writing --

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with _transaction(self._conn, self.path):
            yield self._conn
        self._made = ()  # written: the store is the user's now, whatever happens next

    def add_alignment(
        self,
        alignment: Alignment,
        *,
        source_path: str,
        content_hash: str,
        terms: Sequence[TermPair] = (),
        name: str | None = None,
    ) -> int:
        """Store an aligned document and its terms in one transaction; the document id.

        ``source_path`` identifies the document: one stored from the same
        source is replaced (its term contributions taken out), so aligning a
        file again never duplicates it, while a file of the same name in
        another folder is another document.  ``name`` (default: the source's
        file name) also replaces a document stored under that name.
        """
        chosen = name is not None
        name = name or alignment.source or Path(source_path).name
        pairs = list(alignment.pairs())
        with self._write() as conn:
            touched = self._remove_documents(conn, source_path, name if chosen else None)
            doc_id = self._insert_document(
                conn, name, source_path, content_hash, len(alignment.zh), len(alignment.en),
                alignment.info.signature(), json.dumps(alignment.info.as_dict(), ensure_ascii=False),
            )
            conn.executemany(
                "INSERT INTO sentences (doc_id, lang, idx, paragraph, text) VALUES (?, ?, ?, ?, ?)",
                [(doc_id, s.lang, s.index, s.paragraph, s.text) for s in (*alignment.zh, *alignment.en)],
            )
            beads = self._insert_beads(conn, doc_id, pairs, ids=bool(terms))
            touched |= self._add_term_sources(conn, terms, doc_id, beads)
            self._refresh_terms(conn, touched)
            self._set_meta(conn, {"last_signature": alignment.info.signature(), "last_settings": json.dumps(alignment.info.as_dict(), ensure_ascii=False)})
        return doc_id

    def add_pairs(
        self,
        pairs: Iterable[AlignedPair],
        *,
        name: str,
        content_hash: str,
        settings: Mapping[str, str] = {},
        source_path: str | None = None,
        replace_name: bool = False,
    ) -> int:
        """Store imported translation units as one document, replacing the one from the same source.

        ``source_path`` (the imported file's resolved path) identifies it; without one, ``name`` does.
        ``replace_name``: the user chose ``name``, so a document of that name is replaced too.
        Their beads carry the evidence ``imported``, or ``reviewed`` where the
        file says a person checked them (npfterm's own spreadsheet).
        """
        items = [p if p.evidence in ("imported", "reviewed") else replace(p, evidence="imported") for p in pairs]
        signature = settings.get("signature", "")
        zh_ids = {i for p in items for i in p.zh_ids}
        en_ids = {i for p in items for i in p.en_ids}
        key = source_path or name
        with self._write() as conn:
            touched = self._remove_documents(conn, key, name if replace_name else None)
            doc_id = self._insert_document(
                conn, name, key, content_hash, len(zh_ids) or sum(1 for p in items if p.zh),
                len(en_ids) or sum(1 for p in items if p.en), signature, json.dumps(dict(settings), ensure_ascii=False),
            )
            self._insert_beads(conn, doc_id, items)
            self._refresh_terms(conn, touched)
            self._set_meta(conn, {"last_import": name})
        return doc_id

    def add_terms(self, terms: Iterable[TermPair], *, doc_id: int | None = None) -> int:
        """Add glossary rows in one transaction, merged with the same (zh, en) pair: counts add up.

        ``doc_id`` None means an imported glossary.  Returns the number of
        term rows added or updated.  ``terms`` is consumed as it is written,
        so a glossary streamed from a file is never held whole; an exception
        raised by it (a malformed row near the end) rolls everything back.
        The terms touched are remembered in a temporary table, not in memory.
        """
        with self._write() as conn:
            if doc_id is not None and not conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone():
                raise TermbaseError(f"the store {self.path} has no document {doc_id}")
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched_terms (id INTEGER PRIMARY KEY)")
            conn.execute("DELETE FROM temp.touched_terms")
            for t in terms:
                term_id = self._add_term_source(conn, t, doc_id, {})
                if term_id is not None:
                    conn.execute("INSERT OR IGNORE INTO temp.touched_terms (id) VALUES (?)", (term_id,))
            self._refresh_terms(conn, (r[0] for r in conn.execute("SELECT id FROM temp.touched_terms")))
            count = int(conn.execute("SELECT count(*) FROM temp.touched_terms").fetchone()[0])
            conn.execute("DELETE FROM temp.touched_terms")
        return count

    def _remove_documents(self, conn: sqlite3.Connection, source_path: str, name: str | None = None) -> set[int]:
        """Delete the documents a new version replaces (same source, or same chosen name); their term ids."""
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM documents WHERE source_path = ? OR name = ?", (source_path, name)
        )]
        touched: set[int] = set()
        for doc_id in ids:
            touched.update(r[0] for r in conn.execute("SELECT term_id FROM term_sources WHERE doc_id = ?", (doc_id,)))
            conn.execute("DELETE FROM beads WHERE doc_id = ?", (doc_id,))  # row by row, so the FTS triggers run
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return touched

    def replaced_by(self, source_path: str, name: str | None = None) -> list[DocumentInfo]:
        """The stored documents that storing one from ``source_path`` (or under the chosen ``name``) would replace."""
        return self._documents("d.source_path = ? OR d.name = ?", (source_path, name))

    def document(self, ref: str | int) -> DocumentInfo:
        """One stored document by id or name; InputError if there is none, or several of that name."""
        text = str(ref).strip()
        if text.isdigit() and len(text) < 19:
            found = self._documents("d.id = ?", (int(text),))
            if found:
                return found[0]
        named = self._documents("d.name = ?", (text,))
        if len(named) == 1:
            return named[0]
        if named:
            ids = ", ".join(str(d.id) for d in named)
            raise InputError(f"{len(named)} documents are named {text!r} (ids {ids}); give the id")
        raise InputError(f"the store has no document {text!r}; npfterm docs lists them")

    @staticmethod
    def _insert_document(
        conn: sqlite3.Connection, name: str, source_path: str, content_hash: str,
        zh_count: int, en_count: int, signature: str, settings: str,
    ) -> int:
        added = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        cur = conn.execute(
            "INSERT INTO documents (name, source_path, content_hash, added, zh_count, en_count, signature, settings)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (name, source_path, content_hash, added, zh_count, en_count, signature, settings),
        )
        return int(cur.lastrowid or 0)

    @staticmethod
    def _insert_beads(
        conn: sqlite3.Connection, doc_id: int, pairs: Sequence[AlignedPair], ids: bool = False
    ) -> dict[tuple[str, str], int]:
        """Insert beads in order; with ``ids``, their ids by (zh, en) text, for term examples."""
        conn.executemany(  # rows made one at a time: a large import never holds them all
            "INSERT INTO beads (doc_id, pos, zh, en, zh_ids, en_ids, score, kind, evidence)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (doc_id, pos, p.zh, p.en, _ids(p.zh_ids), _ids(p.en_ids), float(p.score), p.kind, p.evidence)
                for pos, p in enumerate(pairs)
            ),
        )
        out: dict[tuple[str, str], int] = {}
        if not ids:
            return out
        for bead_id, zh, en in conn.execute("SELECT id, zh, en FROM beads WHERE doc_id = ? ORDER BY pos", (doc_id,)):
            out.setdefault((zh, en), bead_id)
        return out

    def _add_term_sources(
        self, conn: sqlite3.Connection, terms: Sequence[TermPair], doc_id: int | None, beads: Mapping[tuple[str, str], int]
    ) -> set[int]:
        touched: set[int] = set()
        for t in terms:
            term_id = self._add_term_source(conn, t, doc_id, beads)
            if term_id is not None:
                touched.add(term_id)
        return touched

    @staticmethod
    def _add_term_source(
        conn: sqlite3.Connection, t: TermPair, doc_id: int | None, beads: Mapping[tuple[str, str], int]
    ) -> int | None:
        """One term pair's source row, its term created or joined; the term's id (None for a pair with an empty side)."""
        zh, en = t.zh.strip(), t.en.strip()
        if not zh or not en:
            return None
        evidence = t.evidence if t.evidence in EVIDENCE else "imported"
        key = en_key_text(en)
        pinyin = t.pinyin  # callers fill it (store.ingest.add_terms): the store runs no linguistics
        row = conn.execute("SELECT id FROM terms WHERE zh = ? AND en = ?", (zh, en)).fetchone()
        if row is None and doc_id is not None:  # found in a document: join an inflectional variant
            row = conn.execute(
                "SELECT id FROM terms WHERE zh = ? AND en_key = ? ORDER BY id LIMIT 1", (zh, key)
            ).fetchone()
        if row is None:
            cur = conn.execute(
                "INSERT INTO terms (zh, en, pinyin, count, score, evidence, zh_key, en_key, pinyin_key)"
                " VALUES (?, ?, ?, 0, 0, ?, ?, ?, ?)",
                (zh, en, pinyin, evidence, zh_key(zh), key, pinyin_key(pinyin)),
            )
            term_id = int(cur.lastrowid or 0)
        else:
            term_id = int(row[0])
        bead = beads.get((t.example_zh, t.example_en))
        old = conn.execute(
            "SELECT count, score, example_zh, example_en FROM term_sources WHERE term_id = ? AND IFNULL(doc_id, 0) = ?",
            (term_id, doc_id or 0),
        ).fetchone()
        if old is None:
            conn.execute(
                "INSERT INTO term_sources (term_id, doc_id, count, score, evidence, example_bead, example_zh, example_en)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (term_id, doc_id, max(int(t.count), 1), _clamp(t.score), evidence, bead, t.example_zh, t.example_en),
            )
        else:
            conn.execute(
                "UPDATE term_sources SET count = ?, score = ?, example_zh = ?, example_en = ?"
                " WHERE term_id = ? AND IFNULL(doc_id, 0) = ?",
                (
                    # a glossary imported again is the same witness, not a second one
                    max(old[0], max(int(t.count), 1)) if doc_id is None else old[0] + max(int(t.count), 1),
                    max(old[1], _clamp(t.score)),
                    old[2] or t.example_zh, old[3] or t.example_en, term_id, doc_id or 0,
                ),
            )
        return term_id

    @staticmethod
    def _refresh_terms(conn: sqlite3.Connection, term_ids: Iterable[int]) -> None:
        """Recompute each term from its sources; a term with none left is deleted.

        Count adds up; the score combines sources like independent witnesses
        (1 − Π(1 − s)); evidence and example come from the strongest source.
        """
        for term_id in term_ids:
            sources = conn.execute(
                "SELECT count, score, evidence, example_bead, example_zh, example_en FROM term_sources WHERE term_id = ?",
                (term_id,),
            ).fetchall()
            if not sources:
                conn.execute("DELETE FROM terms WHERE id = ?", (term_id,))
                continue
            miss = 1.0
            for s in sources:
                miss *= 1.0 - min(max(s[1], 0.0), 1.0)
            best = max(sources, key=lambda s: (s[1], _EVIDENCE_RANK.get(s[2], 0), s[0]))
            conn.execute(
                "UPDATE terms SET count = ?, score = ?, evidence = ?, example_bead = ?, example_zh = ?, example_en = ?"
                " WHERE id = ?",
                (sum(s[0] for s in sources), round(1.0 - miss, 4), best[2], best[3], best[4], best[5], term_id),
            )

    @staticmethod
    def _set_meta(conn: sqlite3.Connection, values: Mapping[str, str]) -> None:
        values = {"npfterm_version": __version__, **values}
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", list(values.items()))

    # -- reading --

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:  # type: ignore[type-arg]
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _error(exc, self.path) from None

    def documents(self) -> list[DocumentInfo]:
        """Every stored document, oldest first."""
        return self._documents()

    def _documents(self, where: str = "", params: Sequence[object] = ()) -> list[DocumentInfo]:
        """The documents matching the SQL condition ``where`` on ``d`` (all without one), oldest first."""
        rows = self._read(
            "SELECT d.id, d.name, d.source_path, d.content_hash, d.added, d.zh_count, d.en_count,"
            " (SELECT count(*) FROM beads b WHERE b.doc_id = d.id), d.signature FROM documents d"
            + (f" WHERE {where}" if where else "") + " ORDER BY d.id",
            params,
        )
        return [DocumentInfo(*r) for r in rows]

    def load_document(self, doc_id: int) -> StoredDocument:
        """A document's sentences and beads; an imported memory's units become its sentences."""
        found = [d for d in self.documents() if d.id == doc_id]
        if not found:
            raise TermbaseError(f"the store {self.path} has no document {doc_id}")
        settings = json.loads(self._read("SELECT settings FROM documents WHERE id = ?", (doc_id,))[0][0] or "{}")
        rows = self._read(
            "SELECT zh, en, zh_ids, en_ids, score, evidence FROM beads WHERE doc_id = ? ORDER BY pos", (doc_id,)
        )
        sentences = {
            lang: tuple(
                Sentence(text, lang, idx, paragraph)
                for idx, paragraph, text in self._read(
                    "SELECT idx, paragraph, text FROM sentences WHERE doc_id = ? AND lang = ? ORDER BY idx", (doc_id, lang)
                )
            )
            for lang in ("zh", "en")
        }
        if sentences["zh"] or sentences["en"]:
            beads = tuple(Bead(_parse_ids(zi), _parse_ids(ei), score, ev) for _, _, zi, ei, score, ev in rows)
            return StoredDocument(found[0], sentences["zh"], sentences["en"], beads, settings)
        # imported units: each side of a unit is one sentence
        zh: list[Sentence] = []
        en: list[Sentence] = []
        units: list[Bead] = []
        for zh_text, en_text, _, _, score, evidence in rows:
            zh_ids = (len(zh),) if zh_text else ()
            en_ids = (len(en),) if en_text else ()
            if zh_text:
                zh.append(Sentence(zh_text, "zh", len(zh), len(units)))
            if en_text:
                en.append(Sentence(en_text, "en", len(en), len(units)))
            units.append(Bead(zh_ids, en_ids, score, evidence))
        return StoredDocument(found[0], tuple(zh), tuple(en), tuple(units), settings)

    def save_review(
        self,
        doc_id: int,
        alignment: Alignment,
        terms: Sequence[TermPair] | None = (),
        *,
        review: Mapping[str, object] = {},
    ) -> int:
        """Replace a document's sentences and beads, and its term contributions, in one transaction.

        ``terms`` None leaves the document's term pairs to :meth:`replace_terms`
        (the review page recomputes them after the edits settle): until then the
        document is marked ``terms_stale``.  Each save counts up the document's
        ``revision``, which it returns.  ``review`` (e.g. ``{"status": "reviewed"}``)
        is kept in the document's settings.
        """
        pairs = list(alignment.pairs())
        with self._write() as conn:
            settings = self._settings(conn, doc_id)
            if review:
                settings["review"] = dict(review)
            settings["revision"] = int(settings.get("revision", 0)) + 1
            settings["terms_stale"] = terms is None
            touched: set[int] = set()
            if terms is not None:
                touched = self._drop_term_sources(conn, doc_id)
            conn.execute("DELETE FROM beads WHERE doc_id = ?", (doc_id,))
            conn.execute("DELETE FROM sentences WHERE doc_id = ?", (doc_id,))
            conn.executemany(
                "INSERT INTO sentences (doc_id, lang, idx, paragraph, text) VALUES (?, ?, ?, ?, ?)",
                [(doc_id, s.lang, s.index, s.paragraph, s.text) for s in (*alignment.zh, *alignment.en)],
            )
            beads = self._insert_beads(conn, doc_id, pairs, ids=bool(terms))
            touched |= self._add_term_sources(conn, terms or (), doc_id, beads)
            self._refresh_terms(conn, touched)
            conn.execute(
                "UPDATE documents SET zh_count = ?, en_count = ?, settings = ? WHERE id = ?",
                (len(alignment.zh), len(alignment.en), json.dumps(settings, ensure_ascii=False), doc_id),
            )
        return int(settings["revision"])

    def replace_terms(self, doc_id: int, terms: Sequence[TermPair], revision: int) -> bool:
        """Replace a document's term contributions in one transaction, if it is still at ``revision``.

        False (and nothing written) when the document was saved again since:
        its terms were computed from beads that are gone.
        """
        with self._write() as conn:
            settings = self._settings(conn, doc_id)
            if int(settings.get("revision", 0)) != revision:
                return False
            touched = self._drop_term_sources(conn, doc_id)
            beads: dict[tuple[str, str], int] = {}
            for bead_id, zh, en in conn.execute("SELECT id, zh, en FROM beads WHERE doc_id = ? ORDER BY pos", (doc_id,)):
                beads.setdefault((zh, en), bead_id)
            touched |= self._add_term_sources(conn, terms, doc_id, beads)
            self._refresh_terms(conn, touched)
            settings["terms_stale"] = False
            conn.execute("UPDATE documents SET settings = ? WHERE id = ?", (json.dumps(settings, ensure_ascii=False), doc_id))
        return True

    def unreviewed_below(self, score: float) -> dict[int, int]:
        """Per document, how many beads scored below ``score`` no person has reviewed yet (the review page's queue)."""
        rows = self._read(
            "SELECT doc_id, count(*) FROM beads WHERE score < ? AND evidence != 'reviewed' GROUP BY doc_id", (score,)
        )
        return {int(d): int(n) for d, n in rows}

    def document_settings(self) -> dict[int, dict[str, Any]]:
        """Every document's settings (its run settings, review state and revision), by id."""
        return {int(i): dict(json.loads(text or "{}")) for i, text in self._read("SELECT id, settings FROM documents")}

    def stale_term_documents(self) -> list[int]:
        """Documents saved by the review page whose term pairs were not recomputed yet (e.g. it was stopped)."""
        return sorted(i for i, settings in self.document_settings().items() if settings.get("terms_stale"))

    def _settings(self, conn: sqlite3.Connection, doc_id: int) -> dict[str, Any]:
        row = conn.execute("SELECT settings FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise TermbaseError(f"the store {self.path} has no document {doc_id}")
        return dict(json.loads(row[0] or "{}"))

    @staticmethod
    def _drop_term_sources(conn: sqlite3.Connection, doc_id: int) -> set[int]:
        """Take out a document's term contributions; the term ids they touched (to refresh)."""
        touched = {r[0] for r in conn.execute("SELECT term_id FROM term_sources WHERE doc_id = ?", (doc_id,))}
        conn.execute("DELETE FROM term_sources WHERE doc_id = ?", (doc_id,))
        return touched

    def reviewed_beads(self, doc_ids: Sequence[int]) -> dict[int, int]:
        """How many reviewed beads each of these documents holds (those with none left out)."""
        if not doc_ids:
            return {}
        marks = ",".join("?" * len(doc_ids))
        rows = self._read(
            f"SELECT doc_id, count(*) FROM beads WHERE evidence = 'reviewed' AND doc_id IN ({marks}) GROUP BY doc_id",
            list(doc_ids),
        )
        return {int(d): int(n) for d, n in rows}

    def iter_pairs(self, *, doc_id: int | None = None, min_score: float = 0.0) -> Iterator[AlignedPair]:
        """Stored beads in document order; ``doc`` is the document's name."""
        sql = (
            "SELECT b.zh, b.en, b.zh_ids, b.en_ids, b.score, d.name, b.evidence FROM beads b"
            " JOIN documents d ON d.id = b.doc_id"
            " WHERE b.score >= ?" + (" AND b.doc_id = ?" if doc_id is not None else "") + " ORDER BY b.doc_id, b.pos"
        )
        params: tuple[object, ...] = (min_score,) if doc_id is None else (min_score, doc_id)
        try:
            for zh, en, zh_ids, en_ids, score, name, evidence in self._conn.execute(sql, params):
                yield AlignedPair(zh, en, _parse_ids(zh_ids), _parse_ids(en_ids), score, name, evidence)
        except sqlite3.Error as exc:
            raise _error(exc, self.path) from None

    def iter_pairs_with_sentences(
        self, *, doc_id: int | None = None, min_score: float = 0.0
    ) -> Iterator[tuple[AlignedPair, tuple[str, ...], tuple[str, ...]]]:
        """``iter_pairs`` with each bead's Chinese and English sentences (empty where none are stored: imports)."""
        sql = (
            "SELECT b.doc_id, b.zh, b.en, b.zh_ids, b.en_ids, b.score, d.name FROM beads b"
            " JOIN documents d ON d.id = b.doc_id WHERE b.score >= ?"
            + (" AND b.doc_id = ?" if doc_id is not None else "") + " ORDER BY b.doc_id, b.pos"
        )
        params: tuple[object, ...] = (min_score,) if doc_id is None else (min_score, doc_id)
        current, sentences = None, {}
        try:
            for doc, zh, en, zh_ids, en_ids, score, name in self._conn.execute(sql, params):
                if doc != current:  # one document's sentences at a time
                    current = doc
                    sentences = {
                        (lang, idx): text
                        for lang, idx, text in self._conn.execute(
                            "SELECT lang, idx, text FROM sentences WHERE doc_id = ?", (doc,)
                        )
                    }
                pair = AlignedPair(zh, en, _parse_ids(zh_ids), _parse_ids(en_ids), score, name)
                zh_sents = tuple(sentences[("zh", i)] for i in pair.zh_ids if ("zh", i) in sentences)
                en_sents = tuple(sentences[("en", i)] for i in pair.en_ids if ("en", i) in sentences)
                if len(zh_sents) != len(pair.zh_ids) or len(en_sents) != len(pair.en_ids):
                    zh_sents, en_sents = (), ()
                yield pair, zh_sents, en_sents
        except sqlite3.Error as exc:
            raise _error(exc, self.path) from None

    def iter_terms(self, *, min_score: float = 0.0) -> Iterator[TermPair]:
        """Stored term pairs, best first (score, then count)."""
        sql = (
            "SELECT zh, en, evidence, score, count, pinyin, example_zh, example_en FROM terms"
            " WHERE score >= ? ORDER BY score DESC, count DESC, zh, en"
        )
        try:
            for zh, en, evidence, score, count, pinyin, ex_zh, ex_en in self._conn.execute(sql, (min_score,)):
                yield TermPair(zh, en, evidence, score, count, pinyin, ex_zh, ex_en)
        except sqlite3.Error as exc:
            raise _error(exc, self.path) from None

    def meta(self) -> dict[str, str]:
        """Schema version, the npfterm version and the settings of the last write."""
        return {k: v for k, v in self._read("SELECT key, value FROM meta ORDER BY key")}

    def is_empty(self) -> bool:
        """No documents and no terms: a fresh store."""
        return not self._read("SELECT 1 FROM documents LIMIT 1") and not self._read("SELECT 1 FROM terms LIMIT 1")

    # -- queries for lookup and extraction --

    _TERM_COLUMNS = "id, zh, en, pinyin, zh_key, en_key, pinyin_key, count, score, evidence, example_zh, example_en"

    def terms_by_key(self, column: str, keys: Sequence[str]) -> list[TermRow]:
        """Terms whose ``zh_key``/``en_key``/``pinyin_key`` equals one of ``keys``."""
        if column not in ("zh_key", "en_key", "pinyin_key") or not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self._read(f"SELECT {self._TERM_COLUMNS} FROM terms WHERE {column} IN ({marks})", list(keys))
        return [TermRow(*r) for r in rows]

    def terms_containing(self, column: str, text: str, limit: int) -> list[TermRow]:
        """Terms whose key contains ``text`` (trigram index for three characters or more)."""
        if column not in ("zh_key", "en_key", "pinyin_key") or not text:
            return []
        if self._trigram and len(text) >= 3:
            sql = (
                f"SELECT {', '.join('t.' + c.strip() for c in self._TERM_COLUMNS.split(','))} FROM terms_fts f"
                f" JOIN terms t ON t.id = f.rowid WHERE f.{column} MATCH ? LIMIT ?"
            )
            return [TermRow(*r) for r in self._read(sql, (_phrase(text), limit))]
        rows = self._read(
            f"SELECT {self._TERM_COLUMNS} FROM terms WHERE instr({column}, ?) > 0 LIMIT ?", (text, limit)
        )
        return [TermRow(*r) for r in rows]

    def terms_sharing_trigrams(self, column: str, text: str, limit: int) -> list[TermRow]:
        """Terms whose key shares trigrams with ``text``, most shared first: candidates for fuzzy matching."""
        grams = sorted({text[i : i + 3] for i in range(len(text) - 2)})
        if not self._trigram or not grams or column not in ("zh_key", "en_key", "pinyin_key"):
            return []
        query = " OR ".join(_phrase(g) for g in grams[:40])
        cols = ", ".join("t." + c.strip() for c in self._TERM_COLUMNS.split(","))
        sql = (
            f"SELECT {cols} FROM terms_fts f JOIN terms t ON t.id = f.rowid"
            f" WHERE terms_fts MATCH ? ORDER BY bm25(terms_fts) LIMIT ?"
        )
        return [TermRow(*r) for r in self._read(sql, (f"{column} : ({query})", limit))]

    def beads_with_zh(self, text: str, limit: int) -> list[BeadRow]:
        """Beads whose Chinese contains ``text`` (first ``limit`` in store order)."""
        if not text:
            return []
        if self._trigram and len(text) >= 3:
            sql = (
                "SELECT b.id, b.zh, b.en, b.score, d.name FROM beads_zh_fts f JOIN beads b ON b.id = f.rowid"
                " JOIN documents d ON d.id = b.doc_id WHERE beads_zh_fts MATCH ? LIMIT ?"
            )
            return [BeadRow(*r) for r in self._read(sql, (_phrase(text), limit))]
        sql = (
            "SELECT b.id, b.zh, b.en, b.score, d.name FROM beads b JOIN documents d ON d.id = b.doc_id"
            " WHERE instr(b.zh, ?) > 0 LIMIT ?"
        )
        return [BeadRow(*r) for r in self._read(sql, (text, limit))]

    def beads_with_en(self, phrase: str, limit: int) -> list[BeadRow]:
        """Beads whose English holds ``phrase``, inflection-insensitive (Porter stems)."""
        words = _fts_words(phrase)
        if not words:
            return []
        if self._fts:
            sql = (
                "SELECT b.id, b.zh, b.en, b.score, d.name FROM beads_en_fts f JOIN beads b ON b.id = f.rowid"
                " JOIN documents d ON d.id = b.doc_id WHERE beads_en_fts MATCH ? LIMIT ?"
            )
            return [BeadRow(*r) for r in self._read(sql, (_phrase(" ".join(words)), limit))]
        sql = (
            "SELECT b.id, b.zh, b.en, b.score, d.name FROM beads b JOIN documents d ON d.id = b.doc_id"
            " WHERE b.en LIKE ? LIMIT ?"
        )
        return [BeadRow(*r) for r in self._read(sql, ("%" + phrase + "%", limit))]

    def snapshot(self, target: str | os.PathLike[str]) -> bool:
        """Copy the store to ``target`` as it is now (SQLite's backup); False, and no copy, when it has no beads.

        A batch extracts terms against one snapshot, so no document sees
        another of the same batch and the order documents finish in cannot matter.
        """
        if not self._read("SELECT 1 FROM beads LIMIT 1"):
            return False
        try:
            dest = sqlite3.connect(target)
            try:
                self._conn.backup(dest)
            finally:
                dest.close()
        except sqlite3.Error as exc:
            raise _error(exc, Path(target)) from None
        return True

    # StoreStats for term extraction: bead counts over every stored document.

    def zh_bead_count(self, text: str) -> int:
        """How many stored beads hold ``text`` in their Chinese."""
        if self._trigram and len(text) >= 3:
            return int(self._read("SELECT count(*) FROM beads_zh_fts WHERE beads_zh_fts MATCH ?", (_phrase(text),))[0][0])
        return int(self._read("SELECT count(*) FROM beads WHERE instr(zh, ?) > 0", (text,))[0][0])

    def en_bead_count(self, phrase: str) -> int:
        """How many stored beads hold ``phrase`` in their English (stemmed)."""
        words = _fts_words(phrase)
        if not words or not self._fts:
            return 0
        return int(self._read("SELECT count(*) FROM beads_en_fts WHERE beads_en_fts MATCH ?", (_phrase(" ".join(words)),))[0][0])

    def joint_bead_count(self, zh: str, en_phrase: str) -> int:
        """How many stored beads hold both."""
        words = _fts_words(en_phrase)
        if not words or not self._fts:
            return 0
        zh_rows = (
            "SELECT rowid FROM beads_zh_fts WHERE beads_zh_fts MATCH ?"
            if self._trigram and len(zh) >= 3
            else "SELECT id FROM beads WHERE instr(zh, ?) > 0"
        )
        zh_param = _phrase(zh) if self._trigram and len(zh) >= 3 else zh
        sql = f"SELECT count(*) FROM ({zh_rows} INTERSECT SELECT rowid FROM beads_en_fts WHERE beads_en_fts MATCH ?)"
        return int(self._read(sql, (zh_param, _phrase(" ".join(words))))[0][0])


# -- helpers ------------------------------------------------------------------------


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection, path: Path) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (the store stays as it was)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise _error(exc, path) from None
    try:
        yield
        conn.execute("COMMIT")
    except BaseException as exc:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise _error(exc, path) from None
        raise


def _use_wal(conn: sqlite3.Connection, timeout: float) -> None:
    """Switch the file to WAL mode, waiting like any writer if another process holds it.

    SQLite answers a journal-mode change with "database is locked" at once,
    without its busy handler, while another connection writes: two processes
    creating the same new store at the same moment both get here.
    """
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def _writable(target: Path) -> bool:
    """Whether this process can write the store file and make its -wal/-shm files beside it."""
    folder = target.resolve().parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return False
    except (OSError, AttributeError):
        pass
    return os.access(target, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _remove_new(made: Sequence[Path]) -> None:
    """Remove a store this process made and never wrote, and the folders made for it (innermost first)."""
    store, *folders = made
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{store}{suffix}").unlink()
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only if empty


def _remove_empty(target: Path) -> None:
    """Remove a store file this process just made and could not fill (a full disk): no 0-byte store left."""
    with contextlib.suppress(OSError):
        if target.stat().st_size == 0:
            target.unlink()
            for suffix in ("-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    Path(f"{target}{suffix}").unlink()


def _create(conn: sqlite3.Connection, fts: bool, trigram: bool) -> None:
    for script in (_TABLES, _TERM_KEYS, _TERMS_AS_WRITTEN, _BEAD_EVIDENCE):
        _run_script(conn, script)
    if fts:
        _run_script(conn, _bead_fts(trigram))
    if trigram:
        _run_script(conn, _TERM_FTS)
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [
            ("schema_version", str(SCHEMA_VERSION)),
            ("npfterm_version", __version__),
            ("created", datetime.now(timezone.utc).replace(microsecond=0).isoformat()),
            ("fts", "trigram+porter" if trigram else ("porter" if fts else "none")),
        ],
    )


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run a multi-statement script inside the current transaction (executescript would commit)."""
    for statement in _statements(script):
        conn.execute(statement)


def _statements(script: str) -> list[str]:
    out: list[str] = []
    buf = ""
    for line in script.strip().splitlines():
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out


def _schema_version(conn: sqlite3.Connection, path: Path) -> int:
    """The store's schema version; an error for one this npfterm cannot read or migrate."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row and str(row[0]).isdigit() else 0
    if version > SCHEMA_VERSION:
        raise TermbaseError(
            f"the store {path} was written by a newer npfterm (schema {version}; this version reads {SCHEMA_VERSION});"
            " upgrade npfterm"
        )
    if version != SCHEMA_VERSION and version not in _MIGRATIONS:
        raise TermbaseError(f"the store {path} has an unknown schema version {row[0] if row else 'none'}")
    return version


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring an older store up to SCHEMA_VERSION, one step per version, all in one transaction.

    The version is read again inside the transaction: another process may have
    migrated the store while this one waited for the lock.
    """
    if _schema_version(conn, path) == SCHEMA_VERSION:
        return
    fts, trigram = _features(conn)
    conn.execute("PRAGMA foreign_keys = OFF")  # rebuilding documents must not cascade; only outside a transaction
    try:
        with _transaction(conn, path):
            version = _schema_version(conn, path)
            if version == SCHEMA_VERSION:
                return
            while version < SCHEMA_VERSION:
                _MIGRATIONS[version](conn, fts, trigram)
                version += 1
            if conn.execute("PRAGMA foreign_key_check").fetchone():
                raise TermbaseError(f"the store {path} has rows whose document is missing; it was not migrated")
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('migrated_by', ?)", (__version__,))
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def _v1_to_v2(conn: sqlite3.Connection, fts: bool, trigram: bool) -> None:
    """Version 1 had no lookup keys on terms: add and fill them, and index them."""
    _run_script(conn, _TERM_KEYS.replace("CREATE UNIQUE INDEX terms_pair ON terms(zh, en_key);\n", ""))
    for term_id, zh, en, pinyin in conn.execute("SELECT id, zh, en, pinyin FROM terms").fetchall():
        py = pinyin or _pinyin(zh)
        conn.execute(
            "UPDATE terms SET pinyin = ?, zh_key = ?, en_key = ?, pinyin_key = ? WHERE id = ?",
            (py, zh_key(zh), en_key_text(en), pinyin_key(py), term_id),
        )
    _merge_duplicate_terms(conn)
    conn.execute("CREATE UNIQUE INDEX terms_pair ON terms(zh, en_key)")
    if trigram:
        _run_script(conn, _TERM_FTS)
        conn.execute("INSERT INTO terms_fts(terms_fts) VALUES ('rebuild')")


def _merge_duplicate_terms(conn: sqlite3.Connection) -> None:
    """Terms that differ only by English inflection become one (their sources move over)."""
    dupes = conn.execute(
        "SELECT zh, en_key, min(id) FROM terms GROUP BY zh, en_key HAVING count(*) > 1"
    ).fetchall()
    for zh, key, keep in dupes:
        others = [r[0] for r in conn.execute("SELECT id FROM terms WHERE zh = ? AND en_key = ? AND id != ?", (zh, key, keep))]
        for other in others:
            for doc_id, count, score, evidence, bead, ex_zh, ex_en in conn.execute(
                "SELECT doc_id, count, score, evidence, example_bead, example_zh, example_en FROM term_sources WHERE term_id = ?",
                (other,),
            ).fetchall():
                old = conn.execute(
                    "SELECT count, score FROM term_sources WHERE term_id = ? AND IFNULL(doc_id, 0) = ?", (keep, doc_id or 0)
                ).fetchone()
                if old:
                    conn.execute(
                        "UPDATE term_sources SET count = ?, score = ? WHERE term_id = ? AND IFNULL(doc_id, 0) = ?",
                        (old[0] + count, max(old[1], score), keep, doc_id or 0),
                    )
                else:
                    conn.execute(
                        "INSERT INTO term_sources (term_id, doc_id, count, score, evidence, example_bead, example_zh, example_en)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (keep, doc_id, count, score, evidence, bead, ex_zh, ex_en),
                    )
            conn.execute("DELETE FROM terms WHERE id = ?", (other,))
        Store._refresh_terms(conn, [keep])


def _v2_to_v3(conn: sqlite3.Connection, fts: bool, trigram: bool) -> None:
    """Version 2 merged English variants into one term; from 3 on a pair is kept as written."""
    _run_script(conn, _TERMS_AS_WRITTEN)


def _v3_to_v4(conn: sqlite3.Connection, fts: bool, trigram: bool) -> None:
    """Versions 2 and 3 keyed documents by content hash and stored stdin as ``-``: key them by source instead.

    Stdin documents get ``-:HASH``; the table is rebuilt without the unique
    content hash (SQLite cannot drop a constraint), ids and rows unchanged.
    """
    conn.execute("UPDATE documents SET source_path = '-:' || substr(content_hash, 1, 16) WHERE source_path = '-'")
    conn.execute(
        "UPDATE documents SET source_path = source_path || ' #' || id"
        " WHERE id NOT IN (SELECT max(id) FROM documents GROUP BY source_path)"
    )
    _run_script(conn, _DOCUMENTS.replace("CREATE TABLE documents (", "CREATE TABLE documents_new (", 1))
    conn.execute(
        "INSERT INTO documents_new (id, name, source_path, content_hash, added, zh_count, en_count, signature, settings)"
        " SELECT id, name, source_path, content_hash, added, zh_count, en_count, signature, settings FROM documents"
    )
    conn.execute("DROP TABLE documents")
    conn.execute("ALTER TABLE documents_new RENAME TO documents")
    _run_script(conn, _DOCUMENT_INDEXES)


def _v4_to_v5(conn: sqlite3.Connection, fts: bool, trigram: bool) -> None:
    """Version 4 did not say who made a bead: the aligner's, or imported (a document without sentences)."""
    _run_script(conn, _BEAD_EVIDENCE)
    conn.execute("UPDATE beads SET evidence = 'imported' WHERE doc_id NOT IN (SELECT DISTINCT doc_id FROM sentences)")


_MIGRATIONS = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5}


def _ids(ids: Sequence[int]) -> str:
    return ",".join(str(i) for i in ids)


def _parse_ids(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x)


def _clamp(score: float) -> float:
    return min(max(float(score), 0.0), 1.0)


def _phrase(text: str) -> str:
    """An FTS5 string literal: one phrase, quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def _fts_words(text: str) -> list[str]:
    import re

    return re.findall(r"[^\W_]+", text.lower())


def _pinyin(zh: str) -> str:
    """Tone-marked pinyin for a version-1 term stored without it (migration only)."""
    from npfterm.text.tokens import has_han

    if not has_han(zh):
        return ""
    from npfterm.terms.extract import term_pinyin

    return term_pinyin(zh)
