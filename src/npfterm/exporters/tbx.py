"""TBX termbases: TBX-Basic in the TBX 2008 ``martif`` form, and TBX v3.

The 2008 form (``martif/text/body/termEntry/langSet/tig/term``) is the
default because OmegaT and translate-toolkit read it; TBX v3
(``tbx/text/body/conceptEntry/langSec/termSec/term``, ISO 30042:2019) is the
current standard but neither of them reads it yet.

Only TBX-Basic data categories are used, so the files stay valid for
tools that check them: examples become ``descrip type="context"`` on each
language's term, pinyin a ``note`` on the Chinese term, and the evidence,
score and count one ``note`` on the entry, in a fixed ``npfterm:`` form
that ``npfterm import`` reads back (``ENTRY_NOTE``/``PINYIN_NOTE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, TextIO

from npfterm import __version__
from npfterm.exporters import ExportMeta
from npfterm.exporters.tmx import check_lang_codes
from npfterm.exporters.xmltext import XmlEscaper
from npfterm.models import TermPair

ENTRY_NOTE = "npfterm: evidence {evidence}; score {score:.4f}; count {count}"
PINYIN_NOTE = "pinyin: {pinyin}"
TBX3_NAMESPACE = "urn:iso:std:iso:30042:ed-2"


@dataclass(frozen=True)
class _Dialect:
    """What differs between the 2008 and v3 forms: the root, the header, element names."""

    root: str  # opening tag of the root element
    header: str  # header element name
    header_extra: str  # lines after fileDesc in the header
    entry: str
    entry_id: str
    lang: str
    term: str

    @property
    def root_name(self) -> str:
        return self.root[1:].split(" ", 1)[0]


_TBX2008 = _Dialect(
    '<martif type="TBX-Basic" xml:lang="en">',
    "martifHeader",
    '    <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>\n',
    "termEntry", "t", "langSet", "tig",
)
_TBX3 = _Dialect(
    f'<tbx style="dca" type="TBX-Basic" xml:lang="en" xmlns="{TBX3_NAMESPACE}">',
    "tbxHeader", "", "conceptEntry", "c", "langSec", "termSec",
)


def entry_note(term: TermPair) -> str:
    return ENTRY_NOTE.format(evidence=term.evidence, score=term.score, count=term.count)


def _write(terms: Iterable[TermPair], out: TextIO, meta: ExportMeta, d: _Dialect) -> None:
    check_lang_codes(meta.src_lang, meta.tgt_lang)
    esc = XmlEscaper()
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n{d.root}\n  <{d.header}>\n    <fileDesc>\n')
    out.write(f"      <sourceDesc><p>npfterm {esc.text(meta.tool_version or __version__)}</p></sourceDesc>\n")
    if meta.signature:
        out.write(f"      <sourceDesc><p>{esc.text(meta.signature)}</p></sourceDesc>\n")
    out.write(f"    </fileDesc>\n{d.header_extra}  </{d.header}>\n  <text>\n    <body>\n")
    for k, term in enumerate(terms, 1):
        out.write(f'      <{d.entry} id="{d.entry_id}{k}">\n')
        out.write(f"        <note>{esc.text(entry_note(term))}</note>\n")
        sides = (
            (meta.src_lang, term.zh, term.example_zh, term.pinyin),
            (meta.tgt_lang, term.en, term.example_en, ""),
        )
        for lang, text, example, pinyin in sides:
            out.write(f"        <{d.lang} xml:lang={esc.attr(lang)}>\n")
            out.write(f"          <{d.term}><term>{esc.text(text)}</term>")
            if example:
                out.write(f'<descrip type="context">{esc.text(example)}</descrip>')
            if pinyin:
                out.write(f"<note>{esc.text(PINYIN_NOTE.format(pinyin=pinyin))}</note>")
            out.write(f"</{d.term}>\n        </{d.lang}>\n")
        out.write(f"      </{d.entry}>\n")
    out.write(f"    </body>\n  </text>\n</{d.root_name}>\n")
    esc.warn("TBX")


def write_tbx(terms: Iterable[TermPair], out: TextIO, meta: ExportMeta) -> None:
    """TBX-Basic, TBX 2008 (``martif``) form: what OmegaT and translate-toolkit read."""
    _write(terms, out, meta, _TBX2008)


def write_tbx3(terms: Iterable[TermPair], out: TextIO, meta: ExportMeta) -> None:
    """TBX-Basic, TBX v3 (ISO 30042:2019) DCA form."""
    _write(terms, out, meta, _TBX3)
