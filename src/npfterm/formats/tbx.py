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

TBX termbases (2008 ``martif`` and v3 ``tbx``) → term pairs.

An entry is one concept; every Chinese term in it pairs with every English
term (synonyms give several pairs).  Examples (``descrip type="context"``),
pinyin and npfterm's own score/count note are read back where present; other
notes and definitions are kept as the pair's ``note``.  Entries without both
languages are skipped and counted.  The file is read an entry at a time
(``stream_tbx``), so a large termbase never becomes one element tree.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, TextIO

from npfterm.errors import FormatError
from npfterm.formats.reading import LangCodes, Opener, Parsed, TermRows
from npfterm.formats.tmx import check_lang_codes
from npfterm.formats.writing import ExportMeta
from npfterm.formats.xml import Node, Readable, XmlEscaper, XmlStream, clean_text
from npfterm.models import TermPair
from npfterm.version import __version__

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
    # One sourceDesc (TBX v3's core structure allows no second), one <p> per fact.
    out.write(f"      <sourceDesc><p>npfterm {esc.text(meta.tool_version or __version__)}</p>")
    if meta.signature:
        out.write(f"<p>{esc.text(meta.signature)}</p>")
    out.write("</sourceDesc>\n")
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


_ENTRY_NOTE = re.compile(r"^npfterm: evidence (?P<evidence>\S*); score (?P<score>[0-9.]+); count (?P<count>\d+)$")
_PINYIN_NOTE = re.compile(r"^pinyin: (?P<pinyin>.*)$")


@dataclass(frozen=True)
class _Form:
    """Element names of one TBX form."""

    entry: str
    lang: str
    term_groups: tuple[str, ...]


_FORMS = {
    "martif": _Form("termEntry", "langSet", ("tig", "ntig")),
    "tbx": _Form("conceptEntry", "langSec", ("termSec",)),
}


@dataclass(frozen=True)
class _Term:
    text: str
    example: str
    pinyin: str
    notes: tuple[str, ...]


def _notes(node: Node) -> list[str]:
    """Text of ``note`` and ``descrip`` children other than examples."""
    return [
        c.text().strip()
        for c in node.children
        if c.tag == "note" or (c.tag == "descrip" and c.attrs.get("type") != "context")
    ]


def _term(group: Node, name: str) -> _Term:
    holder = group.find("termGrp") if group.tag == "ntig" else group
    term = holder.find("term") if holder is not None else None
    if term is None:
        raise FormatError(f"{name}: line {group.line}: <{group.tag}> has no <term>")
    example = next((c.text().strip() for c in group.iter("descrip") if c.attrs.get("type") == "context"), "")
    pinyin, notes = "", []
    for note in _notes(group):
        found = _PINYIN_NOTE.match(note)
        if found and not pinyin:
            pinyin = found.group("pinyin")
        elif note:
            notes.append(note)
    return _Term(clean_text(term.text().strip()), clean_text(example), pinyin, tuple(notes))


def _entry_pairs(entry: Node, form: _Form, name: str, langs: LangCodes) -> list[TermPair]:
    sides: dict[str, list[_Term]] = {"zh": [], "en": []}
    for lang_node in entry.findall(form.lang):
        code = lang_node.attrs.get("xml:lang")
        if not code:
            raise FormatError(f"{name}: line {lang_node.line}: <{form.lang}> has no xml:lang attribute")
        side = langs.side(code)
        if side is None:
            continue
        for group in lang_node.children:
            if group.tag in form.term_groups:
                term = _term(group, name)
                if term.text:
                    sides[side].append(term)
    score, count, entry_notes = 1.0, 1, []
    for note in _notes(entry):
        found = _ENTRY_NOTE.match(note)
        if found:
            score, count = float(found.group("score")), int(found.group("count"))
        elif note:
            entry_notes.append(note)
    pairs = []
    for zh in sides["zh"]:
        for en in sides["en"]:
            notes = (*entry_notes, *zh.notes, *en.notes)
            pairs.append(
                TermPair(
                    zh=zh.text, en=en.text, evidence="imported", score=score, count=count,
                    pinyin=zh.pinyin, example_zh=zh.example, example_en=en.example,
                    extra=(("note", " | ".join(notes)),) if notes else (),
                )
            )
    return pairs


def _form(root: Node, name: str) -> _Form:
    form = _FORMS.get(root.tag)
    if form is None:
        tmx = root.tag == "tmx"
        raise FormatError(
            f"{name}: line {root.line}: the root element is <{root.tag}>, not <martif> or <tbx>" + ("; is it a TMX file?" if tmx else ""),
            hint=("format", "tmx") if tmx else None,
        )
    return form


_ENTRIES = tuple(f.entry for f in _FORMS.values())


def _terms(source: Readable, name: str, langs: LangCodes, notes: list[str], root_tag: list[str]) -> Iterator[TermPair]:
    """The term pairs of a TBX file, an entry at a time as it is read (memory holds one entry, not the tree).

    Errors name the line as the whole-file parser did; the entries' checks run
    as they are read, the file's (a body, some entries) once it has ended.
    ``notes`` gets the note on skipped entries, ``root_tag`` the root's name.
    """
    stream = XmlStream(source, name, parent="body", unit=_ENTRIES, check_root=lambda root: _form(root, name))
    entries = kept = 0
    form: _Form | None = None
    for entry in stream:
        form = form or _form(stream.root, name)  # type: ignore[arg-type]  # set once an entry has closed
        if entry.tag != form.entry:
            continue  # the other form's entry: not one of this file's
        entries += 1
        found = _entry_pairs(entry, form, name, langs)
        kept += bool(found)
        yield from found
    root = stream.root
    assert root is not None  # XmlStream raises for a document without an element
    form = _form(root, name)
    root_tag.append(root.tag)
    text = root.find("text")
    body = text.find("body") if text is not None else None
    if body is None:
        raise FormatError(f"{name}: line {root.line}: <{root.tag}> has no <text><body>")
    if not entries:
        raise FormatError(f"{name}: line {body.line}: the TBX file holds no <{form.entry}> elements")
    if not kept:
        raise FormatError(
            f"{name}: no entry has both a Chinese and an English term", hint=("langs", None)
        )
    if kept < entries:
        notes.append(f"{name}: skipped {entries - kept} of {entries} entries without both a Chinese and an English term")


def parse_tbx(data: bytes, name: str, langs: LangCodes = LangCodes()) -> Parsed:
    notes: list[str] = []
    root_tag: list[str] = []
    terms = tuple(_terms(io.BytesIO(data), name, langs, notes, root_tag))
    return Parsed(terms=terms, settings=(("format", f"tbx ({root_tag[0]})"),), notes=tuple(notes))


def stream_tbx(open_source: Opener, name: str, langs: LangCodes = LangCodes()) -> TermRows:
    """A TBX termbase read an entry at a time while its term pairs are stored (one pass)."""

    def read(notes: list[str]) -> Iterator[TermPair]:
        with open_source() as source:
            yield from _terms(source, name, langs, notes, [])

    return TermRows(read)
