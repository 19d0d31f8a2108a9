"""Casualty and count numbers: digits and number words, exact or vague.

The words are data (``kg/data/operations_numbers.json``). Exact amounts
become integers; vague ones (``dozens``, ``several``) are kept as text so the
caller records them as a note instead of inventing a number.

Examples
--------
>>> parse_number("1,200"), parse_number("seven"), parse_number("a dozen"), parse_number("twenty-one")
(1200, 7, 12, 21)
>>> parse_number("at least 28"), parse_number("dozens"), parse_number("two hundred")
(28, None, 200)
>>> amount("some 15")
Amount(value=15, vague=None, approx='some', text='some 15')
>>> amount("dozens").vague
'dozens'
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$|^\d+\.\d+$")
_SPLIT = re.compile(r"[\s\-–]+")


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount read from text: ``value`` when exact, ``vague`` when not."""

    value: int | None
    vague: str | None
    approx: str | None
    text: str


@functools.lru_cache(maxsize=1)
def lexicon() -> dict:
    """The number words (loaded once)."""
    data = json.loads(resources.files("kg").joinpath("data/operations_numbers.json").read_text("utf-8"))
    data["approximators"] = sorted(data["approximators"], key=len, reverse=True)
    data["vague"] = frozenset(data["vague"])
    return data


def _strip_approx(text: str) -> tuple[str, str | None]:
    low = text.lower().strip()
    for a in lexicon()["approximators"]:
        if low.startswith(a + " "):
            return text.strip()[len(a) + 1:].strip(), a
    return text.strip(), None


def _words_value(words: list[str]) -> int | None:
    lx = lexicon()
    total, current, seen = 0, 0, False
    for w in words:
        if w == "and":
            continue
        if _DIGITS.match(w):
            current += int(float(w.replace(",", "")))
        elif w in lx["units"]:
            current += lx["units"][w]
        elif w in lx["tens"]:
            current += lx["tens"][w]
        elif w in lx["collectives"]:
            current = max(current, 1) * lx["collectives"][w]
        elif w in lx["scales"]:
            scale = lx["scales"][w]
            if scale >= 1000:
                total += max(current, 1) * scale
                current = 0
            else:
                current = max(current, 1) * scale
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_number(text: str) -> int | None:
    """Exact integer value of ``text`` (digits or words), ``None`` when vague or not a number.

    >>> parse_number("57,000"), parse_number("1.5 million"), parse_number("several"), parse_number("29th")
    (57000, 1500000, None, None)
    """
    body, _ = _strip_approx(text)
    low = body.lower().strip()
    if not low or low in lexicon()["vague"]:
        return None
    if _DIGITS.match(low):
        v = float(low.replace(",", ""))
        return int(v) if v == int(v) else None
    words = [w for w in _SPLIT.split(low) if w]
    if words and re.match(r"^\d+(?:\.\d+)?$", words[0]) and len(words) == 2 and words[1] in lexicon()["scales"]:
        return int(float(words[0]) * lexicon()["scales"][words[1]])
    if words in (["a"], ["an"]):
        return None
    return _words_value(words)


def amount(text: str) -> Amount:
    """Read ``text`` as an :class:`Amount` (exact value, or the vague word)."""
    body, approx = _strip_approx(text)
    value = parse_number(body)
    vague = None
    if value is None:
        low = body.lower().strip()
        if low in lexicon()["vague"] or any(w in lexicon()["vague"] for w in low.split()[:1]):
            vague = low
    return Amount(value, vague, approx, text.strip())


def is_number_word(word: str) -> bool:
    """Whether one token can be (part of) an amount.

    >>> is_number_word("Seven"), is_number_word("15"), is_number_word("dozens"), is_number_word("militants")
    (True, True, True, False)
    """
    low = word.lower()
    lx = lexicon()
    return bool(_DIGITS.match(low.replace(",", ""))) or low in lx["units"] or low in lx["tens"] or low in lx["scales"] \
        or low in lx["collectives"] or low in lx["vague"] or bool(re.match(r"^[a-z]+-[a-z]+$", low) and parse_number(low))
