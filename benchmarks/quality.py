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
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from npfterm.align.document import MODES, AlignOptions, align_text  # noqa: E402
from npfterm.align.dp import bead_family  # noqa: E402
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


IMPERFECT = Path("/work/data/imperfect")
LAYOUTS = ("two files", "en-first", "zh-first", "pre-split")


@dataclasses.dataclass(frozen=True)
class Case:
    """One document to align and its gold: the inputs, and the gold sentences the beads are over."""

    inputs: tuple[str, ...]
    sentences: bool
    gold: list[BeadIds]
    gold_zh: list[str]
    gold_en: list[str]


def merged_beads(alignment: Alignment, gold_zh: list[str], gold_en: list[str]) -> list[tuple[BeadIds, float]]:
    """Our beads over the gold sentences, mapped by text; beads sharing a gold sentence are merged.

    A gold sentence our splitter cut in two is then one bead again, so only
    alignment and splitting errors that change the gold bead count.  A merged
    bead's score is its lowest member's.
    """
    zmap = map_to_gold([s.text for s in alignment.zh], gold_zh)
    emap = map_to_gold([s.text for s in alignment.en], gold_en)
    groups: list[tuple[set[int], set[int], float]] = []
    for b in alignment.beads:
        zs = set().union(*(zmap[i] for i in b.zh)) if b.zh else set()
        es = set().union(*(emap[j] for j in b.en)) if b.en else set()
        if not zs and not es:
            continue
        if groups and (groups[-1][0] & zs or groups[-1][1] & es):
            z0, e0, s0 = groups.pop()
            groups.append((z0 | zs, e0 | es, min(s0, b.score)))
        else:
            groups.append((zs, es, b.score))
    return [((tuple(sorted(z)), tuple(sorted(e))), sc) for z, e, sc in groups]


def imperfect_cases(folder: Path, layout: str) -> list[Case]:
    """The documents of one imperfect set (benchmarks/build_imperfect.py) in one layout."""
    cases = []
    for gold_path in sorted(folder.glob("*.gold")):
        stem = folder / gold_path.stem
        zh = Path(f"{stem}.zh.sents").read_text(encoding="utf-8").splitlines()
        en = Path(f"{stem}.en.sents").read_text(encoding="utf-8").splitlines()
        inputs = {
            "two files": (f"{stem}.zh.txt", f"{stem}.en.txt"),
            "en-first": (f"{stem}.en-first.txt",),
            "zh-first": (f"{stem}.zh-first.txt",),
            "pre-split": (f"{stem}.zh.sents", f"{stem}.en.sents"),
        }[layout]
        gold = parse_beads(gold_path.read_text(encoding="utf-8"))
        cases.append(Case(inputs, layout == "pre-split", gold, zh, en))
    return cases


def seed_cases(layout: str) -> list[Case]:
    """The seed article: interleaved as supplied, or as two files (raw, from build_imperfect.py, or pre-split)."""
    zh = (SEED / "seed.zh.sents").read_text(encoding="utf-8").splitlines()
    en = (SEED / "seed.en.sents").read_text(encoding="utf-8").splitlines()
    gold = parse_beads((SEED / "seed.gold").read_text(encoding="utf-8"))
    if layout == "interleaved":
        return [Case((str(ROOT / "corpora" / "npf-xi-2024-01-31.txt"),), False, gold, zh, en)]
    if layout == "pre-split":
        return [Case((str(SEED / "seed.zh.sents"), str(SEED / "seed.en.sents")), True, gold, zh, en)]
    two = IMPERFECT / "wmt19" / "seed"
    if not (two / "seed.zh.txt").exists():
        return []
    return [Case((str(two / "seed.zh.txt"), str(two / "seed.en.txt")), False, gold, zh, en)]


@dataclasses.dataclass(frozen=True)
class SetResult:
    score: object
    golds: list
    confs: list
    seconds: float


def run_cases(cases: list[Case], options: AlignOptions) -> SetResult:
    golds, tests, confs = [], [], []
    started = time.perf_counter()
    for case in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = align_files(list(case.inputs), options, sentences=case.sentences)
        if case.sentences:
            beads = [((b.zh, b.en), b.score) for b in a.beads]
        else:
            beads = merged_beads(a, case.gold_zh, case.gold_en)
        golds.append(case.gold)
        tests.append([b for b, _ in beads])
        confs.append([(b[0], b[1], sc) for b, sc in beads])
    return SetResult(score(golds, tests), golds, confs, time.perf_counter() - started)


def all_sets() -> dict[str, list[Case]]:
    """Every set quality.py measures, by name; sets whose data is missing are left out."""
    sets: dict[str, list[Case]] = {
        "seed interleaved": seed_cases("interleaved"),
        "seed two files": seed_cases("two files"),
        "seed pre-split": seed_cases("pre-split"),
    }
    if MAC.is_dir():
        sets["MAC-Dev pre-split"] = [
            Case((str(MAC / "zh" / d), str(MAC / "en" / d)), True,
                 parse_beads((MAC / "gold" / f"{d}.align").read_text(encoding="utf-8")), [], [])
            for d in MAC_DOCS
        ]
    for name in ("wmt19", "wmt20"):
        if (IMPERFECT / name).is_dir():
            for layout in LAYOUTS:
                sets[f"{name} {layout}"] = imperfect_cases(IMPERFECT / name, layout)
    return {k: v for k, v in sets.items() if v}


def print_sets(sets: dict[str, list[Case]], options: AlignOptions) -> dict[str, SetResult]:
    print(f"{'set':<22s} docs  strict P   R     F1  | lax F1 | ≥0.8: precision  beads |  secs")
    results = {}
    for name, cases in sets.items():
        r = run_cases(cases, options)
        p8, n8 = precision_above(r.golds, r.confs, 0.8)
        s = r.score
        print(
            f"{name:<22s} {len(cases):4d}  {s.precision_strict:.3f} {s.recall_strict:.3f} {s.f1_strict:.3f} | "
            f"{s.f1_lax:.3f}  |       {p8:.3f}   {n8:5d} | {r.seconds:5.1f}",
            flush=True,
        )
        results[name] = r
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", default="hybrid", choices=sorted(MODES))
    ap.add_argument("--ablation", action="store_true", help="also score each part switched off")
    ap.add_argument("--only", default="", help="comma-separated substrings: measure only the sets whose name has one")
    args = ap.parse_args()
    if not SEED.is_dir():
        print(f"shared data not found under {SHARED}; nothing to measure")
        return 0
    sets = all_sets()
    if args.only:
        keys = [k.strip() for k in args.only.split(",")]
        sets = {n: c for n, c in sets.items() if any(k in n for k in keys)}
    print("Vecalign strict/lax definitions; raw layouts are mapped onto the gold sentences by text.\n")
    print(f"mode {args.mode}")
    results = print_sets(sets, AlignOptions(mode=args.mode))
    if "MAC-Dev pre-split" in results:
        print("\nPublished MAC-Dev strict F1:")
        print(f"  {'npfterm ' + args.mode:<52s} {results['MAC-Dev pre-split'].score.f1_strict:.3f}  (measured here)")
        for name, f1 in PEERS_MAC_STRICT:
            print(f"  {name:<52s} {f1:.3f}")
    if args.ablation:
        base = MODES[args.mode]
        variants = {
            "− dictionary": AlignOptions(mode=args.mode, weights=dataclasses.replace(base, lexical=0.0)),
            "− length": AlignOptions(mode=args.mode, weights=dataclasses.replace(base, length=0.0)),
            "− document pairs": AlignOptions(mode=args.mode, document_pairs=False),
            "beads a+b ≤ 5": AlignOptions(mode=args.mode, bead_types=bead_family(5)),
        }
        for name, opts in variants.items():
            print(f"\nablation: {args.mode} {name}")
            print_sets(sets, opts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
