"""Review edits on beads: each keeps every sentence once, in order, and marks what it made reviewed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from npfterm.errors import EditError
from npfterm.models import Bead, Sentence
from npfterm.review import edits
from npfterm.review.edits import Draft


def draft(beads: list[tuple[tuple[int, ...], tuple[int, ...]]], zh: int | None = None, en: int | None = None) -> Draft:
    nz = zh if zh is not None else 1 + max((i for b in beads for i in b[0]), default=-1)
    ne = en if en is not None else 1 + max((j for b in beads for j in b[1]), default=-1)
    return Draft(
        tuple(Sentence(f"中{i}句子。", "zh", i) for i in range(nz)),
        tuple(Sentence(f"English sentence {j}.", "en", j) for j in range(ne)),
        tuple(Bead(a, b, 0.3) for a, b in beads),
    )


def shape(d: Draft) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    edits.check(d)
    return [(b.zh, b.en) for b in d.beads]


SEED_WRONG = [((0,), (0, 1, 2, 3, 4)), ((1,), (5,))]


def test_unmatch_turns_the_seed_bead_into_gold():
    d = draft(SEED_WRONG)
    for j in (0, 1, 2, 4):
        d = edits.unmatch(d, "en", j)
    assert shape(d) == [((), (0,)), ((), (1,)), ((), (2,)), ((0,), (3,)), ((), (4,)), ((1,), (5,))]
    assert [b.evidence for b in d.beads] == ["reviewed"] * 5 + ["aligned"]
    assert d.beads[3].score == 1.0 and d.beads[5].score == 0.3


def test_unmatch_refuses_a_middle_or_already_unmatched_sentence():
    d = draft(SEED_WRONG)
    with pytest.raises(EditError, match="middle"):
        edits.unmatch(d, "en", 2)
    with pytest.raises(EditError, match="already unmatched"):
        edits.unmatch(edits.unmatch(d, "en", 0), "en", 0)


def test_unmatch_the_only_sentence_of_a_side_goes_before():
    assert shape(edits.unmatch(draft([((0,), (0,))]), "zh", 0)) == [((0,), ()), ((), (0,))]


def test_merge_next_and_previous():
    d = draft([((0,), (0,)), ((), (1,)), ((1,), (2,))])
    assert shape(edits.merge(d, 0, 1)) == [((0,), (0, 1)), ((1,), (2,))]
    assert shape(edits.merge(d, 2, -1)) == [((0,), (0,)), ((1,), (1, 2))]
    with pytest.raises(EditError, match="no next bead"):
        edits.merge(d, 2, 1)
    with pytest.raises(EditError, match="no previous bead"):
        edits.merge(d, 0, -1)
    with pytest.raises(EditError, match="no bead 9"):
        edits.merge(d, 8, 1)


def test_split_bead_and_split_even():
    d = draft([((0, 1), (0, 1, 2))])
    assert shape(edits.split_bead(d, 0, 1, 2)) == [((0,), (0, 1)), ((1,), (2,))]
    assert shape(edits.split_bead(d, 0, 0, 1)) == [((), (0,)), ((0, 1), (1, 2))]
    with pytest.raises(EditError, match="empty"):
        edits.split_bead(d, 0, 0, 0)
    with pytest.raises(EditError, match="cannot cut"):
        edits.split_bead(d, 0, 3, 0)
    two = draft([((0, 1), (0, 1))])
    assert shape(edits.split_even(two, 0, "zh", 0)) == [((0,), (0,)), ((1,), (1,))]
    assert shape(edits.split_even(two, 0, "en", 0)) == [((0,), (0,)), ((1,), (1,))]
    with pytest.raises(EditError, match="last of its bead"):
        edits.split_even(two, 0, "zh", 1)


def test_move_to_neighbours():
    d = draft([((0,), (0, 1)), ((1,), (2,))])
    assert shape(edits.move(d, "en", 1, 1)) == [((0,), (0,)), ((1,), (1, 2))]
    assert shape(edits.move(d, "zh", 1, -1)) == [((0, 1), (0, 1)), ((), (2,))]
    with pytest.raises(EditError, match="only the last"):
        edits.move(d, "en", 0, 1)
    with pytest.raises(EditError, match="no previous bead"):
        edits.move(d, "zh", 0, -1)


def test_move_the_last_sentence_drops_the_empty_bead():
    d = draft([((0,), (0,)), ((), (1,))])
    assert shape(edits.move(d, "en", 1, -1)) == [((0,), (0, 1))]


def test_split_sentence_renumbers_later_sentences():
    d = draft([((0,), (0,)), ((1,), (1,))])
    d = Draft(d.zh, (Sentence("One. Two.", "en", 0), Sentence("Three.", "en", 1)), d.beads)
    out = edits.split_sentence(d, "en", 0, 4)
    assert [s.text for s in out.en] == ["One.", "Two.", "Three."]
    assert [s.index for s in out.en] == [0, 1, 2]
    assert shape(out) == [((0,), (0, 1)), ((1,), (2,))]
    assert out.beads[0].evidence == "reviewed" and out.beads[1].evidence == "aligned"
    for offset in (0, 9, 3 + 1 - 4):
        with pytest.raises(EditError, match="inside its text"):
            edits.split_sentence(d, "en", 0, offset)
    with pytest.raises(EditError, match="no en sentence 7"):
        edits.split_sentence(d, "en", 7, 1)


def test_confirm_marks_reviewed():
    d = edits.confirm(draft([((0,), (0,)), ((1,), (1,))]), (1,))
    assert [b.evidence for b in d.beads] == ["aligned", "reviewed"]
    assert all(b.evidence == "reviewed" for b in edits.confirm(d).beads)


def test_check_refuses_broken_beads():
    with pytest.raises(EditError, match="once each"):
        edits.check(draft([((1,), (0,)), ((0,), (1,))]))
    with pytest.raises(EditError, match="no sentence"):
        edits.check(draft([((0,), (0,)), ((), ())]))


OPS = st.sampled_from(["merge+", "merge-", "split", "move+", "move-", "unmatch", "cut"])


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(OPS, st.integers(0, 12), st.sampled_from(["zh", "en"])), max_size=25))
def test_any_edit_sequence_keeps_the_beads_valid(ops):
    d = draft([((0, 1), (0,)), ((2,), (1, 2)), ((), (3,)), ((3, 4), (4, 5))])
    for op, k, lang in ops:
        try:
            if op.startswith("merge"):
                d = edits.merge(d, k % len(d.beads), 1 if op.endswith("+") else -1)
            elif op == "split":
                b = d.beads[k % len(d.beads)]
                d = edits.split_bead(d, k % len(d.beads), len(b.zh) // 2, (len(b.en) + 1) // 2)
            elif op.startswith("move"):
                d = edits.move(d, lang, k % len(d.sentences(lang)), 1 if op.endswith("+") else -1)
            elif op == "unmatch":
                d = edits.unmatch(d, lang, k % len(d.sentences(lang)))
            else:
                d = edits.split_sentence(d, lang, k % len(d.sentences(lang)), 3)
        except EditError:
            pass
        edits.check(d)


def test_apply_reads_edits_from_plain_data():
    d = draft(SEED_WRONG)
    d = edits.apply(d, {"op": "unmatch", "lang": "en", "index": 0})
    d = edits.apply(d, {"op": "merge", "bead": 0, "direction": 1})
    assert shape(d) == [((0,), (0, 1, 2, 3, 4)), ((1,), (5,))]
    assert shape(edits.apply(d, {"op": "split", "bead": 0, "lang": "en", "index": 0})) == [((), (0,)), ((0,), (1, 2, 3, 4)), ((1,), (5,))]
    assert shape(edits.apply(d, {"op": "move", "lang": "en", "index": 4, "direction": 1})) == [((0,), (0, 1, 2, 3)), ((1,), (4, 5))]
    assert len(edits.apply(d, {"op": "cut", "lang": "en", "index": 0, "offset": 7}).en) == 7
    assert {b.evidence for b in edits.apply(d, {"op": "confirm"}).beads} == {"reviewed"}
    for bad, message in [
        ({"op": "explode"}, "unknown edit 'explode'"),
        ({"op": "merge", "bead": "0", "direction": 1}, "integer 'bead'"),
        ({"op": "merge", "bead": True, "direction": 1}, "integer 'bead'"),
        ({"op": "move", "lang": "fr", "index": 0, "direction": 1}, "'zh' or 'en'"),
        ({"op": "move", "lang": "en", "index": 0, "direction": 2}, "-1 .previous. or 1"),
    ]:
        with pytest.raises(EditError, match=message):
            edits.apply(d, bad)


def test_to_check_puts_low_pairs_first_then_unmatched():
    d = Draft(
        draft([((0,), (0,))], 3, 4).zh,
        draft([((0,), (0,))], 3, 4).en,
        (Bead((), (0,), 0.2), Bead((0,), (1,), 0.79), Bead((1,), (2,), 0.5), Bead((2,), (3,), 0.95)),
    )
    assert edits.to_check(d) == [2, 1, 0]
    assert edits.to_check(edits.confirm(d, (2,))) == [1, 0]
