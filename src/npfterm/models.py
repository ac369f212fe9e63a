"""The data model: plain frozen values passed from one stage to the next.

read → parse (Segment) → split (Sentence) → align (Bead, Alignment) →
extract terms (TermPair) → store → export/lookup.  Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, Lang] = ("zh", "en")


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text in one language taken from one paragraph."""

    text: str
    lang: Lang
    paragraph: int  # 0-based paragraph index within its source text


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence; ``index`` counts sentences of the same language from 0.

    ``soft_cuts`` are offsets into ``text`` where the splitter was unsure
    whether a sentence ends (a period after what may be an abbreviation:
    "… in the U.S. The storm …").  The aligner aligns the pieces and keeps a
    cut only where the other language puts the pieces in different beads
    (alignment/soft.py); its result holds sentences without soft cuts.
    """

    text: str
    lang: Lang
    index: int
    paragraph: int = 0
    soft_cuts: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class BilingualText:
    """The two sentence sequences an aligner works on.

    ``interleaved`` is true when both languages came from one document, so
    their paragraph numbers share one axis and proximity is evidence.
    ``parts``: when the input combines several documents (text.boundaries),
    the (first Chinese, first English) sentence index of each document after
    the first; an alignment never pairs sentences of different documents.
    """

    zh: tuple[Sentence, ...]
    en: tuple[Sentence, ...]
    interleaved: bool = False
    source: str = ""
    parts: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Bead:
    """A group of consecutive Chinese and English sentences that translate each other.

    Either side may be empty (an unmatched sentence).  ``score`` is a
    confidence in [0, 1]; ``evidence`` says who made the bead: ``aligned``
    (the aligner), ``reviewed`` (a person, in the review page) or ``imported``.
    """

    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float
    evidence: str = "aligned"

    @property
    def kind(self) -> str:
        """Bead shape as ``"<zh count>-<en count>"``, e.g. ``"1-2"``."""
        return f"{len(self.zh)}-{len(self.en)}"

    def shifted(self, di: int, dj: int) -> "Bead":
        """The same bead in a longer text whose Chinese starts ``di`` and English ``dj`` sentences earlier."""
        return Bead(tuple(i + di for i in self.zh), tuple(j + dj for j in self.en), self.score, self.evidence)


@dataclass(frozen=True, slots=True)
class RunInfo:
    """Every setting that changes an alignment's result (a reproducibility signature)."""

    version: str
    mode: str
    bead_types: tuple[tuple[int, int], ...]
    weights: tuple[tuple[str, float], ...] = ()
    dictionary: str = ""
    segmenter: str = ""
    tool: str = "npfterm"
    calibration: str = ""  # which fit of the confidence model scored the beads

    def signature(self) -> str:
        """Compact one-line form, stable across runs with the same settings."""
        beads = ",".join(f"{a}-{b}" for a, b in self.bead_types)
        weights = ",".join(f"{k}={v:g}" for k, v in self.weights)
        parts = [
            f"{self.tool}:{self.version}",
            f"mode:{self.mode}",
            f"beads:{beads}",
        ]
        if weights:
            parts.append(f"w:{weights}")
        if self.dictionary:
            parts.append(f"dict:{self.dictionary}")
        if self.segmenter:
            parts.append(f"seg:{self.segmenter}")
        if self.calibration:
            parts.append(f"conf:{self.calibration}")
        return "|".join(parts)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["bead_types"] = [f"{a}-{b}" for a, b in self.bead_types]
        data["weights"] = dict(self.weights)
        data["signature"] = self.signature()
        return data


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """A bead with its text, as exporters and the store see it."""

    zh: str
    en: str
    zh_ids: tuple[int, ...]
    en_ids: tuple[int, ...]
    score: float
    doc: str = ""
    evidence: str = "aligned"  # aligned, reviewed or imported (see Bead)
    part_of: str = ""  # a sentence-level piece of a bead of this shape ("2-1"); see alignment.subunits

    @property
    def kind(self) -> str:
        return f"{len(self.zh_ids)}-{len(self.en_ids)}"

    def as_dict(self, with_doc: bool = False) -> dict[str, object]:
        """The pair as a JSON-ready record (the JSON Lines format's fields)."""
        record: dict[str, object] = {
            "zh": self.zh,
            "en": self.en,
            "zh_ids": list(self.zh_ids),
            "en_ids": list(self.en_ids),
            "score": self.score,
        }
        if with_doc:
            record["doc"] = self.doc
        return record

    @property
    def complete(self) -> bool:
        """Both sides present: the beads a translation memory can hold."""
        return bool(self.zh_ids) and bool(self.en_ids)


def join_sentences(lang: Lang, texts: list[str] | tuple[str, ...]) -> str:
    """Join a bead's sentences: Chinese without separator, English with a space."""
    return ("" if lang == "zh" else " ").join(texts)


@dataclass(frozen=True, slots=True)
class Alignment:
    """The result of aligning one bilingual text."""

    zh: tuple[Sentence, ...]
    en: tuple[Sentence, ...]
    beads: tuple[Bead, ...]
    info: RunInfo
    source: str = ""

    def pairs(self) -> list[AlignedPair]:
        """Beads with their joined text, in document order."""
        return [
            AlignedPair(
                zh=join_sentences("zh", [self.zh[i].text for i in bead.zh]),
                en=join_sentences("en", [self.en[j].text for j in bead.en]),
                zh_ids=bead.zh,
                en_ids=bead.en,
                score=bead.score,
                doc=self.source,
                evidence=bead.evidence,
            )
            for bead in self.beads
        ]

    def to_jsonl(self) -> str:
        """One JSON object per bead and line, as ``npfterm align --format jsonl`` writes them."""
        import json

        return "".join(json.dumps(p.as_dict(), ensure_ascii=False) + "\n" for p in self.pairs())

    def counts(self) -> dict[str, int]:
        """Number of beads of each shape, e.g. ``{"1-1": 30, "0-1": 2}``."""
        out: dict[str, int] = {}
        for bead in self.beads:
            out[bead.kind] = out.get(bead.kind, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


Evidence = Literal["parenthetical", "aligned", "dictionary", "imported"]
BEAD_EVIDENCE = ("aligned", "reviewed", "imported")


@dataclass(frozen=True, slots=True)
class TermPair:
    """A Chinese term and an English equivalent, with how we know."""

    zh: str
    en: str
    evidence: str
    score: float = 1.0
    count: int = 1
    pinyin: str = ""
    example_zh: str = ""
    example_en: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())
