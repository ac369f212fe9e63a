"""``npfterm export`` and ``npfterm import``: the store to and from translators' tools.

Both are thin: export streams the store through one exporter
(``npfterm.formats.writing``); import parses the whole file first
(``npfterm.formats.reading``) and then hands it to the store in one transaction, so
a malformed file changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

import typer

from npfterm import __version__
from npfterm.cli.common import DB_HELP, app, choice, handle_errors, stderr
from npfterm.formats.reading import import_formats
from npfterm.formats.writing import PAIR_FORMATS, TERM_FORMATS, ExportMeta
from npfterm.formats.xml import is_lang_code

if TYPE_CHECKING:  # pragma: no cover
    from npfterm.store.db import DocumentInfo

WHAT = ("tm", "terms")
DEFAULT_FORMAT = {"tm": "tmx", "terms": "tbx"}


def _lang_code(name: str) -> Callable[[Optional[str]], Optional[str]]:
    """A typer callback: a language code goes into xml:lang, so a typo must stop here."""

    def check(value: Optional[str]) -> Optional[str]:
        if value is not None and not is_lang_code(value):
            raise typer.BadParameter(f"{value!r} is not a language code like zh-CN or en-US", param_hint=name)
        return value

    return check


def _meta(docs: "list[DocumentInfo]", src_lang: str, tgt_lang: str) -> ExportMeta:
    """Provenance for the file header: the documents and, when they agree, their settings signature."""
    signatures = {d.signature for d in docs if d.signature}
    return ExportMeta(
        tool_version=__version__,
        signature=signatures.pop() if len(signatures) == 1 else "",
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        sources=tuple(d.name for d in docs),
    )


def _written(what: str, fmt: str, count: int, output: Optional[Path]) -> str:
    spec = (PAIR_FORMATS if what == "tm" else TERM_FORMATS)[fmt]
    noun = ("translation unit" if what == "tm" else "term pair") + ("" if count == 1 else "s")
    if spec.suffixes:
        from npfterm.formats.writing import output_paths

        where = " and ".join(str(p) for p in output_paths(spec, output or Path("-")))
    else:
        where = str(output)
    return f"Wrote {count} {noun} to {where}"


@app.command("export")
@handle_errors
def export(
    what: str = typer.Argument(..., callback=choice("WHAT", WHAT), help="tm (aligned sentence pairs) or terms."),
    fmt: Optional[str] = typer.Option(
        None, "--format", "-f",
        help="tm: tmx (default), jsonl, tsv, csv, beads, moses; terms: tbx (default), tbx3, omegat, csv, tsv, json, jsonl.",
    ),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Write here instead of stdout; moses writes OUT.zh and OUT.en."
    ),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    min_score: float = typer.Option(0.0, "--min-score", min=0.0, max=1.0, help="Leave out pairs scored below this."),
    doc: Optional[int] = typer.Option(None, "--doc", help="Only this document's units (tm only)."),
    src_lang: str = typer.Option("zh-CN", "--src-lang", callback=_lang_code("--src-lang"), help="Language code for Chinese in TMX/TBX."),
    tgt_lang: str = typer.Option("en-US", "--tgt-lang", callback=_lang_code("--tgt-lang"), help="Language code for English in TMX/TBX."),
) -> None:
    """Write the store's translation memory or term pairs for another tool."""
    fmt = fmt or DEFAULT_FORMAT[what]
    formats = PAIR_FORMATS if what == "tm" else TERM_FORMATS
    if fmt not in formats:
        raise typer.BadParameter(f"{fmt!r} is not one of: {', '.join(formats)}", param_hint="--format")
    if doc is not None and what != "tm":
        raise typer.BadParameter("documents hold translation units; term pairs are store-wide", param_hint="--doc")
    from npfterm.formats.writing import export_pairs, export_terms
    from npfterm.store.db import Store

    with Store.open(db, create=False) as store:
        docs = store.documents()
        if doc is not None:
            docs = [d for d in docs if d.id == doc]
            if not docs:
                raise typer.BadParameter(f"the store has no document {doc}", param_hint="--doc")
        meta = _meta(docs, src_lang, tgt_lang)
        if what == "tm":
            count = export_pairs(fmt, store.iter_pairs(doc_id=doc, min_score=min_score), output, meta)
        else:
            count = export_terms(fmt, store.iter_terms(min_score=min_score), output, meta)
    if count == 0:
        kind = "translation units" if what == "tm" else "term pairs"
        stderr(f"Warning: nothing to export: the store holds no {kind}" + (f" scored {min_score:g} or more" if min_score else ""))
    if output is not None:
        stderr(_written(what, fmt, count, output))


@app.command("import")
@handle_errors
def import_(
    file: Path = typer.Argument(..., help="A TMX memory, a TBX termbase, a CSV/TSV glossary, or npfterm JSON Lines."),
    fmt: str = typer.Option(
        "auto", "--format", "-f", callback=choice("--format", ("auto", *import_formats())),
        help="auto (from the file name, else its content), tmx, tbx, csv, tsv, jsonl or json.",
    ),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    src_lang: Optional[str] = typer.Option(
        None, "--src-lang", callback=_lang_code("--src-lang"),
        help="The code that marks Chinese in a TMX/TBX file (default: any zh code).",
    ),
    tgt_lang: Optional[str] = typer.Option(
        None, "--tgt-lang", callback=_lang_code("--tgt-lang"),
        help="The code that marks English in a TMX/TBX file (default: any en code).",
    ),
    max_size: int = typer.Option(256, "--max-size", min=1, help="Refuse files larger than this many MB."),
) -> None:
    """Add a translation memory or glossary to the store: all of it, or nothing if it is malformed."""
    from npfterm.formats.reading import LangCodes, load

    # Parse the whole file before the store is opened: a malformed file changes nothing.
    langs = LangCodes(src_lang, tgt_lang)
    imported = load(file, None if fmt == "auto" else fmt, langs, max_bytes=max_size * 1024 * 1024)
    for note in imported.parsed.notes:
        stderr(f"Warning: {note}")
    from npfterm.store.db import Store

    with Store.open(db) as store:
        if imported.pairs:
            store.add_pairs(
                imported.pairs, name=imported.name, content_hash=imported.content_hash,
                settings=dict(imported.parsed.settings),
            )
            what, count = ("translation unit" if imported.fmt == "tmx" else "bead"), len(imported.pairs)
        else:
            store.add_terms(imported.terms)
            what, count = "term pair", len(imported.terms)
    stderr(f"Imported {count} {what}{'' if count == 1 else 's'} from {imported.name}")
