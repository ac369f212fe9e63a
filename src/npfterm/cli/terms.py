"""``npfterm terms``: term pairs of a bilingual document, shown or written, and stored."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional, Sequence

import typer

from npfterm.cli.align import check_output, check_store, kept_line, stored_line
from npfterm.cli.common import Command, app, console, handle_errors, stderr, store_file
from npfterm.cli.options import (
    db_option,
    format_option,
    max_size_option,
    min_score_option,
    mode_option,
    name_option,
    no_store_option,
    output_option,
    sentences_option,
    src_lang_option,
    tgt_lang_option,
)
from npfterm.formats.writing import term_formats

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from npfterm.models import TermPair

TERM_FORMATS = ("table", *term_formats())


def render_terms(terms: Sequence["TermPair"], out: "Console") -> None:
    """zh | en | pinyin | score | count | evidence, best first."""
    from rich.table import Table

    table = Table(expand=False)
    for name in ("zh", "en", "pinyin"):
        table.add_column(name, overflow="fold")
    for name in ("score", "count"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("evidence", no_wrap=True)
    for t in terms:
        table.add_row(t.zh, t.en, t.pinyin, f"{t.score:.2f}", str(t.count), t.evidence)
    out.print(table)


@app.command(cls=Command, short_help="Extract Chinese–English term pairs from a document.")
@handle_errors
def terms(
    inputs: List[str] = typer.Argument(
        ..., metavar="INPUT...", help="One bilingual file, or a Chinese and an English file (either order); '-' is stdin."
    ),
    fmt: str = format_option(
        "table", TERM_FORMATS,
        ", ".join(TERM_FORMATS) + " (tsv/csv columns: zh, en, pinyin, score, count, evidence, example_zh, example_en).",
    ),
    output: Optional[Path] = output_option(),
    min_score: float = min_score_option("term pairs"),
    src_lang: str = src_lang_option(help="Language code for Chinese in TBX."),
    tgt_lang: str = tgt_lang_option(help="Language code for English in TBX."),
    db: Optional[Path] = db_option(),
    no_store: bool = no_store_option("the document"),
    mode: str = mode_option("Alignment mode: hybrid (default) or lexical (no sentence encoder to load)."),
    sentences: bool = sentences_option(),
    max_size: int = max_size_option(64),
    name: Optional[str] = name_option(),
) -> None:
    """Extract Chinese–English term pairs (stated in brackets or shown by aligned sentences), best first."""
    from npfterm.alignment.document import AlignOptions
    from npfterm.formats.writing import alignment_meta, export_terms
    from npfterm.outputs import open_output, protecting
    from npfterm.pipeline import align_files
    from npfterm.store.ingest import extract, ingest

    with protecting(inputs, store_file(db)):
        check_output("term", fmt, output)
        if not no_store:
            check_store(db)
        alignment = align_files(inputs, AlignOptions(mode=mode), sentences=sentences, max_bytes=max_size * 1024 * 1024)
        with contextlib.ExitStack() as stack:
            from npfterm.store.db import Store

            # an existing store's documents count towards termhood; a new one is made only after the output
            store = stack.enter_context(Store.open(db)) if not no_store and store_file(db).exists() else None
            found = extract(alignment, store)
            shown = [t for t in found if t.score >= min_score]
            # the output first: if storing then fails (busy, full disk), the terms are not lost
            if fmt == "table":
                with open_output(output) as fh:
                    render_terms(shown, console(fh if output else None, plain=output is not None))
            else:
                export_terms(fmt, shown, output, alignment_meta(alignment, src_lang, tgt_lang))
            if not no_store:
                if store is None:
                    store = stack.enter_context(Store.open(db))
                done = ingest(alignment, inputs, store, terms=found, name=name)
                if done.kept_reviewed:
                    stderr(kept_line(alignment, done.kept_reviewed))
                else:
                    stderr(stored_line(alignment, len(found), store.path, done.replaced, name))
    if not found:
        stderr("Warning: no term pairs found (none stated in brackets, none matched in the aligned sentences)")
    elif output is not None:
        stderr(f"Wrote {len(shown)} term pair{'' if len(shown) == 1 else 's'} to {output}")
