"""The public Python API: what a researcher calls in three lines."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

import npfterm

ZH = "今天天气很好。我们去公园。"
EN = "The weather is nice today. We are going to the park."


def test_importing_the_package_loads_no_heavy_module():
    code = "import sys, npfterm; print(sorted(m for m in ('jieba', 'numpy', 'npfterm.api', 'npfterm.store.db') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_public_names_are_listed_and_resolve():
    for name in npfterm.__all__:
        assert getattr(npfterm, name) is not None
    with pytest.raises(AttributeError):
        npfterm.no_such_thing  # noqa: B018


def test_align_two_texts_gives_two_pairs():
    a = npfterm.align(ZH, EN)
    pairs = a.pairs()
    assert [(p.zh, p.en, p.zh_ids, p.en_ids) for p in pairs] == [
        ("今天天气很好。", "The weather is nice today.", (0,), (0,)),
        ("我们去公园。", "We are going to the park.", (1,), (1,)),
    ]
    assert all(0.5 < p.score <= 1.0 for p in pairs)
    records = [json.loads(line) for line in a.to_jsonl().splitlines()]
    assert [r["zh_ids"] for r in records] == [[0], [1]]
    assert a.info.mode == "hybrid"


def test_align_takes_sentence_lists_in_either_order():
    a = npfterm.align(["The weather is nice today.", "We are going to the park."], ["今天天气很好。", "我们去公园。"], sentences=True, mode="lexical")
    assert [(p.zh_ids, p.en_ids) for p in a.pairs()] == [((0,), (0,)), ((1,), (1,))]
    assert a.info.mode == "lexical"


def test_an_unknown_mode_is_our_error_not_a_value_error():
    with pytest.raises(npfterm.InputError, match="unknown mode"):
        npfterm.align(ZH, EN, mode="fast")


def test_a_text_without_chinese_raises_our_error():
    with pytest.raises(npfterm.NpftermError):
        npfterm.align(EN, EN)


def test_align_file_reads_the_bundled_article(seed_path):
    a = npfterm.align_file(seed_path, mode="lexical")
    assert len(a.zh) == 11 and len(a.en) == 37


def test_align_file_missing_is_an_input_error(tmp_path):
    with pytest.raises(npfterm.InputError):
        npfterm.align_file(tmp_path / "nope.txt")


def test_store_add_lookup_export(tmp_path, seed_path):
    a = npfterm.align_file(seed_path, mode="lexical")
    terms = npfterm.extract_terms(a)
    assert any(t.zh == "新质生产力" for t in terms)
    with npfterm.Store(tmp_path / "s.db") as store:
        doc_id = store.add(a, terms=terms)
        assert [d.id for d in store.documents()] == [doc_id]
        found = store.lookup("新质生产力")
        assert found.matches and found.matches[0].zh == "新质生产力"
        out = io.StringIO()
        n = store.export_tm(out, format="tmx")
        assert n == sum(1 for p in a.pairs() if p.zh and p.en)
        assert out.getvalue().count("<tu") >= n
        path = tmp_path / "terms.tbx"
        assert store.export_terms(path) > 0 and path.read_text(encoding="utf-8").startswith("<?xml")
        store.add(a, terms=terms)  # the same document again replaces it
        assert len(store.documents()) == 1


def test_no_module_shadows_a_public_name():
    """Importing a submodule sets it as an attribute of the package; none may hide an API name."""
    import importlib
    import pkgutil

    modules = {m.name for m in pkgutil.iter_modules(npfterm.__path__)}
    assert modules.isdisjoint(npfterm.__all__)
    importlib.import_module("npfterm.alignment.document")
    assert callable(npfterm.align)


def test_store_add_follows_the_document_identity_of_align(tmp_path, seed_path):
    a = npfterm.align_file(seed_path, mode="lexical")
    with npfterm.Store(tmp_path / "s.db") as store:
        store.add(a, terms=[], paths=[seed_path])
        again = store.add(a, terms=[], paths=[seed_path])  # the same file: replaced, not duplicated
        named = store.add(a, terms=[], name="client-a")
        docs = {d.name: d for d in store.documents()}
    assert len(docs) == 2 and "client-a" in docs and docs["client-a"].id == named
    assert docs["seed.txt"].id == again != named
    assert docs["seed.txt"].source_path == str(seed_path.resolve())
