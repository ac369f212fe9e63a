"""First lookup on a fresh install: `npfterm lookup 新质生产力` into an empty store, cold processes.

    python benchmarks/first_lookup.py            # 5 runs from the shipped snapshot, median wall time
    python benchmarks/first_lookup.py --align    # also 1 run that aligns the bundled text (no snapshot), for comparison

Each run is a new process with a new empty store, so it pays for Python's
start, the imports, loading the bundled article and the query.  The bar
(issue 14): under 2 s, both equivalents of 新质生产力, examples from gold beads.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERY = "新质生产力"
LOAD = """
import tempfile, time
from pathlib import Path
from npfterm.store.bundled import bootstrap, corpus_files
from npfterm.store.db import Store
with tempfile.TemporaryDirectory() as tmp:
    start = time.perf_counter()
    with Store.open(Path(tmp) / "fresh.sqlite") as store:
        done = bootstrap(store, corpus_files())
    print(f"{time.perf_counter() - start:.2f}")
"""


def one_run(env: dict[str, str]) -> tuple[float, dict]:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "npfterm", "lookup", QUERY, "--json", "--db", str(Path(tmp) / "fresh.sqlite")],
            capture_output=True, text=True, env=env, check=True,
        )
        return time.perf_counter() - start, json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--align", action="store_true", help="also time one run without a snapshot (the text aligned)")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("NPFTERM_CORPORA", None)
    times = []
    for _ in range(args.runs):
        seconds, data = one_run(env)
        times.append(seconds)
    found = sorted({m["en"] for m in data["matches"] if m["zh"] == QUERY})
    print(f"fresh store from the snapshot: median {statistics.median(times):.2f} s over {args.runs} cold runs "
          f"(min {min(times):.2f}, max {max(times):.2f}); {QUERY} → {found}")
    load = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, env=env, check=True).stdout.strip()
    print(f"loading the snapshot into a fresh store (in one process, imports excluded): {load} s")
    if args.align:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            corpus.mkdir()
            for text in (ROOT / "corpora").iterdir():
                shutil.copy(text, corpus / text.name)
                with open(corpus / text.name, "a", encoding="utf-8") as fh:
                    fh.write("\n")  # other bytes: the snapshot no longer matches
            seconds, data = one_run({**env, "NPFTERM_CORPORA": str(corpus)})
        print(f"fresh store aligning the text (hybrid, no snapshot): {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
