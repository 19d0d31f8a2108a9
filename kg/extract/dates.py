"""Normalise the date phrase of an operation to an XSD lexical form.

Rules (month and weekday names are data: ``kg/data/operations_dates.json``):

- a full date (``Oct. 7, 2023``, ``7 October 2023``, ``2023-10-07``) → ``date``;
- month and day with the year known from the reference date (the article's
  publication date or its dateline) or a year hint → ``date``; a day that
  would fall more than a week after the reference belongs to the year before;
- month and day alone → ``gMonthDay`` (``--06-29``);
- month and year → ``gYearMonth``; a lone year → ``gYear``;
- weekdays and relative days (``on Thursday``, ``yesterday``) are resolved
  against the reference date (the latest such day on or before it); without a
  reference they give only a note.

Examples
--------
>>> from datetime import date
>>> normalize("June 29")
NormDate(value='--06-29', type='gMonthDay', note=None)
>>> normalize("June 29", ref=date(2025, 7, 18)).value
'2025-06-29'
>>> normalize("December 30", ref=date(2025, 1, 3)).value
'2024-12-30'
>>> normalize("Thursday", ref=date(2024, 8, 31)).value
'2024-08-29'
>>> normalize("late Thursday")
NormDate(value=None, type=None, note='Thursday')
>>> normalize("Oct. 7, 2023").value, normalize("July 2025").type, normalize("the August 29th").value
('2023-10-07', 'gYearMonth', '--08-29')
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources


@dataclass(frozen=True, slots=True)
class NormDate:
    value: str | None  #: XSD lexical form
    type: str | None  #: ``date``, ``gYearMonth``, ``gMonthDay``, ``gYear``
    note: str | None = None  #: what could not be normalised (``Thursday``)


@functools.lru_cache(maxsize=1)
def _lex():
    d = json.loads(resources.files("kg").joinpath("data/operations_dates.json").read_text("utf-8"))
    months = "|".join(sorted(d["months"], key=len, reverse=True))
    days = "|".join(sorted(d["weekdays"], key=len, reverse=True))
    rel = "|".join(re.escape(r) for r in sorted(d["relative_days"], key=len, reverse=True))
    day = r"(\d{1,2})(?:st|nd|rd|th)?"
    year = r"((?:19|20)\d{2})"
    pats = {
        "iso": re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b"),
        "mdy": re.compile(rf"\b({months})\.?\s+{day}(?:\s*,\s*|\s+){year}\b", re.I),
        "dmy": re.compile(rf"\b{day}(?:\s+of)?\s+({months})\.?,?\s+{year}\b", re.I),
        "md": re.compile(rf"\b({months})\.?\s+{day}\b(?!\s*,?\s*\d)", re.I),
        "dm": re.compile(rf"\b{day}(?:\s+of)?\s+({months})\b\.?", re.I),
        "my": re.compile(rf"\b({months})\.?,?\s+{year}\b", re.I),
        "y": re.compile(rf"^(?:in\s+)?{year}$", re.I),
        "wd": re.compile(rf"\b({days})\b\.?", re.I),
        "rel": re.compile(rf"\b({rel})\b", re.I),
        "m": re.compile(rf"^(?:in\s+|early\s+|late\s+|mid-?)?({months})$", re.I),
    }
    return d, pats


def parse_reference(value: str | None) -> date | None:
    """``YYYY-MM-DD`` (or a longer ISO timestamp) → :class:`date`; anything else → ``None``.

    >>> parse_reference("2025-07-18"), parse_reference(None), parse_reference("July")
    (datetime.date(2025, 7, 18), None, None)
    """
    if not value:
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _mk(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _with_year(month: int, day: int, ref: date | None, year_hint: int | None) -> NormDate | None:
    lex, _ = _lex()
    if ref is not None:
        d = _mk(ref.year, month, day)
        if d is None:
            return None
        if d > ref + timedelta(days=lex["future_window_days"]):
            d = _mk(ref.year - 1, month, day)
        return NormDate(d.isoformat(), "date") if d else None
    if year_hint is not None:
        d = _mk(year_hint, month, day)
        return NormDate(d.isoformat(), "date") if d else None
    if _mk(2000, month, day) is None:  # 2000 is a leap year: accepts Feb 29
        return None
    return NormDate(f"--{month:02d}-{day:02d}", "gMonthDay")


def normalize(text: str, ref: date | None = None, year_hint: int | None = None) -> NormDate | None:
    """Normalise a date phrase; ``None`` when it holds no calendar date (``a few days``)."""
    lex, p = _lex()
    months, weekdays = lex["months"], lex["weekdays"]
    t = " ".join(text.split())
    if m := p["iso"].search(t):
        d = _mk(int(m[1]), int(m[2]), int(m[3]))
        return NormDate(d.isoformat(), "date") if d else None
    if m := p["mdy"].search(t):
        d = _mk(int(m[3]), months[m[1].lower()], int(m[2]))
        return NormDate(d.isoformat(), "date") if d else None
    if m := p["dmy"].search(t):
        d = _mk(int(m[3]), months[m[2].lower()], int(m[1]))
        return NormDate(d.isoformat(), "date") if d else None
    if m := p["md"].search(t):
        return _with_year(months[m[1].lower()], int(m[2]), ref, year_hint)
    if m := p["dm"].search(t):
        return _with_year(months[m[2].lower()], int(m[1]), ref, year_hint)
    if m := p["my"].search(t):
        return NormDate(f"{int(m[2]):04d}-{months[m[1].lower()]:02d}", "gYearMonth")
    if m := p["y"].search(t):
        return NormDate(m[1], "gYear")
    if m := p["wd"].search(t):
        wd = weekdays[m[1].lower()]
        if ref is None:
            return NormDate(None, None, m[1].capitalize())
        return NormDate((ref - timedelta(days=(ref.weekday() - wd) % 7)).isoformat(), "date")
    if m := p["rel"].search(t):
        if ref is None:
            return NormDate(None, None, m[1].lower())
        return NormDate((ref + timedelta(days=lex["relative_days"][m[1].lower()])).isoformat(), "date")
    if m := p["m"].search(t.lower()):
        month = months[m[1].lower()]
        if ref is not None:
            y = ref.year if month <= ref.month else ref.year - 1
            return NormDate(f"{y:04d}-{month:02d}", "gYearMonth")
        return NormDate(None, None, m[1].capitalize())
    return None


def looks_like_date(text: str) -> bool:
    """Whether ``text`` names a calendar day, month, weekday or year (used for tokens the NER did not tag).

    >>> looks_like_date("July 13"), looks_like_date("Thursday"), looks_like_date("a few days")
    (True, True, False)
    """
    n = normalize(text)
    return n is not None
