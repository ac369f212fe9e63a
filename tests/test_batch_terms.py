"""Term pairs of a batch: extracted in the workers against one snapshot of the store, the same for any worker count."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.alignment.document import AlignOptions
from npfterm.batch import AlignJob, Document, align_document, extract_with_snapshot, forget_snapshot
from npfterm.cli import app
from npfterm.models import TermPair
from npfterm.store.db import Store
from npfterm.store.ingest import extract

ZH = "我们研究人工智能和大数据。\n人工智能改变了世界。\n大数据需要新的方法。\n"
EN = (
    "We study artificial intelligence and big data.\n"
    "Artificial intelligence has changed the world.\n"
    "Big data needs new methods.\n"
)
ZH2 = "人工智能是新的技术。\n我们喜欢大数据。\n"
EN2 = "Artificial intelligence is a new technology.\nWe like big data.\n"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, zh, en in (("a", ZH, EN), ("b", ZH2, EN2), ("c", ZH + ZH2, EN + EN2)):
        (corpus / f"{name}.zh.txt").write_text(zh, encoding="utf-8")
        (corpus / f"{name}.en.txt").write_text(en, encoding="utf-8")
    return corpus


def stored_terms(db: Path) -> list[tuple[str, str, int, float]]:
    with Store.open(db, create=False) as store:
        return sorted((t.zh, t.en, t.count, t.score) for t in store.iter_terms())


def align_into(folder: Path, db: Path, workers: int) -> None:
    args = ["align", str(folder), "--sentences", "--mode", "lexical", "--db", str(db), "--workers", str(workers)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output


def test_a_worker_extracts_the_terms_when_the_job_asks(folder: Path) -> None:
    doc = Document("a", (str(folder / "a.zh.txt"), str(folder / "a.en.txt")))
    plain = align_document(doc, AlignJob(AlignOptions(mode="lexical"), sentences=True))
    with_terms = align_document(doc, AlignJob(AlignOptions(mode="lexical"), sentences=True, terms=True))
    assert plain.terms is None
    assert with_terms.alignment == plain.alignment
    assert with_terms.terms == tuple(extract(plain.alignment))
    assert with_terms.terms and all(isinstance(t, TermPair) for t in with_terms.terms)


def test_an_empty_store_gives_no_snapshot(tmp_path: Path) -> None:
    with Store.open(tmp_path / "empty.db") as store:
        assert store.snapshot(tmp_path / "copy.db") is False
    assert not (tmp_path / "copy.db").exists()


def test_a_snapshot_counts_what_the_store_held_when_it_was_taken(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    align_into(folder, db, 1)
    doc = Document("c", (str(folder / "c.zh.txt"), str(folder / "c.en.txt")))
    alignment = align_document(doc, AlignJob(AlignOptions(mode="lexical"), sentences=True)).alignment
    assert alignment is not None
    snapshot = tmp_path / "snapshot.db"
    with Store.open(db) as store:
        assert store.snapshot(snapshot) is True
        live = extract(alignment, store)
        with Store.open(snapshot, create=False) as copy:
            assert store.zh_bead_count("人工智能") == copy.zh_bead_count("人工智能") > 0
    try:
        assert extract_with_snapshot(alignment, str(snapshot)) == live
    finally:
        forget_snapshot(str(snapshot))


@pytest.mark.slow
def test_stored_terms_are_the_same_with_one_worker_or_two(folder: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    for db in (one, two):  # a second run re-stores every document against a non-empty store
        align_into(folder, db, 1 if db == one else 2)
        align_into(folder, db, 1 if db == one else 2)
    assert stored_terms(one) == stored_terms(two)
    assert stored_terms(one)
