"""The skip cost learned from a document's unmatched rate, and what it does to imperfect translations."""

import math

import pytest

from npfterm.alignment.deletions import (
    PRIOR_RATE,
    PRIOR_WEIGHT,
    SKIP_BOUNDS,
    skip_cost,
    unmatched_rate,
)
from npfterm.alignment.document import MODES, AlignOptions, align_text
from npfterm.models import BilingualText, Sentence


def test_unmatched_rate_counts_sentences_of_one_sided_beads_smoothed():
    spans = [(0, 1, 0, 1), (1, 1, 1, 2), (1, 2, 2, 4), (2, 3, 4, 4)]  # 1-1, 0-1, 1-2, 1-0
    assert unmatched_rate(spans, 3, 4) == pytest.approx((2 + PRIOR_WEIGHT * PRIOR_RATE) / (7 + PRIOR_WEIGHT))


def test_a_long_text_speaks_louder_than_the_prior():
    gaps = [(k, k, k, k + 1) for k in range(100)] + [(k, k + 1, 100, 100) for k in range(300)]
    pairs = [(k, k + 1, k + 1, k + 2) for k in range(300)]
    assert unmatched_rate(gaps[:100] + pairs, 300, 400) > 0.1
    assert unmatched_rate(pairs, 300, 300) < PRIOR_RATE


def test_skip_cost_falls_as_gaps_become_common():
    rare, common = skip_cost(0.01, 0.3, 1.0), skip_cost(0.2, 0.3, 1.0)
    assert rare > common
    assert common == pytest.approx(0.3 * (math.log(0.8 / 0.2) - 1.0))


def test_skip_cost_stays_within_bounds():
    assert skip_cost(1e-9, 0.3, 2.5) == SKIP_BOUNDS[1]
    assert skip_cost(0.999, 0.3, 2.5) == SKIP_BOUNDS[0]


ZH = [
    "科技创新能够催生新产业、新模式、新动能。",
    "必须加强科技创新特别是原创性、颠覆性科技创新。",
    "要及时将科技创新成果应用到具体产业和产业链上。",
    "绿色发展是高质量发展的底色。",
    "要健全要素参与收入分配机制。",
]
EN = [
    "Sci-tech innovation can generate new industries, new models and new growth drivers.",
    "The storm left thousands of homes without power in the northern suburbs overnight.",
    "We must strengthen sci-tech innovation, especially original and disruptive innovation.",
    "Sci-tech innovations should be applied to specific industries and industrial chains.",
    "Local football clubs will hold a charity match for the victims next weekend.",
    "Green development is the defining feature of high-quality development.",
    "We should improve the mechanisms by which factors of production share in income.",
]


def _text(zh: list[str], en: list[str]) -> BilingualText:
    return BilingualText(
        tuple(Sentence(t, "zh", k) for k, t in enumerate(zh)),
        tuple(Sentence(t, "en", k) for k, t in enumerate(en)),
        interleaved=False,
    )


@pytest.mark.parametrize("mode", ["hybrid", "lexical"])
def test_untranslated_english_sentences_stay_unmatched(mode):
    result = align_text(_text(ZH, EN), AlignOptions(mode=mode))
    beads = [(b.zh, b.en) for b in result.beads]
    assert ((), (1,)) in beads and ((), (4,)) in beads
    assert ((0,), (0,)) in beads and ((4,), (6,)) in beads


def test_learned_skip_cost_is_in_the_run_signature():
    result = align_text(_text(ZH[:2], EN[:2]), AlignOptions(mode="lexical"))
    names = dict(result.info.weights)
    assert names["deletion_scale"] == MODES["lexical"].deletion_scale


def _model(zh: list[str], en: list[str], **weights):  # type: ignore[no-untyped-def]
    import dataclasses

    from npfterm.alignment.costs import CostModel
    from npfterm.alignment.document import sentence_features as _features
    from npfterm.alignment.dp import DEFAULT_BEADS, Corridor
    from npfterm.text.lexicon import load_cedict

    feats = _features(_text(zh, en), load_cedict())
    w = dataclasses.replace(MODES["lexical"], **weights)
    return CostModel(feats, Corridor.full(len(zh), len(en)), DEFAULT_BEADS, w)


def test_a_glued_member_without_evidence_falls_short_and_a_translating_one_does_not():
    import numpy as np

    model = _model(ZH[:1], EN[:2], member=1.0)
    model.set_member_floor(0.2)
    glued = model.member_shortfall(1, 2, 1, np.array([2]))[0]  # zh 0 with en 0 + the storm sentence
    model2 = _model(ZH[1:3], EN[2:4], member=1.0)
    model2.set_member_floor(0.2)
    assert glued > 0.1
    assert model2.member_shortfall(2, 1, 2, np.array([1]))[0] < glued


def test_break_cost_counts_paragraph_breaks_crossed_on_one_side_only():
    import numpy as np

    from npfterm.alignment.costs import CostModel
    from npfterm.alignment.document import sentence_features as _features
    from npfterm.alignment.dp import DEFAULT_BEADS, Corridor
    from npfterm.text.lexicon import load_cedict

    text = BilingualText(
        (Sentence(ZH[0], "zh", 0, 0), Sentence(ZH[1], "zh", 1, 0)),
        (Sentence(EN[0], "en", 0, 0), Sentence(EN[1], "en", 1, 1), Sentence(EN[2], "en", 2, 1)),
        interleaved=False,
    )
    model = CostModel(_features(text, load_cedict()), Corridor.full(2, 3), DEFAULT_BEADS, MODES["lexical"])
    assert model.break_cost(1, 2, 1, np.array([2]))[0] == 1  # en 0-1 cross a break, zh 0 does not
    assert model.break_cost(1, 2, 1, np.array([3]))[0] == 0  # en 1-2 share a paragraph
    assert model.break_cost(2, 2, 2, np.array([2]))[0] == 1
