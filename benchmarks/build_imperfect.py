#!/usr/bin/env python
"""Build imperfect-translation documents with gold beads from a public test set.

    python benchmarks/build_imperfect.py --en newstest2019-enzh.en --zh newstest2019-enzh.zh --out /work/data/imperfect

Where the data comes from: WMT19 news translation task, newstest2019 en–zh
(English source, human Chinese reference; http://www.statmt.org/wmt19/, the
test sets are published for research).  A public copy of both sides, one
segment per line in document order, is in the GitHub repository
xiaoganmijiu/xgmj: ``newstest2019-enzh-ref.zh.sgm`` (plain lines despite the
name) and ``sort_md_en/newstest2019-enzh-src.en.{0,1}.md`` (lines separated by
blank CRLF lines; drop the blank ones).  newstest2020 en–zh is in the same
repository and makes a second, held-out set.  Keep the data outside this
repository (e.g. /work/data/wmt); nothing here downloads anything.

What it writes, per document ``NNN`` (consecutive segments cut into documents
of 10–60, then about 20 % of the Chinese and 8 % of the English segments
dropped at random, independently):

- ``NNN.zh.txt``, ``NNN.en.txt`` — two files, paragraphs of 2–5 segments
  (the same cut on both sides before dropping), one paragraph per line,
  blank line between paragraphs;
- ``NNN.en-first.txt``, ``NNN.zh-first.txt`` — one file, each English
  paragraph followed by its Chinese one (or the other way round);
- ``NNN.zh.sents``, ``NNN.en.sents`` — one segment per line (the gold
  segmentation, for ``--sentences``);
- ``NNN.gold`` — gold beads over the ``.sents`` lines in Vecalign's format
  (``[3]:[2]``, ``[4]:[]``, ``[]:[3]``).

With ``--seed DIR`` (the shared seed-gold folder) it also writes
``seed/seed.zh.txt`` and ``seed/seed.en.txt``: the seed article as two files,
its Chinese lines in one, its English lines in the other (the mixed line gives
its English opening to the English file), paragraphs kept.

The random draws use ``--random-seed`` (default 11) and nothing else, so the
same input gives the same files.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

DOC_SIZES = (10, 60)
PARAGRAPH_SIZES = (2, 5)
DROP_ZH = 0.20
DROP_EN = 0.08
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’)）]*$")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Document:
    """One imperfect document: kept (Chinese, English) segments per paragraph, and the gold beads."""

    paragraphs: list[tuple[list[str], list[str]]]
    gold: list[tuple[list[int], list[int]]]


def read_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]


def cut(n: int, sizes: tuple[int, int], rng: random.Random) -> list[tuple[int, int]]:
    """Consecutive [start, end) pieces of 0..n with lengths drawn from ``sizes`` (the last may be shorter)."""
    out = []
    start = 0
    while start < n:
        end = min(n, start + rng.randint(*sizes))
        out.append((start, end))
        start = end
    return out


def paragraph_cut(en: list[str], rng: random.Random) -> list[tuple[int, int]]:
    """Paragraphs of 2–5 segments; a segment without end punctuation (a headline) is a paragraph of its own."""
    out = []
    for start, end in cut(len(en), PARAGRAPH_SIZES, rng):
        k0 = start
        for k in range(start, end):
            if not _SENTENCE_END.search(en[k]):
                out.extend(p for p in ((k0, k), (k, k + 1)) if p[0] < p[1])
                k0 = k + 1
        if k0 < end:
            out.append((k0, end))
    return out


def make_document(zh: list[str], en: list[str], rng: random.Random) -> Document:
    """Paragraphs, then independent drops on each side; gold beads in document order."""
    keep_zh = [rng.random() >= DROP_ZH for _ in zh]
    keep_en = [rng.random() >= DROP_EN for _ in en]
    paragraphs: list[tuple[list[str], list[str]]] = []
    gold: list[tuple[list[int], list[int]]] = []
    zi = ei = 0
    for start, end in paragraph_cut(en, rng):
        paragraphs.append(
            ([zh[k] for k in range(start, end) if keep_zh[k]], [en[k] for k in range(start, end) if keep_en[k]])
        )
        for k in range(start, end):
            bead: tuple[list[int], list[int]] = ([], [])
            if keep_zh[k]:
                bead[0].append(zi)
                zi += 1
            if keep_en[k]:
                bead[1].append(ei)
                ei += 1
            if bead[0] or bead[1]:
                gold.append(bead)
    return Document(paragraphs, gold)


def format_bead(bead: tuple[list[int], list[int]]) -> str:
    zh, en = bead
    return f"[{','.join(map(str, zh))}]:[{','.join(map(str, en))}]"


def _write(path: Path, blocks: list[str], sep: str) -> None:
    path.write_text(sep.join(b for b in blocks if b) + "\n", encoding="utf-8")


def write_document(out: Path, name: str, doc: Document) -> None:
    """The three layouts, the pre-split files and the gold of one document."""
    zh_pars = ["".join(z) for z, _ in doc.paragraphs]
    en_pars = [" ".join(e) for _, e in doc.paragraphs]
    _write(out / f"{name}.zh.txt", zh_pars, "\n\n")
    _write(out / f"{name}.en.txt", en_pars, "\n\n")
    _write(out / f"{name}.en-first.txt", [x for e, z in zip(en_pars, zh_pars) for x in (e, z)], "\n\n")
    _write(out / f"{name}.zh-first.txt", [x for e, z in zip(en_pars, zh_pars) for x in (z, e)], "\n\n")
    _write(out / f"{name}.zh.sents", [s for z, _ in doc.paragraphs for s in z], "\n")
    _write(out / f"{name}.en.sents", [s for _, e in doc.paragraphs for s in e], "\n")
    _write(out / f"{name}.gold", [format_bead(b) for b in doc.gold], "\n")


def build(zh: list[str], en: list[str], out: Path, rng: random.Random) -> int:
    """Cut the parallel lines into documents and write each; returns how many."""
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for number, (start, end) in enumerate(cut(len(zh), DOC_SIZES, rng)):
        if end - start < DOC_SIZES[0]:
            continue  # the tail is too short to be a document
        write_document(out, f"{number:03d}", make_document(zh[start:end], en[start:end], rng))
        count += 1
    return count


def seed_two_files(seed_txt: Path, out: Path) -> None:
    """The seed article's Chinese and English lines as two files (a mixed line split where the Han text starts)."""
    zh_lines, en_lines = [], []
    for line in seed_txt.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        han = _HAN.search(line)
        han_share = len(_HAN.findall(line)) / max(1, len(re.sub(r"\s", "", line)))
        if han_share > 0.5 and han and line[: han.start()].strip() and line[: han.start()].strip().endswith(")"):
            en_lines.append(line[: han.start()].strip())
            zh_lines.append(line[han.start() :].strip())
        elif han_share > 0.3:
            zh_lines.append(line)
        else:
            en_lines.append(line)
    out.mkdir(parents=True, exist_ok=True)
    (out / "seed.zh.txt").write_text("\n\n".join(zh_lines) + "\n", encoding="utf-8")
    (out / "seed.en.txt").write_text("\n\n".join(en_lines) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--en", type=Path, required=True, help="English segments, one per line")
    ap.add_argument("--zh", type=Path, required=True, help="Chinese segments, one per line, parallel to --en")
    ap.add_argument("--out", type=Path, required=True, help="output folder (outside the package)")
    ap.add_argument("--seed", type=Path, help="the shared seed-gold folder: also write the seed as two files")
    ap.add_argument("--random-seed", type=int, default=11)
    args = ap.parse_args()
    zh, en = read_lines(args.zh), read_lines(args.en)
    if len(zh) != len(en):
        print(f"{args.zh} has {len(zh)} lines and {args.en} {len(en)}; they must be parallel", file=sys.stderr)
        return 1
    n = build(zh, en, args.out, random.Random(args.random_seed))
    print(f"wrote {n} documents from {len(zh)} segment pairs to {args.out}")
    if args.seed:
        seed_two_files(args.seed / "seed.txt", args.out / "seed")
        print(f"wrote the seed as two files to {args.out / 'seed'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
