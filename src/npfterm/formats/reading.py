"""Reading exchange files: the importer registry, format detection and the file edge (size limit, hash).

An importer is a pure function ``parse_x(data: bytes, name, langs) -> Parsed``:
it reads the whole file and either returns everything in it or raises
``FormatError`` naming the line or element at fault.  Nothing reaches the
store until a file has parsed completely, so a bad file changes nothing.
``load`` is the file edge: it checks the size before reading (``--max-size``),
picks the format, and adds the file's name and content hash.

TMX, JSON Lines, CSV and TSV have streaming readers (``read_tmx``,
``read_jsonl``, ``read_csv``, ``read_tsv``, see ``STREAM_FORMATS``) that parse
the file as they read it, so memory holds the pairs or rows found rather than
the file, its decoded copies and its parse tree.

Glossaries go further (``open_import``, ``STREAM_TERM_FORMATS``): a CSV, TSV
or TBX glossary becomes a ``StreamedTerms`` whose term pairs are read while
they are stored, so memory holds one row or entry, never the file's terms.
All or nothing still holds: the store writes them in one transaction, and an
error raised by a malformed row, however late in the file, rolls it back.
A CSV or TSV file is read twice: once to check every row and choose the
columns (which depends on all of them), once to make the term pairs.  xlsx,
JSON and TMX are still read whole; JSON Lines a line at a time.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Callable, ContextManager, Iterator

from npfterm.errors import FormatError, InputError, NotTextError
from npfterm.formats.xml import Readable
from npfterm.models import AlignedPair, Lang, TermPair
from npfterm.text.read import open_limited, over_limit, read_at_most

DEFAULT_MAX_BYTES = 256 * 1024 * 1024

# format name → (module under npfterm.formats, function)
IMPORT_FORMATS: dict[str, tuple[str, str]] = {
    "tmx": ("tmx", "parse_tmx"),
    "tbx": ("tbx", "parse_tbx"),
    "csv": ("delimited", "parse_csv"),
    "tsv": ("delimited", "parse_tsv"),
    "jsonl": ("jsonl", "parse_jsonl"),
    "json": ("jsonl", "parse_jsonl"),
    "xlsx": ("xlsx", "parse_xlsx"),
}
# Table formats: rows become term pairs, or translation units (npfterm's alignment layout, or ``as_tm``).
TABLE_FORMATS = ("csv", "tsv", "xlsx")
# Formats read as the file is read: format → (module, function taking a binary stream).
STREAM_FORMATS: dict[str, tuple[str, str]] = {
    "tmx": ("tmx", "read_tmx"),
    "jsonl": ("jsonl", "read_jsonl"),
    "csv": ("delimited", "read_csv"),
    "tsv": ("delimited", "read_tsv"),
}
# Glossary formats whose term pairs stream into the store: format → (module, function taking an ``Opener``).
STREAM_TERM_FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("delimited", "stream_csv"),
    "tsv": ("delimited", "stream_tsv"),
    "tbx": ("tbx", "stream_tbx"),
}
_HEAD_BYTES = 4096  # what format detection looks at
_SUFFIXES = {
    ".tmx": "tmx",
    ".tbx": "tbx",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".utf8": "tsv",  # OmegaT's name for a UTF-8 glossary
    ".jsonl": "jsonl",
    ".json": "json",
    ".xlsx": "xlsx",
}
# Zip (xlsx, docx, ods) and OLE2 (xls, doc): office files, never text.
_OFFICE_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
# Primary language subtags (ISO 639-1/-2/-3) for each side.
_ZH_CODES = frozenset({"zh", "zho", "chi", "cmn", "yue", "wuu", "hak", "nan", "gan", "cn"})
_EN_CODES = frozenset({"en", "eng"})


@dataclass(frozen=True)
class LangCodes:
    """Which language codes mark the Chinese and the English side.

    ``None`` means any code of that language (``zh``, ``zh-CN``, ``zh-Hant-TW``,
    ``ZH_cn``…); a given code must match exactly (case aside), which picks one
    variant out of a file holding several.
    """

    zh: str | None = None
    en: str | None = None

    def side(self, code: str) -> Lang | None:
        norm = code.strip().lower().replace("_", "-")
        primary = norm.split("-", 1)[0]
        if self.zh is not None:
            if norm == self.zh.lower().replace("_", "-"):
                return "zh"
        elif primary in _ZH_CODES:
            return "zh"
        if self.en is not None:
            if norm == self.en.lower().replace("_", "-"):
                return "en"
        elif primary in _EN_CODES:
            return "en"
        return None


class ReadWhole(Exception):
    """A streaming reader met what only its format's whole-file parser handles; ``load`` reads the file again."""


#: Opens the file being imported again, from its start (a reader may need two passes).
Opener = Callable[[], ContextManager[Readable]]


@dataclass(frozen=True)
class TermRows:
    """A glossary format's streaming reader, once it has checked what it must before the store is opened.

    ``read(notes)`` yields the term pairs as it reads the file, raising
    ``FormatError`` at a malformed row or entry; at the end it adds its notes
    (rows or entries skipped) to ``notes``.
    """

    read: Callable[[list[str]], Iterator[TermPair]]


class StreamedTerms:
    """A glossary being imported: iterate it once, inside the store's transaction, for its term pairs.

    Once iterated, ``rows`` is how many pairs it gave, ``notes`` what the
    reader has to say, and ``content_hash`` the file's SHA-256.
    """

    def __init__(self, name: str, fmt: str, detection: Detection, rows: TermRows, sources: list["_Source"]) -> None:
        self.name = name
        self.fmt = fmt
        self.detection = detection
        self.rows = 0
        self.notes: list[str] = []
        self._read = rows.read
        self._sources = sources

    def __iter__(self) -> Iterator[TermPair]:
        try:
            for term in self._read(self.notes):
                self.rows += 1
                yield term
        except ReadWhole:  # the second pass met what the first did not: the file is being written
            raise self._changed() from None
        if len({s.digest.hexdigest() for s in self._sources}) > 1:
            raise self._changed()

    def _changed(self) -> InputError:
        return InputError(f"{self.name} changed while it was being read; import it again once it is written")

    @property
    def content_hash(self) -> str:
        return self._sources[-1].digest.hexdigest() if self._sources else ""


@dataclass(frozen=True)
class Parsed:
    """What a parser found: units or terms, the file's own settings, and notes for the user."""

    pairs: tuple[AlignedPair, ...] = ()
    terms: tuple[TermPair, ...] = ()
    settings: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()  # e.g. "skipped 2 of 40 units without both a Chinese and an English segment"


@dataclass(frozen=True)
class Detection:
    """Which format a file is read as, what it becomes, and why: said back to the user."""

    fmt: str
    kind: str  # "translation units" or "term pairs"
    reason: str  # "the format given", "the .csv suffix", "its content"

    label: str = ""  # what the file is, when its format name would mislead (a CSV of translation units)

    def describe(self) -> str:
        """``CSV glossary read as term pairs; format from the .csv suffix``."""
        return f"{self.label or FORMAT_NAMES.get(self.fmt, self.fmt)} read as {self.kind}; format from {self.reason}"


# What each format holds; a format that can hold either says so through ``detect``.
FORMAT_NAMES = {
    "tmx": "TMX memory", "jsonl": "JSON Lines", "json": "JSON", "tbx": "TBX termbase",
    "csv": "CSV glossary", "tsv": "TSV glossary", "xlsx": "Excel glossary",
}
# A table whose rows came in as translation units (npfterm's alignment sheet, or ``as_tm``).
_TABLE_NAMES = {"csv": "CSV table", "tsv": "TSV table", "xlsx": "Excel sheet"}
_KINDS = {"tmx": "translation units", "jsonl": "translation units", "json": "translation units"}
_EITHER = frozenset({"jsonl", "json"})  # npfterm's own JSON holds beads or terms: what was read decides


def _settled(detection: Detection, parsed: Parsed) -> Detection:
    """The detection with its kind taken from what a format that can hold either actually held."""
    if detection.fmt in _EITHER and parsed.terms and not parsed.pairs:
        return replace(detection, kind="term pairs")
    if detection.fmt in TABLE_FORMATS and parsed.pairs:  # npfterm's alignment sheet, or a table read as units
        layout = dict(parsed.settings).get("layout", "")
        kind = "reviewed translation units" + (f", {layout}" if layout else "")
        return replace(detection, kind=kind, label=_TABLE_NAMES[detection.fmt])
    return detection


@dataclass(frozen=True)
class Imported:
    """A file read completely and ready for one store transaction."""

    name: str
    fmt: str
    content_hash: str
    parsed: Parsed = field(default_factory=Parsed)
    detection: Detection | None = None

    @property
    def pairs(self) -> tuple[AlignedPair, ...]:
        return self.parsed.pairs

    @property
    def terms(self) -> tuple[TermPair, ...]:
        return self.parsed.terms


def import_formats() -> tuple[str, ...]:
    """Names accepted by ``import --format``."""
    return tuple(IMPORT_FORMATS)


def detect(name: str, head: bytes, fmt: str | None = None) -> Detection:
    """The one place that decides how a file is read: its format and whether it holds units or terms.

    ``fmt`` is what the user gave with ``--format``; else the file name's
    suffix decides, else the first bytes.
    """
    if fmt:
        reason = "the format given"
    else:
        suffix = Path(name).suffix.lower()
        fmt = _SUFFIXES.get(suffix)
        reason = f"the {suffix} suffix" if fmt else "its content"
        fmt = fmt or detect_format(name, head)
    return Detection(fmt, _KINDS.get(fmt, "term pairs"), reason)


def detect_format(name: str, data: bytes) -> str:
    """The format from the file name's suffix, else from the first bytes."""
    by_suffix = _SUFFIXES.get(Path(name).suffix.lower())
    if by_suffix:
        return by_suffix
    head = data[:4096].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
    if head.startswith(b"<"):
        if b"<tmx" in head:
            return "tmx"
        if b"<martif" in head or b"<tbx" in head:
            return "tbx"
    elif head.startswith(b"{"):
        return "jsonl"
    elif head.startswith(b"["):
        return "json"
    else:
        first_line = head.split(b"\n", 1)[0]
        if b"\t" in first_line:
            return "tsv"
        if b"," in first_line or b";" in first_line:
            return "csv"
    raise FormatError(
        f"{name}: cannot tell the file's format ({', '.join(import_formats())})", hint=("format", None)
    )


def parse(
    data: bytes, name: str, fmt: str | None = None, langs: LangCodes = LangCodes(), *, as_tm: bool = False
) -> Imported:
    """Parse a whole file's bytes; ``FormatError`` if anything in it is malformed.

    ``as_tm``: a table's rows are translation units, whatever its header says.
    """
    if data.startswith(_OFFICE_MAGIC) and (fmt or _SUFFIXES.get(Path(name).suffix.lower())) != "xlsx":
        raise _not_text(name)
    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise FormatError(f"unknown import format {fmt!r}; choose one of: {', '.join(import_formats())}")
    detection = detect(name, data[:_HEAD_BYTES], fmt)
    fmt = detection.fmt
    if fmt not in IMPORT_FORMATS:
        raise FormatError(f"unknown import format {fmt!r}; choose one of: {', '.join(import_formats())}")
    if as_tm and fmt not in TABLE_FORMATS:
        raise FormatError(f"{name}: only a table ({', '.join(TABLE_FORMATS)}) can be read as translation units")
    module_name, function = IMPORT_FORMATS[fmt]
    parser = getattr(importlib.import_module(f"npfterm.formats.{module_name}"), function)
    try:
        parsed: Parsed = parser(data, name, langs, as_tm=True) if as_tm else parser(data, name, langs)
    except NotTextError:
        raise _not_text(name) from None
    return Imported(
        name=name, fmt=fmt, content_hash=hashlib.sha256(data).hexdigest(), parsed=parsed, detection=_settled(detection, parsed)
    )


def _not_text(name: str) -> InputError:
    return InputError(
        f"{name} looks like a binary file, not text; import a TMX, TBX, CSV/TSV, xlsx or JSON Lines file "
        "(an Excel sheet: save it as .xlsx or as CSV UTF-8)"
    )


class _Source:
    """A file being imported, read through a byte limit (it may have grown since stat) and hashed as it goes."""

    def __init__(self, fh: BinaryIO, label: str, max_bytes: int) -> None:
        self._fh = fh
        self._label = label
        self._max_bytes = max_bytes
        self._read = 0
        self.digest = hashlib.sha256()

    def read(self, size: int = -1, /) -> bytes:
        data = self._fh.read(size)
        self._read += len(data)
        if self._read > self._max_bytes:
            raise over_limit(self._label, self._max_bytes)
        self.digest.update(data)
        return data


def read_bytes(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes, or an ``InputError`` saying what is wrong with the path."""
    with open_limited(path, max_bytes, wanted="a file to import") as fh:
        data = read_at_most(_Source(fh, os.fspath(path), max_bytes), os.fspath(path), max_bytes)  # type: ignore[arg-type]
    if not data.strip():
        raise InputError(f"{os.fspath(path)} is empty; nothing to import")
    return data


def open_import(
    path: str | os.PathLike[str],
    fmt: str | None = None,
    langs: LangCodes = LangCodes(),
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    as_tm: bool = False,
) -> "Imported | StreamedTerms":
    """A file to import: a CSV, TSV or TBX glossary as ``StreamedTerms``, read while it is stored;
    anything else read and parsed whole by ``load``.

    What can be checked before the store is opened is checked here (a CSV
    file's syntax and columns); the rest raises while the terms are read.
    """
    name = Path(path).name
    if as_tm:
        return load(path, fmt, langs, max_bytes, as_tm=as_tm)
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        regular = True  # open_limited says what is wrong with the path
    # A pipe (<(command), /dev/stdin, a FIFO) cannot be read twice, nor opened again to look at its head.
    if (fmt is not None and fmt not in STREAM_TERM_FORMATS) or not regular:
        return load(path, fmt, langs, max_bytes)
    with open_limited(path, max_bytes, wanted="a file to import") as fh:
        head = fh.peek(_HEAD_BYTES)[:_HEAD_BYTES]
    # A blank start or an office file is read whole, where it gets its message.
    if not head.strip() or head.startswith(_OFFICE_MAGIC):
        return load(path, fmt, langs, max_bytes)
    detection = detect(name, head, fmt)
    if detection.fmt not in STREAM_TERM_FORMATS:
        return load(path, fmt, langs, max_bytes)
    sources: list[_Source] = []

    @contextlib.contextmanager
    def opener() -> Iterator[_Source]:
        with open_limited(path, max_bytes, wanted="a file to import") as fh:
            source = _Source(fh, os.fspath(path), max_bytes)
            sources.append(source)
            yield source

    module_name, function = STREAM_TERM_FORMATS[detection.fmt]
    reader = getattr(importlib.import_module(f"npfterm.formats.{module_name}"), function)
    try:
        rows: TermRows = reader(opener, name, langs)
    except ReadWhole:
        return load(path, fmt, langs, max_bytes)
    except NotTextError:
        raise _not_text(name) from None
    return StreamedTerms(name, detection.fmt, detection, rows, sources)


def load(
    path: str | os.PathLike[str],
    fmt: str | None = None,
    langs: LangCodes = LangCodes(),
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    as_tm: bool = False,
) -> Imported:
    """Read and parse one file; the name in messages and in the store is the file's name.

    Formats with a streaming reader (TMX) are parsed as the file is read, so
    memory holds what the file contains, not the file and its parse tree;
    the others are read whole first.
    """
    name = Path(path).name
    with open_limited(path, max_bytes, wanted="a file to import") as fh:
        head = fh.peek(_HEAD_BYTES)[:_HEAD_BYTES]
        # A blank start or an office file is read whole below, where it gets its message.
        if head.strip() and not head.startswith(_OFFICE_MAGIC):
            detection = detect(name, head, fmt)
            if detection.fmt in STREAM_FORMATS and not as_tm:
                module_name, function = STREAM_FORMATS[detection.fmt]
                reader = getattr(importlib.import_module(f"npfterm.formats.{module_name}"), function)
                source = _Source(fh, os.fspath(path), max_bytes)
                try:
                    parsed: Parsed = reader(source, name, langs)
                except ReadWhole:
                    pass
                except NotTextError:
                    raise _not_text(name) from None
                else:
                    return Imported(
                        name=name, fmt=detection.fmt, content_hash=source.digest.hexdigest(), parsed=parsed, detection=_settled(detection, parsed)
                    )
    return parse(read_bytes(path, max_bytes), name, fmt, langs, as_tm=as_tm)
