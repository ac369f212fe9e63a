"""Writing exchange files: the exporter registry, provenance for headers, and the file edge (atomic outputs).

A writer is a module-level function ``write_x(items, out, meta)`` that writes
text to ``out``: aligned pairs (translation-memory formats) or term pairs
(glossary formats).  ``meta`` carries the settings that produced them (the run
signature, languages, source documents), so every format can record them.
Adding a format is one module plus one ``Format`` line below; the contract
tests in ``tests/test_exporters.py`` then cover it.

``export_pairs``/``export_terms`` are the file edge: they open the output
(atomically, see ``npfterm.outputs``), including the several files a format
like Moses writes, and say how many records went out.
"""

from __future__ import annotations

import importlib
import os
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import (
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Protocol,
    Sequence,
    TextIO,
    TypeAlias,
    TypeVar,
)

from npfterm.errors import ExportError
from npfterm.models import AlignedPair, Alignment, TermPair
from npfterm.version import __version__


@dataclass(frozen=True)
class ExportMeta:
    """What produced the pairs; exporters record as much of it as their format can hold."""

    tool_version: str = ""
    signature: str = ""
    src_lang: str = "zh-CN"
    tgt_lang: str = "en-US"
    sources: tuple[str, ...] = ()
    settings: tuple[tuple[str, str], ...] = field(default=())


class _Source(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def signature(self) -> str: ...


def export_meta(docs: Sequence[_Source], src_lang: str = "zh-CN", tgt_lang: str = "en-US") -> ExportMeta:
    """Provenance for a file header: the documents and, when they agree, their settings signature."""
    signatures = {d.signature for d in docs if d.signature}
    return ExportMeta(
        tool_version=__version__,
        signature=signatures.pop() if len(signatures) == 1 else "",
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        sources=tuple(d.name for d in docs),
    )


def alignment_meta(alignment: Alignment, src_lang: str = "zh-CN", tgt_lang: str = "en-US") -> ExportMeta:
    """Provenance for one freshly aligned document: its source and its run signature."""
    return ExportMeta(
        tool_version=__version__,
        signature=alignment.info.signature(),
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        sources=(alignment.source,) if alignment.source else (),
    )


PairWriter = Callable[[Iterable[AlignedPair], TextIO, ExportMeta], None]
TermWriter = Callable[[Iterable[TermPair], TextIO, ExportMeta], None]


@dataclass(frozen=True)
class Format:
    """Where a format's writer lives and how its output is opened."""

    name: str
    module: str
    function: str
    help: str
    newline: str = "\n"  # "" where the writer chooses its own line ends (CSV: CRLF)
    complete_only: bool = False  # holds only beads with both sides (TMX, Moses)
    suffixes: tuple[str, ...] = ()  # several files, "OUT<suffix>" each, written as one (Moses)
    binary: bool = False  # the writer writes bytes to a file, never to stdout (xlsx)


PAIR_FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("jsonl", "jsonl", "write_jsonl", "JSON Lines, one bead per line"),
        Format("tsv", "delimited", "write_tsv", "tab-separated zh, en, score with a header"),
        Format("csv", "delimited", "write_csv", "CSV for Excel (UTF-8 BOM, CRLF)", newline=""),
        Format("beads", "beads", "write_beads", "Vecalign bead lines, [0,1]:[2]"),
        Format("tmx", "tmx", "write_tmx", "TMX 1.4b translation memory", complete_only=True),
        Format(
            "moses", "moses", "write_moses", "two line-aligned files OUT.zh and OUT.en",
            complete_only=True, suffixes=(".zh", ".en"),
        ),
        Format("xlsx", "xlsx", "write_xlsx", "Excel workbook: zh, en, score, ids, status", binary=True),
    )
}

TERM_FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("tsv", "delimited", "write_terms_tsv", "tab-separated term table with a header"),
        Format("csv", "delimited", "write_terms_csv", "CSV term table for Excel (UTF-8 BOM, CRLF)", newline=""),
        Format("json", "jsonl", "write_terms_json", "one JSON array of term objects"),
        Format("jsonl", "jsonl", "write_terms_jsonl", "JSON Lines, one term per line"),
        Format("tbx", "tbx", "write_tbx", "TBX-Basic, TBX 2008 (martif) form"),
        Format("tbx3", "tbx", "write_tbx3", "TBX v3 (ISO 30042:2019) form"),
        Format("omegat", "omegat", "write_omegat", "OmegaT glossary: source, target, comment; no header"),
        Format("xlsx", "xlsx", "write_terms_xlsx", "Excel workbook, the tsv columns", binary=True),
    )
}


def pair_formats() -> tuple[str, ...]:
    """Names accepted by ``--format`` for aligned pairs (besides ``table``)."""
    return tuple(PAIR_FORMATS)


def term_formats() -> tuple[str, ...]:
    """Names accepted by ``--format`` for term tables."""
    return tuple(TERM_FORMATS)


def _lookup(registry: Mapping[str, Format], name: str, what: str) -> Format:
    spec = registry.get(name)
    if spec is None:
        raise ExportError(f"unknown {what} format {name!r}; choose one of: {', '.join(registry)}")
    return spec


def _function(spec: Format) -> Callable[..., None]:
    module = importlib.import_module(f"npfterm.formats.{spec.module}")
    return getattr(module, spec.function)  # type: ignore[no-any-return]


def _stream_function(spec: Format) -> Callable[..., None]:
    if spec.binary:
        raise ExportError(f"{spec.name} writes a binary file; give an output path (-o)")
    if spec.suffixes:
        raise ExportError(f"{spec.name} writes {len(spec.suffixes)} files; give an output path (-o)")
    return _function(spec)


def pair_writer(name: str) -> PairWriter:
    """The stream writer for a pair format name; ExportError for an unknown or multi-file one."""
    return _stream_function(_lookup(PAIR_FORMATS, name, "pair"))


def term_writer(name: str) -> TermWriter:
    """The stream writer for a term format name; ExportError for an unknown one."""
    return _stream_function(_lookup(TERM_FORMATS, name, "term"))


def output_paths(spec: Format, output: str | os.PathLike[str]) -> tuple[Path, ...]:
    """The files a multi-file format writes for ``-o OUT``: ``OUT.zh``, ``OUT.en``.

    ``-o corpus.zh`` is read as the stem ``corpus`` rather than giving ``corpus.zh.zh``.
    """
    base = Path(output)
    if base.is_dir():
        raise ExportError(f"{spec.name} needs a file name stem, not a directory: use -o {base / 'corpus'}")
    if base.suffix in spec.suffixes:
        base = base.with_suffix("")
    return tuple(base.with_name(base.name + suffix) for suffix in spec.suffixes)


T = TypeVar("T")


class _Counted(Iterable[T]):
    """Passes items through and counts them, so callers can report what was written."""

    def __init__(self, items: Iterable[T]) -> None:
        self._items = items
        self.count = 0

    def __iter__(self) -> Iterator[T]:
        for item in self._items:
            self.count += 1
            yield item


def check_destination(kind: str, fmt: str, output: str | os.PathLike[str] | None) -> None:
    """Raise ExportError now if ``fmt`` cannot be written to ``output`` (``kind``: pair or term)."""
    from npfterm.outputs import check_writable

    spec = _lookup(PAIR_FORMATS if kind == "pair" else TERM_FORMATS, fmt, kind)
    if spec.suffixes:
        _require_output(spec, output)
        targets: tuple[Path, ...] = output_paths(spec, output)  # type: ignore[arg-type]
    else:
        _require_file(spec, output)
        targets = () if output is None or str(output) == "-" else (Path(output),)
    for target in targets:
        check_writable(target)


def _require_file(spec: Format, output: object) -> None:
    """A binary format (xlsx) is written to a file, never to stdout."""
    if spec.binary and (output is None or str(output) == "-"):
        raise ExportError(f"{spec.name} writes a binary file; give -o FILE.{spec.name}")


def _require_output(spec: Format, output: str | os.PathLike[str] | None) -> None:
    if output is None or str(output) == "-":
        names = " and ".join(f"OUT{s}" for s in spec.suffixes)
        raise ExportError(f"{spec.name} writes two files ({names}); give -o OUT")


Destination: TypeAlias = "str | os.PathLike[str] | TextIO | None"


def _write(spec: Format, items: Iterable[T], output: Destination, meta: ExportMeta) -> int:
    from npfterm.outputs import open_output

    counted = _Counted(items)
    write = _function(spec)
    if not isinstance(output, (str, os.PathLike)) and output is not None:
        _stream_function(spec)(counted, output, meta)  # an open text stream the caller owns
        return counted.count
    _require_file(spec, output)
    if not spec.suffixes:
        with open_output(output, newline=spec.newline, binary=spec.binary) as fh:
            write(counted, fh, meta)
        return counted.count
    _require_output(spec, output)
    with ExitStack() as stack:  # all files are committed together, or none
        streams = [stack.enter_context(open_output(p, newline=spec.newline)) for p in output_paths(spec, output or "-")]
        write(counted, streams, meta)
    return counted.count


def export_pairs(fmt: str, pairs: Iterable[AlignedPair], output: Destination, meta: ExportMeta) -> int:
    """Write pairs in format ``fmt`` to ``output`` (a path, an open text stream, or stdout when None); records written.

    Formats that hold only complete beads (TMX, Moses) are given only those, so
    the count is what the file holds.
    """
    spec = _lookup(PAIR_FORMATS, fmt, "pair")
    pairs = (_visible(p, "zh", "en") for p in pairs)
    if spec.complete_only:
        pairs = (p for p in pairs if p.complete)
    return _write(spec, pairs, output, meta)


def _visible(item: T, *fields: str) -> T:
    """``item`` without invisible format characters in its text ``fields`` (a store made before they were removed)."""
    from npfterm.text.read import remove_invisible

    changed = {}
    for name in fields:
        text = getattr(item, name)
        clean = remove_invisible(text)
        if clean != text:
            changed[name] = clean
    return replace(item, **changed) if changed else item  # type: ignore[type-var]


def export_terms(fmt: str, terms: Iterable[TermPair], output: Destination, meta: ExportMeta) -> int:
    """Write term pairs in format ``fmt`` to ``output`` (a path, an open text stream, or stdout when None); the number written."""
    visible = (_visible(t, "zh", "en", "example_zh", "example_en") for t in terms)
    return _write(_lookup(TERM_FORMATS, fmt, "term"), visible, output, meta)
