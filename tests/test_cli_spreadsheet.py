"""Spreadsheet round trip through the CLI: xlsx out, one cell edited, back in as reviewed units, export tm."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.cli import app
from npfterm.store.db import Store
from review_docs import small_store


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "s.db"
    small_store(path)
    return path


def test_xlsx_edit_import_export_tm_shows_the_edit(db: Path, tmp_path: Path):
    from openpyxl import load_workbook

    sheet_path = tmp_path / "units.xlsx"
    result = run("export", "tm", "-f", "xlsx", "--db", str(db), "-o", str(sheet_path))
    assert result.exit_code == 0 and "Wrote 2 translation units" in result.output
    book = load_workbook(sheet_path)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["zh", "en", "score", "ids", "status"]
    assert sheet["B3"].value == "Develop carbon neutrality industries."
    sheet["B3"] = "Develop the carbon-neutrality industry."
    book.save(sheet_path)

    result = run("import", str(sheet_path), "--db", str(db))
    assert result.exit_code == 0
    assert result.output == (
        "Imported 2 translation units from units.xlsx (Excel sheet read as reviewed translation units,"
        " npfterm's alignment layout; format from the .xlsx suffix)\n"
    )
    out = tmp_path / "tm.tsv"
    assert run("export", "tm", "-f", "tsv", "--db", str(db), "--doc", "2", "-o", str(out)).exit_code == 0
    assert "要发展碳中和产业。\tDevelop the carbon-neutrality industry.\t1.0000" in out.read_text(encoding="utf-8")
    with Store.open(db) as store:
        assert {p.evidence for p in store.iter_pairs(doc_id=2)} == {"reviewed"}


def test_a_csv_is_read_as_units_with_as_tm(db: Path, tmp_path: Path):
    table = tmp_path / "pairs.csv"
    table.write_text("中文,English\n科技创新,sci-tech innovation\n碳中和,carbon neutrality\n", encoding="utf-8")
    result = run("import", str(table), "--as", "tm", "--db", str(db))
    assert result.exit_code == 0
    assert result.output == (
        "Imported 2 translation units from pairs.csv (CSV table read as reviewed translation units,"
        " as asked: zh in column 1, en in column 2; format from the .csv suffix)\n"
    )
    without = run("import", str(table), "--db", str(db))
    assert without.output == "Imported 2 term pairs from pairs.csv (CSV glossary read as term pairs; format from the .csv suffix)\n"


def test_as_tm_only_for_tables(db: Path, tmp_path: Path):
    memory = tmp_path / "m.jsonl"
    memory.write_text('{"zh": "中文", "en": "Chinese"}\n', encoding="utf-8")
    result = run("import", str(memory), "--as", "tm", "--db", str(db))
    assert result.exit_code == 2
    assert result.output == "Error: m.jsonl: only a table (csv, tsv, xlsx) can be read as translation units\n"
    assert run("import", str(memory), "--as", "units", "--db", str(db)).exit_code == 2


@pytest.mark.parametrize("content", [b"PK\x03\x04" + bytes(range(256)) * 4, b"not a workbook at all"])
def test_a_malformed_xlsx_is_one_line_and_the_store_is_unchanged(db: Path, tmp_path: Path, content: bytes):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(content)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    result = run("import", str(bad), "--db", str(db))
    assert result.exit_code == 2
    assert result.output.startswith("Error: bad.xlsx is not a readable Excel workbook (.xlsx): ")
    assert result.output.count("\n") == 1
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_sheet_with_bad_ids_names_the_row(db: Path, tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["zh", "en", "score", "ids", "status"])
    book.active.append(["中文。", "Chinese.", 0.9, "[0]:[0]", "aligned"])
    book.active.append(["英文。", "English.", 0.9, "zero:one", "aligned"])
    book.save(tmp_path / "ids.xlsx")
    result = run("import", str(tmp_path / "ids.xlsx"), "--db", str(db))
    assert (result.exit_code, result.output) == (2, "Error: ids.xlsx line 3: ids 'zero:one' are not like [0]:[1,2]\n")


def test_align_and_terms_write_xlsx(tmp_path: Path):
    from openpyxl import load_workbook

    zh, en = tmp_path / "a.zh", tmp_path / "a.en"
    zh.write_text("科技创新是核心要素。\n", encoding="utf-8")
    en.write_text("Sci-tech innovation is the core element.\n", encoding="utf-8")
    out = tmp_path / "a.xlsx"
    result = run("align", str(zh), str(en), "--sentences", "--mode", "lexical", "--no-store", "-f", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == "科技创新是核心要素。" and rows[1][3:] == ("[0]:[0]", "aligned")
    to_stdout = run("align", str(zh), str(en), "--sentences", "--no-store", "-f", "xlsx")
    assert (to_stdout.exit_code, to_stdout.output) == (1, "Error: xlsx writes a binary file; give -o FILE.xlsx\n")


def test_terms_export_as_xlsx(db: Path, tmp_path: Path):
    from openpyxl import load_workbook

    glossary = tmp_path / "g.tsv"
    glossary.write_text("zh\ten\n碳中和\tcarbon neutrality\n", encoding="utf-8")
    assert run("import", str(glossary), "--db", str(db)).exit_code == 0
    out = tmp_path / "t.xlsx"
    result = run("export", "terms", "-f", "xlsx", "--db", str(db), "-o", str(out))
    assert (result.exit_code, result.output) == (0, f"Wrote 1 term pair to {out}\n")
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("zh", "en", "pinyin") and rows[1][:2] == ("碳中和", "carbon neutrality")
