#!/usr/bin/env python
"""Fit the confidence calibration (alignment.CONFIDENCE) and check it leave-one-out.

    python benchmarks/calibrate.py             # both modes; prints constants and LOO precision

Confidence is a logistic over the margin (how much worse the best path
without a bead is, aligner.margins) and, for beads with both sides, the bead's
similarity.  Fitted on MAC-Dev 2021 as is and with 5 % of the sentences of each
side deleted at random (seeded): deletions turn partners into true unmatched
sentences and give the wrong pairs a real corpus with omissions produces.
A few mismatched pairs (one document's Chinese against another's English, the
"wrong file" case) teach it that a pair without rivals but without evidence is
not a good pair.  Each figure printed is leave-one-document-out: the document scored was not
used for the fit.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from npfterm.alignment.document import MODES, AlignOptions, align_text, confidence_features  # noqa: E402
from npfterm.evaluate import BeadIds, parse_beads  # noqa: E402
from npfterm.models import BilingualText, Sentence  # noqa: E402

MAC = ROOT.parent / "shared" / "data" / "mac-dev"
DOCS = ("001", "002", "003", "004", "005", "006")
DELETE_RATE = 0.05
MISMATCH_SENTENCES = 40


def delete_sentences(zh: list[str], en: list[str], gold: list[BeadIds], rate: float, seed: int):  # type: ignore[no-untyped-def]
    """Drop sentences at random and rewrite gold: a bead that loses one side becomes unmatched."""
    rng = random.Random(seed)
    keep_zh = [i for i in range(len(zh)) if rng.random() >= rate]
    keep_en = [j for j in range(len(en)) if rng.random() >= rate]
    zmap = {old: new for new, old in enumerate(keep_zh)}
    emap = {old: new for new, old in enumerate(keep_en)}
    new_gold = []
    for a, b in gold:
        a2 = tuple(zmap[i] for i in a if i in zmap)
        b2 = tuple(emap[j] for j in b if j in emap)
        if a2 or b2:
            new_gold.append((a2, b2))
    return [zh[i] for i in keep_zh], [en[j] for j in keep_en], new_gold


def text(zh: list[str], en: list[str]) -> BilingualText:
    return BilingualText(
        tuple(Sentence(s, "zh", i) for i, s in enumerate(zh)),
        tuple(Sentence(s, "en", i) for i, s in enumerate(en)),
    )


def margins_and_labels(mode: str, rate: float, mismatched: bool = False):  # type: ignore[no-untyped-def]
    """Per bead: (doc, two_sided, margin, correct) for the mode's alignment of every document."""
    import npfterm.alignment.document as alignment

    captured: list[tuple[list[float], list[float]]] = []
    original = alignment._two_pass

    def spy(feats, index, options):  # type: ignore[no-untyped-def]
        spans, margin, sims = original(feats, index, options)
        captured.append((margin, sims))
        return spans, margin, sims

    alignment._two_pass = spy
    rows = []
    try:
        for d_index, d in enumerate(DOCS):
            zh = (MAC / "zh" / d).read_text(encoding="utf-8").splitlines()
            en = (MAC / "en" / d).read_text(encoding="utf-8").splitlines()
            gold = parse_beads((MAC / "gold" / f"{d}.align").read_text(encoding="utf-8"))
            if rate:
                zh, en, gold = delete_sentences(zh, en, gold, rate, seed=1000 + d_index)
            if mismatched:  # the wrong file: this Chinese against the next document's English
                other = DOCS[(d_index + 1) % len(DOCS)]
                zh, en = zh[:MISMATCH_SENTENCES], (MAC / "en" / other).read_text(encoding="utf-8").splitlines()
                en, gold = en[:MISMATCH_SENTENCES], []
            result = align_text(text(zh, en), AlignOptions(mode=mode))
            gold_set = set(gold)
            for bead, margin, sim in zip(result.beads, *captured[-1]):
                features = confidence_features(margin, sim, bool(bead.zh and bead.en))
                rows.append((d_index, bool(bead.zh and bead.en), features, (bead.zh, bead.en) in gold_set))
    finally:
        alignment._two_pass = original
    return rows


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> tuple[float, ...]:
    """Weights then intercept, by Newton's method (a small, convex problem)."""
    X = np.column_stack([x, np.ones(len(x))])
    w = np.zeros(X.shape[1])
    penalty = np.full(X.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-X @ w))
        grad = X.T @ (p - y) / len(y) + penalty * w
        hess = (X * (p * (1 - p))[:, None]).T @ X / len(y) + np.diag(penalty) + 1e-9 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return tuple(float(v) for v in w)


def predict(w: tuple[float, ...], x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ np.array(w[:-1]) + w[-1])))


def report(name: str, rows, two_sided: bool) -> tuple[float, ...]:  # type: ignore[no-untyped-def]
    sel = [r for r in rows if r[1] == two_sided]
    if len(sel) < 10:
        print(f"  {name}: only {len(sel)} beads; not fitted")
        return ()
    docs = np.array([r[0] for r in sel])
    x = np.array([r[2] for r in sel], dtype=float)
    y = np.array([float(r[3]) for r in sel])
    pred = np.zeros(len(y))
    for d in set(docs.tolist()):
        train = docs != d
        pred[~train] = predict(fit_logistic(x[train], y[train]), x[~train])
    weights = fit_logistic(x, y)
    print(f"  {name}: {len(y)} beads, {y.mean():.3f} correct; fit {tuple(round(v, 2) for v in weights)}")
    brier = float(np.mean((pred - y) ** 2))
    print(f"    leave-one-out Brier {brier:.4f} (constant predictor {y.mean() * (1 - y.mean()):.4f})")
    for th in (0.5, 0.8, 0.9):
        chosen = pred >= th
        prec = y[chosen].mean() if chosen.any() else float("nan")
        print(f"    confidence >= {th:.1f}: precision {prec:.3f} over {int(chosen.sum())} beads")
    return weights


def main() -> int:
    if not MAC.is_dir():
        print(f"MAC-Dev not found at {MAC}; nothing to calibrate")
        return 0
    constants = {}
    for mode in sorted(MODES):
        print(f"mode {mode}")
        rows = margins_and_labels(mode, 0.0)
        # documents with deletions count as further documents for leave-one-out
        rows += [(d + len(DOCS), *rest) for d, *rest in margins_and_labels(mode, DELETE_RATE)]
        rows += [(d + 2 * len(DOCS), *rest) for d, *rest in margins_and_labels(mode, 0.0, mismatched=True)]
        pair = report("beads with both sides (margin, similarity)", rows, True)
        skip = report("unmatched sentences (margin)", rows, False)
        constants[mode] = {"pair": tuple(round(v, 2) for v in pair), "skip": tuple(round(v, 2) for v in skip)}
    print("\nCONFIDENCE =", constants)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
