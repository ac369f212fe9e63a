"""Options shared by several commands, defined once so that a flag means the same everywhere.

Every command that writes takes ``-f/--format`` and ``-o/--output``; every
command that keeps results takes ``--db``; every command that writes TMX or
TBX takes ``--src-lang``/``--tgt-lang``; every command that filters pairs
takes ``--min-score``.  Metavars say what to type (FILE, N, CODE, MB).
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import typer

from npfterm.cli.common import DB_HELP


def lang_code(name: str) -> Callable[[Optional[str]], Optional[str]]:
    """A callback: a language code goes into xml:lang, so a typo must stop here (exit 2)."""

    def check(value: Optional[str]) -> Optional[str]:
        from npfterm.formats.xml import is_lang_code

        if value is not None and not is_lang_code(value):
            raise typer.BadParameter(f"{value!r} is not a language code like zh-CN or en-US", param_hint=name)
        return value

    return check


def choice(name: str, allowed: tuple[str, ...]) -> Callable[[str], str]:
    """A callback that accepts only ``allowed`` values (a usage error, exit 2)."""

    def check(value: str) -> str:
        if value not in allowed:
            raise typer.BadParameter(f"{value!r} is not one of: {', '.join(allowed)}", param_hint=name)
        return value

    return check


def format_option(default: Optional[str], allowed: tuple[str, ...] | None, help: str) -> Any:
    """``-f/--format FORMAT``; with ``allowed``, anything else is a usage error."""
    callback = choice("--format", allowed) if allowed is not None else None
    return typer.Option(default, "--format", "-f", metavar="FORMAT", callback=callback, help=help)


def output_option(help: str = "Write here instead of stdout (the file is replaced only when complete).") -> Any:
    return typer.Option(None, "--output", "-o", metavar="FILE", help=help)


def db_option() -> Any:
    return typer.Option(None, "--db", metavar="FILE", help=DB_HELP)


def min_score_option(what: str = "pairs") -> Any:
    return typer.Option(0.0, "--min-score", metavar="SCORE", min=0.0, max=1.0, help=f"Leave out {what} scored below this (0–1).")


def src_lang_option(default: Optional[str] = "zh-CN", help: str = "Language code for Chinese in TMX/TBX.") -> Any:
    return typer.Option(default, "--src-lang", metavar="CODE", callback=lang_code("--src-lang"), help=help)


def tgt_lang_option(default: Optional[str] = "en-US", help: str = "Language code for English in TMX/TBX.") -> Any:
    return typer.Option(default, "--tgt-lang", metavar="CODE", callback=lang_code("--tgt-lang"), help=help)


def max_size_option(default: int) -> Any:
    return typer.Option(default, "--max-size", metavar="MB", min=1, max=1_000_000, help="Refuse input files larger than this many MB.")


MODE_NAMES = ("hybrid", "lexical")


def mode_option(help: str) -> Any:
    return typer.Option("hybrid", "--mode", metavar="MODE", callback=choice("--mode", MODE_NAMES), help=help)


def sentences_option() -> Any:
    return typer.Option(False, "--sentences", help="Both inputs are already one sentence per line: no parsing or splitting.")


def no_store_option(what: str) -> Any:
    return typer.Option(False, "--no-store", help=f"Do not add {what} or the term pairs found to the store.")


def name_option() -> Any:
    return typer.Option(
        None, "--name", metavar="NAME",
        help="Store the document under this name, replacing the store's document of that name (default: its file name).",
    )
