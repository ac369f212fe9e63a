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


@pytest.mark.parametrize(
    "sentence, pair",
    [
        ("Internet giant Tencent (腾讯) released a model.", ("腾讯", "Tencent")),
        ("Developer Country Garden (碧桂园) missed payments.", ("碧桂园", "Country Garden")),
        ("Legal scholar Wang Liming (王利明) said so.", ("王利明", "Wang Liming")),
        ("Search engine operator Baidu (百度) said so.", ("百度", "Baidu")),
        ("Then Chinese Premier Li Qiang (李强) spoke.", ("李强", "Li Qiang")),
        ("It is the Shanghai Intellectual Property Court (上海知识产权法院).", ("上海知识产权法院", "Shanghai Intellectual Property Court")),
        ("At a smart braking firm (陕西法士特智能制动系统有限公司), he spoke.", ("陕西法士特智能制动系统有限公司", "smart braking firm")),
    ],
)
def test_a_descriptor_before_a_name_is_not_part_of_it(sentence, pair):
    """The English of a bracketed name is the shortest span next to the bracket that the Chinese explains."""
    assert [(p.zh, p.en) for p in parenthetical_pairs([sentence], [])] == [pair]
