"""Calibration: a term pair's evidence turned into the probability that the pair is right.

The extractor's raw score combines its evidence (how each occurrence matched,
the bead's confidence, occurrences as independent witnesses) but is no
probability.  A logistic over five features maps it to one: the raw score's
logit, the log of the number of occurrences, whether the text states the pair
in brackets, and whether the Chinese lies inside another pair's Chinese at
least as well supported (a fragment?) or holds one (an extension?).  The constants are fitted by ``benchmarks/calibrate_terms.py``
on the term gold (the seed article and ``benchmarks/data/terms/``), checked
leave-one-article-out; refit and paste them here whenever the extractor
changes.
"""

from __future__ import annotations

import math
from typing import Sequence

#: (intercept, raw-score logit, log occurrences, stated, inside another, holds another) — benchmarks/calibrate_terms.py
COEFFICIENTS = (0.461, 0.605, -0.747, 0.694, -2.608, -0.556)


def features(raw: float, count: int, stated: bool, inside: bool, holds: bool) -> tuple[float, ...]:
    """The calibration's inputs for one pair."""
    p = min(max(raw, 0.01), 0.99)
    return (1.0, math.log(p / (1.0 - p)), math.log(max(count, 1)), float(stated), float(inside), float(holds))


def nesting(terms: Sequence[tuple[str, float]]) -> dict[str, tuple[bool, bool]]:
    """For each Chinese term of (term, raw score) pairs: does it lie inside another at least as well supported
    (a fragment?), does it hold one (an extension?)."""
    best: dict[str, float] = {}
    for t, raw in terms:
        best[t] = max(raw, best.get(t, 0.0))
    return {
        t: (
            any(t in o and o != t and r >= raw for o, r in best.items()),
            any(o in t and o != t and r >= raw for o, r in best.items()),
        )
        for t, raw in best.items()
    }


def probability(
    raw: float, count: int, stated: bool, inside: bool = False, holds: bool = False,
    coefficients: Sequence[float] = COEFFICIENTS,
) -> float:
    """How likely the pair is right, in [0, 1], rounded to four places."""
    z = sum(c * x for c, x in zip(coefficients, features(raw, count, stated, inside, holds)))
    return round(1.0 / (1.0 + math.exp(-z)), 4)
