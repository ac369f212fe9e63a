"""``npfterm align DIR``: outputs per document or combined, failures reported, exact messages and exit codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.alignment.document import AlignOptions
from npfterm.cli import app
from npfterm.pipeline import align_files

MAC_DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mac-dev"
MAC_DOCS = ("001", "002", "003", "004", "005", "006")

ZH = "今天我们讨论经济发展。\n中国的人口很多。\n我喜欢喝茶。\n"
EN = "Today we discuss economic development.\nChina has a large population.\nI like drinking tea.\n"
SCHOOL_ZH = "我们的学校很大。\n学生们每天学习数学。\n"
SCHOOL_EN = "Our school is big.\nThe students study mathematics every day.\n"
MIXED = "北京是中国的首都。\nBeijing is the capital of China.\n\n上海是一个大城市。\nShanghai is a big city.\n"

runner = CliRunner()


def run(*args: object, store: bool = False):
    extra = [] if store else ["--no-store"]
    return runner.invoke(app, ["align", *map(str, args), "--mode", "lexical", *extra])


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """Two pairs, an interleaved file, a Chinese file without its partner, and a file that is not text."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    files = {
        "news.zh.txt": ZH, "news.en.txt": EN, "school_zh.md": SCHOOL_ZH, "school_en.md": SCHOOL_EN,
        "mixed.txt": MIXED, "lone-zh.txt": ZH, "notes.json": "{}",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def figures(*docs: tuple[str, ...], sentences: bool = False) -> tuple[str, list]:
    """The summary's figures for these documents, from the library itself."""
    alignments = [align_files(paths, AlignOptions(mode="lexical"), sentences=sentences) for paths in docs]
    zh = sum(len(a.zh) for a in alignments)
    en = sum(len(a.en) for a in alignments)
    beads = sum(len(a.beads) for a in alignments)
    low = sum(1 for a in alignments for b in a.beads if b.zh and b.en and b.score < 0.5)
    return f"{zh:,} zh / {en:,} en sentences, {beads:,} beads, {low:,} low-confidence", alignments


def lone_error(corpus: Path) -> str:
    return f"Error: lone: {corpus / 'lone-zh.txt'} has no English partner; expected {corpus / 'lone-en.txt'}\n"


def test_a_folder_shows_a_table_per_document_and_reports_the_lone_file(corpus):
    result = run(corpus, "--workers", 1)
    counts, _ = figures(
        (str(corpus / "mixed.txt"),),
        (str(corpus / "news.zh.txt"), str(corpus / "news.en.txt")),
        (str(corpus / "school_zh.md"), str(corpus / "school_en.md")),
    )
    assert result.exit_code == 1
    assert result.stderr == lone_error(corpus) + f"3 of 4 documents aligned ({counts}); 1 failed\n"
    rows = [line.split("│")[1:-1] for line in result.stdout.splitlines() if line.startswith("│")]
    assert [[cell.strip() for cell in row] for row in rows] == [
        ["lone", "", "", "", "", "failed"],
        ["mixed", "2", "2", "2", "0", "ok"],
        ["news", "3", "3", "3", "0", "ok"],
        ["school", "2", "2", "2", "0", "ok"],
    ]


def test_sentences_applies_to_pairs_and_fails_an_interleaved_file(corpus):
    result = run(corpus, "--sentences", "--workers", 1, "-f", "jsonl")
    counts, alignments = figures(
        (str(corpus / "news.zh.txt"), str(corpus / "news.en.txt")),
        (str(corpus / "school_zh.md"), str(corpus / "school_en.md")),
        sentences=True,
    )
    assert result.exit_code == 1
    assert result.stderr == (
        lone_error(corpus)
        + "Error: mixed: sentence-per-line input needs two files: Chinese and English, one sentence per line; --sentences takes a Chinese file and an English file\n"
        + f"2 of 4 documents aligned ({counts}); 2 failed\n"
    )
    records = [json.loads(line) for line in result.stdout.splitlines()]
    expected = [(name, p.zh, p.en) for name, a in zip(("news", "school"), alignments) for p in a.pairs()]
    assert [(r["doc"], r["zh"], r["en"]) for r in records] == expected


def test_output_folder_gets_one_file_per_document_in_the_format(corpus, tmp_path):
    out = tmp_path / "out"
    result = run(corpus, "-f", "tmx", "-o", f"{out}/", "--workers", 1)
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["mixed.tmx", "news.tmx", "school.tmx"]
    assert result.stderr.endswith(f"; wrote 3 files to {out}/; 1 failed\n")
    news = (out / "news.tmx").read_text(encoding="utf-8")
    assert news.count("<tu ") == 3 and '<prop type="x-source-doc">news</prop>' in news


def test_moses_into_a_folder_writes_a_zh_and_an_en_file_per_document(corpus, tmp_path):
    (corpus / "lone-zh.txt").unlink()
    out = tmp_path / "out"
    out.mkdir()  # an existing folder needs no trailing slash
    result = run(corpus, "-f", "moses", "-o", out, "--workers", 1)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "mixed.en", "mixed.zh", "news.en", "news.zh", "school.en", "school.zh",
    ]
    assert result.stderr.endswith("; wrote 6 files to " + str(out) + "\n")
    assert (out / "news.en").read_text(encoding="utf-8") == EN


def test_one_output_file_holds_every_document_with_a_doc_column(corpus, tmp_path):
    out = tmp_path / "all.tsv"
    result = run(corpus, "-f", "tsv", "-o", out, "--workers", 1)
    assert result.exit_code == 1
    assert result.stderr.endswith(f"; wrote {out}; 1 failed\n")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8")), delimiter="\t"))
    assert rows[0] == ["zh", "en", "score", "doc"]
    assert [r[3] for r in rows[1:]] == ["mixed"] * 2 + ["news"] * 3 + ["school"] * 2
    assert rows[3][:2] == ["今天我们讨论经济发展。", "Today we discuss economic development."]


def test_several_files_or_a_shell_glob_are_a_batch(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    files = sorted(corpus.glob("*.txt"))  # what `npfterm align corpus/*.txt` receives
    result = run(*files, "-f", "jsonl", "-o", out, "--workers", 1)
    assert result.exit_code == 1
    assert {json.loads(line)["doc"] for line in out.read_text(encoding="utf-8").splitlines()} == {"mixed", "news"}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("{empty}",), 2, "Error: no documents found in {empty}; expected NAME.zh.txt + NAME.en.txt pairs, "
         "zh/ and en/ subfolders, or .txt/.md files with both languages\n"),
        (("{corpus}", "-"), 2, "Error: stdin ('-') cannot be part of a batch; give files or folders\n"),
        (("{corpus}", "-o", "{notdir}/"), 1, "Error: cannot create folder {notdir}: File exists\n"),
    ],
)
def test_batch_input_and_output_errors(corpus, tmp_path, args, code, message):
    paths = {"empty": tmp_path / "empty", "corpus": corpus, "notdir": tmp_path / "file"}
    paths["empty"].mkdir()
    paths["notdir"].write_text("x", encoding="utf-8")
    result = run(*(a.format(**paths) for a in args))
    assert (result.exit_code, result.stderr) == (code, message.format(**paths))


def test_every_aligned_document_is_stored_under_its_name(corpus, tmp_path):
    from npfterm.store.db import Store

    db = tmp_path / "batch.db"
    result = run(corpus, "--db", db, "--workers", 1, "-f", "beads", "-o", f"{tmp_path / 'out'}/", store=True)
    assert result.exit_code == 1
    with Store.open(db, create=False) as store:
        docs = sorted((d.name, d.zh_count, d.en_count) for d in store.documents())
    assert docs == [("mixed", 2, 2), ("news", 3, 3), ("school", 2, 2)]


def test_dask_needs_a_batch(tmp_path):
    zh, en = tmp_path / "a.zh.txt", tmp_path / "a.en.txt"
    zh.write_text(ZH, encoding="utf-8")
    en.write_text(EN, encoding="utf-8")
    result = run(zh, en, "--dask", "tcp://127.0.0.1:8786")
    assert result.exit_code == 2
    assert "a cluster aligns many documents: give a folder or several files" in result.stderr


# --- acceptance: the six MAC-Dev pairs, two workers ---------------------------------


@pytest.fixture()
def mac_dev(tmp_path) -> Path:
    """MAC-Dev's six pairs as NNN.zh.txt / NNN.en.txt in a temporary folder (never in the repo)."""
    if not all((MAC_DEV / lang / doc).is_file() for lang in ("zh", "en") for doc in MAC_DOCS):
        pytest.skip(f"MAC-Dev not found at {MAC_DEV}")
    folder = tmp_path / "mac"
    folder.mkdir()
    for doc in MAC_DOCS:
        for lang in ("zh", "en"):
            shutil.copyfile(MAC_DEV / lang / doc, folder / f"{doc}.{lang}.txt")
    return folder


@pytest.mark.slow
def test_mac_dev_folder_with_two_workers_writes_six_outputs(mac_dev, tmp_path):
    out = tmp_path / "out"
    result = run(mac_dev, "--sentences", "--workers", 2, "-f", "jsonl", "-o", f"{out}/")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"{doc}.jsonl" for doc in MAC_DOCS]
    # each file covers its document's sentences once, and the summary adds up the six files
    # (that pool results equal in-process ones is test_batch's concern)
    totals = {"zh": 0, "en": 0, "beads": 0, "low": 0}
    for doc in MAC_DOCS:
        records = [json.loads(line) for line in (out / f"{doc}.jsonl").read_text(encoding="utf-8").splitlines()]
        for lang in ("zh", "en"):
            lines = len((mac_dev / f"{doc}.{lang}.txt").read_text(encoding="utf-8").splitlines())
            assert sorted(i for r in records for i in r[f"{lang}_ids"]) == list(range(lines))
            totals[lang] += lines
        totals["beads"] += len(records)
        totals["low"] += sum(1 for r in records if r["zh_ids"] and r["en_ids"] and r["score"] < 0.5)
    counts = "{zh:,} zh / {en:,} en sentences, {beads:,} beads, {low:,} low-confidence".format(**totals)
    assert result.stderr == f"6 of 6 documents aligned ({counts}); wrote 6 files to {out}/\n"
