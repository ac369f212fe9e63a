from npfterm.text.lexicon import (
    Lexicon,
    clean_sense,
    load_cedict,
    load_cedict_entries,
    parse_cedict,
    sense_stems,
)

SAMPLE = """# CC-CEDICT sample
#! date=2023-11-07T06:42:16Z
打 打 [da2] /dozen (loanword)/
打 打 [da3] /to beat/to strike/CL:次[ci4]/
中和 中和 [Zhong1 he2] /Zhonghe city in New Taipei City 新北市[Xin1 bei3 shi4], Taiwan/
中和 中和 [zhong1 he2] /to neutralize/to counteract/
國內生產總值 国内生产总值 [guo2 nei4 sheng1 chan3 zong3 zhi2] /gross domestic product (GDP)/
陳 陈 [Chen2] /surname Chen/
not a dictionary line
"""


def test_parse_keeps_every_entry_and_both_scripts():
    entries, date = parse_cedict(SAMPLE.splitlines(True))
    assert date == "2023-11-07"
    assert entries["打"].pinyin == ("da2", "da3")
    assert entries["打"].senses == ("dozen (loanword)", "to beat", "to strike")  # CL: dropped
    assert entries["中和"].pinyin == ("Zhong1 he2", "zhong1 he2")
    assert entries["國內生產總值"] == entries["国内生产总值"]
    assert entries["陈"].senses == ()  # "surname X" carries no translation


def test_clean_sense_strips_references_and_notes_but_keeps_acronyms():
    assert clean_sense("Zhonghe city in New Taipei City 新北市[Xin1 bei3 shi4], Taiwan") == (
        "Zhonghe city in New Taipei City , Taiwan"
    )
    assert clean_sense("gross domestic product (GDP)") == "gross domestic product GDP"
    assert clean_sense("to play (a game)") == "to play"


def test_sense_stems_drop_function_words_and_dictionary_shorthand():
    assert sense_stems("to do sth for sb") == []
    assert sense_stems("productive forces") == ["product", "forc"]


def test_shipped_cedict_is_large_and_named_by_its_date():
    lex = load_cedict()
    assert len(lex) > 150_000
    assert lex.name.startswith("cc-cedict-20")
    assert {"carbon", "neutral"} <= lex.translations("碳中和")
    assert "productiv" in lex.translations("生產力") or "product" in lex.translations("生產力")
    assert len(load_cedict_entries()["打"].senses) > 10


def test_with_pairs_adds_without_copying_or_mutating():
    base = Lexicon({"科技": "scienc technolog"}, "test")
    more = base.with_pairs([("新质生产力", "new-quality productive forces")], "doc")
    assert more.translations("新质生产力") == {"new", "qualiti", "product", "forc"}
    assert "新质生产力" not in base
    assert more.name == "test+doc"
    assert more.extra_terms() == ["新质生产力"]


def test_unknown_compounds_fall_back_to_their_parts():
    lex = Lexicon({"黑": "black dark", "灯": "lamp light"}, "test")
    assert lex.translations("黑灯") == frozenset()
    assert lex.word_translations("黑灯") == {"black", "dark", "lamp", "light"}


def test_the_headword_sets_answer_as_the_dictionary_does():
    """Glossary pinyin asks cached sets, not the loaded dictionary; they must agree with it exactly."""
    import itertools

    from npfterm.text.gloss import has_senses, senses
    from npfterm.text.lexicon import cedict_headwords, load_cedict, load_cedict_entries

    assert cedict_headwords() == frozenset(load_cedict()._table)
    words = [*itertools.islice(load_cedict_entries(), 0, None, 97), "碳中和", "新质", "不存在的词语", "x", ""]
    assert [w for w in words if has_senses(w) != bool(senses(w))] == []
