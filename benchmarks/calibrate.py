#!/usr/bin/env python
"""Fit the confidence calibration (alignment.document.CONFIDENCE) and check it.

    python benchmarks/calibrate.py                        # both modes; prints constants and checks
    python benchmarks/calibrate.py --mode hybrid --imperfect /work/data/imperfect

Confidence is a logistic over the features of confidence_features: for a pair,
its margin (how much worse the best path without the bead is, dp.margins)
capped by its similarity, and its similarity; for an unmatched sentence, its
margin, its best partner's similarity and the document's median pair
similarity and unmatched share.  Fitted on MAC-Dev as is and with 5 % of the
sentences of each side deleted at random (seeded), on a few mismatched pairs
(one chapter's Chinese against another's English: the "wrong file" case
teaches that a pair without rivals but without evidence is not a good pair),
and on the imperfect WMT19 news set of build_imperfect.py, pre-split (real
omission rates: about 20 % of Chinese and 8 % of English sentences left
untranslated).  Figures are leave-one-document-out (the document scored was
not used for the fit), then on WMT20, which is never fitted on, beside the
shipped constants: Brier score, the share right at confidence ≥ 0.8, and a
reliability table (confidence band: beads, mean confidence → share right) with
its expected calibration error (ECE).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from npfterm.alignment.document import (  # noqa: E402
    CONFIDENCE,
    MODES,
    AlignOptions,
    align_text,
    confidence_features,
    document_context,
)
from npfterm.evaluate import BeadIds, parse_beads  # noqa: E402
from npfterm.models import BilingualText, Sentence  # noqa: E402
from quality import IMPERFECT, MAC, MAC_DOCS, imperfect_cases  # noqa: E402

DOCS = MAC_DOCS
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


Doc = tuple[list[str], list[str], list[BeadIds]]


def mac_documents(rate: float = 0.0, mismatched: bool = False) -> list[Doc]:
    """MAC-Dev's chapters: as they are, with sentences deleted, or each against the wrong file."""
    docs = []
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
        docs.append((zh, en, gold))
    return docs


def imperfect_documents(folder: Path) -> list[Doc]:
    """The pre-split documents of one imperfect set (build_imperfect.py): real omission rates."""
    return [(case.gold_zh, case.gold_en, case.gold) for case in imperfect_cases(folder, "pre-split")]


def margins_and_labels(mode: str, docs: list[Doc]):  # type: ignore[no-untyped-def]
    """Per bead: (doc, two_sided, features, correct) for the mode's alignment of every document."""
    import npfterm.alignment.document as alignment

    captured: list[tuple[list[float], list[float]]] = []
    original = alignment._two_pass

    def spy(feats, index, options):  # type: ignore[no-untyped-def]
        spans, margin, sims, weakest = original(feats, index, options)
        captured.append((margin, sims, spans, weakest))
        return spans, margin, sims, weakest

    alignment._two_pass = spy
    rows = []
    try:
        for d_index, (zh, en, gold) in enumerate(docs):
            result = align_text(text(zh, en), AlignOptions(mode=mode))
            gold_set = set(gold)
            margins_, sims_, spans_, weakest_ = captured[-1]
            context = document_context(spans_, sims_)
            for bead, margin, sim, weak in zip(result.beads, margins_, sims_, weakest_):
                features = confidence_features(margin, sim, bool(bead.zh and bead.en), context, weak)
                rows.append((d_index, bool(bead.zh and bead.en), features, (bead.zh, bead.en) in gold_set,
                             len(bead.zh) + len(bead.en)))
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


BINS = (0.0, 0.5, 0.8, 0.9, 0.95, 1.0001)


def selected(rows, two_sided: bool):  # type: ignore[no-untyped-def]
    sel = [r for r in rows if r[1] == two_sided]
    docs = np.array([r[0] for r in sel])
    x = np.array([r[2] for r in sel], dtype=float).reshape(len(sel), -1)
    y = np.array([float(r[3]) for r in sel])
    return docs, x, y


def reliability(pred: np.ndarray, y: np.ndarray) -> str:
    """Each confidence band: beads, mean confidence, share right; then the expected calibration error."""
    parts, ece = [], 0.0
    for lo, hi in zip(BINS, BINS[1:]):
        inside = (pred >= lo) & (pred < hi)
        if inside.any():
            conf, right = float(pred[inside].mean()), float(y[inside].mean())
            ece += inside.sum() / len(y) * abs(conf - right)
            parts.append(f"[{lo:.2f},{min(hi, 1):.2f}) {int(inside.sum()):4d}: {conf:.3f}→{right:.3f}")
    return "; ".join(parts) + f"  ECE {ece:.4f}"


def report(name: str, rows, two_sided: bool) -> tuple[float, ...]:  # type: ignore[no-untyped-def]
    docs, x, y = selected(rows, two_sided)
    if len(y) < 10:
        print(f"  {name}: only {len(y)} beads; not fitted")
        return ()
    pred = np.zeros(len(y))
    for d in set(docs.tolist()):
        train = docs != d
        pred[~train] = predict(fit_logistic(x[train], y[train]), x[~train])
    weights = fit_logistic(x, y)
    print(f"  {name}: {len(y)} beads, {y.mean():.3f} correct; fit {tuple(round(v, 2) for v in weights)}")
    brier = float(np.mean((pred - y) ** 2))
    print(f"    leave-one-out Brier {brier:.4f} (constant predictor {y.mean() * (1 - y.mean()):.4f})")
    print(f"    leave-one-out reliability {reliability(pred, y)}")
    larger = np.array([r[4] > 2 for r in rows if r[1] == two_sided])
    if two_sided and larger.any():
        print(f"      beads of three or more sentences: {reliability(pred[larger], y[larger])}")
    for th in (0.5, 0.8, 0.9):
        chosen = pred >= th
        prec = y[chosen].mean() if chosen.any() else float("nan")
        print(f"    confidence >= {th:.1f}: precision {prec:.3f} over {int(chosen.sum())} beads")
    return weights


def held_out(name: str, rows, two_sided: bool, weights: tuple[float, ...], before: tuple[float, ...]) -> None:  # type: ignore[no-untyped-def]
    """Reliability on documents the fit never saw, with the new constants and with the shipped ones."""
    _, x, y = selected(rows, two_sided)
    if not len(y) or not weights:
        return
    for label, w in (("shipped", before), ("refit", weights)):
        if len(w) != x.shape[1] + 1:
            print(f"    {name} {label:7s}: other features; not comparable")
            continue
        pred = predict(w, x)
        chosen = pred >= 0.8
        prec = y[chosen].mean() if chosen.any() else float("nan")
        print(f"    {name} {label:7s}: Brier {float(np.mean((pred - y) ** 2)):.4f}; ≥0.8 precision {prec:.3f} "
              f"({int(chosen.sum())}/{len(y)}); {reliability(pred, y)}")
        if two_sided and label == "refit":
            larger = np.array([r[4] > 2 for r in rows if r[1]])
            if larger.any():
                print(f"      beads of three or more sentences: {reliability(pred[larger], y[larger])}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--imperfect", type=Path, default=IMPERFECT, help="folder holding wmt19/ and wmt20/")
    ap.add_argument("--mode", action="append", choices=sorted(MODES), help="default: every mode")
    args = ap.parse_args()
    if not MAC.is_dir():
        print(f"MAC-Dev not found at {MAC}; nothing to calibrate")
        return 0
    train_imperfect = imperfect_documents(args.imperfect / "wmt19") if (args.imperfect / "wmt19").is_dir() else []
    test_imperfect = imperfect_documents(args.imperfect / "wmt20") if (args.imperfect / "wmt20").is_dir() else []
    if not train_imperfect:
        print(f"no imperfect set at {args.imperfect} (benchmarks/build_imperfect.py); fitting on MAC-Dev only")
    groups = [mac_documents(), mac_documents(DELETE_RATE), mac_documents(mismatched=True), train_imperfect]
    constants = {}
    for mode in args.mode or sorted(MODES):
        print(f"mode {mode}")
        rows, offset = [], 0
        for docs in groups:  # every document is its own fold for leave-one-out
            rows += [(d + offset, *rest) for d, *rest in margins_and_labels(mode, docs)]
            offset += len(docs)
        pair = report("beads with both sides (margin, similarity)", rows, True)
        skip = report("unmatched sentences (margin)", rows, False)
        constants[mode] = {"pair": tuple(round(v, 2) for v in pair), "skip": tuple(round(v, 2) for v in skip)}
        if test_imperfect:
            print("  held out: wmt20 pre-split, never fitted on")
            test = margins_and_labels(mode, test_imperfect)
            held_out("pairs    ", test, True, constants[mode]["pair"], CONFIDENCE[mode]["pair"])
            held_out("unmatched", test, False, constants[mode]["skip"], CONFIDENCE[mode]["skip"])
    print("\nCONFIDENCE =", constants)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
