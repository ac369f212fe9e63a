"""Term extraction quality: recall and accuracy against gold term lists, per article and overall.

    python benchmarks/terms.py                  # hybrid alignment (the align/terms default)
    python benchmarks/terms.py --mode lexical
    python benchmarks/terms.py --show law       # also the gold pairs missed and every output row of one article

Articles: the seed article (gold in ``../shared/data/seed-gold``, outside the
repository; reported separately) and the articles under
``benchmarks/data/terms/`` (``NAME.txt`` + ``NAME.terms.tsv``, written for
this benchmark in the seed's style: economy, law, health, technology,
culture).

Definitions (the issue's): **recall** is the share of gold (zh, en) pairs
found among the output rows; **accuracy** is, of the output rows whose Chinese
side is a gold term, the share giving a gold English form; both compare
English as stem sequences (case- and inflection-tolerant).  **rows/gold** is
how many rows there are per gold pair.  Bars: seed recall ≥ 0.90, accuracy ≥
0.95, rows ≤ 2.5 × gold; new articles recall ≥ 0.80, accuracy ≥ 0.90 overall.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / ".." / "shared" / "data" / "seed-gold"
ARTICLES = ROOT / "benchmarks" / "data" / "terms"


@dataclass(frozen=True)
class Article:
    name: str
    text: Path
    gold: list[tuple[str, str]]


@dataclass(frozen=True)
class Result:
    name: str
    gold: int
    found: int
    on_gold: int
    right: int
    rows: int
    seconds: float

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def accuracy(self) -> float:
        return self.right / self.on_gold if self.on_gold else 0.0


def read_gold(path: Path) -> list[tuple[str, str]]:
    """(zh, en) pairs of a gold TSV with a header line."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [(cols[0], cols[1]) for cols in (line.split("\t") for line in lines if line.strip())]


def articles() -> tuple[Article | None, list[Article]]:
    """The seed article (None when its gold is absent) and the benchmark's own articles."""
    seed = None
    if (SEED / "seed.terms.tsv").is_file():
        seed = Article("seed", SEED / "seed.txt", read_gold(SEED / "seed.terms.tsv"))
    own = [
        Article(p.name[: -len(".terms.tsv")], p.with_name(p.name[: -len(".terms.tsv")] + ".txt"), read_gold(p))
        for p in sorted(ARTICLES.glob("*.terms.tsv"))
    ]
    return seed, own


def judge(rows: Sequence, gold: Sequence[tuple[str, str]]) -> tuple[int, int, int]:  # type: ignore[type-arg]
    """Gold pairs found, rows on a gold term, and rows on a gold term with a gold English form."""
    from npfterm.text.gloss import en_key

    forms: dict[str, set[tuple[str, ...]]] = {}
    for zh, en in gold:
        forms.setdefault(zh, set()).add(en_key(en))
    out = {(r.zh, en_key(r.en)) for r in rows}
    found = sum((zh, en_key(en)) in out for zh, en in gold)
    on_gold = [r for r in rows if r.zh in forms]
    right = sum(en_key(r.en) in forms[r.zh] for r in on_gold)
    return found, len(on_gold), right


def extract(article: Article, mode: str) -> tuple[list, float]:  # type: ignore[type-arg]
    """The term rows `npfterm terms` gives for an article, and the seconds it took."""
    from npfterm.alignment.document import AlignOptions
    from npfterm.pipeline import align_files
    from npfterm.terms.extract import extract_terms

    start = time.perf_counter()
    rows = extract_terms(align_files([str(article.text)], AlignOptions(mode=mode)))
    return rows, time.perf_counter() - start


def measure(article: Article, mode: str) -> tuple[Result, list]:  # type: ignore[type-arg]
    rows, seconds = extract(article, mode)
    found, on_gold, right = judge(rows, article.gold)
    return Result(article.name, len(article.gold), found, on_gold, right, len(rows), seconds), rows


def total(name: str, results: Sequence[Result]) -> Result:
    return Result(name, *(sum(getattr(r, f) for r in results) for f in ("gold", "found", "on_gold", "right", "rows", "seconds")))


def line(r: Result) -> str:
    return (
        f"  {r.name:<12} {r.recall:6.3f} ({r.found:>3}/{r.gold:<3})  {r.accuracy:6.3f} ({r.right:>3}/{r.on_gold:<3})"
        f"  {r.rows:>4}  {r.rows / r.gold if r.gold else 0:5.2f}  {r.seconds:5.1f}"
    )


def show(article: Article, rows: Sequence) -> None:  # type: ignore[type-arg]
    from npfterm.text.gloss import en_key

    forms: dict[str, set[tuple[str, ...]]] = {}
    for zh, en in article.gold:
        forms.setdefault(zh, set()).add(en_key(en))
    out = {(r.zh, en_key(r.en)) for r in rows}
    print(f"{article.name}: missed")
    for zh, en in article.gold:
        if (zh, en_key(en)) not in out:
            print(f"  {zh}\t{en}")
    print(f"{article.name}: rows (✓ gold pair, ✗ gold term with another English, · not a gold term)")
    for r in rows:
        mark = "·" if r.zh not in forms else ("✓" if en_key(r.en) in forms[r.zh] else "✗")
        print(f"  {mark} {r.zh}\t{r.en}\t{r.score:.2f}\t{r.count}\t{r.evidence}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--mode", default="hybrid", choices=("lexical", "hybrid"))
    parser.add_argument("--show", metavar="ARTICLE", action="append", default=[], help="print misses and rows of ARTICLE (repeatable; 'all')")
    args = parser.parse_args()
    seed, own = articles()
    if seed is None and not own:
        print("no gold found; nothing to measure")
        return 0
    print(f"term pairs against gold ({args.mode} alignment)")
    print(f"  {'article':<12} {'recall':>16}  {'accuracy':>16}  {'rows':>4}  {'×gold':>5}  {'s':>5}")
    results = []
    for article in ([seed] if seed else []) + own:
        result, rows = measure(article, args.mode)
        results.append(result)
        print(line(result))
        if article.name in args.show or "all" in args.show:
            show(article, rows)
    own_results = [r for r in results if r.name != "seed"]
    if own_results:
        print(line(total("new, overall", own_results)))
    print("  bars: seed recall ≥ .90, accuracy ≥ .95, rows ≤ 2.5 × gold; new articles overall recall ≥ .80, accuracy ≥ .90")
    return 0


if __name__ == "__main__":
    sys.exit(main())
