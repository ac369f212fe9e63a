"""Large inputs: what ``npfterm align`` and ``npfterm import`` do with 200 MB, how fast, in how much memory.

    python benchmarks/large_input.py                # 200 MB text, TMX and JSONL; 10 MB CSV glossary
    python benchmarks/large_input.py --mb 50 --csv-mb 0
    python benchmarks/large_input.py --keep /tmp/large   # keep the generated files and stores

Builds, in a temporary folder, a bilingual text file (Chinese and English
lines alternating), a TMX memory and a JSON Lines file of beads of the same
size and a CSV glossary, then
runs each case as a fresh ``python -m npfterm`` process and reports its exit
code, wall time, peak RSS (``os.wait4``'s ``ru_maxrss``) and the first line
of its stderr:

- ``align FILE`` with the default limit (64 MB): refused from the file's size
  before it is read, so in the time and memory of start-up;
- ``align -`` with the text piped to stdin: refused after reading at most
  limit + 1 bytes (the script counts what the pipe took before it closed);
- ``import`` of the TMX with the default limit (256 MB): accepted, parsed as
  it is read and stored in one transaction; memory grows with the pairs kept
  (about twice the file) rather than the file's parse tree;
- ``import`` of the TMX with ``--max-size 100``: refused at once;
- ``import`` of the JSON Lines beads: read a line at a time, like the TMX;
- ``import`` of the CSV glossary: glossaries are read whole (column detection
  looks at every row), so this shows their memory per MB.

A baseline (``npfterm --version``) gives start-up time and memory to compare with.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
ZH = "第{i}句：我们要加快建设现代化产业体系，发展新质生产力，推动高质量发展。"
EN = "Sentence {i}: we must speed up building a modern industrial system and develop new-quality productive forces."


@dataclass
class Run:
    case: str
    code: int
    seconds: float
    rss_mb: float
    stderr: str
    note: str = ""


def write_sized(path: Path, size: int, head: str, item: str, tail: str) -> int:
    """Write ``head``, numbered ``item``s until ``size`` bytes, then ``tail``; the number of items."""
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(head)
        written = len(head.encode("utf-8"))
        target = size - len(tail.encode("utf-8"))
        while written < target:
            block = "".join(item.format(i=i) for i in range(n, n + 1000))
            fh.write(block)
            written += len(block.encode("utf-8"))
            n += 1000
        fh.write(tail)
    return n


def build(folder: Path, mb: int, csv_mb: int) -> dict[str, tuple[Path, int]]:
    files = {}
    text = folder / "big.txt"
    files["text"] = (text, write_sized(text, mb * MIB, "", ZH + "\n" + EN + "\n", ""))
    tmx = folder / "big.tmx"
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n<header srclang="zh-CN" creationtool="large_input.py"/>\n<body>\n'
    unit = f'<tu>\n<tuv xml:lang="zh-CN"><seg>{ZH}</seg></tuv>\n<tuv xml:lang="en-US"><seg>{EN}</seg></tuv>\n</tu>\n'
    files["tmx"] = (tmx, write_sized(tmx, mb * MIB, head, unit, "</body>\n</tmx>\n"))
    jsonl = folder / "big.jsonl"
    record = '{{"zh": "' + ZH + '", "en": "' + EN + '", "zh_ids": [{i}], "en_ids": [{i}], "score": 0.9}}\n'
    files["jsonl"] = (jsonl, write_sized(jsonl, mb * MIB, "", record, ""))
    if csv_mb:
        glossary = folder / "glossary.csv"
        row = "术语{i}号现代化产业体系,modern industrial system number {i},a note about row {i}\n"
        files["csv"] = (glossary, write_sized(glossary, csv_mb * MIB, "zh,en,note\n", row, ""))
    return files


def run(case: str, args: list[str], *, stdin_file: Path | None = None, cwd: Path) -> Run:
    """One fresh ``python -m npfterm`` process; with ``stdin_file``, the file is piped in until the pipe closes."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "npfterm", *args], cwd=cwd,
        stdin=subprocess.PIPE if stdin_file else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    fed = [0]
    feeder = None
    if stdin_file is not None:

        def feed() -> None:
            assert proc.stdin is not None
            try:
                with stdin_file.open("rb") as fh:
                    while chunk := fh.read(MIB):
                        proc.stdin.write(chunk)
                        fed[0] += len(chunk)
                proc.stdin.close()
            except (BrokenPipeError, OSError):
                pass

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if feeder is not None:
        feeder.join(5)
    first = next((line for line in err.splitlines() if line.strip()), "")
    note = f"stdin took {fed[0] / MIB:.0f} of {stdin_file.stat().st_size / MIB:.0f} MB" if stdin_file else ""
    return Run(case, proc.returncode, seconds, usage.ru_maxrss / 1024, first, note)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=200, help="size of the text and the TMX file (default 200)")
    parser.add_argument("--csv-mb", type=int, default=10, help="size of the CSV glossary, 0 for none (default 10)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="npfterm-large-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        t = time.perf_counter()
        files = build(folder, args.mb, args.csv_mb)
        print(f"built in {time.perf_counter() - t:.1f} s in {folder}:")
        for kind, (path, items) in files.items():
            print(f"  {path.name}: {path.stat().st_size / MIB:.0f} MB, {items:,} {'line pairs' if kind == 'text' else 'rows' if kind == 'csv' else 'units'}")
        text, tmx = files["text"][0], files["tmx"][0]
        for db in folder.glob("*.db*"):
            db.unlink()
        # the default limits (align 64 MB, import 256 MB) unless the files are small
        limit = ["--max-size", str(max(1, args.mb // 2))] if args.mb < 128 else []
        refuse = max(1, args.mb // 2)
        runs = [
            run("baseline: npfterm --version", ["--version"], cwd=folder),
            run("align FILE", ["align", str(text), "--db", "a.db", "--mode", "lexical", *limit], cwd=folder),
            run("align - < FILE", ["align", "-", "--db", "a.db", "--mode", "lexical", *limit], stdin_file=text, cwd=folder),
            run(f"import TMX --max-size {refuse}", ["import", str(tmx), "--db", "refused.db", "--max-size", str(refuse)], cwd=folder),
            run("import TMX", ["import", str(tmx), "--db", "tm.db"], cwd=folder),
            run("import JSONL", ["import", str(files["jsonl"][0]), "--db", "jsonl.db"], cwd=folder),
        ]
        if "csv" in files:
            runs.append(run(f"import CSV glossary ({args.csv_mb} MB)", ["import", str(files["csv"][0]), "--db", "g.db"], cwd=folder))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    print(f"\npython {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}\n")
    width = max(len(r.case) for r in runs)
    print(f"{'case':<{width}}  exit  wall s  peak RSS MB  stderr (first line)")
    for r in runs:
        print(f"{r.case:<{width}}  {r.code:>4}  {r.seconds:>6.1f}  {r.rss_mb:>11.0f}  {r.stderr}")
        if r.note:
            print(f"{'':<{width}}  {'':>4}  {'':>6}  {'':>11}  ({r.note})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
