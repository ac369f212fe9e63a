"""``npfterm score``: an alignment against gold, Vecalign's definitions."""

from __future__ import annotations

from pathlib import Path

import typer

from npfterm.cli.common import Command, app, handle_errors


@app.command(cls=Command, short_help="Score an alignment against gold (strict and lax F1).")
@handle_errors
def score(
    gold: Path = typer.Argument(..., metavar="GOLD", help="Gold alignment, Vecalign bead format ([0,1]:[2] per line)."),
    test: Path = typer.Argument(..., metavar="TEST", help="Alignment to score, same format."),
) -> None:
    """Score an alignment against gold: strict and lax precision, recall and F1."""
    from npfterm.errors import FormatError
    from npfterm.evaluate import parse_beads
    from npfterm.evaluate import score as score_beads
    from npfterm.text.read import read_text

    beads = []
    for path in (gold, test):
        try:
            beads.append(parse_beads(read_text(str(path))))
        except ValueError as exc:
            raise FormatError(f"{path}: {exc}") from None
    result = score_beads([beads[0]], [beads[1]])
    typer.echo("        precision  recall  F1")
    typer.echo(f"strict  {result.precision_strict:9.3f}  {result.recall_strict:6.3f}  {result.f1_strict:.3f}")
    typer.echo(f"lax     {result.precision_lax:9.3f}  {result.recall_lax:6.3f}  {result.f1_lax:.3f}")
