import pytest

from npfterm.text.numerals import (
    en_number_value,
    en_numbers,
    zh_numbers,
    zh_numeral_value,
)


@pytest.mark.parametrize(
    "text, value",
    [
        ("十", 10), ("十五", 15), ("四十一", 41), ("一百二十五", 125), ("两千零二十四", 2024),
        ("十多万", 100_000), ("三亿五千万", 350_000_000), ("二〇二四", 2024), ("3.5万", 35_000),
        ("1.2亿", 120_000_000), ("一万二千", 12_000),
    ],
)
def test_zh_numeral_values(text, value):
    assert zh_numeral_value(text) == value


@pytest.mark.parametrize(
    "text, value",
    [
        ("forty-one", 41), ("one hundred thousand", 100_000), ("a hundred", 100),
        ("two thousand and twenty-four", 2024), ("1,000", 1000), ("4.5", 4.5), ("twelve", 12),
    ],
)
def test_en_number_values(text, value):
    assert en_number_value(text) == value


@pytest.mark.parametrize(
    "zh, en, shared",
    [
        ("2024年GDP增长5%", "2024 GDP growth of 5 percent", {"2024", "5%", "5"}),
        ("十多万人", "one hundred thousand people", {"100000"}),
        ("四十一岁", "forty-one years old", {"41"}),
        ("增长70%", "up by 70 per cent", {"70%", "70"}),
        ("1月31日", "on January 31", {"1", "31"}),
        ("350万", "3.5 million", {"3500000"}),
    ],
)
def test_both_sides_give_the_same_values(zh, en, shared):
    assert set(zh_numbers(zh)) == shared
    assert set(en_numbers(en)) == shared


def test_the_value_one_is_not_evidence_unless_written_in_digits():
    assert zh_numbers("一个人") == []
    assert en_numbers("one man") == []
    assert zh_numbers("第1名") == ["1"]


def test_percentages_also_give_the_bare_number():
    assert zh_numbers("4.5%") == ["4.5%", "4.5"]
    assert en_numbers("from 4.5 to 8 percent") == ["4.5", "8%", "8"]


def test_approximate_ranges_are_two_values():
    assert zh_numbers("两三个") == ["2", "3"]
