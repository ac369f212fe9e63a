"""Deletions: what leaving a sentence unmatched costs, set from the document itself.

How often a translator left sentences out differs by orders of magnitude
between documents: a literary translation renders nearly everything (merging
and splitting sentences freely), a news article rewritten for another
audience drops a fifth of them.  One fixed skip cost is wrong for both: too
dear, and an untranslated sentence is glued to a neighbouring pair; too cheap,
and the weak but real pairs of a free translation fall apart.

So the skip cost is a prior learned from the document, the way Gale–Church's
length ratio is: align once with the mode's skip cost, count the sentences
left unmatched, and set the cost of leaving one unmatched to the log-odds of
that rate, in similarity units,

    skip(r) = scale · (log((1 − r) / r) − offset),
    r = (unmatched + PRIOR_WEIGHT · PRIOR_RATE) / (sentences + PRIOR_WEIGHT),

then align again.  The prior (one sentence in twenty unmatched, worth twenty
sentences of evidence) keeps a short text from learning much from one gap.  A document with many gaps makes gaps cheap, one with none
makes them dear.  ``scale`` and ``offset`` are properties of the cost scale
(similarity = lexical + embedding), not of any document.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from npfterm.alignment.dp import Span

#: Unmatched rate assumed before the document speaks, and how many sentences that belief is worth.
PRIOR_RATE = 0.05
PRIOR_WEIGHT = 20.0
#: The skip cost stays within these bounds whatever the document.
SKIP_BOUNDS = (-0.1, 0.6)


def unmatched_rate(spans: Sequence[Span], n: int, m: int) -> float:
    """Share of sentences (both languages) left unmatched by a path, smoothed towards PRIOR_RATE."""
    unmatched = sum((i1 - i0) + (j1 - j0) for i0, i1, j0, j1 in spans if i1 == i0 or j1 == j0)
    return (unmatched + PRIOR_WEIGHT * PRIOR_RATE) / (n + m + PRIOR_WEIGHT)


def skip_cost(rate: float, scale: float, offset: float) -> float:
    """The cost of leaving one sentence unmatched when a share ``rate`` of them is."""
    lo, hi = SKIP_BOUNDS
    return min(max(scale * (math.log((1 - rate) / rate) - offset), lo), hi)


def skip_costs(skip: float, labels: np.ndarray, label_discount: float) -> np.ndarray:
    """Per-sentence skip costs: ``skip``, less ``label_discount`` for a heading or label."""
    return np.where(labels, skip - label_discount, skip)
