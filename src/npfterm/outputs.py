"""Writing results: stdout, or a file replaced atomically — never an input of the run or the store.

The output policy every command that writes a file follows:

* An output that is one of the run's inputs, the store or one of the store's
  companion files (``-wal``, ``-shm``, ``-journal``) is refused before any
  work (:class:`~npfterm.errors.OverwriteError`, exit 2).  Symbolic links and
  hard links are followed first: ``-o link`` is checked as the file it
  names, and writing through the link replaces that file, keeping the link.
* A regular file is written to a temporary file in the same directory and
  renamed over the target only when complete, so a run that fails half-way
  (an error, Ctrl-C, SIGTERM, a full disk) leaves the earlier file as it was
  and no temporary file behind.  Long names get a hashed temporary name.
* A FIFO or a device (``/dev/null``), or a name under ``/dev`` or ``/proc``
  (``/dev/stdout`` names whatever the shell redirected to), is written
  straight into, appending: replacing it would destroy it.

Commands declare what the run must not overwrite with :func:`protecting`;
:func:`check_writable` (called before long work) and :func:`open_output`
both refuse those paths.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import hashlib
import io
import os
import signal
import stat
import sys
import tempfile
import threading
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from npfterm.errors import ExportError, OverwriteError

#: Companion files SQLite keeps beside a store.
STORE_SUFFIXES = ("", "-wal", "-shm", "-journal")
#: Longest file name (bytes) used as is inside a temporary file's name.
_NAME_IN_TEMP = 120
_STREAM_NAMES = ("/dev/", "/proc/")  # /dev/stdout may name a regular file: the one the shell redirected to
_DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))

# (resolved path, what it is) for every file the current run must not overwrite
_PROTECTED: contextvars.ContextVar[tuple[tuple[str, str], ...]] = contextvars.ContextVar("protected", default=())


def _resolved(path: str | os.PathLike[str]) -> str:
    try:
        return os.path.realpath(os.path.expanduser(path))
    except (OSError, ValueError):
        return os.path.abspath(path)


@contextlib.contextmanager
def protecting(inputs: Iterable[str | os.PathLike[str]] = (), store: str | os.PathLike[str] | None = None) -> Iterator[None]:
    """While inside, outputs may not be any of ``inputs`` (files, or files in folders) nor the ``store``."""
    entries: list[tuple[str, str]] = []
    for item in inputs:
        if str(item) == "-":
            continue
        path = Path(item).expanduser()
        with contextlib.suppress(OSError):
            if path.is_dir():
                entries += [(_resolved(p), "an input of this run") for p in path.rglob("*") if p.is_file()]
                continue
        entries.append((_resolved(path), "an input of this run"))
    if store is not None:
        main = _resolved(store)
        entries.append((main, "the store"))
        entries += [(main + suffix, f"part of the store {store}") for suffix in STORE_SUFFIXES[1:]]
    token = _PROTECTED.set(_PROTECTED.get() + tuple(entries))
    try:
        yield
    finally:
        _PROTECTED.reset(token)


def refuse_protected(target: str | os.PathLike[str]) -> None:
    """OverwriteError if ``target`` (links followed) is an input of the run or part of the store."""
    protected = _PROTECTED.get()
    if not protected:
        return
    real = _resolved(target)
    for path, what in protected:
        if real == path or _same_file(real, path):
            raise OverwriteError(f"will not write {target}: it is {what}; choose another output")


def _same_file(a: str, b: str) -> bool:
    """Hard links: two names, one file."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _special(target: Path) -> bool:
    """A FIFO, socket or device, or a name for an open file (/dev/stdout, /proc/self/fd/1): written into, never replaced."""
    if str(target.absolute()).startswith(_STREAM_NAMES):
        return True
    try:
        mode = os.stat(target).st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check_writable(target: Path) -> Path:
    """The folder ``target`` would be written into; ExportError (or OverwriteError) if it cannot be.

    Called before long work too, so that a run does not align (and store) a
    document only to find that its output cannot be written.
    """
    refuse_protected(target)
    try:
        if target.is_dir():
            raise ExportError(f"cannot write {target}: it is a directory")
        if _special(target):
            return target.parent
        real = Path(_resolved(target))
        parent = real.parent
        if len(os.fsencode(real.name)) > _name_max(parent):
            raise ExportError(f"cannot write {target}: the file name is longer than the file system allows")
        if not parent.is_dir():
            shown = target.parent if str(target.parent) else Path(".")
            raise ExportError(f"cannot write {target}: directory {shown} does not exist")
        if not os.access(parent, os.W_OK | os.X_OK):
            shown = target.parent if str(target.parent) else Path(".")
            raise ExportError(f"cannot write {target}: no permission to write in {shown}")
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    return parent


def check_folder_writable(folder: Path) -> None:
    """ExportError now if files cannot be made in ``folder`` (an existing one), before a batch starts."""
    refuse_protected(folder)
    if not folder.is_dir():
        return
    with contextlib.suppress(OSError, AttributeError):
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            raise ExportError(f"cannot write {folder}/: it is on a read-only file system")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {folder}/: no permission to write in {folder}")


def _name_max(folder: Path) -> int:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        return int(os.pathconf(folder if folder.is_dir() else ".", "PC_NAME_MAX"))
    return 255


def _temp_prefix(name: str) -> str:
    """``.NAME.`` for the temporary file, or a hash of NAME when NAME is long."""
    if len(os.fsencode(name)) <= _NAME_IN_TEMP:
        return f".{name}."
    return f".npfterm-{hashlib.sha256(os.fsencode(name)).hexdigest()[:16]}."


@contextlib.contextmanager
def _terminated_raises() -> Iterator[None]:
    """Make SIGTERM unwind like Ctrl-C (so temporary files are removed); as before afterwards."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def on_term(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in _DISK_FULL


@contextlib.contextmanager
def open_output(
    path: str | os.PathLike[str] | None, *, newline: str | None = "\n", binary: bool = False
) -> Iterator[TextIO]:
    """A text stream for ``path`` (stdout when None or ``-``), UTF-8, committed on success.

    ``binary`` gives a byte stream instead (a workbook), for a file only.
    """
    if path is None or str(path) == "-":
        if binary:
            raise ExportError("a binary format needs a file: give -o FILE")
        stream = sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(path)
    parent = check_writable(target)
    if _special(target):
        if binary:
            raise ExportError(f"cannot write a binary file into {target}; give a file name")
        yield from _write_into(target, newline)
        return
    real = Path(_resolved(target))  # through a symbolic link: replace the file it names, keep the link
    with _terminated_raises():
        try:
            fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(real.name), suffix=".tmp", dir=parent)
        except OSError as exc:
            if _disk_full(exc):
                raise ExportError(f"disk full while writing {target}; nothing was changed") from None
            raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
        try:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual file mode
            with (io.open(fd, "wb") if binary else io.open(fd, "w", encoding="utf-8", newline=newline)) as fh:
                yield fh  # type: ignore[misc]
            os.replace(tmp, real)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if _disk_full(exc):
                raise ExportError(f"disk full while writing {target}; nothing was changed") from None
            raise


def _write_into(target: Path, newline: str | None) -> Iterator[TextIO]:
    """Append: a device does not mind, and ``-o /dev/stdout >> log`` must not truncate the log."""
    try:
        fh = io.open(target, "a", encoding="utf-8", newline=newline)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    with fh:
        yield fh
