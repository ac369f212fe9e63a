"""segmenter: Chinese and English sentence rules, sentence numbering, the seed gold."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from npfterm.models import Segment, Sentence
from npfterm.text.parse import parse
from npfterm.text.read import read_text
from npfterm.text.split import split_en, split_segments_as, split_sentences, split_zh

# --- Chinese --------------------------------------------------------------------------

# Each case is the expected sentences joined by " | "; the input joins them
# with nothing (Chinese) or one space (English).
ZH_CASES = [
    "科技创新能够催生新产业。 | 必须加强科技创新！ | 真的吗？ | 是的",
    "他说：“要深化改革。” | 然后离开了。",
    "“这采用的是平衡原理，所以推门时就很容易滑动。”他说。 | 接下来很简单。",  # quote + attribution: one
    "“怎么了？”拉斯科纳问道。",
    "“好。” | “不好。”",
    "“我们走吧。” | 他停了一下，然后说，这件事以后再谈。",  # too long, and with commas: not an attribution
    "「好。」 | 『行！』 | （见附件。） | 【完】",
    '他说:"你好." | 我们走吧',
    "等等…… | 然后呢… | 好吧",
    "用的是ASCII标点. | 真的! | 对吗? | 对",
    "逗号,分号;全角逗号，全角分号；都不断句。",
    "增长4.5%到8.0%。 | 版本v2.1发布了。",
    "？！开头的标点。 | 结束",
]


# --- English --------------------------------------------------------------------------

EN_CASES = [
    "It rained. | Then it stopped! | Did it? | Yes.",
    "Mr. Smith met Mrs. Jones and Dr. Li. | Prof. Wang, Ms. Chen and Gen. Zhao came.",
    "He lives on Main St. Bob Jr. and Bob Sr. Came along.",
    "At Caihong Co. Ltd. He met Acme Inc. And Big Corp. Reps. | Then Apple vs. Google.",
    "Fruit, e.g. Apples, i.e. Red ones, etc. | Then more.",
    "Bring pens, paper, etc. and books.",
    "He came on Jan. 29. | He left on Sept. 3. | In Jan. | The snow fell.",
    "See No. 5 and Fig. 3. | No. | Then stop.",
    "The U.S. Army and the U.K. Navy met. | It was 5 p.m. | Then dinner.",
    "J. K. Rowling wrote it. | George R. R. Martin did not.",
    "Growth was 4.5 to 8.0 percent. | Next year 5.2. | Then 6.",
    "Visit www.example.com. | Mail info@example.com. | Or https://example.org/a.b?c=d. | Done.",
    'He asked, "Why?" she said. | "Go!" | He went.',
    'She said "It works." | Then left. | (It did.) | Fine.',
    "Wait... | What? | Really?! | Yes… | Fine.",
    "in 2024. | 2025 will be better.",
    "The term 新质生产力 was coined. | 他说 it is new.",
    "Premier Li Qiang's inspection tour to Shaanxi Province",
]


@pytest.mark.parametrize(
    ("split", "case"),
    [(split_zh, case) for case in ZH_CASES] + [(split_en, case) for case in EN_CASES],
    ids=[f"zh-{n}" for n in range(len(ZH_CASES))] + [f"en-{n}" for n in range(len(EN_CASES))],
)
def test_split(split: Callable[[str], list[str]], case: str) -> None:
    sentences = case.split(" | ")
    assert split(("" if split is split_zh else " ").join(sentences)) == sentences


@pytest.mark.parametrize(
    ("split", "text", "sentences"),
    [
        (split_zh, " 第一句。 \n 第二句。\n", ["第一句。", "第二句。"]),
        (split_en, "  One.\n\n  Two.  ", ["One.", "Two."]),
        (split_zh, "\u3000 \n", []),
        (split_en, "", []),
    ],
)
def test_splitters_trim_and_drop_blank_input(
    split: Callable[[str], list[str]], text: str, sentences: list[str]
) -> None:
    assert split(text) == sentences


def test_a_huge_token_is_cheap() -> None:
    blob = "x" * 200_000 + ". Next sentence."
    assert split_en(blob) == ["x" * 200_000 + ".", "Next sentence."]


# --- sentences from segments ------------------------------------------------------------


def test_split_sentences_numbers_per_language_and_keeps_paragraphs() -> None:
    segments = [
        Segment("First one. Second one.", "en", 0),
        Segment("第一句。第二句。", "zh", 1),
        Segment("  ", "en", 2),
        Segment("Third one.", "en", 3),
    ]
    zh, en = split_sentences(segments)
    assert zh == [Sentence("第一句。", "zh", 0, 1), Sentence("第二句。", "zh", 1, 1)]
    assert en == [
        Sentence("First one.", "en", 0, 0),
        Sentence("Second one.", "en", 1, 0),
        Sentence("Third one.", "en", 2, 3),
    ]


def test_sentences_never_span_segments() -> None:
    zh, en = split_sentences([Segment("No end here", "en", 0), Segment("and none here either", "en", 0)])
    assert [s.text for s in en] == ["No end here", "and none here either"] and zh == []


def test_split_segments_as_relabels_but_splits_by_script() -> None:
    segments = [Segment("第一句。第二句。", "zh", 0), Segment("An English line. Two sentences.", "en", 1)]
    assert split_segments_as(segments, "zh") == [
        Sentence("第一句。", "zh", 0, 0),
        Sentence("第二句。", "zh", 1, 0),
        Sentence("An English line.", "zh", 2, 1),
        Sentence("Two sentences.", "zh", 3, 1),
    ]


# --- the seed gold ----------------------------------------------------------------------


def _gold(seed_dir: Path, name: str) -> list[str]:
    return [line for line in (seed_dir / name).read_text(encoding="utf-8").split("\n") if line]


def test_seed_splits_exactly_as_gold(seed_dir: Path) -> None:
    zh, en = split_sentences(parse(read_text(seed_dir / "seed.txt")))
    assert [s.text for s in zh] == _gold(seed_dir, "seed.zh.sents")
    assert [s.text for s in en] == _gold(seed_dir, "seed.en.sents")
    assert [s.index for s in zh] == list(range(len(zh)))
    assert [s.index for s in en] == list(range(len(en)))


def test_seed_paragraph_numbers(seed_dir: Path) -> None:
    zh, en = split_sentences(parse(read_text(seed_dir / "seed.txt")))
    assert [s.paragraph for s in zh] == [4, 6, 9, 9, 11, 13, 13, 15, 15, 15, 17]
    assert en[5].paragraph == en[6].paragraph == 5  # two sentences of one paragraph


def test_repository_copy_splits_the_same(seed_dir: Path) -> None:
    bundled = Path(__file__).resolve().parents[1] / "corpora" / "npf-xi-2024-01-31.txt"
    if not bundled.is_file():
        pytest.skip("bundled article not found")
    assert split_sentences(parse(read_text(bundled))) == split_sentences(parse(read_text(seed_dir / "seed.txt")))


# --- properties ------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_PIECES = list("新质生产力。，！？“”」（）…. ,!?\"')(AbXy q09\n") + ["Mr. ", "U.S. ", "Jan. 5", "e.g. ", "4.5", "\u3000"]
_TEXTS = st.one_of(st.text(), st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))


def _bare(text: str) -> str:
    return _WS.sub("", text)


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_splitters_lose_and_invent_nothing_but_whitespace(text: str) -> None:
    for split in (split_zh, split_en):
        sentences = split(text)
        assert _bare("".join(sentences)) == _bare(text)
        assert all(s and s == s.strip() for s in sentences)


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_split_sentences_keeps_every_segment_character(text: str) -> None:
    segments = parse(text)
    zh, en = split_sentences(segments)
    for lang, sentences in (("zh", zh), ("en", en)):
        assert _bare("".join(s.text for s in sentences)) == _bare("".join(s.text for s in segments if s.lang == lang))
        assert [s.index for s in sentences] == list(range(len(sentences)))
        assert all(s.lang == lang for s in sentences)
