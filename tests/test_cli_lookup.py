"""`npfterm lookup` through CliRunner: exact JSON and table, exit codes, the bundled corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import npfterm
from npfterm.cli import app
from npfterm.models import AlignedPair, TermPair
from npfterm.store.db import Store
from npfterm.store.ingest import add_terms

REPO = Path(__file__).resolve().parents[1]
BEADS = [
    AlignedPair("新质生产力本身就是绿色生产力。", "New productive forces are in itself green productive forces.", (0,), (0,), 0.9),
    AlignedPair("助力碳达峰碳中和。", "Contribute to carbon peaking and carbon neutrality.", (1,), (1,), 0.8),
]
TERMS = [
    TermPair("新质生产力", "new productive forces", "aligned", 0.95, 6),
    TermPair("碳中和", "carbon neutrality", "aligned", 0.85, 1),
]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NPFTERM_DB", str(tmp_path / "env-store.sqlite"))
    monkeypatch.setenv("NPFTERM_CORPORA", str(tmp_path / "no-corpora"))
    monkeypatch.setenv("COLUMNS", "100")
    path = tmp_path / "store.sqlite"
    with Store.open(path) as store:
        store.add_pairs(BEADS, name="npf.txt", content_hash="h")
        add_terms(store, TERMS)
    return path


def run(*args: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args])


def test_json_is_exactly_the_documented_shape(db):
    result = run("lookup", "碳中和", "--json", "--db", db)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "query": "碳中和",
        "matches": [{"zh": "碳中和", "en": "carbon neutrality", "pinyin": "tànzhōnghé", "score": 0.85, "count": 1, "evidence": "aligned"}],
        "examples": [{"zh": "助力碳达峰碳中和。", "en": "Contribute to carbon peaking and carbon neutrality.", "doc": "npf.txt"}],
    }
    assert result.stderr == ""


@pytest.mark.parametrize("query", ["新質生產力", "xinzhi shengchanli", "xīnzhì shēngchǎnlì", "xinzhishengchanli", "New Productive Force"])
def test_every_way_of_asking_finds_the_term(db, query):
    result = run("lookup", query, "--json", "--limit", "1", "--db", db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["query"] == query
    assert [(m["zh"], m["en"]) for m in data["matches"]] == [("新质生产力", "new productive forces")]
    assert [e["zh"] for e in data["examples"]] == ["新质生产力本身就是绿色生产力。"]


def test_table_with_highlighted_examples(db):
    result = run("lookup", "碳中和", "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "碳中和 — in your corpus\n"
        "┏━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━┳━━━━━━━━━━┳━━━━━━━┓\n"
        "┃ zh     ┃ en                ┃ pinyin     ┃ score ┃ count ┃ evidence ┃ match ┃\n"
        "┡━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━╇━━━━━━━━━━╇━━━━━━━┩\n"
        "│ 碳中和 │ carbon neutrality │ tànzhōnghé │  0.85 │     1 │ aligned  │ exact │\n"
        "└────────┴───────────────────┴────────────┴───────┴───────┴──────────┴───────┘\n"
        "Examples (1):\n"
        "1. 助力碳达峰碳中和。                                 \n"
        "   Contribute to carbon peaking and carbon neutrality.\n"
        "   — npf.txt                                          \n"
    )


def test_highlight_markup(db):
    from npfterm.cli.lookup import marked

    assert marked("助力碳中和[b]。", [(2, 5)]) == "助力[bold yellow]碳中和[/]\\[b]。"


def test_dictionary_fallback_is_marked(db):
    result = run("lookup", "熊猫", "--json", "--limit", "1", "--db", db)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["matches"] == [
        {"zh": "熊猫", "en": "panda", "pinyin": "xióngmāo", "score": 0.5, "count": 0, "evidence": "dictionary"}
    ]
    table = run("lookup", "熊猫", "--limit", "1", "--db", db)
    assert "熊猫 — from CC-CEDICT, not in your corpus" in table.stdout


def test_no_match_exits_1(db):
    result = run("lookup", "qqqzzz", "--json", "--db", db)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"query": "qqqzzz", "matches": [], "examples": []}
    assert result.stderr == "No match for 'qqqzzz' in the store or in CC-CEDICT.\n"


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["   "], 2, "Error: the query is empty; give a term in Chinese, English or pinyin\n"),
        (["碳中和", "--db", "bad.sqlite"], 1, "Error: bad.sqlite is not an npfterm store (file is not a database)\n"),
    ],
)
def test_bad_input(db, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.sqlite").write_bytes(b"SQLite format 2\x00" + b"\xff" * 500)
    result = run("lookup", *args)
    assert (result.exit_code, result.stderr, result.stdout) == (code, message, "")


def test_limit_must_be_positive(db):
    result = run("lookup", "碳中和", "--limit", "0", "--db", db)
    assert result.exit_code == 2 and "--limit" in result.stderr


def test_an_empty_store_is_filled_from_the_corpus_folder_first(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tiny.txt").write_text(
        "The country will contribute to carbon peaking and carbon neutrality.\n国家将助力碳达峰碳中和。\n", encoding="utf-8"
    )
    monkeypatch.setenv("NPFTERM_CORPORA", str(corpus))
    db = tmp_path / "fresh.sqlite"
    first = run("lookup", "碳达峰", "--json", "--db", db)
    assert first.exit_code == 0, first.output
    assert first.stderr == (
        f"The store {db} is empty: aligning 1 bundled document into it first (hybrid mode; this takes a while).\n"
    )
    assert [(m["zh"], m["en"]) for m in json.loads(first.stdout)["matches"]] == [("碳达峰", "carbon peaking")]
    again = run("lookup", "碳达峰", "--json", "--db", db)
    assert again.stderr == "" and again.stdout == first.stdout


def test_out_of_the_box_with_the_bundled_corpus(tmp_path, monkeypatch):
    """Acceptance: a fresh store answers 新质生产力 and 碳中和 from the shipped corpus."""
    monkeypatch.delenv("NPFTERM_CORPORA", raising=False)
    db = tmp_path / "fresh.sqlite"
    npf = json.loads(run("lookup", "新质生产力", "--json", "--db", db).stdout)
    assert "new-quality productive forces" in [m["en"] for m in npf["matches"] if m["zh"] == "新质生产力"]
    carbon = json.loads(run("lookup", "碳中和", "--json", "--db", db).stdout)
    assert carbon["matches"][0]["en"] == "carbon neutrality"
    assert carbon["examples"][0]["doc"] == "npf-xi-2024-01-31.txt"


def test_the_packaged_corpus_is_the_repository_corpus():
    """src/npfterm/data/corpora ships inside the wheel; it must stay a copy of corpora/."""
    shipped = Path(npfterm.__file__).parent / "data" / "corpora"
    repo = REPO / "corpora"
    if not repo.is_dir():
        pytest.skip("not a source checkout")
    names = sorted(p.name for p in repo.iterdir() if p.is_file())
    assert sorted(p.name for p in shipped.iterdir() if p.is_file()) == names
    for name in names:
        assert (shipped / name).read_bytes() == (repo / name).read_bytes(), name


def test_exact_means_the_query_is_the_term_and_needs_a_real_pair(tmp_path, monkeypatch):
    """东北虎 shows as "exact" → English only when the corpus pairs it whole; "tigers" alone is no translation."""
    from npfterm.alignment.document import AlignOptions
    from npfterm.pipeline import align_files
    from npfterm.store.ingest import ingest

    monkeypatch.setenv("NPFTERM_CORPORA", str(tmp_path / "no-corpora"))
    monkeypatch.setenv("COLUMNS", "120")
    doc = tmp_path / "tigers.txt"
    doc.write_text(
        "The number of wild tigers in the park has risen to about 70.\n公园内野生东北虎数量已增至70只左右。\n"
        "Wild Amur tigers now roam the border forests.\n野生东北虎如今在边境森林中出没。\n",
        encoding="utf-8",
    )
    db = tmp_path / "tigers.sqlite"
    with Store.open(db) as store:
        ingest(align_files([str(doc)], AlignOptions(mode="lexical")), [str(doc)], store)
    data = json.loads(run("lookup", "东北虎", "--json", "--db", db).stdout)
    assert [(m["zh"], m["en"]) for m in data["matches"] if m["zh"] == "东北虎"] == [("东北虎", "Amur tigers")]
    table = run("lookup", "东北虎", "--db", db).stdout
    assert "tigers" in table and "exact" in table
    assert not any(line.split("│")[2].strip() == "tigers" for line in table.splitlines() if line.count("│") > 3)


def test_lookup_help_explains_match_and_score():
    text = " ".join(run("lookup", "--help").stdout.split())
    assert "exact" in text and "the query is the term" in text and "calibrated probability" in text
