"""TMX 1.4b translation memories (LISA OSCAR), valid against tmx14.dtd.

One ``tu`` per bead that has both sides (unmatched sentences are not
translation units).  The header records the tool, version and the run
signature; each unit records its alignment score, bead shape and source
document as ``prop`` elements, which OmegaT, Trados and memoQ keep and ignore,
and which ``npfterm import`` reads back.
"""

from __future__ import annotations

import os
import time
from typing import Iterable, TextIO

from npfterm import __version__
from npfterm.errors import ExportError
from npfterm.exporters import ExportMeta
from npfterm.exporters.xmltext import XmlEscaper, is_lang_code
from npfterm.models import AlignedPair

# prop types we write and the importer reads back
PROP_SCORE = "x-align-score"
PROP_KIND = "x-align-type"
PROP_DOC = "x-source-doc"
PROP_SIGNATURE = "x-npfterm-signature"
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
        if pair.doc:
            out.write(f'      <prop type="{PROP_DOC}">{esc.text(pair.doc)}</prop>\n')
        out.write(f"      <tuv xml:lang={esc.attr(src)}><seg>{esc.text(pair.zh)}</seg></tuv>\n")
        out.write(f"      <tuv xml:lang={esc.attr(tgt)}><seg>{esc.text(pair.en)}</seg></tuv>\n")
        out.write("    </tu>\n")
    out.write("  </body>\n</tmx>\n")
    esc.warn("TMX")
