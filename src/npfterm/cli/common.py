"""What every command shares: the app, error mapping, consoles, output helpers."""

from __future__ import annotations

import functools
from pathlib import Path
import sys
import warnings
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand

from npfterm.errors import NpftermError
from npfterm.version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

app = typer.Typer(
    name="npfterm",
    help="Chinese–English sentence alignment, terminology and lookup, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., object])


class Command(TyperCommand):
    """A command whose help names each argument by its metavar alone (``INPUT...``), as options are named.

    Typer's plain help adds the Python type (``<list[str]>``) and braces
    (``{INPUT}``) to arguments; a user needs only to know what to type.
    """

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(_argument_name(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        args, opts = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                args.append((_argument_name(param).strip("[]"), record[1]))
            else:
                opts.append(record)
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _argument_name(param: TyperArgument) -> str:
    name = param.metavar or (param.name or "").upper()
    if param.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if param.required else f"[{name}]"


#: --db help, the same for every command that uses the store.
DB_HELP = "Store file (default: $NPFTERM_DB, else one in the user data directory)."


def store_file(db: "Path | None") -> "Path":
    """The store a command would use: ``--db``, else the default one."""
    from npfterm.store.db import default_path

    return Path(db).expanduser() if db is not None else default_path()


def hint_text(hint: "tuple[str, str | None] | None") -> str:
    """The flag that fixes a library error, in the words of this command line."""
    if hint is None:
        return ""
    setting, value = hint
    text = {
        "max_bytes": "use --max-size",
        "format": "use --format" + (f" {value}" if value else ""),
        "langs": "use --src-lang/--tgt-lang to name the codes",
        "mode": f"or use --mode {value}" if value else "use --mode",
        "sentences": "--sentences takes a Chinese file and an English file",
        "store": "add documents with npfterm align or npfterm import",
    }.get(setting, "")
    return f"; {text}" if text else ""


def stderr(message: str) -> None:
    """One line on stderr (messages never go to stdout, which may be data)."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def handle_errors(func: F) -> F:
    """Turn library errors into ``Error: …`` and an exit code; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return func(*args, **kwargs)
            except NpftermError as exc:
                stderr(f"Error: {exc}{hint_text(exc.hint)}")
                raise typer.Exit(exc.exit_code) from None
            except KeyboardInterrupt:
                stderr("Interrupted.")
                raise typer.Exit(130) from None
            except BrokenPipeError:
                raise typer.Exit(0) from None
            except MemoryError:
                stderr("Error: out of memory; split the input into smaller files")
                raise typer.Exit(1) from None
            finally:
                for w in caught:
                    if issubclass(w.category, UserWarning):
                        stderr(f"Warning: {w.message}")

    return wrapper  # type: ignore[return-value]


def console(file: object = None, plain: bool = False) -> "Console":
    """A rich console; ``plain`` for files (no colour codes)."""
    from rich.console import Console

    return Console(file=file, highlight=False, soft_wrap=False, no_color=plain)  # type: ignore[arg-type]


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"npfterm {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Chinese–English sentence alignment, terminology and lookup, offline."""
