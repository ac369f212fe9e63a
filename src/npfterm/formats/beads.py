"""Vecalign's bead format, one bead per line, Chinese on the left: ``[0,1]:[2]``."""

from __future__ import annotations

from typing import Iterable, TextIO

from npfterm.formats.writing import ExportMeta
from npfterm.models import AlignedPair


def bead_line(zh_ids: tuple[int, ...], en_ids: tuple[int, ...]) -> str:
    return f"[{','.join(map(str, zh_ids))}]:[{','.join(map(str, en_ids))}]"


def write_beads(pairs: Iterable[AlignedPair], out: TextIO, meta: ExportMeta) -> None:
    for pair in pairs:
        out.write(bead_line(pair.zh_ids, pair.en_ids) + "\n")
