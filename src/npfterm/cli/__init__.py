"""The ``npfterm`` command: a thin typer layer over the library.

Each command module parses options, calls one library function and renders
the result.  Library errors (``NpftermError``) become ``Error: …`` on stderr
and the error's exit code (see ``common.handle_errors``); nothing outside this
package prints or exits.  Command modules register themselves on ``app`` when
imported below.
"""

from __future__ import annotations

# Each import adds its commands to ``app``.
from npfterm.cli import align as _align  # noqa: E402,F401
from npfterm.cli import docs as _docs  # noqa: E402,F401
from npfterm.cli import exchange as _exchange  # noqa: E402,F401
from npfterm.cli import lookup as _lookup  # noqa: E402,F401
from npfterm.cli import review as _review  # noqa: E402,F401
from npfterm.cli import score as _score  # noqa: E402,F401
from npfterm.cli import terms as _terms  # noqa: E402,F401
from npfterm.cli.common import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
