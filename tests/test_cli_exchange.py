"""``npfterm export`` / ``npfterm import`` and the exchange formats of ``align``, through the CLI:
exact messages, exit codes, the store untouched by failures, and real clients reading our files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.cli import app
from npfterm.formats.reading import parse
from npfterm.formats.writing import ExportMeta, export_pairs
from npfterm.lookup import lookup
from npfterm.models import AlignedPair
from npfterm.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "npf-xi-2024-01-31.txt"
DTD = ROOT / ".." / "shared" / "spec" / "tmx14.dtd"

runner = CliRunner()


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
    assert result.stderr.endswith("Error: moses writes two files (OUT.zh and OUT.en); give -o OUT\n")


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
        ("memory.tmx", MEMORY_WITH_BAD_TAG, (), "memory.tmx: line 14: mismatched tag: expected </tuv> to close <tuv> from line 14"),
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
        ("notes.dat", "just words\n", (), "notes.dat: cannot tell the file's format (tmx, tbx, csv, tsv, jsonl, json, xlsx); use --format"),
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
        (("--format", "ods"), "Invalid value for --format: 'ods' is not one of: auto, tmx, tbx, csv, tsv, jsonl, json, xlsx"),
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
        (("tm", "--format", "tbx"), "Invalid value for --format: 'tbx' is not one of: jsonl, tsv, csv, beads, tmx, moses, xlsx"),
        (("terms", "--format", "tmx"), "Invalid value for --format: 'tmx' is not one of: tsv, csv, json, jsonl, tbx, tbx3, omegat, xlsx"),
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


# --- with a store ------------------------------------------------------------

UNITS = (
    AlignedPair("发展新质生产力。", "Develop new-quality productive forces.", (0,), (0,), 0.93, "report.txt"),
    AlignedPair("研发投入增长。", "R&D spending <grew> \"8.1%\".", (1,), (1, 2), 0.61, "report.txt"),
    AlignedPair("我们要加快建设现代化产业体系。", "We must build a modern industrial system.", (2,), (3,), 0.35, "report.txt"),
)
GLOSSARY = "中文,英文,备注\n新质生产力,new-quality productive forces,coined 2023\n现代化产业体系,modern industrial system,\n"


def tmx_pairs(path: Path) -> list[tuple[str, str, float, str]]:
    return [(p.zh, p.en, p.score, p.kind) for p in parse(path.read_bytes(), path.name).pairs]


@pytest.fixture
def memory(tmp_path) -> Path:
    path = tmp_path / "memory.tmx"
    export_pairs("tmx", UNITS, path, ExportMeta(signature="npfterm:test"))
    return path


@pytest.fixture
def filled(tmp_path, memory) -> Path:
    """A store holding one imported memory and one imported glossary."""
    db = tmp_path / "filled.sqlite"
    (tmp_path / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")
    assert run("import", memory, "--db", db).exit_code == 0
    assert run("import", tmp_path / "glossary.csv", "--db", db).exit_code == 0
    return db


def snapshot(db: Path) -> tuple[list, list, list]:
    from npfterm.store.db import Store

    with Store.open(db, create=False) as store:
        docs = [(d.id, d.name, d.content_hash, d.bead_count) for d in store.documents()]
        return docs, list(store.iter_pairs()), list(store.iter_terms())


def test_import_messages(tmp_path, memory):
    db = tmp_path / "s.sqlite"
    result = run("import", memory, "--db", db)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "", "Imported 3 translation units from memory.tmx (TMX memory read as translation units; format from the .tmx suffix)\n"
    )
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("zh\ten\n新质生产力\tnew-quality productive forces\n只有中文\t\n", encoding="utf-8")
    result = run("import", glossary, "--db", db)
    assert (result.exit_code, result.stderr) == (0, (
        "Warning: glossary.tsv: skipped 1 of 2 rows without both a Chinese and an English term\n"
        "Imported 1 term pair from glossary.tsv (TSV glossary read as term pairs; format from the .tsv suffix)\n"
    ))


def test_import_says_which_format_it_chose_from_the_content(tmp_path):
    glossary = tmp_path / "glossary.txt"
    glossary.write_text("新质生产力,new-quality productive forces\n", encoding="utf-8")
    result = run("import", glossary, "--db", tmp_path / "s.sqlite")
    assert (result.exit_code, result.stderr) == (
        0, "Imported 1 term pair from glossary.txt (CSV glossary read as term pairs; format from its content)\n"
    )
    result = run("import", glossary, "--format", "tsv", "--db", tmp_path / "s.sqlite")
    assert result.exit_code == 2 and "--format" not in result.stderr.split("(")[0]


VARIANTS = (
    ("中止", "aborting"), ("中止", "abort"), ("分支", "branches"), ("分支", "branch"),
    ("低保真", "lo fi"), ("低保真", "lo-fi"), ("中止", "Abort"),
)


@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".tbx"])
def test_glossary_variants_are_kept_as_written_and_counted(tmp_path, suffix):
    """Issue 15: inflection and spelling variants are distinct pairs; import keeps and counts every one."""
    glossary = tmp_path / f"variants{suffix}"
    rows = (*VARIANTS, VARIANTS[0])  # the last row repeats the first
    if suffix == ".tbx":
        entries = "".join(
            f'<termEntry><langSet xml:lang="zh"><tig><term>{zh}</term></tig></langSet>'
            f'<langSet xml:lang="en"><tig><term>{en}</term></tig></langSet></termEntry>'
            for zh, en in rows
        )
        glossary.write_text(f"<martif><text><body>{entries}</body></text></martif>", encoding="utf-8")
    else:
        sep = "\t" if suffix == ".tsv" else ","
        glossary.write_text("zh" + sep + "en\n" + "".join(f"{zh}{sep}{en}\n" for zh, en in rows), encoding="utf-8")
    db = tmp_path / "s.sqlite"
    result = run("import", glossary, "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == f"Note: 1 row of variants{suffix} repeats a pair given above"
    assert result.stderr.splitlines()[1].startswith(f"Imported {len(VARIANTS)} term pairs from variants{suffix} (")
    with Store.open(db, create=False) as store:
        assert sorted((t.zh, t.en) for t in store.iter_terms()) == sorted(VARIANTS)
    exported = tmp_path / "again.tsv"
    assert run("export", "terms", "-f", "tsv", "-o", exported, "--db", db).exit_code == 0
    again = tmp_path / "again.sqlite"
    assert run("import", exported, "--db", again).stderr.startswith(f"Imported {len(VARIANTS)} term pairs")


def test_lookup_still_folds_the_variants(tmp_path):
    glossary = tmp_path / "variants.tsv"
    glossary.write_text("".join(f"{zh}\t{en}\n" for zh, en in VARIANTS), encoding="utf-8")
    db = tmp_path / "s.sqlite"
    assert run("import", glossary, "--db", db).exit_code == 0
    with Store.open(db, create=False) as store:
        found = {(m.zh, m.en) for m in lookup(store, "aborted", limit=10).matches}
    assert {("中止", "aborting"), ("中止", "abort"), ("中止", "Abort")} <= found


def test_round_trip_export_import_export_gives_the_same_pairs(tmp_path):
    """Acceptance: export tm → import into an empty store → export again: the same pairs."""
    aligned = tmp_path / "aligned.tmx"
    assert run("align", SEED, "--mode", "lexical", "--format", "tmx", "-o", aligned).exit_code == 0  # the default store is private (conftest)
    first, second = tmp_path / "first.tmx", tmp_path / "second.tmx"
    for source, db, out in ((aligned, "one.sqlite", first), (first, "two.sqlite", second)):
        assert run("import", source, "--db", tmp_path / db).exit_code == 0
        result = run("export", "tm", "-o", out, "--db", tmp_path / db)
        assert result.exit_code == 0, result.output
    assert len(tmx_pairs(first)) > 5
    assert tmx_pairs(first) == tmx_pairs(second) == tmx_pairs(aligned)


@pytest.mark.parametrize("fmt", ["tbx", "tbx3", "csv", "tsv", "json", "jsonl"])
def test_terms_round_trip_through_every_importable_format(tmp_path, filled, fmt):
    out = tmp_path / f"terms.{fmt}"
    assert run("export", "terms", "--format", fmt, "-o", out, "--db", filled).exit_code == 0
    again = tmp_path / "again.sqlite"
    result = run("import", out, "--db", again, "--format", "tbx" if fmt == "tbx3" else fmt)
    assert result.exit_code == 0, result.output
    terms = lambda db: [(t.zh, t.en, t.score, t.count) for t in snapshot(db)[2]]  # noqa: E731
    assert terms(again) == terms(filled) == [
        ("新质生产力", "new-quality productive forces", 1.0, 1), ("现代化产业体系", "modern industrial system", 1.0, 1)
    ]


def test_export_selects_by_score_and_document(tmp_path, filled, memory):
    other = tmp_path / "other.tmx"
    export_pairs("tmx", UNITS[:1], other, ExportMeta())
    assert run("import", other, "--db", filled).exit_code == 0
    docs = snapshot(filled)[0]
    assert [d[1] for d in docs] == ["memory.tmx", "other.tmx"]
    result = run("export", "tm", "--format", "jsonl", "--min-score", "0.6", "--doc", docs[0][0], "--db", filled)
    assert result.exit_code == 0 and result.stderr == ""
    assert [json.loads(line)["score"] for line in result.stdout.splitlines()] == [0.93, 0.61]
    result = run("export", "tm", "--doc", 99, "--db", filled)
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: the store has no document '99'; npfterm docs lists them\n")


def test_export_moses_and_messages(tmp_path, filled):
    result = run("export", "tm", "--format", "moses", "-o", tmp_path / "corpus", "--db", filled)
    assert (result.exit_code, result.stderr) == (
        0, f"Wrote 3 translation units to {tmp_path / 'corpus.zh'} and {tmp_path / 'corpus.en'}\n"
    )
    assert (tmp_path / "corpus.en").read_text(encoding="utf-8").splitlines() == [p.en for p in UNITS]
    result = run("export", "terms", "--format", "omegat", "-o", tmp_path / "glossary.txt", "--db", filled)
    assert (result.exit_code, result.stderr) == (0, f"Wrote 2 term pairs to {tmp_path / 'glossary.txt'}\n")


def test_export_of_nothing_warns(tmp_path, memory):
    db = tmp_path / "s.sqlite"
    run("import", memory, "--db", db)
    result = run("export", "terms", "--db", db)
    assert result.exit_code == 0
    assert "<body>" in result.stdout
    assert result.stderr == "Warning: nothing to export: the store holds no term pairs\n"
    result = run("export", "tm", "--min-score", "0.99", "--format", "tsv", "--db", db)
    assert (result.exit_code, result.stdout) == (0, "zh\ten\tscore\n")
    assert result.stderr == "Warning: nothing to export: the store holds no translation units scored 0.99 or more\n"


def test_export_errors(tmp_path, filled):
    result = run("export", "tm", "--db", tmp_path / "missing.sqlite")
    assert (result.exit_code, result.stderr) == (
        1, f"Error: no store at {tmp_path / 'missing.sqlite'}; add documents with npfterm align or npfterm import\n"
    )
    assert not (tmp_path / "missing.sqlite").exists()
    result = run("export", "tm", "-o", tmp_path / "no" / "out.tmx", "--db", filled)
    assert (result.exit_code, result.stderr) == (
        1, f"Error: cannot write {tmp_path / 'no' / 'out.tmx'}: directory {tmp_path / 'no'} does not exist\n"
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("memory.tmx", MEMORY_WITH_BAD_TAG),
        ("bomb.tmx", BOMB),
        ("glossary.csv", "zh,en\n中文,Chinese\n孤单\n"),
        ("terms.tbx", "<martif><text><body><termEntry><langSet><tig><term>x</term></tig></langSet></termEntry></body></text></martif>"),
    ],
)
def test_a_failed_import_changes_nothing(tmp_path, filled, name, content):
    before = snapshot(filled)
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = run("import", path, "--db", filled)
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {name}")
    assert snapshot(filled) == before


def test_importing_the_same_memory_again_replaces_it(tmp_path, filled, memory):
    before = snapshot(filled)
    assert run("import", memory, "--db", filled).exit_code == 0
    after = snapshot(filled)
    assert [d[1:] for d in after[0]] == [d[1:] for d in before[0]]
    assert after[1] == before[1]


def test_a_file_that_is_not_a_store(tmp_path, memory):
    db = tmp_path / "not-a-store.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    result = run("import", memory, "--db", db)
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and str(db) in result.stderr


def _seed_terms(tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / f"seed.{fmt}"
    result = run("terms", SEED, "--mode", "lexical", "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_terms_tbx_and_csv_hold_the_same_pairs(tmp_path):
    """Acceptance: ``terms <seed> --format tbx`` (translate-toolkit) and ``--format csv`` (csv) agree."""
    import csv

    from translate.storage.tbx import tbxfile

    with _seed_terms(tmp_path, "csv").open(encoding="utf-8-sig", newline="") as fh:
        from_csv = [(row["zh"], row["en"]) for row in csv.DictReader(fh)]
    assert len(from_csv) > 3
    with _seed_terms(tmp_path, "tbx").open("rb") as fh:
        from_tbx = [(u.source, u.target) for u in tbxfile(fh, sourcelanguage="zh-CN", targetlanguage="en-US").units]
    assert from_tbx == from_csv


@pytest.mark.parametrize(
    "record, kind",
    [
        ({"zh": "碳中和", "en": "carbon neutrality"}, "term pairs"),
        ({"zh": "碳中和。", "en": "Carbon neutrality.", "zh_ids": [0], "en_ids": [0], "score": 0.9}, "translation units"),
    ],
)
def test_import_of_json_lines_says_what_the_file_held(cli, tmp_path, record, kind):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = cli.invoke(app, ["import", str(path), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 0, result.output
    assert f"(JSON Lines read as {kind}; format from the .jsonl suffix)" in result.stderr


def test_imported_terms_get_pinyin_with_dictionary_words_whole(tmp_path):
    from npfterm.models import TermPair
    from npfterm.store.ingest import add_terms

    with Store.open(tmp_path / "s.db") as store:
        add_terms(store, [TermPair("碳中和", "carbon neutrality", "imported"), TermPair("新质生产力", "new productive forces", "imported")])
        assert {t.zh: t.pinyin for t in store.iter_terms()} == {"碳中和": "tànzhōnghé", "新质生产力": "xīnzhì shēngchǎnlì"}
