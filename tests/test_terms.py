import pytest

from npfterm.text.stated import (
    chinese_term_before,
    english_phrase_before,
    parenthetical_pairs,
)


@pytest.mark.parametrize(
    "before, phrase",
    [
        ("President Xi Jinping shared his understanding of new-quality productive forces ", "new-quality productive forces"),
        ("At a smart braking firm ", "smart braking firm"),
        ("At Western Superconducting Technologies Co., Ltd", "Western Superconducting Technologies Co., Ltd"),
        ("a guideline by the Ministry of Industry and Information Technology ", "Ministry of Industry and Information Technology"),
        ("set their goals for gross domestic product ", "gross domestic product"),
        ("He said that ", ""),
    ],
)
def test_english_noun_phrase_boundary(before, phrase):
    assert english_phrase_before(before) == phrase


@pytest.mark.parametrize(
    "run, en, term",
    [
        ("发展人工智能", "AI", "人工智能"),
        ("国内生产总值", "GDP", "国内生产总值"),
        ("这是黑灯工厂", "dark factory", "黑灯工厂"),
        ("推动新质生产力", "new quality productive forces", "新质生产力"),
    ],
)
def test_chinese_term_boundary(run, en, term):
    assert chinese_term_before(run, en) == term


def test_pairs_from_both_directions_with_counts_and_examples():
    en = [
        "He explained new-quality productive forces (新质生产力), a new term.",
        "They discussed new-quality productive forces (新质生产力) again.",
        "This is a dark factory ( fully automated, with no required human labor) in the sector.",
    ]
    zh = ["发展人工智能（AI）产业。", "他说（大意如此, he said, it was fine）。"]
    pairs = {(p.zh, p.en): p for p in parenthetical_pairs(en, zh)}
    assert set(pairs) == {("新质生产力", "new-quality productive forces"), ("人工智能", "AI")}
    npf = pairs[("新质生产力", "new-quality productive forces")]
    assert (npf.count, npf.evidence, npf.example_en) == (2, "parenthetical", en[0])
    assert pairs[("人工智能", "AI")].example_zh == zh[0]
