"""Sub-units: a bead with several Chinese sentences split into one unit per sentence, for CAT tools.

A CAT tool segments the Chinese source by sentence and looks each segment up
in the memory; a 2-1 or 2-2 unit never equals one segment, so it is never
used.  Here each Chinese sentence of such a bead gets its own piece of the
English: the English is cut only at sentence ends and clause boundaries
(after ``,`` ``;`` ``:``, around a dash), and of all the ways to cut it into
as many pieces as there are Chinese sentences, the one kept is where most
dictionary matches fall inside their own sentence's piece and each piece's
length best fits its sentence's (the bead's own length ratio).  The split is
made only when the evidence supports it: every Chinese sentence with a match
in the bead's English has one in its own piece.

A piece's score is the bead's times the share of its sentence's matches that
fall inside the piece, by Laplace's rule of succession ((inside + 1) /
(anywhere + 2)): always lower than the bead's, one half for a sentence with
no match of its own, and nearer the bead's the more matches agree.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Sequence

from npfterm.alignment.evidence import ZhEvidence, en_evidence, zh_evidence
from npfterm.models import AlignedPair
from npfterm.text.lexicon import Lexicon
from npfterm.text.split import split_en, split_zh
from npfterm.text.tokens import to_simplified

# Where English may be cut inside a sentence: after , ; : (full or half width) and around dashes.
_CLAUSE_END = re.compile(r"(?<=[,;:，；：])\s+|\s+(?=[—–]|--)|(?<=[—–])\s*(?=\S)")


@dataclass(frozen=True)
class BeadText:
    """A bead and its sentences, one string per sentence on each side."""

    pair: AlignedPair
    zh: tuple[str, ...]
    en: tuple[str, ...]


def _cuts(en: Sequence[str]) -> tuple[str, list[int], list[int]]:
    """The joined English, the positions where it may be cut, and which sentence each character is in."""
    text, cuts, owner = "", [], []
    for k, sentence in enumerate(en):
        if k:
            cuts.append(len(text) + 1)
            text += " "
            owner.append(k - 1)
        start = len(text)
        cuts.extend(start + m.end() for m in _CLAUSE_END.finditer(sentence) if 0 < m.end() < len(sentence))
        text += sentence
        owner.extend([k] * len(sentence))
    return text, sorted(set(cuts)), owner


def _matches(zh: ZhEvidence, keys: frozenset[str]) -> int:
    return sum(1 for token_keys in zh.keys if token_keys & keys)


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    own: int  # matches of its sentence inside it
    anywhere: int  # matches of its sentence in the whole English


def best_split(zh: Sequence[str], en: Sequence[str], lexicon: Lexicon) -> list[tuple[str, float, tuple[int, ...]]] | None:
    """One (English piece, support, English sentence indices) per Chinese sentence, or None if unsupported."""
    n = len(zh)
    text, cuts, owner = _cuts(en)
    if n < 2 or len(cuts) < n - 1:
        return None
    bounds = [0, *cuts, len(text)]
    evidence = [zh_evidence(to_simplified(s), lexicon) for s in zh]
    anywhere = [_matches(ev, en_evidence(text).keys) for ev in evidence]
    zh_chars = sum(len(s) for s in zh) or 1
    ratio = len(text) / zh_chars

    def piece_gain(i: int, a: int, b: int) -> tuple[float, int]:
        chunk = text[bounds[a] : bounds[b]].strip()
        if not chunk:
            return -math.inf, 0
        own = _matches(evidence[i], en_evidence(chunk).keys)
        misfit = abs(math.log((len(chunk) + 1) / (ratio * len(zh[i]) + 1)))
        return own - misfit, own

    # best[i][b]: best total for the first i+1 pieces ending at bound b; back[i][b]: where piece i starts
    m = len(bounds)
    best = [[-math.inf] * m for _ in range(n)]
    back = [[0] * m for _ in range(n)]
    for b in range(1, m):
        best[0][b] = piece_gain(0, 0, b)[0]
    for i in range(1, n):
        for b in range(i + 1, m):
            for a in range(i, b):
                if best[i - 1][a] == -math.inf:
                    continue
                total = best[i - 1][a] + piece_gain(i, a, b)[0]
                if total > best[i][b]:
                    best[i][b], back[i][b] = total, a
    if best[n - 1][m - 1] == -math.inf:
        return None
    ends, b = [], m - 1
    for i in range(n - 1, -1, -1):
        ends.append(b)
        b = back[i][b] if i else 0
    ends.reverse()
    starts = [0, *ends[:-1]]
    pieces = [_Piece(bounds[a], bounds[e], piece_gain(i, a, e)[1], anywhere[i]) for i, (a, e) in enumerate(zip(starts, ends))]
    if not any(p.own for p in pieces) or any(p.anywhere and not p.own for p in pieces):
        return None  # the evidence does not say where one sentence's English ends
    out = []
    for p in pieces:
        chunk = text[p.start : p.end].strip()
        sentences = tuple(sorted({owner[c] for c in range(p.start, p.end) if c < len(owner) and not text[c].isspace()}))
        out.append((chunk, (p.own + 1) / (p.anywhere + 2), sentences))
    return out


def sentence_units(beads: Iterable[BeadText], lexicon: Lexicon) -> Iterator[AlignedPair]:
    """Each bead as it is, except one with several Chinese sentences: its pieces, where supported."""
    for bead in beads:
        pair = bead.pair
        split = best_split(bead.zh, bead.en, lexicon) if pair.complete and len(bead.zh) > 1 and bead.en else None
        if split is None:
            yield pair
            continue
        en_ids = pair.en_ids
        for k, (zh_text, (en_text, support, sentences)) in enumerate(zip(bead.zh, split)):
            yield replace(
                pair,
                zh=zh_text,
                en=en_text,
                zh_ids=(pair.zh_ids[k] if len(pair.zh_ids) == len(bead.zh) else pair.zh_ids[0],),
                en_ids=tuple(en_ids[s] for s in sentences if s < len(en_ids)) or en_ids[:1],
                score=round(pair.score * support, 4),
                part_of=pair.kind,
            )


def bead_text(pair: AlignedPair, zh: Sequence[str] = (), en: Sequence[str] = ()) -> BeadText:
    """A bead with its sentences; where none are known (an imported unit) its text is split into sentences."""
    return BeadText(pair, tuple(zh) or tuple(split_zh(pair.zh)), tuple(en) or tuple(split_en(pair.en)))
