"""Document boundaries in a combined input: which lines mark them, and that they never become text."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npfterm.alignment.document import AlignOptions, align_text
from npfterm.alignment.parts import align_documents
from npfterm.api import align
from npfterm.errors import InputError
from npfterm.models import Sentence
from npfterm.pipeline import align_files, load_bilingual
from npfterm.text.boundaries import DocumentCountWarning, is_marker, split_documents
from npfterm.text.parse import (
    bilingual_from_pair,
    bilingual_from_sentence_lines,
    bilingual_from_text,
    detect_language,
    parse,
)
from npfterm.text.read import read_text
from npfterm.text.split import split_segments_as, split_sentences

ZH1, EN1 = "今天天气很好。", "The weather is nice today."
ZH2, EN2 = "我们去公园散步。", "We take a walk in the park."


@pytest.mark.parametrize(
    "marker",
    ["\f", " \f ", "---", "***", "* * *", "===", "___", "~~~~", "###", "+++", "————", "─────", "•  •  •", "＊＊＊",
     "<doc>", "</doc>", '<doc docid="ABC-001" genre="news" origlang="zh">', "</DOC>"],
)  # fmt: skip
def test_each_marker_separates_two_documents(marker: str) -> None:
    text = f"{ZH1}\n{EN1}\n\n{marker}\n\n{ZH2}\n{EN2}\n"
    assert split_documents(text) == [f"{ZH1}\n{EN1}\n", f"\n{ZH2}\n{EN2}\n"]
    bilingual = bilingual_from_text(text)
    assert [s.text for s in bilingual.zh] == [ZH1, ZH2]
    assert [s.text for s in bilingual.en] == [EN1, EN2]
    assert bilingual.parts == ((1, 1),)


@pytest.mark.parametrize(
    "line",
    ["--", "- -", "-=-", "a---", "--- a", "……", "...", "\fPage two starts here.", "<document>", "<doc", "<p>", "1.", ""],
)
def test_lines_that_are_not_markers(line: str) -> None:
    assert not is_marker(line)


def test_a_form_feed_that_starts_a_line_of_text_is_a_page_break_not_a_boundary() -> None:
    """pdftotext puts a form feed before every page: pages of one article are no documents."""
    text = f"{ZH1}\n{EN1}\n\f{ZH2}\n{EN2}\n"
    assert split_documents(text) == [text]
    assert bilingual_from_text(text).parts == ()


def test_a_heading_underline_is_removed_but_separates_nothing() -> None:
    text = f"新质生产力\n==========\n{ZH1}\nNew productive forces\n-------------------\n{EN1}\n"
    assert split_documents(text) == [f"新质生产力\n\n{ZH1}\nNew productive forces\n\n{EN1}\n"]
    bilingual = bilingual_from_text(text)
    assert bilingual.parts == ()
    assert [s.text for s in bilingual.zh] == ["新质生产力", ZH1]
    assert [s.text for s in bilingual.en] == ["New productive forces", EN1]


def test_a_separator_right_under_a_sentence_still_separates() -> None:
    """What ``cat a.txt; echo ---; cat b.txt`` writes: no blank line around the separator."""
    assert split_documents(f"{EN1}\n---\n{EN2}") == [EN1, EN2]


def test_a_short_separator_under_an_article_s_last_line_is_no_underline() -> None:
    """Regression (the combined WMT19 check): articles that end in a line without end punctuation
    (a caption, a headline) lost their boundary to the underline rule."""
    last = "MMA 粉丝彻夜等待的节目 Bellator 206 变成了《小猪佩奇》"
    assert split_documents(f"{last}\n---\n{ZH2}") == [last, ZH2]
    assert split_documents(f"（完）\n---\n{ZH2}") == ["（完）", ZH2]


def test_one_sentence_per_line_has_no_underlines() -> None:
    assert split_documents("Title\n=====\nText.", underlines=False) == ["Title", "Text."]
    lines = bilingual_from_sentence_lines(f"新质生产力\n==========\n{ZH1}", f"New productive forces\n-----\n{EN1}")
    assert lines.parts == ((1, 1),)


def test_in_markdown_a_dash_line_under_text_underlines_it(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(f"{ZH1}\n---\n\n{EN1}\n\n***\n\n{ZH2}\n\n{EN2}\n", encoding="utf-8")
    assert read_text(path) == f"{ZH1}\n\n\n{EN1}\n\n***\n\n{ZH2}\n\n{EN2}\n"


def test_repeated_markers_make_one_boundary_and_empty_parts_are_dropped() -> None:
    text = f'<doc id="1">\n{ZH1}\n{EN1}\n</doc>\n\n<doc id="2">\n{ZH2}\n{EN2}\n</doc>\n\f\n'
    assert [p.strip() for p in split_documents(text)] == [f"{ZH1}\n{EN1}", f"{ZH2}\n{EN2}"]
    assert bilingual_from_text(text).parts == ((1, 1),)


def test_indices_run_on_and_a_boundary_is_a_strong_paragraph_break() -> None:
    bilingual = bilingual_from_text(f"{ZH1}\n{EN1}\n***\n{ZH2}\n{EN2}\n")
    assert [s.index for s in bilingual.zh] == [0, 1] and [s.index for s in bilingual.en] == [0, 1]
    # one paragraph axis for both languages; three paragraph breaks between the documents
    assert [s.paragraph for s in bilingual.zh] == [0, 4]
    assert [s.paragraph for s in bilingual.en] == [1, 5]


def test_an_interleaved_document_may_lack_one_language() -> None:
    bilingual = bilingual_from_text(f"{ZH1}\n{EN1}\n***\n{EN2}\n***\n{ZH2}\n")
    assert bilingual.parts == ((1, 1), (1, 2))


def test_two_files_with_as_many_documents_are_paired_document_by_document() -> None:
    pair = bilingual_from_pair(f"{ZH1}\n\n***\n\n{ZH2}", f"{EN1}\n\f\n{EN2}\n{EN1}")
    assert pair.parts == ((1, 1),)
    lines = bilingual_from_sentence_lines(f"{EN1}\n---\n{EN2}", f"{ZH1}\n{ZH2}\n---\n{ZH1}")
    assert lines.parts == ((2, 1),)
    assert [s.text for s in lines.zh] == [ZH1, ZH2, ZH1] and [s.text for s in lines.en] == [EN1, EN2]


def test_two_files_with_different_numbers_of_documents_warn_once_and_align_as_one() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pair = bilingual_from_pair(f"{ZH1}\n***\n{ZH2}\n***\n{ZH1}", f"{EN1}\n***\n{EN2}", "a.zh.txt", "a.en.txt")
    assert [(w.category, str(w.message)) for w in caught] == [
        (
            DocumentCountWarning,
            "the Chinese text (a.zh.txt) holds 3 documents and the English (a.en.txt) 2, so the documents "
            "cannot be paired one to one; they are aligned as one text, each boundary counting as a paragraph break",
        )
    ]
    assert pair.parts == ()
    assert [s.paragraph for s in pair.zh] == [0, 3, 6]


def test_a_markdown_thematic_break_separates_documents(tmp_path: Path) -> None:
    path = tmp_path / "two.md"
    path.write_text(f"# 标题\n\n{ZH1}\n\n{EN1}\n\n* * *\n\n## Second\n\n{ZH2}\n\n{EN2}\n", encoding="utf-8")
    bilingual = load_bilingual([str(path)])
    assert bilingual.parts == ((2, 1),)
    assert "* * *" not in {s.text for s in (*bilingual.zh, *bilingual.en)}


def test_markdown_of_markup_and_separators_only_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.md"
    path.write_text("---\n\n***\n", encoding="utf-8")
    with pytest.raises(InputError, match="no text outside its Markdown markup"):
        read_text(path)


# --- properties ------------------------------------------------------------------------------

PROPERTY = settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
MARKERS = st.sampled_from(["\f", "---", "* * *", "===", "***", "———", "<doc id='7'>", "</doc>", "#####"])
LINES = st.sampled_from(
    [ZH1, EN1, ZH2, EN2, "新质生产力", "New productive forces", "and hard-wrapped lines", "（一）", "(a) item",
     "2024", "“引号”", "- a", "-- b", "** c", "\fPage two.", "", "", " "]
)  # fmt: skip
_WS = re.compile(r"\s+")


def _bare(text: str) -> str:
    return _WS.sub("", text)


@st.composite
def combined(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(LINES, LINES, LINES, MARKERS), max_size=30))
    return "\n".join(lines)


def _sentences(bilingual: object) -> list[Sentence]:
    return [*bilingual.zh, *bilingual.en]  # type: ignore[attr-defined]


@PROPERTY
@given(combined())
def test_markers_never_leak_into_sentences(text: str) -> None:
    unmarked = "\n".join(line for line in text.split("\n") if not is_marker(line))
    try:
        bilingual = bilingual_from_text(text)
    except InputError:
        return
    texts = [s.text for s in _sentences(bilingual)]
    assert not any(is_marker(t) or "<doc" in t or set(t) <= set("-*=#— ") for t in texts)
    # nothing but the marker lines and whitespace is lost
    assert sorted(_bare("".join(texts))) == sorted(_bare(unmarked))
    for lang, side in (("zh", bilingual.zh), ("en", bilingual.en)):
        assert [s.index for s in side] == list(range(len(side)))
        assert [s.paragraph for s in side] == sorted(s.paragraph for s in side)
        assert all(s.lang == lang for s in side)
    for i, j in bilingual.parts:
        assert 0 <= i <= len(bilingual.zh) and 0 <= j <= len(bilingual.en)
    try:
        lines = bilingual_from_sentence_lines(f"{ZH1}\n{text}", f"{EN1}\n{text.replace(ZH1, EN1).replace(ZH2, EN2)}")
    except InputError:
        return
    assert not any(is_marker(s.text) for s in _sentences(lines))


TEXT_WITHOUT_MARKERS = st.lists(LINES, max_size=30).map("\n".join)


@PROPERTY
@given(TEXT_WITHOUT_MARKERS, TEXT_WITHOUT_MARKERS)
def test_text_without_markers_parses_exactly_as_before(text: str, other: str) -> None:
    assert split_documents(text) == [text]
    try:
        bilingual = bilingual_from_text(text)
    except InputError:
        return
    zh, en = split_sentences(parse(text))  # what bilingual_from_text was before documents
    assert (bilingual.zh, bilingual.en, bilingual.parts) == (tuple(zh), tuple(en), ())
    zh_text, en_text = f"{ZH1}\n{text}", f"{EN1}\n{other}"
    if detect_language(zh_text) != "zh" or detect_language(en_text) != "en":
        return
    pair = bilingual_from_pair(zh_text, en_text)
    assert pair.zh == tuple(split_segments_as(parse(zh_text), "zh"))
    assert pair.en == tuple(split_segments_as(parse(en_text), "en"))
    assert pair.parts == ()


# --- alignment ---------------------------------------------------------------------------------

# Article 1's last Chinese sentence is not translated in its English; article 2's English opens with
# a sentence its Chinese lacks, which happens to state the same figures.  Concatenated without a
# boundary the two sit side by side, and the aligner pairs them across the articles.
ARTICLE1_ZH = [
    "新质生产力是创新起主导作用的先进生产力。",
    "科技创新能够催生新产业、新模式、新动能。",
    "我们要加快发展新质生产力。",
    "2024年，中国经济增长5.2%，出口增长7.1%。",
]
ARTICLE1_EN = [
    "New quality productive forces are advanced productivity in which innovation plays the leading role.",
    "Sci-tech innovation can give rise to new industries, new models and new growth drivers.",
    "We must speed up the development of new quality productive forces.",
]
ARTICLE2_ZH = ["今年春天，公园里的樱花开得特别早。", "许多游客前来拍照。", "管理部门增加了垃圾桶。"]
ARTICLE2_EN = [
    "In 2024, China's economy grew 5.2% and exports rose 7.1%, officials said.",
    "This spring the cherry blossoms in the park opened especially early.",
    "Many visitors came to take photos.",
    "The managers added more rubbish bins.",
]


def _combined(separator: str) -> tuple[str, str]:
    return (
        "\n".join(ARTICLE1_ZH) + separator + "\n".join(ARTICLE2_ZH),
        "\n".join(ARTICLE1_EN) + separator + "\n".join(ARTICLE2_EN),
    )


def _crossing(beads, zh_start: int, en_start: int) -> list:  # type: ignore[no-untyped-def]
    """Beads pairing a sentence of the first document with one of the second."""
    return [
        (b.zh, b.en) for b in beads
        if b.zh and b.en and (min(b.zh) < zh_start) != (min(b.en) < en_start)
    ]  # fmt: skip


@pytest.mark.parametrize("sentences", [False, True])
def test_no_bead_crosses_a_document_boundary(sentences: bool) -> None:
    cut = (len(ARTICLE1_ZH), len(ARTICLE1_EN))
    glued = align(*_combined("\n\n"), mode="lexical", sentences=sentences)
    assert _crossing(glued.beads, *cut) == [((3,), (3,))]  # without a boundary, position glues them

    separated = align(*_combined("\n\n* * *\n\n"), mode="lexical", sentences=sentences)
    assert _crossing(separated.beads, *cut) == []
    assert [(b.zh, b.en) for b in separated.beads] == [
        ((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), ()), ((), (3,)), ((4,), (4,)), ((5,), (5,)), ((6,), (6,)),
    ]  # fmt: skip
    # one alignment over every sentence, indices continuous, the separator in none of them
    assert [s.index for s in separated.zh] == list(range(7)) and [s.index for s in separated.en] == list(range(7))
    assert [s.text for s in separated.zh] == ARTICLE1_ZH + ARTICLE2_ZH
    assert [s.text for s in separated.en] == ARTICLE1_EN + ARTICLE2_EN


def test_an_interleaved_combined_file_is_cut_in_both_languages(tmp_path: Path) -> None:
    first = "\n".join(f"{z}\n{e}" for z, e in zip(ARTICLE1_ZH, ARTICLE1_EN)) + "\n" + ARTICLE1_ZH[-1]
    second = ARTICLE2_EN[0] + "\n" + "\n".join(f"{z}\n{e}" for z, e in zip(ARTICLE2_ZH, ARTICLE2_EN[1:]))
    cut = (len(ARTICLE1_ZH), len(ARTICLE1_EN))
    path = tmp_path / "combined.txt"
    path.write_text(f"{first}\n{second}\n", encoding="utf-8")
    assert _crossing(align_files([str(path)], AlignOptions(mode="lexical")).beads, *cut) == [((3,), (3,))]
    path.write_text(f"{first}\n\f\n{second}\n", encoding="utf-8")
    alignment = align_files([str(path)], AlignOptions(mode="lexical"))
    assert _crossing(alignment.beads, *cut) == []
    assert sum(1 for b in alignment.beads if b.zh and b.en) == 6


def test_one_document_aligns_as_align_text_aligns_it() -> None:
    text = bilingual_from_pair(*_combined("\n\n"))
    assert text.parts == ()
    options = AlignOptions(mode="lexical")
    assert align_documents(text, options) == align_text(text, options)


def test_the_command_line_says_once_when_the_documents_cannot_be_paired(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from npfterm.cli import app

    monkeypatch.chdir(tmp_path)
    Path("zh.txt").write_text("今天天气很好。\n***\n我们去公园散步。\n***\n公园里有很多人。\n", encoding="utf-8")
    Path("en.txt").write_text(
        "The weather is nice today.\n***\nWe take a walk in the park.\nThere are many people in the park.\n",
        encoding="utf-8",
    )
    result = cli.invoke(app, ["align", "zh.txt", "en.txt", "--mode", "lexical", "--no-store", "--format", "beads"])
    assert result.exit_code == 0
    assert result.stdout == "[0]:[0]\n[1]:[1]\n[2]:[2]\n"
    assert result.stderr == (
        "Warning: the Chinese text (zh.txt) holds 3 documents and the English (en.txt) 2, so the documents "
        "cannot be paired one to one; they are aligned as one text, each boundary counting as a paragraph break\n"
    )
