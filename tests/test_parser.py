"""parser: paragraphs, script runs, language detection and the BilingualText helpers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from npfterm.errors import InputError, LanguageMissingError
from npfterm.models import Segment
from npfterm.text.parse import (
    bilingual_from_pair,
    bilingual_from_sentence_lines,
    bilingual_from_text,
    detect_language,
    paragraphs,
    parse,
)

ZH_1 = "概括地说,新质生产力是创新起主导作用,摆脱传统经济增长方式、生产力发展路径的先进生产力质态。"
ZH_2 = "科技创新能够催生新产业、新模式、新动能,是发展新质生产力的核心要素。"
EN_1 = "Broadly speaking, new productive forces are mainly driven by innovation."
EN_2 = "Sci-tech innovation can generate new industries, new models and new growth drivers."


def _pieces(text: str) -> list[tuple[str, str]]:
    return [(s.lang, s.text) for s in parse(text)]


# --- mixed lines ------------------------------------------------------------------


def test_line_opening_parenthetical_is_its_own_segment() -> None:
    line = "(Xi's original words in Chinese) 概括地说,新质生产力是创新起主导作用。"
    assert _pieces(line) == [("en", "(Xi's original words in Chinese)"), ("zh", "概括地说,新质生产力是创新起主导作用。")]


def test_line_opening_label_is_not_a_language_switch() -> None:
    assert _pieces("(1) 加强科技创新") == [("zh", "(1) 加强科技创新")]
    assert _pieces("（一）Strengthening sci-tech innovation") == [("en", "（一）Strengthening sci-tech innovation")]


def test_line_opening_parenthetical_in_the_same_language_stays() -> None:
    line = "(Updated) Most regions set growth goals at above 5 percent."
    assert _pieces(line) == [("en", line)]


@pytest.mark.parametrize(
    "line",
    [
        "At a smart braking firm (陕西法士特智能制动系统有限公司), he was briefed about the operation of digital "
        "production lines.",
        "At Western Superconducting Technologies Co., Ltd(西安西部超导材料科技股份有限公司), he held a symposium.",
        "In this session, President Xi Jinping shared his understanding of new-quality productive forces "
        "(新质生产力), a term he first proposed.",
        "The term 新质生产力 was coined during an inspection tour.",
        "He visited 西安 and 咸阳 last week.",
    ],
)
def test_chinese_names_and_terms_stay_inside_english(line: str) -> None:
    assert _pieces(line) == [("en", line)]


@pytest.mark.parametrize(
    "line",
    [
        "人工智能（AI）是未来产业。",
        "6G技术",
        "GDP增长5%",
        "发展AI和大数据产业",
        "我们使用了 Large Language Model 技术。",
        "彩虹显示器件股份有限公司（Caihong Display Devices Co., Ltd.）是一家企业。",
        "新质生产力（new-quality productive forces）是一个新概念。",
    ],
)
def test_latin_terms_and_glosses_stay_inside_chinese(line: str) -> None:
    assert _pieces(line) == [("zh", line)]


def test_english_then_chinese_on_one_line() -> None:
    assert _pieces(f"{EN_1} {ZH_1}") == [("en", EN_1), ("zh", ZH_1)]


def test_chinese_then_english_on_one_line() -> None:
    assert _pieces(f"{ZH_1}{EN_1}") == [("zh", ZH_1), ("en", EN_1)]
    assert _pieces(f"{ZH_1} {EN_1} {ZH_2}") == [("zh", ZH_1), ("en", EN_1), ("zh", ZH_2)]


def test_boundary_punctuation_goes_with_its_side() -> None:
    # closing quote/comma stay left, an opening quote goes right, spaces go
    assert _pieces(f"He said the economy grew quickly this year, “{ZH_1}”") == [
        ("en", "He said the economy grew quickly this year,"),
        ("zh", f"“{ZH_1}”"),
    ]
    assert _pieces(f"“{EN_1}”  {ZH_1}") == [("en", f"“{EN_1}”"), ("zh", ZH_1)]


def test_parenthetical_translation_of_a_sentence_is_split() -> None:
    zh = "新质生产力是先进生产力。"
    en = "（New productive forces are advanced productivity in essence.）"
    assert _pieces(zh + en) == [("zh", zh), ("en", en)]


def test_short_runs_between_long_ones_follow_the_sentence_end() -> None:
    text = f"English sentence ends here. See 图1 for details. {ZH_1}"
    assert _pieces(text) == [("en", "English sentence ends here. See 图1 for details."), ("zh", ZH_1)]


# --- paragraphs -------------------------------------------------------------------


def test_each_line_is_a_paragraph_and_blank_lines_separate() -> None:
    text = f"{EN_1}\n{ZH_1}\n\n\n{EN_2}\n"
    assert parse(text) == [Segment(EN_1, "en", 0), Segment(ZH_1, "zh", 1), Segment(EN_2, "en", 2)]


def test_hard_wrapped_english_is_joined_with_a_space() -> None:
    text = "Broadly speaking, new productive forces are\n  mainly driven by innovation.\nNext paragraph starts here."
    assert paragraphs(text) == [
        "Broadly speaking, new productive forces are mainly driven by innovation.",
        "Next paragraph starts here.",
    ]


def test_english_lines_that_end_a_sentence_or_start_upper_are_not_joined() -> None:
    assert paragraphs("First line ends.\nsecond starts lower") == ["First line ends.", "second starts lower"]
    assert paragraphs("Future industries\nMost regions set goals") == ["Future industries", "Most regions set goals"]
    assert paragraphs("The list goes on\na) first item") == ["The list goes on", "a) first item"]
    assert paragraphs("A line without end\n\ncontinues after a blank") == [
        "A line without end",
        "continues after a blank",
    ]


def test_hard_wrapped_chinese_is_joined_without_space() -> None:
    head, tail = ZH_1[:32], ZH_1[32:]
    assert paragraphs(f"{head}\n{tail}") == [ZH_1]


def test_short_or_finished_chinese_lines_are_not_joined() -> None:
    assert paragraphs("未来产业\n要及时将科技创新成果应用到具体产业和产业链上。") == [
        "未来产业",
        "要及时将科技创新成果应用到具体产业和产业链上。",
    ]
    assert paragraphs(f"{ZH_1}\n{ZH_2}") == [ZH_1, ZH_2]
    long_head = "要及时将科技创新成果应用到具体产业和产业链上改造提升传统产业培育壮大新兴产业如下"
    assert paragraphs(f"{long_head}\n一、布局建设未来产业") == [long_head, "一、布局建设未来产业"]


def test_english_does_not_continue_chinese() -> None:
    long_zh = ZH_1[:-1]
    assert paragraphs(f"{long_zh}\nand more english") == [long_zh, "and more english"]


# --- document layouts ---------------------------------------------------------------


def _langs(text: str) -> list[tuple[str, int]]:
    return [(s.lang, s.paragraph) for s in parse(text)]


def test_english_then_chinese_paragraphs() -> None:
    assert _langs(f"{EN_1}\n{ZH_1}\n{EN_2}\n{ZH_2}") == [("en", 0), ("zh", 1), ("en", 2), ("zh", 3)]


def test_chinese_then_english_paragraphs() -> None:
    assert _langs(f"{ZH_1}\n{EN_1}\n{ZH_2}\n{EN_2}") == [("zh", 0), ("en", 1), ("zh", 2), ("en", 3)]


def test_all_chinese_then_all_english() -> None:
    assert _langs(f"{ZH_1}\n{ZH_2}\n\n{EN_1}\n{EN_2}") == [("zh", 0), ("zh", 1), ("en", 2), ("en", 3)]


def test_monolingual_document() -> None:
    assert _langs(f"{EN_1}\n{EN_2}") == [("en", 0), ("en", 1)]
    assert _langs(f"{ZH_1}\n{ZH_2}") == [("zh", 0), ("zh", 1)]


def test_lines_without_letters_take_a_neighbours_language() -> None:
    assert _langs(f"2024\n{ZH_1}\n***\n{EN_1}\n---") == [("zh", 0), ("zh", 1), ("en", 2), ("en", 3), ("en", 4)]
    assert _langs("42") == [("en", 0)]


def test_seed_segments(seed_text: str) -> None:
    segments = parse(seed_text)
    mixed = [s for s in segments if s.paragraph == 4]
    assert [(s.lang, s.text[:12]) for s in mixed] == [("en", "(Xi's origin"), ("zh", "概括地说,新质生产力是创")]
    assert [s.lang for s in segments].count("zh") == 7
    assert all(s.lang == "en" for s in segments if s.paragraph >= 18)  # the English-only half


# --- language detection ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (ZH_1, "zh"),
        (EN_1, "en"),
        ("新质生产力 new-quality productive forces", "en"),
        ("新质生产力 productivity", "zh"),  # 5 Han characters outweigh 12 letters
        ("人工智能（AI）", "zh"),
        ("１２３，。", "zh"),
        ("2024 — 5%", None),
        ("", None),
    ],
)
def test_detect_language(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


# --- BilingualText helpers ------------------------------------------------------------


def test_bilingual_from_text_is_interleaved(seed_text: str) -> None:
    text = bilingual_from_text(seed_text, source="seed.txt")
    assert text.interleaved and text.source == "seed.txt"
    assert (len(text.zh), len(text.en)) == (11, 37)
    assert text.zh[0].paragraph == text.en[4].paragraph == 4  # the mixed line


@pytest.mark.parametrize(("text", "missing"), [(f"{EN_1}\n{EN_2}", "zh"), (f"{ZH_1}\n{ZH_2}", "en"), ("2024", "zh")])
def test_bilingual_from_text_needs_both_languages(text: str, missing: str) -> None:
    with pytest.raises(LanguageMissingError) as info:
        bilingual_from_text(text, source="doc.txt")
    assert info.value.missing == missing
    name = {"zh": "Chinese", "en": "English"}[missing]
    assert str(info.value) == f"no {name} text found in doc.txt; align needs both Chinese and English"


def test_bilingual_from_pair_in_either_order() -> None:
    zh_doc = f"{ZH_1}{ZH_2}\n\nFuture industries\n"
    en_doc = f"{EN_1} {EN_2}\n"
    first = bilingual_from_pair(zh_doc, en_doc, "a.zh", "b.en")
    second = bilingual_from_pair(en_doc, zh_doc, "b.en", "a.zh")
    assert first == second
    assert not first.interleaved and first.source == "a.zh + b.en"
    assert [s.text for s in first.zh] == [ZH_1, ZH_2, "Future industries"]  # a monolingual file keeps its lines
    assert [s.lang for s in first.zh] == ["zh", "zh", "zh"]
    assert [(s.text, s.index, s.paragraph) for s in first.en] == [(EN_1, 0, 0), (EN_2, 1, 0)]


def test_bilingual_from_pair_rejects_two_files_of_one_language() -> None:
    with pytest.raises(LanguageMissingError) as info:
        bilingual_from_pair(EN_1, EN_2, "a.txt", "b.txt")
    assert info.value.missing == "zh"
    assert str(info.value) == (
        "no Chinese text found in a.txt or b.txt (both are English); align needs both Chinese and English"
    )
    with pytest.raises(LanguageMissingError, match="both are Chinese"):
        bilingual_from_pair(ZH_1, ZH_2)


def test_bilingual_from_pair_rejects_a_file_without_letters() -> None:
    with pytest.raises(InputError) as info:
        bilingual_from_pair(ZH_1, "2024 — 42 %", "zh.txt", "numbers.txt")
    assert str(info.value) == "numbers.txt has no Chinese or English text; give one Chinese and one English file"
    with pytest.raises(InputError, match="^the first input has no Chinese or English text"):
        bilingual_from_pair("", EN_1)


def test_bilingual_from_sentence_lines_takes_lines_as_given() -> None:
    en_doc = "First sentence. Not split here.\n\n  Second block line.  \n\nThird.\n"
    zh_doc = "第一句。还是第一句。\n第二句\n\n\n第三句。\n"
    text = bilingual_from_sentence_lines(en_doc, zh_doc, "e.txt", "z.txt")
    assert text.source == "z.txt + e.txt" and not text.interleaved
    assert [(s.text, s.index, s.paragraph) for s in text.en] == [
        ("First sentence. Not split here.", 0, 0),
        ("Second block line.", 1, 1),
        ("Third.", 2, 2),
    ]
    assert [(s.text, s.paragraph) for s in text.zh] == [("第一句。还是第一句。", 0), ("第二句", 0), ("第三句。", 1)]
    assert {s.lang for s in text.zh} == {"zh"}


def test_bilingual_from_sentence_lines_checks_languages() -> None:
    with pytest.raises(LanguageMissingError, match="both are English"):
        bilingual_from_sentence_lines(EN_1, EN_2)


# --- properties ------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_PIECES = list("新质生产力创新。，！？“”（）《》…、 \n\t.,!?()\"'AbcXyzq 0123—-:;") + [
    "Mr. ",
    "U.S. ",
    "(Xi's words) ",
    "\u3000",
    "\r\n",
    "Ltd(西安)",
    "（AI）",
]
_TEXTS = st.one_of(st.text(), st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_parse_loses_and_invents_nothing_but_whitespace(text: str) -> None:
    segments = parse(text)
    assert _WS.sub("", "".join(s.text for s in segments)) == _WS.sub("", text)
    assert all(s.text and s.text == s.text.strip() for s in segments)
    assert [s.paragraph for s in segments] == sorted(s.paragraph for s in segments)
