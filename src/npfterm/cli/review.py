"""``npfterm review``: the local review page for the store's documents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, List, Optional, Sequence

import typer

from npfterm.cli.common import Command, app, handle_errors, stderr
from npfterm.cli.options import db_option

if TYPE_CHECKING:  # pragma: no cover
    from npfterm.store.db import DocumentInfo


def pick_documents(wanted: Sequence[str], documents: "Sequence[DocumentInfo]") -> tuple[int, ...]:
    """Document ids for the given ids or names; BadParameter for one the store does not hold."""
    chosen: list[int] = []
    for item in wanted:
        found = [d.id for d in documents if str(d.id) == item or d.name == item]
        if not found:
            raise typer.BadParameter(f"the store has no document {item!r}", param_hint="DOC")
        chosen.extend(found)
    return tuple(dict.fromkeys(chosen))


@app.command(cls=Command, short_help="Check and correct alignments in a local page in your browser.")
@handle_errors
def review(
    docs: Optional[List[str]] = typer.Argument(None, metavar="DOC...", help="Documents to review, by id or name (default: all)."),
    db: Optional[Path] = db_option(),
    port: int = typer.Option(0, "--port", metavar="N", min=0, max=65535, help="Port on 127.0.0.1 (default: a free one)."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Only print the address; do not open a browser."),
) -> None:
    """Check and correct alignments in your browser: a local page on 127.0.0.1, saved to the store as you go."""
    from npfterm.review.server import create_app, loopback_socket, make_server, new_token, url
    from npfterm.review.session import ReviewSession
    from npfterm.store.db import Store

    with Store.open(db, create=False) as store:
        chosen = pick_documents(docs or [], store.documents())
    token = new_token()
    try:
        sock = loopback_socket(port)
    except OSError as exc:
        stderr(f"Error: cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}; choose another --port")
        raise typer.Exit(1) from None
    address = url(sock, token, chosen[0] if chosen else None)
    typer.echo(f"Review page: {address}")
    stderr("Edits are saved to the store as you make them. Press Ctrl-C to stop.")
    if not no_browser:
        import webbrowser

        webbrowser.open(address)
    session = ReviewSession(db, chosen)
    try:
        make_server(create_app(session, token)).run(sockets=[sock])
    finally:
        if session.terms.pending():
            stderr("Updating the term pairs of the edited documents…")
        session.close()
