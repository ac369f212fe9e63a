"""JSON Lines: one object per bead or term, in order (for scripts and MT pipelines).

Term tables also come as one JSON array (``json``) for tools that want a
single document.  Every field of a term pair is written, so nothing is lost
on the way back in.
"""

from __future__ import annotations

import json
from typing import Iterable, TextIO

from npfterm.exporters import ExportMeta
from npfterm.models import AlignedPair, TermPair


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


def term_record(term: TermPair) -> dict[str, object]:
    record: dict[str, object] = {
        "zh": term.zh,
        "en": term.en,
        "pinyin": term.pinyin,
        "score": term.score,
        "count": term.count,
        "evidence": term.evidence,
        "example_zh": term.example_zh,
        "example_en": term.example_en,
    }
    if term.extra:
        record["extra"] = dict(term.extra)
    return record


def write_jsonl(pairs: Iterable[AlignedPair], out: TextIO, meta: ExportMeta) -> None:
    with_doc = len(meta.sources) > 1
    for pair in pairs:
        out.write(json.dumps(pair_record(pair, with_doc), ensure_ascii=False) + "\n")


def write_terms_jsonl(terms: Iterable[TermPair], out: TextIO, meta: ExportMeta) -> None:
    for term in terms:
        out.write(json.dumps(term_record(term), ensure_ascii=False) + "\n")


def write_terms_json(terms: Iterable[TermPair], out: TextIO, meta: ExportMeta) -> None:
    """A JSON array written one element at a time, so a large termbase is never held twice."""
    out.write("[")
    for k, term in enumerate(terms):
        out.write(",\n  " if k else "\n  ")
        out.write(json.dumps(term_record(term), ensure_ascii=False))
    out.write("\n]\n")
