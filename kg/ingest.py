"""Read news articles from files and folders, and clean off the page furniture.

The only public entry point for the pipeline is :func:`iter_articles`, a
generator of :class:`~kg.model.Article` records. Everything below it is split
into pure functions that work on strings (:func:`read_article_text`,
:func:`clean_article`, :func:`read_html`, :func:`parse_jsonl_line`,
:func:`decode_bytes`), so each rule is testable without disk.

Input formats, by extension: ``.txt`` and ``.md`` (one or several articles per
file), ``.html``/``.htm`` (main text and metadata via trafilatura) and
``.jsonl`` (one article per line). Bad input never raises: every problem is
reported as an :class:`~kg.errors.InputError` through ``on_error`` and the
file or line is skipped.

Cleaning rules (general, applied to every text article)
-------------------------------------------------------
1. Lines repeated within one article are dropped after their first occurrence;
   caption lines (ending in a parenthesised credit such as ``(Reuters)`` or
   ``(Photo by AFP)``, or repeated in the header) go to ``Article.captions``.
2. Lone site tokens (``TT``, ``20``: three characters or fewer, digits only or
   no letters at all) are dropped.
3. Trailing share labels in any script (``Share:``, ``مشاركة :`` …, listed in
   ``kg/data/ingest_labels.json``) are dropped, and so is a final line without
   Latin letters under an English body.
4. Markdown images become captions (never body); links keep their text only.
5. Bylines (``By Anas al-Bar |``, ``Jane Doe | Reuters``) go to ``Article.byline``.
6. A one- or two-word Title Case line right before the headline (``Security``)
   is a section label and is dropped.
7. The title is the first headline-like line (or the metadata title); it is not
   part of the body. Without one, the title is the first sentence (cut to about
   100 characters) and the sentence stays in the body.
8. A headline-like line that comes back within a few lines (or follows two
   blank lines and is followed by a caption or byline) after body text starts
   a new article in the same file.
9. Publication dates come from metadata, a date line in the header or a
   dateline (``BAGHDAD, July 5, 2025 (AFP) —``); the dateline credit gives the
   outlet when no metadata does.

Examples
--------
>>> raw = '''Security
... Iraqi forces raid ISIS hideouts in Anbar
... ![Troops on patrol. [CTS]](/img/1.webp)
... By Jane Doe |
... BAGHDAD, July 5, 2025 (AFP) — Iraqi forces raided three ISIS hideouts.
... TT
... Share:'''
>>> [a] = read_article_text(raw)
>>> a["title"], a["byline"], a["date"], a["outlet"]
('Iraqi forces raid ISIS hideouts in Anbar', 'Jane Doe', '2025-07-05', 'AFP')
>>> a["text"]
'BAGHDAD, July 5, 2025 (AFP) — Iraqi forces raided three ISIS hideouts.'
>>> a["captions"]
('Troops on patrol. (CTS)',)
"""
from __future__ import annotations

import codecs
import functools
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date as _date
from importlib import resources
from typing import Any, Protocol

from .errors import InputError
from .model import Article
from .vocab import digest, slug

# ---------------------------------------------------------------------------
# Rule constants

#: File formats by (lower-case) extension. In folders, other files are ignored.
FORMATS = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
#: Files larger than this are skipped (ingest reads one file at a time).
MAX_FILE_BYTES = 64 * 2**20
#: Bytes sniffed at the start of a JSONL file for NUL bytes.
SNIFF_BYTES = 8192
#: A decoded text with more than this share of control characters is binary.
MAX_CONTROL_RATIO = 0.05
#: Legacy encoding preferred when it fits as well as charset-normalizer's best guess
#: (short texts fit many code pages; Western news is overwhelmingly Windows-1252).
PREFERRED_ENCODING, PREFERRED_CHAOS_SLACK = "cp1252", 0.01
#: Lines this short (or digits only, or without letters and digits) are site tokens.
LONE_TOKEN_MAX = 3
#: Titles derived from a first sentence are cut to about this many characters.
TITLE_MAX = 100
#: An article body needs at least this many words.
MIN_BODY_WORDS = 3
#: Bounds for a headline-like line.
HEADLINE_MIN_WORDS, HEADLINE_MAX_WORDS, HEADLINE_MAX_CHARS = 2, 30, 200
#: A headline that starts a second article in a file needs at least this many words.
SPLIT_MIN_WORDS = 3
#: A repeated headline must come back within this many lines to start an article.
REPEAT_WINDOW = 10
#: After two blank lines, furniture must follow a headline within this many lines.
FURNITURE_WINDOW = 3
#: Bylines and date lines are looked for in this many first lines of an article.
HEADER_WINDOW = 8
#: A section label has at most this many words and characters.
SECTION_MAX_WORDS, SECTION_MAX_CHARS = 2, 30
#: A body-like line: at least this many words ending a sentence, or BODY_LONG_WORDS words.
BODY_MIN_WORDS, BODY_LONG_WORDS = 8, 25
#: Inside a block, a line at least this long not ending a sentence is a hard wrap.
HARD_WRAP_MIN = 60
#: A byline's trailing part (outlet) has at most this many words.
BYLINE_REST_WORDS = 6
#: The body counts as English when this share of its letters is Latin.
LATIN_SHARE = 0.5

#: Abbreviations whose period does not end a sentence (for first-sentence titles).
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj sgt capt cpt brig cpl pvt adm gov sen rep st jr sr no vs etc inc ltd "
    "co corp dept u.s u.n u.k jan feb mar apr jun jul aug sep sept oct nov dec approx fig al e.g i.e".split()
)

_TERMINAL = ".,;:…"
_SENTENCE_END = ".!?"
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«([¿¡"
_WRAP_STOP = ".!?:;\"'”’»)…"

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_DATE = (
    rf"(?:(?P<mon>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>{_MONTH}),?\s+(?P<year2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))"
)
_PLACE = r"[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3}"
_DATELINE_RE = re.compile(
    rf"^(?:(?P<place>{_PLACE}(?:,\s+{_PLACE})?),?\s+)?"
    rf"(?:{_WEEKDAY}{_DATE}\s*)?"
    r"(?:\((?P<credit>[^()]{1,40})\)\s*)?"
    r"(?:[—–]|-{1,2}|:)\s"
)
_DATE_LINE_RE = re.compile(
    rf"^(?:(?:Published|Updated|Posted|Last updated|Date)(?:\s+on)?\s*:?\s*)?{_WEEKDAY}{_DATE}"
    r"(?:\s*[,|\-–—]?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,5})?)?\.?$"
)

_PARTICLES = "al|el|bin|ibn|bint|abu|abd|de|del|della|der|den|van|von|da|di|du|la|le|ul|ben"
_CAP = r"[A-ZÀ-ÖØ-Þ]"
_NAME_WORD = rf"(?:{_CAP}[\w'’.\-]*|(?:{_PARTICLES})(?:-{_CAP}[\w'’\-]*)?)"
_NAME = rf"{_CAP}[\w'’.\-]*(?:\s+{_NAME_WORD}){{1,4}}"
_NAMES = rf"{_NAME}(?:(?:\s*,\s*{_NAME})*\s+(?:and|&)\s+{_NAME})?"
_BYLINE_RE = re.compile(rf"^(?:By|BY|by):?\s+(?P<name>{_NAMES})\s*(?:[|,/–—-]\s*(?P<rest>.*))?$")
_NAME_PIPE_RE = re.compile(rf"^(?P<name>{_NAMES})\s*\|\s*(?P<rest>[^|]{{0,40}})$")

_CREDIT_RE = re.compile(r"(?:\((?P<p>[^()]{1,60})\)|\[(?P<b>[^\[\]]{1,60})\])\s*$")
_BRACKETS = r"(?:[^\[\]]|\[[^\[\]]*\])*"
_TARGET = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
_IMAGE_RE = re.compile(rf"!\[({_BRACKETS})\](?:{_TARGET}|\[[^\[\]]*\])")
_LINK_RE = re.compile(rf"\[({_BRACKETS})\](?:{_TARGET}|\[[^\[\]]*\])")
_REF_DEF_RE = re.compile(r"^\[[^\]]+\]:\s*\S+")
_AUTOLINK_RE = re.compile(r"<(?:https?|ftp|mailto):[^>\s]*>")
_BARE_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$")
_HEADING_RE = re.compile(r"^#{1,6}\s+(.*?)(?:\s+#+)?$")
_EMPHASIS_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_TRAILING_CREDIT_RE = re.compile(r"\s*\[([^\[\]]+)\]\s*$")

# Control, format, surrogate and private-use characters (ZWNJ/ZWJ are kept: they matter in Persian and emoji).
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff\U000e0000-\U000e007f\U000f0000-\U0010ffff]"
)
_BINARY_CHARS_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_LATIN_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]")
_SENT_SPLIT_RE = re.compile(rf"[{_SENTENCE_END}]+[{re.escape(_CLOSERS)}]*(?=\s+[{re.escape(_OPENERS)}]?[^\W_a-z])")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

ErrorHandler = Callable[[InputError], Any]


@functools.cache
def labels() -> dict[str, frozenset[str]]:
    """The label lists of ``kg/data/ingest_labels.json``, casefolded.

    Examples
    --------
    >>> "share this article" in labels()["share_labels"]
    True
    """
    raw = json.loads(resources.files("kg").joinpath("data/ingest_labels.json").read_text(encoding="utf-8"))
    return {k: frozenset(_label_key(v) for v in vs) for k, vs in raw.items() if not k.startswith("_")}


def _label_key(text: str) -> str:
    return " ".join(text.casefold().strip(" :：|-–—·•.").split())


# ---------------------------------------------------------------------------
# Ids and hashes


def text_hash(text: str) -> str:
    """sha256 hex of ``text`` with whitespace folded (the ``Article.content_hash``).

    >>> text_hash("a  b\\n\\nc") == text_hash("a b c")
    True
    """
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


def article_id(source_file: str, index: int, content_hash: str) -> str:
    """Stable 16-hex id of the ``index``-th article of ``source_file``.

    >>> article_id("a.txt", 0, "h") == article_id("a.txt", 0, "h") != article_id("a.txt", 1, "h")
    True
    """
    return digest(source_file, index, content_hash)


# ---------------------------------------------------------------------------
# Line-level helpers


def normalise_line(text: str) -> str:
    """One line with control/format characters removed, NFC and whitespace folded.

    >>> normalise_line("  ISIS\\u00a0cells\\u200b  in\\tAnbar \\x00")
    'ISIS cells in Anbar'
    """
    return " ".join(unicodedata.normalize("NFC", _CONTROL_RE.sub("", text.replace("\t", " "))).split())


def _is_lone_token(text: str) -> bool:
    return len(text) <= LONE_TOKEN_MAX or text.replace(" ", "").isdigit() or not any(c.isalnum() for c in text)


def _ends(text: str) -> str:
    core = text.rstrip(_CLOSERS)
    return core[-1] if core else ""


def _is_headline(text: str, min_words: int = HEADLINE_MIN_WORDS) -> bool:
    """Short, starts with a capital/digit/quote, no final sentence punctuation, not furniture."""
    words = text.split()
    if not (min_words <= len(words) <= HEADLINE_MAX_WORDS) or len(text) > HEADLINE_MAX_CHARS:
        return False
    first = text[0]
    if first.islower() or not (first.isalnum() or first in _OPENERS):
        return False
    if _ends(text) in _TERMINAL or not any(c.isalpha() for c in text):
        return False
    return not (_caption_credit(text, strict=False) or _match_byline(text) or _DATE_LINE_RE.match(text))


def _is_body_like(text: str) -> bool:
    n = len(text.split())
    return n >= BODY_LONG_WORDS or (n >= BODY_MIN_WORDS and _ends(text) in _SENTENCE_END)


def _is_section_label(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= SECTION_MAX_WORDS
        and len(text) <= SECTION_MAX_CHARS
        and all(w[0].isupper() or w == "&" for w in words)
        and text[-1].isalpha()
        and not any(c.isdigit() for c in text)
    )


def _is_share_label(text: str) -> bool:
    return _label_key(text) in labels()["share_labels"]


def _credit_is_known(credit: str) -> bool:
    words = re.findall(r"[\w-]+", credit.casefold())
    lab = labels()
    if any(w in lab["photo_credit_words"] for w in words):
        return True
    joined = " " + " ".join(words) + " "
    return any(f" {a} " in joined for a in lab["agencies"])


def _caption_credit(text: str, strict: bool) -> str | None:
    """The credit when ``text`` is a caption line ending in ``(credit)``/``[credit]``.

    ``strict`` (inside the body) accepts photo credits and agency names only;
    otherwise (header) any short capitalised credit.
    """
    m = _CREDIT_RE.search(text)
    if not m or len(text[: m.start()].split()) < 2:
        return None
    credit = (m.group("p") or m.group("b")).strip()
    if not credit:
        return None
    if _credit_is_known(credit):
        return credit
    if not strict and credit[0].isupper() and len(credit.split()) <= 6:
        return credit
    return None


def _match_byline(text: str) -> tuple[str, str] | None:
    """``(names, rest)`` when ``text`` is a byline line."""
    if len(text) > 120:
        return None
    m = _BYLINE_RE.match(text) or _NAME_PIPE_RE.match(text)
    if not m:
        return None
    rest = (m.group("rest") or "").strip(" |,-–—/")
    if len(rest.split()) > BYLINE_REST_WORDS and not _DATE_LINE_RE.match(rest):
        return None
    return m.group("name").strip(), rest


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return _date(int(year), _MONTHS[month[:3].lower()] if not month.isdigit() else int(month), int(day)).isoformat()
    except (ValueError, KeyError):
        return None


def _date_of(m: re.Match) -> str | None:
    if m.group("iso"):
        y, mo, d = m.group("iso").split("-")
        return _iso(y, mo, d)
    if m.group("mon"):
        return _iso(m.group("year"), m.group("mon"), m.group("day"))
    if m.group("mon2"):
        return _iso(m.group("year2"), m.group("mon2"), m.group("day2"))
    return None


def iso_date(value: str | None) -> str | None:
    """Normalise a metadata date to ISO ``YYYY-MM-DD`` (``None`` when not a full date).

    >>> iso_date("2025-07-05T10:00:00Z"), iso_date("July 5, 2025"), iso_date("soon")
    ('2025-07-05', '2025-07-05', None)
    """
    if not value:
        return None
    value = normalise_line(str(value))[:80]
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])", value)
    if m:
        return _iso(*m.groups())
    m = _DATE_LINE_RE.match(value)
    if m:
        return _date_of(m)
    return _dateparser_date(value)


def _dateparser_date(value: str) -> str | None:
    import dateparser  # slow import: only for free-form metadata dates

    try:
        d = dateparser.parse(
            value,
            languages=["en", "ar", "fr"],
            settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"},
        )
    except (ValueError, TypeError, OverflowError, LookupError):
        return None
    return d.date().isoformat() if d else None


def _first_sentence(text: str) -> str:
    para = text.split("\n", 1)[0]
    for m in _SENT_SPLIT_RE.finditer(para):
        prev = para[: m.start()].rsplit(None, 1)[-1] if para[: m.start()].strip() else ""
        word = prev.lstrip(_OPENERS).casefold()
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        return para[: m.end()]
    return para


def _has_dateline_info(m: re.Match) -> bool:
    return bool(m.group("credit") or m.group("iso") or m.group("mon") or m.group("mon2"))


def title_from_text(text: str, limit: int = TITLE_MAX) -> str:
    """A title from the first sentence of ``text``, cut at a word boundary near ``limit``.

    >>> title_from_text("Iraqi forces killed 15 ISIS fighters. More follows.")
    'Iraqi forces killed 15 ISIS fighters'
    >>> title_from_text("BAGHDAD, July 5, 2025 (AFP) — Gen. Ali said so. More.")
    'Gen. Ali said so'
    >>> len(title_from_text("word " * 60)) <= 101
    True
    """
    dl = _DATELINE_RE.match(text)
    if dl and _has_dateline_info(dl) and len(text) > dl.end():
        text = text[dl.end() :]
    s = _first_sentence(text).strip()
    if len(s) > limit:
        cut = s[:limit]
        if " " in cut:
            cut = cut.rsplit(" ", 1)[0]
        return cut.rstrip(" ,;:-–—") + "…"
    return s.rstrip(" .") or s


# ---------------------------------------------------------------------------
# From raw text to lines


@dataclass
class _Line:
    text: str  #: normalised text ("" for an image-only line)
    no: int  #: line number in the raw text
    blank_before: int = 0
    kind: str = "text"  #: text | image | token
    heading: bool = False
    captions: tuple[str, ...] = ()


def _image_caption(alt: str) -> str:
    alt = normalise_line(alt)
    return _TRAILING_CREDIT_RE.sub(r" (\1)", alt).strip()


def _strip_markdown(text: str, markdown: bool) -> tuple[str, tuple[str, ...], bool]:
    """Markdown furniture off one line: ``(text, image captions, is_heading)``."""
    if _REF_DEF_RE.match(text) or _BARE_URL_RE.match(text):
        return "", (), False
    captions: list[str] = []
    if "![" in text:
        text = _IMAGE_RE.sub(lambda m: captions.append(_image_caption(m.group(1))) or " ", text)
    if "[" in text:
        text = _LINK_RE.sub(lambda m: m.group(1), text)
    if "<" in text:
        text = _AUTOLINK_RE.sub(lambda m: m.group(0)[1:-1], text)
    heading = False
    if text.startswith("#"):
        m = _HEADING_RE.match(text)
        if m:
            text, heading = m.group(1), True
    if markdown:
        text = _EMPHASIS_RE.sub(r"\2", text)
        if text.startswith(">"):
            text = text.lstrip("> ")
    return " ".join(text.split()), tuple(c for c in captions if c), heading


def _front_matter(raw: str) -> tuple[dict[str, str], str]:
    """Simple ``key: value`` YAML front matter of a markdown file, and the rest."""
    lines = raw.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, raw
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            meta = {}
            for ln in lines[1:end]:
                k, sep, v = ln.partition(":")
                if sep and k.strip():
                    meta[k.strip().lower()] = v.strip().strip("'\"")
            return meta, "\n".join(lines[end + 1 :])
    return {}, raw


def _lines(raw: str, markdown: bool = False) -> list[_Line]:
    out: list[_Line] = []
    blank = 0
    for no, rawline in enumerate(raw.splitlines()):
        text = normalise_line(rawline)
        if not text:
            blank += 1
            continue
        text, caps, heading = _strip_markdown(text, markdown)
        if not text:
            kind = "image" if caps else "token"
        else:
            kind = "token" if _is_lone_token(text) else "text"
        out.append(_Line(text, no, blank, kind, heading, caps))
        blank = 0
    return out


# ---------------------------------------------------------------------------
# Several articles in one file


def _is_furniture(ln: _Line) -> bool:
    return ln.kind != "text" or bool(_caption_credit(ln.text, strict=False) or _match_byline(ln.text))


def _starts_article(lines: list[_Line], i: int) -> bool:
    head = lines[i]
    if not (head.heading or _is_headline(head.text, SPLIT_MIN_WORDS)):
        return False
    if any(ln.kind == "text" and ln.text == head.text for ln in lines[i + 1 : i + 1 + REPEAT_WINDOW]):
        return True
    return head.blank_before >= 2 and any(_is_furniture(ln) for ln in lines[i + 1 : i + 1 + FURNITURE_WINDOW])


def split_articles(lines: list[_Line]) -> list[list[_Line]]:
    """Cut a file's lines where a new article's headline block starts (rule 8)."""
    segments: list[list[_Line]] = []
    cur: list[_Line] = []
    has_body = False
    for i, ln in enumerate(lines):
        if ln.kind == "text" and has_body and _starts_article(lines, i):
            segments.append(cur)
            cur, has_body = [], False
        cur.append(ln)
        has_body = has_body or (ln.kind == "text" and _is_body_like(ln.text))
    if cur:
        segments.append(cur)
    return segments


# ---------------------------------------------------------------------------
# One article


def _find_title(items: list[_Line]) -> tuple[int | None, int | None]:
    """``(section label index, title index)`` among the first lines, each ``None`` when absent."""
    i = 0
    while i < len(items) and i < HEADER_WINDOW and (
        _is_furniture(items[i]) or _DATE_LINE_RE.match(items[i].text)
    ):
        i += 1
    if i >= len(items):
        return None, None
    label = None
    if (
        i + 1 < len(items)
        and not items[i].heading
        and _is_section_label(items[i].text)
        and (items[i + 1].heading or _is_headline(items[i + 1].text, SPLIT_MIN_WORDS))
    ):
        label, i = i, i + 1
    wrapped = i + 1 < len(items) and items[i + 1].no == items[i].no + 1 and items[i + 1].text[0].islower()
    if items[i].heading or (_is_headline(items[i].text) and not wrapped):
        return label, i
    return None, None


def _is_latin(text: str) -> bool:
    letters = sum(map(str.isalpha, text))
    return bool(letters) and len(_LATIN_RE.findall(text)) >= LATIN_SHARE * letters


def _join_paragraphs(body: list[_Line]) -> str:
    paras: list[str] = []
    prev: _Line | None = None
    for ln in body:
        wrapped = (
            prev is not None
            and ln.no == prev.no + 1
            and paras[-1][-1] not in _WRAP_STOP
            and (ln.text[0].islower() or len(prev.text) >= HARD_WRAP_MIN)
        )
        if wrapped:
            paras[-1] += " " + ln.text
        else:
            paras.append(ln.text)
        prev = ln
    return "\n\n".join(paras)


def _repeated_furniture(lines: list[_Line]) -> set[str]:
    """Lines that come back within ``REPEAT_WINDOW`` lines with no other body-like line in between.

    That is the shape of a repeated headline block's captions; a body
    paragraph repeated later in the article is not furniture.
    """
    out: set[str] = set()
    last: dict[str, int] = {}
    body_at: list[int] = []  # positions of body-like lines
    for pos, ln in enumerate(lines):
        if ln.kind != "text":
            continue
        prev = last.get(ln.text)
        if prev is not None and pos - prev <= REPEAT_WINDOW:
            if not any(prev < b < pos and lines[b].text != ln.text for b in body_at[-REPEAT_WINDOW:]):
                out.add(ln.text)
        last[ln.text] = pos
        if _is_body_like(ln.text) and not _caption_credit(ln.text, strict=False):
            body_at.append(pos)
    return out


def _clean_lines(lines: list[_Line], title: str | None = None) -> dict | None:
    captions: list[str] = []

    def caption(c: str) -> None:
        if c and c not in captions:
            captions.append(c)

    for ln in lines:
        for c in ln.captions:
            caption(c)
    items: list[_Line] = []
    repeated = _repeated_furniture(lines)
    seen: set[str] = set()
    for ln in lines:
        if ln.kind == "text" and ln.text not in seen:
            seen.add(ln.text)
            items.append(ln)

    skip: set[int] = set()
    title_from_line = False
    if title is None:
        label, t = _find_title(items)
        if t is not None:
            title, title_from_line = items[t].text, True
            skip.update(i for i in (label, t) if i is not None)
    tkey = title.casefold() if title else None

    meta: dict[str, str | None] = {"date": None, "byline": None, "outlet": None}
    body: list[_Line] = []
    in_header = True
    for i, ln in enumerate(items):
        text = ln.text
        if i in skip or (tkey and text.casefold() == tkey):
            continue
        if in_header or i < HEADER_WINDOW:
            by = _match_byline(text)
            if by and meta["byline"] is None:
                meta["byline"], rest = by
                if rest:
                    dm = _DATE_LINE_RE.match(rest)
                    if dm:
                        meta["date"] = meta["date"] or _date_of(dm)
                    elif not any(c.isdigit() for c in rest) and len(rest.split()) <= 4:
                        meta["outlet"] = rest
                continue
            dm = _DATE_LINE_RE.match(text)
            if dm:
                meta["date"] = meta["date"] or _date_of(dm)
                continue
        if _caption_credit(text, strict=not in_header) or (in_header and title_from_line and text in repeated):
            caption(text)
            continue
        body.append(ln)
        in_header = False

    english = _is_latin(" ".join(ln.text for ln in body))
    while body and (_is_share_label(body[-1].text) or (english and not _LATIN_RE.search(body[-1].text))):
        body.pop()
    if sum(len(ln.text.split()) for ln in body) < MIN_BODY_WORDS:
        return None
    text = _join_paragraphs(body)
    dl = _DATELINE_RE.match(text)
    if dl and _has_dateline_info(dl):
        meta["date"] = meta["date"] or _date_of(dl)
        credit = (dl.group("credit") or "").strip()
        if credit and meta["outlet"] is None and not any(c.isdigit() for c in credit):
            meta["outlet"] = credit
    return {
        "title": title or title_from_text(text),
        "text": text,
        "date": meta["date"],
        "byline": meta["byline"],
        "outlet": meta["outlet"],
        "captions": tuple(captions),
    }


def clean_article(raw: str, title: str | None = None, markdown: bool = False) -> dict | None:
    """Clean ``raw`` as exactly one article (no splitting); ``None`` when nothing is left.

    Returns a dict with the :class:`~kg.model.Article` fields ``title``, ``text``,
    ``date``, ``byline``, ``outlet`` and ``captions``. A given ``title`` (from
    metadata) is used as is and removed from the body where repeated.

    Examples
    --------
    >>> clean_article("ISIS cells hit in Kirkuk\\nIraqi jets struck the cells.\\nShare this article")["text"]
    'Iraqi jets struck the cells.'
    >>> clean_article("TT\\n20") is None
    True
    """
    title = normalise_line(title) if title else None
    return _clean_lines(_lines(raw, markdown), title or None)


def read_article_text(raw: str, name: str = "") -> list[dict]:
    """Split a text file's content into articles and clean each (rules 1–9).

    ``name`` is the file name; a ``.md`` name turns on markdown emphasis and
    front-matter handling. Returns one dict per article (see :func:`clean_article`);
    never raises.

    Examples
    --------
    >>> body = "Iraqi forces killed two ISIS members in a raid near Kirkuk on Monday."
    >>> raw = f"First Story Headline Here\\n\\nFirst Story Headline Here\\n\\n{body}\\n\\n\\n" \\
    ...       f"Second Story Headline Here\\nSecond Story Headline Here\\n{body}"
    >>> [a["title"] for a in read_article_text(raw)]
    ['First Story Headline Here', 'Second Story Headline Here']
    """
    markdown = name.lower().endswith(".md")
    meta: dict[str, str] = {}
    if markdown:
        meta, raw = _front_matter(raw)
    out = []
    for seg in split_articles(_lines(raw, markdown)):
        # front-matter title names the file's first article only
        title = None if out else (normalise_line(meta.get("title", "")) or None)
        rec = _clean_lines(seg, title)
        if rec is not None:
            out.append(rec)
    if out and meta:
        first = out[0]
        first["date"] = iso_date(meta.get("date")) or first["date"]
        first["byline"] = normalise_line(meta.get("author", "")) or first["byline"]
        first["outlet"] = normalise_line(meta.get("source", "") or meta.get("sitename", "")) or first["outlet"]
        if meta.get("url"):
            first["url"] = normalise_line(meta["url"])
    return out


def read_html(html: str) -> dict | None:
    """Main text and metadata of an HTML page via trafilatura; ``None`` when no main text.

    The text then goes through the same cleaning as plain text, with the
    metadata title as the title.
    """
    import trafilatura  # heavy import: only when an HTML file is read
    from lxml.etree import LxmlError

    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False, deduplicate=False)
        meta = trafilatura.extract_metadata(html) if text else None
    except (LxmlError, ValueError, TypeError, RecursionError):
        return None
    if not text:
        return None
    rec = clean_article(text, title=getattr(meta, "title", None))
    if rec is None:
        return None
    rec["date"] = iso_date(getattr(meta, "date", None)) or rec["date"]
    rec["byline"] = normalise_line(getattr(meta, "author", None) or "") or rec["byline"]
    rec["outlet"] = normalise_line(getattr(meta, "sitename", None) or "") or rec["outlet"]
    url = normalise_line(getattr(meta, "url", None) or "")
    if url:
        rec["url"] = url
    return rec


# ---------------------------------------------------------------------------
# JSONL


def _json_type(obj: object) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(obj), "a number")


def _field(obj: dict, *keys: str) -> str | None:
    for key in keys:
        v = obj.get(key)
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            s = normalise_line(str(v))
            if s:
                return s
    return None


def parse_jsonl_line(line: bytes | str) -> tuple[dict | None, str | None]:
    """Parse and clean one JSONL line: ``(article dict, None)`` or ``(None, problem)``.

    The dict holds the :func:`clean_article` fields plus ``url`` and ``id``
    (the raw ``id`` field, slugged later). ``text`` is required; ``title``,
    ``date``, ``url``, ``id``, ``source`` (and ``author``/``byline``) are optional.

    Examples
    --------
    >>> parse_jsonl_line('{"text": "Iraqi forces raided a hideout.", "id": 7, "date": "2025-07-05"}')[0]["date"]
    '2025-07-05'
    >>> parse_jsonl_line('[1, 2]')
    (None, 'expected a JSON object, got an array')
    >>> parse_jsonl_line('{"title": "x"}')
    (None, 'missing "text" field')
    """
    if isinstance(line, bytes):
        if b"\x00" in line:
            return None, "binary data (NUL bytes) in line"
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as err:
            return None, f"not UTF-8 text (bad byte at column {err.start + 1})"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return None, f"invalid JSON: {err.msg} at column {err.colno}"
    except (ValueError, RecursionError) as err:  # int too long, nesting too deep
        return None, f"invalid JSON: {str(err)[:80] or type(err).__name__}"
    if not isinstance(obj, dict):
        return None, f"expected a JSON object, got {_json_type(obj)}"
    text = obj.get("text")
    if text is None:
        return None, 'missing "text" field'
    if not isinstance(text, str):
        return None, f'"text" must be a string, got {_json_type(text)}'
    if not normalise_line(text):
        return None, '"text" is empty'
    rec = clean_article(text, title=_field(obj, "title"))
    if rec is None:
        return None, '"text" has no article text left after cleaning'
    rec["date"] = iso_date(_field(obj, "date")) or rec["date"]
    rec["outlet"] = _field(obj, "source", "outlet") or rec["outlet"]
    rec["byline"] = _field(obj, "author", "byline") or rec["byline"]
    rec["url"] = _field(obj, "url")
    rec["id"] = _field(obj, "id")
    return rec, None


# ---------------------------------------------------------------------------
# Bytes to text


def _detect_decode(data: bytes) -> str | None:
    """Decode with the encoding charset-normalizer finds; Windows-1252 wins ties."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    for m in matches:
        if m.chaos <= best.chaos + PREFERRED_CHAOS_SLACK and PREFERRED_ENCODING in m.could_be_from_charset:
            try:
                return data.decode(PREFERRED_ENCODING)
            except UnicodeDecodeError:
                break
    return str(best)


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """Decode a text file: ``(text, None)`` or ``(None, problem)``.

    UTF-8 (with or without BOM) first, UTF-16/32 only with a BOM, otherwise
    the encoding charset-normalizer detects. NUL bytes or mostly control
    characters mean binary.

    Examples
    --------
    >>> decode_bytes("Café".encode("utf-8-sig"))
    ('Café', None)
    >>> decode_bytes(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    (None, 'binary file (contains NUL bytes), not text')
    >>> decode_bytes(b" \\n ")
    (None, 'empty file')
    """
    if not data.strip():
        return None, "empty file"
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                return None, f"cannot decode: invalid {enc.upper()} despite its byte-order mark"
            break
    else:
        if b"\x00" in data:
            return None, "binary file (contains NUL bytes), not text"
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _detect_decode(data)
            if text is None:
                return None, "cannot decode: not UTF-8 and no other text encoding fits"
    if not text.strip():
        return None, "empty file"
    if len(_BINARY_CHARS_RE.findall(text)) > MAX_CONTROL_RATIO * len(text):
        return None, "binary file (mostly non-text characters)"
    return text, None


# ---------------------------------------------------------------------------
# Files and folders


def _posix(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/").replace("\\", "/")


def _walk(root: str, report: ErrorHandler) -> Iterator[tuple[str, str]]:
    """``(path, path relative to root)`` of the article files under ``root``, sorted; hidden entries skipped."""

    def rec(folder: str, rel: tuple[str, ...]) -> Iterator[tuple[str, str]]:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            report(InputError(_posix(folder), f"cannot list directory: {err.strerror or err}"))
            return
        for e in entries:
            if e.name.startswith("."):
                continue
            try:
                is_dir = e.is_dir(follow_symlinks=False)
                is_file = not is_dir and e.is_file()
            except OSError:
                continue
            if is_dir:
                yield from rec(e.path, rel + (e.name,))
            elif is_file and os.path.splitext(e.name)[1].lower() in FORMATS:
                yield e.path, "/".join(rel + (e.name,))

    yield from rec(root, ())


def _read_bytes(path: str, display: str, report: ErrorHandler) -> bytes | None:
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            report(InputError(display, f"file too large ({size // 2**20} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB)"))
            return None
        with open(path, "rb") as f:
            return f.read()
    except OSError as err:
        report(InputError(display, f"cannot read file: {err.strerror or err}"))
        return None


class _Ids:
    """Hands out article ids, keeping them unique within one :func:`iter_articles` run."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, rec: dict, source_file: str, index: int) -> Article:
        h = text_hash(rec["text"])
        aid = slug(rec["id"]) if rec.get("id") else article_id(source_file, index, h)
        if aid in self.used:
            aid = f"{aid}-{digest(source_file, index, n=8)}"
        self.used.add(aid)
        return Article(
            id=aid,
            source_file=source_file,
            title=rec["title"],
            text=rec["text"],
            date=rec.get("date"),
            byline=rec.get("byline"),
            outlet=rec.get("outlet"),
            url=rec.get("url"),
            captions=tuple(rec.get("captions", ())),
            index=index,
            content_hash=h,
        )


class Memo(Protocol):
    """Where :func:`iter_articles` keeps what cleaning made of some bytes (``OUT/.kg-cache``, see
    :meth:`kg.cache.RecordCache.cleaned`): ``get`` returns the stored article dicts of a key or None."""

    def get(self, key: str) -> list[dict] | None: ...

    def put(self, key: str, records: list[dict]) -> None: ...


def memo_key(kind: str, data: bytes) -> str:
    """The :class:`Memo` key of ``data`` read as ``kind`` (a format and, for text, whether markdown)."""
    return hashlib.sha256(kind.encode() + b"\0" + data).hexdigest()


def _read_jsonl(path: str, source_file: str, display: str, report: ErrorHandler, ids: _Ids,
                memo: Memo | None = None) -> Iterator[Article]:
    try:
        f = open(path, "rb")
    except OSError as err:
        report(InputError(display, f"cannot read file: {err.strerror or err}"))
        return
    with f:
        if b"\x00" in f.read(SNIFF_BYTES):
            report(InputError(display, "binary file (contains NUL bytes), not JSONL"))
            return
        f.seek(0)
        content = False
        for lineno, raw in enumerate(f, 1):
            if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            if not raw.strip():
                continue
            content = True
            key = memo_key("jsonl", raw) if memo is not None else ""
            known = memo.get(key) if memo is not None else None
            if known:
                rec = known[0]
            else:
                rec, problem = parse_jsonl_line(raw)
                if rec is None:
                    report(InputError(display, problem or "unreadable line", lineno))
                    continue
                if memo is not None:
                    memo.put(key, [rec])
            yield ids.make(rec, source_file, lineno - 1)
        if not content:
            report(InputError(display, "empty file"))


def _read_file(path: str, source_file: str, display: str, report: ErrorHandler, ids: _Ids,
               memo: Memo | None = None) -> Iterator[Article]:
    fmt = FORMATS.get(os.path.splitext(path)[1].lower(), "text")
    if fmt == "jsonl":
        yield from _read_jsonl(path, source_file, display, report, ids, memo)
        return
    data = _read_bytes(path, display, report)
    if data is None:
        return
    # what cleaning makes of a file depends on its bytes and how it is read (HTML, text, markdown)
    key = memo_key(f"{fmt}:{'md' if path.lower().endswith('.md') else ''}", data) if memo is not None else ""
    records = memo.get(key) if memo is not None else None
    if not records:
        text, problem = decode_bytes(data)
        del data  # the bytes are not kept while the text is cleaned
        if text is None:
            report(InputError(display, problem or "unreadable file"))
            return
        records = _clean_text(path, text, fmt, display, report)
        if not records:
            return
        if memo is not None:
            memo.put(key, records)
    for index, rec in enumerate(records):
        yield ids.make(rec, source_file, index)


def _clean_text(path: str, text: str, fmt: str, display: str, report: ErrorHandler) -> list[dict]:
    """The cleaned article dicts of a decoded text or HTML file; problems are reported and give ``[]``."""
    if fmt == "html":
        rec = read_html(text)
        if not rec:
            report(InputError(display, "no main text found in the HTML page"))
            return []
        return [rec]
    records = read_article_text(text, name=path)
    if not records:
        report(InputError(display, "no article text left after cleaning"))
    return records


def iter_articles(paths: Iterable[str | os.PathLike] | str | os.PathLike, on_error: ErrorHandler | None = None,
                  memo: Memo | None = None) -> Iterator[Article]:
    """Stream the cleaned articles of files and folders, one file in memory at a time.

    Parameters
    ----------
    paths
        Files or folders. Folders are searched recursively in sorted order,
        skipping hidden entries and files of other formats (see ``FORMATS``);
        a file named directly is read as text when its extension is unknown.
    on_error
        Called with an :class:`~kg.errors.InputError` for each unreadable path,
        file or JSONL line, which is then skipped. ``None``: problems are
        skipped silently. Whatever it raises propagates (a strict mode).
    memo
        Where the cleaned articles of files (and JSONL lines) already read are kept
        (a :class:`Memo`, e.g. the build's cache): bytes read before are not
        decoded and cleaned again. The articles are the same either way.

    Yields
    ------
    Article
        ``source_file`` is the path relative to the folder given (or the file
        path as given), with forward slashes; ``id`` is stable across runs.

    Examples
    --------
    >>> errors = []
    >>> list(iter_articles(["no/such/file.txt"], on_error=errors.append))
    []
    >>> str(errors[0])
    'no/such/file.txt: no such file or directory'
    """
    report: ErrorHandler = on_error if on_error is not None else (lambda err: None)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    ids = _Ids()
    done: set[str] = set()
    for root in paths:
        root_s = os.fspath(root)
        shown = _posix(root_s)
        if not os.path.exists(root_s):
            report(InputError(shown, "no such file or directory"))
            continue
        if os.path.isdir(root_s):
            n = 0
            for path, rel in _walk(root_s, report):
                real = os.path.realpath(path)
                if real in done:
                    continue
                done.add(real)
                for art in _read_file(path, rel, _posix(path), report, ids, memo):
                    n += 1
                    yield art
            if n == 0:
                exts = ", ".join(sorted(FORMATS))
                report(InputError(shown, f"no readable articles in this directory (looked for {exts} files)"))
        else:
            real = os.path.realpath(root_s)
            if real in done:
                continue
            done.add(real)
            yield from _read_file(root_s, shown, shown, report, ids, memo)
