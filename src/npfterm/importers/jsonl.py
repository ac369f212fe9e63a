"""npfterm's own JSON Lines (and JSON array) back in: beads or term pairs.

A record with ``zh_ids`` is a bead (``align --format jsonl``); any other
record with ``zh`` and ``en`` is a term pair (``terms --format jsonl/json``).
One file holds one kind.  Term pairs come in with evidence ``imported``, like
every glossary row.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from npfterm.errors import FormatError
from npfterm.importers import LangCodes, Parsed
from npfterm.models import AlignedPair, TermPair
from npfterm.readers import decode_bytes, normalise


def _records(text: str, name: str) -> Iterator[tuple[int, Any]]:
    if text.lstrip().startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormatError(f"{name} line {exc.lineno}: not valid JSON ({exc.msg})") from None
        yield from enumerate(records if isinstance(records, list) else [records], 1)
        return
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise FormatError(f"{name} line {number}: not valid JSON ({exc.msg})") from None


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
        score=_field(record, "score", float, where, 1.0),
        doc=_field(record, "doc", str, where, name),
    )


def _term(record: dict[str, Any], where: str) -> TermPair:
    extra = _field(record, "extra", dict, where, {})
    return TermPair(
        zh=_field(record, "zh", str, where),
        en=_field(record, "en", str, where),
        evidence="imported",
        score=_field(record, "score", float, where, 1.0),
        count=_field(record, "count", int, where, 1),
        pinyin=_field(record, "pinyin", str, where, ""),
        example_zh=_field(record, "example_zh", str, where, ""),
        example_en=_field(record, "example_en", str, where, ""),
        extra=tuple((str(k), str(v)) for k, v in extra.items()),
    )


def parse_jsonl(data: bytes, name: str, langs: LangCodes = LangCodes()) -> Parsed:
    text = normalise(decode_bytes(data, name))
    is_array = text.lstrip().startswith("[")
    pairs: list[AlignedPair] = []
    terms: list[TermPair] = []
    for number, record in _records(text, name):
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
