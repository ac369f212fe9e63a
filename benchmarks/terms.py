"""Term extraction quality on the seed article: recall, precision on gold terms, row count.

    python benchmarks/terms.py                  # lexical alignment (what lookup's bootstrap uses)
    python benchmarks/terms.py --mode hybrid    # the align/terms default
    python benchmarks/terms.py --show           # also the gold pairs missed and every output row

Definitions (the issue's): recall is the share of gold (zh, en) pairs found
among the output rows; precision-on-gold is, of the output rows whose Chinese
side is a gold term, the share giving a gold English form; both compare
English as stem sequences (case- and inflection-tolerant).  The bar: recall ≥
0.80, precision-on-gold ≥ 0.90, rows ≤ 3 × gold.  The gold lives outside the
repository (``../shared/data/seed-gold``); without it the script says so and
exits 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "seed-gold"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", default="lexical", choices=("lexical", "hybrid"))
    parser.add_argument("--show", action="store_true", help="print misses and every output row")
    args = parser.parse_args()
    if not (SEED / "seed.terms.tsv").is_file():
        print(f"seed gold not found at {SEED.resolve()}; nothing to measure")
        return 0

    from npfterm.align.document import AlignOptions
    from npfterm.pipeline import align_files
    from npfterm.terms.extract import extract_terms
    from npfterm.text.gloss import en_key

    gold = [line.split("\t")[:2] for line in (SEED / "seed.terms.tsv").read_text(encoding="utf-8").splitlines()[1:] if line]
    start = time.perf_counter()
    alignment = align_files([str(SEED / "seed.txt")], AlignOptions(mode=args.mode))
    aligned = time.perf_counter()
    rows = extract_terms(alignment)
    done = time.perf_counter()

    forms: dict[str, set[tuple[str, ...]]] = {}
    for zh, en in gold:
        forms.setdefault(zh, set()).add(en_key(en))
    out = {(r.zh, en_key(r.en)) for r in rows}
    found = [(zh, en) for zh, en in gold if (zh, en_key(en)) in out]
    on_gold = [r for r in rows if r.zh in forms]
    right = [r for r in on_gold if en_key(r.en) in forms[r.zh]]
    recall = len(found) / len(gold)
    precision = len(right) / len(on_gold) if on_gold else 0.0

    print(f"seed terms ({args.mode} alignment {aligned - start:.1f} s, extraction {done - aligned:.1f} s)")
    print(f"  recall             {recall:.3f}  ({len(found)}/{len(gold)} gold pairs)    bar ≥ 0.80")
    print(f"  precision on gold  {precision:.3f}  ({len(right)}/{len(on_gold)} rows)          bar ≥ 0.90")
    print(f"  rows               {len(rows)}  (≤ {3 * len(gold)} = 3 × gold)")
    if args.show:
        print("missed:")
        for zh, en in gold:
            if (zh, en) not in found:
                print(f"  {zh}\t{en}")
        print("rows (✓ gold pair, ✗ gold term with another English, · not a gold term):")
        for r in rows:
            mark = "·" if r.zh not in forms else ("✓" if en_key(r.en) in forms[r.zh] else "✗")
            print(f"  {mark} {r.zh}\t{r.en}\t{r.score:.2f}\t{r.count}\t{r.evidence}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
