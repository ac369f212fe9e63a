#!/usr/bin/env python
"""Alignment quality against gold: every set side by side, beside the peers.

    python benchmarks/quality.py                  # default mode, every set whose data is here
    python benchmarks/quality.py --mode lexical
    python benchmarks/quality.py --only seed,MAC  # sets whose name contains one of these
    python benchmarks/quality.py --ablation       # each part of the cost switched off in turn
    python benchmarks/quality.py --hunalign /path/to/hunalign   # also Hunalign on the pre-split sets

Sets: the seed article interleaved as supplied, as two files (raw text, from
build_imperfect.py) and pre-split (``--sentences``); MAC-Dev pre-split, as the
published figures are; the imperfect WMT19 and WMT20 sets of
build_imperfect.py in four layouts (two files, English-first, Chinese-first,
pre-split); and "wmt19 combined": the WMT19 documents four at a time (the
last group takes the remainder) concatenated into one input in three layouts,
with a ``---`` line between them and, for comparison ("no marks"), with only a
line break, so the boundaries are unknown; the beads that join sentences of two
documents are counted below the table.  Scores use Vecalign's strict/lax precision/recall/F1
(npfterm.evaluate).  Raw layouts are read, parsed, split and aligned, and our
sentences are mapped onto the gold sentences by text, so a splitting error
costs what it should.  "≥0.8: precision" is the share of two-sided beads
scored at least 0.8 that are exactly right; "with unmatched" counts the
unmatched sentences scored at least 0.8 too (right when gold leaves them
unmatched).  Shared data is read in place from ../shared, the imperfect sets
from --imperfect; nothing is copied (the combined inputs are written to a
temporary folder, removed at exit).
"""

from __future__ import annotations

import argparse
import atexit
import dataclasses
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from npfterm.alignment.document import MODES, AlignOptions  # noqa: E402
from npfterm.alignment.dp import bead_family  # noqa: E402
from npfterm.evaluate import BeadIds, parse_beads, score  # noqa: E402
from npfterm.models import Alignment  # noqa: E402
from npfterm.pipeline import align_files  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
SEED = SHARED / "seed-gold"
MAC = SHARED / "mac-dev"
MAC_DOCS = ("001", "002", "003", "004", "005", "006")

PEERS_MAC_STRICT = [
    ("Bertalign (LaBSE)", 0.911),
    ("Vecalign (LASER)", 0.863),
    ("Bleualign (MT)", 0.641),
    ("Hunalign (published; --hunalign runs it here)", 0.610),
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


def precision_above(golds, confs, threshold: float, pairs_only: bool = True) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Strict precision of the beads scoring at least ``threshold`` (two-sided only, or with the unmatched), and how many."""
    right = total = 0
    for gold, beads in zip(golds, confs):
        gold_set = {(tuple(x), tuple(y)) for x, y in gold}
        for zh, en, sc in beads:
            if (not pairs_only or (zh and en)) and sc >= threshold:
                total += 1
                right += (tuple(zh), tuple(en)) in gold_set
    return (right / total if total else 0.0), total


#: Where benchmarks/build_imperfect.py wrote the imperfect sets (``--imperfect`` overrides).
IMPERFECT = Path(os.environ.get("NPFTERM_IMPERFECT", "/work/data/imperfect"))
LAYOUTS = ("two files", "en-first", "zh-first", "pre-split")


@dataclasses.dataclass(frozen=True)
class Case:
    """One document to align and its gold: the inputs, and the gold sentences the beads are over."""

    inputs: tuple[str, ...]
    sentences: bool
    gold: list[BeadIds]
    gold_zh: list[str]
    gold_en: list[str]
    zh_docs: tuple[int, ...] = ()  # for a combined input: the document of each gold sentence
    en_docs: tuple[int, ...] = ()


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


#: Documents per combined input, and the layouts combined.
COMBINED_GROUP = 4
COMBINED_LAYOUTS = ("two files", "en-first", "pre-split")


def combined_cases(folder: Path, layout: str, marked: bool, out: Path) -> list[Case]:
    """The documents of ``folder`` COMBINED_GROUP at a time, each group concatenated into one input in ``out``.

    ``marked``: a ``---`` line between the documents; otherwise only a line
    break, as a plain concatenation gives.  The gold beads are the documents'
    own, shifted.
    """
    singles = imperfect_cases(folder, layout)
    size = COMBINED_GROUP
    groups = [singles[k : k + size] for k in range(0, len(singles) - len(singles) % size, size)]
    if len(singles) % size:
        groups[-1] = groups[-1] + singles[len(singles) - len(singles) % size :]
    cases = []
    for number, group in enumerate(groups):
        files = []
        for side in range(len(group[0].inputs)):
            texts = [Path(case.inputs[side]).read_text(encoding="utf-8").strip("\n") for case in group]
            gap = "\n" if layout == "pre-split" else "\n\n"  # what separates lines, or paragraphs, in the layout
            separator = f"{gap}---{gap}" if marked else gap
            path = out / f"{number:03d}.{'marked' if marked else 'plain'}.{side}.{layout.replace(' ', '-')}.txt"
            path.write_text(separator.join(texts) + "\n", encoding="utf-8")
            files.append(str(path))
        gold: list[BeadIds] = []
        zh: list[str] = []
        en: list[str] = []
        zh_docs: list[int] = []
        en_docs: list[int] = []
        for doc, case in enumerate(group):
            di, dj = len(zh), len(en)
            gold.extend(([i + di for i in x], [j + dj for j in y]) for x, y in case.gold)
            zh += case.gold_zh
            en += case.gold_en
            zh_docs += [doc] * len(case.gold_zh)
            en_docs += [doc] * len(case.gold_en)
        cases.append(Case(tuple(files), layout == "pre-split", gold, zh, en, tuple(zh_docs), tuple(en_docs)))
    return cases


def crossings(cases: list[Case], result: "SetResult") -> int:
    """Beads of a combined set that join sentences of two different documents."""
    count = 0
    for case, beads in zip(cases, result.confs):
        for zh, en, _ in beads:
            docs = {case.zh_docs[i] for i in zh} | {case.en_docs[j] for j in en}
            count += len(docs) > 1
    return count


def seed_cases(layout: str, imperfect: Path = IMPERFECT) -> list[Case]:
    """The seed article: interleaved as supplied, or as two files (raw, from build_imperfect.py, or pre-split)."""
    zh = (SEED / "seed.zh.sents").read_text(encoding="utf-8").splitlines()
    en = (SEED / "seed.en.sents").read_text(encoding="utf-8").splitlines()
    gold = parse_beads((SEED / "seed.gold").read_text(encoding="utf-8"))
    if layout == "interleaved":
        return [Case((str(ROOT / "corpora" / "npf-xi-2024-01-31.txt"),), False, gold, zh, en)]
    if layout == "pre-split":
        return [Case((str(SEED / "seed.zh.sents"), str(SEED / "seed.en.sents")), True, gold, zh, en)]
    two = imperfect / "wmt19" / "seed"
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


def all_sets(imperfect: Path = IMPERFECT, combined: Path | None = None) -> dict[str, list[Case]]:
    """Every set quality.py measures, by name; sets whose data is missing are left out.

    The combined sets are written to the folder ``combined`` (none without it).
    """
    sets: dict[str, list[Case]] = {
        "seed interleaved": seed_cases("interleaved"),
        "seed two files": seed_cases("two files", imperfect),
        "seed pre-split": seed_cases("pre-split"),
    }
    if MAC.is_dir():
        sets["MAC-Dev pre-split"] = [
            Case((str(MAC / "zh" / d), str(MAC / "en" / d)), True,
                 parse_beads((MAC / "gold" / f"{d}.align").read_text(encoding="utf-8")), [], [])
            for d in MAC_DOCS
        ]
    for name in ("wmt19", "wmt20"):
        if (imperfect / name).is_dir():
            for layout in LAYOUTS:
                sets[f"{name} {layout}"] = imperfect_cases(imperfect / name, layout)
    if (imperfect / "wmt19").is_dir() and combined is not None:
        for layout in COMBINED_LAYOUTS:
            for marked in (True, False):
                name = f"wmt19 combined {layout}{'' if marked else ', no marks'}"
                sets[name] = combined_cases(imperfect / "wmt19", layout, marked, combined)
    return {k: v for k, v in sets.items() if v}


def print_sets(sets: dict[str, list[Case]], options: AlignOptions) -> dict[str, SetResult]:
    width = max([22, *map(len, sets)])
    print(f"{'set':<{width}s} docs  strict P   R     F1  | lax F1 | ≥0.8: precision  beads | with unmatched  beads |  secs")
    results = {}
    for name, cases in sets.items():
        r = run_cases(cases, options)
        p8, n8 = precision_above(r.golds, r.confs, 0.8)
        a8, m8 = precision_above(r.golds, r.confs, 0.8, pairs_only=False)
        s = r.score
        print(
            f"{name:<{width}s} {len(cases):4d}  {s.precision_strict:.3f} {s.recall_strict:.3f} {s.f1_strict:.3f} | "
            f"{s.f1_lax:.3f}  |       {p8:.3f}   {n8:5d} |          {a8:.3f}  {m8:5d} | {r.seconds:5.1f}",
            flush=True,
        )
        results[name] = r
    crossed = {name: crossings(cases, results[name]) for name, cases in sets.items() if cases[0].zh_docs}
    if crossed:
        print("\nBeads joining sentences of two documents (combined inputs):")
        for name, count in crossed.items():
            print(f"  {name:<{width}s} {count:5d}")
    return results


_EN_TOKEN = re.compile(r"\w+|[^\w\s]")


def ladder_beads(ladder: str, n: int, m: int) -> list[BeadIds]:
    """Hunalign's ladder (rungs ``zh_index en_index score``) as beads: the cells between two rungs."""
    rungs = sorted({(int(a), int(b)) for a, b, *_ in (line.split() for line in ladder.splitlines() if line.strip())})
    if not rungs or rungs[0] != (0, 0):
        rungs.insert(0, (0, 0))
    if rungs[-1] != (n, m):
        rungs.append((n, m))
    return [
        (tuple(range(i0, i1)), tuple(range(j0, j1)))
        for (i0, j0), (i1, j1) in zip(rungs, rungs[1:])
        if i1 > i0 or j1 > j0
    ]


def hunalign_scores(sets: dict[str, list[Case]], binary: str) -> None:
    """Hunalign with a CC-CEDICT dictionary on every pre-split set: jieba words, lower-cased English tokens."""
    import subprocess
    import tempfile

    import jieba

    sys.path.insert(0, str(Path(__file__).parent))
    from speed import hunalign_dictionary

    print("\nHunalign, default settings (CC-CEDICT dictionary, jieba words, lower-cased English; MAC-Dev uses")
    print("its own .tok files), strict/lax F1.  Its length model counts characters, which suits Chinese")
    print("against English badly; the published MAC-Dev figure came from the authors' own set-up:")
    with tempfile.TemporaryDirectory() as tmp:
        dic = Path(tmp) / "cedict.dic"
        hunalign_dictionary(dic)
        for name, cases in sets.items():
            if not all(c.sentences for c in cases):
                continue
            golds, tests = [], []
            for k, case in enumerate(cases):
                zh_path, en_path = (Path(p) for p in case.inputs)
                sides = []
                for path, lang in ((zh_path, "zh"), (en_path, "en")):
                    tok = path.with_name(path.name + ".tok")
                    if tok.exists():
                        sides.append(tok)
                        continue
                    lines = path.read_text(encoding="utf-8").splitlines()
                    out = Path(tmp) / f"{k}.{lang}"
                    words = (
                        (" ".join(w for w in jieba.lcut(line) if w.strip()) for line in lines) if lang == "zh"
                        else (" ".join(_EN_TOKEN.findall(line.lower())) for line in lines)
                    )
                    out.write_text("\n".join(words) + "\n", encoding="utf-8")
                    sides.append(out)
                run = subprocess.run(  # in the scratch folder: Hunalign writes a translate.txt where it runs
                    [binary, str(dic), *map(str, sides)], capture_output=True, text=True, check=True, cwd=tmp
                )
                n = len(zh_path.read_text(encoding="utf-8").splitlines())
                m = len(en_path.read_text(encoding="utf-8").splitlines())
                golds.append(case.gold)
                tests.append(ladder_beads(run.stdout, n, m))
            s = score(golds, tests)
            print(f"  {name:<22s} {s.f1_strict:.3f} / {s.f1_lax:.3f}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", default="hybrid", choices=sorted(MODES))
    ap.add_argument("--ablation", action="store_true", help="also score each part switched off")
    ap.add_argument("--imperfect", type=Path, default=IMPERFECT, help="folder holding wmt19/ and wmt20/")
    ap.add_argument("--only", default="", help="comma-separated substrings: measure only the sets whose name has one")
    ap.add_argument("--hunalign", default=os.environ.get("HUNALIGN"), help="Hunalign's binary: also score it on the pre-split sets")
    args = ap.parse_args()
    if not SEED.is_dir():
        print(f"shared data not found under {SHARED}; nothing to measure")
        return 0
    combined = Path(tempfile.mkdtemp(prefix="npfterm-combined-"))
    atexit.register(shutil.rmtree, combined, ignore_errors=True)
    sets = all_sets(args.imperfect, combined)
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
    if args.hunalign and Path(args.hunalign).is_file():
        hunalign_scores(sets, args.hunalign)
    if args.ablation:
        base = MODES[args.mode]
        variants = {
            "− learned skip cost (fixed skip)": AlignOptions(
                mode=args.mode, weights=dataclasses.replace(base, deletion_scale=0.0)
            ),
            "− member evidence": AlignOptions(mode=args.mode, weights=dataclasses.replace(base, member=0.0)),
            "− paragraph breaks": AlignOptions(mode=args.mode, weights=dataclasses.replace(base, paragraph=0.0)),
            "− labels": AlignOptions(mode=args.mode, weights=dataclasses.replace(base, label=0.0)),
            "− all four (before issue 11)": AlignOptions(
                mode=args.mode,
                weights=dataclasses.replace(base, deletion_scale=0.0, member=0.0, paragraph=0.0, label=0.0),
            ),
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
