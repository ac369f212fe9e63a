"""``npfterm export`` / ``npfterm import`` and the exchange formats of ``align``, through the CLI:
exact messages, exit codes, the store untouched by failures, and real clients reading our files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "npf-xi-2024-01-31.txt"
DTD = ROOT / ".." / "shared" / "spec" / "tmx14.dtd"

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path, monkeypatch):
    """No test may touch a real store: the default points into tmp_path too."""
    monkeypatch.setenv("NPFTERM_DB", str(tmp_path / "default.db"))


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def jsonl_pairs(tmp_path: Path) -> list[tuple[str, str]]:
    out = tmp_path / "seed.jsonl"
    result = run("align", SEED, "--mode", "lexical", "--format", "jsonl", "-o", out)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return [(r["zh"], r["en"]) for r in records if r["zh_ids"] and r["en_ids"]]


# --- align's exchange formats (acceptance) ----------------------------------


def test_align_tmx_is_dtd_valid_and_translate_toolkit_reads_the_jsonl_pairs(tmp_path):
    from lxml import etree
    from translate.storage.tmx import tmxfile

    out = tmp_path / "seed.tmx"
    result = run("align", SEED, "--mode", "lexical", "--format", "tmx", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    if DTD.is_file():
        dtd = etree.DTD(str(DTD))
        assert dtd.validate(etree.parse(str(out))), dtd.error_log.filter_from_errors()
    with out.open("rb") as fh:
        units = tmxfile(fh, sourcelanguage="zh-CN", targetlanguage="en-US").units
    expected = jsonl_pairs(tmp_path)
    assert len(expected) > 5
    assert [(u.source, u.target) for u in units] == expected


def test_align_moses_writes_two_line_aligned_files(tmp_path):
    result = run("align", SEED, "--mode", "lexical", "--format", "moses", "-o", tmp_path / "seed")
    assert result.exit_code == 0, result.output
    zh = (tmp_path / "seed.zh").read_text(encoding="utf-8").splitlines()
    en = (tmp_path / "seed.en").read_text(encoding="utf-8").splitlines()
    assert list(zip(zh, en)) == jsonl_pairs(tmp_path)


def test_align_moses_to_stdout_is_refused():
    result = run("align", SEED, "--mode", "lexical", "--format", "moses")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Error: moses writes two files (OUT.zh and OUT.en); give -o OUT\n"


# --- import: refusals --------------------------------------------------------

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<tmx version="1.4"><header/><body><tu><tuv xml:lang="zh"><seg>&e;</seg></tuv><tuv xml:lang="en"><seg>&e;</seg></tuv></tu></body></tmx>
"""

MEMORY_WITH_BAD_TAG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n<header srclang="zh-CN"/>\n<body>\n'
    + "".join(
        f'<tu>\n<tuv xml:lang="zh-CN"><seg>第{i}句。</seg></tuv>\n<tuv xml:lang="en-US"><seg>Sentence {i}.</seg></tuv>\n</tu>\n'
        for i in range(1, 3)
    )
    + '<tu>\n<tuv xml:lang="zh-CN"><seg>坏。</seg></tu>\n'
    + "</body>\n</tmx>\n"
)


@pytest.mark.parametrize(
    "name, content, args, message",
    [
        ("memory.tmx", MEMORY_WITH_BAD_TAG, (), "memory.tmx: line 14: mismatched tag"),
        ("bomb.tmx", BOMB, (), "bomb.tmx: line 3: declares the XML entity 'a'; npfterm never expands XML entities "
         "(a defence against entity bombs and file disclosure): remove the <!ENTITY> declarations"),
        ("xxe.tmx", '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<tmx>&x;</tmx>', (),
         "xxe.tmx: line 2: declares the XML entity 'x'; npfterm never expands XML entities "
         "(a defence against entity bombs and file disclosure): remove the <!ENTITY> declarations"),
        ("terms.tbx", '<martif><text><body>\n<termEntry>\n<langSet xml:lang="zh"><tig/></langSet>\n</termEntry></body></text></martif>',
         (), "terms.tbx: line 3: <tig> has no <term>"),
        ("glossary.csv", "zh,en\n" + "中文,Chinese\n" * 5 + "孤单\n", (),
         "glossary.csv line 7: 1 column(s), expected at least 2 (Chinese in column 1, English in column 2)"),
        ("glossary.tsv", "zh\ten\tscore\n中文\tChinese\tvery\n", (), "glossary.tsv line 2: score 'very' is not a non-negative number"),
        ("notes.dat", "just words\n", (), "notes.dat: cannot tell the file's format; use --format (tmx, tbx, csv, tsv, jsonl, json)"),
        ("memory.tmx", "zh,en\n中文,Chinese\n", ("--format", "tmx"), "memory.tmx: line 1: syntax error"),
        ("empty.tmx", "", (), "{path} is empty; nothing to import"),
    ],
)
def test_a_bad_file_is_refused_with_the_line_and_no_store_is_written(tmp_path, name, content, args, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    db = tmp_path / "store.db"
    result = run("import", path, "--db", db, *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {message.format(path=path)}\n"
    assert not db.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (("--format", "xlsx"), "Invalid value for --format: 'xlsx' is not one of: auto, tmx, tbx, csv, tsv, jsonl, json"),
        (("--src-lang", "zh CN"), "Invalid value for --src-lang: 'zh CN' is not a language code like zh-CN or en-US"),
    ],
)
def test_import_usage_errors(tmp_path, args, message):
    result = run("import", tmp_path / "x.tmx", "--db", tmp_path / "s.db", *args)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"\nError: {message}\n")


def test_import_of_a_missing_file(tmp_path):
    result = run("import", tmp_path / "nope.tmx", "--db", tmp_path / "s.db")
    assert (result.exit_code, result.stderr) == (2, f"Error: file not found: {tmp_path / 'nope.tmx'}; check the path\n")


# --- export: usage errors ----------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (("tm", "--format", "tbx"), "Invalid value for --format: 'tbx' is not one of: jsonl, tsv, csv, beads, tmx, moses"),
        (("terms", "--format", "tmx"), "Invalid value for --format: 'tmx' is not one of: tsv, csv, json, jsonl, tbx, tbx3, omegat"),
        (("terms", "--doc", "1"), "Invalid value for --doc: documents hold translation units; term pairs are store-wide"),
        (("glossary",), "Invalid value for WHAT: 'glossary' is not one of: tm, terms"),
        (("tm", "--tgt-lang", "en_US!"), "Invalid value for --tgt-lang: 'en_US!' is not a language code like zh-CN or en-US"),
        (("tm", "--min-score", "2"), "Invalid value for '--min-score': Input should be less than or equal to 1"),
    ],
)
def test_export_usage_errors(tmp_path, args, message):
    result = run("export", *args, "--db", tmp_path / "s.db")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(f"\nError: {message}\n"), result.stderr
