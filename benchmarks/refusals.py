"""How fast npfterm refuses what it must refuse: endless input, huge queries, a wrong --dask address.

    python benchmarks/refusals.py
    python benchmarks/refusals.py --repeat 5

Each case runs as a fresh ``python -m npfterm`` process (start-up included)
and is timed from launch to exit; the table shows the exit code, the median
wall time over ``--repeat`` runs and the first line of stderr.  Issue 16's
acceptance figures are the first two rows: ``import /dev/zero -f jsonl``
within 2 s, a 1 MB lookup query within 0.5 s.

A 1 MB query cannot be an argument of a real process (Linux caps one
argument at 128 KiB), so that row runs ``npfterm lookup`` in this process
through typer's runner, after a warm-up that loads the CLI; the 100 KB row is
a real process.  ``npfterm --version`` is the start-up baseline.
"""

from __future__ import annotations

import argparse
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]


def process(*args: str) -> Callable[[], tuple[int, str]]:
    def run() -> tuple[int, str]:
        proc = subprocess.run([sys.executable, "-m", "npfterm", *args], capture_output=True, text=True, timeout=600)
        return proc.returncode, (proc.stderr.splitlines() or [""])[0]

    return run


def in_process(*args: str) -> Callable[[], tuple[int, str]]:
    from typer.testing import CliRunner

    from npfterm.cli import app

    runner = CliRunner()
    runner.invoke(app, ["--version"])  # warm-up: the CLI modules are loaded

    def run() -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, (result.stderr.splitlines() or [""])[0]

    return run


def timed(run: Callable[[], tuple[int, str]], repeat: int) -> tuple[int, float, str]:
    times, code, line = [], 0, ""
    for _ in range(repeat):
        start = time.perf_counter()
        code, line = run()
        times.append(time.perf_counter() - start)
    return code, statistics.median(times), line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "s.db")
        glossary = Path(tmp) / "g.csv"
        glossary.write_text("zh,en\n新质生产力,new productive forces\n", encoding="utf-8")
        subprocess.run([sys.executable, "-m", "npfterm", "import", str(glossary), "--db", db], check=True, capture_output=True)
        docs = Path(tmp) / "docs"
        docs.mkdir()
        for name in ("a.txt", "b.txt"):
            (docs / name).write_text("新质生产力。\nNew productive forces.\n", encoding="utf-8")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        cases = [
            ("import /dev/zero -f jsonl", process("import", "/dev/zero", "-f", "jsonl", "--db", db)),
            ("lookup, 1 MB query (in process)", in_process("lookup", "zhong" * 200_000, "--db", db)),
            ("lookup, 100 KB query", process("lookup", "zhong" * 20_000, "--db", db)),
            ("align DIR --dask http://… (a web server)",
             process("align", str(docs), "--no-store", "--dask", f"tcp://127.0.0.1:{server.server_port}")),
            ("npfterm --version (start-up)", process("--version")),
        ]
        print(f"{'case':<44} {'exit':>4} {'median s':>9}  first line of stderr")
        for label, run in cases:
            code, seconds, line = timed(run, args.repeat)
            print(f"{label:<44} {code:>4} {seconds:>9.2f}  {line[:100]}")
        server.shutdown()


if __name__ == "__main__":
    main()
