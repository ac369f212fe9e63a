"""``npfterm align DIR`` (or several files): many documents, in parallel, with progress.

``cli/align.py`` hands over here when its inputs are a folder or more than two
files.  The work is ``npfterm.batch`` (or ``npfterm.distributed`` with
``--dask``); this module decides where each result goes — one file per
document (``-o DIR/``), one combined stream (``-o FILE`` or stdout), or a
summary table — and says what happened: a progress bar on a terminal, one
``Error: NAME: …`` line per failed document, one summary line at the end.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional, Sequence

from npfterm.batch import (
    AlignJob,
    DocResult,
    Document,
    default_workers,
    discover,
    process_pool,
    run_batch,
)
from npfterm.cli.common import console, hint_text, stderr
from npfterm.cli.render import LOW_CONFIDENCE, render_table, scored_pairs
from npfterm.errors import ExportError, NpftermError
from npfterm.formats.writing import alignment_meta
from npfterm.version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from npfterm.batch import Submitter
    from npfterm.models import AlignedPair, Alignment

#: File name extension of a per-document output, by ``--format`` (moses adds .zh and .en itself).
SUFFIXES = {"jsonl": ".jsonl", "tsv": ".tsv", "csv": ".csv", "beads": ".align", "tmx": ".tmx", "table": ".txt", "moses": ""}

Keep = Callable[["Alignment", Sequence[str]], None]  # an alignment and its files


@dataclass(frozen=True)
class BatchRequest:
    """Everything ``align`` was asked, in the form the batch needs."""

    inputs: tuple[str, ...]
    job: AlignJob
    fmt: str = "table"
    output: Optional[str] = None
    workers: Optional[int] = None
    dask: Optional[str] = None
    src_lang: str = "zh-CN"
    tgt_lang: str = "en-US"
    min_score: float = 0.0


def is_folder_target(output: Optional[str]) -> bool:
    """``-o out/`` or an existing folder: one file per document."""
    return output is not None and (output.endswith(("/", "\\")) or Path(output).is_dir())


def align_batch(request: BatchRequest, keep: Optional[Keep] = None) -> int:
    """Align every document and write or show the results; the exit code (1 if any failed).

    ``keep`` is called with each alignment before it is written (the store).
    """
    docs = discover(request.inputs)
    check_targets(request, docs)
    with _reporter(len(docs)) as report, _executor(request, docs) as (executor, window):
        tally = _Tally(report, keep, {d.name: d.paths for d in docs})
        results = run_batch(docs, request.job, executor, window=window, on_done=report.advance)
        wrote = _write(request, docs, tally, tally.accepted(results))
    if request.fmt == "table" and request.output is None:
        _summary_table(tally.rows)
    stderr(tally.line(len(docs), wrote))
    return 1 if tally.failed else 0


def check_targets(request: BatchRequest, docs: Optional[list[Document]] = None) -> None:
    """Refuse now (OverwriteError, ExportError) outputs that would overwrite an input or cannot be made.

    Before any document is aligned or stored: a folder output whose files
    would replace the inputs (``align DIR -o DIR/``) or that cannot be written in.
    """
    from npfterm.outputs import check_folder_writable, check_writable, refuse_protected

    if request.output is None:
        return
    if not is_folder_target(request.output):
        if request.fmt == "moses":
            from npfterm.formats.writing import PAIR_FORMATS, output_paths

            for path in output_paths(PAIR_FORMATS["moses"], request.output):
                check_writable(path)
        else:
            check_writable(Path(request.output))
        return
    folder = Path(str(request.output))
    check_folder_writable(folder)
    for doc in docs if docs is not None else discover(request.inputs):
        for target in _document_targets(request.fmt, folder, doc.name):
            refuse_protected(target)


def _document_targets(fmt: str, folder: Path, name: str) -> tuple[Path, ...]:
    """The file(s) one document's output goes to in a folder."""
    from npfterm.formats.writing import PAIR_FORMATS, output_paths

    target = folder / f"{name}{SUFFIXES[fmt]}"
    spec = PAIR_FORMATS.get(fmt)
    return output_paths(spec, target) if spec is not None and spec.suffixes else (target,)


# --- where the work runs ------------------------------------------------------


@contextlib.contextmanager
def _executor(request: BatchRequest, docs: list[Document]) -> Iterator[tuple[Optional["Submitter"], int]]:
    """(executor, window): a Dask cluster, a local process pool, or None for in-process."""
    mode = request.job.options.mode
    if request.dask:
        from npfterm.distributed import dask_executor

        with dask_executor(request.dask, mode) as (executor, threads):
            yield executor, max(8, 4 * threads)
        return
    alignable = sum(1 for d in docs if not d.problem)
    workers = min(request.workers or default_workers(), alignable)
    if workers <= 1:
        yield None, 1
        return
    with process_pool(workers, mode) as pool:
        yield pool, 4 * workers


# --- what the user sees while it runs -------------------------------------------


class _Plain:
    """No terminal: no progress bar, messages as plain lines."""

    def advance(self, result: DocResult) -> None:
        pass

    def say(self, message: str) -> None:
        stderr(message)


class _Bar:
    """A rich progress bar with ETA on stderr; messages print above it."""

    def __init__(self, progress: object, task: object) -> None:
        self._progress = progress
        self._task = task

    def advance(self, result: DocResult) -> None:
        self._progress.advance(self._task)  # type: ignore[attr-defined]

    def say(self, message: str) -> None:
        self._progress.console.print(message, markup=False, highlight=False, soft_wrap=True)  # type: ignore[attr-defined]


@contextlib.contextmanager
def _reporter(total: int) -> Iterator[_Plain | _Bar]:
    if not sys.stderr.isatty():
        yield _Plain()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("Aligning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("ETA"), TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        yield _Bar(progress, progress.add_task("align", total=total))


# --- results ----------------------------------------------------------------------


@dataclass
class _Tally:
    """Counts and one row per document, for the summary line and table."""

    report: _Plain | _Bar
    keep: Optional[Keep]
    paths: dict[str, tuple[str, ...]] = field(default_factory=dict)  # each document's files, by name
    ok: int = 0
    failed: int = 0
    zh: int = 0
    en: int = 0
    beads: int = 0
    low: int = 0
    rows: list[tuple[str, ...]] = field(default_factory=list)

    def accepted(self, results: Iterable[DocResult]) -> Iterator["Alignment"]:
        """The alignments to write, in order; failures and warnings are said on the way."""
        for result in results:
            for warning in result.warnings:
                self.report.say(f"Warning: {result.name}: {warning}")
            if result.alignment is None:
                self.fail(result.name, result.error + hint_text(result.hint))
                continue
            if self.keep is not None:
                try:
                    self.keep(result.alignment, self.paths.get(result.name, ()))
                except NpftermError as exc:
                    self.fail(result.name, str(exc))
                    continue
            yield result.alignment

    def done(self, alignment: "Alignment") -> None:
        low = sum(1 for b in alignment.beads if b.zh and b.en and b.score < LOW_CONFIDENCE)
        self.ok += 1
        self.zh, self.en = self.zh + len(alignment.zh), self.en + len(alignment.en)
        self.beads, self.low = self.beads + len(alignment.beads), self.low + low
        self.rows.append((alignment.source, f"{len(alignment.zh)}", f"{len(alignment.en)}", f"{len(alignment.beads)}", f"{low}", "ok"))

    def fail(self, name: str, message: str) -> None:
        self.failed += 1
        self.rows.append((name, "", "", "", "", "failed"))
        self.report.say(f"Error: {name}: {message}")

    def line(self, total: int, wrote: Optional[str]) -> str:
        """``6 of 6 documents aligned (… sentences, … beads, … low-confidence); wrote …; 1 failed``."""
        text = f"{self.ok} of {total} document{'' if total == 1 else 's'} aligned"
        if self.ok:
            text += (
                f" ({self.zh:,} zh / {self.en:,} en sentences, {self.beads:,} beads, "
                f"{self.low:,} low-confidence)"
            )
        if wrote:
            text += f"; wrote {wrote}"
        if self.failed:
            text += f"; {self.failed} failed"
        return text


def _summary_table(rows: list[tuple[str, ...]]) -> None:
    from rich.table import Table

    table = Table()
    table.add_column("document")
    for name in ("zh", "en", "beads", "low-conf."):
        table.add_column(name, justify="right")
    table.add_column("status")
    for row in rows:
        table.add_row(*row, style="red" if row[-1] == "failed" else "")
    console().print(table)


def _write(request: BatchRequest, docs: list[Document], tally: _Tally, alignments: Iterator["Alignment"]) -> Optional[str]:
    """Send the alignments to their destination; what was written, for the summary line."""
    if is_folder_target(request.output):
        return _write_folder(request, tally, alignments)
    if request.fmt == "table":
        return _write_tables(request, tally, alignments)
    return _write_stream(request, docs, tally, alignments)


def _write_folder(request: BatchRequest, tally: _Tally, alignments: Iterator["Alignment"]) -> str:
    from npfterm.formats.writing import PAIR_FORMATS, export_pairs, output_paths
    from npfterm.outputs import open_output

    folder = Path(str(request.output))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {folder}: {exc.strerror or exc}") from None
    files = 0
    for alignment in alignments:
        target = folder / f"{alignment.source}{SUFFIXES[request.fmt]}"
        try:
            if request.fmt == "table":
                with open_output(target) as fh:
                    render_table(alignment, console(fh, plain=True), request.min_score)
            else:
                export_pairs(request.fmt, scored_pairs(alignment, request.min_score), target, alignment_meta(alignment, request.src_lang, request.tgt_lang))
        except NpftermError as exc:
            tally.fail(alignment.source, str(exc))
            continue
        spec = PAIR_FORMATS.get(request.fmt)
        files += len(output_paths(spec, target)) if spec is not None and spec.suffixes else 1
        tally.done(alignment)
    return f"{files} file{'' if files == 1 else 's'} to {request.output}"


def _write_tables(request: BatchRequest, tally: _Tally, alignments: Iterator["Alignment"]) -> Optional[str]:
    """Tables one after another under each document's name (-o FILE); nothing but counts without -o."""
    output = request.output
    if output is None:
        for alignment in alignments:
            tally.done(alignment)
        return None
    from npfterm.outputs import open_output

    with open_output(output) as fh:
        out = console(fh, plain=True)
        for alignment in alignments:
            out.print(f"== {alignment.source} ==", markup=False, highlight=False)
            render_table(alignment, out, request.min_score)
            tally.done(alignment)
    return output


def _write_stream(request: BatchRequest, docs: list[Document], tally: _Tally, alignments: Iterator["Alignment"]) -> Optional[str]:
    """One stream for every document; each record names its document (the ``doc`` field/column)."""
    from npfterm.formats.writing import (
        PAIR_FORMATS,
        ExportMeta,
        export_pairs,
        output_paths,
    )

    first = next(alignments, None)
    if first is None:
        return None  # nothing aligned: leave no empty file behind
    meta = ExportMeta(
        tool_version=__version__,
        signature=first.info.signature(),
        src_lang=request.src_lang,
        tgt_lang=request.tgt_lang,
        sources=tuple(d.name for d in docs),
    )

    def pairs() -> Iterator["AlignedPair"]:
        for alignment in chain([first], alignments):
            yield from scored_pairs(alignment, request.min_score)
            tally.done(alignment)

    if request.fmt in ("tsv", "csv") and len(docs) > 1:
        _write_delimited_with_doc(request.fmt, pairs(), request.output)
    else:
        export_pairs(request.fmt, pairs(), request.output, meta)
    if request.output is None:
        return None
    spec = PAIR_FORMATS[request.fmt]
    if spec.suffixes:
        return " and ".join(str(p) for p in output_paths(spec, request.output))
    return request.output


def _write_delimited_with_doc(fmt: str, pairs: Iterable["AlignedPair"], output: Optional[str]) -> None:
    """TSV/CSV with a last ``doc`` column: the combined stream's counterpart of JSON Lines' field.

    The exporters write three columns whatever the sources; a batch needs the
    fourth, so it is added here with their own row writers.
    """
    from npfterm.formats.delimited import HEADER, write_rows_csv, write_rows_tsv
    from npfterm.formats.writing import PAIR_FORMATS
    from npfterm.outputs import open_output

    rows = ((p.zh, p.en, f"{p.score:.4f}", p.doc) for p in pairs)
    with open_output(output, newline=PAIR_FORMATS[fmt].newline) as fh:
        (write_rows_csv if fmt == "csv" else write_rows_tsv)((*HEADER, "doc"), rows, fh)
