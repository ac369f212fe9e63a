"""The store under stress: concurrent writers, a reader beside a writer, ``kill -9`` in the middle
of a large import, and failed imports that must change nothing, byte for byte.

Real processes wherever the property is about processes (two ``npfterm align`` at once, SIGKILL);
CliRunner where a failure inside one process is the point.  Every wait has a generous timeout and
no assertion depends on timing: a slow machine makes a kill land later, never makes a test fail.
"""

from __future__ import annotations

import contextlib
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


# --- nothing the user owns is ever destroyed (issue 16) -------------------------------------------

FIXTURE_V2 = Path(__file__).parent / "data" / "store-v2.sqlite"  # made by npfterm 0.1.0 (schema 2)
SMALL_TMX = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh-CN" datatype="plaintext" '
    'segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/><body>\n{units}</body></tmx>\n'
)


def memory_tmx(path: Path, *pairs: tuple[str, str]) -> Path:
    units = "".join(
        f'<tu><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv><tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu>\n' for zh, en in pairs
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SMALL_TMX.format(units=units), encoding="utf-8")
    return path


def stored(db: Path) -> list[tuple[str, str, int]]:
    """(name, source path, beads) per stored document."""
    with Store.open(db, create=False) as store:
        return [(d.name, d.source_path, d.bead_count) for d in store.documents()]


def test_two_memories_with_one_name_from_two_folders_are_two_documents(tmp_path):
    db = tmp_path / "s.db"
    a = memory_tmx(tmp_path / "clientA" / "memory.tmx", ("科技创新", "Sci-tech innovation"))
    b = memory_tmx(tmp_path / "clientB" / "memory.tmx", ("人才", "talent"), ("绿色发展", "green development"))
    assert cli("import", a, "--db", db).exit_code == 0
    assert cli("import", b, "--db", db).exit_code == 0
    assert sorted(stored(db)) == [("memory.tmx", str(a.resolve()), 1), ("memory.tmx", str(b.resolve()), 2)]


def test_the_same_path_with_new_content_replaces_and_says_so(tmp_path):
    db = tmp_path / "s.db"
    a = memory_tmx(tmp_path / "memory.tmx", ("科技创新", "Sci-tech innovation"))
    assert cli("import", a, "--db", db).exit_code == 0
    memory_tmx(a, ("人才", "talent"), ("绿色发展", "green development"))
    result = cli("import", a, "--db", db)
    assert result.exit_code == 0
    assert "replaces the earlier version" in result.stderr
    assert stored(db) == [("memory.tmx", str(a.resolve()), 2)]


def test_stdin_twice_keeps_both_documents_and_the_same_text_again_is_one(tmp_path):
    db = tmp_path / "s.db"
    for text in (DOC_A, DOC_B, DOC_A):
        result = runner.invoke(app, ["align", "-", "--db", str(db), "--mode", "lexical", "-f", "beads"], input=text)
        assert result.exit_code == 0, result.output
    docs = stored(db)
    assert [d[0] for d in docs] == ["<stdin>", "<stdin>"]
    assert all(d[1].startswith("-:") for d in docs) and docs[0][1] != docs[1][1]


def test_two_folders_with_the_same_file_names_keep_all_documents(tmp_path):
    db = tmp_path / "s.db"
    for folder, (x, y) in (("a", (DOC_A, DOC_B)), ("b", (DOC_B + "\n" + DOC_A, DOC_A + "\n" + DOC_B))):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(x, encoding="utf-8")
        (tmp_path / folder / "y.txt").write_text(y, encoding="utf-8")
        result = cli("align", tmp_path / folder, "--db", db, "--mode", "lexical", "-j", "1", "-f", "jsonl")
        assert result.exit_code == 0, result.output
    paths = sorted(d[1] for d in stored(db))
    assert paths == sorted(str((tmp_path / f / n).resolve()) for f in "ab" for n in ("x.txt", "y.txt"))


def test_name_chooses_the_document_and_docs_lists_it_and_export_takes_it(tmp_path):
    db = tmp_path / "s.db"
    for text in (DOC_A, DOC_B):  # the same --name: the second replaces the first
        result = runner.invoke(
            app, ["align", "-", "--name", "speech", "--db", str(db), "--mode", "lexical", "-f", "beads"], input=text
        )
        assert result.exit_code == 0, result.output
    a = memory_tmx(tmp_path / "memory.tmx", ("科技创新", "Sci-tech innovation"))
    assert cli("import", a, "--db", db).exit_code == 0
    listing = cli("docs", "--db", db, "-f", "tsv")
    assert listing.exit_code == 0, listing.output
    lines = listing.stdout.splitlines()
    assert lines[0].split("\t") == ["id", "name", "path", "zh", "en", "pairs", "added"]
    rows = [line.split("\t") for line in lines[1:]]
    assert [(r[1], r[5]) for r in rows] == [("speech", "3"), ("memory.tmx", "1")]
    assert rows[1][2] == str(a.resolve())
    by_name = cli("export", "tm", "--db", db, "--doc", "speech", "-f", "jsonl")
    by_id = cli("export", "tm", "--db", db, "--doc", rows[0][0], "-f", "jsonl")
    assert by_name.exit_code == 0 and by_name.stdout == by_id.stdout
    assert [json.loads(line)["en"] for line in by_name.stdout.splitlines()][0].startswith("Green development")
    missing = cli("export", "tm", "--db", db, "--doc", "nothing")
    assert missing.exit_code == 2 and "the store has no document 'nothing'" in missing.stderr


def test_an_ambiguous_document_name_asks_for_the_id(tmp_path):
    db = tmp_path / "s.db"
    for folder in ("clientA", "clientB"):
        assert cli("import", memory_tmx(tmp_path / folder / "memory.tmx", ("人才", "talent")), "--db", db).exit_code == 0
    result = cli("export", "tm", "--db", db, "--doc", "memory.tmx")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: 2 documents are named 'memory.tmx' (ids 1, 2); give the id"


def test_a_store_made_by_npfterm_0_1_0_migrates_with_its_documents_and_counts(tmp_path):
    db = tmp_path / "old.sqlite"
    db.write_bytes(FIXTURE_V2.read_bytes())
    conn = sqlite3.connect(db)
    before_docs = conn.execute("SELECT id, name, content_hash, zh_count, en_count FROM documents ORDER BY id").fetchall()
    before = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("beads", "sentences", "terms", "term_sources")}
    conn.close()
    with Store.open(db) as store:
        assert store.meta()["schema_version"] == str(SCHEMA_VERSION) == "5"
        docs = store.documents()
        assert [(d.id, d.name, d.content_hash, d.zh_count, d.en_count) for d in docs] == before_docs
        stdin_doc = next(d for d in docs if d.name == "<stdin>")
        assert stdin_doc.source_path == "-:" + stdin_doc.content_hash[:16]
        assert len(list(store.iter_pairs())) == before["beads"]
        assert {(p.doc.endswith(".tmx"), p.evidence) for p in store.iter_pairs()} == {(False, "aligned"), (True, "imported")}
        assert len(list(store.iter_terms())) == before["terms"]
    conn = sqlite3.connect(db)
    assert {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before} == before
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    # after the migration the same content from another folder is a new document
    other = memory_tmx(tmp_path / "elsewhere" / "memory.tmx", ("科技创新", "Sci-tech innovation"), ("人才是第一资源。", "Talent is the primary resource."))
    assert cli("import", other, "--db", db).exit_code == 0
    assert len(stored(db)) == len(before_docs) + 1


def test_lookup_export_and_docs_read_a_store_on_a_read_only_file_system(tmp_path):
    mnt = _tmpfs(tmp_path / "ro", "1m")
    try:
        db = mnt / "s.db"
        assert cli("import", memory_tmx(tmp_path / "memory.tmx", ("科技创新", "Sci-tech innovation")), "--db", db).exit_code == 0
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        for args in (("lookup", "科技创新"), ("export", "tm", "-f", "jsonl"), ("docs", "-f", "tsv")):
            result = cli(*args, "--db", db)
            assert result.exit_code == 0, (args, result.output)
        assert "Sci-tech innovation" in cli("lookup", "科技创新", "--db", db).stdout
    finally:
        _umount(mnt)


# outputs -------------------------------------------------------------------------------------------


def _tmpfs(path: Path, size: str) -> Path:
    """A small tmpfs at ``path`` (root only; the test skips elsewhere)."""
    import os

    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs")
    path.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    return path


def _umount(path: Path) -> None:
    subprocess.run(["umount", str(path)], capture_output=True)


def _fill(mnt: Path, leave: int = 0) -> None:
    """Fill the file system at ``mnt`` until at most ``leave`` bytes are free."""
    import os

    with open(mnt / "filler", "wb") as fh:
        with contextlib.suppress(OSError):
            while True:
                fh.write(b"\0" * 1024)
                fh.flush()
                if os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize <= leave:
                    break


def test_a_full_disk_says_so_in_one_line_and_keeps_the_earlier_output(tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC_A, encoding="utf-8")
    mnt = _tmpfs(tmp_path / "full", "64k")
    try:
        out = mnt / "out.tsv"
        out.write_text("the earlier output\n")
        _fill(mnt)
        result = cli("align", doc, "--no-store", "--mode", "lexical", "-f", "tsv", "-o", out)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [f"Error: disk full while writing {out}; nothing was changed"]
        assert out.read_text() == "the earlier output\n"
        assert sorted(p.name for p in mnt.iterdir()) == ["filler", "out.tsv"]
    finally:
        _umount(mnt)


@pytest.mark.parametrize("command", ["import", "terms"])
def test_a_new_store_on_a_full_disk_leaves_no_empty_store(tmp_path, command):
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC_A, encoding="utf-8")
    glossary = tmp_path / "glossary.csv"
    glossary.write_text("zh,en\n人才,talent\n", encoding="utf-8")
    mnt = _tmpfs(tmp_path / "full", "64k")
    try:
        _fill(mnt)
        args = ("import", glossary) if command == "import" else ("terms", doc, "--mode", "lexical", "-f", "tsv")
        result = cli(*args, "--db", mnt / "new.db")
        assert result.exit_code == 1
        assert sorted(p.name for p in mnt.iterdir()) == ["filler"]
        assert "Traceback" not in result.output
    finally:
        _umount(mnt)


def test_terms_output_is_written_when_the_store_cannot_be_created(tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC_A, encoding="utf-8")
    (tmp_path / "afile").write_text("not a folder\n")
    out = tmp_path / "out.tsv"
    result = cli("terms", doc, "--mode", "lexical", "-f", "tsv", "-o", out, "--db", tmp_path / "afile" / "s.db")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("Error: cannot create the store ")
    assert out.read_text(encoding="utf-8").startswith("zh\ten\tpinyin")


def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC_A, encoding="utf-8")
    target = tmp_path / "real.tsv"
    target.write_text("old\n")
    link = tmp_path / "link.tsv"
    link.symlink_to(target)
    result = cli("align", doc, "--no-store", "--mode", "lexical", "-f", "tsv", "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("zh\ten\tscore")


def test_output_to_a_fifo_is_written_into_it(tmp_path):
    import os

    doc = tmp_path / "doc.txt"
    doc.write_text(DOC_A, encoding="utf-8")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = cli("align", doc, "--no-store", "--mode", "lexical", "-f", "tsv", "-o", fifo)
    if reader.is_alive():  # the run never opened the FIFO: unblock the reader
        with open(fifo, "wb"):
            pass
    reader.join(TIMEOUT)
    assert result.exit_code == 0, result.output
    assert fifo.is_fifo() and got and got[0].startswith(b"zh\ten\tscore")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt", "pipe"]


def test_output_to_a_character_device_keeps_the_device(tmp_path):
    import os
    import stat

    doc = tmp_path / "doc.txt"
    doc.write_text(DOC_A, encoding="utf-8")
    null = tmp_path / "null"
    try:
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null
    except (OSError, AttributeError):
        pytest.skip("cannot make a device node here")
    result = cli("align", doc, "--no-store", "--mode", "lexical", "-f", "tsv", "-o", null)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(null.stat().st_mode)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="needs POSIX signals")
def test_sigterm_while_writing_an_output_leaves_no_temporary_file(tmp_path):
    script = (
        "import os, signal, sys, time\n"
        "from npfterm.outputs import open_output\n"
        "with open_output(sys.argv[1]) as fh:\n"
        "    fh.write('partial')\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(30)\n"
    )
    out = tmp_path / "out.txt"
    proc = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode != 0
    assert list(tmp_path.iterdir()) == []


def test_long_document_names_in_a_batch_are_written(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    long_doc = "d" * 247 + ".txt"  # 251 characters, the most a file system allows with ".tsv" added
    (docs / long_doc).write_text(DOC_A, encoding="utf-8")
    (docs / "short.txt").write_text(DOC_B, encoding="utf-8")
    out = tmp_path / "out"
    result = cli("align", docs, "--no-store", "--mode", "lexical", "-j", "1", "-f", "tsv", "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    assert sorted(len(p.name) for p in out.iterdir()) == [len("short.tsv"), 251]


def test_a_246_character_output_name_is_written(tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC_A, encoding="utf-8")
    out = tmp_path / ("o" * 242 + ".tsv")
    result = cli("align", doc, "--no-store", "--mode", "lexical", "-f", "tsv", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("zh\ten\tscore")


def test_a_large_max_size_reads_a_small_file(tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC_A, encoding="utf-8")
    result = cli("align", doc, "--no-store", "--mode", "lexical", "-f", "beads", "--max-size", "100000")
    assert result.exit_code == 0, result.output


def test_invisible_format_characters_neither_change_the_beads_nor_reach_the_output(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text(DOC_A, encoding="utf-8")
    marked = tmp_path / "marked.txt"
    marked.write_text(
        DOC_A.replace("生产力", "生\u200b产\u200d力").replace("productive", "pro\u200bduc\u2067tive\u2069").replace("。", "\u202e。\u202c"),
        encoding="utf-8",
    )
    a = cli("align", plain, "--no-store", "--mode", "lexical", "-f", "jsonl")
    b = cli("align", marked, "--no-store", "--mode", "lexical", "-f", "jsonl")
    assert a.exit_code == b.exit_code == 0
    assert b.stdout == a.stdout
    assert not re.search("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", b.stdout)


@pytest.mark.slow
def test_a_dask_address_that_is_an_http_server_fails_fast_with_one_line(tmp_path):
    pytest.importorskip("distributed")
    import http.server

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(DOC_A, encoding="utf-8")
    (docs / "b.txt").write_text(DOC_B, encoding="utf-8")
    try:
        proc = npfterm("align", docs, "--no-store", "--mode", "lexical", "--dask", f"tcp://127.0.0.1:{server.server_port}")
        code, out, err = finish(proc)
    finally:
        server.shutdown()
    assert code == 1
    assert err.splitlines() == [
        f"Error: nothing at tcp://127.0.0.1:{server.server_port} answers as a Dask scheduler; give the scheduler's address (usually port 8786), not the dashboard's"
    ]


def test_a_batch_whose_output_folder_is_read_only_stops_before_aligning_or_storing(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(DOC_A, encoding="utf-8")
    (docs / "b.txt").write_text(DOC_B, encoding="utf-8")
    mnt = _tmpfs(tmp_path / "ro", "1m")
    try:
        (mnt / "out").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        db = tmp_path / "s.db"
        result = cli("align", docs, "--db", db, "--mode", "lexical", "-j", "1", "-f", "tsv", "-o", f"{mnt / 'out'}/")
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [f"Error: cannot write {mnt / 'out'}/: it is on a read-only file system"]
        assert not db.exists()
    finally:
        _umount(mnt)


def test_invisible_characters_already_in_a_store_are_not_exported(tmp_path):
    db = tmp_path / "s.db"
    with Store.open(db) as store:  # as a store made before reading removed them holds them
        store.add_pairs([AlignedPair("新质\u200b生产力", "new\u202e productive\u2069 forces", (0,), (0,), 0.9)],
                        name="old.tmx", content_hash="h")
    for fmt in ("tmx", "jsonl", "tsv", "csv", "moses"):
        out = tmp_path / f"out.{fmt}"
        assert cli("export", "tm", "--db", db, "-f", fmt, "-o", out).exit_code == 0
        for path in (tmp_path / "out.moses.zh", tmp_path / "out.moses.en") if fmt == "moses" else (out,):
            text = path.read_text(encoding="utf-8-sig")
            assert "生产力" in text or "productive forces" in text
            assert not re.search("[\u200b-\u200f\u202a-\u202e\u2066-\u2069]", text), (fmt, text)


def test_export_onto_the_default_store_is_refused_and_the_store_kept(tmp_path, private_store):
    assert cli("import", memory_tmx(tmp_path / "memory.tmx", ("人才", "talent"))).exit_code == 0
    before = private_store.read_bytes()
    for args in (("export", "tm", "-o", private_store), ("export", "terms", "-o", f"{private_store}-shm")):
        result = cli(*args)
        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1].startswith(f"Error: will not write {private_store}")
    assert private_store.read_bytes() == before and stored(private_store) == [("memory.tmx", str((tmp_path / "memory.tmx").resolve()), 1)]


def test_output_that_is_a_hard_link_to_the_input_is_refused(tmp_path):
    import os

    doc = tmp_path / "doc.txt"
    doc.write_text(DOC_A, encoding="utf-8")
    os.link(doc, tmp_path / "same.tsv")
    result = cli("align", doc, "--no-store", "--mode", "lexical", "-f", "tsv", "-o", tmp_path / "same.tsv")
    assert result.exit_code == 2 and "it is an input of this run" in result.stderr
    assert doc.read_text(encoding="utf-8") == DOC_A


@pytest.mark.slow
def test_output_to_dev_stdout_redirected_to_a_file_appends_to_that_file(tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC_A, encoding="utf-8")
    log = tmp_path / "log.txt"
    log.write_text("earlier\n")
    inode = log.stat().st_ino
    with open(log, "a") as out:
        code = subprocess.run(
            [sys.executable, "-m", "npfterm", "align", doc, "--no-store", "--mode", "lexical", "-f", "beads", "-o", "/dev/stdout"],
            stdout=out, stderr=subprocess.PIPE, timeout=TIMEOUT,
        ).returncode
    assert code == 0
    assert log.stat().st_ino == inode
    assert log.read_text() == "earlier\n[0]:[0]\n[1]:[1]\n[2]:[2]\n"
