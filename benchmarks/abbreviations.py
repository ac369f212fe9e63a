#!/usr/bin/env python
"""Sentence ends after abbreviations: short bilingual paragraphs aligned from raw text, against gold.

    python benchmarks/abbreviations.py                 # hybrid
    python benchmarks/abbreviations.py --mode lexical
    python benchmarks/abbreviations.py --verbose       # every case that is not exactly right

benchmarks/data/abbreviations/cases.json holds 25 short paragraphs written
for this check: "U.S." (U.K., U.N.) ending a sentence before the next one and
in the middle of one ("the U.S. Senate"), titles ("Dr. Smith"), "No. 5",
initials ("J. K. Rowling"), "p.m. Monday" and "by 1 p.m.", company forms;
and three harder ones: one Chinese sentence for two English ones split after
"U.S.", two Chinese sentences for one English one holding "Dr." or initials,
and an English sentence ending in "U.S." that the Chinese leaves out.
Each case is a list of gold beads, each side a list of gold sentences.  The
Chinese text is the Chinese sentences joined, the English text the English
ones joined with a space; both are split and aligned as two files are.

Scores: beads exactly right (by text: a bead's Chinese and English, joined),
as precision/recall/F1 over all beads; and English sentences exactly as in
the gold (a sentence kept whole that the gold splits, or cut where the gold
does not, counts against).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from npfterm.alignment.document import MODES, AlignOptions, align_text  # noqa: E402
from npfterm.text.parse import bilingual_from_pair  # noqa: E402

CASES = ROOT / "benchmarks" / "data" / "abbreviations" / "cases.json"


def run(mode: str, verbose: bool, cases_path: Path = CASES) -> dict[str, float]:
    cases = json.loads(cases_path.read_text(encoding="utf-8"))
    right = ours_total = gold_total = 0
    sent_right = sent_ours = sent_gold = 0
    exact_cases = 0
    for case in cases:
        gold = [("".join(zh), " ".join(en)) for zh, en in case["beads"]]
        gold_en = [s for _, en in case["beads"] for s in en]
        zh_text = "".join(s for zh, _ in case["beads"] for s in zh)
        en_text = " ".join(gold_en)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = align_text(bilingual_from_pair(zh_text, en_text), AlignOptions(mode=mode))
        ours = [("".join(a.zh[i].text for i in b.zh), " ".join(a.en[j].text for j in b.en)) for b in a.beads]
        ours_en = [s.text for s in a.en]
        hit = len(set(ours) & set(gold))
        right += hit
        ours_total += len(ours)
        gold_total += len(gold)
        sent_right += len(set(ours_en) & set(gold_en))
        sent_ours += len(ours_en)
        sent_gold += len(gold_en)
        exact = ours == gold and ours_en == gold_en
        exact_cases += exact
        if verbose and not exact:
            print(f"-- {case['name']}")
            for b, (zh, en) in zip(a.beads, ours):
                print(f"   {b.kind} {b.score:.2f} {zh} | {en}")
    p, r = right / ours_total, right / gold_total
    sp, sr = sent_right / sent_ours, sent_right / sent_gold
    return {
        "cases": len(cases),
        "exact cases": exact_cases,
        "bead P": p,
        "bead R": r,
        "bead F1": 2 * p * r / (p + r) if p + r else 0.0,
        "en sentence F1": 2 * sp * sr / (sp + sr) if sp + sr else 0.0,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", default="hybrid", choices=sorted(MODES))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    result = run(args.mode, args.verbose)
    print(f"mode {args.mode}: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
