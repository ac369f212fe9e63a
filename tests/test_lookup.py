"""Lookup: query keys, exact and fuzzy matches, dictionary fallback, examples."""

from __future__ import annotations

import json

import pytest

from npfterm.lookup import (
    looks_like_pinyin,
    lookup,
    numbered_to_marks,
    stem_spans,
)
from npfterm.models import AlignedPair, TermPair
from npfterm.store.db import Store
from npfterm.store.ingest import add_terms
from npfterm.text.keys import en_key_text, pinyin_key, zh_key


@pytest.mark.parametrize(
    "text, key",
    [("新質生產力", "新质生产力"), ("新质 生产力", "新质生产力"), ("碳中和", "碳中和")],
)
def test_zh_key_is_simplified(text, key):
    assert zh_key(text) == key


@pytest.mark.parametrize("text", ["xinzhi shengchanli", "xīnzhì shēngchǎnlì", "xinzhishengchanli", "XinZhi ShengChanLi", "xin1zhi4 sheng1chan3li4"])
def test_pinyin_key_ignores_tones_spaces_case(text):
    assert looks_like_pinyin(text)
    assert pinyin_key(text) == "xinzhishengchanli"


def test_pinyin_key_folds_u_umlaut():
    assert pinyin_key("lǜsè") == pinyin_key("lvse") == pinyin_key("lu:se") == "luse"


def test_en_key_is_case_and_inflection_insensitive():
    assert en_key_text("Productive Forces") == en_key_text("productive force") == "product forc"


@pytest.mark.parametrize("numbered, marked", [("tan4 zhong1 he2", "tànzhōnghé"), ("lu:4 se4", "lǜsè"), ("shou3 er3", "shǒuěr"), ("de5", "de")])
def test_numbered_pinyin_to_marks(numbered, marked):
    assert numbered_to_marks(numbered) == marked


def test_stem_spans_find_inflected_forms():
    text = "New productive forces grew; the productive force of labor."
    assert [text[a:b] for a, b in stem_spans(text, ("product", "forc"))] == ["productive forces", "productive force"]


BEADS = [
    AlignedPair("发展新质生产力是关键。", "Developing new productive forces is the key.", (0,), (0,), 0.9),
    AlignedPair("新质生产力本身就是绿色生产力。", "New-quality productive forces are green productive forces.", (1,), (1,), 0.95),
    AlignedPair("助力碳达峰碳中和。", "Contribute to carbon peaking and carbon neutrality.", (2,), (2,), 0.8),
    AlignedPair("这与新质生产力无关。", "This is unrelated.", (3,), (3,), 0.99),
]
TERMS = [
    TermPair("新质生产力", "new productive forces", "aligned", 0.95, 6),
    TermPair("新质生产力", "new-quality productive forces", "parenthetical", 1.0, 3),
    TermPair("生产力", "productive forces", "aligned", 0.9, 4),
    TermPair("碳中和", "carbon neutrality", "aligned", 0.85, 1),
    TermPair("碳达峰", "carbon peaking", "aligned", 0.85, 1),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("lookup") / "store.sqlite"
    with Store.open(path) as s:
        s.add_pairs(BEADS, name="npf.txt", content_hash="h")
        add_terms(s, TERMS)
    s = Store.open(path)
    yield s
    s.close()


def exact(result) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(m.zh, m.en) for m in result.matches if m.kind == "exact"]


NPF = [("新质生产力", "new-quality productive forces"), ("新质生产力", "new productive forces")]


@pytest.mark.parametrize("query", ["新质生产力", "新質生產力", "xinzhi shengchanli", "xīnzhì shēngchǎnlì", "xinzhishengchanli"])
def test_chinese_traditional_and_pinyin_find_the_term(store, query):
    assert exact(lookup(store, query)) == NPF


@pytest.mark.parametrize("query", ["carbon neutrality", "Carbon Neutralities", "  carbon   neutrality "])
def test_english_is_case_and_inflection_insensitive(store, query):
    assert exact(lookup(store, query)) == [("碳中和", "carbon neutrality")]


def test_fuzzy_matches_follow_exact_ones_with_lower_scores(store):
    result = lookup(store, "生产力")
    assert [(m.zh, m.kind) for m in result.matches] == [
        ("生产力", "exact"), ("新质生产力", "fuzzy"), ("新质生产力", "fuzzy"),
    ]
    fuzzy = result.matches[1]
    assert fuzzy.similarity == 0.75 and fuzzy.score == round(1.0 * 0.75, 4)


def test_a_typo_still_finds_the_term(store):
    result = lookup(store, "carbon nuetrality")
    assert (result.matches[0].zh, result.matches[0].kind) == ("碳中和", "fuzzy")


def test_examples_hold_the_term_and_its_translation_first(store):
    result = lookup(store, "新质生产力", limit=2)
    assert [e.en for e in result.examples] == [
        "Developing new productive forces is the key.",
        "New-quality productive forces are green productive forces.",
    ]  # "This is unrelated." holds the Chinese term but not its translation
    second = result.examples[1]
    assert [second.zh[a:b] for a, b in second.zh_spans] == ["新质生产力"]
    assert [second.en[a:b] for a, b in second.en_spans] == ["New-quality productive forces"]
    assert second.doc == "npf.txt"


def test_json_has_exactly_the_documented_shape(store):
    data = json.loads(json.dumps(lookup(store, "碳中和", limit=1).as_json(), ensure_ascii=False))
    assert data == {
        "query": "碳中和",
        "matches": [{"zh": "碳中和", "en": "carbon neutrality", "pinyin": "tànzhōnghé", "score": 0.85, "count": 1, "evidence": "aligned"}],
        "examples": [{"zh": "助力碳达峰碳中和。", "en": "Contribute to carbon peaking and carbon neutrality.", "doc": "npf.txt"}],
    }


def test_a_word_the_corpus_lacks_comes_from_the_dictionary(store):
    result = lookup(store, "人工智能")
    assert result.matches and all(m.evidence == "dictionary" and m.kind == "dictionary" for m in result.matches)
    assert result.matches[0].zh == "人工智能" and "artificial intelligence" in result.matches[0].en
    assert result.matches[0].pinyin == "réngōngzhìnéng"
    assert result.examples == ()


def test_english_and_pinyin_fall_back_to_the_dictionary(store):
    assert [m.zh for m in lookup(store, "giant panda").matches] == ["大熊猫"]
    assert [m.zh for m in lookup(store, "xiongmao").matches][:1] == ["熊猫"]


def test_nothing_found(store):
    result = lookup(store, "qqqzzz")
    assert result.matches == () and result.examples == ()
