"""``npfterm docs``: the documents in the store — id, name, source, sizes, date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

import typer

from npfterm.cli.common import DB_HELP, app, choice, console, handle_errors

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


@app.command("docs")
@handle_errors
def docs(
    fmt: str = typer.Option("table", "--format", "-f", callback=choice("--format", DOCS_FORMATS), help="table, tsv or json."),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
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
