"""Many documents at once: find and pair them, align them in parallel, one result each.

A corpus is a folder of ``NAME.zh.txt`` + ``NAME.en.txt`` pairs, a ``zh/`` and
an ``en/`` folder with the same file names (MAC-Dev's layout), or interleaved
files with both languages in one.  ``discover`` turns folders and file lists
into ``Document`` values; ``run_batch`` aligns them on any executor (a local
process pool from ``process_pool``, or a Dask cluster's, see
``npfterm.distributed``) and yields one ``DocResult`` per document, in order.

Workers receive paths, never texts, and send back plain frozen values, so a
task is a few hundred bytes out and one ``Alignment`` back.  A document that
fails is a result with an error message; the batch goes on.  Nothing here
prints: the CLI renders results, progress and failures.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import signal
import time
import warnings
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from npfterm.errors import InputError, NpftermError
from npfterm.models import LANGS, Alignment, Lang
from npfterm.text.read import DEFAULT_MAX_BYTES, DOCUMENT_SUFFIXES, MARKDOWN_SUFFIXES

if TYPE_CHECKING:  # pragma: no cover - alignment imports numpy; this module stays light
    from npfterm.alignment.document import AlignOptions

__all__ = [
    "AlignJob",
    "DocResult",
    "Document",
    "align_document",
    "default_workers",
    "discover",
    "is_batch",
    "process_pool",
    "run_batch",
    "warm",
]

#: Files in a plain folder that are read as documents (besides language-tagged ones).
TEXT_SUFFIXES = frozenset({".txt", *MARKDOWN_SUFFIXES, *DOCUMENT_SUFFIXES})
#: Side files of aligned corpora (tokenised copies, machine translations), never documents.
IGNORED_SUFFIXES = frozenset({".tok", ".trans"})

# NAME.zh.txt, NAME_en.md, NAME-zh, NAME.en: a language tag before the (optional) text suffix.
_TAG_RE = re.compile(r"^(?P<name>.+?)(?P<sep>[._-])(?P<lang>zh|en)(?P<ext>\.(?:txt|md|markdown|docx|pdf|html?|xhtml))?$", re.IGNORECASE)
_LANG_NAMES = {"zh": "Chinese", "en": "English"}


@dataclass(frozen=True)
class Document:
    """One unit of work: a name and the file(s) that make it.

    ``paths`` is ``(zh, en)`` for a pair or ``(file,)`` for an interleaved
    document.  ``problem`` says why it cannot be aligned at all (a tagged file
    without its partner); it is then reported as a failure, never sent to a worker.
    """

    name: str
    paths: tuple[str, ...]
    problem: str = ""


@dataclass(frozen=True)
class AlignJob:
    """The settings every document of a batch is aligned with."""

    options: AlignOptions
    sentences: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class DocResult:
    """What came back for one document: its alignment, or why there is none."""

    name: str
    alignment: Alignment | None = None
    error: str = ""
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()  # raised while aligning, e.g. "are these translations?"
    hint: tuple[str, str | None] | None = None  # the setting that would fix ``error`` (NpftermError.hint)

    @property
    def ok(self) -> bool:
        return self.alignment is not None


# --- discovery ----------------------------------------------------------------


def is_batch(inputs: Sequence[str]) -> bool:
    """A folder, or more than two files: one or two files stay a single document."""
    return len(inputs) > 2 or any(p != "-" and Path(p).is_dir() for p in inputs)


@dataclass(frozen=True)
class _Candidate:
    path: Path
    lang: Lang | None  # None: interleaved (no language tag)
    name: str
    group: Path  # the folder a partner is looked for under (above zh/ and en/ for that layout)
    tag: re.Match[str] | None = None


def discover(inputs: Sequence[str]) -> list[Document]:
    """Folders and files → documents, sorted by folder and name.

    A folder with ``zh/`` and ``en/`` subfolders is read as that layout (files
    beside the subfolders are not documents); any other folder contributes its
    ``.txt``/``.md``/``.docx``/``.pdf``/``.html`` files and language-tagged files.  Hidden files and
    ``*.tok``/``*.trans`` are skipped.  Files named on the command line are
    taken as they are.  Raises ``InputError`` when nothing is found.
    """
    if "-" in inputs:
        raise InputError("stdin ('-') cannot be part of a batch; give files or folders")
    seen: set[Path] = set()
    candidates: list[_Candidate] = []
    for raw in inputs:
        path = Path(raw)
        files = _scan(path) if path.is_dir() else [path]
        if not files:  # a folder named on the command line that holds nothing is a mistake
            raise _nothing_found(raw)
        for file in files:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                candidates.append(_candidate(file))
    if not candidates:
        raise _nothing_found(", ".join(inputs))
    return _unique_names(_pair(candidates))


def _nothing_found(where: str) -> InputError:
    return InputError(
        f"no documents found in {where}; expected NAME.zh.txt + NAME.en.txt pairs, "
        "zh/ and en/ subfolders, or .txt/.md files with both languages"
    )


def _scan(folder: Path) -> list[Path]:
    zh, en = (folder / lang for lang in LANGS)
    if zh.is_dir() and en.is_dir():
        return _files(zh) + _files(en)
    if folder.name.lower() in LANGS:  # ``align corpus/zh corpus/en``
        return _files(folder)
    return [f for f in _files(folder) if f.suffix.lower() in TEXT_SUFFIXES or _TAG_RE.match(f.name)]


def _files(folder: Path) -> list[Path]:
    try:
        entries = sorted(folder.iterdir())
    except PermissionError:
        raise InputError(f"cannot list {folder}: permission denied; check the folder's permissions") from None
    except OSError as exc:
        raise InputError(f"cannot list {folder}: {exc.strerror or exc}") from None
    return [
        p for p in entries
        if not p.name.startswith(".") and p.suffix.lower() not in IGNORED_SUFFIXES and p.is_file()
    ]


def _candidate(path: Path) -> _Candidate:
    in_lang_folder = path.parent.name.lower() in LANGS
    group = path.parent.parent if in_lang_folder else path.parent
    tag = _TAG_RE.match(path.name)
    if tag:
        return _Candidate(path, tag["lang"].lower(), tag["name"], group, tag)  # type: ignore[arg-type]
    if in_lang_folder:
        return _Candidate(path, path.parent.name.lower(), _stem(path.name), group)  # type: ignore[arg-type]
    return _Candidate(path, None, _stem(path.name), group)


def _stem(name: str) -> str:
    suffix = Path(name).suffix
    return name[: -len(suffix)] if suffix.lower() in TEXT_SUFFIXES and len(name) > len(suffix) else name


def _pair(candidates: Iterable[_Candidate]) -> list[Document]:
    singles: list[tuple[tuple[str, str], Document]] = []
    tagged: dict[tuple[Path, str], list[_Candidate]] = {}
    for c in candidates:
        if c.lang is None:
            singles.append(((str(c.group), c.name), Document(c.name, (str(c.path),))))
        else:
            tagged.setdefault((c.group, c.name), []).append(c)
    docs = list(singles)
    for (group, name), members in tagged.items():
        docs.append(((str(group), name), _tagged_document(name, members)))
    docs.sort(key=lambda kv: kv[0])
    return [doc for _, doc in docs]


def _tagged_document(name: str, members: list[_Candidate]) -> Document:
    by_lang = {lang: [c for c in members if c.lang == lang] for lang in LANGS}
    for lang, found in by_lang.items():
        if len(found) > 1:
            files = ", ".join(str(c.path) for c in found)
            return Document(name, tuple(str(c.path) for c in members), f"several {_LANG_NAMES[lang]} files: {files}")
    zh, en = by_lang["zh"], by_lang["en"]
    if zh and en:
        return Document(name, (str(zh[0].path), str(en[0].path)))
    (lone,) = zh or en
    other: Lang = "en" if lone.lang == "zh" else "zh"
    return Document(
        name, (str(lone.path),),
        f"{lone.path} has no {_LANG_NAMES[other]} partner; expected {_partner(lone, other)}",
    )


def _partner(c: _Candidate, lang: Lang) -> Path:
    """Where the missing half of a pair would be."""
    if c.tag is not None:
        tag = c.tag
        return c.path.with_name(f"{tag['name']}{tag['sep']}{lang}{tag['ext'] or ''}")
    return c.group / lang / c.path.name


def _unique_names(docs: list[Document]) -> list[Document]:
    """Names become output file names, so two documents may not share one: qualify by folder."""
    counts: dict[str, int] = {}
    for doc in docs:
        counts[doc.name] = counts.get(doc.name, 0) + 1
    taken: set[str] = set()
    out = []
    for doc in docs:
        name = doc.name
        if counts[name] > 1:
            folder = Path(doc.paths[0]).parent
            if folder.name.lower() in LANGS:
                folder = folder.parent
            name = f"{folder.name}_{name}" if folder.name else name
        base, k = name, 1
        while name in taken:
            k += 1
            name = f"{base}_{k}"
        taken.add(name)
        out.append(doc if name == doc.name else replace(doc, name=name))
    return out


# --- one document (runs in a worker) ------------------------------------------


def align_document(doc: Document, job: AlignJob) -> DocResult:
    """Align one document; every failure becomes the result's message, never an exception.

    The alignment is named after the document, so records, outputs and the
    store all use the name the summary shows.
    """
    if doc.problem:
        return DocResult(doc.name, error=doc.problem)
    start = time.perf_counter()
    # A worker's warnings would go to its own stderr, unattributed: carry them back.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        alignment, error, hint = _align_paths(doc, job)
    said = tuple(dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, UserWarning)))
    named = replace(alignment, source=doc.name) if alignment is not None else None
    return DocResult(doc.name, named, error, time.perf_counter() - start, said, hint)


def _align_paths(doc: Document, job: AlignJob) -> tuple[Alignment | None, str, tuple[str, str | None] | None]:
    from npfterm.pipeline import align_files

    try:
        return align_files(doc.paths, job.options, sentences=job.sentences, max_bytes=job.max_bytes), "", None
    except NpftermError as exc:
        return None, str(exc), exc.hint
    except MemoryError:
        return None, "out of memory; split it into smaller files", None
    except Exception as exc:  # noqa: BLE001 - one document's bug must not lose the rest of a batch
        return None, f"unexpected {type(exc).__name__}: {exc} (a bug in npfterm; please report it)", None


def warm(mode: str) -> str:
    """Load the dictionary, jieba and (hybrid) the encoder once per worker process.

    Used as the process pool's initializer and run on every Dask worker; the
    loaders cache per process, so each worker pays for them once.  Returns the
    npfterm version, so a client can notice workers running another one.
    """
    from npfterm.text.lexicon import load_cedict
    from npfterm.text.tokens import zh_words
    from npfterm.version import __version__

    load_cedict()
    zh_words("中文")
    if mode == "hybrid":
        from npfterm.alignment.embeddings import _model

        _model()
    return __version__


# --- many documents -------------------------------------------------------------


def default_workers() -> int:
    """The CPUs this process may use (what ``--workers`` defaults to)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class LocalPool:
    """A process pool that starts afresh if a worker dies (killed, out of memory).

    Workers start with forkserver where the platform has it (spawn elsewhere):
    never fork, which would copy a parent's threads and locks.  The documents
    in flight when a worker dies are reported failed; later ones get a new pool.
    """

    def __init__(self, workers: int, mode: str) -> None:
        self.workers = workers
        self.mode = mode
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(["npfterm.batch"])  # not numpy: see _start_worker
        threads = max(1, default_workers() // self.workers)
        return ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_start_worker, initargs=(self.mode, threads)
        )

    def submit(self, fn: Callable[..., DocResult], *args: object) -> Future[DocResult]:
        try:
            return self._executor.submit(fn, *args)
        except BrokenProcessPool:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._start()
            return self._executor.submit(fn, *args)

    def shutdown(self, cancel: bool = False) -> None:
        self._executor.shutdown(wait=True, cancel_futures=cancel)


#: Thread pools of the numerical libraries, sized when numpy loads.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _start_worker(mode: str, threads: int) -> None:
    """Share the CPUs among the workers, then warm up.

    Each numpy would otherwise start one BLAS thread per core, and workers ×
    cores spinning threads made two hybrid workers three times slower than
    one.  It must happen before numpy loads, hence no numpy in the preload;
    a variable the user set wins.  Ctrl-C ends a worker without a traceback.
    """
    signal.signal(signal.SIGINT, _exit_quietly)
    for name in _THREAD_VARIABLES:
        os.environ.setdefault(name, str(threads))
    warm(mode)


def _exit_quietly(signum: int, frame: object) -> None:
    """Ctrl-C reaches the workers too: the parent says "Interrupted."; a worker just goes."""
    os._exit(128 + signum)


@contextlib.contextmanager
def process_pool(workers: int, mode: str) -> Iterator[LocalPool]:
    """A ``LocalPool`` that is shut down on exit, cancelling queued work if the run failed."""
    pool = LocalPool(workers, mode)
    try:
        yield pool
    except BaseException:
        pool.shutdown(cancel=True)
        raise
    pool.shutdown()


Submitter = Executor | LocalPool


def run_batch(
    docs: Sequence[Document],
    job: AlignJob,
    executor: Submitter | None = None,
    *,
    window: int = 8,
    on_done: Callable[[DocResult], None] | None = None,
) -> Iterator[DocResult]:
    """One result per document, in document order; in this process when ``executor`` is None.

    At most ``window`` documents are in flight or waiting to be yielded, so
    memory stays bounded however many documents there are; ``on_done`` hears
    of each result as soon as it finishes (for a progress bar).
    """
    notify = on_done or (lambda result: None)
    if executor is None:
        for doc in docs:
            result = align_document(doc, job)
            notify(result)
            yield result
        return
    pending: dict[Future[DocResult], int] = {}
    ready: dict[int, DocResult] = {}
    submitted = yielded = 0
    window = max(1, window)
    while yielded < len(docs):
        while submitted < len(docs) and submitted < yielded + window:
            doc = docs[submitted]
            if doc.problem:
                ready[submitted] = align_document(doc, job)
                notify(ready[submitted])
            else:
                pending[executor.submit(align_document, doc, job)] = submitted
            submitted += 1
        while yielded not in ready:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                ready[index] = _outcome(future, docs[index])
                notify(ready[index])
        while yielded in ready:
            yield ready.pop(yielded)
            yielded += 1


def _outcome(future: Future[DocResult], doc: Document) -> DocResult:
    try:
        return future.result()
    except BrokenProcessPool:
        return DocResult(
            doc.name,
            error="a worker process died while aligning it (out of memory?); retry it alone or with fewer worker processes",
        )
    except Exception as exc:  # noqa: BLE001 - e.g. a Dask worker lost for good; the batch goes on
        return DocResult(doc.name, error=f"the worker failed: {type(exc).__name__}: {exc}")
