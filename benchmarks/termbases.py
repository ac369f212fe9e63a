"""Glossary import on real termbases: distinct (zh, en) pairs in each file against the pairs imported.

    python benchmarks/termbases.py [DIR]        # default: $NPFTERM_TERMBASES, else /work/data/termbases

The files are other projects' termbases, not in the repository; put them in
DIR under these names (a missing directory is reported and the script exits 0):

- ``kde-terms.tbx``: GitHub pan93412/kde-cn, ``terms.tbx`` @ 6c13e8d (KDE zh_CN terms, TBX 2008)
- ``slicer-weblate-zh_Hans.tbx``, ``slicer-weblate-zh_Hant.tbx``: GitHub Slicer/SlicerLanguageTranslations,
  ``glossary/zh_Hans.tbx`` and ``glossary/zh_Hant.tbx`` @ cc237421 (Weblate glossary exports)
- ``git-zh_TW.glossary.csv``: GitHub git-l10n/git-po, ``po/zh_TW.glossary.csv`` @ 31b3a130

"in file" is counted here, independently of npfterm's readers: for TBX, every
Chinese term of an entry with every English term of the same entry (lxml,
entities never expanded); for CSV, the two columns the table below names.
Terms are compared as written (surrounding space trimmed, Unicode NFC), so
``abort``/``aborting`` and ``lo fi``/``lo-fi`` are different pairs.  "imported"
is the count ``npfterm import`` reports, "in store" the term rows an empty
store holds afterwards.  The bar (issue 15): imported = in store = in file.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import unicodedata
from pathlib import Path

DEFAULT_DIR = Path(os.environ.get("NPFTERM_TERMBASES", "/work/data/termbases"))
# CSV glossaries: file name → (Chinese column header, English column header)
CSV_COLUMNS = {"git-zh_TW.glossary.csv": ("翻譯", "原文")}


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def _side(code: str) -> str | None:
    primary = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return "zh" if primary in ("zh", "zho", "chi") else "en" if primary in ("en", "eng") else None


def tbx_pairs(path: Path) -> set[tuple[str, str]]:
    """Distinct (zh, en) pairs of a TBX file (2008 martif or v3), read with lxml."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(path), parser).getroot()
    pairs: set[tuple[str, str]] = set()
    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    for entry in root.iter("{*}termEntry", "{*}conceptEntry"):
        sides: dict[str, list[str]] = {"zh": [], "en": []}
        for lang_set in entry.iter("{*}langSet", "{*}langSec"):
            side = _side(lang_set.get(lang_attr, ""))
            if side:
                sides[side] += [t for t in (_clean("".join(term.itertext())) for term in lang_set.iter("{*}term")) if t]
        pairs.update((zh, en) for zh in sides["zh"] for en in sides["en"])
    return pairs


def csv_pairs(path: Path) -> set[tuple[str, str]]:
    """Distinct (zh, en) pairs of a CSV glossary whose columns CSV_COLUMNS names."""
    zh_col, en_col = CSV_COLUMNS[path.name]
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {(_clean(r[zh_col]), _clean(r[en_col])) for r in rows if _clean(r[zh_col] or "") and _clean(r[en_col] or "")}


def imported(path: Path) -> tuple[int, int]:
    """What ``npfterm import`` reports into an empty store, and the term rows the store then holds."""
    from typer.testing import CliRunner

    from npfterm.cli import app
    from npfterm.store.db import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.sqlite"
        result = CliRunner().invoke(app, ["import", str(path), "--db", str(db)])
        if result.exit_code != 0:
            raise SystemExit(f"import of {path.name} failed: {result.output.strip()}")
        line = next(x for x in result.output.splitlines() if x.startswith("Imported "))
        reported = int(line.split()[1])
        with Store.open(db, create=False) as store:
            stored = sum(1 for _ in store.iter_terms())
    return reported, stored


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()
    files = sorted(p for p in args.dir.glob("*") if p.suffix == ".tbx" or p.name in CSV_COLUMNS) if args.dir.is_dir() else []
    if not files:
        print(f"no termbases found in {args.dir}; nothing to measure")
        return 0
    print(f"{'termbase':<32} {'in file':>8} {'imported':>9} {'in store':>9}")
    ok = True
    for path in files:
        in_file = len(tbx_pairs(path) if path.suffix == ".tbx" else csv_pairs(path))
        reported, stored = imported(path)
        ok &= reported == stored == in_file
        print(f"{path.name:<32} {in_file:>8} {reported:>9} {stored:>9}")
    print("every distinct pair kept" if ok else "PAIRS LOST")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
