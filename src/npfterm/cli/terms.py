"""``npfterm terms``: term pairs of a bilingual document, shown or written, and stored."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional, Sequence

import typer

from npfterm import __version__
from npfterm.cli.align import MODE_NAMES, check_output, check_store, stored_line
from npfterm.cli.common import DB_HELP, app, choice, console, handle_errors, stderr
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


@app.command()
@handle_errors
def terms(
    inputs: List[str] = typer.Argument(
        ..., help="One bilingual file, or a Chinese and an English file (either order); '-' is stdin."
    ),
    fmt: str = typer.Option(
        "table", "--format", "-f", callback=choice("--format", TERM_FORMATS),
        help=", ".join(TERM_FORMATS) + " (tsv/csv columns: zh, en, pinyin, score, count, evidence, example_zh, example_en).",
    ),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    no_store: bool = typer.Option(False, "--no-store", help="Do not add the document and its term pairs to the store."),
    mode: str = typer.Option(
        "hybrid", "--mode", callback=choice("--mode", MODE_NAMES),
        help="Alignment mode: hybrid (default) or lexical (no sentence encoder to load).",
    ),
    sentences: bool = typer.Option(
        False, "--sentences", help="Both inputs are already one sentence per line: no parsing or splitting."
    ),
    max_size: int = typer.Option(64, "--max-size", min=1, help="Refuse input files larger than this many MB."),
) -> None:
    """Extract Chinese–English term pairs (stated in brackets or shown by aligned sentences), best first."""
    from npfterm.align.document import AlignOptions
    from npfterm.formats.writing import ExportMeta, export_terms
    from npfterm.outputs import open_output
    from npfterm.pipeline import align_files
    from npfterm.store.ingest import extract, ingest

    check_output("term", fmt, output)
    if not no_store:
        check_store(db)
    alignment = align_files(inputs, AlignOptions(mode=mode), sentences=sentences, max_bytes=max_size * 1024 * 1024)
    with contextlib.ExitStack() as stack:
        store = None
        if not no_store:
            from npfterm.store.db import Store

            store = stack.enter_context(Store.open(db))
        found = extract(alignment, store)  # the store's documents count towards termhood
        # the output first: if storing then fails (busy, full disk), the terms are not lost
        if fmt == "table":
            with open_output(output) as fh:
                render_terms(found, console(fh if output else None, plain=output is not None))
        else:
            meta = ExportMeta(
                tool_version=__version__, signature=alignment.info.signature(),
                sources=(alignment.source,) if alignment.source else (),
            )
            export_terms(fmt, found, output, meta)
        if store is not None:
            ingest(alignment, inputs, store, terms=found)
            stderr(stored_line(alignment, len(found), store.path))
    if not found:
        stderr("Warning: no term pairs found (none stated in brackets, none matched in the aligned sentences)")
    elif output is not None:
        stderr(f"Wrote {len(found)} term pair{'' if len(found) == 1 else 's'} to {output}")
