"""TMX 1.4b translation memories (LISA OSCAR), valid against tmx14.dtd.

One ``tu`` per bead that has both sides (unmatched sentences are not
translation units).  The header records the tool, version and the run
signature; each unit records its alignment score and source document as
``prop`` elements, which OmegaT, Trados and memoQ keep and ignore.
"""

from __future__ import annotations

import os
import time
from typing import Iterable, TextIO

from npfterm.exporters import ExportMeta
from npfterm.exporters.xmltext import xml_attr, xml_text
from npfterm.models import AlignedPair


def tmx_timestamp() -> str:
    """UTC in TMX's basic ISO 8601 form; honours SOURCE_DATE_EPOCH for reproducible files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = float(epoch) if epoch and epoch.isdigit() else time.time()
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(seconds))


def write_tmx(pairs: Iterable[AlignedPair], out: TextIO, meta: ExportMeta) -> None:
    stamp = tmx_timestamp()
    src, tgt = meta.src_lang, meta.tgt_lang
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write('<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
    out.write('<tmx version="1.4">\n')
    out.write(
        f"  <header creationtool=\"npfterm\" creationtoolversion={xml_attr(meta.tool_version or '0')}"
        f' segtype="sentence" o-tmf="npfterm" adminlang="en-US" srclang={xml_attr(src)}'
        f' datatype="plaintext" creationdate="{stamp}">\n'
    )
    if meta.signature:
        out.write(f'    <prop type="x-npfterm-signature">{xml_text(meta.signature)}</prop>\n')
    for key, value in meta.settings:
        out.write(f"    <prop type={xml_attr('x-npfterm-' + key)}>{xml_text(value)}</prop>\n")
    for source in meta.sources:
        out.write(f'    <prop type="x-source-doc">{xml_text(source)}</prop>\n')
    out.write("  </header>\n  <body>\n")
    tuid = 0
    for pair in pairs:
        if not pair.complete:
            continue
        tuid += 1
        out.write(f'    <tu tuid="{tuid}" creationdate="{stamp}">\n')
        out.write(f'      <prop type="x-align-score">{pair.score:.4f}</prop>\n')
        out.write(f'      <prop type="x-align-type">{pair.kind}</prop>\n')
        if pair.doc:
            out.write(f'      <prop type="x-source-doc">{xml_text(pair.doc)}</prop>\n')
        out.write(f"      <tuv xml:lang={xml_attr(src)}><seg>{xml_text(pair.zh)}</seg></tuv>\n")
        out.write(f"      <tuv xml:lang={xml_attr(tgt)}><seg>{xml_text(pair.en)}</seg></tuv>\n")
        out.write("    </tu>\n")
    out.write("  </body>\n</tmx>\n")
