"""Regenerate the shipped snapshots of the bundled corpus: ``python scripts/bundle_corpus.py``.

Aligns every text in ``corpora/`` in hybrid mode, extracts its terms as
``npfterm align`` does into a fresh store, and writes
``src/npfterm/data/aligned/NAME.json``.  Run it whenever the aligner, the
term extractor or a bundled text changes; ``tests/test_bundled.py`` fails
until you do.  ``--check`` only says whether the snapshots are current
(exit 1 if not).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 if a snapshot is stale")
    args = parser.parse_args()
    from npfterm.store.bundled import corpus_files, make_snapshot, snapshot_path, snapshot_text

    stale = 0
    texts = corpus_files(ROOT / "corpora")
    for text in texts:
        out = snapshot_path(text)
        new = snapshot_text(make_snapshot(text))
        old = out.read_text(encoding="utf-8") if out.is_file() else None
        if new == old:
            print(f"{out.relative_to(ROOT)}: current")
            continue
        stale += 1
        if args.check:
            print(f"{out.relative_to(ROOT)}: stale")
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(new, encoding="utf-8")
            print(f"{out.relative_to(ROOT)}: written")
    names = {snapshot_path(t).name for t in texts}
    for orphan in sorted(p for p in snapshot_path(ROOT / "x").parent.glob("*.json") if p.name not in names):
        stale += 1
        print(f"{orphan.relative_to(ROOT)}: no bundled text" + ("" if args.check else "; removed"))
        if not args.check:
            orphan.unlink()
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
