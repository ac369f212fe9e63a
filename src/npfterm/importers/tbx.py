"""TBX termbases (2008 ``martif`` and v3 ``tbx``) → term pairs.

An entry is one concept; every Chinese term in it pairs with every English
term (synonyms give several pairs).  Examples (``descrip type="context"``),
pinyin and npfterm's own score/count note are read back where present; other
notes and definitions are kept as the pair's ``note``.  Entries without both
languages are skipped and counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from npfterm.errors import FormatError
from npfterm.importers import LangCodes, Parsed
from npfterm.importers.xmltree import Node, clean_text, parse_xml
from npfterm.models import TermPair

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


def parse_tbx(data: bytes, name: str, langs: LangCodes = LangCodes()) -> Parsed:
    root = parse_xml(data, name)
    form = _FORMS.get(root.tag)
    if form is None:
        hint = "; is it a TMX file? use --format tmx" if root.tag == "tmx" else ""
        raise FormatError(f"{name}: line {root.line}: the root element is <{root.tag}>, not <martif> or <tbx>{hint}")
    text = root.find("text")
    body = text.find("body") if text is not None else None
    if body is None:
        raise FormatError(f"{name}: line {root.line}: <{root.tag}> has no <text><body>")
    entries = body.findall(form.entry)
    if not entries:
        raise FormatError(f"{name}: line {body.line}: the TBX file holds no <{form.entry}> elements")
    terms: list[TermPair] = []
    kept = 0
    for entry in entries:
        found = _entry_pairs(entry, form, name, langs)
        kept += bool(found)
        terms.extend(found)
    if not terms:
        raise FormatError(
            f"{name}: no entry has both a Chinese and an English term; "
            "use --src-lang/--tgt-lang to name the language codes"
        )
    notes = ()
    if kept < len(entries):
        notes = (f"{name}: skipped {len(entries) - kept} of {len(entries)} entries without both a Chinese and an English term",)
    return Parsed(terms=tuple(terms), settings=(("format", f"tbx ({root.tag})"),), notes=notes)
