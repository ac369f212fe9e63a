#!/usr/bin/env python
"""Speed and memory: long documents at n and 2n sentences, 20,000 × 27,000, and folder mode.

    python benchmarks/speed.py                   # all of it (about 10–20 minutes on 2 cores)
    python benchmarks/speed.py --quick           # n ≈ 2,500, no 20k × 27k case, lexical folder run
    python benchmarks/speed.py --only scaling --modes lexical
    python benchmarks/speed.py --only large      # 20,000 × 27,000 sentences
    python benchmarks/speed.py --only folder     # 1 vs 2 workers over the six MAC-Dev pairs
    python benchmarks/speed.py --only large --modes hybrid --distinct   # no sentence repeats

Long inputs are the six MAC-Dev documents (zh/NNN and en/NNN, one sentence per
line) concatenated over and over; the 2n input is the n input twice, so the
two differ only in length.  Each alignment runs in a fresh subprocess, timed
from outside, with its peak RSS from ``os.wait4``.  Inside it the fixed costs
(imports, dictionary, jieba, encoder) are timed apart from the alignment, and
in hybrid mode the encoder is timed apart too: repeated sentences are encoded
once per process, so on these inputs the encoder sees at most MAC-Dev's 3,414
distinct sentences whatever n is, and its throughput is reported for estimating
real (non-repeating) text.  ``--distinct`` tags every copy's sentences (a
suffix without digits, different on each side) so that nothing repeats and
the encoder's real time and memory are in the figures.  ``sent/s`` counts both
sides.

Folder mode writes the six pairs as NNN.zh.txt/NNN.en.txt into a temporary
folder and runs ``npfterm align DIR --sentences -f jsonl -o OUT/`` with
``--workers 1`` and ``--workers 2``; wall time includes starting the workers.

Data is read from ../shared and never copied into the repository; without it
the script says so and exits 0.  Timings on a shared machine are noisy: run
twice before believing a ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
MAC = SHARED / "data" / "mac-dev"
MAC_DOCS = ("001", "002", "003", "004", "005", "006")
LARGE = (20_000, 27_000)
TIMEOUT = 3600

TARGET_RATIO = 2.2
TARGET_RSS_MB = 1024

# Runs in the fresh subprocess: warm the fixed costs, then time the encoder and the aligner apart.
_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from npfterm.alignment.document import AlignOptions
from npfterm.batch import warm
from npfterm.text.parse import bilingual_from_sentence_lines
from npfterm.text.read import read_text
from npfterm.alignment.document import align_text
zh_path, en_path, mode = sys.argv[1:4]
warm(mode)
text = bilingual_from_sentence_lines(read_text(zh_path, max_bytes=1 << 30), read_text(en_path, max_bytes=1 << 30))
t1 = time.perf_counter()
encode_s, distinct = 0.0, 0
if mode == "hybrid":
    from npfterm.alignment.embeddings import encode
    sentences = list(dict.fromkeys([s.text for s in text.zh] + [s.text for s in text.en]))
    encode(sentences)
    encode_s, distinct = time.perf_counter() - t1, len(sentences)
t2 = time.perf_counter()
alignment = align_text(text, AlignOptions(mode=mode))
t3 = time.perf_counter()
print(json.dumps({"startup": t1 - t0, "encode": encode_s, "distinct": distinct, "align": t3 - t2,
                  "zh": len(text.zh), "en": len(text.en), "beads": len(alignment.beads)}))
"""


@dataclass(frozen=True)
class Run:
    """One subprocess: its own figures plus wall time and peak RSS seen from outside."""

    wall: float
    rss_mb: float
    figures: dict[str, float]
    error: str = ""


def run_measured(args: list[str], env: dict[str, str] | None = None, timeout: float = TIMEOUT) -> Run:
    """Run ``args`` in a fresh process; wall time, its own peak RSS (``wait4``), last stdout line as JSON."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    rss_mb = usage.ru_maxrss / 1024  # KiB on Linux
    if proc.returncode != 0:
        tail = stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        return Run(wall, rss_mb, {}, "timeout" if wall > timeout else tail[0])
    lines = stdout.strip().splitlines()
    figures = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return Run(wall, rss_mb, figures)


def child_env(tmp: Path) -> dict[str, str]:
    """No benchmark run may touch the user's store."""
    return {**os.environ, "NPFTERM_DB": str(tmp / "bench.db")}


# --- inputs --------------------------------------------------------------------------


def mac_lines() -> dict[str, dict[str, list[str]]]:
    return {
        doc: {lang: (MAC / lang / doc).read_text(encoding="utf-8").splitlines() for lang in ("zh", "en")}
        for doc in MAC_DOCS
    }


def documents_for(docs: dict[str, dict[str, list[str]]], zh_target: int, en_target: int = 0) -> list[str]:
    """MAC-Dev document ids, cycling, until each side has at least its target of sentences."""
    order: list[str] = []
    zh = en = 0
    while zh < zh_target or en < en_target:
        doc = MAC_DOCS[len(order) % len(MAC_DOCS)]
        order.append(doc)
        zh, en = zh + len(docs[doc]["zh"]), en + len(docs[doc]["en"])
    return order


_STEMS = "甲乙丙丁戊己庚辛壬癸"


def copy_tags(k: int) -> tuple[str, str]:
    """Tags that make the k-th document copy's sentences distinct: (Chinese, English), no digits.

    Digits would be numeral evidence shared by both sides; these share nothing.
    """
    zh = "".join(_STEMS[int(d)] for d in f"{k:03d}")
    en = "".join(chr(ord("a") + (k // 26**i) % 26) for i in (2, 1, 0))
    return f"（{zh}）", f" ({en})"


def write_long(folder: Path, label: str, order: list[str], docs: dict[str, dict[str, list[str]]],
               limits: tuple[int, int] | None = None, distinct: bool = False) -> tuple[Path, Path]:
    """The documents of ``order`` one after another; ``distinct`` tags each copy's sentences."""
    paths = []
    for side, lang in enumerate(("zh", "en")):
        lines = [
            line + (copy_tags(k)[side] if distinct else "")
            for k, doc in enumerate(order) for line in docs[doc][lang]
        ]
        if limits:
            lines = lines[: limits[side]]
        path = folder / f"{label}.{lang}"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def align_run(zh: Path, en: Path, mode: str, tmp: Path) -> Run:
    return run_measured([sys.executable, "-c", _CHILD, str(zh), str(en), mode], env=child_env(tmp))


# --- report ----------------------------------------------------------------------------


def row(label: str, mode: str, run: Run) -> str:
    f = run.figures
    if run.error:
        return f"  {label:<6} {mode:<8} FAILED: {run.error}"
    sents = f["zh"] + f["en"]
    work = f["align"] + f["encode"]
    encoder = f"{f['encode']:7.1f}" if mode == "hybrid" else "      –"
    return (
        f"  {label:<6} {mode:<8} {int(f['zh']):>6,} × {int(f['en']):<6,} {f['startup']:7.1f} {encoder} "
        f"{f['align']:7.1f} {run.wall:7.1f} {sents / work:9,.0f} {run.rss_mb:8,.0f}"
    )


HEADER = (
    "  case   mode         zh × en      load  encode   align    wall  sent/s¹  RSS MB\n"
    "  " + "-" * 78
)


def scaling(n: int, modes: list[str], tmp: Path, distinct: bool = False) -> None:
    docs = mac_lines()
    order = documents_for(docs, n)
    small = write_long(tmp, "n", order, docs, distinct=distinct)
    double = write_long(tmp, "2n", order * 2, docs, distinct=distinct)
    note = ", each copy tagged" if distinct else ""
    print(f"\nScaling: n and 2n (the n input twice), {len(order)} and {2 * len(order)} MAC-Dev documents{note}")
    print(HEADER)
    ratios = []
    for mode in modes:
        a, b = align_run(*small, mode, tmp), align_run(*double, mode, tmp)
        print(row("n", mode, a))
        print(row("2n", mode, b))
        if not (a.error or b.error):
            ratios.append((mode, b.figures["align"] / a.figures["align"], b.wall / a.wall, b.rss_mb / a.rss_mb))
            if mode == "hybrid" and a.figures["distinct"]:
                rate = a.figures["distinct"] / a.figures["encode"]
                print(f"  {'':<6} encoder: {rate:,.0f} distinct sentences/s (repeats are cached)")
    print("  ¹ zh + en sentences per second of align (+ encode) time; load = imports, dictionary, jieba, encoder")
    for mode, align_ratio, wall_ratio, rss_ratio in ratios:
        verdict = "ok" if align_ratio <= TARGET_RATIO else f"ABOVE the {TARGET_RATIO} target"
        print(f"  {mode}: time(2n)/time(n) = {align_ratio:.2f} align ({verdict}), {wall_ratio:.2f} wall; "
              f"RSS(2n)/RSS(n) = {rss_ratio:.2f}")


def large(modes: list[str], tmp: Path, distinct: bool = False) -> None:
    docs = mac_lines()
    order = documents_for(docs, *LARGE)
    zh, en = write_long(tmp, "large", order, docs, limits=LARGE, distinct=distinct)
    note = ", each copy tagged" if distinct else ""
    print(f"\nLarge: {LARGE[0]:,} × {LARGE[1]:,} sentences ({len(order)} MAC-Dev documents, cut to size{note})")
    print(HEADER)
    for mode in modes:
        run = align_run(zh, en, mode, tmp)
        print(row("large", mode, run))
        if not run.error:
            verdict = "ok" if run.rss_mb < TARGET_RSS_MB else f"ABOVE the {TARGET_RSS_MB} MB target"
            print(f"  {'':<6} peak RSS {run.rss_mb:,.0f} MB ({verdict})")


def folder(modes: list[str], tmp: Path, copies: int) -> None:
    corpus = tmp / f"mac-folder-{copies}"
    corpus.mkdir()
    docs = mac_lines()
    for k in range(copies):
        for doc in MAC_DOCS:
            name = doc if copies == 1 else f"{doc}-{k}"
            for lang in ("zh", "en"):
                (corpus / f"{name}.{lang}.txt").write_text("\n".join(docs[doc][lang]) + "\n", encoding="utf-8")
    n_docs = copies * len(MAC_DOCS)
    # With the store, term extraction and the store writes run in this (the client) process.
    stores = ("--no-store", "store") if "--no-store" in _align_help() else ("store",)
    print(f"\nFolder mode: {n_docs} MAC-Dev pairs, npfterm align DIR --sentences -f jsonl -o OUT/ (CPUs: {os.cpu_count()})")
    print("  mode      store       workers    wall   docs/s   speed-up")
    for mode in modes:
        for store in stores:
            walls = {}
            for workers in (1, 2):
                out = tmp / f"out-{copies}-{mode}-{store}-{workers}"
                args = [sys.executable, "-m", "npfterm", "align", str(corpus), "--sentences", "--mode", mode,
                        "--workers", str(workers), "-f", "jsonl", "-o", f"{out}/"]
                env = {**os.environ, "NPFTERM_DB": str(tmp / f"{out.name}.db")}  # a fresh store each run
                run = run_measured(args + (["--no-store"] if store == "--no-store" else []), env=env)
                if run.error or len(list(out.glob("*.jsonl"))) != n_docs:
                    print(f"  {mode:<8}  {store:<10} {workers:>7}  FAILED: {run.error or 'missing outputs'}")
                    break
                walls[workers] = run.wall
                speedup = f"{walls[1] / run.wall:8.2f}×" if workers == 2 else "        –"
                print(f"  {mode:<8}  {store:<10} {workers:>7} {run.wall:7.1f} {n_docs / run.wall:8.2f} {speedup}")


def _align_help() -> str:
    done = subprocess.run([sys.executable, "-m", "npfterm", "align", "--help"], capture_output=True, text=True)
    return done.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=("scaling", "large", "folder"), help="one part only")
    ap.add_argument("--modes", default="lexical,hybrid", help="comma-separated: lexical,hybrid (default both)")
    ap.add_argument("-n", type=int, default=5000, help="Chinese sentences in the n input (default 5000)")
    ap.add_argument("--copies", type=int, default=1, help="folder mode: each MAC-Dev pair this many times (default 1)")
    ap.add_argument("--quick", action="store_true", help="n = 2500, no large case, lexical folder run")
    ap.add_argument("--distinct", action="store_true",
                    help="tag each document copy so no sentence repeats (the encoder's real cost and memory)")
    args = ap.parse_args()
    if not all((MAC / lang / doc).is_file() for lang in ("zh", "en") for doc in MAC_DOCS):
        print(f"speed.py: MAC-Dev not found at {MAC.resolve()}; skipped")
        return 0
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    parts = [args.only] if args.only else ["scaling", "folder"] + ([] if args.quick else ["large"])
    n = 2500 if args.quick else args.n
    with tempfile.TemporaryDirectory(prefix="npfterm-speed-") as name:
        tmp = Path(name)
        for part in parts:
            if part == "scaling":
                scaling(n, modes, tmp, args.distinct)
            elif part == "large":
                large(modes, tmp, args.distinct)
            else:
                folder(["lexical"] if args.quick else modes, tmp, args.copies)
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
