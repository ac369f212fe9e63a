"""Alignments on the terminal: the side-by-side table and the one-line summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from npfterm.models import AlignedPair, Alignment

LOW_CONFIDENCE = 0.5  # pairs below this are shown in yellow and counted as low-confidence


def summary(alignment: "Alignment") -> str:
    """One line: sentences per side, beads by shape, low-confidence count."""
    counts = ", ".join(f"{kind} ×{n}" for kind, n in alignment.counts().items())
    low = sum(1 for b in alignment.beads if b.score < LOW_CONFIDENCE and b.zh and b.en)
    return (
        f"{len(alignment.zh)} zh / {len(alignment.en)} en sentences · "
        f"{len(alignment.beads)} beads: {counts} · {low} low-confidence"
    )


def scored_pairs(alignment: "Alignment", min_score: float = 0.0) -> list["AlignedPair"]:
    """The alignment's pairs scored ``min_score`` or more (``--min-score``)."""
    return [p for p in alignment.pairs() if p.score >= min_score]


def render_table(alignment: "Alignment", out: "Console", min_score: float = 0.0) -> None:
    """Side by side zh | en | score; beads below 0.5 in yellow, unmatched sentences dimmed; numbered in document order."""
    from rich.table import Table

    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    # fold: Chinese has no spaces to wrap at, so break anywhere rather than cut
    table.add_column("zh", ratio=2, overflow="fold")
    table.add_column("en", ratio=3, overflow="fold")
    table.add_column("score", justify="right", no_wrap=True)
    for k, pair in enumerate(alignment.pairs(), 1):
        if pair.score < min_score:
            continue
        style = "dim" if not pair.complete else ("yellow" if pair.score < LOW_CONFIDENCE else "")
        table.add_row(str(k), pair.zh or "—", pair.en or "—", f"{pair.score:.2f}", style=style)
    out.print(table)
    out.print(summary(alignment), soft_wrap=True)
