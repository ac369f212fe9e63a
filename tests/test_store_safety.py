"""The store under stress: concurrent writers, a reader beside a writer, ``kill -9`` in the middle
of a large import, and failed imports that must change nothing, byte for byte.

Real processes wherever the property is about processes (two ``npfterm align`` at once, SIGKILL);
CliRunner where a failure inside one process is the point.  Every wait has a generous timeout and
no assertion depends on timing: a slow machine makes a kill land later, never makes a test fail.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.cli import app
from npfterm.formats.writing import ExportMeta, export_pairs
from npfterm.lookup import lookup
from npfterm.models import AlignedPair
from npfterm.store.db import _MIGRATIONS, SCHEMA_VERSION, Store

pytestmark = pytest.mark.slow  # processes, property searches or store-safety loops: run by .ci/run, not by -m "not slow"

TIMEOUT = 120  # seconds any one subprocess may take on a loaded machine

DOC_A = """新质生产力是创新起主导作用的先进生产力。
New-quality productive forces are advanced productivity driven by innovation.
我们要加快建设现代化产业体系。
We must speed up building a modern industrial system.
科技创新是发展新质生产力的核心要素。
Sci-tech innovation is the core element of developing new-quality productive forces.
"""
DOC_B = """绿色发展是高质量发展的底色。
Green development is the defining feature of high-quality development.
要深化经济体制和科技体制改革。
We must deepen reform of the economic and sci-tech systems.
人才是第一资源。
Talent is the primary resource.
"""

runner = CliRunner()


def cli(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def npfterm(*args: object, **kwargs) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    """``python -m npfterm ARGS`` as a real process (stdout and stderr captured)."""
    return subprocess.Popen(
        [sys.executable, "-m", "npfterm", *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs,
    )


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    """Wait for a process: its exit code, stdout and stderr."""
    out, err = proc.communicate(timeout=TIMEOUT)
    return proc.returncode, out, err


def align_proc(doc: Path, db: Path, out: Path) -> subprocess.Popen:
    return npfterm("align", doc, "--db", db, "--mode", "lexical", "--format", "jsonl", "-o", out)


def documents(db: Path) -> list[tuple[str, int]]:
    with Store.open(db, create=False) as store:
        return [(d.name, d.bead_count) for d in store.documents()]


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def dump(db: Path) -> list[str]:
    """The store's whole content as SQL, FTS shadow tables included."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def docs(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(DOC_A, encoding="utf-8")
    b.write_text(DOC_B, encoding="utf-8")
    return a, b


# --- concurrent writers ---------------------------------------------------------------------------


def test_two_aligns_writing_one_new_store_at_once_both_land(tmp_path, docs):
    db = tmp_path / "same.db"  # does not exist yet: both processes may try to create it
    procs = [align_proc(doc, db, tmp_path / f"{doc.stem}.jsonl") for doc in docs]
    for proc in procs:
        code, _, err = finish(proc)
        assert code == 0, err
    assert sorted(documents(db)) == [("a.txt", 3), ("b.txt", 3)]
    for doc in docs:  # what each process wrote to its output is what the store holds
        out = [json.loads(line) for line in (tmp_path / f"{doc.stem}.jsonl").read_text(encoding="utf-8").splitlines()]
        with Store.open(db) as store:
            (info,) = [d for d in store.documents() if d.name == doc.name]
            assert [p.zh for p in store.iter_pairs(doc_id=info.id)] == [r["zh"] for r in out]
    assert integrity(db) == "ok"


def test_the_same_document_aligned_twice_at_once_is_stored_once(tmp_path, docs):
    db = tmp_path / "same.db"
    assert cli("import", _memory(tmp_path), "--db", db).exit_code == 0  # an existing store
    procs = [align_proc(docs[0], db, tmp_path / f"out{n}.jsonl") for n in range(2)]
    for proc in procs:
        code, _, err = finish(proc)
        assert code == 0, err
    assert documents(db) == [("memory.tmx", 3), ("a.txt", 3)]
    with Store.open(db) as store:
        assert len(list(store.iter_pairs())) == 6
        assert store.zh_bead_count("科技创新是发展") == 1  # the replaced copy left the index too
    tm = cli("export", "tm", "--format", "tsv", "--db", db)
    assert tm.exit_code == 0 and len(tm.stdout.splitlines()) == 1 + 6


def test_a_new_store_being_created_by_another_process_is_waited_for(tmp_path):
    """SQLite refuses a switch to WAL at once (no busy wait) while another connection writes:
    two processes creating the same store at the same moment hit exactly that."""
    db = tmp_path / "new.db"
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # the other process, still in rollback-journal mode, writing
    release = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    release.start()
    try:
        with Store.open(db) as store:
            assert store.is_empty() and store.meta()["schema_version"] == str(SCHEMA_VERSION)
    finally:
        release.join()
        other.close()


def _v1_store(path: Path) -> None:
    from test_store import V1_TERMS

    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(V1_TERMS)


def test_a_store_migrated_by_another_process_meanwhile_is_not_migrated_twice(tmp_path):
    db = tmp_path / "v1.db"
    _v1_store(db)
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # the other process has begun migrating
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            with Store.open(db) as store:
                assert store.meta()["schema_version"] == str(SCHEMA_VERSION)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    opener = threading.Thread(target=open_it)
    opener.start()
    time.sleep(0.3)  # it reads version 1 and waits for the lock (if it is slower, it sees version 2)
    _MIGRATIONS[1](other, True, True)
    other.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
    other.execute("COMMIT")
    opener.join(TIMEOUT)
    other.close()
    assert errors == []
    with Store.open(db) as store:
        assert [(t.zh, t.en, t.count) for t in store.iter_terms()] == [("碳中和", "carbon neutrality", 3)]


def test_lookups_while_an_align_writes_and_a_lookup_migrating_beside_an_align(tmp_path, docs):
    db = tmp_path / "v1.db"
    _v1_store(db)
    # a read-only command and a writer open an old store together: one migrates, both succeed
    look, write = npfterm("lookup", "碳中和", "--json", "--db", db), align_proc(docs[0], db, tmp_path / "a.jsonl")
    code, out, err = finish(look)
    assert code == 0, err
    assert json.loads(out)["matches"][0]["en"] == "carbon neutrality"
    code, _, err = finish(write)
    assert code == 0, err
    # and lookups keep answering, the same, while another align writes
    writer = align_proc(docs[1], db, tmp_path / "b.jsonl")
    answers = set()
    while writer.poll() is None:
        with Store.open(db) as store:
            result = lookup(store, "碳中和", limit=3)
        answers.add(tuple((m.zh, m.en) for m in result.matches if m.kind != "dictionary"))
    code, _, err = finish(writer)
    assert code == 0, err
    assert answers == {(("碳中和", "carbon neutrality"),)}
    assert [name for name, _ in documents(db)] == ["a.txt", "b.txt"] and integrity(db) == "ok"


# --- kill -9 in the middle of a large import --------------------------------------------------------

BIG_UNITS = 40_000  # about 10 MB of TMX: a few seconds to import, most of it inside the write transaction


def tmx_file(path: Path, units: int, first: int = 0, *, cut: float | None = None) -> Path:
    """A TMX memory of numbered units; ``cut`` keeps only that share of its bytes (a truncated file)."""
    body = "".join(
        f'<tu><tuv xml:lang="zh-CN"><seg>第{i}句：我们要加快建设现代化产业体系。</seg></tuv>'
        f'<tuv xml:lang="en-US"><seg>Sentence {i}: we must build a modern industrial system.</seg></tuv></tu>\n'
        for i in range(first, first + units)
    )
    text = '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n<header srclang="zh-CN"/>\n<body>\n' + body + "</body>\n</tmx>\n"
    path.write_text(text if cut is None else text[: int(len(text) * cut)], encoding="utf-8")
    return path


def _memory(tmp_path: Path) -> Path:
    path = tmp_path / "memory.tmx"
    units = [
        AlignedPair("发展新质生产力。", "Develop new-quality productive forces.", (0,), (0,), 0.93, "report.txt"),
        AlignedPair("研发投入增长。", "R&D spending grew.", (1,), (1,), 0.61, "report.txt"),
        AlignedPair("我们要加快建设现代化产业体系。", "We must build a modern industrial system.", (2,), (2,), 0.35, "report.txt"),
    ]
    export_pairs("tmx", units, path, ExportMeta(signature="npfterm:test"))
    return path


def _kill_when_wal_reaches(proc: subprocess.Popen, wal: Path, size: int) -> bool:
    """SIGKILL the process once the store's write-ahead log holds ``size`` bytes (it is inside its
    write transaction); False if it ended first."""
    deadline = time.monotonic() + TIMEOUT
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            grown = wal.stat().st_size >= size
        except FileNotFoundError:
            grown = False
        if grown:
            proc.send_signal(signal.SIGKILL)
            proc.wait(TIMEOUT)
            return True
        time.sleep(0.002)
    proc.wait(TIMEOUT)
    return False


def _truncate_wal(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def _units_of(db: Path, name: str) -> int:
    with Store.open(db, create=False) as store:
        return sum(d.bead_count for d in store.documents() if d.name == name)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_kill_9_during_a_large_import_leaves_all_or_nothing(tmp_path):
    db = tmp_path / "s.db"
    assert cli("import", _memory(tmp_path), "--db", db).exit_code == 0
    before = dump(db)
    big = tmx_file(tmp_path / "big.tmx", BIG_UNITS)
    wal = Path(f"{db}-wal")
    killed = []
    for wal_bytes in (1 << 20, 6 << 20):  # early in the transaction, and well into it
        _truncate_wal(db)  # a killed writer leaves its log behind: start each run from an empty one
        proc = npfterm("import", big, "--db", db)
        killed.append(_kill_when_wal_reaches(proc, wal, wal_bytes))
        assert integrity(db) == "ok"
        stored = _units_of(db, "big.tmx")
        assert stored in (0, BIG_UNITS)
        if stored == 0:  # the killed transaction left no trace at all
            assert dump(db) == before
        with Store.open(db) as store:
            assert next(p.zh for p in store.iter_pairs() if p.doc == "memory.tmx") == "发展新质生产力。"
    assert any(killed), "the import ended before any kill: make BIG_UNITS larger"
    # the store takes writes again afterwards
    assert cli("import", tmx_file(tmp_path / "more.tmx", 10, first=BIG_UNITS), "--db", db).exit_code == 0
    assert _units_of(db, "more.tmx") == 10 and _units_of(db, "memory.tmx") == 3


# --- failed imports change nothing --------------------------------------------------------------------


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A store with an imported memory and glossary."""
    db = tmp_path / "filled.db"
    glossary = tmp_path / "glossary.csv"
    glossary.write_text("中文,英文\n新质生产力,new-quality productive forces\n现代化产业体系,modern industrial system\n", encoding="utf-8")
    for source in (_memory(tmp_path), glossary):
        assert cli("import", source, "--db", db).exit_code == 0
    return db


def observe(db: Path) -> tuple[str, str, str, list[str]]:
    """What a user sees of the store (a lookup, both exports) and what the file holds."""
    look = cli("lookup", "新质生产力", "--json", "--db", db)
    tm = cli("export", "tm", "--db", db)
    terms = cli("export", "terms", "--format", "csv", "--db", db)
    assert (look.exit_code, tm.exit_code, terms.exit_code) == (0, 0, 0)
    return look.stdout, tm.stdout, terms.stdout, dump(db)


def _bad_csv(path: Path) -> Path:
    rows = "".join(f"术语{i},term {i}\n" for i in range(5000))
    path.write_text("中文,英文\n" + rows + '"不完整,unclosed quote\n' + rows, encoding="utf-8")
    return path


def _bad_jsonl(path: Path) -> Path:
    good = "".join(
        json.dumps({"zh": f"第{i}句。", "en": f"Sentence {i}.", "zh_ids": [i], "en_ids": [i]}, ensure_ascii=False) + "\n"
        for i in range(5000)
    )
    path.write_text(good + '{"zh": "坏", "en": \n' + good, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: tmx_file(d / "truncated.tmx", 20_000, cut=0.5), r"^Error: truncated\.tmx: line \d{4,}: "),
        (lambda d: _bad_csv(d / "bad.csv"), r"^Error: bad\.csv line 5002: "),
        (lambda d: _bad_jsonl(d / "bad.jsonl"), r"^Error: bad\.jsonl line 5001: not valid JSON"),
    ],
    ids=["tmx-cut-halfway", "csv-bad-row", "jsonl-bad-line"],
)
def test_a_failed_import_leaves_lookup_exports_and_the_file_identical(tmp_path, filled, monkeypatch, make, message):
    """Extends test_cli_exchange's small malformed files: here thousands of units parse before the error."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # exports carry a date
    before = observe(filled)
    result = cli("import", make(tmp_path), "--db", filled)
    assert result.exit_code == 2 and result.stdout == ""
    assert re.match(message, result.stderr) and result.stderr.count("\n") == 1, result.stderr
    assert observe(filled) == before
