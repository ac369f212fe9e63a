"""TMX 1.4b translation memories (LISA OSCAR), valid against tmx14.dtd.

One ``tu`` per bead that has both sides (unmatched sentences are not
translation units).  The header records the tool, version and the run
signature; each unit records its alignment score, bead shape and source
document as ``prop`` elements, which OmegaT, Trados and memoQ keep and ignore,
and which ``npfterm import`` reads back.

TMX (1.1–1.4b) translation memories → aligned pairs.

Each ``tu`` with a Chinese and an English ``tuv`` becomes one bead.  Inline
codes (``bpt``, ``ept``, ``it``, ``ph``, ``ut``) hold the original document's
formatting, not text, so they are dropped; ``hi`` holds text and is kept.
The props npfterm writes (score, bead shape, source document) are read back;
units from other tools get score 1 (a translator's memory is trusted) and a
1-1 shape.  Sentence numbers are positions within the imported file.

Memories run to hundreds of megabytes, so ``read_tmx`` parses a file as it
reads it and keeps only the pairs, never the element tree (see ``XmlStream``).
"""

from __future__ import annotations

import io
import math
import os
import re
import time
from typing import Iterable, TextIO

from npfterm.errors import ExportError, FormatError
from npfterm.formats.reading import LangCodes, Parsed
from npfterm.formats.writing import ExportMeta
from npfterm.formats.xml import (
    Node,
    Readable,
    XmlEscaper,
    XmlStream,
    clean_text,
    is_lang_code,
)
from npfterm.models import AlignedPair
from npfterm.version import __version__

# prop types we write and the importer reads back
PROP_SCORE = "x-align-score"
PROP_KIND = "x-align-type"
PROP_DOC = "x-source-doc"
PROP_SIGNATURE = "x-npfterm-signature"
PROP_PART_OF = "x-npfterm-piece-of"  # a sentence-level piece of a bead of this shape (export tm --units sentence)
SETTING_PREFIX = "x-npfterm-"


def tmx_timestamp() -> str:
    """UTC in TMX's basic ISO 8601 form; honours SOURCE_DATE_EPOCH for reproducible files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = float(epoch) if epoch and epoch.isdigit() else time.time()
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(seconds))


def check_lang_codes(*codes: str) -> None:
    """xml:lang values must be language tags; a typo would make every unit unreadable."""
    for code in codes:
        if not is_lang_code(code):
            raise ExportError(f"{code!r} is not a language code (expected something like zh-CN or en-US)")


def write_tmx(pairs: Iterable[AlignedPair], out: TextIO, meta: ExportMeta) -> None:
    src, tgt = meta.src_lang, meta.tgt_lang
    check_lang_codes(src, tgt)
    esc = XmlEscaper()
    stamp = tmx_timestamp()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write('<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
    out.write('<tmx version="1.4">\n')
    out.write(
        f'  <header creationtool="npfterm" creationtoolversion={esc.attr(meta.tool_version or __version__)}'
        f' segtype="sentence" o-tmf="npfterm" adminlang="en-US" srclang={esc.attr(src)}'
        f' datatype="plaintext" creationdate="{stamp}">\n'
    )
    if meta.signature:
        out.write(f'    <prop type="{PROP_SIGNATURE}">{esc.text(meta.signature)}</prop>\n')
    for key, value in meta.settings:
        out.write(f"    <prop type={esc.attr(SETTING_PREFIX + key)}>{esc.text(value)}</prop>\n")
    for source in meta.sources:
        out.write(f'    <prop type="{PROP_DOC}">{esc.text(source)}</prop>\n')
    out.write("  </header>\n  <body>\n")
    tuid = 0
    for pair in pairs:
        if not pair.complete:
            continue
        tuid += 1
        out.write(f'    <tu tuid="{tuid}" creationdate="{stamp}">\n')
        out.write(f'      <prop type="{PROP_SCORE}">{pair.score:.4f}</prop>\n')
        out.write(f'      <prop type="{PROP_KIND}">{pair.kind}</prop>\n')
        if pair.part_of:
            out.write(f'      <prop type="{PROP_PART_OF}">{esc.text(pair.part_of)}</prop>\n')
        if pair.doc:
            out.write(f'      <prop type="{PROP_DOC}">{esc.text(pair.doc)}</prop>\n')
        out.write(f"      <tuv xml:lang={esc.attr(src)}><seg>{esc.text(pair.zh)}</seg></tuv>\n")
        out.write(f"      <tuv xml:lang={esc.attr(tgt)}><seg>{esc.text(pair.en)}</seg></tuv>\n")
        out.write("    </tu>\n")
    out.write("  </body>\n</tmx>\n")
    esc.warn("TMX")


_CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})
_KIND = re.compile(r"^([1-9]\d?)-([1-9]\d?)$")


def segment_text(node: Node) -> str:
    """The text of a ``seg`` (or ``hi``), without inline codes."""
    parts: list[str] = []
    for item in node.content:
        if isinstance(item, str):
            parts.append(item)
        elif item.tag not in _CODES:
            parts.append(segment_text(item))
    return clean_text("".join(parts))


def _lang(node: Node) -> str | None:
    return node.attrs.get("xml:lang") or node.attrs.get("lang")


def _score(prop: Node | None, name: str) -> float:
    if prop is None:
        return 1.0
    raw = prop.text().strip()
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:
        raise FormatError(f"{name}: line {prop.line}: {PROP_SCORE} {raw!r} is not a number between 0 and 1")
    return value


def _shape(prop: Node | None, name: str) -> tuple[int, int]:
    if prop is None:
        return 1, 1
    found = _KIND.match(prop.text().strip())
    if not found:
        raise FormatError(f"{name}: line {prop.line}: {PROP_KIND} {prop.text()!r} is not a bead shape like 1-2")
    return int(found.group(1)), int(found.group(2))


def _props(node: Node) -> dict[str, Node]:
    """The first ``prop`` of each type."""
    found: dict[str, Node] = {}
    for prop in node.findall("prop"):
        found.setdefault(prop.attrs.get("type", ""), prop)
    return found


def _sides(tu: Node, name: str, langs: LangCodes, seen: set[str]) -> dict[str, str]:
    sides: dict[str, str] = {}
    for tuv in tu.findall("tuv"):
        code = _lang(tuv)
        if not code:
            raise FormatError(f"{name}: line {tuv.line}: <tuv> has no xml:lang attribute")
        seg = tuv.find("seg")
        if seg is None:
            raise FormatError(f"{name}: line {tuv.line}: <tuv> has no <seg>")
        seen.add(code)
        side = langs.side(code)
        if side and side not in sides:
            sides[side] = segment_text(seg)
    return sides


def parse_tmx(data: bytes, name: str, langs: LangCodes = LangCodes()) -> Parsed:
    return read_tmx(io.BytesIO(data), name, langs)


def _check_root(root: Node, name: str) -> None:
    if root.tag != "tmx":
        tbx = root.tag in ("martif", "tbx")
        raise FormatError(
            f"{name}: line {root.line}: the root element is <{root.tag}>, not <tmx>" + ("; is it a TBX file?" if tbx else ""),
            hint=("format", "tbx") if tbx else None,
        )


def read_tmx(source: Readable, name: str, langs: LangCodes = LangCodes()) -> Parsed:
    """Read a TMX file a unit at a time: memory holds the pairs found, never the file's element tree."""
    stream = XmlStream(source, name, parent="body", unit="tu")
    pairs: list[AlignedPair] = []
    seen: set[str] = set()
    units = zh_next = en_next = 0
    for tu in stream:
        if not units:
            _check_root(stream.root, name)  # type: ignore[arg-type]  # set once a unit has closed
        units += 1
        sides = _sides(tu, name, langs, seen)
        if not sides.get("zh", "").strip() or not sides.get("en", "").strip():
            continue
        props = _props(tu)
        n_zh, n_en = _shape(props.get(PROP_KIND), name)
        doc = props.get(PROP_DOC)
        pairs.append(
            AlignedPair(
                zh=sides["zh"],
                en=sides["en"],
                zh_ids=tuple(range(zh_next, zh_next + n_zh)),
                en_ids=tuple(range(en_next, en_next + n_en)),
                score=_score(props.get(PROP_SCORE), name),
                doc=doc.text().strip() if doc is not None else name,
            )
        )
        zh_next += n_zh
        en_next += n_en
    root = stream.root
    assert root is not None  # XmlStream raises for a document without an element
    _check_root(root, name)
    body = root.find("body")
    if body is None:
        raise FormatError(f"{name}: line {root.line}: <tmx> has no <body>")
    if not units:
        raise FormatError(f"{name}: line {body.line}: the TMX file holds no translation units")
    if not pairs:
        found = ", ".join(sorted(seen)) or "none"
        raise FormatError(
            f"{name}: no translation unit has both a Chinese and an English segment "
            f"(languages in the file: {found})",
            hint=("langs", None),
        )
    notes: tuple[str, ...] = ()
    if len(pairs) < units:
        skipped = units - len(pairs)
        notes = (f"{name}: skipped {skipped} of {units} units without both a Chinese and an English segment",)
    return Parsed(pairs=tuple(pairs), settings=_settings(root.find("header")), notes=notes)


def _settings(header: Node | None) -> tuple[tuple[str, str], ...]:
    """What the file says about where it came from, to keep with the imported document."""
    if header is None:
        return (("format", "tmx"),)
    settings = [("format", "tmx")]
    for attr in ("creationtool", "creationtoolversion", "srclang"):
        if header.attrs.get(attr):
            settings.append((attr, header.attrs[attr]))
    signature = _props(header).get(PROP_SIGNATURE)
    if signature is not None:
        settings.append(("signature", signature.text().strip()))
    return tuple(settings)
