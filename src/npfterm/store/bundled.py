"""The bundled corpus: bilingual texts that fill an empty store, so lookup answers out of the box.

Found at ``$NPFTERM_CORPORA`` if set, else the repository's ``corpora/``
folder (editable installs), else the copy shipped inside the package
(``npfterm/data/corpora``, kept equal to ``corpora/`` by a test).

Each shipped text also ships already aligned (``npfterm/data/aligned/NAME.json``,
a :mod:`~npfterm.store.snapshot` made by ``scripts/bundle_corpus.py``): a text
whose bytes match its snapshot is loaded from it in a fraction of a second;
any other text is aligned in hybrid mode, as ``npfterm align`` would.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from npfterm.store.snapshot import Snapshot, from_json, to_json

if TYPE_CHECKING:  # pragma: no cover
    from npfterm.store.db import Store

SUFFIXES = (".txt", ".md")
#: The mode the snapshots are made in, and the one unmatched texts are aligned in.
MODE = "hybrid"


def _package_dir() -> Path:
    return Path(__file__).resolve().parents[1]  # src/npfterm


def corpora_dir() -> Path | None:
    """Where the bundled texts are, or None if there are none."""
    env = os.environ.get("NPFTERM_CORPORA")
    if env:
        return Path(env).expanduser()
    package = _package_dir()
    for candidate in (package.parents[1] / "corpora", package / "data" / "corpora"):
        if candidate.is_dir():
            return candidate
    return None


def snapshots_dir() -> Path:
    """Where the shipped snapshots of the bundled texts live."""
    return _package_dir() / "data" / "aligned"


def snapshot_path(text: Path) -> Path:
    return snapshots_dir() / f"{text.name}.json"


def corpus_files(folder: Path | None = None) -> list[Path]:
    """The bilingual text files in the corpus folder, by name."""
    folder = folder if folder is not None else corpora_dir()
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


def shipped_snapshot(text: Path) -> Snapshot | None:
    """The shipped snapshot of ``text`` if there is one made from exactly these bytes."""
    from npfterm.store.ingest import content_hash

    path = snapshot_path(text)
    if not path.is_file():
        return None
    snapshot = from_json(json.loads(path.read_text(encoding="utf-8")))
    return snapshot if snapshot.content_hash == content_hash([str(text)]) else None


def unaligned(files: list[Path]) -> list[Path]:
    """The files that have no matching snapshot and so would be aligned (slow: the encoder loads)."""
    return [p for p in files if shipped_snapshot(p) is None]


def make_snapshot(text: Path) -> Snapshot:
    """Align ``text`` and extract its terms as ``npfterm align`` does into a fresh store (slow)."""
    import tempfile

    from npfterm.alignment.document import AlignOptions
    from npfterm.pipeline import align_files
    from npfterm.store.db import Store
    from npfterm.store.ingest import content_hash, extract

    alignment = align_files([str(text)], AlignOptions(mode=MODE))
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "fresh.sqlite") as fresh:
        terms = extract(alignment, fresh)
    return Snapshot(alignment, tuple(terms), content_hash([str(text)]))


def snapshot_text(snapshot: Snapshot) -> str:
    """The snapshot as the file it ships in: one line per setting, sentence, bead and term (diffable)."""
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    fields = []
    for key, value in to_json(snapshot).items():
        if isinstance(value, list) and value:
            fields.append(f"{dump(key)}: [\n  " + ",\n  ".join(dump(v) for v in value) + "\n ]")
        else:
            fields.append(f"{dump(key)}: {dump(value)}")
    return "{\n " + ",\n ".join(fields) + "\n}\n"


@dataclass(frozen=True)
class Bootstrapped:
    documents: int
    terms: int
    aligned: int  # how many had no snapshot and were aligned here


def bootstrap(store: "Store", files: list[Path] | None = None) -> Bootstrapped:
    """Store each bundled text (one transaction per file), from its snapshot when it has one."""
    from npfterm.store.ingest import ingest

    files = corpus_files() if files is None else files
    terms = aligned = 0
    for path in files:
        snapshot = shipped_snapshot(path)
        if snapshot is None:
            from npfterm.alignment.document import AlignOptions
            from npfterm.pipeline import align_files

            aligned += 1
            terms += len(ingest(align_files([str(path)], AlignOptions(mode=MODE)), [str(path)], store).terms)
        else:
            terms += len(ingest(snapshot.alignment, [str(path)], store, terms=snapshot.terms).terms)
    return Bootstrapped(len(files), terms, aligned)
