"""``npfterm align``: sentence pairs with a confidence each, shown or written."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, List, Optional, Sequence

import typer

from npfterm import __version__
from npfterm.cli.common import DB_HELP, app, choice, console, handle_errors, stderr
from npfterm.formats.writing import pair_formats

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from npfterm.formats.writing import ExportMeta
    from npfterm.models import Alignment

ALIGN_FORMATS = ("table", *pair_formats())
MODE_NAMES = ("hybrid", "lexical")
LOW_CONFIDENCE = 0.5


def summary(alignment: "Alignment") -> str:
    """One line: sentences per side, beads by shape, low-confidence count."""
    counts = ", ".join(f"{kind} ×{n}" for kind, n in alignment.counts().items())
    low = sum(1 for b in alignment.beads if b.score < LOW_CONFIDENCE and b.zh and b.en)
    return (
        f"{len(alignment.zh)} zh / {len(alignment.en)} en sentences · "
        f"{len(alignment.beads)} beads: {counts} · {low} low-confidence"
    )


def render_table(alignment: "Alignment", out: "Console") -> None:
    """Side by side zh | en | score; beads below 0.5 in yellow, unmatched sentences dimmed."""
    from rich.table import Table

    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    # fold: Chinese has no spaces to wrap at, so break anywhere rather than cut
    table.add_column("zh", ratio=2, overflow="fold")
    table.add_column("en", ratio=3, overflow="fold")
    table.add_column("score", justify="right", no_wrap=True)
    for k, pair in enumerate(alignment.pairs(), 1):
        style = "dim" if not pair.complete else ("yellow" if pair.score < LOW_CONFIDENCE else "")
        table.add_row(str(k), pair.zh or "—", pair.en or "—", f"{pair.score:.2f}", style=style)
    out.print(table)
    out.print(summary(alignment), soft_wrap=True)


def export_meta(alignment: "Alignment", src_lang: str, tgt_lang: str) -> "ExportMeta":
    from npfterm.formats.writing import ExportMeta

    return ExportMeta(
        tool_version=__version__,
        signature=alignment.info.signature(),
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        sources=(alignment.source,) if alignment.source else (),
    )


@app.command()
@handle_errors
def align(
    inputs: List[str] = typer.Argument(
        ...,
        help="One bilingual file, or a Chinese and an English file (either order); '-' is stdin. "
        "A folder or more than two files: every document in it (NAME.zh.txt + NAME.en.txt, "
        "zh/NAME + en/NAME, or one file with both languages), in parallel.",
    ),
    fmt: str = typer.Option(
        "table", "--format", "-f", callback=choice("--format", ALIGN_FORMATS),
        help=", ".join(ALIGN_FORMATS) + " (moses writes OUT.zh and OUT.en).",
    ),
    output: Optional[str] = typer.Option(
        None, "--output", "-o",
        help="Write here instead of stdout. For a folder of documents: DIR/ writes DIR/NAME.<ext> each; "
        "a file gets them all, each record naming its document.",
    ),
    sentences: bool = typer.Option(
        False, "--sentences", help="Both inputs are already one sentence per line: no parsing or splitting."
    ),
    mode: str = typer.Option(
        "hybrid", "--mode", callback=choice("--mode", MODE_NAMES),
        help="hybrid: dictionary + sentence encoder + length (default); lexical: dictionary + length, learns from the document, no encoder to load.",
    ),
    src_lang: str = typer.Option("zh-CN", "--src-lang", help="Language code for Chinese in TMX."),
    tgt_lang: str = typer.Option("en-US", "--tgt-lang", help="Language code for English in TMX."),
    max_size: int = typer.Option(64, "--max-size", min=1, help="Refuse input files larger than this many MB."),
    workers: Optional[int] = typer.Option(
        None, "--workers", "-j", min=1, help="Documents aligned at once (default: one per CPU core; 1: in this process)."
    ),
    dask: Optional[str] = typer.Option(
        None, "--dask", metavar="ADDRESS", help="Align the documents on this Dask cluster (e.g. tcp://host:8786)."
    ),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    no_store: bool = typer.Option(False, "--no-store", help="Do not add the documents and their term pairs to the store."),
) -> None:
    """Align Chinese and English sentences and show or write the pairs with a confidence each."""
    from npfterm.align.document import AlignOptions
    from npfterm.batch import AlignJob, is_batch
    from npfterm.formats.writing import export_pairs
    from npfterm.outputs import open_output
    from npfterm.pipeline import align_files

    if is_batch(inputs):
        from npfterm.cli.align_batch import BatchRequest, align_batch

        job = AlignJob(AlignOptions(mode=mode), sentences=sentences, max_bytes=max_size * 1024 * 1024)
        request = BatchRequest(tuple(inputs), job, fmt, output, workers, dask, src_lang, tgt_lang)
        with storing(db, no_store, inputs) as keep:
            code = align_batch(request, keep=keep)
        raise typer.Exit(code)
    if dask:
        raise typer.BadParameter("a cluster aligns many documents: give a folder or several files", param_hint="--dask")
    check_output("pair", fmt, output)
    if not no_store:
        check_store(db)
    alignment = align_files(
        inputs, AlignOptions(mode=mode), sentences=sentences, max_bytes=max_size * 1024 * 1024
    )
    # the output first: if the store then fails (busy, full disk), the alignment is not lost
    if fmt == "table":
        with open_output(output) as fh:
            render_table(alignment, console(fh if output else None, plain=output is not None))
    else:
        export_pairs(fmt, alignment.pairs(), output, export_meta(alignment, src_lang, tgt_lang))
        if output:
            stderr(f"Wrote {output}: {summary(alignment)}")
    if not no_store:
        store_one(alignment, inputs, db)


def check_store(db: Optional[Path]) -> None:
    """Raise TermbaseError now if an existing store cannot be used (not a database, too new, …).

    A missing store is fine: it is created when the result is stored.
    """
    from npfterm.store.db import Store, default_path

    if (Path(db).expanduser() if db is not None else default_path()).exists():
        Store.open(db, create=False).close()


def check_output(kind: str, fmt: str, output: "str | Path | None") -> None:
    """Raise ExportError now if the output cannot be written: before aligning and storing, not after."""
    from npfterm.formats.writing import check_destination
    from npfterm.outputs import check_writable

    if fmt != "table":
        check_destination(kind, fmt, output)
    elif output:
        check_writable(Path(output))


def store_one(alignment: "Alignment", inputs: Sequence[str], db: Optional[Path]) -> None:
    """Add one aligned document and its term pairs to the store, and say so on stderr."""
    from npfterm.store.db import Store
    from npfterm.store.ingest import ingest

    with Store.open(db) as store:
        found = ingest(alignment, inputs, store)
        stderr(stored_line(alignment, len(found.terms), store.path))


def stored_line(alignment: "Alignment", terms: int, path: Path) -> str:
    beads = sum(1 for b in alignment.beads if b.zh and b.en)
    name = alignment.source or "the document"
    return f"Stored {name} in {path}: {beads} sentence pair{'' if beads == 1 else 's'}, {terms} term pair{'' if terms == 1 else 's'}"


@contextlib.contextmanager
def storing(db: Optional[Path], no_store: bool, inputs: Sequence[str]) -> Iterator[Optional[Callable[["Alignment"], None]]]:
    """For a batch: a function that stores each finished alignment (None with --no-store)."""
    if no_store:
        yield None
        return
    from npfterm.store.db import Store
    from npfterm.store.ingest import alignment_hash, extract

    root = Path(inputs[0]).resolve() if len(inputs) == 1 else Path.cwd()
    with Store.open(db) as store:

        def keep(alignment: "Alignment") -> None:
            terms = extract(alignment, store)
            store.add_alignment(
                alignment, source_path=str(root / alignment.source), content_hash=alignment_hash(alignment), terms=terms
            )

        yield keep
