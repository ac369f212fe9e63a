"""``npfterm align``: sentence pairs with a confidence each, shown or written."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, List, Optional, Sequence

import typer

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
from npfterm.cli.render import render_table, scored_pairs, summary
from npfterm.formats.writing import pair_formats

if TYPE_CHECKING:  # pragma: no cover
    from npfterm.formats.writing import ExportMeta
    from npfterm.models import Alignment

ALIGN_FORMATS = ("table", *pair_formats(), "html")
VIEW_FORMATS = ("table", "html")  # what only align writes: a view of one alignment, not a record per pair


@app.command(cls=Command, short_help="Align Chinese and English sentences; show or write the pairs.")
@handle_errors
def align(
    inputs: List[str] = typer.Argument(
        ...,
        metavar="INPUT...",
        help="One bilingual file, or a Chinese and an English file (either order); '-' is stdin. "
        "A folder or more than two files: every document in it (NAME.zh.txt + NAME.en.txt, "
        "zh/NAME + en/NAME, or one file with both languages), in parallel.",
    ),
    fmt: str = format_option("table", ALIGN_FORMATS, ", ".join(ALIGN_FORMATS) + " (moses writes OUT.zh and OUT.en)."),
    output: Optional[str] = output_option(
        "Write here instead of stdout. For a folder of documents: DIR/ writes DIR/NAME.EXT for each (EXT from the format); "
        "a file gets them all, each record naming its document."
    ),
    min_score: float = min_score_option("pairs (both sides present)"),
    sentences: bool = sentences_option(),
    mode: str = mode_option(
        "hybrid: dictionary + sentence encoder + length (default); lexical: dictionary + length, learns from the document, no encoder to load."
    ),
    src_lang: str = src_lang_option(help="Language code for Chinese in TMX."),
    tgt_lang: str = tgt_lang_option(help="Language code for English in TMX."),
    max_size: int = max_size_option(64),
    workers: Optional[int] = typer.Option(
        None, "--workers", "-j", metavar="N", min=1, max=1024,
        help="Documents aligned at once (default: one per CPU core; 1: in this process).",
    ),
    dask: Optional[str] = typer.Option(
        None, "--dask", metavar="ADDRESS", help="Align the documents on this Dask cluster (e.g. tcp://host:8786)."
    ),
    db: Optional[Path] = db_option(),
    no_store: bool = no_store_option("the documents"),
    name: Optional[str] = name_option(),
    replace_reviewed: bool = typer.Option(
        False, "--replace-reviewed", help="Replace a stored version whose beads were corrected in the review page (kept by default)."
    ),
) -> None:
    """Align Chinese and English sentences and show or write the pairs with a confidence each."""
    from npfterm.alignment.document import AlignOptions
    from npfterm.batch import AlignJob, is_batch
    from npfterm.formats.writing import alignment_meta, export_pairs
    from npfterm.outputs import open_output, protecting
    from npfterm.pipeline import align_files

    if name is not None and is_batch(inputs):
        raise typer.BadParameter("names one document; a folder's documents are named by their files", param_hint="--name")
    with protecting(inputs, store_file(db)):
        if is_batch(inputs):
            from npfterm.cli.align_batch import BatchRequest, align_batch, check_targets

            if fmt == "html":
                raise typer.BadParameter("the HTML report shows one document; align one at a time", param_hint="--format")
            job = AlignJob(AlignOptions(mode=mode), sentences=sentences, max_bytes=max_size * 1024 * 1024)
            request = BatchRequest(tuple(inputs), job, fmt, output, workers, dask, src_lang, tgt_lang, min_score)
            check_targets(request)  # before the store is opened: a refused run changes nothing
            with storing(db, no_store, replace_reviewed) as keep:
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
                render_table(alignment, console(fh if output else None, plain=output is not None), min_score)
        elif fmt == "html":
            write_report(alignment, output, alignment_meta(alignment, src_lang, tgt_lang))
        else:
            export_pairs(fmt, scored_pairs(alignment, min_score), output, alignment_meta(alignment, src_lang, tgt_lang))
            if output:
                stderr(f"Wrote {output}: {summary(alignment)}")
        if not no_store:
            store_one(alignment, inputs, db, name, replace_reviewed)


def write_report(alignment: "Alignment", output: Optional[str], meta: "ExportMeta") -> None:
    """The self-contained HTML report: pairs, unmatched sentences, settings, the path over the similarity matrix."""
    from npfterm.alignment.similarity import similarity_matrix
    from npfterm.formats.html import write_html
    from npfterm.outputs import open_output

    with open_output(output) as fh:
        write_html(alignment, similarity_matrix(alignment), fh, meta)
    if output:
        stderr(f"Wrote {output}: {summary(alignment)}")


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

    if fmt not in VIEW_FORMATS:
        check_destination(kind, fmt, output)
    elif output:
        check_writable(Path(output))


def store_one(
    alignment: "Alignment", inputs: Sequence[str], db: Optional[Path], name: Optional[str] = None, replace_reviewed: bool = False
) -> None:
    """Add one aligned document and its term pairs to the store, and say so on stderr."""
    from npfterm.store.db import Store
    from npfterm.store.ingest import ingest

    with Store.open(db) as store:
        found = ingest(alignment, inputs, store, name=name, replace_reviewed=replace_reviewed)
        if found.kept_reviewed:
            stderr(kept_line(alignment, found.kept_reviewed))
        else:
            stderr(stored_line(alignment, len(found.terms), store.path, found.replaced, name))


def kept_line(alignment: "Alignment", reviewed: int) -> str:
    """The warning when the store kept a reviewed version instead of this alignment."""
    name = alignment.source or "the document"
    return (
        f"Warning: kept the reviewed version of {name} in the store ({reviewed} reviewed bead{'' if reviewed == 1 else 's'});"
        " align with --replace-reviewed to replace it"
    )


def stored_line(alignment: "Alignment", terms: int, path: Path, replaced: str = "", name: Optional[str] = None) -> str:
    """``Stored NAME in STORE (replaces …): N sentence pairs, M term pairs``."""
    beads = sum(1 for b in alignment.beads if b.zh and b.en)
    name = name or alignment.source or "the document"
    note = f" ({replaced})" if replaced else ""
    return (
        f"Stored {name} in {path}{note}: {beads} sentence pair{'' if beads == 1 else 's'}, "
        f"{terms} term pair{'' if terms == 1 else 's'}"
    )


@contextlib.contextmanager
def storing(
    db: Optional[Path], no_store: bool, replace_reviewed: bool = False
) -> Iterator[Optional[Callable[["Alignment", Sequence[str]], None]]]:
    """For a batch: a function that stores each finished alignment, given its files (None with --no-store)."""
    if no_store:
        yield None
        return
    from npfterm.store.db import Store
    from npfterm.store.ingest import ingest

    with Store.open(db) as store:

        def keep(alignment: "Alignment", paths: Sequence[str]) -> None:
            found = ingest(alignment, paths, store, replace_reviewed=replace_reviewed)
            if found.kept_reviewed:
                stderr(kept_line(alignment, found.kept_reviewed))

        yield keep
