"""The store's review side: beads say who made them, a reviewed document is saved whole in one transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from npfterm.errors import TermbaseError
from npfterm.models import AlignedPair, Alignment, Bead, RunInfo, Sentence, TermPair
from npfterm.store.db import SCHEMA_VERSION, Store

INFO = RunInfo(version="0.1.0", mode="lexical", bead_types=((1, 1), (1, 0), (0, 1)))
ZH = (Sentence("科技创新是核心要素。", "zh", 0), Sentence("要发展碳中和产业。", "zh", 1))
EN = (
    Sentence("Sci-tech innovation is the core element.", "en", 0),
    Sentence("Develop carbon neutrality industries.", "en", 1),
)


def wrong() -> Alignment:
    return Alignment(ZH, EN, (Bead((0, 1), (0,), 0.3), Bead((), (1,), 0.2)), INFO, "doc.txt")


def fixed() -> Alignment:
    return Alignment(ZH, EN, (Bead((0,), (0,), 1.0, "reviewed"), Bead((1,), (1,), 1.0, "reviewed")), INFO, "doc.txt")


def test_save_review_replaces_beads_and_terms_in_one_go(tmp_path: Path):
    with Store.open(tmp_path / "s.db") as store:
        doc = store.add_alignment(wrong(), source_path="/x/doc.txt", content_hash="h",
                                  terms=[TermPair("碳中和", "core element", "aligned", 0.5)])
        store.save_review(doc, fixed(), [TermPair("碳中和", "carbon neutrality", "aligned", 0.9)], review={"status": "reviewed"})
        pairs = list(store.iter_pairs())
        loaded = store.load_document(doc)
        terms = [(t.zh, t.en) for t in store.iter_terms()]
    assert [(p.zh_ids, p.en_ids, p.evidence) for p in pairs] == [((0,), (0,), "reviewed"), ((1,), (1,), "reviewed")]
    assert loaded.beads == fixed().beads and loaded.zh == ZH and loaded.settings["review"] == {"status": "reviewed"}
    assert terms == [("碳中和", "carbon neutrality")]


def test_save_review_of_a_missing_document_changes_nothing(tmp_path: Path):
    with Store.open(tmp_path / "s.db") as store:
        store.add_alignment(wrong(), source_path="/x/doc.txt", content_hash="h")
        with pytest.raises(TermbaseError, match="no document 9"):
            store.save_review(9, fixed())
        assert [p.evidence for p in store.iter_pairs()] == ["aligned", "aligned"]


def test_reviewed_beads_per_document(tmp_path: Path):
    with Store.open(tmp_path / "s.db") as store:
        doc = store.add_alignment(wrong(), source_path="/x/doc.txt", content_hash="h")
        assert store.reviewed_beads([doc]) == {} and store.reviewed_beads([]) == {}
        store.save_review(doc, fixed())
        assert store.reviewed_beads([doc, 99]) == {doc: 2}


def test_imported_units_load_as_sentences(tmp_path: Path):
    with Store.open(tmp_path / "s.db") as store:
        doc = store.add_pairs(
            [AlignedPair("甲。", "A.", (), (), 1.0, evidence="imported"), AlignedPair("", "B.", (), (), 0.0)],
            name="m.tmx", content_hash="m",
        )
        loaded = store.load_document(doc)
    assert [s.text for s in loaded.zh] == ["甲。"] and [s.text for s in loaded.en] == ["A.", "B."]
    assert [(b.zh, b.en, b.evidence) for b in loaded.beads] == [((0,), (0,), "imported"), ((), (1,), "imported")]


def test_a_version_4_store_gains_bead_evidence(tmp_path: Path):
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        store.add_alignment(wrong(), source_path="/x/doc.txt", content_hash="h")
    with sqlite3.connect(path) as conn:  # make it a version-4 store: beads without evidence
        conn.execute("ALTER TABLE beads DROP COLUMN evidence")
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    with Store.open(path) as store:
        assert store.meta()["schema_version"] == str(SCHEMA_VERSION)
        assert [p.evidence for p in store.iter_pairs()] == ["aligned", "aligned"]


def test_terms_saved_later_apply_only_to_the_revision_they_were_computed_from(tmp_path: Path):
    with Store.open(tmp_path / "s.db") as store:
        doc = store.add_alignment(wrong(), source_path="/x/doc.txt", content_hash="h",
                                  terms=[TermPair("碳中和", "core element", "aligned", 0.5)])
        first = store.save_review(doc, fixed(), None)
        assert store.stale_term_documents() == [doc]
        second = store.save_review(doc, fixed(), None)
        assert second == first + 1
        assert not store.replace_terms(doc, [TermPair("碳中和", "old", "aligned", 0.9)], first)
        assert store.stale_term_documents() == [doc]
        assert store.replace_terms(doc, [TermPair("碳中和", "carbon neutrality", "aligned", 0.9)], second)
        assert store.stale_term_documents() == []
        assert [(t.zh, t.en) for t in store.iter_terms()] == [("碳中和", "carbon neutrality")]


def test_the_review_queue_counts_unreviewed_low_beads_per_document(tmp_path: Path):
    with Store.open(tmp_path / "s.db") as store:
        doc = store.add_alignment(wrong(), source_path="/x/doc.txt", content_hash="h")
        assert store.unreviewed_below(0.8) == {doc: 2} and store.unreviewed_below(0.25) == {doc: 1}
        store.save_review(doc, fixed(), review={"status": "reviewed"})
        assert store.unreviewed_below(0.8) == {}
        assert store.document_settings()[doc]["review"] == {"status": "reviewed"}
