"""JSON Lines: one object per bead or term, written and read back (for scripts and MT pipelines).

Term tables also come as one JSON array (``json``) for tools that want a
single document.  Every field of a term pair is written, so nothing is lost
on the way back in.

npfterm's own JSON Lines (and JSON array) back in: beads or term pairs.

A record with ``zh_ids`` is a bead (``align --format jsonl``); any other
record with ``zh`` and ``en`` is a term pair (``terms --format jsonl/json``).
One file holds one kind.  Term pairs come in with evidence ``imported``, like
every glossary row.
"""

from __future__ import annotations

import codecs
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from typing import Any, Iterable, TextIO

from npfterm.errors import FormatError, NotTextError
from npfterm.formats import xml as xmltree
from npfterm.formats.reading import LangCodes, Parsed, ReadWhole
from npfterm.formats.writing import ExportMeta
from npfterm.formats.xml import Readable
from npfterm.models import AlignedPair, TermPair
from npfterm.text.read import decode_bytes, normalise


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
        out.write(json.dumps(pair.as_dict(with_doc), ensure_ascii=False) + "\n")


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


MAX_LINE_BYTES = 64 << 20  # one record; a longer line is not JSON Lines
MAX_COUNT = 10**12  # occurrences of one term pair: more is a damaged file (SQLite's integers end at 2**63)

# Control characters other than tab: raw, they are never part of valid JSON.
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _records(text: str, name: str) -> Iterator[tuple[int, Any]]:
    if text.lstrip().startswith("["):
        try:
            records = json.loads(text, parse_int=_bounded_int)
        except json.JSONDecodeError as exc:
            raise FormatError(f"{name} line {exc.lineno}: not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise FormatError(f"{name}: nested too deep; records are flat JSON objects") from None
        yield from enumerate(records if isinstance(records, list) else [records], 1)
        return
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        yield number, _loads(line, f"{name} line {number}")


def _loads(line: str, where: str) -> Any:
    """One JSON record; a FormatError naming ``where`` for anything malformed, too deep or too long a number."""
    try:
        return json.loads(line, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise FormatError(f"{where}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise FormatError(f"{where}: nested too deep; a record is one flat JSON object") from None


def _bounded_int(digits: str) -> int | float:
    """JSON integers as ints, except absurdly long ones, which become infinity (refused by the field checks)."""
    return int(digits) if len(digits) <= 19 else float("inf")


_REQUIRED = object()


def _field(record: dict[str, Any], key: str, kind: type, where: str, default: Any = _REQUIRED) -> Any:
    if key not in record:
        if default is _REQUIRED:
            raise FormatError(f"{where}: no {key!r}")
        return default
    value = record[key]
    if kind is float and type(value) is int:
        value = float(value)
    if type(value) is bool or not isinstance(value, kind):
        raise FormatError(f"{where}: {key!r} should be a {kind.__name__}, not {json.dumps(value, ensure_ascii=False)}")
    return value


def _ids(record: dict[str, Any], key: str, where: str) -> tuple[int, ...]:
    values = _field(record, key, list, where)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
        raise FormatError(f"{where}: {key!r} should be a list of sentence numbers")
    return tuple(values)


def _pair(record: dict[str, Any], where: str, name: str) -> AlignedPair:
    return AlignedPair(
        zh=_field(record, "zh", str, where),
        en=_field(record, "en", str, where),
        zh_ids=_ids(record, "zh_ids", where),
        en_ids=_ids(record, "en_ids", where),
        score=_score(record, where),
        doc=_field(record, "doc", str, where, name),
    )


def _score(record: dict[str, Any], where: str) -> float:
    value = _field(record, "score", float, where, 1.0)
    if not math.isfinite(value):
        raise FormatError(f"{where}: 'score' should be a number from 0 to 1, not {json.dumps(value)}")
    return float(value)


def _count(record: dict[str, Any], where: str) -> int:
    value = record.get("count", 1)
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        raise FormatError(f"{where}: 'count' should be a whole number from 0 to {MAX_COUNT:,}")
    return value


def _term(record: dict[str, Any], where: str) -> TermPair:
    extra = _field(record, "extra", dict, where, {})
    return TermPair(
        zh=_field(record, "zh", str, where),
        en=_field(record, "en", str, where),
        evidence="imported",
        score=_score(record, where),
        count=_count(record, where),
        pinyin=_field(record, "pinyin", str, where, ""),
        example_zh=_field(record, "example_zh", str, where, ""),
        example_en=_field(record, "example_en", str, where, ""),
        extra=tuple((str(k), str(v)) for k, v in extra.items()),
    )


def parse_jsonl(data: bytes, name: str, langs: LangCodes = LangCodes()) -> Parsed:
    text = normalise(decode_bytes(data, name))
    return _parsed(_records(text, name), name, is_array=text.lstrip().startswith("["))


def read_jsonl(source: Readable, name: str, langs: LangCodes = LangCodes()) -> Parsed:
    """JSON Lines read a line at a time, so memory holds the records, never the file.

    That is for UTF-8 (what JSON Lines requires) with LF or CRLF line ends;
    anything else (another encoding, a JSON array, lone CRs, control bytes)
    raises ``ReadWhole`` for ``parse_jsonl`` to read the file whole.
    """
    return _parsed(_streamed_records(source, name), name, is_array=False)


def _streamed_records(source: Readable, name: str) -> Iterator[tuple[int, Any]]:
    """Records of a UTF-8 JSON Lines file read a piece at a time; linear in the file, one line held at most."""
    pending: list[bytes] = []  # the start of a line cut by the reads
    held = 0
    number = 0
    first = True
    while True:
        chunk = source.read(xmltree.CHUNK_BYTES)
        if first:
            first = False
            chunk = chunk.removeprefix(codecs.BOM_UTF8)
            if chunk.lstrip().startswith(b"[") or chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise ReadWhole
            if chunk.count(b"\0") > len(chunk) // 2 + 1:  # not even UTF-16 (every other byte NUL): binary
                raise NotTextError(name)
        parts = chunk.split(b"\n") if chunk else [b""]
        if len(parts) == 1 and chunk:  # no line ends in this piece
            if b"\0" in chunk:
                raise ReadWhole  # UTF-16 without a BOM, or binary: the whole-file reader tells which
            pending.append(chunk)
            held += len(chunk)
            if held > MAX_LINE_BYTES:
                raise FormatError(f"{name} line {number + 1}: longer than {MAX_LINE_BYTES // (1 << 20)} MB; is it JSON Lines?")
            continue
        lines = [b"".join(pending) + parts[0], *parts[1:-1]] if chunk else ([b"".join(pending)] if pending else [])
        pending, held = ([parts[-1]], len(parts[-1])) if chunk else ([], 0)
        for raw in lines:
            number += 1
            raw = raw.removesuffix(b"\r")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ReadWhole from None
            if _CONTROLS.search(line):  # never in valid JSON: lone CRs, NULs (UTF-16), binary bytes
                raise ReadWhole
            if not line.strip():
                continue
            yield number, _loads(unicodedata.normalize("NFC", line), f"{name} line {number}")
        if not chunk:
            return


def _parsed(records: Iterator[tuple[int, Any]], name: str, *, is_array: bool) -> Parsed:
    pairs: list[AlignedPair] = []
    terms: list[TermPair] = []
    for number, record in records:
        where = f"{name} {'element' if is_array else 'line'} {number}"
        if not isinstance(record, dict):
            raise FormatError(f"{where}: expected a JSON object")
        if "zh_ids" in record:
            pairs.append(_pair(record, where, name))
        else:
            terms.append(_term(record, where))
        if pairs and terms:
            raise FormatError(f"{where}: the file mixes beads and term pairs; import them separately")
    if not pairs and not terms:
        raise FormatError(f"{name}: no records")
    return Parsed(pairs=tuple(pairs), terms=tuple(terms), settings=(("format", "jsonl"),))
