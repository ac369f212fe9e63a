"""Co-occurrence: translation pairs learned from where words land together in a first alignment of the document.

After a first pass, Chinese tokens and English keys that keep landing in the
same confident beads are taken as translations (Dice coefficient over beads,
as Hunalign's realign and Bleualign's iterations do) and added to the
evidence for a second alignment.  This recovers what the dictionary lacks —
names translated by meaning, domain terms — and is measured per mode in
benchmarks/quality.py --ablation.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Sequence

from npfterm.alignment.costs import SentenceFeatures
from npfterm.alignment.dp import Span
from npfterm.alignment.evidence import ZhEvidence


def cooccurrence_pairs(
    feats: SentenceFeatures,
    spans: Sequence[Span],
    scores: Sequence[float],
    *,
    min_count: int = 2,
    min_dice: float = 0.5,
    min_score: float = 0.5,
) -> dict[str, frozenset[str]]:
    """Chinese token → English keys that co-occur in confident beads with Dice ≥ ``min_dice``."""
    zh_count: Counter[str] = Counter()
    en_count: Counter[str] = Counter()
    both: Counter[tuple[str, str]] = Counter()
    for (i0, i1, j0, j1), score in zip(spans, scores):
        if i1 == i0 or j1 == j0 or score < min_score:
            continue
        tokens = {t for i in range(i0, i1) for t in feats.zh[i].tokens}
        keys = {k for j in range(j0, j1) for k in feats.en[j].keys}
        zh_count.update(tokens)
        en_count.update(keys)
        both.update((t, k) for t in tokens for k in keys)
    learned: dict[str, set[str]] = {}
    for (t, k), c in both.items():
        if c >= min_count and 2 * c / (zh_count[t] + en_count[k]) >= min_dice:
            learned.setdefault(t, set()).add(k)
    return {t: frozenset(ks) for t, ks in learned.items()}


def with_learned(feats: SentenceFeatures, learned: dict[str, frozenset[str]]) -> SentenceFeatures:
    """The same features with learned keys added to each Chinese token."""
    if not learned:
        return feats
    # one union per distinct (token, keys), shared by every occurrence: a long document
    # repeats its vocabulary, and a set per occurrence cost ~13 KB per sentence
    unions: dict[tuple[str, frozenset[str]], frozenset[str]] = {}

    def extended(token: str, keys: frozenset[str]) -> frozenset[str]:
        if token not in learned:
            return keys
        hit = unions.get((token, keys))
        if hit is None:
            hit = unions[(token, keys)] = keys | learned[token]
        return hit

    zh = tuple(ZhEvidence(z.tokens, tuple(extended(t, k) for t, k in zip(z.tokens, z.keys))) for z in feats.zh)
    return dataclasses.replace(feats, zh=zh)
