"""How long a review-page edit takes to save, and how long the term pairs take to follow.

    python benchmarks/review_speed.py                         # MAC-Dev chapter 001 from ../shared
    python benchmarks/review_speed.py --mac PATH --doc 003 --edits 20

A chapter (about 300 sentences a side) is aligned into a temporary store;
then ``--edits`` edits (unmatch a sentence, merge the beads back, confirm a
bead, in turn) go through ``ReviewSession.edit`` as the page sends them.
Printed: the median and the slowest edit (the beads are saved in one
transaction before the call returns), and the time the background worker
then needs to recompute the chapter's term pairs (jieba and the dictionary
are loaded already, by the alignment).  Skips cleanly when the MAC-Dev data
is absent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

MAC = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mac-dev"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mac", type=Path, default=MAC, help="the MAC-Dev folder (zh/ and en/ inside)")
    parser.add_argument("--doc", default="001", help="chapter name")
    parser.add_argument("--edits", type=int, default=15)
    args = parser.parse_args()
    zh, en = args.mac / "zh" / args.doc, args.mac / "en" / args.doc
    if not zh.is_file() or not en.is_file():
        print(f"skipped: no MAC-Dev chapter at {zh} and {en}")
        return 0

    from npfterm.alignment.document import AlignOptions
    from npfterm.pipeline import align_files
    from npfterm.review.session import ReviewSession
    from npfterm.store.db import Store
    from npfterm.store.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.db"
        alignment = align_files([str(zh), str(en)], AlignOptions(mode="hybrid"), sentences=True)
        with Store.open(db) as store:
            doc = ingest(alignment, [str(zh), str(en)], store).doc_id
        session = ReviewSession(db, settle=3600.0)  # terms only when asked: measured on their own
        times = []
        for k in range(args.edits):
            state = session.state(doc)  # type: ignore[arg-type]
            pair = next(p for p, b in enumerate(state["beads"]) if b["zh"] and b["en"] and p >= k)  # type: ignore[arg-type]
            bead = state["beads"][pair]  # type: ignore[index]
            op = [
                {"op": "unmatch", "lang": "en", "index": bead["en"][-1]},
                {"op": "confirm", "bead": pair},
                {"op": "split", "bead": pair, "lang": "zh", "index": bead["zh"][0]} if len(bead["zh"]) > 1 else {"op": "confirm", "bead": pair},
            ][k % 3]
            start = time.perf_counter()
            session.edit(doc, op)  # type: ignore[arg-type]
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        session.terms.wait(600)
        terms = time.perf_counter() - start
        session.close()
    print(f"chapter {args.doc}: {len(alignment.zh)} zh / {len(alignment.en)} en sentences, {len(alignment.beads)} beads")
    print(f"edit saved:     median {statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms ({len(times)} edits)")
    print(f"term pairs:     recomputed in {terms:.1f} s in the background, once the edits settle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
