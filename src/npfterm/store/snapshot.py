"""Snapshots: an aligned document and its term pairs as plain JSON, to ship and load without aligning.

The bundled corpus ships one snapshot per text (``npfterm/data/aligned/``),
made by ``scripts/bundle_corpus.py`` exactly as ``npfterm align`` makes a
fresh store's contents (hybrid mode, terms extracted against an empty
store).  Loading one is JSON parsing: no aligner, encoder or jieba.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from npfterm.errors import InputError
from npfterm.models import Alignment, Bead, RunInfo, Sentence, TermPair

FORMAT = 1


@dataclass(frozen=True)
class Snapshot:
    """One aligned document with its term pairs, and the hash of the bytes it was aligned from."""

    alignment: Alignment
    terms: tuple[TermPair, ...]
    content_hash: str


def to_json(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot as JSON-ready data (lists and dicts, in a stable order)."""
    a = snapshot.alignment
    info = a.info
    return {
        "format": FORMAT,
        "content_hash": snapshot.content_hash,
        "source": a.source,
        "info": {
            "version": info.version,
            "mode": info.mode,
            "bead_types": [list(t) for t in info.bead_types],
            "weights": [[k, v] for k, v in info.weights],
            "dictionary": info.dictionary,
            "segmenter": info.segmenter,
            "tool": info.tool,
            "calibration": info.calibration,
        },
        "zh": [[s.text, s.paragraph] for s in a.zh],
        "en": [[s.text, s.paragraph] for s in a.en],
        "beads": [[list(b.zh), list(b.en), b.score] for b in a.beads],
        "terms": [
            {
                "zh": t.zh, "en": t.en, "evidence": t.evidence, "score": t.score, "count": t.count,
                "pinyin": t.pinyin, "example_zh": t.example_zh, "example_en": t.example_en,
                "extra": [list(kv) for kv in t.extra],
            }
            for t in snapshot.terms
        ],
    }


def from_json(data: Mapping[str, Any]) -> Snapshot:
    """A snapshot back from :func:`to_json`'s data; InputError if it is not one."""
    try:
        if data["format"] != FORMAT:
            raise InputError(f"snapshot format {data['format']!r} is not {FORMAT}")
        i = data["info"]
        info = RunInfo(
            version=i["version"], mode=i["mode"], bead_types=tuple((a, b) for a, b in i["bead_types"]),
            weights=tuple((k, v) for k, v in i["weights"]), dictionary=i["dictionary"],
            segmenter=i["segmenter"], tool=i["tool"], calibration=i.get("calibration", ""),
        )
        zh = tuple(Sentence(text, "zh", n, par) for n, (text, par) in enumerate(data["zh"]))
        en = tuple(Sentence(text, "en", n, par) for n, (text, par) in enumerate(data["en"]))
        beads = tuple(Bead(tuple(z), tuple(e), score) for z, e, score in data["beads"])
        terms = tuple(
            TermPair(
                zh=t["zh"], en=t["en"], evidence=t["evidence"], score=t["score"], count=t["count"],
                pinyin=t["pinyin"], example_zh=t["example_zh"], example_en=t["example_en"],
                extra=tuple((k, v) for k, v in t["extra"]),
            )
            for t in data["terms"]
        )
        return Snapshot(Alignment(zh, en, beads, info, data["source"]), terms, data["content_hash"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"not an npfterm snapshot ({type(exc).__name__}: {exc})") from None
