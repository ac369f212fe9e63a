#!/usr/bin/env python
"""Alignment quality against gold: the seed article and MAC-Dev, beside the peers.

    python benchmarks/quality.py                # default mode, seed + MAC-Dev
    python benchmarks/quality.py --ablation     # every mode and signal, with times
    python benchmarks/quality.py --loo          # leave-one-document-out check of the defaults

Scores use Vecalign's strict/lax precision/recall/F1 (npfterm.evaluate).  The
seed is aligned from the raw article (read → parse → split → align) and our
sentences are mapped onto the gold sentences by text, so a splitting error
costs what it should.  MAC-Dev is aligned with ``--sentences`` (gold
segmentation), as the published figures are.  Data lives in ../shared and is
read in place, never copied.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from npfterm.alignment.document import MODES, AlignOptions, align_text  # noqa: E402
from npfterm.alignment.dp import bead_family  # noqa: E402
from npfterm.evaluate import BeadIds, parse_beads, score  # noqa: E402
from npfterm.models import Alignment  # noqa: E402
from npfterm.pipeline import align_files  # noqa: E402
from npfterm.text.parse import bilingual_from_sentence_lines  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
SEED = SHARED / "seed-gold"
MAC = SHARED / "mac-dev"
MAC_DOCS = ("001", "002", "003", "004", "005", "006")

PEERS_MAC_STRICT = [
    ("Bertalign (LaBSE)", 0.911),
    ("Vecalign (LASER)", 0.863),
    ("Bleualign (MT)", 0.641),
    ("Hunalign (+CC-CEDICT, measured here: .629, 1.6 s)", 0.610),
    ("Gale–Church", 0.485),
]

_WS = re.compile(r"\s+")


def map_to_gold(ours: list[str], gold: list[str]) -> list[set[int]]:
    """For each of our sentences, the gold sentences its text overlaps (whitespace ignored)."""
    bounds = []
    pos = 0
    for g in gold:
        g = _WS.sub("", g)
        bounds.append((pos, pos + len(g)))
        pos += len(g)
    out: list[set[int]] = []
    cursor = 0
    joined = "".join(_WS.sub("", g) for g in gold)
    for s in ours:
        s = _WS.sub("", s)
        start = joined.find(s, cursor) if s else -1
        if start < 0:
            out.append(set())
            continue
        end = start + len(s)
        cursor = end
        out.append({k for k, (a, b) in enumerate(bounds) if a < end and b > start})
    return out


def seed_beads(alignment: Alignment) -> list[BeadIds]:
    gold_zh = (SEED / "seed.zh.sents").read_text(encoding="utf-8").splitlines()
    gold_en = (SEED / "seed.en.sents").read_text(encoding="utf-8").splitlines()
    zmap = map_to_gold([s.text for s in alignment.zh], gold_zh)
    emap = map_to_gold([s.text for s in alignment.en], gold_en)
    beads: list[BeadIds] = []
    for b in alignment.beads:
        zs = tuple(sorted(set().union(*(zmap[i] for i in b.zh)))) if b.zh else ()
        es = tuple(sorted(set().union(*(emap[j] for j in b.en)))) if b.en else ()
        beads.append((zs, es))
    return beads


def fmt(s) -> str:  # type: ignore[no-untyped-def]
    return (
        f"{s.precision_strict:.3f} {s.recall_strict:.3f} {s.f1_strict:.3f} | "
        f"{s.precision_lax:.3f} {s.recall_lax:.3f} {s.f1_lax:.3f}"
    )


def load_mac():  # type: ignore[no-untyped-def]
    docs = []
    for d in MAC_DOCS:
        zh = (MAC / "zh" / d).read_text(encoding="utf-8")
        en = (MAC / "en" / d).read_text(encoding="utf-8")
        text = bilingual_from_sentence_lines(zh, en, f"zh/{d}", f"en/{d}")
        gold = parse_beads((MAC / "gold" / f"{d}.align").read_text(encoding="utf-8"))
        docs.append((d, text, gold))
    return docs


def run_mac(docs, options: AlignOptions, verbose: bool):  # type: ignore[no-untyped-def]
    golds, tests, confs = [], [], []
    started = time.perf_counter()
    for d, text, gold in docs:
        a = align_text(text, options)
        test = [(b.zh, b.en) for b in a.beads]
        golds.append(gold)
        tests.append(test)
        confs.append([(b.zh, b.en, b.score) for b in a.beads])
        if verbose:
            print(f"  MAC {d}  {len(text.zh):4d} zh {len(text.en):4d} en   {fmt(score([gold], [test]))}")
    elapsed = time.perf_counter() - started
    return score(golds, tests), elapsed, golds, confs


def precision_above(golds, confs, threshold: float) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Strict precision of the two-sided beads scoring at least ``threshold``, and how many there are."""
    right = total = 0
    for gold, beads in zip(golds, confs):
        gold_set = {(tuple(x), tuple(y)) for x, y in gold}
        for zh, en, sc in beads:
            if zh and en and sc >= threshold:
                total += 1
                right += (tuple(zh), tuple(en)) in gold_set
    return (right / total if total else 0.0), total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", default="hybrid", choices=sorted(MODES))
    ap.add_argument("--ablation", action="store_true", help="score every mode and signal")
    ap.add_argument("--quiet", action="store_true", help="overall figures only")
    args = ap.parse_args()
    if not SEED.is_dir() or not MAC.is_dir():
        print(f"shared data not found under {SHARED}; nothing to measure")
        return 0

    print("strict P R F1 | lax P R F1   (Vecalign definitions)\n")
    options = AlignOptions(mode=args.mode)
    t = time.perf_counter()
    seed = align_files([str(ROOT / "corpora" / "npf-xi-2024-01-31.txt")], options)
    seed_time = time.perf_counter() - t
    gold = parse_beads((SEED / "seed.gold").read_text(encoding="utf-8"))
    print(f"seed ({args.mode})   {fmt(score([gold], [seed_beads(seed)]))}   {seed_time:.1f} s")

    docs = load_mac()
    n_sent = sum(len(t.zh) + len(t.en) for _, t, _ in docs)
    print(f"\nMAC-Dev 2021, {len(docs)} documents, {n_sent} sentences, mode {args.mode}:")
    result, elapsed, golds, confs = run_mac(docs, options, not args.quiet)
    print(f"  MAC all            {fmt(result)}   {elapsed:.1f} s ({elapsed / n_sent * 1000:.2f} s per 1k sentences)")
    print("\n  confidence   precision(strict)   beads")
    for th in (0.5, 0.8, 0.9):
        p, n = precision_above(golds, confs, th)
        print(f"  ≥ {th:.1f}        {p:.3f}              {n}")
    print("\nPublished MAC-Dev strict F1:")
    print(f"  {'npfterm ' + args.mode:<52s} {result.f1_strict:.3f}  (measured here)")
    for name, f1 in PEERS_MAC_STRICT:
        print(f"  {name:<52s} {f1:.3f}")

    if args.ablation:
        print("\nAblation on MAC-Dev (strict F1 / lax F1 / seconds; sentence embeddings already cached,")
        print("so hybrid times here exclude the encoder — see the first run above for the full cost):")
        variants = {name: AlignOptions(mode=name) for name in sorted(MODES)}
        base = MODES["hybrid"]
        variants["hybrid − dictionary"] = AlignOptions(weights=dataclasses.replace(base, lexical=0.0), mode="hybrid")
        variants["hybrid − length"] = AlignOptions(weights=dataclasses.replace(base, length=0.0), mode="hybrid")
        variants["hybrid − document pairs"] = AlignOptions(document_pairs=False, mode="hybrid")
        variants["hybrid + learning"] = AlignOptions(mode="hybrid", learn=True)
        variants["lexical − learning"] = AlignOptions(mode="lexical", learn=False)
        variants["hybrid, beads a+b ≤ 5"] = AlignOptions(mode="hybrid", bead_types=bead_family(5))
        for name, opts in variants.items():
            r, secs, _, _ = run_mac(docs, opts, False)
            print(f"  {name:<28s} {r.f1_strict:.3f}  {r.f1_lax:.3f}  {secs:5.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
