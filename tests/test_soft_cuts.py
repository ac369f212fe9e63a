"""Uncertain sentence ends: the splitter marks them, the alignment decides, the pieces are rejoined."""

from __future__ import annotations

import warnings

import pytest

from npfterm.alignment.document import AlignOptions, align_text
from npfterm.alignment.soft import final_ids, in_pieces, rejoin, rejoin_beads
from npfterm.models import Bead, BilingualText, Segment, Sentence
from npfterm.text.parse import bilingual_from_pair, bilingual_from_sentence_lines
from npfterm.text.split import split_en, split_en_soft, split_sentences

# --- the splitter -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("The hurricane hit the U.S. The storm then moved east.", ["The hurricane hit the U.S.", "The storm then moved east."]),
        ("On Monday the U.S. President gave a speech.", ["On Monday the U.S.", "President gave a speech."]),
        ("Voting will close at 3 p.m. Monday in every district.", ["Voting will close at 3 p.m.", "Monday in every district."]),
        ("It was made by Redwood Inc. The firm is small.", ["It was made by Redwood Inc.", "The firm is small."]),
        ("Most pupils achieved a Higher grade A. The data came from schools.", ["Most pupils achieved a Higher grade A.", "The data came from schools."]),
    ],
)
def test_a_period_after_an_abbreviation_before_a_capital_is_a_soft_cut(text: str, pieces: list[str]) -> None:
    [(sentence, cuts)] = split_en_soft(text)
    assert sentence == text
    bounds = [0, *cuts, len(text)]
    assert [text[a:b].strip() for a, b in zip(bounds, bounds[1:])] == pieces


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. Army came.",  # too few words on one side to stand as a sentence
        "It was said by the lead researcher Dr. Smith of Oxford.",  # a title leads into a name
        "The expert compared Apple vs. Google in court.",
        "Former President George W. Bush attended the funeral today.",  # an initial after a name
        "The novel, written by J. R. R. Tolkien, was first published in 1954.",  # initials in a row
        "The player is currently ranked No. 5 in the world.",  # a number follows
        "He moved to the U.S. in 1990 with his family.",  # no capital follows
    ],
)
def test_no_soft_cut_where_the_shape_says_no(text: str) -> None:
    assert split_en_soft(text) == [(text, ())]


def test_split_en_keeps_its_sentences_and_falls_back_to_the_rules_without_room() -> None:
    # soft: one sentence for split_en; too short for a soft cut: the rule (a hard end after "p.m.")
    assert split_en("The hurricane hit the U.S. The storm then moved east.") == [
        "The hurricane hit the U.S. The storm then moved east."
    ]
    assert split_en("It was 5 p.m. Then dinner.") == ["It was 5 p.m.", "Then dinner."]


def test_sentences_carry_their_soft_cuts_and_chinese_has_none() -> None:
    zh, en = split_sentences([Segment("飓风袭击了美国。风暴向东移动。", "zh", 0), Segment("It hit the U.S. The storm moved east.", "en", 1)])
    assert [s.soft_cuts for s in zh] == [(), ()]
    assert en == [Sentence("It hit the U.S. The storm moved east.", "en", 0, 1, (15,))]


# --- rejoining, as pure functions ------------------------------------------------------


def test_pieces_in_different_two_sided_beads_stay_apart() -> None:
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.8)]
    assert final_ids([0, 0], [0, 1], [True, True]) == [0, 1]
    assert rejoin_beads(beads, [0, 1], [0, 1]) == beads


def test_pieces_in_one_bead_are_one_sentence_and_the_bead_becomes_1_1() -> None:
    beads = [Bead((0,), (0, 1), 0.7), Bead((1,), (2,), 0.9)]
    en = final_ids([0, 0, 1], [0, 0, 1], [True, True])
    assert en == [0, 0, 1]
    assert rejoin_beads(beads, [0, 1], en) == [Bead((0,), (0,), 0.7), Bead((1,), (1,), 0.9)]


def test_a_piece_left_unmatched_beside_a_pair_stays_apart() -> None:
    # "… U.S." translated, "The storm …" not: the other language has a sentence for one piece only
    assert final_ids([0, 0], [0, 1], [True, False]) == [0, 1]
    assert final_ids([0, 0], [0, 1], [False, True]) == [0, 1]


def test_neighbouring_unmatched_pieces_are_one_sentence_past_the_other_languages_unmatched() -> None:
    beads = [Bead((0,), (0,), 0.9), Bead((), (1,), 0.3), Bead((1,), (), 0.2), Bead((), (2,), 0.25)]
    en = final_ids([0, 1, 1], [0, 1, 3], [True, False, False, False])
    assert en == [0, 1, 1]
    assert rejoin_beads(beads, [0, 1], en) == [Bead((0,), (0,), 0.9), Bead((), (1,), 0.25), Bead((1,), (), 0.2)]


def test_merged_beads_keep_their_pairs_place_and_score() -> None:
    # rejoin_beads on its own: an en-only bead sharing a sentence with a pair joins it, past a zh-only bead
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (), 0.2), Bead((), (1,), 0.3), Bead((2,), (2,), 0.95)]
    assert rejoin_beads(beads, [0, 1, 2], [0, 0, 1]) == [Bead((0,), (0,), 0.9), Bead((1,), (), 0.2), Bead((2,), (1,), 0.95)]
    beads = [Bead((), (0,), 0.3), Bead((0,), (1,), 0.9)]
    assert rejoin_beads(beads, [0], [0, 0]) == [Bead((0,), (0,), 0.9)]
    # merged beads that would be out of order: None (the caller keeps every cut)
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (), 0.2), Bead((2,), (1,), 0.9)]
    assert rejoin_beads(beads, [0, 1, 2], [0, 0]) is None


def test_rejoin_gives_consistent_sentences_and_ids() -> None:
    text = BilingualText(
        (Sentence("甲。", "zh", 0), Sentence("乙。", "zh", 1)),
        (Sentence("One in the U.S. Two more words.", "en", 0, 0, (15,)), Sentence("Three is here.", "en", 1)),
    )
    work, pieces = in_pieces(text)
    assert pieces is not None
    assert [s.text for s in work.en] == ["One in the U.S.", "Two more words.", "Three is here."]
    assert [s.index for s in work.en] == [0, 1, 2]
    zh, en, beads = rejoin(text, pieces, [Bead((0,), (0, 1), 0.6), Bead((1,), (2,), 0.9)])
    assert en == (Sentence("One in the U.S. Two more words.", "en", 0), Sentence("Three is here.", "en", 1))
    assert zh == text.zh and beads == (Bead((0,), (0,), 0.6), Bead((1,), (1,), 0.9))
    zh, en, beads = rejoin(text, pieces, [Bead((0,), (0,), 0.6), Bead((1,), (1, 2), 0.9)])
    assert [s.text for s in en] == ["One in the U.S.", "Two more words.", "Three is here."]
    assert beads == (Bead((0,), (0,), 0.6), Bead((1,), (1, 2), 0.9))


def test_text_without_soft_cuts_is_left_alone() -> None:
    text = bilingual_from_sentence_lines("飓风袭击了美国。\n", "The hurricane hit the U.S. The storm moved east.\n")
    assert in_pieces(text) == (text, None)


# --- end to end --------------------------------------------------------------------


def _align(zh: str, en: str, mode: str):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return align_text(bilingual_from_pair(zh, en), AlignOptions(mode=mode))


@pytest.mark.parametrize("mode", ["hybrid", "lexical"])
def test_two_chinese_sentences_split_the_english_after_u_s(mode: str) -> None:
    a = _align("飓风袭击了美国南部。风暴随后向东移动。", "The hurricane hit the southern U.S. The storm then moved east.", mode)
    assert [s.text for s in a.en] == ["The hurricane hit the southern U.S.", "The storm then moved east."]
    assert [s.index for s in a.en] == [0, 1]
    assert [(b.zh, b.en) for b in a.beads] == [((0,), (0,)), ((1,), (1,))]
    assert a.counts() == {"1-1": 2}


@pytest.mark.parametrize("mode", ["hybrid", "lexical"])
def test_one_chinese_sentence_keeps_u_s_president_in_one_english_sentence(mode: str) -> None:
    a = _align("周一，美国总统在白宫发表了讲话。", "On Monday the U.S. President gave a speech at the White House.", mode)
    assert [s.text for s in a.en] == ["On Monday the U.S. President gave a speech at the White House."]
    assert [(b.zh, b.en, b.kind) for b in a.beads] == [((0,), (0,), "1-1")]
    assert a.beads[0].score > 0.5


def test_pre_split_english_is_never_cut_or_joined() -> None:
    text = bilingual_from_sentence_lines("飓风袭击了美国南部。风暴随后向东移动。\n", "The hurricane hit the southern U.S. The storm then moved east.\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = align_text(text, AlignOptions(mode="lexical"))
    assert [s.text for s in a.en] == ["The hurricane hit the southern U.S. The storm then moved east."]


def test_windows_align_the_pieces_too() -> None:
    zh = "".join(f"第{k}场飓风袭击了美国南部。风暴随后向东移动。" for k in range(1, 9))
    en = " ".join(f"Hurricane number {k} hit the southern U.S. The storm then moved east." for k in range(1, 9))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = align_text(bilingual_from_pair(zh, en), AlignOptions(mode="lexical"))
        windowed = align_text(bilingual_from_pair(zh, en), AlignOptions(mode="lexical", window=12))
    assert len(whole.en) == 16 and whole.counts() == {"1-1": 16}
    assert [s.text for s in windowed.en] == [s.text for s in whole.en]
    assert [(b.zh, b.en) for b in windowed.beads] == [(b.zh, b.en) for b in whole.beads]


def test_soft_cuts_survive_a_document_boundary() -> None:
    """Sentences renumbered across documents keep their soft cuts (they were once rebuilt without them)."""
    from npfterm.api import align

    zh = "国家将助力碳达峰碳中和。\n---\n飓风袭击了美国南部。风暴随后向东移动。"
    en = "The country will contribute to carbon peaking and carbon neutrality.\n---\nThe hurricane hit the southern U.S. The storm then moved east."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = bilingual_from_pair(zh, en)
        result = align(zh, en, mode="lexical")
    assert any(s.soft_cuts for s in text.en)
    assert [s.text for s in result.en][-2:] == ["The hurricane hit the southern U.S.", "The storm then moved east."]


def test_the_run_signature_names_the_segmenter_and_the_confidence_fit() -> None:
    from npfterm.alignment.document import CALIBRATION

    signature = _align("国家将助力碳达峰碳中和。", "The country will contribute to carbon neutrality.", "lexical").info.signature()
    assert "seg:npfterm-rules+soft-cuts+jieba" in signature and signature.endswith(f"|conf:{CALIBRATION}")
