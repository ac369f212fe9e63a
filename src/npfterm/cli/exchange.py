"""``npfterm export`` and ``npfterm import``: the store to and from translators' tools.

Both are thin: export streams the store through one exporter
(``npfterm.formats.writing``); import hands the file to the store in one
transaction (``npfterm.formats.reading.open_import``): a CSV, TSV or TBX
glossary row by row as it is read, anything else parsed whole first.  A
malformed file changes nothing either way: an error mid-stream rolls back.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional, Sequence

import typer

from npfterm.cli.common import Command, app, handle_errors, stderr, store_file
from npfterm.cli.options import (
    choice,
    db_option,
    format_option,
    max_size_option,
    min_score_option,
    name_option,
    output_option,
    src_lang_option,
    tgt_lang_option,
)
from npfterm.formats.reading import import_formats
from npfterm.formats.writing import PAIR_FORMATS, TERM_FORMATS

if TYPE_CHECKING:  # pragma: no cover
    from npfterm.models import AlignedPair
    from npfterm.store.db import Store

WHAT = ("tm", "terms")
UNITS = ("bead", "sentence")
DEFAULT_FORMAT = {"tm": "tmx", "terms": "tbx"}


def _written(what: str, fmt: str, count: int, output: Optional[Path]) -> str:
    spec = (PAIR_FORMATS if what == "tm" else TERM_FORMATS)[fmt]
    noun = ("translation unit" if what == "tm" else "term pair") + ("" if count == 1 else "s")
    if spec.suffixes:
        from npfterm.formats.writing import output_paths

        where = " and ".join(str(p) for p in output_paths(spec, output or Path("-")))
    else:
        where = str(output)
    return f"Wrote {count} {noun} to {where}"


def _sentence_units(store: "Store", doc: Optional[int], min_score: float) -> "Iterator[AlignedPair]":
    """The store's beads as sentence-level units (alignment.subunits), those scored min_score or more."""
    from npfterm.alignment.subunits import bead_text, sentence_units
    from npfterm.text.lexicon import load_cedict

    beads = (bead_text(p, zh, en) for p, zh, en in store.iter_pairs_with_sentences(doc_id=doc, min_score=min_score))
    return (p for p in sentence_units(beads, load_cedict()) if p.score >= min_score)


@app.command("export", cls=Command, short_help="Write the store's memory or term pairs for another tool.")
@handle_errors
def export(
    what: str = typer.Argument(..., metavar="WHAT", callback=choice("WHAT", WHAT), help="tm (aligned sentence pairs) or terms."),
    fmt: Optional[str] = format_option(
        None, None,
        "tm: tmx (default), jsonl, tsv, csv, beads, moses, xlsx; terms: tbx (default), tbx3, omegat, csv, tsv, json, jsonl, xlsx.",
    ),
    output: Optional[Path] = output_option("Write here instead of stdout; moses writes OUT.zh and OUT.en."),
    db: Optional[Path] = db_option(),
    min_score: float = min_score_option(),
    doc: Optional[str] = typer.Option(
        None, "--doc", metavar="NAME|ID", help="Only this document's units (tm only; npfterm docs lists them)."
    ),
    units: str = typer.Option(
        "bead", "--units", metavar="UNITS", callback=choice("--units", UNITS),
        help="tm: bead (default: one unit per aligned bead) or sentence (a bead with several Chinese sentences"
        " split into one unit per sentence where the evidence supports it, for CAT tools that segment by sentence).",
    ),
    src_lang: str = src_lang_option(),
    tgt_lang: str = tgt_lang_option(),
) -> None:
    """Write the store's translation memory or term pairs for another tool."""
    fmt = fmt or DEFAULT_FORMAT[what]
    formats = PAIR_FORMATS if what == "tm" else TERM_FORMATS
    if fmt not in formats:
        raise typer.BadParameter(f"{fmt!r} is not one of: {', '.join(formats)}", param_hint="--format")
    if units != "bead" and what != "tm":
        raise typer.BadParameter("term pairs have no units; --units is for tm", param_hint="--units")
    if doc is not None and what != "tm":
        raise typer.BadParameter("documents hold translation units; term pairs are store-wide", param_hint="--doc")
    from npfterm.formats.writing import export_meta, export_pairs, export_terms
    from npfterm.outputs import protecting
    from npfterm.store.db import Store

    with protecting(store=store_file(db)), Store.open(db, create=False, read_only=True) as store:
        docs = store.documents()
        doc_id = None
        if doc is not None:
            docs = [store.document(doc)]
            doc_id = docs[0].id
        meta = export_meta(docs, src_lang, tgt_lang)
        if what == "tm" and units == "sentence":
            meta = replace(meta, settings=(*meta.settings, ("units", "sentence")))
            count = export_pairs(fmt, _sentence_units(store, doc_id, min_score), output, meta)
        elif what == "tm":
            count = export_pairs(fmt, store.iter_pairs(doc_id=doc_id, min_score=min_score), output, meta)
        else:
            count = export_terms(fmt, store.iter_terms(min_score=min_score), output, meta)
    if count == 0:
        kind = "translation units" if what == "tm" else "term pairs"
        stderr(f"Warning: nothing to export: the store holds no {kind}" + (f" scored {min_score:g} or more" if min_score else ""))
    if output is not None:
        stderr(_written(what, fmt, count, output))


@app.command("import", cls=Command, short_help="Add a TMX, TBX, CSV/TSV, xlsx or JSON Lines file to the store.")
@handle_errors
def import_(
    file: Path = typer.Argument(
        ..., metavar="FILE",
        help="A TMX memory, a TBX termbase, a CSV/TSV/xlsx glossary or alignment sheet, or npfterm JSON Lines.",
    ),
    fmt: str = format_option(
        "auto", ("auto", *import_formats()), "auto (from the file name, else its content), tmx, tbx, csv, tsv, jsonl, json or xlsx."
    ),
    db: Optional[Path] = db_option(),
    src_lang: Optional[str] = src_lang_option(None, "The code that marks Chinese in a TMX/TBX file (default: any zh code)."),
    tgt_lang: Optional[str] = tgt_lang_option(None, "The code that marks English in a TMX/TBX file (default: any en code)."),
    max_size: int = max_size_option(256),
    name: Optional[str] = name_option(),
    as_: Optional[str] = typer.Option(
        None, "--as", metavar="tm", callback=lambda v: v if v is None else choice("--as", ("tm",))(v),
        help="tm: a CSV/TSV/xlsx table's rows are translation units of a reviewed document, not glossary terms "
        "(npfterm's own alignment sheet is recognised without it).",
    ),
) -> None:
    """Add a translation memory or glossary to the store: all of it, or nothing if it is malformed."""
    from npfterm.formats.reading import LangCodes, StreamedTerms, open_import
    from npfterm.store.db import Store
    from npfterm.store.ingest import add_terms, replacement_note, source_path

    # A CSV, TSV or TBX glossary streams into one transaction that a malformed row rolls back;
    # anything else is parsed whole before the store is opened.  Either way a bad file changes nothing.
    langs = LangCodes(src_lang, tgt_lang)
    imported = open_import(file, None if fmt == "auto" else fmt, langs, max_bytes=max_size * 1024 * 1024, as_tm=as_ == "tm")
    note = ""
    if isinstance(imported, StreamedTerms):
        with Store.open(db) as store:
            what, count = "term pair", add_terms(store, imported)
        _term_notes(imported.notes, imported.rows, count, imported.name)
    else:
        for warning in imported.parsed.notes:
            stderr(f"Warning: {warning}")
        with Store.open(db) as store:
            if imported.pairs:
                key = source_path([str(file)], imported.content_hash)
                note = replacement_note(store.replaced_by(key, name), imported.content_hash)
                store.add_pairs(
                    imported.pairs, name=name or imported.name, content_hash=imported.content_hash,
                    settings=dict(imported.parsed.settings), source_path=key, replace_name=name is not None,
                )
                what, count = ("translation unit" if imported.fmt in ("tmx", "csv", "tsv", "xlsx") else "bead"), len(imported.pairs)
            else:
                what, count = "term pair", add_terms(store, imported.terms)
        if not imported.pairs:
            _term_notes((), len(imported.terms), count, imported.name)
    notes = "; ".join(n for n in (imported.detection.describe() if imported.detection else "", note) if n)
    stderr(f"Imported {count} {what}{'' if count == 1 else 's'} from {imported.name}" + (f" ({notes})" if notes else ""))


def _term_notes(warnings: Sequence[str], rows: int, count: int, name: str) -> None:
    """The reader's warnings, then how many rows repeated a pair: every distinct (zh, en) pair as written
    is one term, so ``count``, what the store added or updated, is the distinct pairs of ``rows``."""
    for warning in warnings:
        stderr(f"Warning: {warning}")
    if rows > count:
        repeats = rows - count
        verb = "repeat" if repeats > 1 else "repeats"
        stderr(f"Note: {repeats} row{'s' if repeats > 1 else ''} of {name} {verb} a pair given above")
