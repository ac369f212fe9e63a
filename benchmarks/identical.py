#!/usr/bin/env python
"""Prove that a speed change leaves alignments unchanged: dump, then compare.

    git archive HEAD src | tar -x -C /tmp/old                              # the old code, outside the repository
    python benchmarks/identical.py --src /tmp/old/src --out /tmp/before.jsonl
    python benchmarks/identical.py --compare /tmp/before.jsonl             # the working tree's code
    python benchmarks/identical.py --modes lexical --only MAC --out ...

Every document quality.py measures (the seed in three layouts, MAC-Dev pre-split, the imperfect
WMT19/WMT20 sets in four layouts; sets whose data is missing are left out) is aligned in each mode.
The dump holds, per document, the beads with their (rounded) scores and, from every two-pass search
inside it, the spans with each bead's margin and similarity at full precision.  ``--compare`` passes
when the beads and spans are equal and every margin and similarity agrees to ``--tolerance``
(default 1e-9); it prints the first differences otherwise and exits 1.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[1]


def _src_first(src: str | None) -> None:
    """Import npfterm from ``src`` (another checkout) before quality.py puts this one first."""
    if src:
        sys.path.insert(0, src)
        import npfterm.alignment.document  # noqa: F401


def dump(modes: list[str], only: list[str]) -> Iterator[dict[str, Any]]:
    """One record per (mode, set, document)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import quality
    from npfterm.alignment import document
    from npfterm.alignment.document import AlignOptions
    from npfterm.pipeline import align_files

    searches: list[list[Any]] = []
    original = document._two_pass

    def recorded(feats, index, options):  # type: ignore[no-untyped-def]
        spans, margin, sims = original(feats, index, options)
        searches.append([[list(s) for s in spans], [_num(x) for x in margin], [_num(x) for x in sims]])
        return spans, margin, sims

    document._two_pass = recorded
    try:
        for mode in modes:
            for name, cases in quality.all_sets().items():
                if only and not any(o in name for o in only):
                    continue
                for case in cases:
                    searches.clear()
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        a = align_files(list(case.inputs), AlignOptions(mode=mode), sentences=case.sentences)
                    beads = [[list(b.zh), list(b.en), b.score] for b in a.beads]
                    yield {"mode": mode, "set": name, "inputs": list(case.inputs), "beads": beads,
                           "searches": list(searches)}
    finally:
        document._two_pass = original


def _num(x: float) -> float | str:
    return x if math.isfinite(x) else str(x)


def differences(old: dict[str, Any], new: dict[str, Any], tolerance: float) -> list[str]:
    """What differs between two records of the same document (empty: identical)."""
    where = f"{old['mode']} {old['set']} {old['inputs'][0]}"
    if old["beads"] != new["beads"]:
        return [f"{where}: beads differ"]
    out = []
    if len(old["searches"]) != len(new["searches"]):
        return [f"{where}: {len(old['searches'])} searches before, {len(new['searches'])} now"]
    for k, (s_old, s_new) in enumerate(zip(old["searches"], new["searches"])):
        if s_old[0] != s_new[0]:
            out.append(f"{where} search {k}: spans differ")
            continue
        for label, xs, ys in (("margin", s_old[1], s_new[1]), ("similarity", s_old[2], s_new[2])):
            for b, (x, y) in enumerate(zip(xs, ys)):
                if isinstance(x, str) or isinstance(y, str):
                    if x != y:
                        out.append(f"{where} search {k} bead {b}: {label} {x} → {y}")
                elif abs(x - y) > tolerance:
                    out.append(f"{where} search {k} bead {b}: {label} {x!r} → {y!r}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="write the dump here")
    ap.add_argument("--compare", type=Path, help="compare against this dump")
    ap.add_argument("--modes", default="lexical,hybrid")
    ap.add_argument("--only", default="", help="comma-separated substrings of set names")
    ap.add_argument("--tolerance", type=float, default=1e-9)
    ap.add_argument("--src", help="import npfterm from this source folder instead (the old code)")
    args = ap.parse_args()
    _src_first(args.src)
    if not (ROOT.parent / "shared" / "data" / "seed-gold").is_dir():
        print("shared data not found; nothing to compare")
        return 0
    modes = [m for m in args.modes.split(",") if m]
    only = [o for o in args.only.split(",") if o]
    records = list(dump(modes, only))
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r) + "\n")
    print(f"{len(records)} documents aligned ({', '.join(modes)})")
    if not args.compare:
        return 0
    old = {(r["mode"], r["set"], tuple(r["inputs"])): r
           for r in map(json.loads, args.compare.read_text(encoding="utf-8").splitlines())}
    problems: list[str] = []
    differing = 0
    for r in records:
        before = old.get((r["mode"], r["set"], tuple(r["inputs"])))
        found = differences(before, r, args.tolerance) if before else [f"{r['inputs'][0]}: not in the old dump"]
        differing += bool(found)
        problems += found
    print(f"{len(records) - differing} of {len(records)} identical (tolerance {args.tolerance:g})")
    for p in problems[:20]:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
