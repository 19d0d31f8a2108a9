"""Date normalisation, with and without the article's date."""
from __future__ import annotations

from datetime import date

import pytest

from kg.extract.dates import normalize, parse_reference

REF = date(2025, 7, 18)  # a Friday


@pytest.mark.parametrize("text,ref,expected", [
    ("June 29", None, ("--06-29", "gMonthDay")),
    ("June 29", REF, ("2025-06-29", "date")),
    ("29 June", REF, ("2025-06-29", "date")),
    ("the August 29th", None, ("--08-29", "gMonthDay")),
    ("December 30", date(2025, 1, 3), ("2024-12-30", "date")),  # reported after the new year
    ("Oct. 7, 2023", REF, ("2023-10-07", "date")),
    ("7 October 2023", None, ("2023-10-07", "date")),
    ("2025-06-29", None, ("2025-06-29", "date")),
    ("July 2025", None, ("2025-07", "gYearMonth")),
    ("in 2014", None, ("2014", "gYear")),
    ("Thursday", REF, ("2025-07-17", "date")),
    ("late Friday", REF, ("2025-07-18", "date")),
    ("yesterday", REF, ("2025-07-17", "date")),
    ("June", REF, ("2025-06", "gYearMonth")),
])
def test_normalize(text, ref, expected):
    n = normalize(text, ref)
    assert (n.value, n.type) == expected


def test_year_hint_without_reference():
    assert normalize("July 13", year_hint=2025).value == "2025-07-13"


def test_weekday_without_reference_is_only_a_note():
    n = normalize("on Thursday")
    assert n.value is None and n.note == "Thursday"


def test_no_calendar_date():
    assert normalize("a few days") is None and normalize("the past 48 hours") is None
    assert normalize("February 30") is None


def test_parse_reference():
    assert parse_reference("2025-07-18T10:00:00Z") == REF and parse_reference("soon") is None
