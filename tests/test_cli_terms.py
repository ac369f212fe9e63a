"""`npfterm terms` (and `align`'s storing) through CliRunner: exact output, exit codes, the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.cli import app
from npfterm.store.db import Store

DOC = """\
Efforts should be made to transform and upgrade traditional industries and foster emerging industries.
要改造提升传统产业，培育壮大新兴产业。
The country will contribute to carbon peaking and carbon neutrality.
国家将助力碳达峰碳中和。
"""
EX1_ZH, EX1_EN = "要改造提升传统产业，培育壮大新兴产业。", "Efforts should be made to transform and upgrade traditional industries and foster emerging industries."
EX2_ZH, EX2_EN = "国家将助力碳达峰碳中和。", "The country will contribute to carbon peaking and carbon neutrality."
ROWS = [
    ("碳中和", "carbon neutrality", "tànzhōnghé", "0.8180", "1", "aligned", EX2_ZH, EX2_EN),
    ("碳达峰", "carbon peaking", "tàndáfēng", "0.8180", "1", "aligned", EX2_ZH, EX2_EN),
    ("传统产业", "traditional industries", "chuántǒng chǎnyè", "0.8142", "1", "aligned", EX1_ZH, EX1_EN),
    ("新兴产业", "emerging industries", "xīnxīngchǎnyè", "0.8142", "1", "aligned", EX1_ZH, EX1_EN),
    # a verb plus a better-supported term: a coin toss (calibrated score about one half)
    ("壮大新兴产业", "foster emerging industries", "zhuàngdà xīnxīngchǎnyè", "0.5038", "1", "aligned", EX1_ZH, EX1_EN),
]
HEADER = ("zh", "en", "pinyin", "score", "count", "evidence", "example_zh", "example_en")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NPFTERM_DB", str(tmp_path / "env-store.sqlite"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.txt").write_text(DOC, encoding="utf-8")
    return tmp_path


def run(*args: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args])


def test_tsv_columns_and_rows_ranked_by_score(env):
    result = run("terms", "doc.txt", "--mode", "lexical", "--format", "tsv", "--no-store")
    assert result.exit_code == 0, result.output
    assert result.stdout == "".join("\t".join(row) + "\n" for row in [HEADER, *ROWS])
    assert result.stderr == ""
    assert not (env / "env-store.sqlite").exists()  # --no-store touches no store


def test_table(env):
    result = run("terms", "doc.txt", "--mode", "lexical", "--no-store")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "┏━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━┳━━━━━━━━━━┓\n"
        "┃ zh           ┃ en                         ┃ pinyin                 ┃ score ┃ count ┃ evidence ┃\n"
        "┡━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━╇━━━━━━━━━━┩\n"
        "│ 碳中和       │ carbon neutrality          │ tànzhōnghé             │  0.82 │     1 │ aligned  │\n"
        "│ 碳达峰       │ carbon peaking             │ tàndáfēng              │  0.82 │     1 │ aligned  │\n"
        "│ 传统产业     │ traditional industries     │ chuántǒng chǎnyè       │  0.81 │     1 │ aligned  │\n"
        "│ 新兴产业     │ emerging industries        │ xīnxīngchǎnyè          │  0.81 │     1 │ aligned  │\n"
        "│ 壮大新兴产业 │ foster emerging industries │ zhuàngdà xīnxīngchǎnyè │  0.50 │     1 │ aligned  │\n"
        "└──────────────┴────────────────────────────┴────────────────────────┴───────┴───────┴──────────┘\n"
    )


def test_json_is_valid_and_complete(env):
    result = run("terms", "doc.txt", "--mode", "lexical", "--format", "json", "--no-store")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(d["zh"], d["en"], d["evidence"]) for d in data] == [(r[0], r[1], r[5]) for r in ROWS]
    assert list(data[0]) == list(HEADER)


def test_csv_to_a_file_and_the_store(env):
    db = env / "mine.sqlite"
    result = run("terms", "doc.txt", "--mode", "lexical", "--format", "csv", "-o", "out.csv", "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"Stored doc.txt in {db}: 2 sentence pairs, 5 term pairs\n"
        "Wrote 5 term pairs to out.csv\n"
    )
    text = (env / "out.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeffzh,en,pinyin,score,count,evidence,example_zh,example_en\r\n碳中和,carbon neutrality,")
    with Store.open(db, create=False) as store:
        assert [(t.zh, t.en) for t in store.iter_terms()] == [(r[0], r[1]) for r in ROWS]
        assert len(store.documents()) == 1


def test_align_stores_the_document_and_its_terms_once(env):
    db = env / "aligned.sqlite"
    for _ in range(2):
        result = run("align", "doc.txt", "--mode", "lexical", "--format", "beads", "--db", db)
        assert result.exit_code == 0, result.output
        assert result.stdout == "[0]:[0]\n[1]:[1]\n"
        assert result.stderr == f"Stored doc.txt in {db}: 2 sentence pairs, 5 term pairs\n"
    with Store.open(db, create=False) as store:
        (doc,) = store.documents()
        assert doc.bead_count == 2 and doc.source_path == str(env / "doc.txt")
        assert [t.count for t in store.iter_terms()] == [1, 1, 1, 1, 1]  # replaced, not added twice


def test_align_no_store(env):
    result = run("align", "doc.txt", "--mode", "lexical", "--format", "beads", "--no-store")
    assert result.exit_code == 0 and result.stderr == ""
    assert not (env / "env-store.sqlite").exists()


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["missing.txt"], 2, "Error: file not found: missing.txt; check the path\n"),
        (["zh.txt"], 2, "Error: no English text found in zh.txt; align needs both Chinese and English\n"),
        (["doc.txt", "--db", "garbage.bin"], 1, "Error: garbage.bin is not an npfterm store (file is not a database)\n"),
        (["doc.txt", "--db", "."], 1, "Error: . is a directory; give the store's file name, e.g. npfterm.sqlite\n"),
        (["doc.txt", "-o", "no/such/dir/out.tsv", "-f", "tsv", "--no-store"], 1, "Error: cannot write no/such/dir/out.tsv: directory no/such/dir does not exist\n"),
    ],
)
def test_bad_input_is_one_line_and_an_exit_code(env, args, code, message):
    (env / "zh.txt").write_text("只有中文，没有英文。\n", encoding="utf-8")
    (env / "garbage.bin").write_bytes(b"\x7fELF" + bytes(range(256)) * 8)
    result = run("terms", *args, "--mode", "lexical")
    assert result.exit_code == code
    assert result.stderr == message.format(env=env)
    assert result.stdout == ""


def test_unknown_format_is_a_usage_error(env):
    result = run("terms", "doc.txt", "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for --format: 'xml' is not one of: table, tsv, csv, json" in result.stderr
