"""``npfterm lookup`` latency on a large store: median wall time of cold processes.

    python benchmarks/lookup_speed.py                       # 1,000,000 beads, 100,000 terms
    python benchmarks/lookup_speed.py --beads 100000 --terms 10000 --runs 9
    python benchmarks/lookup_speed.py --db /tmp/big.sqlite  # build once, reuse on later runs

The store is synthetic but shaped like a real one: sentences are runs of
CC-CEDICT headwords, their English the words' first senses; terms are
two-headword compounds with their glosses and pinyin; one bead in a hundred
holds one of the first thousand terms, so lookups have examples to show.
Beads go in through ``Store.add_pairs`` (one transaction per 10,000-bead
document), terms through ``Store.add_terms``.

Each query (Chinese, English, pinyin) runs once to warm the page cache, then
``--runs`` times as a fresh ``npfterm lookup … --json`` process; the median
wall time is reported beside ``npfterm --version`` (interpreter and CLI start-up
alone) and the in-process ``Store.lookup`` time.  Target: median < 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOC_BEADS = 10_000


def vocabulary(limit: int = 60_000) -> list[tuple[str, str, str]]:
    """(headword, English gloss, numbered pinyin) for short CC-CEDICT words with a plain first sense."""
    from npfterm.text.lexicon import clean_sense, load_cedict_entries

    out = []
    for head, entry in load_cedict_entries().items():
        if 2 <= len(head) <= 3 and entry.senses:
            sense = clean_sense(entry.senses[0])
            if sense and sense.isascii() and len(sense) <= 24 and ";" not in sense:
                out.append((head, sense, entry.pinyin[0]))
        if len(out) >= limit:
            break
    return out


def make_terms(vocab: list[tuple[str, str, str]], n: int, rnd: random.Random):  # type: ignore[no-untyped-def]
    from npfterm.lookup import numbered_to_marks
    from npfterm.models import TermPair

    seen: set[str] = set()
    terms = []
    while len(terms) < n:
        (za, ea, pa), (zb, eb, pb) = rnd.sample(vocab, 2)
        if za + zb in seen:
            continue
        seen.add(za + zb)
        pinyin = f"{numbered_to_marks(pa)} {numbered_to_marks(pb)}"
        terms.append(TermPair(za + zb, f"{ea} {eb}", "aligned", round(rnd.uniform(0.5, 1.0), 4), rnd.randint(1, 9), pinyin))
    return terms


def make_beads(vocab, terms, n: int, rnd: random.Random):  # type: ignore[no-untyped-def]
    from npfterm.models import AlignedPair

    for i in range(n):
        words = rnd.sample(vocab, rnd.randint(6, 12))
        zh = [w[0] for w in words]
        en = [w[1] for w in words]
        if i % 100 == 0:  # one bead in a hundred holds one of the first thousand terms
            t = terms[(i // 100) % 1000]
            at = rnd.randrange(len(words))
            zh.insert(at, t.zh)
            en.insert(at, t.en)
        yield AlignedPair("".join(zh) + "。", " ".join(en).capitalize() + ".", (i % DOC_BEADS,), (i % DOC_BEADS,), 0.9)


def build(path: Path, n_beads: int, n_terms: int, seed: int = 7) -> list:  # type: ignore[type-arg]
    from npfterm.store.db import Store

    rnd = random.Random(seed)
    vocab = vocabulary()
    terms = make_terms(vocab, n_terms, rnd)
    start = time.perf_counter()
    with Store.open(path) as store:
        if len(store.documents()) * DOC_BEADS < n_beads:
            beads = make_beads(vocab, terms, n_beads, rnd)
            for d in range(0, n_beads, DOC_BEADS):
                chunk = [next(beads) for _ in range(min(DOC_BEADS, n_beads - d))]
                store.add_pairs(chunk, name=f"synthetic-{d // DOC_BEADS:04d}.txt", content_hash=f"synthetic-{seed}-{d}")
                if d and d % 200_000 == 0:
                    print(f"  {d:,} beads, {time.perf_counter() - start:.0f} s", flush=True)
            store.add_terms(terms)
    print(f"built {path} in {time.perf_counter() - start:.0f} s: {n_beads:,} beads, {n_terms:,} terms, "
          f"{path.stat().st_size / 1e6:.0f} MB")
    return terms


def cold(args: list[str], runs: int) -> list[float]:
    npfterm = str(Path(sys.executable).with_name("npfterm"))
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    subprocess.run([npfterm, *args], capture_output=True, env=env, check=False)  # warm the page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([npfterm, *args], capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"npfterm {' '.join(args)} failed: {done.stderr.decode()}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beads", type=int, default=1_000_000)
    parser.add_argument("--terms", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, default=None, help="store to build (or reuse if already built)")
    args = parser.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / f"npfterm-bench-{args.beads}-{args.terms}.sqlite"
    terms = build(path, args.beads, args.terms)

    from npfterm.lookup import pinyin_key  # noqa: F401  (checks the package imports before timing)
    from npfterm.store.db import Store

    probe = terms[3]
    queries = {
        "chinese": probe.zh,
        "english": probe.en,
        "pinyin": " ".join(pinyin_key(p) for p in probe.pinyin.split()),
    }
    base = cold(["--version"], args.runs)
    print(f"\nnpfterm --version (start-up only)    median {statistics.median(base):.3f} s")
    with Store.open(path) as store:
        for kind, q in queries.items():
            start = time.perf_counter()
            result = store.lookup(q, limit=10)
            warm = time.perf_counter() - start
            times = cold(["lookup", q, "--json", "--db", str(path)], args.runs)
            print(
                f"lookup {kind:<8} {q!r:<36} median {statistics.median(times):.3f} s "
                f"(min {min(times):.3f}, max {max(times):.3f}; in-process {warm:.3f} s; "
                f"{len(result.matches)} matches, {len(result.examples)} examples)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
