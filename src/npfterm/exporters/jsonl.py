"""JSON Lines: one object per bead, in document order (for scripts and MT pipelines)."""

from __future__ import annotations

import json
from typing import Iterable, TextIO

from npfterm.exporters import ExportMeta
from npfterm.models import AlignedPair


def pair_record(pair: AlignedPair, with_doc: bool = False) -> dict[str, object]:
    record: dict[str, object] = {
        "zh": pair.zh,
        "en": pair.en,
        "zh_ids": list(pair.zh_ids),
        "en_ids": list(pair.en_ids),
        "score": pair.score,
    }
    if with_doc:
        record["doc"] = pair.doc
    return record


def write_jsonl(pairs: Iterable[AlignedPair], out: TextIO, meta: ExportMeta) -> None:
    with_doc = len(meta.sources) > 1
    for pair in pairs:
        out.write(json.dumps(pair_record(pair, with_doc), ensure_ascii=False) + "\n")
