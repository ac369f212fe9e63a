"""``npfterm lookup``: a private, offline Linguee over the store.

Runs as a cold process each time, so it imports only the store and the
lookup module; the aligner loads only when an empty store is first filled
with the bundled corpus.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

import typer

from npfterm.cli.common import DB_HELP, app, console, handle_errors, stderr
from npfterm.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from npfterm.lookup import Example, LookupResult, Match
    from npfterm.store.db import Store

HIGHLIGHT = "bold yellow"


def marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` as rich markup with ``spans`` highlighted (the rest escaped)."""
    from rich.markup import escape

    out, at = [], 0
    for a, b in spans:
        out.append(escape(text[at:a]))
        out.append(f"[{HIGHLIGHT}]{escape(text[a:b])}[/]")
        at = b
    out.append(escape(text[at:]))
    return "".join(out)


def _match_table(matches: Sequence["Match"]) -> object:
    from rich.table import Table

    table = Table(expand=False)
    for name in ("zh", "en", "pinyin"):
        table.add_column(name, overflow="fold")
    for name in ("score", "count"):
        table.add_column(name, justify="right", no_wrap=True)
    for name in ("evidence", "match"):
        table.add_column(name, no_wrap=True)
    for m in matches:
        how = "exact" if m.kind == "exact" else f"~{m.similarity:.0%}" if m.kind == "fuzzy" else "dictionary"
        table.add_row(m.zh, m.en, m.pinyin, f"{m.score:.2f}", str(m.count), m.evidence, how, style="dim" if m.kind == "fuzzy" else "")
    return table


def render_result(result: "LookupResult", out: "Console") -> None:
    """Corpus matches, then dictionary entries (clearly apart), then examples with the term highlighted."""
    corpus = [m for m in result.matches if m.kind != "dictionary"]
    dictionary = [m for m in result.matches if m.kind == "dictionary"]
    from rich.markup import escape

    if corpus:
        out.print(f"[bold]{escape(result.query)}[/] — in your corpus")
        out.print(_match_table(corpus))
    if dictionary:
        out.print(f"[bold]{escape(result.query)}[/] — from CC-CEDICT, not in your corpus")
        out.print(_match_table(dictionary))
    if result.examples:
        out.print(f"Examples ({len(result.examples)}):")
        out.print(example_grid(result.examples))


def example_grid(examples: Sequence["Example"]) -> object:
    """Numbered examples: Chinese, English, then the document, each under the other."""
    from rich.markup import escape
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for n, ex in enumerate(examples, 1):
        grid.add_row(f"{n}.", marked(ex.zh, ex.zh_spans))
        grid.add_row("", marked(ex.en, ex.en_spans))
        grid.add_row("", f"[dim]— {escape(ex.doc)}[/]")
    return grid


def ensure_corpus(store: "Store") -> None:
    """Fill an empty store with the bundled corpus first, saying so on stderr."""
    if not store.is_empty():
        return
    from npfterm.store.bundled import bootstrap, corpus_files

    files = corpus_files()
    if not files:
        return
    plural = "" if len(files) == 1 else "s"
    stderr(f"The store {store.path} is empty: aligning the bundled corpus ({len(files)} document{plural}) into it first.")
    bootstrap(store, files, mode="lexical")


@app.command()
@handle_errors
def lookup(
    query: str = typer.Argument(..., help="A term in Chinese (simplified or traditional), English, or pinyin."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: query, matches, examples."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, help="At most this many matches and this many examples."),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Find a term's translations in your texts, with bilingual examples; exit 1 if nothing matches."""
    from npfterm.lookup import normalise_query
    from npfterm.store.db import Store

    if not normalise_query(query):
        raise InputError("the query is empty; give a term in Chinese, English or pinyin")
    with Store.open(db) as store:
        ensure_corpus(store)
        result = store.lookup(query, limit=limit)
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        render_result(result, console())
    if not result.matches and not result.examples:
        stderr(f"No match for {query!r} in the store or in CC-CEDICT.")
        raise typer.Exit(1)
