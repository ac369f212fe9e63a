"""align_text end to end on small hand-made texts (no file I/O)."""

import pytest

from npfterm.alignment.document import (
    MODES,
    AlignOptions,
    NotParallelWarning,
    align_text,
    confidence,
)
from npfterm.models import BilingualText, Sentence


def text(zh: list[str], en: list[str], interleaved: bool = False) -> BilingualText:
    return BilingualText(
        tuple(Sentence(s, "zh", i) for i, s in enumerate(zh)),
        tuple(Sentence(s, "en", i) for i, s in enumerate(en)),
        interleaved,
        "test",
    )


ZH = [
    "2024年全国国内生产总值增长5%。",
    "科技创新是发展新质生产力的核心要素。",
    "必须加快发展方式绿色转型，助力碳达峰碳中和。",
    "要完善现代化产业体系。",
]
EN = [
    "China's gross domestic product grew 5 percent in 2024.",
    "Sci-tech innovation is the core element of developing new productive forces.",
    "Efforts should be made to expedite the green transformation of growth models.",
    "They should contribute to carbon peaking and carbon neutrality.",
    "The modern industrial system should be improved.",
]


def test_lexical_mode_finds_the_one_to_two_bead():
    result = align_text(text(ZH, EN), AlignOptions(mode="lexical"))
    assert [(b.zh, b.en) for b in result.beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3)), ((3,), (4,))]
    assert all(0.0 <= b.score <= 1.0 for b in result.beads)
    assert result.counts() == {"1-1": 3, "1-2": 1}


def test_an_extra_english_sentence_is_left_unmatched():
    en = EN[:2] + ["This sentence has no counterpart at all in the other language, believe me."] + EN[2:]
    result = align_text(text(ZH, en), AlignOptions(mode="lexical"))
    assert ((), (2,)) in [(b.zh, b.en) for b in result.beads]


def test_signature_records_every_setting():
    result = align_text(text(ZH[:1], EN[:1]), AlignOptions(mode="lexical"))
    sig = result.info.signature()
    assert sig.startswith("npfterm:")
    assert "mode:lexical" in sig and "beads:0-1,1-0,1-1" in sig and "dict:cc-cedict-" in sig
    assert "lexical=1" in sig and "skip=0.3" in sig and "position=0.3" in sig


def test_empty_side_gives_unmatched_beads():
    with pytest.warns(NotParallelWarning, match="no sentence in test has a translation"):
        result = align_text(text([], EN[:2]), AlignOptions(mode="lexical"))
    assert [(b.zh, b.en) for b in result.beads] == [((), (0,)), ((), (1,))]


def test_modes_are_presets():
    assert set(MODES) >= {"hybrid", "lexical"}
    assert MODES["lexical"].embedding == 0
    assert MODES["hybrid"].embedding > 0


def test_unrelated_texts_get_low_confidence_and_a_warning():
    zh = ["科技创新是发展新质生产力的核心要素。"]
    en = ["Hello world.", "This is English."]
    with pytest.warns(NotParallelWarning, match="translations of each other"):
        result = align_text(text(zh, en))
    assert all(b.score < 0.5 for b in result.beads if b.zh and b.en)


def test_confidence_is_capped_by_evidence():
    # a large margin with no evidence is not trusted; the same margin with evidence is
    assert confidence("hybrid", 2.0, 0.05, True) < 0.5 < confidence("hybrid", 2.0, 1.2, True)
    assert 0.0 < confidence("hybrid", 0.0, 0.0, False) < 1.0


def test_a_full_cost_cache_changes_time_not_results(monkeypatch):
    """Past COST_CACHE_FLOATS the backward pass recomputes bead costs: same beads, same scores."""
    from npfterm.alignment import costs

    cached = align_text(text(ZH, EN), AlignOptions(mode="lexical"))
    monkeypatch.setattr(costs, "COST_CACHE_FLOATS", 3)
    assert align_text(text(ZH, EN), AlignOptions(mode="lexical")).beads == cached.beads
