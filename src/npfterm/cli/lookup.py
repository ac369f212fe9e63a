"""``npfterm lookup``: a private, offline Linguee over the store.

Runs as a cold process each time, so it imports only the store and the
lookup module.  An empty store is first filled with the bundled corpus from
its shipped snapshots; the aligner loads only for a bundled text without one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

import typer

from npfterm.cli.common import Command, app, console, handle_errors, stderr
from npfterm.cli.options import db_option, format_option
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
    """Fill an empty store with the bundled corpus first: from its shipped snapshots, or aligning it (said on stderr)."""
    if store.read_only or not store.is_empty():
        return
    from npfterm.store.bundled import bootstrap, corpus_files, unaligned

    files = corpus_files()
    if not files:
        return
    slow = unaligned(files)
    if slow:
        plural = "" if len(slow) == 1 else "s"
        stderr(
            f"The store {store.path} is empty: aligning {len(slow)} bundled document{plural} "
            "into it first (hybrid mode; this takes a while)."
        )
    bootstrap(store, files)


@app.command(cls=Command, short_help="Find a term's translations and examples in your texts.")
@handle_errors
def lookup(
    query: str = typer.Argument(
        ..., metavar="QUERY", help="A term in Chinese (simplified or traditional), English, or pinyin."
    ),
    fmt: str = format_option("table", ("table", "json"), "table (default) or json: query, matches, examples."),
    as_json: bool = typer.Option(False, "--json", help="The same as --format json."),
    limit: int = typer.Option(
        10, "--limit", "-n", metavar="N", min=1, max=10_000, help="At most this many matches and this many examples."
    ),
    db: Optional[Path] = db_option(),
) -> None:
    """Find a term's translations in your texts, with bilingual examples; exit 1 if nothing matches.

    The match column says how the query matched the term, not whether the pair is right: "exact" means the
    query is the term (Chinese in either script, English up to case and inflection, pinyin up to tones and
    spaces); "~80%" is a fuzzy match of that similarity; "dictionary" is a CC-CEDICT sense, not from your texts.

    The score says how likely the pair is right: the term extractor's calibrated probability (fitted on term
    gold), times the similarity for a fuzzy match; 0.50 for a dictionary sense; imported glossary rows keep
    their own.
    """
    from npfterm.lookup import lookup as find
    from npfterm.lookup import normalise_query
    from npfterm.store.db import Store

    if not normalise_query(query):
        raise InputError("the query is empty; give a term in Chinese, English or pinyin")
    with Store.open(db, read_only=True) as store:
        ensure_corpus(store)
        result = find(store, query, limit=limit)
    if as_json or fmt == "json":
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        render_result(result, console())
    if not result.matches and not result.examples:
        stderr(f"No match for {query!r} in the store or in CC-CEDICT.")
        raise typer.Exit(1)
