"""The bundled corpus ships aligned: snapshots round-trip, stay current, and fill a fresh store as `align` would."""

from __future__ import annotations

import json
import subprocess
from dataclasses import asdict
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.cli import app
from npfterm.errors import InputError
from npfterm.models import Alignment, Bead, RunInfo, Sentence, TermPair
from npfterm.store import bundled
from npfterm.store.db import Store
from npfterm.store.snapshot import Snapshot, from_json, to_json

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "corpora" / "npf-xi-2024-01-31.txt"

SMALL = Snapshot(
    Alignment(
        zh=(Sentence("助力碳达峰碳中和。", "zh", 0, 1),),
        en=(Sentence("Heading", "en", 0, 0), Sentence("Contribute to carbon neutrality.", "en", 1, 2)),
        beads=(Bead((), (0,), 0.25), Bead((0,), (1,), 0.875)),
        info=RunInfo("0.1.0", "hybrid", ((0, 1), (1, 1)), (("lexical", 1.0),), "cedict", "rules"),
        source="tiny.txt",
    ),
    (TermPair("碳中和", "carbon neutrality", "aligned", 0.85, 1, "tànzhōnghé", "助力碳达峰碳中和。", "Contribute…", (("k", "v"),)),),
    "abc",
)


def run(*args: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args])


def test_a_snapshot_survives_json():
    data = json.loads(json.dumps(to_json(SMALL)))
    assert from_json(data) == SMALL


@pytest.mark.parametrize("broken", [{}, {"format": 99}, {**to_json(SMALL), "beads": [[0]]}, {**to_json(SMALL), "terms": [{}]}])
def test_a_broken_snapshot_is_an_input_error(broken):
    with pytest.raises(InputError):
        from_json(broken)


def test_a_text_whose_bytes_differ_from_its_snapshot_has_none(tmp_path):
    if not ARTICLE.is_file():
        pytest.skip("not a source checkout")
    assert bundled.shipped_snapshot(ARTICLE) is not None
    edited = tmp_path / ARTICLE.name
    edited.write_bytes(ARTICLE.read_bytes() + b"\nOne more line.\n")
    assert bundled.shipped_snapshot(edited) is None
    assert bundled.unaligned([ARTICLE, edited]) == [edited]


def test_every_bundled_text_has_a_snapshot():
    files = bundled.corpus_files(REPO / "corpora")
    if not files:
        pytest.skip("not a source checkout")
    assert bundled.unaligned(files) == []
    assert sorted(p.name for p in bundled.snapshots_dir().glob("*.json")) == sorted(f"{p.name}.json" for p in files)


@pytest.mark.slow
def test_the_snapshots_are_what_the_aligner_makes_now():
    """Regenerate (`python scripts/bundle_corpus.py`) when this fails: the aligner or the extractor changed."""
    for text in bundled.corpus_files(REPO / "corpora"):
        shipped = bundled.snapshot_path(text).read_text(encoding="utf-8")
        assert bundled.snapshot_text(bundled.make_snapshot(text)) == shipped, f"stale: run python scripts/bundle_corpus.py ({text.name})"


def _contents(path: Path) -> tuple[list, list, list]:  # type: ignore[type-arg]
    with Store.open(path) as store:
        docs = [{k: v for k, v in asdict(d).items() if k not in ("id", "added")} for d in store.documents()]
        return docs, list(store.iter_pairs()), sorted(store.iter_terms(), key=lambda t: (t.zh, t.en))


@pytest.mark.slow
def test_a_fresh_store_holds_what_align_gives(tmp_path, monkeypatch):
    monkeypatch.delenv("NPFTERM_CORPORA", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    looked_up, aligned = tmp_path / "lookup.sqlite", tmp_path / "align.sqlite"
    first = run("lookup", "碳中和", "--json", "--db", looked_up)
    assert first.exit_code == 0 and first.stderr == ""
    assert run("align", ARTICLE, "--db", aligned, "-f", "beads").exit_code == 0
    assert _contents(looked_up) == _contents(aligned)


@pytest.mark.slow
def test_first_lookup_loads_no_aligner(tmp_path):
    """The instant first lookup: filling a fresh store imports neither the aligner nor jieba nor numpy."""
    code = (
        "import sys; from npfterm.store.db import Store; from npfterm.cli.lookup import ensure_corpus\n"
        f"store = Store.open({str(tmp_path / 'fresh.sqlite')!r}); ensure_corpus(store)\n"
        "assert not store.is_empty()\n"
        "print(sorted(m for m in ('npfterm.alignment.document', 'jieba', 'numpy', 'npfterm.terms.extract') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr


def test_first_lookup_gives_both_equivalents_with_gold_examples(tmp_path, monkeypatch, seed_dir):
    monkeypatch.delenv("NPFTERM_CORPORA", raising=False)
    result = run("lookup", "新质生产力", "--json", "--db", tmp_path / "fresh.sqlite")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    found = {m["en"] for m in data["matches"] if m["zh"] == "新质生产力"}
    assert found == {"new productive forces", "new-quality productive forces"}
    zh = (seed_dir / "seed.zh.sents").read_text(encoding="utf-8").splitlines()
    en = (seed_dir / "seed.en.sents").read_text(encoding="utf-8").splitlines()
    gold = set()
    for line in (seed_dir / "seed.gold").read_text(encoding="utf-8").splitlines():
        left, right = (json.loads(side) for side in line.split(":"))
        gold.add(("".join(zh[i] for i in left), " ".join(en[j] for j in right)))
    assert data["examples"]
    for ex in data["examples"]:
        assert (ex["zh"], ex["en"]) in gold
