"""`npfterm review`: refuses bad arguments with exit codes; serves the page on 127.0.0.1 with a token."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.cli import app
from review_docs import small_store


def test_an_unknown_document_is_a_usage_error(tmp_path: Path):
    db = tmp_path / "s.db"
    small_store(db)
    result = CliRunner().invoke(app, ["review", "nope.txt", "--db", str(db), "--no-browser"])
    assert result.exit_code == 2
    assert "the store has no document 'nope.txt'" in result.output


def test_no_store_is_an_error(tmp_path: Path):
    result = CliRunner().invoke(app, ["review", "--db", str(tmp_path / "none.db"), "--no-browser"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no store at")


@pytest.mark.slow
def test_review_prints_a_loopback_address_with_a_token(tmp_path: Path):
    db = tmp_path / "s.db"
    small_store(db)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "npfterm", "review", "small.txt", "--db", str(db), "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        found = re.fullmatch(r"Review page: (http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]{64})#doc=1)\n", line)
        assert found, line
        address, port = found.group(1), found.group(2)
        with urllib.request.urlopen(address, timeout=20) as page:
            assert page.status == 200 and "npfterm review" in page.read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=20)
        assert refused.value.code == 403
    finally:
        proc.terminate()
        proc.wait(20)


def test_aligning_again_keeps_reviewed_beads_unless_told(tmp_path: Path):
    from npfterm.models import RunInfo
    from npfterm.review import edits
    from npfterm.review.edits import Draft
    from npfterm.store.db import Store

    zh, en, db = tmp_path / "a.zh", tmp_path / "a.en", tmp_path / "s.db"
    zh.write_text("科技创新是核心要素。\n要发展碳中和产业。\n", encoding="utf-8")
    en.write_text("Sci-tech innovation is the core element.\nDevelop carbon neutrality industries.\n", encoding="utf-8")
    args = ["align", str(zh), str(en), "--sentences", "--mode", "lexical", "--db", str(db), "-f", "beads"]
    assert CliRunner().invoke(app, args).exit_code == 0
    with Store.open(db) as store:
        doc = store.load_document(1)
        draft = edits.merge(Draft(doc.zh, doc.en, doc.beads), 0, 1)
        store.save_review(1, draft.to_alignment(RunInfo("0", "lexical", ()), "a.zh"))
    kept = CliRunner().invoke(app, args)
    assert kept.exit_code == 0
    assert "Warning: kept the reviewed version of a.zh + a.en in the store (1 reviewed bead);" in kept.output
    with Store.open(db) as store:
        assert [(p.zh_ids, p.en_ids) for p in store.iter_pairs()] == [((0, 1), (0, 1))]
    replaced = CliRunner().invoke(app, [*args, "--replace-reviewed"])
    assert replaced.exit_code == 0 and "Stored" in replaced.output
    with Store.open(db) as store:
        assert [(p.zh_ids, p.en_ids, p.evidence) for p in store.iter_pairs()] == [((0,), (0,), "aligned"), ((1,), (1,), "aligned")]
