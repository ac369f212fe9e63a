"""The bundled corpus: bilingual texts that fill an empty store, so lookup answers out of the box.

Found at ``$NPFTERM_CORPORA`` if set, else the repository's ``corpora/``
folder (editable installs), else the copy shipped inside the package
(``npfterm/data/corpora``, kept equal to ``corpora/`` by a test).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from npfterm.store.db import Store

SUFFIXES = (".txt", ".md")


def corpora_dir() -> Path | None:
    """Where the bundled texts are, or None if there are none."""
    env = os.environ.get("NPFTERM_CORPORA")
    if env:
        return Path(env).expanduser()
    import npfterm

    package = Path(npfterm.__file__).resolve().parent
    for candidate in (package.parents[1] / "corpora", package / "data" / "corpora"):
        if candidate.is_dir():
            return candidate
    return None


def corpus_files(folder: Path | None = None) -> list[Path]:
    """The bilingual text files in the corpus folder, by name."""
    folder = folder if folder is not None else corpora_dir()
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


@dataclass(frozen=True)
class Bootstrapped:
    documents: int
    terms: int


def bootstrap(store: "Store", files: list[Path] | None = None, mode: str = "hybrid") -> Bootstrapped:
    """Align and store each bundled text (one transaction per file); how many documents and terms went in."""
    from npfterm.align.document import AlignOptions
    from npfterm.pipeline import align_files
    from npfterm.store.ingest import ingest

    files = corpus_files() if files is None else files
    terms = 0
    for path in files:
        alignment = align_files([str(path)], AlignOptions(mode=mode))
        terms += len(ingest(alignment, [str(path)], store).terms)
    return Bootstrapped(len(files), terms)
