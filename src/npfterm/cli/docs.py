"""``npfterm docs``: the documents in the store — id, name, source, sizes, date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

import typer

from npfterm.cli.common import Command, app, console, handle_errors
from npfterm.cli.options import db_option, format_option

if TYPE_CHECKING:  # pragma: no cover
    from npfterm.store.db import DocumentInfo

DOCS_FORMATS = ("table", "tsv", "json")
COLUMNS = ("id", "name", "path", "zh", "en", "pairs", "added")


def rows(docs: Sequence["DocumentInfo"]) -> list[tuple[str, ...]]:
    """One row of :data:`COLUMNS` per document, as text."""
    return [
        (str(d.id), d.name, d.source_path, str(d.zh_count), str(d.en_count), str(d.bead_count), d.added)
        for d in docs
    ]


@app.command("docs", cls=Command, short_help="List the documents in the store.")
@handle_errors
def docs(
    fmt: str = format_option("table", DOCS_FORMATS, "table, tsv or json."),
    db: Optional[Path] = db_option(),
) -> None:
    """List the store's documents: id, name, source path, sentences per language, pairs, date added."""
    from npfterm.store.db import Store

    with Store.open(db, create=False, read_only=True) as store:
        table = rows(store.documents())
    if fmt == "json":
        typer.echo(json.dumps([dict(zip(COLUMNS, r)) for r in table], ensure_ascii=False, indent=2))
    elif fmt == "tsv":
        for row in (COLUMNS, *table):
            typer.echo("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in row))
    else:
        from rich.table import Table

        out = Table()
        for name in COLUMNS:
            out.add_column(name, justify="right" if name in ("id", "zh", "en", "pairs") else "left", overflow="fold")
        for row in table:
            out.add_row(*row)
        console().print(out)
