"""Writing results: stdout, or a file replaced atomically.

A run that fails half-way must not leave a truncated file where a good one
was, so file output goes to a temporary file in the same directory and is
renamed over the target only when complete.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterator, TextIO

from npfterm.errors import ExportError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_writable(target: Path) -> Path:
    """The folder ``target`` would be written into; ExportError if it cannot be.

    Called before long work too, so that a run does not align (and store) a
    document only to find that its output cannot be written.
    """
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a directory")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"cannot write {target}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {target}: no permission to write in {parent}")
    return parent


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
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual file mode
        with (io.open(fd, "wb") if binary else io.open(fd, "w", encoding="utf-8", newline=newline)) as fh:
            yield fh  # type: ignore[misc]
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
