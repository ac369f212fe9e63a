"""The store: schema, replace-not-duplicate, transactions, migration, bad files, locking."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from npfterm.errors import InputError, TermbaseError
from npfterm.lookup import lookup
from npfterm.models import AlignedPair, Alignment, Bead, RunInfo, Sentence, TermPair
from npfterm.store.db import SCHEMA_VERSION, Store, default_path
from npfterm.store.ingest import add_terms

INFO = RunInfo(version="0.1.0", mode="lexical", bead_types=((1, 1), (1, 0), (0, 1)))


def alignment(source: str = "doc.txt", extra: str = "") -> Alignment:
    zh = (Sentence("科技创新是核心要素。", "zh", 0), Sentence("要发展碳中和产业" + extra + "。", "zh", 1))
    en = (Sentence("Sci-tech innovation is the core element.", "en", 0), Sentence("Develop carbon neutrality industries.", "en", 1))
    beads = (Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.8))
    return Alignment(zh, en, beads, INFO, source)


def term(zh: str = "碳中和", en: str = "carbon neutrality", **kw) -> TermPair:  # type: ignore[no-untyped-def]
    kw.setdefault("evidence", "aligned")
    kw.setdefault("score", 0.8)
    return TermPair(zh, en, **kw)


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NPFTERM_DB", str(tmp_path / "env.sqlite"))
    return tmp_path / "store.sqlite"


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def test_a_new_store_has_the_schema_and_its_version(path):
    with Store.open(path) as store:
        assert store.is_empty()
        meta = store.meta()
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert meta["fts"] == "trigram+porter"
    assert {"meta", "documents", "sentences", "beads", "terms", "term_sources", "beads_zh_fts", "beads_en_fts", "terms_fts"} <= tables(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_path_is_npfterm_db(path, tmp_path):
    assert default_path() == tmp_path / "env.sqlite"
    with Store.open() as store:
        assert store.path == tmp_path / "env.sqlite"


def test_an_alignment_round_trips(path):
    with Store.open(path) as store:
        doc_id = store.add_alignment(alignment(), source_path="/x/doc.txt", content_hash="h1", terms=[term(pinyin="tànzhōnghé", example_zh="要发展碳中和产业。", example_en="Develop carbon neutrality industries.")])
        (info,) = store.documents()
        pairs = list(store.iter_pairs())
        terms = list(store.iter_terms())
        meta = store.meta()
    assert (info.id, info.name, info.source_path, info.content_hash, info.zh_count, info.en_count, info.bead_count) == (
        doc_id, "doc.txt", "/x/doc.txt", "h1", 2, 2, 2,
    )
    assert info.signature == INFO.signature() == meta["last_signature"]
    assert info.added[:4].isdigit() and "T" in info.added
    assert pairs == [AlignedPair(p.zh, p.en, p.zh_ids, p.en_ids, p.score, "doc.txt") for p in alignment().pairs()]
    assert [(t.zh, t.en, t.evidence, t.score, t.count, t.pinyin) for t in terms] == [
        ("碳中和", "carbon neutrality", "aligned", 0.8, 1, "tànzhōnghé")
    ]
    assert terms[0].example_en == "Develop carbon neutrality industries."


@pytest.mark.parametrize("same", ["path", "chosen name"])
def test_the_same_document_again_replaces_it(path, same):
    with Store.open(path) as store:
        store.add_alignment(alignment(), source_path="/x/doc.txt", content_hash="h1", terms=[term(), term("科技创新", "sci-tech innovation")])
        again = alignment(extra="吧")
        p, name = ("/x/doc.txt", None) if same == "path" else ("/elsewhere/doc.txt", "doc.txt")
        store.add_alignment(again, source_path=p, content_hash="h2", terms=[term()], name=name)
        assert len(store.documents()) == 1
        assert [x.zh for x in store.iter_pairs()] == [x.zh for x in again.pairs()]
        # the replaced document's term contributions went with it
        assert [(t.zh, t.count) for t in store.iter_terms()] == [("碳中和", 1)]
        assert store.zh_bead_count("碳中和产业") == 1  # and its beads left the index


def test_the_same_content_or_name_from_another_folder_is_another_document(path):
    with Store.open(path) as store:
        store.add_alignment(alignment(), source_path="/a/doc.txt", content_hash="h1", terms=[term()])
        store.add_alignment(alignment(), source_path="/b/doc.txt", content_hash="h1", terms=[term()])
        assert [(d.name, d.source_path) for d in store.documents()] == [("doc.txt", "/a/doc.txt"), ("doc.txt", "/b/doc.txt")]
        assert [(t.zh, t.count) for t in store.iter_terms()] == [("碳中和", 2)]
        assert store.replaced_by("/a/doc.txt")[0].source_path == "/a/doc.txt"
        with pytest.raises(InputError, match=r"^2 documents are named 'doc.txt' \(ids 1, 2\); give the id$"):
            store.document("doc.txt")
        assert store.document("2").source_path == "/b/doc.txt"


def test_terms_from_two_documents_and_a_glossary_add_up(path):
    with Store.open(path) as store:
        store.add_alignment(alignment(), source_path="a", content_hash="a", terms=[term(score=0.5)])
        store.add_alignment(alignment("b.txt"), source_path="b", content_hash="b", terms=[term("碳中和", "Carbon Neutralities", score=0.5)])
        assert store.add_terms([term(evidence="imported", score=1.0, count=2)]) == 1
        (row,) = list(store.iter_terms())
    assert (row.en, row.count, row.score, row.evidence) == ("carbon neutrality", 4, 1.0, "imported")


def test_imported_glossary_rows_merge(path):
    with Store.open(path) as store:
        add_terms(store, [term(evidence="imported", count=1), term("算力", "computing power", evidence="imported")])
        add_terms(store, [term(evidence="imported", count=3)])
        rows = {t.zh: t for t in store.iter_terms()}
    assert rows["碳中和"].count == 3 and rows["算力"].pinyin == "suànlì"


def test_importing_a_glossary_again_does_not_inflate_counts(path):
    with Store.open(path) as store:
        for _ in range(2):
            store.add_terms([term(evidence="imported", count=4), term("算力", "computing power", evidence="imported")])
        rows = {t.zh: t.count for t in store.iter_terms()}
    assert rows == {"碳中和": 4, "算力": 1}


def test_imported_pairs_are_a_document(path):
    pairs = [
        AlignedPair("你好。", "Hello.", (0,), (0,), 1.0, "tm.tmx", evidence="imported"),
        AlignedPair("再见。", "Bye.", (1,), (1,), 0.5, "tm.tmx", evidence="imported"),
    ]
    with Store.open(path) as store:
        store.add_pairs(pairs, name="tm.tmx", content_hash="t1", settings={"signature": "sig"})
        store.add_pairs(pairs, name="tm.tmx", content_hash="t1")
        (info,) = store.documents()
        assert list(store.iter_pairs(min_score=0.9)) == pairs[:1]
        assert list(store.iter_pairs(doc_id=info.id)) == pairs
    assert (info.zh_count, info.bead_count) == (2, 2)


def test_a_failed_write_changes_nothing(path):
    bad = TermPair("碳中和", "carbon neutrality", "aligned", 0.8, "many")  # type: ignore[arg-type]
    with Store.open(path) as store:
        store.add_alignment(alignment(), source_path="a", content_hash="a", terms=[term()])
        before = (store.documents(), list(store.iter_pairs()), list(store.iter_terms()))
        with pytest.raises(ValueError):
            store.add_alignment(alignment("b.txt"), source_path="a", content_hash="b", terms=[bad])
        after = (store.documents(), list(store.iter_pairs()), list(store.iter_terms()))
    assert after == before


def test_a_file_that_is_not_a_database(path):
    path.write_bytes(b"MZ\x90\x00" + b"\x00not sqlite" * 200)
    with pytest.raises(TermbaseError) as err:
        Store.open(path)
    assert str(err.value) == f"{path} is not an npfterm store (file is not a database)"


def test_a_database_of_something_else(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER)")
    with pytest.raises(TermbaseError, match="is not an npfterm store"):
        Store.open(path)


def test_a_directory_or_a_missing_store(path, tmp_path):
    with pytest.raises(TermbaseError, match="is a directory"):
        Store.open(tmp_path)
    with pytest.raises(TermbaseError) as err:
        Store.open(path, create=False)
    assert str(err.value) == f"no store at {path}"
    assert not path.exists()


def test_a_locked_store_says_so(path):
    Store.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing
    try:
        with Store.open(path, timeout=0.1) as store:
            with pytest.raises(TermbaseError) as err:
                store.add_terms([term()])
            assert list(store.iter_terms()) == []  # readers are not blocked (WAL)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(err.value) == f"the store {path} is locked by another npfterm process; try again"


def test_a_newer_store_is_refused(path):
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(TermbaseError, match=rf"newer npfterm \(schema 99; this version reads {SCHEMA_VERSION}\)"):
        Store.open(path)


V1_TERMS = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT NOT NULL, source_path TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE, added TEXT NOT NULL, zh_count INTEGER NOT NULL, en_count INTEGER NOT NULL,
    signature TEXT NOT NULL DEFAULT '', settings TEXT NOT NULL DEFAULT '{}');
CREATE TABLE sentences (doc_id INTEGER NOT NULL, lang TEXT NOT NULL, idx INTEGER NOT NULL, paragraph INTEGER NOT NULL,
    text TEXT NOT NULL, PRIMARY KEY (doc_id, lang, idx)) WITHOUT ROWID;
CREATE TABLE beads (id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL, pos INTEGER NOT NULL, zh TEXT NOT NULL,
    en TEXT NOT NULL, zh_ids TEXT NOT NULL, en_ids TEXT NOT NULL, score REAL NOT NULL, kind TEXT NOT NULL);
CREATE TABLE terms (id INTEGER PRIMARY KEY, zh TEXT NOT NULL, en TEXT NOT NULL, pinyin TEXT NOT NULL DEFAULT '',
    count INTEGER NOT NULL, score REAL NOT NULL, evidence TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'candidate',
    example_bead INTEGER, example_zh TEXT NOT NULL DEFAULT '', example_en TEXT NOT NULL DEFAULT '');
CREATE TABLE term_sources (term_id INTEGER NOT NULL, doc_id INTEGER, count INTEGER NOT NULL, score REAL NOT NULL,
    evidence TEXT NOT NULL, example_bead INTEGER, example_zh TEXT NOT NULL DEFAULT '', example_en TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX term_sources_key ON term_sources(term_id, IFNULL(doc_id, 0));
INSERT INTO meta VALUES ('schema_version', '1'), ('npfterm_version', '0.0.9');
INSERT INTO terms (id, zh, en, count, score, evidence) VALUES
    (1, '碳中和', 'carbon neutrality', 2, 0.9, 'aligned'), (2, '碳中和', 'Carbon Neutralities', 1, 0.5, 'imported');
INSERT INTO term_sources VALUES (1, NULL, 2, 0.9, 'aligned', NULL, '', ''), (2, NULL, 1, 0.5, 'imported', NULL, '', '');
"""


def test_a_version_1_store_is_migrated(path):
    """Version 1 had no lookup keys on terms; opening it adds them, merges inflected twins, indexes them."""
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_TERMS)
    with Store.open(path) as store:
        meta = store.meta()
        rows = list(store.iter_terms())
        found = lookup(store, "tan zhong he", limit=3)
    assert meta["schema_version"] == str(SCHEMA_VERSION) and meta["migrated_by"]
    assert [(t.zh, t.en, t.count, t.pinyin) for t in rows] == [("碳中和", "carbon neutrality", 3, "tànzhōnghé")]
    assert [(m.zh, m.en) for m in found.matches] == [("碳中和", "carbon neutrality")]


def test_bead_counts_for_extraction(path):
    with Store.open(path) as store:
        store.add_alignment(alignment(), source_path="a", content_hash="a")
        store.add_alignment(alignment("b.txt"), source_path="b", content_hash="b")
        assert store.zh_bead_count("碳中和") == 2
        assert store.zh_bead_count("科技") == 2  # two characters: scanned, not indexed
        assert store.en_bead_count("carbon neutralities") == 2  # stemmed
        assert store.joint_bead_count("碳中和", "carbon neutrality") == 2
        assert store.joint_bead_count("科技创新", "carbon neutrality") == 0


def test_a_version_2_store_is_migrated_to_keep_variants_as_written(path):
    """Version 2 keyed terms by English stems (abort = aborting); version 3 keeps each pair as written."""
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "DROP INDEX terms_pair; DROP INDEX terms_variant; CREATE UNIQUE INDEX terms_pair ON terms(zh, en_key);"
            "ALTER TABLE beads DROP COLUMN evidence;"  # version 5's
            "UPDATE meta SET value = '2' WHERE key = 'schema_version';"
        )
    with Store.open(path) as store:
        assert store.meta()["schema_version"] == str(SCHEMA_VERSION)
        store.add_terms([TermPair("中止", "aborting", "imported"), TermPair("中止", "abort", "imported")])
        assert sorted(t.en for t in store.iter_terms()) == ["abort", "aborting"]
