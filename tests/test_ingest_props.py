"""Property tests: the untrusted-input parsers never raise and always return clean records."""
from __future__ import annotations

import json
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.dedupe import find_duplicates, jaccard, signature
from kg.errors import InputError
from kg.ingest import (
    clean_article,
    decode_bytes,
    iter_articles,
    parse_jsonl_line,
    read_article_text,
    read_html,
    text_hash,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FORBIDDEN = {chr(c) for c in range(0x20) if chr(c) not in "\n"} | {"\x7f", "\ufeff", "\u200b", "\r"}
KEYS = ("title", "text", "date", "byline", "outlet", "captions")

# Text that looks a bit like news files: words, headline lines, furniture, odd characters.
WORDS = st.sampled_from(
    ["ISIS", "Iraqi", "forces", "killed", "said", "TT", "20", "By", "Jane", "Doe", "|", "(Reuters)", "![x](/a.webp)",
     "Share:", "مشاركة", "July", "5,", "2025", "—", "BAGHDAD,", "(AFP)", "[link](u)", "Security", "\u200b", "\x00", ".", "#"]
)
LINE = st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=14).map(" ".join)
NEWSLIKE = st.lists(st.one_of(LINE, st.just(""), st.just("Some Headline Line Here")), max_size=25).map("\n".join)
ANY_TEXT = st.one_of(st.text(max_size=400), NEWSLIKE)


def check_record(rec: dict) -> None:
    assert set(KEYS) <= set(rec)
    assert isinstance(rec["title"], str) and rec["title"].strip()
    assert isinstance(rec["text"], str) and rec["text"] == rec["text"].strip() and rec["text"]
    for field in ("title", "text", *rec["captions"]):
        s = rec[field] if field in ("title", "text") else field
        assert not (set(s) & FORBIDDEN), repr(s)
        s.encode("utf-8")  # no lone surrogates
    assert "\n" not in rec["title"]
    assert "\n\n\n" not in rec["text"]
    if rec["date"] is not None:
        assert len(rec["date"]) == 10 and rec["date"][4] == "-"


@FAST
@given(ANY_TEXT, st.sampled_from(["", "a.txt", "a.md"]))
def test_read_article_text_never_raises_and_is_deterministic(raw, name):
    recs = read_article_text(raw, name)
    assert recs == read_article_text(raw, name)
    for rec in recs:
        check_record(rec)


@FAST
@given(ANY_TEXT, st.one_of(st.none(), st.text(max_size=40)))
def test_clean_article_never_raises(raw, title):
    rec = clean_article(raw, title=title)
    if rec is not None:
        check_record(rec)


@FAST
@given(st.binary(max_size=600))
def test_decode_bytes_never_raises(data):
    text, problem = decode_bytes(data)
    assert (text is None) != (problem is None)
    if text is not None:
        assert "\x00" not in text and text.strip()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
OBJECTS = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(ANY_TEXT, JSON_VALUES),
        "title": st.one_of(st.text(max_size=40), JSON_VALUES),
        "date": st.one_of(st.text(max_size=20), st.sampled_from(["2025-07-05", "July 5, 2025", "2025-02-30"])),
        "id": st.one_of(st.text(max_size=20), st.integers()),
        "url": st.text(max_size=20),
        "source": st.text(max_size=10),
    },
)
JSONL_LINE = st.one_of(
    OBJECTS.map(json.dumps),
    JSON_VALUES.map(json.dumps),
    st.text(max_size=80),
    st.binary(max_size=60),
)


@FAST
@given(JSONL_LINE)
def test_parse_jsonl_line_never_raises(line):
    rec, problem = parse_jsonl_line(line)
    assert (rec is None) != (problem is None)
    if rec is not None:
        check_record(rec)


def _write(folder: str, name: str, data: bytes) -> str:
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


@SLOW
@given(st.lists(JSONL_LINE, min_size=1, max_size=8))
def test_jsonl_file_each_line_yields_or_reports(lines):
    raw = [ln if isinstance(ln, bytes) else ln.encode("utf-8", "surrogatepass") for ln in lines]
    raw = [b" ".join(r.splitlines()) for r in raw]  # one record per physical line
    with tempfile.TemporaryDirectory() as d:
        path = _write(d, "x.jsonl", b"\n".join(raw))
        errors: list[InputError] = []
        arts = list(iter_articles([path], on_error=errors.append))
        again = list(iter_articles([path]))
    assert arts == again  # ids, offsets and texts stable across runs
    if any(b"\x00" in r for r in raw):
        return  # whole file reported as binary
    nonblank = sum(1 for r in raw if r.strip())
    line_errors = [e for e in errors if e.line is not None]
    assert len(arts) + len(line_errors) == nonblank or (nonblank == 0 and len(errors) == 1)
    for a in arts:
        assert a.content_hash == text_hash(a.text) and "\x00" not in a.text


@SLOW
@given(st.one_of(st.binary(max_size=500), NEWSLIKE.map(lambda s: s.encode("utf-8", "surrogatepass"))),
       st.sampled_from(["a.txt", "a.md", "a.html", "a.bin"]))
def test_iter_articles_on_arbitrary_bytes(data, name):
    with tempfile.TemporaryDirectory() as d:
        path = _write(d, name, data)
        errors: list[InputError] = []
        arts = list(iter_articles([path], on_error=errors.append))
        again = list(iter_articles([path]))
    assert arts == again
    assert bool(arts) != bool(errors) or (arts and not errors)
    for a in arts:
        assert a.text and "\x00" not in a.text and len(a.id) == 16 and a.source_file.endswith(name)


@SLOW
@given(st.text(max_size=300))
def test_read_html_never_raises(html):
    rec = read_html(f"<html><body><article><p>{html}</p></article></body></html>")
    if rec is not None:
        check_record(rec)
    read_html(html)


@FAST
@given(st.text(max_size=300))
def test_signature_total_and_deterministic(text):
    s = signature(text)
    assert s == signature(text)
    assert s == () or jaccard(s, s) == 1.0


@FAST
@given(st.lists(st.tuples(st.text(max_size=3), st.sampled_from(["", "a b c d e f", "a b c d e g", "x y z w v u"])), max_size=8))
def test_find_duplicates_total(items):
    pairs = [(k, signature(t)) for k, t in items]
    dups = find_duplicates(pairs)
    order = {}
    for n, (k, sig) in enumerate(pairs):
        if sig:  # items without a signature are left out
            order.setdefault(k, n)
    for dup, (orig, sim) in dups.items():
        assert orig not in dups and order[orig] < order[dup] and 0.7 <= sim <= 1.0
