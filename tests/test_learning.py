import numpy as np

from npfterm.alignment.cooccurrence import cooccurrence_pairs, with_learned
from npfterm.alignment.costs import SentenceFeatures
from npfterm.alignment.evidence import EnEvidence, ZhEvidence


def feats(zh_tokens, en_keys):
    n, m = len(zh_tokens), len(en_keys)
    return SentenceFeatures(
        zh=tuple(ZhEvidence(tuple(t), tuple(frozenset() for _ in t)) for t in zh_tokens),
        en=tuple(EnEvidence(frozenset(k)) for k in en_keys),
        zh_len=np.ones(n), en_len=np.ones(m), zh_para=np.zeros(n, int), en_para=np.zeros(m, int),
        interleaved=False,
    )


def test_tokens_that_keep_meeting_are_learned_and_added():
    # 袭人 is translated "Aroma" (by meaning, not pinyin): no dictionary knows it
    f = feats(
        [["袭人", "笑"], ["袭人", "走"], ["宝玉", "哭"]],
        [{"aroma", "laugh"}, {"aroma", "left"}, {"baoyu", "cri"}],
    )
    spans = [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3)]
    learned = cooccurrence_pairs(f, spans, [0.9, 0.9, 0.9])
    assert learned["袭人"] == {"aroma"}
    assert "宝玉" not in learned  # seen once: not enough evidence
    g = with_learned(f, learned)
    assert g.zh[0].keys[0] == {"aroma"} and g.zh[0].keys[1] == frozenset()


def test_unconfident_beads_teach_nothing():
    f = feats([["袭人"], ["袭人"]], [{"aroma"}, {"aroma"}])
    assert cooccurrence_pairs(f, [(0, 1, 0, 1), (1, 2, 1, 2)], [0.2, 0.3]) == {}


def test_every_occurrence_of_a_token_shares_one_extended_key_set():
    """A long document repeats its vocabulary: one set per distinct token, not per occurrence."""
    f = feats([["袭人", "笑"]] * 50, [{"aroma", "laugh"}] * 50)
    g = with_learned(f, {"袭人": frozenset({"aroma"})})
    first = g.zh[0].keys[0]
    assert first == {"aroma"}
    assert all(z.keys[0] is first for z in g.zh)
