"""Confidence features: a glued untranslated member, an omission with no partner, the document's context."""

from __future__ import annotations

import numpy as np
import pytest

from npfterm.alignment.costs import CostModel, OverlapIndex
from npfterm.alignment.document import (
    MODES,
    PRIOR_RATIO,
    PRIOR_VARIANCE,
    best_partner,
    confidence,
    document_context,
    sentence_features,
    weakest_member,
)
from npfterm.alignment.dp import DEFAULT_BEADS, Corridor
from npfterm.models import BilingualText, Sentence
from npfterm.text.lexicon import load_cedict

ZH = ["国家将助力碳达峰碳中和。", "要改造提升传统产业，培育壮大新兴产业。"]
EN = [
    "The country will contribute to carbon peaking and carbon neutrality.",
    "The weather in Paris was sunny and warm on Tuesday afternoon.",  # untranslated
    "Efforts should be made to transform and upgrade traditional industries and foster emerging industries.",
]


@pytest.fixture(scope="module")
def model() -> CostModel:
    text = BilingualText(
        tuple(Sentence(s, "zh", i) for i, s in enumerate(ZH)), tuple(Sentence(s, "en", i) for i, s in enumerate(EN))
    )
    feats = sentence_features(text, load_cedict(), embeddings=False)
    weights = MODES["lexical"]
    return CostModel(
        feats, Corridor.full(len(ZH), len(EN)), DEFAULT_BEADS, weights, PRIOR_RATIO, PRIOR_VARIANCE, OverlapIndex(feats.en)
    )


def test_a_glued_untranslated_member_is_the_weakest(model: CostModel) -> None:
    pair = model.similarity((0, 1, 0, 1))
    glued = weakest_member(model, (0, 1, 0, 2))  # the pair plus the untranslated sentence
    assert weakest_member(model, (0, 1, 0, 1)) == pytest.approx(pair)
    assert pair > 0.3 and glued < 0.05


def test_an_omission_with_no_partner_in_reach_has_a_weak_best_partner(model: CostModel) -> None:
    corridor = Corridor.full(len(ZH), len(EN))
    assert best_partner(model, corridor, (2, 2, 1, 2)) < 0.05  # the weather: nothing like it in Chinese
    assert best_partner(model, corridor, (1, 2, 3, 3)) > 0.3  # this one has its translation in reach


def test_document_context_is_the_median_pair_similarity_and_the_unmatched_share() -> None:
    spans = [(0, 1, 0, 1), (1, 1, 1, 2), (1, 2, 2, 3), (2, 4, 3, 4)]
    median, unmatched = document_context(spans, [0.8, 0.1, 0.6, 0.7])
    assert median == pytest.approx(0.7) and unmatched == pytest.approx(1 / 8)
    assert document_context([], []) == (0.0, 0.0)


@pytest.mark.parametrize("mode", sorted(MODES))
def test_a_weak_member_lowers_a_pair_s_confidence(mode: str) -> None:
    whole = confidence(mode, 3.0, 0.6, True, weakest=0.6)
    glued = confidence(mode, 3.0, 0.6, True, weakest=0.0)
    assert glued < whole
    assert confidence(mode, 3.0, 0.6, True) == pytest.approx(whole)  # no member given: the bead's own similarity


@pytest.mark.parametrize("mode", sorted(MODES))
def test_an_unmatched_sentence_with_a_close_partner_is_doubtful(mode: str) -> None:
    context = (0.6, 0.2)
    lonely = confidence(mode, 2.0, 0.05, False, context)
    rivalled = confidence(mode, 2.0, 0.6, False, context)
    assert rivalled < lonely
    assert all(0.0 < v < 1.0 and np.isfinite(v) for v in (lonely, rivalled))


def test_best_partner_of_an_english_sentence_searches_exactly_the_rows_whose_band_holds_it(model: CostModel) -> None:
    """The rows are found by bisection; the answer equals a scan over every row."""
    n, m = len(ZH), len(EN)
    for corridor in (Corridor.full(n, m), Corridor.diagonal(n, m, 1), Corridor.diagonal(n, m, 0)):
        for j in range(m):
            rows = [i for i in range(1, n + 1) if corridor.lo[i] <= j + 1 < corridor.hi[i]]
            scanned = max(
                (float(model.lexsim(1, 1, i, np.array([j + 1]))[0]) * model.w.lexical for i in rows), default=0.0
            )
            assert best_partner(model, corridor, (n, n, j, j + 1)) == pytest.approx(scanned)
