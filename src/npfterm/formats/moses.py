"""Moses-style parallel text: line N of ``OUT.zh`` translates line N of ``OUT.en``.

MT toolkits (Moses, fairseq, Marian, OpenNMT) read these files line by line,
so one bead is one line on each side and a line break inside a segment would
shift every later line: breaks (including the Unicode ones ``str.splitlines``
honours) collapse into one space.  Only beads with both sides are written.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence, TextIO

from npfterm.formats.writing import ExportMeta
from npfterm.models import AlignedPair

_BREAKS = re.compile(r"\s*[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+\s*")


def one_line(text: str) -> str:
    """``text`` on one line: every run of line breaks (and the spaces around it) becomes one space."""
    return _BREAKS.sub(" ", text).strip()


def write_moses(pairs: Iterable[AlignedPair], outs: Sequence[TextIO], meta: ExportMeta) -> None:
    zh_out, en_out = outs
    for pair in pairs:
        if not pair.complete:
            continue
        zh_out.write(one_line(pair.zh) + "\n")
        en_out.write(one_line(pair.en) + "\n")
