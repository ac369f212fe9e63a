"""OmegaT glossary files: ``source<TAB>target<TAB>comment``, UTF-8, no header.

OmegaT reads every ``.txt``/``.utf8`` file in a project's ``glossary/`` folder
this way and shows the comment beside the match, so the comment carries what
a translator wants to judge the pair by: evidence, occurrences, score, pinyin.
"""

from __future__ import annotations

from typing import Iterable, TextIO

from npfterm.formats.delimited import tsv_cell
from npfterm.formats.writing import ExportMeta
from npfterm.models import TermPair


def comment(term: TermPair) -> str:
    """``npfterm: parenthetical, 2 occurrences, score 0.93, pinyin xīn zhì shēngchǎnlì``."""
    occurrences = "1 occurrence" if term.count == 1 else f"{term.count} occurrences"
    parts = [term.evidence, occurrences, f"score {term.score:.2f}"]
    if term.pinyin:
        parts.append(f"pinyin {term.pinyin}")
    return "npfterm: " + ", ".join(p for p in parts if p)


def write_omegat(terms: Iterable[TermPair], out: TextIO, meta: ExportMeta) -> None:
    for term in terms:
        out.write("\t".join(tsv_cell(v) for v in (term.zh, term.en, comment(term))) + "\n")
