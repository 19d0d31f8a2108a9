"""Number words and amounts."""
from __future__ import annotations

import pytest

from kg.extract.numbers import amount, is_number_word, parse_number


@pytest.mark.parametrize("text,value", [
    ("15", 15), ("1,200", 1200), ("2500", 2500), ("seven", 7), ("Nine", 9), ("a dozen", 12), ("two dozen", 24),
    ("twenty-one", 21), ("two hundred", 200), ("1.5 million", 1500000), ("at least 28", 28), ("some 15", 15),
    ("over 57,000", 57000), ("dozens", None), ("several", None), ("29th", None), ("a", None), ("militants", None),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_vague_amounts_are_kept_as_words():
    a = amount("dozens")
    assert a.value is None and a.vague == "dozens"
    a = amount("at least 28")
    assert (a.value, a.approx) == (28, "at least")


def test_number_words():
    assert is_number_word("three") and is_number_word("1,200") and not is_number_word("ISIS")
