"""Alignment quality against gold, with Vecalign's definitions (``score.py``).

Strict: a bead counts only if gold has exactly the same bead.  Lax: a bead
counts if it shares at least one sentence on each side with a gold bead.
One-sided beads (unmatched sentences) count for precision only; recall is
measured over the gold beads that have both sides.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]

_BEAD_RE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


def parse_beads(text: str) -> list[BeadIds]:
    """Read Vecalign bead lines such as ``[0,1]:[2]``; blank lines are ignored."""
    out: list[BeadIds] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = _BEAD_RE.match(line)
        if not m:
            raise ValueError(f"line {lineno}: not a bead: {line.strip()[:60]!r}")
        left, right = (tuple(int(x) for x in g.split(",") if x.strip()) for g in m.groups())
        out.append((left, right))
    return out


@dataclass(frozen=True)
class Counts:
    """True/false positives, strict and lax, accumulated over documents."""

    tp_strict: int = 0
    fp_strict: int = 0
    tp_lax: int = 0
    fp_lax: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            self.tp_strict + other.tp_strict,
            self.fp_strict + other.fp_strict,
            self.tp_lax + other.tp_lax,
            self.fp_lax + other.fp_lax,
        )


@dataclass(frozen=True)
class Score:
    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in self.__dict__.items()}


def _precision_counts(gold: Iterable[BeadIds], test: Iterable[BeadIds]) -> Counts:
    gold_set = {(tuple(x), tuple(y)) for x, y in gold if x or y}
    test_set = {(tuple(x), tuple(y)) for x, y in test if x or y}
    src_to_tgt: dict[int, set[int]] = defaultdict(set)
    for g_src, g_tgt in gold_set:
        for s in g_src:
            src_to_tgt[s].update(g_tgt)
    tp_s = fp_s = tp_l = fp_l = 0
    for t_src, t_tgt in test_set:
        if (t_src, t_tgt) in gold_set:
            tp_s += 1
            tp_l += 1
            continue
        fp_s += 1
        targets: set[int] = set()
        for s in t_src:
            targets |= src_to_tgt[s]
        if set(t_tgt) & targets:
            tp_l += 1
        else:
            fp_l += 1
    return Counts(tp_s, fp_s, tp_l, fp_l)


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _ratio(a: int, b: int) -> float:
    return 0.0 if a + b == 0 else a / (a + b)


def score(golds: Sequence[Sequence[BeadIds]], tests: Sequence[Sequence[BeadIds]]) -> Score:
    """Strict and lax precision, recall and F1 over several documents (micro-averaged)."""
    if len(golds) != len(tests):
        raise ValueError("need one test alignment per gold alignment")
    p = Counts()
    r = Counts()
    for gold, test in zip(golds, tests):
        p += _precision_counts(gold, test)
        gold_both = [(x, y) for x, y in gold if x and y]
        test_both = [(x, y) for x, y in test if x and y]
        r += _precision_counts(test_both, gold_both)
    ps, pl = _ratio(p.tp_strict, p.fp_strict), _ratio(p.tp_lax, p.fp_lax)
    rs, rl = _ratio(r.tp_strict, r.fp_strict), _ratio(r.tp_lax, r.fp_lax)
    return Score(ps, rs, _f1(ps, rs), pl, rl, _f1(pl, rl))
