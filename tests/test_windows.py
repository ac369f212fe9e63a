"""windows: long documents aligned window by window, cut at confident anchors."""

from __future__ import annotations

from pathlib import Path

import pytest

from npfterm.alignment.document import AlignOptions, align_text
from npfterm.alignment.windows import (
    ANCHOR_SCORE,
    WINDOW_SENTENCES,
    align_in_windows,
    kept_beads,
    needs_windows,
    window_extent,
)
from npfterm.evaluate import parse_beads, score
from npfterm.models import Bead
from npfterm.pipeline import load_bilingual
from npfterm.text.parse import bilingual_from_sentence_lines

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "npf-xi-2024-01-31.txt"
MAC_DEV = ROOT / ".." / "shared" / "data" / "mac-dev"
MAC_DOCS = ("001", "002", "003", "004", "005", "006")


def diagonal(calls: list[tuple[int, int, int, int]], score: float = 1.0):
    """A piece aligner that pairs sentences 1-1 and leaves the longer side's rest unmatched."""

    def piece(i0: int, i1: int, j0: int, j1: int) -> list[Bead]:
        calls.append((i0, i1, j0, j1))
        n, m = i1 - i0, j1 - j0
        k = min(n, m)
        return (
            [Bead((i,), (i,), score) for i in range(k)]
            + [Bead((i,), (), 0.0) for i in range(k, n)]
            + [Bead((), (j,), 0.0) for j in range(k, m)]
        )

    return piece


def covers_in_order(beads: list[Bead], n: int, m: int) -> bool:
    zh = [i for b in beads for i in b.zh]
    en = [j for b in beads for j in b.en]
    return zh == list(range(n)) and en == list(range(m))


def test_short_documents_are_aligned_whole() -> None:
    assert not needs_windows(100, 120, 220)
    assert needs_windows(100, 121, 220)
    assert not needs_windows(0, 5000, 100)  # one side empty: nothing to cut


def test_a_window_has_the_shape_of_what_is_left() -> None:
    assert window_extent(0, 0, 1000, 3000, 400) == (100, 300)
    assert window_extent(900, 2800, 1000, 3000, 400) == (1000, 3000)  # the rest fits


def test_the_kept_part_ends_at_the_last_anchor_within_two_thirds() -> None:
    beads = [Bead((k,), (k,), ANCHOR_SCORE) for k in range(9)]
    assert kept_beads(beads, 9, 9) == 6  # bead 5 ends at 6 = 2/3 of 9 and bead 6 is confident too
    weak = beads[:6] + [Bead((6,), (6,), 0.2)] + beads[7:]
    assert kept_beads(weak, 9, 9) == 5  # bead 5 is followed by a weak one: the anchor is bead 4
    unsure = [Bead((k,), (k,), 0.5) for k in range(9)]
    assert kept_beads(unsure, 9, 9) == 6  # no anchor: everything within the share
    assert kept_beads([Bead(tuple(range(9)), tuple(range(9)), 1.0)], 9, 9) == 1  # always progress


def test_windows_cover_every_sentence_once_in_order() -> None:
    calls: list[tuple[int, int, int, int]] = []
    beads = list(align_in_windows(1000, 1400, 300, diagonal(calls)))
    assert covers_in_order(beads, 1000, 1400)
    assert len(calls) > 3 and all((i1 - i0) + (j1 - j0) <= 300 for i0, i1, j0, j1 in calls)
    # each window starts where the kept beads of the one before ended
    assert calls[1][0] == sum(len(b.zh) for b in beads if b.zh and b.zh[0] < calls[1][0])


def test_windows_end_even_when_no_bead_is_confident() -> None:
    calls: list[tuple[int, int, int, int]] = []
    beads = list(align_in_windows(500, 300, 50, diagonal(calls, score=0.1)))
    assert covers_in_order(beads, 500, 300)


def test_beads_after_one_side_is_used_up_are_unmatched() -> None:
    def zh_first(i0: int, i1: int, j0: int, j1: int) -> list[Bead]:
        return [Bead((i,), (), 0.5) for i in range(i1 - i0)] + [Bead((), (j,), 0.5) for j in range(j1 - j0)]

    beads = list(align_in_windows(30, 30, 12, zh_first))
    assert covers_in_order(beads, 30, 30)


def test_window_is_part_of_the_signature() -> None:
    text = bilingual_from_sentence_lines("你好。\n", "Hello.\n")
    info = align_text(text, AlignOptions(mode="lexical", window=500)).info
    assert ("window", 500.0) in info.weights


def test_a_window_smaller_than_two_sentences_is_refused() -> None:
    with pytest.raises(ValueError, match="at least two sentences"):
        AlignOptions(window=1)


def _mac_dev() -> tuple[str, str, list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """The six MAC-Dev chapters as one document, with their gold beads renumbered."""
    if not all((MAC_DEV / lang / doc).is_file() for lang in ("zh", "en") for doc in MAC_DOCS):
        pytest.skip(f"MAC-Dev not found at {MAC_DEV}")
    zh, en, gold = "", "", []
    for doc in MAC_DOCS:
        z, e = (MAC_DEV / "zh" / doc).read_text(encoding="utf-8"), (MAC_DEV / "en" / doc).read_text(encoding="utf-8")
        oz, oe = len(zh.splitlines()), len(en.splitlines())
        for a, b in parse_beads((MAC_DEV / "gold" / f"{doc}.align").read_text(encoding="utf-8")):
            gold.append((tuple(i + oz for i in a), tuple(j + oe for j in b)))
        zh, en = zh + z, en + e
    return zh, en, gold


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["hybrid", "lexical"])
def test_mac_dev_and_the_seed_are_aligned_whole_by_default(mode: str) -> None:
    """Identical to the whole-document path: the default window holds every MAC-Dev chapter and the seed."""
    zh, en, _ = _mac_dev()
    texts = [load_bilingual([str(SEED)])] + [
        bilingual_from_sentence_lines(
            (MAC_DEV / "zh" / doc).read_text(encoding="utf-8"), (MAC_DEV / "en" / doc).read_text(encoding="utf-8")
        )
        for doc in ("002", "003")  # the largest chapters
    ]
    for text in texts:
        assert not needs_windows(len(text.zh), len(text.en), WINDOW_SENTENCES)
        default = align_text(text, AlignOptions(mode=mode))
        whole = align_text(text, AlignOptions(mode=mode, window=10**9))
        assert default.beads == whole.beads


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["hybrid", "lexical"])
def test_windows_over_all_of_mac_dev_agree_with_the_whole_path(mode: str) -> None:
    """1,463 × 1,951 sentences in windows of 1,500: the same beads almost everywhere, no worse against gold."""
    zh, en, gold = _mac_dev()
    text = bilingual_from_sentence_lines(zh, en)
    whole = align_text(text, AlignOptions(mode=mode, window=10**9))
    windowed = align_text(text, AlignOptions(mode=mode, window=1500))
    same = {(b.zh, b.en) for b in whole.beads} & {(b.zh, b.en) for b in windowed.beads}
    assert len(same) >= 0.95 * len(whole.beads)
    f1_whole = score([gold], [[(b.zh, b.en) for b in whole.beads]]).f1_strict
    f1_windowed = score([gold], [[(b.zh, b.en) for b in windowed.beads]]).f1_strict
    assert f1_windowed >= f1_whole - 0.01, (f1_windowed, f1_whole)
