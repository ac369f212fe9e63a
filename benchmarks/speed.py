#!/usr/bin/env python
"""Speed and memory, every figure of issue 17 side by side in one run.

    python benchmarks/speed.py                    # everything (about 30–40 minutes on 2 shared cores)
    python benchmarks/speed.py --quick            # smaller sizes, a few minutes
    python benchmarks/speed.py --only threads     # or: scaling, folder, import, lexical (comma-separated)
    python benchmarks/speed.py --only scaling --sizes 8000,16000,32000,64000 --modes hybrid
    HUNALIGN=/path/to/hunalign python benchmarks/speed.py --only lexical

Parts, each in fresh subprocesses (peak RSS and CPU from ``os.wait4``):

threads   MAC-Dev (six chapters), hybrid, ``npfterm align DIR --sentences --workers 1``: CPU time with
          the defaults and with ``OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1``; then the per-document CPU
          time (``DocResult.cpu_seconds``) in one process and in a pool of two workers.
scaling   one interleaved document of n line pairs (a Chinese line, then its English line) for each
          size: MAC-Dev's gold beads, every copy's sentences tagged so nothing repeats (the encoder's real
          cost is in the figures); align time inside the process, wall time, peak RSS, and the
          time(2n)/time(n) and RSS ratios.
folder    the six MAC-Dev pairs (``--copies`` times) with ``--workers 1`` and ``2``, with and without the store.
import    a synthetic CSV glossary of ``--import-mb`` MB through ``npfterm import``: MB/s and peak RSS.
lexical   lexical mode on the six MAC-Dev chapters (align time, in one process, loading excluded)
          against Hunalign on the same sentences (MAC-Dev's ``.tok`` files, a dictionary written from
          CC-CEDICT), when ``HUNALIGN``/``--hunalign`` names its binary; skipped otherwise.

Data is read from ../shared and never copied into the repository; without it the script says so and
exits 0.  Timings on a shared machine are noisy: compare ratios within one run; memory is reliable.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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
TIMEOUT = 3 * 3600
PARTS = ("threads", "scaling", "folder", "import", "lexical")

# Acceptance figures (issue 17)
THREADS_RATIO = 1.2
SCALING_RATIO = 2.1
RSS_RATIO = 1.2
RSS_64K_MB = 1536
FOLDER_SPEEDUP = 1.5
IMPORT_RSS_MB = 400
HUNALIGN_RATIO = 2.0


@dataclass(frozen=True)
class Run:
    """One subprocess: wall time, CPU time and peak RSS seen from outside, its last stdout line as JSON."""

    wall: float
    cpu: float
    rss_mb: float
    figures: dict[str, float]
    error: str = ""


def run_measured(
    args: list[str], env: dict[str, str] | None = None, timeout: float = TIMEOUT, cwd: Path | None = None
) -> Run:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env, cwd=cwd)
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
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    cpu = usage.ru_utime + usage.ru_stime
    rss_mb = usage.ru_maxrss / 1024  # KiB on Linux
    if code != 0:
        tail = stderr.strip().splitlines()[-1:] or [f"exit {code}"]
        return Run(wall, cpu, rss_mb, {}, "timeout" if wall > timeout else tail[0])
    lines = stdout.strip().splitlines()
    figures = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return Run(wall, cpu, rss_mb, figures)


def env_with(tmp: Path, **extra: str) -> dict[str, str]:
    """No benchmark run may touch the user's store."""
    return {**os.environ, "NPFTERM_DB": str(tmp / "bench.db"), **extra}


def verdict(ok: bool, target: str) -> str:
    return "ok" if ok else f"NOT MET ({target})"


# --- threads ---------------------------------------------------------------------------

_PER_DOC = r"""
import json, sys
from npfterm.alignment.document import AlignOptions
from npfterm.batch import AlignJob, discover, process_pool, run_batch, warm
folder, workers = sys.argv[1], int(sys.argv[2])
job = AlignJob(AlignOptions(mode="hybrid"), sentences=True)
docs = discover([folder])
if workers == 1:
    warm("hybrid")
    results = list(run_batch(docs, job))
else:
    with process_pool(workers, "hybrid") as pool:
        results = list(run_batch(docs, job, pool))
assert all(r.ok for r in results), [r.error for r in results]
print(json.dumps({"cpu": sum(r.cpu_seconds for r in results)}))
"""


def threads(tmp: Path) -> None:
    print("\nThreads: MAC-Dev (6 chapters), hybrid, one process (npfterm align DIR --sentences --workers 1 --no-store)")
    args = [sys.executable, "-m", "npfterm", "align", str(MAC), "--sentences", "--workers", "1", "--no-store",
            "-f", "jsonl", "-o", f"{tmp}/threads-out/"]
    single = run_measured(args, env=env_with(tmp))
    forced = run_measured(args, env=env_with(tmp, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1"))
    print("  environment                               wall     CPU")
    for label, run in (("defaults", single), ("OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1", forced)):
        print(f"  {label:<40} {run.wall:6.1f} {run.cpu:7.1f}" + (f"  FAILED: {run.error}" if run.error else ""))
    if not (single.error or forced.error):
        ratio = single.cpu / forced.cpu
        print(f"  CPU(defaults)/CPU(one thread) = {ratio:.2f} ({verdict(ratio <= THREADS_RATIO, f'≤ {THREADS_RATIO}')})")
    print("  per-document CPU (DocResult.cpu_seconds), summed over the six chapters:")
    runs = {w: run_measured([sys.executable, "-c", _PER_DOC, str(MAC), str(w)], env=env_with(tmp)) for w in (1, 2)}
    for w, run in runs.items():
        where = "one process" if w == 1 else "pool of 2 workers"
        print(f"    {where:<18} {run.figures.get('cpu', float('nan')):6.1f} s" + (f"  FAILED: {run.error}" if run.error else ""))
    if not any(r.error for r in runs.values()):
        print(f"    one process / pool = {runs[1].figures['cpu'] / runs[2].figures['cpu']:.2f}")


# --- scaling -----------------------------------------------------------------------------

_ALIGN_ONE = r"""
import json, sys, time
t0 = time.perf_counter()
from npfterm.alignment.document import AlignOptions, align_text
from npfterm.batch import warm
from npfterm.pipeline import load_bilingual
path, mode = sys.argv[1:3]
warm(mode)
t1 = time.perf_counter()
text = load_bilingual([path], max_bytes=1 << 30)  # read, parse and split count as aligning
alignment = align_text(text, AlignOptions(mode=mode))
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "align": t2 - t1, "zh": len(alignment.zh), "en": len(alignment.en),
                  "beads": len(alignment.beads)}))
"""

_STEMS = "甲乙丙丁戊己庚辛壬癸"


def copy_tags(k: int) -> tuple[str, str]:
    """Tags that make the k-th copy's sentences distinct: (Chinese, English), no digits (no numeral evidence)."""
    zh = "".join(_STEMS[int(d)] for d in f"{k:03d}")
    en = "".join(chr(ord("a") + (k // 26**i) % 26) for i in (2, 1, 0))
    return f"（{zh}）", f"({en}) "


def gold_line_pairs() -> list[tuple[list[str], list[str]]]:
    """MAC-Dev's gold beads with both sides, as (Chinese sentences, English sentences)."""
    sys.path.insert(0, str(ROOT / "src"))
    from npfterm.evaluate import parse_beads

    pairs = []
    for doc in MAC_DOCS:
        zh = (MAC / "zh" / doc).read_text(encoding="utf-8").splitlines()
        en = (MAC / "en" / doc).read_text(encoding="utf-8").splitlines()
        for a, b in parse_beads((MAC / "gold" / f"{doc}.align").read_text(encoding="utf-8")):
            if a and b:
                pairs.append(([zh[i] for i in a], [en[j] for j in b]))
    return pairs


def write_interleaved(path: Path, n: int, pairs: list[tuple[list[str], list[str]]]) -> None:
    """``n`` line pairs, each a Chinese line and its English line, every copy's sentences tagged."""
    with path.open("w", encoding="utf-8") as fh:
        for k in range(n):
            copy, (zh, en) = divmod(k, len(pairs))[0], pairs[k % len(pairs)]
            tz, te = copy_tags(copy)
            # tags go before each sentence: after its full stop a tag would split off as a sentence of its own
            fh.write("".join(tz + s for s in zh) + "\n" + " ".join(te + s for s in en) + "\n")


def scaling(sizes: list[int], modes: list[str], tmp: Path) -> None:
    pairs = gold_line_pairs()
    print(f"\nScaling: one interleaved document of n line pairs (MAC-Dev gold beads, nothing repeats)")
    print("  mode      n pairs      zh × en           align     wall   RSS MB   t(n)/t(n/2)  RSS(n)/RSS(n/2)")
    for mode in modes:
        prev: Run | None = None
        runs: dict[int, Run] = {}
        for n in sizes:
            path = tmp / f"interleaved-{n}.txt"
            write_interleaved(path, n, pairs)
            run = run_measured([sys.executable, "-c", _ALIGN_ONE, str(path), mode], env=env_with(tmp))
            path.unlink()
            runs[n] = run
            if run.error:
                print(f"  {mode:<8} {n:>8,}  FAILED: {run.error}")
                prev = None
                continue
            f = run.figures
            ratios = ""
            if prev is not None:
                ratios = f"   {f['align'] / prev.figures['align']:10.2f}  {run.rss_mb / prev.rss_mb:15.2f}"
            print(f"  {mode:<8} {n:>8,}  {int(f['zh']):>7,} × {int(f['en']):<7,} {f['align']:8.1f} {run.wall:8.1f} "
                  f"{run.rss_mb:8,.0f}{ratios}")
            prev = run
            sys.stdout.flush()
        ok = [n for n in sizes if not runs[n].error]
        steps = [(a, b) for a, b in zip(ok, ok[1:]) if b == 2 * a]
        if steps:
            worst = max(runs[b].figures["align"] / runs[a].figures["align"] for a, b in steps)
            print(f"  {mode}: worst time(2n)/time(n) = {worst:.2f} ({verdict(worst <= SCALING_RATIO, f'≤ {SCALING_RATIO}')})")
        if 16_000 in ok and 32_000 in ok:
            r = runs[32_000].rss_mb / runs[16_000].rss_mb
            print(f"  {mode}: RSS(32k)/RSS(16k) = {r:.2f} ({verdict(r <= RSS_RATIO, f'≤ {RSS_RATIO}')})")
        if 64_000 in ok:
            rss = runs[64_000].rss_mb
            print(f"  {mode}: 64k pairs peak {rss:,.0f} MB ({verdict(rss < RSS_64K_MB, f'< {RSS_64K_MB} MB')})")


# --- folder --------------------------------------------------------------------------------


def folder(modes: list[str], tmp: Path, copies: int) -> None:
    corpus = tmp / f"mac-folder-{copies}"
    corpus.mkdir()
    for k in range(copies):
        for doc in MAC_DOCS:
            name = doc if copies == 1 else f"{doc}-{k}"
            for lang in ("zh", "en"):
                (corpus / f"{name}.{lang}.txt").write_bytes((MAC / lang / doc).read_bytes())
    n_docs = copies * len(MAC_DOCS)
    print(f"\nFolder: {n_docs} MAC-Dev pairs, npfterm align DIR --sentences -f jsonl -o OUT/ (CPUs: {os.cpu_count()})")
    print("  mode      store       workers    wall   docs/s   speed-up")
    for mode in modes:
        for store in ("--no-store", "store"):
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
            if len(walls) == 2 and store == "store":
                s = walls[1] / walls[2]
                print(f"  {mode}: speed-up with the store {s:.2f}× ({verdict(s >= FOLDER_SPEEDUP, f'≥ {FOLDER_SPEEDUP}×')})")


# --- import --------------------------------------------------------------------------------


def write_glossary(path: Path, megabytes: int) -> int:
    """A CSV glossary of about ``megabytes`` MB: CC-CEDICT headwords and glosses, numbered so every row is distinct.

    Returns the row count.
    """
    sys.path.insert(0, str(ROOT / "src"))
    from npfterm.text.lexicon import load_cedict_entries

    entries = [(word, entry.senses[0]) for word, entry in load_cedict_entries().items() if entry.senses]
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("zh,en,note\n")
        while fh.tell() < megabytes * 1024 * 1024:
            word, sense = entries[rows % len(entries)]
            copy = rows // len(entries)
            en = sense.replace('"', "'")
            fh.write(f'{word}{copy or ""},"{en}{f" {copy}" if copy else ""}",synthetic glossary row {rows}\n')
            rows += 1
    return rows


def import_part(tmp: Path, megabytes: int) -> None:
    path = tmp / "glossary.csv"
    rows = write_glossary(path, megabytes)
    size_mb = path.stat().st_size / 1024 / 1024
    print(f"\nImport: a {size_mb:.0f} MB CSV glossary ({rows:,} rows), npfterm import FILE --db NEW")
    args = [sys.executable, "-m", "npfterm", "import", str(path), "--db", str(tmp / "import.db"), "--max-size", "4096"]
    run = run_measured(args, env=env_with(tmp))
    path.unlink()
    if run.error:
        print(f"  FAILED: {run.error} (peak {run.rss_mb:,.0f} MB after {run.wall:.0f} s)")
        return
    if megabytes >= 100:
        target = verdict(run.rss_mb < IMPORT_RSS_MB, f"< {IMPORT_RSS_MB} MB for 100 MB")
    else:
        target = f"the target, < {IMPORT_RSS_MB} MB, is for 100 MB"
    print(
        f"  wall {run.wall:.1f} s, {size_mb / run.wall:.2f} MB/s; CPU {run.cpu:.1f} s, {size_mb / run.cpu:.2f} MB per CPU second;"
        f" peak RSS {run.rss_mb:,.0f} MB ({target})"
    )


# --- lexical vs Hunalign -------------------------------------------------------------------

_LEXICAL = r"""
import json, sys, time
from npfterm.alignment.document import AlignOptions, align_text
from npfterm.batch import warm
from npfterm.text.parse import bilingual_from_sentence_lines
folder, docs = sys.argv[1], sys.argv[2].split(",")
c0 = time.process_time()
warm("lexical")
load = time.process_time() - c0
texts = [bilingual_from_sentence_lines(open(f"{folder}/zh/{d}", encoding="utf-8").read(),
                                       open(f"{folder}/en/{d}", encoding="utf-8").read()) for d in docs]
t, c = time.perf_counter(), time.process_time()
for text in texts:
    align_text(text, AlignOptions(mode="lexical"))
print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - c, "load": load}))
"""


def hunalign_dictionary(path: Path) -> int:
    """CC-CEDICT as a Hunalign dictionary (``english @ chinese``, one line per sense word); returns lines."""
    sys.path.insert(0, str(ROOT / "src"))
    from npfterm.text.lexicon import load_cedict_entries, sense_stems

    lines = 0
    with path.open("w", encoding="utf-8") as fh:
        for word, entry in load_cedict_entries().items():
            for sense in entry.senses:
                for stem in dict.fromkeys(sense_stems(sense)):
                    fh.write(f"{stem} @ {word}\n")
                    lines += 1
    return lines


def lexical(tmp: Path, hunalign: str | None) -> None:
    print("\nLexical fast path: six MAC-Dev chapters, align time in one process (loading excluded)")
    ours = run_measured([sys.executable, "-c", _LEXICAL, str(MAC), ",".join(MAC_DOCS)], env=env_with(tmp))
    if ours.error:
        print(f"  npfterm lexical FAILED: {ours.error}")
        return
    print(f"  npfterm --mode lexical          wall {ours.figures['wall']:6.2f} s   CPU {ours.figures['cpu']:6.2f} s"
          f"   (+ {ours.figures['load']:.2f} s CPU loading the dictionary and jieba, once)")
    if not hunalign or not Path(hunalign).is_file():
        print("  Hunalign: not built (set HUNALIGN or --hunalign to its binary); ratio skipped")
        return
    dic = tmp / "cedict.hunalign.dic"
    hunalign_dictionary(dic)
    wall = cpu = 0.0
    for doc in MAC_DOCS:
        run = run_measured([hunalign, str(dic), str(MAC / "zh" / f"{doc}.tok"), str(MAC / "en" / f"{doc}.tok")], cwd=tmp)
        if run.error:
            print(f"  Hunalign FAILED on {doc}: {run.error}")
            return
        wall, cpu = wall + run.wall, cpu + run.cpu
    print(f"  Hunalign (CC-CEDICT dictionary) wall {wall:6.2f} s   CPU {cpu:6.2f} s   (loads its dictionary per document)")
    null = tmp / "null.dic"
    null.write_text("", encoding="utf-8")
    bare = sum(
        run_measured([hunalign, str(null), str(MAC / "zh" / f"{doc}.tok"), str(MAC / "en" / f"{doc}.tok")], cwd=tmp).cpu
        for doc in MAC_DOCS
    )
    print(f"  Hunalign (empty dictionary)                     CPU {bare:6.2f} s")
    ratio = ours.figures["cpu"] / cpu
    print(f"  lexical / Hunalign CPU = {ratio:.1f} ({verdict(ratio <= HUNALIGN_RATIO, f'≤ {HUNALIGN_RATIO}')}); "
          f"with our loading {(ours.figures['cpu'] + ours.figures['load']) / cpu:.1f}; "
          f"against Hunalign without a dictionary {ours.figures['cpu'] / max(bare, 1e-3):.0f}")


# --- main ------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", help=f"comma-separated parts: {', '.join(PARTS)}")
    ap.add_argument("--modes", default="hybrid", help="scaling and folder modes, comma-separated (default hybrid)")
    ap.add_argument("--sizes", default="8000,16000,32000,64000", help="scaling: line pairs per document")
    ap.add_argument("--copies", type=int, default=1, help="folder: each MAC-Dev pair this many times (default 1)")
    ap.add_argument("--import-mb", type=int, default=100, help="import: size of the CSV glossary (default 100)")
    ap.add_argument("--hunalign", default=os.environ.get("HUNALIGN"), help="Hunalign's binary (default: $HUNALIGN)")
    ap.add_argument("--quick", action="store_true", help="sizes 2000,4000, a 10 MB glossary")
    args = ap.parse_args()
    if not all((MAC / lang / doc).is_file() for lang in ("zh", "en") for doc in MAC_DOCS):
        print(f"speed.py: MAC-Dev not found at {MAC.resolve()}; skipped")
        return 0
    parts = [p.strip() for p in args.only.split(",")] if args.only else list(PARTS)
    unknown = set(parts) - set(PARTS)
    if unknown:
        ap.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    sizes = [2000, 4000] if args.quick else [int(s) for s in args.sizes.split(",")]
    import_mb = 10 if args.quick else args.import_mb
    with tempfile.TemporaryDirectory(prefix="npfterm-speed-") as name:
        tmp = Path(name)
        for part in parts:
            if part == "threads":
                threads(tmp)
            elif part == "scaling":
                scaling(sizes, modes, tmp)
            elif part == "folder":
                folder(modes, tmp, args.copies)
            elif part == "import":
                import_part(tmp, import_mb)
            else:
                lexical(tmp, args.hunalign)
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
