import numpy as np

from npfterm.alignment.evidence import (
    OverlapIndex,
    en_evidence,
    pinyin_keys,
    zh_evidence,
)
from npfterm.text.lexicon import Lexicon, load_cedict


def test_numbers_latin_tokens_and_dictionary_words_become_keys():
    lex = load_cedict()
    zh = zh_evidence("2024年GDP增长5%，发展6G技术。", lex)
    en = en_evidence("GDP grew 5 percent in 2024, with 6G technology.")
    matched = [t for t, keys in zip(zh.tokens, zh.keys) if keys & en.keys]
    assert {"GDP", "6G", "技术", "2024", "5%"} <= set(matched)


def test_names_match_by_pinyin():
    lex = load_cedict()
    zh = zh_evidence("陈清扬把我拽住。", lex)
    en = en_evidence("Chen Qingyang caught me.")
    assert any(k & en.keys for t, k in zip(zh.tokens, zh.keys) if t == "陈清扬")
    assert pinyin_keys("叶文洁") == {"py:yewenjie", "py:ye", "py:wenjie"}


def test_document_terms_stay_whole():
    lex = load_cedict().with_pairs([("新质生产力", "new-quality productive forces")])
    zh = zh_evidence("发展新质生产力。", lex, keep=lex.extra_terms())
    assert "新质生产力" in zh.tokens


def test_overlap_counts_both_sides_within_a_range():
    lex = Lexicon({"猫": "cat", "狗": "dog"}, "t")
    index = OverlapIndex([en_evidence("a cat"), en_evidence("the dog and the cat"), en_evidence("nothing")])
    row = index.row(zh_evidence("猫和狗", lex), 0, 3)
    # sentence 0: 猫 + cat; sentence 1: 猫, 狗 + cat, dog; sentence 2: none
    assert row.tolist() == [2.0, 4.0, 0.0]
    assert index.row(zh_evidence("猫和狗", lex), 1, 2).tolist() == [4.0]
    assert np.array_equal(index.row(zh_evidence("猫", lex), 2, 2), np.zeros(0))
