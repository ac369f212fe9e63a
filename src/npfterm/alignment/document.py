"""Aligning one bilingual text: features, two DP passes, confidence.

Pass 1 finds the path with 1-1 beads and skips only, over the whole matrix when
it is small or a diagonal band when it is not.  The document's own length ratio
and variance are then estimated from the confident beads of that path, and
pass 2 searches every bead shape in a corridor around it.  This is Bertalign's
two-step search with Gale–Church's length model learned from the document.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from npfterm.alignment.cooccurrence import cooccurrence_pairs, with_learned
from npfterm.alignment.costs import (
    PRIOR_RATIO,
    PRIOR_VARIANCE,
    CostModel,
    SentenceFeatures,
    Weights,
    estimate_length_model,
)
from npfterm.alignment.deletions import skip_cost, skip_costs, unmatched_rate
from npfterm.alignment.dp import (
    DEFAULT_BEADS,
    FIRST_PASS_BEADS,
    BeadType,
    Corridor,
    Span,
    fill,
    margins,
    search,
    traceback,
)
from npfterm.alignment.evidence import (
    EnEvidence,
    OverlapIndex,
    ZhEvidence,
    en_evidence,
    zh_evidence,
)
from npfterm.alignment.soft import in_pieces, rejoin
from npfterm.alignment.windows import WINDOW_SENTENCES, align_in_windows, needs_windows
from npfterm.models import Alignment, Bead, BilingualText, RunInfo
from npfterm.text.lexicon import Lexicon, load_cedict
from npfterm.text.structure import is_label
from npfterm.text.tokens import to_simplified
from npfterm.threads import limit_threads
from npfterm.version import __version__

_SPACE_RE = re.compile(r"\s+")

#: Above this many cells pass 1 searches a diagonal band instead of the full matrix.
FULL_SEARCH_CELLS = 6_000_000

#: How many times the skip cost is re-learned from the path it gave (alignment/deletions.py); more
#: rounds feed on their own gaps in short texts (a heading left out makes gaps cheaper still).
DELETION_ROUNDS = 1

#: The deletion model's settings, the same in both modes (alignment/deletions.py, costs.py):
#: the skip cost learned from the unmatched rate, members of larger beads that must
#: show a share of the median pair similarity on their own, labels, paragraph breaks.
#: Measured by benchmarks/quality.py on the seed, MAC-Dev and the WMT19 imperfect set.
_DELETIONS: dict[str, float] = {
    "deletion_scale": 0.3,
    "deletion_offset": 2.5,
    "member": 0.5,
    "member_share": 0.5,
    "label": 0.1,
    "paragraph": 0.3,
}

#: Named cost presets.  ``hybrid`` adds the shipped sentence encoder to the
#: dictionary and length evidence; ``lexical`` skips the encoder for speed.
MODES: dict[str, Weights] = {
    "hybrid": Weights(lexical=1.0, embedding=1.0, length=0.08, position=0.3, skip=0.3, merge=0.0, **_DELETIONS),
    "lexical": Weights(lexical=1.0, embedding=0.0, length=0.05, position=0.3, skip=0.3, merge=0.05, **_DELETIONS),
}
DEFAULT_MODE = "hybrid"
#: Whether a mode re-aligns with pairs learned from its first alignment
#: (learning.py).  Measured on MAC-Dev and the seed: +.004/+.06 strict F1 for
#: lexical, −.006/±0 for hybrid, whose encoder already knows what Dice learns.
LEARN_BY_MODE = {"hybrid": False, "lexical": True}

#: Confidence = logistic(w · features + intercept).  Features
#: (confidence_features): for beads with both sides, the margin (how much worse
#: the best path without the bead is, dp.margins) capped by the bead's
#: similarity, the similarity (so a pair that had no rival but no evidence
#: either is not trusted) and its weakest member's (so a bead that absorbed an
#: untranslated sentence is not trusted either); for an unmatched sentence, its margin, its best
#: partner's similarity, the document's median pair similarity and unmatched
#: share.  Fitted per mode by benchmarks/calibrate.py on MAC-Dev (as is, with
#: 5 % of sentences deleted, and against the wrong file) and on the imperfect
#: WMT19 news set (about 20 % of Chinese and 8 % of English sentences left
#: untranslated); checked leave-one-document-out and on the WMT20 set, never
#: fitted on.  Refit when costs change.
CALIBRATION = "mac-dev+wmt19-imperfect.2026-11-30"  # names the fit below; travels with every result
CONFIDENCE: dict[str, dict[str, tuple[float, ...]]] = {
    "hybrid": {"pair": (4.74, 1.18, 1.36, -1.44), "skip": (3.61, -0.78, 6.2, 1.83, -6.01)},
    "lexical": {"pair": (5.23, -0.56, 3.02, -0.46), "skip": (6.95, -1.88, 4.16, -0.19, -1.83)},
}


@dataclass(frozen=True)
class AlignOptions:
    """Settings that change the result; all of them go into the run signature.

    ``weights`` overrides the mode's preset (for experiments and ablations).
    """

    mode: str = DEFAULT_MODE
    weights: Weights | None = None
    bead_types: tuple[BeadType, ...] = DEFAULT_BEADS
    corridor_width: int = 8
    document_pairs: bool = True
    learn: bool | None = None  # None: the mode's default (LEARN_BY_MODE)
    window: int = WINDOW_SENTENCES  # longer documents are aligned in windows (windows.py)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; choose one of: {', '.join(MODES)}")
        if self.window < 2:
            raise ValueError(f"a window holds at least two sentences, not {self.window}")

    @property
    def cost_weights(self) -> Weights:
        return self.weights if self.weights is not None else MODES[self.mode]

    @property
    def learns(self) -> bool:
        return LEARN_BY_MODE[self.mode] if self.learn is None else self.learn


def sentence_features(text: BilingualText, lexicon: Lexicon, embeddings: bool = False) -> SentenceFeatures:
    """Evidence per sentence (dictionary matches, numbers, names), lengths, paragraphs, embeddings: computed once."""
    keep = lexicon.extra_terms()
    zh_texts = [to_simplified(s.text) for s in text.zh]  # traditional aligns exactly as simplified
    zh = tuple(zh_evidence(t, lexicon, keep) for t in zh_texts)
    en = tuple(en_evidence(s.text) for s in text.en)
    zh_emb = en_emb = None
    if embeddings:
        from npfterm.alignment.embeddings import encode

        vecs = encode(zh_texts + [s.text for s in text.en])
        zh_emb, en_emb = vecs[: len(text.zh)], vecs[len(text.zh) :]
    return SentenceFeatures(
        zh=zh,
        en=en,
        zh_len=np.array([len(_SPACE_RE.sub("", s.text)) for s in text.zh], dtype=np.float64),
        en_len=np.array([len(_SPACE_RE.sub(" ", s.text.strip())) for s in text.en], dtype=np.float64),
        zh_para=np.array([s.paragraph for s in text.zh], dtype=np.int64),
        en_para=np.array([s.paragraph for s in text.en], dtype=np.int64),
        interleaved=text.interleaved,
        zh_emb=zh_emb,
        en_emb=en_emb,
        zh_label=np.array([is_label(s.text) for s in text.zh], dtype=bool),
        en_label=np.array([is_label(s.text) for s in text.en], dtype=bool),
    )


#: Half-width, in sentences, of the band around a path projected from a coarser level.
COARSE_WIDTH = 12


def coarsen(feats: SentenceFeatures) -> SentenceFeatures:
    """Every two consecutive sentences of each side merged into one (Vecalign-style)."""

    def pairs(n: int) -> np.ndarray:
        return np.arange(0, n, 2)

    zs, es = pairs(len(feats.zh)), pairs(len(feats.en))
    zh = tuple(
        ZhEvidence(sum((feats.zh[k].tokens for k in range(i, min(i + 2, len(feats.zh)))), ()),
                   sum((feats.zh[k].keys for k in range(i, min(i + 2, len(feats.zh)))), ()))
        for i in zs
    )
    en = tuple(
        EnEvidence(frozenset().union(*(feats.en[k].keys for k in range(j, min(j + 2, len(feats.en))))))
        for j in es
    )
    return SentenceFeatures(
        zh=zh,
        en=en,
        zh_len=np.add.reduceat(feats.zh_len, zs),
        en_len=np.add.reduceat(feats.en_len, es),
        zh_para=feats.zh_para[zs],
        en_para=feats.en_para[es],
        interleaved=feats.interleaved,
        zh_emb=np.add.reduceat(feats.zh_emb, zs, axis=0) if feats.zh_emb is not None else None,
        en_emb=np.add.reduceat(feats.en_emb, es, axis=0) if feats.en_emb is not None else None,
    )


def first_pass(feats: SentenceFeatures, weights: Weights, index: OverlapIndex | None = None) -> list[Span]:
    """The 1-1/skip path, over the whole matrix when small, else coarse to fine.

    Above FULL_SEARCH_CELLS the sentences are merged in pairs and aligned
    recursively; the coarse path, projected back, bounds a band in which this
    level searches.  Time and memory grow linearly with length.
    """
    n, m = len(feats.zh), len(feats.en)
    if (n + 1) * (m + 1) <= FULL_SEARCH_CELLS or min(n, m) < 4:
        corridor = Corridor.full(n, m)
    else:
        coarse = coarsen(feats)
        path = [
            (2 * i0, min(2 * i1, n), 2 * j0, min(2 * j1, m))
            for i0, i1, j0, j1 in first_pass(coarse, weights)
        ]
        corridor = Corridor.around(path, n, m, COARSE_WIDTH)
    model = CostModel(feats, corridor, FIRST_PASS_BEADS, weights, PRIOR_RATIO, PRIOR_VARIANCE, index)
    return search(n, m, model, FIRST_PASS_BEADS, corridor)


def document_lexicon(text: BilingualText, lexicon: Lexicon) -> Lexicon:
    """The dictionary plus the term pairs the document states in parentheses."""
    from npfterm.text.stated import parenthetical_pairs

    pairs = [(p.zh, p.en) for p in parenthetical_pairs([s.text for s in text.en], [s.text for s in text.zh])]
    return lexicon.with_pairs(pairs, "doc") if pairs else lexicon


def align_text(
    text: BilingualText,
    options: AlignOptions = AlignOptions(),
    lexicon: Lexicon | None = None,
) -> Alignment:
    """Align the Chinese and English sentences of ``text``: whole, or in windows when it is long."""
    limit_threads()
    base = lexicon or load_cedict()
    info = RunInfo(
        version=__version__,
        mode=options.mode,
        bead_types=options.bead_types,
        weights=options.cost_weights.items()
        + (
            ("corridor", float(options.corridor_width)),
            ("learn", float(options.learns)),
            ("window", float(options.window)),
        ),
        dictionary=base.name + ("+doc-pairs" if options.document_pairs else ""),
        segmenter="npfterm-rules+soft-cuts+jieba",
        calibration=CALIBRATION,
    )
    # Sentences the splitter was unsure of are aligned in pieces; the other language decides (soft.py).
    work, pieces = in_pieces(text)
    n, m = len(work.zh), len(work.en)
    if needs_windows(n, m, options.window):

        def piece(i0: int, i1: int, j0: int, j1: int) -> tuple[Bead, ...]:
            part = BilingualText(work.zh[i0:i1], work.en[j0:j1], work.interleaved, work.source)
            return _align_whole(part, options, base)

        with warnings.catch_warnings():  # said once below, for the whole document
            warnings.simplefilter("ignore", NotParallelWarning)
            beads = tuple(align_in_windows(n, m, options.window, piece))
    else:
        beads = _align_whole(work, options, base)
    zh, en = text.zh, text.en
    if pieces is not None:
        zh, en, beads = rejoin(text, pieces, beads)
    _warn_if_not_parallel(beads, text.source)
    return Alignment(zh, en, beads, info, text.source)


def _align_whole(text: BilingualText, options: AlignOptions, base: Lexicon) -> tuple[Bead, ...]:
    """The beads of ``text`` aligned in one piece (features, two passes, confidence)."""
    n, m = len(text.zh), len(text.en)
    if n == 0 or m == 0:
        return tuple(Bead((i,), (), 0.0) for i in range(n)) + tuple(Bead((), (j,), 0.0) for j in range(m))
    lex = document_lexicon(text, base) if options.document_pairs else base
    feats = sentence_features(text, lex, embeddings=options.cost_weights.embedding > 0)
    index = OverlapIndex(feats.en)
    spans, margin, sims, weakest = _two_pass(feats, index, options)
    scores = _confidences(options.mode, spans, margin, sims, weakest)
    if options.learns:
        learned = cooccurrence_pairs(feats, spans, scores)
        if learned:
            spans, margin, sims, weakest = _two_pass(with_learned(feats, learned), index, options)
            scores = _confidences(options.mode, spans, margin, sims, weakest)
    return tuple(
        Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), round(score, 4))
        for (i0, i1, j0, j1), score in zip(spans, scores)
    )


class NotParallelWarning(UserWarning):
    """Most pairs are unlikely: the two texts may not translate each other."""


def _warn_if_not_parallel(beads: Sequence[Bead], source: str) -> None:
    scores = sorted(b.score for b in beads if b.zh and b.en)
    where = f" in {source}" if source else ""
    if not scores and len(beads) > 1:
        warnings.warn(
            f"no sentence{where} has a translation on the other side; "
            "are the two texts translations of each other?",
            NotParallelWarning,
            stacklevel=3,
        )
    elif scores and scores[len(scores) // 2] < 0.5:
        warnings.warn(
            f"most sentence pairs{where} have low confidence (median {scores[len(scores) // 2]:.2f}); "
            "are the two texts translations of each other?",
            NotParallelWarning,
            stacklevel=3,
        )


def _confidences(
    mode: str, spans: Sequence[Span], margin: Sequence[float], sims: Sequence[float], weakest: Sequence[float]
) -> list[float]:
    context = document_context(spans, sims)
    return [
        confidence(mode, mg, sim, i1 > i0 and j1 > j0, context, weak)
        for (i0, i1, j0, j1), mg, sim, weak in zip(spans, margin, sims, weakest)
    ]


def document_context(spans: Sequence[Span], sims: Sequence[float]) -> tuple[float, float]:
    """The document's median pair similarity and the share of its sentences left unmatched.

    Both come from the alignment itself.  They tell an omission from a
    leftover: in a close translation with many untranslated sentences, one
    more unmatched sentence is likely a real omission; in a loose one it is
    more often a piece of a merge.
    """
    pairs = [sim for (i0, i1, j0, j1), sim in zip(spans, sims) if i1 > i0 and j1 > j0]
    sentences = sum((i1 - i0) + (j1 - j0) for i0, i1, j0, j1 in spans)
    unmatched = sum((i1 - i0) + (j1 - j0) for i0, i1, j0, j1 in spans if i1 == i0 or j1 == j0)
    return (float(np.median(pairs)) if pairs else 0.0, unmatched / max(sentences, 1))


def confidence_features(
    margin: float,
    similarity: float,
    two_sided: bool,
    context: tuple[float, float] = (0.0, 0.0),
    weakest: float | None = None,
) -> tuple[float, ...]:
    """What the calibration sees.

    A pair's margin is capped by its own evidence: beating the alternative of
    leaving sentences unmatched is not proof of a translation when the pair
    shares nothing (the wrong-file case); its weakest member's similarity
    (weakest_member; the similarity itself when not given) tells a bead that
    absorbed an untranslated sentence.  An unmatched sentence's
    ``similarity`` is its best partner's (best_partner), set against the
    document's context (document_context).
    """
    margin = min(margin, 10.0)
    if two_sided:
        return (min(margin, similarity), similarity, similarity if weakest is None else weakest)
    return (margin, similarity, *context)


def confidence(
    mode: str,
    margin: float,
    similarity: float,
    two_sided: bool,
    context: tuple[float, float] = (0.0, 0.0),
    weakest: float | None = None,
) -> float:
    """Calibrated probability that a bead is right (see CONFIDENCE)."""
    *weights, intercept = CONFIDENCE[mode]["pair" if two_sided else "skip"]
    features = confidence_features(margin, similarity, two_sided, context, weakest)
    z = intercept + sum(w * x for w, x in zip(weights, features))
    return 1.0 / (1.0 + math.exp(-z))


def _two_pass(
    feats: SentenceFeatures, index: OverlapIndex, options: AlignOptions
) -> tuple[list[Span], list[float], list[float], list[float]]:
    """Spans of the best path; each bead's margin, similarity (lexical + embedding) and weakest member's."""
    n, m = len(feats.zh), len(feats.en)
    weights = options.cost_weights
    spans = first_pass(feats, weights, index)
    corridor = Corridor.around(spans, n, m, options.corridor_width)
    model = CostModel(feats, corridor, options.bead_types, weights, PRIOR_RATIO, PRIOR_VARIANCE, index)
    if weights.member:
        pair_sims = [model.similarity(s) for s in spans if s[1] > s[0] and s[3] > s[2]]
        if pair_sims:
            model.set_member_floor(weights.member_share * float(np.median(pair_sims)))
    learned = estimate_length_model(feats, spans, [_span_lexsim(model, s) for s in spans])
    if learned:
        model.set_length_model(*learned)
    table = fill(n, m, model, options.bead_types, corridor, keep_scores=True)
    spans = traceback(table)
    # The first fill leaves sentences unmatched at the mode's fixed cost; the learned cost, with
    # headings and labels a little cheaper, replaces it.  (Labels discounted from the first fill
    # on would count as gaps and make a short text learn a cost too low to keep its pairs.)
    skip = weights.skip
    zh_labels, en_labels = _labels(feats.zh_label, n), _labels(feats.en_label, m)
    for _ in range(DELETION_ROUNDS if weights.deletion_scale else 0):
        learned_skip = skip_cost(unmatched_rate(spans, n, m), weights.deletion_scale, weights.deletion_offset)
        if abs(learned_skip - skip) < 0.02:
            break
        skip = learned_skip
        model.set_skip_costs(
            skip_costs(skip, zh_labels, weights.label), skip_costs(skip, en_labels, weights.label)
        )
        table = fill(n, m, model, options.bead_types, corridor, keep_scores=True)
        spans = traceback(table)
    sims = [model.similarity(s) if s[1] > s[0] and s[3] > s[2] else best_partner(model, corridor, s) for s in spans]
    return spans, margins(n, m, model, table, spans), sims, [weakest_member(model, s) for s in spans]


def weakest_member(model: CostModel, span: Span) -> float:
    """The lowest similarity one member of a bead shows on its own with the other side.

    The bead's similarity for a 1-1 bead or an unmatched sentence.  A member
    that adds no evidence (an untranslated sentence glued to a pair) makes
    this low, and the bead's confidence with it.
    """
    i0, i1, j0, j1 = span
    a, b = i1 - i0, j1 - j0
    if a == 0 or b == 0 or a + b == 2:
        return model.similarity(span)
    return min(float(own[0]) for own in model.member_similarities(a, b, i1, np.array([j1])))


def best_partner(model: CostModel, corridor: Corridor, span: Span) -> float:
    """An unmatched sentence's best 1-1 similarity to any sentence of the other side in the corridor.

    A sentence left unmatched while a good partner was in reach is the
    doubtful kind; one with nothing like it on the other side is a real
    omission (Vecalign's and Bertalign's deletion reasoning, used here for confidence).
    """
    i0, i1, j0, j1 = span
    m = corridor.m
    if i1 > i0:  # a Chinese sentence: row i1, the columns its corridor row reaches
        js = np.arange(max(int(corridor.lo[i1]), 1), min(int(corridor.hi[i1]), m + 1))
        rows = [(i1, js)] if len(js) else []
    else:  # an English sentence: column j1, in every row whose band holds it
        # lo and hi never decrease, so those rows are one run: hi[i] > j1 from the first, lo[i] <= j1 to the last
        first = max(int(np.searchsorted(corridor.hi, j1, side="right")), 1)
        last = int(np.searchsorted(corridor.lo, j1, side="right"))
        rows = [(i, np.array([j1])) for i in range(first, last)]
    return max((float(model.pair_similarity(1, 1, i, js).max()) for i, js in rows), default=0.0)


def _labels(labels: np.ndarray | None, size: int) -> np.ndarray:
    return labels if labels is not None else np.zeros(size, dtype=bool)


def _span_lexsim(model: CostModel, span: Sequence[int]) -> float:
    i0, i1, j0, j1 = span
    if i1 == i0 or j1 == j0:
        return 0.0
    return float(model.lexsim(i1 - i0, j1 - j0, i1, np.array([j1]))[0])
