import pytest

from npfterm.evaluate import parse_beads, score


def test_parse_beads():
    assert parse_beads("[0,1]:[2]\n[]:[3]\n\n[2]:[]\n") == [((0, 1), (2,)), ((), (3,)), ((2,), ())]
    with pytest.raises(ValueError, match="line 2"):
        parse_beads("[0]:[0]\nnonsense\n")


def test_perfect_alignment_scores_one():
    gold = parse_beads("[0]:[0]\n[1,2]:[1]\n[]:[2]")
    s = score([gold], [gold])
    assert (s.f1_strict, s.f1_lax) == (1.0, 1.0)


def test_strict_and_lax_follow_vecalign():
    gold = parse_beads("[0]:[0]\n[1,2]:[1]\n[3]:[2]")
    test = parse_beads("[0]:[0]\n[1]:[1]\n[2]:[]\n[3]:[2]")
    s = score([gold], [test])
    # precision: 4 test beads, 2 exact; [1]:[1] overlaps gold [1,2]:[1] (lax), [2]:[] does not
    assert s.precision_strict == pytest.approx(2 / 4)
    assert s.precision_lax == pytest.approx(3 / 4)
    # recall over gold beads with both sides: 3, of which 2 exact, 3 overlapping
    assert s.recall_strict == pytest.approx(2 / 3)
    assert s.recall_lax == pytest.approx(1.0)


def test_documents_are_micro_averaged():
    a = parse_beads("[0]:[0]\n[1]:[1]")
    b = parse_beads("[0]:[1]\n[1]:[0]")
    s = score([a, a], [a, b])
    assert s.precision_strict == pytest.approx(0.5)
    with pytest.raises(ValueError):
        score([a], [a, b])
