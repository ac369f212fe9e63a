"""Term pairs of reviewed documents: recomputed in the background after the edits settle, and at the next start."""

from __future__ import annotations

from pathlib import Path

from npfterm.review.session import ReviewSession
from npfterm.review.terms import TermWorker
from npfterm.store.db import Store
from review_docs import small_store


def terms(db: Path) -> set[tuple[str, str]]:
    with Store.open(db) as store:
        return {(t.zh, t.en.lower()) for t in store.iter_terms()}


def test_an_edit_saves_beads_now_and_terms_once_settled(tmp_path: Path):
    db = tmp_path / "s.db"
    small_store(db)
    session = ReviewSession(db, settle=30.0)
    try:
        session.edit(1, {"op": "unmatch", "lang": "en", "index": 0})
        with Store.open(db) as store:
            assert store.stale_term_documents() == [1]
            assert [p.evidence for p in store.iter_pairs()][:2] == ["reviewed", "reviewed"]
        assert session.terms.pending()
        assert session.terms.wait(120)  # wait() does what is due at once
        with Store.open(db) as store:
            assert store.stale_term_documents() == []
        assert ("科技创新", "sci-tech innovation") in terms(db)
    finally:
        session.close()


def test_a_stopped_session_leaves_stale_terms_that_the_next_one_recomputes(tmp_path: Path):
    db = tmp_path / "s.db"
    small_store(db)
    with Store.open(db) as store:
        doc = store.load_document(1)
        store.save_review(1, doc.alignment(), None)  # as if the server died before the worker ran
        assert store.stale_term_documents() == [1]
    session = ReviewSession(db)
    assert session.terms.wait(120)
    session.close()
    with Store.open(db) as store:
        assert store.stale_term_documents() == []


def test_a_failure_is_reported_not_raised(tmp_path: Path):
    worker = TermWorker(tmp_path / "missing.db", settle=0.0)
    worker.request(1)
    assert worker.wait(60)
    worker.close()
    assert worker.errors and worker.errors[0].startswith("term pairs of document 1 not recomputed: no store at")
