"""Exception types raised by the library.

The library never prints or exits; the CLI maps these to one-line messages and
exit codes (``exit_code`` below), so every caller sees the same contract.
"""

from __future__ import annotations


class NpftermError(Exception):
    """Base class for every error npfterm raises on purpose.

    ``hint`` names the setting that would fix it, as ``(setting, value)``
    (``("format", "tbx")``, ``("max_bytes", None)``); messages never name a
    command-line flag, so the CLI turns the hint into one ("use --format tbx").
    """

    exit_code = 1

    def __init__(self, message: str = "", *, hint: tuple[str, str | None] | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class InputError(NpftermError):
    """A source file cannot be read or does not hold usable text."""

    exit_code = 2


class NotTextError(InputError):
    """A source file is binary: not text in any encoding npfterm reads."""


class LanguageMissingError(InputError):
    """The input has no Chinese or no English text to align."""

    def __init__(self, missing: str, source: str = "") -> None:
        self.missing = missing
        self.source = source
        where = f" in {source}" if source else ""
        name = {"zh": "Chinese", "en": "English"}.get(missing, missing)
        super().__init__(f"no {name} text found{where}; align needs both Chinese and English")


class FormatError(NpftermError):
    """A structured file (TMX, TBX, CSV, …) is malformed or unsupported."""

    exit_code = 2


class TermbaseError(NpftermError):
    """The store cannot be opened, migrated, read or written."""

    exit_code = 1


class ExportError(NpftermError):
    """An output cannot be written."""

    exit_code = 1


class OverwriteError(NpftermError):
    """An output would overwrite an input of the run or the store: refused before any work."""

    exit_code = 2


class EditError(NpftermError):
    """A review edit cannot be applied to these beads (e.g. merging past the last bead)."""

    exit_code = 2
