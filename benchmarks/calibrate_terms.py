"""Fit the term-pair calibration (npfterm.terms.calibration) on the term gold, leave-one-article-out.

    python benchmarks/calibrate_terms.py            # LOAO check, then the constants fitted on all articles

Rows are labelled where the gold speaks: a row whose Chinese is a gold term is
right if its English is a gold form of it, wrong otherwise; a row whose
English is a gold form of another Chinese term is wrong, and so is one whose
Chinese is a fragment or an extension of a gold term (物质文化遗产 of
非物质文化遗产, 高技术产业投资 of 高技术产业: not the unit the text names).
Other rows (terms the gold does not list) are left out of the fit.  Each article is predicted by
a fit on the others; the pooled held-out predictions give the Brier score and
a reliability table (predicted vs observed share right, by score band).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import terms as bench  # noqa: E402  (benchmarks/terms.py: the articles and their gold)

L2 = 1.0  # ridge on the slopes: a few dozen wrong rows must not give infinite weights


def labelled_rows(mode: str) -> dict[str, list[tuple[tuple[float, ...], int]]]:
    from npfterm.alignment.document import AlignOptions
    from npfterm.pipeline import align_files
    from npfterm.terms.calibration import features, nesting
    from npfterm.terms.extract import ExtractOptions, extract_terms
    from npfterm.text.gloss import en_key

    seed, own = bench.articles()
    out = {}
    for article in ([seed] if seed else []) + own:
        rows = extract_terms(align_files([str(article.text)], AlignOptions(mode=mode)), options=ExtractOptions(calibrated=False))
        forms: dict[str, set[tuple[str, ...]]] = {}
        for zh, en in article.gold:
            forms.setdefault(zh, set()).add(en_key(en))
        gold_en = {en_key(en): zh for zh, en in article.gold}
        nested = nesting([(r.zh, r.score) for r in rows])
        data = []
        for r in rows:
            key = en_key(r.en)
            if r.zh in forms:
                label = int(key in forms[r.zh])
            elif key in gold_en or any(r.zh in zh or zh in r.zh for zh in forms):
                label = 0  # another term's English, or a fragment or extension of a gold term
            else:
                continue
            data.append((features(r.score, r.count, r.evidence == "parenthetical", *nested[r.zh]), label))
        out[article.name] = data
    return out


def fit(data: list[tuple[tuple[float, ...], int]]) -> tuple[float, ...]:
    import numpy as np

    x = np.array([f for f, _ in data], dtype=float)
    y = np.array([lab for _, lab in data], dtype=float)
    w = np.zeros(x.shape[1])
    ridge = np.full(x.shape[1], L2)
    ridge[0] = 1e-6
    for _ in range(100):  # Newton's method on the penalised log-likelihood
        p = 1.0 / (1.0 + np.exp(-x @ w))
        grad = x.T @ (p - y) + ridge * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(ridge)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return tuple(round(float(v), 3) for v in w)


def main() -> int:
    import argparse

    from npfterm.terms.calibration import COEFFICIENTS, probability

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--mode", default="hybrid", choices=("lexical", "hybrid"))
    args = parser.parse_args()
    by_article = labelled_rows(args.mode)
    if not by_article:
        print("no gold found; nothing to fit")
        return 0
    held: list[tuple[float, float, int]] = []  # (held-out probability, raw-only probability, label)
    for name, data in by_article.items():
        train = [d for other, rows in by_article.items() if other != name for d in rows]
        coef = fit(train)
        for f, label in data:
            z = sum(c * v for c, v in zip(coef, f))
            held.append((1 / (1 + 2.718281828459045 ** -z), 0.0, label))
        right = sum(lab for _, lab in data)
        print(f"  {name:<12} {len(data):>4} labelled rows, {right} right; fit on the others: {coef}")
    n = len(held)
    brier = sum((p - y) ** 2 for p, _, y in held) / n
    base = sum(y for *_, y in held) / n
    print(f"leave-one-article-out: {n} rows, {base:.3f} right; Brier {brier:.4f} (constant {base:.3f}: {base * (1 - base):.4f})")
    print("  band        rows  predicted  observed")
    for lo, hi in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01)):
        band = [(p, y) for p, _, y in held if lo <= p < hi]
        if band:
            print(f"  {lo:.2f}–{min(hi, 1):.2f}  {len(band):>5}  {sum(p for p, _ in band) / len(band):9.3f}  {sum(y for _, y in band) / len(band):8.3f}")
    final = fit([d for rows in by_article.values() for d in rows])
    print(f"fitted on all: COEFFICIENTS = {final}   (now in npfterm.terms.calibration: {COEFFICIENTS})")
    del probability
    return 0


if __name__ == "__main__":
    sys.exit(main())
