"""Which English n-gram of a bead translates a Chinese candidate term.

A span of English words translates the candidate when every English content
word can be given to a Chinese unit it links to, and, so given, every unit is
explained (see :func:`npfterm.text.gloss.explains`), one at least strongly, with
no English word redundant.  One unit may be left unexplained if one or two
adjacent English words, explained by nothing else in the bead, sit where its
translation would be (全 要素 生产率 → *total* factor productivity).  Among
valid spans the one explaining most units, without a gap, with most content
words and then the fewest words wins: "new productive forces", not "new
productive".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from npfterm.text.gloss import EnToken, Unit, explains, matches_any, phrase, stems_match

#: Longest English n-gram, in words (function words included).
MAX_EN_WORDS = 8
# English function words allowed inside an n-gram: "factors of production",
# "self-reliance in science and technology".
GLUE = frozenset({"of", "and", "in", "for", "on", "to", "the", "a", "an", "with", "&"})
_ASSIGNMENT_CAP = 256  # ways of giving English words to units tried per span
_DETERMINERS = frozenset({"the", "a", "an"})


@dataclass(frozen=True, slots=True)
class EnMatch:
    """The English n-gram a candidate was matched to in one bead."""

    en: str
    gap: int  # English words taken by the one unexplained unit (0 if none)
    anchors: int  # units explained
    initial: bool = False  # the n-gram starts a sentence
    neighbour: bool = False  # found in a bead next to the candidate's own
    chunk: int = -1  # the English punctuation chunk it lies in


def links(token: EnToken, unit: Unit) -> bool:
    """Can ``token`` be (part of) the translation of ``unit``?"""
    if _names(token, unit):
        return True
    return bool(token.stems) and all(any(stems_match(s, k) for k in unit.keys) for s in token.stems)


def _names(token: EnToken, unit: Unit) -> bool:
    """Is ``token`` the romanised name, or its surname or given name (Chen, Qingyang ← 陈清扬)?"""
    if not unit.romanised or not token.text[:1].isupper():
        return False
    word = token.lower.replace("-", "").replace("'", "")
    syllables = unit.romanised.split(" ")
    return word in ("".join(syllables), syllables[0], "".join(syllables[1:]))


def _spells_name(js: Sequence[int], unit: Unit, tokens: Sequence[EnToken]) -> bool:
    written = "".join(tokens[j].lower.replace("-", "").replace("'", "") for j in sorted(js))
    return bool(unit.romanised) and all(_names(tokens[j], unit) for j in js) and written == unit.romanised.replace(" ", "")


def explained_tokens(tokens: Sequence[EnToken], bead_units: Sequence[Unit]) -> list[bool]:
    """Which English tokens some Chinese unit of the bead may translate (those cannot fill a gap)."""
    keys = frozenset().union(*(u.keys for u in bead_units)) if bead_units else frozenset()
    return [t.content and matches_any(t.stems, keys) for t in tokens]


def match_candidate(
    units: Sequence[Unit],
    text: str,
    tokens: Sequence[EnToken],
    explained: Sequence[bool],
    *,
    gaps: bool = True,
    chunk: int | None = None,
) -> EnMatch | None:
    """The best English n-gram of ``text`` (tokenised as ``tokens``) for a candidate made of ``units``, or None.

    ``gaps=False`` demands that every unit be explained (for candidates that
    are not noun compounds, where a leftover unit is rarely a modifier).  A
    gap two places could fill is a guess, refused — unless ``chunk`` says in
    which punctuation chunk the translation must lie (the next item of an
    enumeration: "workers, means of labor, subjects of labor").
    """
    k = len(units)
    link = [frozenset(p for p in range(k) if links(tok, units[p])) for tok in tokens]
    best: tuple[tuple[int, int, int], EnMatch] | None = None
    rivals: dict[str, EnMatch] = {}  # equally good gap matches elsewhere in the bead
    for a in (j for j, parts in enumerate(link) if parts):
        for start in range(max(0, a - 2), a + 1):
            if tokens[start].chunk != tokens[a].chunk or not tokens[start].content or tokens[start].hyphen_before:
                continue
            if _inside_name(start - 1, start, tokens):
                continue  # "Opera" of "Peking Opera": a name is taken whole or not at all
            for end in range(a, min(len(tokens), start + MAX_EN_WORDS)):
                if tokens[end].chunk != tokens[start].chunk:
                    break
                if end + 1 < len(tokens) and (tokens[end + 1].hyphen_before or _inside_name(end, end + 1, tokens)):
                    continue  # a phrase does not end inside a hyphenated word or a name
                found = _judge(range(start, end + 1), tokens, link, explained, units, gaps)
                if found is None:
                    continue
                anchors, gap = found
                content = sum(1 for t in tokens[start : end + 1] if t.content)
                rank = (anchors + (0 if gap else 1), content, -(end - start))
                en = phrase(text, tokens, start, end)
                found_match = EnMatch(en, gap, anchors, initial=tokens[start].initial, chunk=tokens[start].chunk)
                if best is None or rank > best[0]:
                    best = (rank, found_match)
                    rivals = {}
                elif rank == best[0] and gap and en.lower() != best[1].en.lower():
                    rivals[en] = found_match
    if best is None:
        return None
    if best[1].gap and rivals:
        placed = [m for m in (best[1], *rivals.values()) if chunk is not None and m.chunk == chunk]
        return placed[0] if len(placed) == 1 else None  # a gap that two places could fill is a guess
    return best[1]


def _capitalised(tok: EnToken) -> bool:
    return tok.content and tok.text[:1].isupper() and not tok.initial


def _inside_name(left: int, right: int, tokens: Sequence[EnToken]) -> bool:
    """Do the two adjacent tokens belong to one capitalised name ("Peking | Opera")?"""
    if left < 0 or right >= len(tokens) or tokens[left].chunk != tokens[right].chunk:
        return False
    a, b = tokens[left], tokens[right]
    return _capitalised(a) and b.content and b.text[:1].isupper()


def _judge(
    span: range,
    tokens: Sequence[EnToken],
    link: Sequence[frozenset[int]],
    explained: Sequence[bool],
    units: Sequence[Unit],
    gaps: bool = True,
) -> tuple[int, int] | None:
    """(units explained, gap size) when the span translates the whole candidate, else None."""
    if not tokens[span[0]].content or not tokens[span[-1]].content:
        return None
    k = len(units)
    linked: list[int] = []
    unlinked: list[int] = []
    for j in span:
        tok = tokens[j]
        if not tok.content:
            if tok.lower not in GLUE and not tok.hyphen_before:
                return None
            if tok.lower in _DETERMINERS and tokens[j - 1].content:
                return None  # "morning the wind": a determiner follows a preposition, not a noun
        elif link[j]:
            linked.append(j)
        elif explained[j]:
            return None
        elif _hyphen_part(j, span, link, tokens):
            continue  # "special-|purpose", "fixed-|term": one English word, translated by its linked part's unit
        else:
            unlinked.append(j)
    if unlinked and not (gaps and _gap_allowed(span, unlinked, tokens, k)):
        return None
    need_missing = 1 if unlinked else 0
    budget = [_ASSIGNMENT_CAP]

    def valid(assign: dict[int, int]) -> bool:
        per_unit: list[list[int]] = [[] for _ in range(k)]
        for j, p in assign.items():
            per_unit[p].append(j)
        strong = 0
        for p, js in enumerate(per_unit):
            if not js:
                continue
            if units[p].romanised and any(_names(tokens[j], units[p]) for j in js):
                if not _spells_name(js, units[p], tokens):
                    return False  # a name is translated by its romanisation alone
                strong += 1
                continue
            how = explains(units[p], [s for j in js for s in tokens[j].stems])
            if how == "head" and len(units[p].text) > 2:
                return False  # a sense's head leaves out the other morphemes of a longer word: 东北虎 ↛ "tigers"
            if not how or _redundant(js, units[p], tokens):
                return False
            # the head alone stands for a two-character word beside other units (劳动 ← "labor" in "means of labor")
            strong += how == "strong" or (how == "head" and k > 1)
        missing = sum(1 for js in per_unit if not js)
        if strong == 0 or missing != need_missing:
            return False
        if missing and any(
            p in link[j] and tokens[j].chunk == tokens[span[0]].chunk and explains(units[p], tokens[j].stems) == "strong"
            for p, js in enumerate(per_unit) if not js for j in range(len(tokens)) if j not in span
        ):
            return False  # the gap's unit is translated elsewhere in the phrase ("… wild tigers in the region")
        if not _coordination_in_order(assign, tokens, span) or not _ends_on_head(assign, tokens, span, k):
            return False
        return not unlinked or _gap_in_order(assign, unlinked, per_unit, tokens, span)

    def search(i: int, assign: dict[int, int]) -> bool:
        if budget[0] <= 0:
            return False
        if i == len(linked):
            budget[0] -= 1
            return valid(assign)
        j = linked[i]
        for p in sorted(link[j]):
            assign[j] = p
            if search(i + 1, assign):
                return True
        del assign[j]
        return False

    if not search(0, {}):
        return None
    return (k - need_missing, len(unlinked))


def _hyphen_part(j: int, span: range, link: Sequence[frozenset[int]], tokens: Sequence[EnToken]) -> bool:
    """Is token ``j`` the unlinked half of a hyphenated word whose other half is linked?"""
    before = tokens[j].hyphen_before and j - 1 in span and bool(link[j - 1])
    after = j + 1 in span and tokens[j + 1].hyphen_before and bool(link[j + 1])
    return before or after


def _gap_allowed(span: range, unlinked: Sequence[int], tokens: Sequence[EnToken], k: int) -> bool:
    """One unit left over may take one or two English words, if they could be its translation.

    They must be adjacent (to each other, and to the rest directly or across
    "of"), not a possessive, and the phrase must not stop short of its head:
    "new driving" is no translation when "forces" follows.
    """
    if len(unlinked) > 2 or k < 2 or (len(unlinked) == 2 and unlinked[1] != unlinked[0] + 1):
        return False
    if any(tokens[j].lower.endswith("'s") for j in unlinked):
        return False
    if unlinked[-1] == span[-1] and _continues(span, tokens):
        return False
    for j in (unlinked[0] - 1, unlinked[-1] + 1):
        if j in span and not tokens[j].content and tokens[j].lower != "of":
            return False
    return True


def _continues(span: range, tokens: Sequence[EnToken]) -> bool:
    nxt = span[-1] + 1
    return nxt < len(tokens) and tokens[nxt].chunk == tokens[span[-1]].chunk and tokens[nxt].content


def _ends_on_head(assign: Mapping[int, int], tokens: Sequence[EnToken], span: range, k: int) -> bool:
    """A phrase followed by another content word must end on the Chinese head (the last unit).

    "core technologies in key" stops on a modifier of "fields"; "new
    productive forces take" ends on 生产力, the head, and is fine.
    """
    return not _continues(span, tokens) or assign.get(span[-1]) == k - 1


def _coordination_in_order(assign: Mapping[int, int], tokens: Sequence[EnToken], span: range) -> bool:
    """"A and B" joins two Chinese units in their Chinese order (转型 升级 → transformation and upgrading)."""
    for j in span:
        if tokens[j].lower in ("and", "or") and j - 1 in assign and j + 1 in assign and assign[j - 1] > assign[j + 1]:
            return False
    return True


def _gap_in_order(
    assign: Mapping[int, int],
    unlinked: Sequence[int],
    per_unit: Sequence[Sequence[int]],
    tokens: Sequence[EnToken],
    span: range,
) -> bool:
    """Does the gap sit where the unexplained unit's translation would be?

    English keeps the Chinese order of modifiers (全 要素 生产率 → total factor
    productivity), or inverts it around "of" (劳动 资料 → means of labor).
    """
    missing = next(p for p, js in enumerate(per_unit) if not js)
    order = sorted([(j, p) for j, p in assign.items()] + [(j, missing) for j in unlinked])
    seq = [p for _, p in order]
    runs = [p for n, p in enumerate(seq) if n == 0 or seq[n - 1] != p]
    if runs == sorted(runs) and len(set(runs)) == len(runs):
        return True
    of = [j for j in span if tokens[j].lower == "of"]
    if len(of) != 1:
        return False
    left = [p for j, p in order if j < of[0]]
    right = [p for j, p in order if j > of[0]]
    return bool(left and right) and min(left) > max(right)


def _redundant(js: Sequence[int], unit: Unit, tokens: Sequence[EnToken]) -> bool:
    """Does some English word add nothing the others given to the same unit do not?"""
    if len(js) < 2:
        return False
    hits = [{k for k in unit.keys if any(stems_match(s, k) for s in tokens[j].stems)} for j in js]
    for n, mine in enumerate(hits):
        others: set[str] = set().union(*(h for m, h in enumerate(hits) if m != n))
        if mine <= others:
            return True
    return False
