"""Output formats, one module each, found by name through a registry.

An exporter of aligned pairs is a module-level ``write(pairs, out, meta)`` that
writes text to ``out``.  ``meta`` carries the settings that produced the pairs
(the run signature, languages, source documents), so every format can record
them.  Adding a format is one module plus one line in ``_PAIR_FORMATS``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable, Iterable, TextIO

from npfterm.errors import ExportError
from npfterm.models import AlignedPair


@dataclass(frozen=True)
class ExportMeta:
    """What produced the pairs; exporters record as much of it as their format can hold."""

    tool_version: str = ""
    signature: str = ""
    src_lang: str = "zh-CN"
    tgt_lang: str = "en-US"
    sources: tuple[str, ...] = ()
    settings: tuple[tuple[str, str], ...] = field(default=())


PairWriter = Callable[[Iterable[AlignedPair], TextIO, ExportMeta], None]

# format name → module under npfterm.exporters
_PAIR_FORMATS = {
    "jsonl": "jsonl",
    "tsv": "delimited",
    "csv": "delimited",
    "beads": "beads",
    "tmx": "tmx",
}


def pair_formats() -> tuple[str, ...]:
    """Names accepted by ``--format`` for aligned pairs (besides ``table``)."""
    return tuple(_PAIR_FORMATS)


def pair_writer(name: str) -> PairWriter:
    """The writer for a format name; ExportError for an unknown one."""
    module_name = _PAIR_FORMATS.get(name)
    if module_name is None:
        known = ", ".join(pair_formats())
        raise ExportError(f"unknown format {name!r}; choose one of: {known}")
    module = importlib.import_module(f"npfterm.exporters.{module_name}")
    return getattr(module, f"write_{name}")
