"""`npfterm align` through typer's CliRunner: exact output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.cli import app

ZH = "2024年全国国内生产总值增长5%。\n科技创新是发展新质生产力的核心要素。\n要完善现代化产业体系。\n"
EN = (
    "China's gross domestic product grew 5 percent in 2024.\n"
    "Sci-tech innovation is the core element of developing new productive forces.\n"
    "The modern industrial system should be improved.\n"
)
BILINGUAL = (
    "China's gross domestic product grew 5 percent in 2024. "
    "Sci-tech innovation is the core element of developing new productive forces.\n"
    "2024年全国国内生产总值增长5%。科技创新是发展新质生产力的核心要素。\n"
    "The modern industrial system should be improved.\n"
    "要完善现代化产业体系。\n"
)


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("NPFTERM_DB", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.txt").write_text(BILINGUAL, encoding="utf-8")
    (tmp_path / "zh.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    return CliRunner()


def align(runner: CliRunner, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["align", *args, "--mode", "lexical", "--no-store"], input=stdin)


def test_beads_for_one_interleaved_file(runner):
    result = align(runner, "doc.txt", "--format", "beads")
    assert result.exit_code == 0, result.output
    assert result.stdout == "[0]:[0]\n[1]:[1]\n[2]:[2]\n"


def test_two_files_in_either_order_give_the_same_pairs(runner):
    a = align(runner, "zh.txt", "en.txt", "--format", "jsonl")
    b = align(runner, "en.txt", "zh.txt", "--format", "jsonl")
    assert a.exit_code == b.exit_code == 0
    assert a.stdout == b.stdout
    rows = [json.loads(line) for line in a.stdout.splitlines()]
    assert [(r["zh_ids"], r["en_ids"]) for r in rows] == [([0], [0]), ([1], [1]), ([2], [2])]
    assert list(rows[0]) == ["zh", "en", "zh_ids", "en_ids", "score"]
    assert rows[1]["zh"] == "科技创新是发展新质生产力的核心要素。"
    assert rows[1]["en"] == "Sci-tech innovation is the core element of developing new productive forces."
    assert all(0.0 <= r["score"] <= 1.0 for r in rows)


def test_sentences_mode_keeps_lines_as_sentences(runner, tmp_path):
    (tmp_path / "en2.txt").write_text("One. Two.\nThe modern industrial system should be improved.\n", encoding="utf-8")
    (tmp_path / "zh2.txt").write_text("一。二。\n要完善现代化产业体系。\n", encoding="utf-8")
    result = align(runner, "--sentences", "zh2.txt", "en2.txt", "--format", "beads")
    assert result.exit_code == 0, result.output
    assert result.stdout == "[0]:[0]\n[1]:[1]\n"


def test_tsv_and_csv_have_a_header_and_one_row_per_bead(runner):
    tsv = align(runner, "doc.txt", "--format", "tsv")
    assert tsv.stdout.splitlines()[0] == "zh\ten\tscore"
    assert len(tsv.stdout.splitlines()) == 4
    csv_out = align(runner, "doc.txt", "--format", "csv")
    assert csv_out.stdout_bytes.startswith("\ufeffzh,en,score\r\n".encode())  # .stdout folds CRLF


def test_stdin_and_output_file(runner, tmp_path):
    result = align(runner, "-", "--format", "beads", "-o", "out.align", stdin=BILINGUAL)
    assert result.exit_code == 0
    assert (tmp_path / "out.align").read_text(encoding="utf-8") == "[0]:[0]\n[1]:[1]\n[2]:[2]\n"
    assert result.stdout == ""
    assert result.stderr.startswith("Wrote out.align: 3 zh / 3 en sentences · 3 beads: 1-1 ×3")


def test_table_shows_both_languages_and_a_summary(runner):
    result = align(runner, "doc.txt")
    assert result.exit_code == 0
    assert "科技创新" in result.stdout and "Sci-tech innovation" in result.stdout
    assert "zh" in result.stdout and "score" in result.stdout
    assert result.stdout.rstrip().endswith("3 zh / 3 en sentences · 3 beads: 1-1 ×3 · 0 low-confidence")


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["missing.txt"], 2, "Error: file not found: missing.txt; check the path\n"),
        (["zh.txt"], 2, "Error: no English text found in zh.txt; align needs both Chinese and English\n"),
        (["zh.txt", "zh.txt"], 2, None),
        (["doc.txt", "-o", "nowhere/out.tsv", "--format", "tsv"], 1,
         "Error: cannot write nowhere/out.tsv: directory nowhere does not exist\n"),
        (["--sentences", "doc.txt"], 2,
         "Error: sentence-per-line input needs two files: Chinese and English, one sentence per line; --sentences takes a Chinese file and an English file\n"),
    ],
)
def test_bad_input_is_one_line_and_an_exit_code(runner, args, code, message):
    result = align(runner, *args)
    assert result.exit_code == code
    assert result.stdout == ""
    if message is not None:
        assert result.stderr == message
    else:
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_unknown_format_is_a_usage_error(runner):
    result = align(runner, "doc.txt", "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of: table, jsonl, tsv, csv, beads, tmx" in result.stderr


def test_version(runner):
    from npfterm.version import __version__

    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"npfterm {__version__}\n")


def test_score_command(runner, tmp_path):
    (tmp_path / "gold.align").write_text("[0]:[0]\n[1,2]:[1]\n", encoding="utf-8")
    (tmp_path / "test.align").write_text("[0]:[0]\n[1]:[1]\n[2]:[]\n", encoding="utf-8")
    result = runner.invoke(app, ["score", "gold.align", "test.align"])
    assert result.exit_code == 0
    assert result.stdout == (
        "        precision  recall  F1\n"
        "strict      0.333   0.500  0.400\n"
        "lax         0.667   1.000  0.800\n"
    )
    bad = runner.invoke(app, ["score", "gold.align", "doc.txt"])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: doc.txt: line 1: not a bead")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "moses"], "Error: moses writes two files (OUT.zh and OUT.en); give -o OUT\n"),
        (["--format", "tsv", "-o", "missing/out.tsv"], "Error: cannot write missing/out.tsv: directory missing does not exist\n"),
        (["-o", "missing/out.txt"], "Error: cannot write missing/out.txt: directory missing does not exist\n"),
    ],
)
def test_an_output_that_cannot_be_written_is_refused_before_anything_is_stored(runner, tmp_path, args, message):
    result = runner.invoke(app, ["align", "doc.txt", "--mode", "lexical", *args])
    assert (result.exit_code, result.stderr) == (1, message)
    assert not (tmp_path / "store.sqlite").exists()
