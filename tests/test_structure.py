"""Headings, labels and bracketed notes: the lines most often left untranslated."""

import pytest

from npfterm.text.structure import is_label


@pytest.mark.parametrize(
    "line",
    [
        "The following is his definition of the term:",
        "要点：",
        "(Xi's original words in Chinese)",
        "（习近平原话）",
        "Welsh AMs worried about 'looking like muppets'",
        "马其顿就更改国名举行公投",
    ],
)
def test_labels_and_headings(line):
    assert is_label(line)


@pytest.mark.parametrize(
    "line",
    [
        "Sci-tech innovation can generate new industries.",
        "科技创新能够催生新产业、新模式、新动能。",
        "“这不是我们习以为常的谋杀事件。”",
        "",
        (
            "Driven by revolutionary technological breakthroughs, innovative allocation of production factors and "
            "deep industrial transformation and upgrading, new productive forces take the improvement of workers"
        ),
    ],
)
def test_running_text_is_not_a_label(line):
    assert not is_label(line)
