"""Merging operations and quotes across articles (hand-made records, no model)."""
from __future__ import annotations

from kg.events import label, quote_key, resolve_events
from kg.model import Article, ArticleRecord, Entity, Mention, OperationMention, Quote
from kg.resolve import EntityResolution

TEXT = "Federal Police killed 15 ISIS militants near the border in Anbar. The operation ended, Maan said."
SENTS = ((0, 65), (66, len(TEXT)))


def record(doc_id: str, killed: int = 15, kind: str = "raid", date: str | None = None, text: str = TEXT) -> ArticleRecord:
    mentions = (
        Mention("Federal Police", "Organization", 0, 14, 0, "t"),
        Mention("ISIS", "Organization", 25, 29, 0, "t"),
        Mention("Anbar", "Location", 59, 64, 0, "t"),
        Mention("Maan", "Official", 88, 92, 1, "t"),
    )
    op = OperationMention(kind=kind, trigger="killed", start=15, end=21, sent=0, actors=(0,), targets=(1,), places=(2,),
                          killed=killed, date=date, date_type="date" if date else None, sents=(0, 1), rule="operations:test")
    q = Quote("The operation ended", 66, 85, 1, 3, "quotes:after", 0.9)
    return ArticleRecord(Article(doc_id, f"{doc_id}.txt", "Title " + doc_id, text), SENTS, mentions, operations=(op,), quotes=(q,))


def resolution(*records: ArticleRecord) -> EntityResolution:
    refs = ["organization/federal-police", "organization/isis", "location/anbar", "person/saad-maan"]
    ents = (Entity("federal-police", "Organization", "Federal Police"), Entity("isis", "Organization", "ISIS"),
            Entity("anbar", "Location", "Anbar"), Entity("saad-maan", "Official", "Saad Maan"))
    return EntityResolution(ents, (), {(r.article.id, i): refs[i] for r in records for i in range(4)})


def test_near_duplicate_reports_are_one_operation_with_both_sources():
    a, b = record("a"), record("b")
    ops, quotes = resolve_events([a, b], {"b": ("a", 0.95)}, resolution(a, b))
    [op] = ops
    assert op.docs == ("a", "b") and {e.doc for e in op.evidence} == {"a", "b"}
    assert len(op.evidence) == 4  # the trigger and the other contributing sentence, in each document
    assert op.conducted_by == ("organization/federal-police",) and op.targeted == ("organization/isis",)
    assert op.label == "Federal Police raid in Anbar"
    [q] = quotes
    assert q.docs == ("a", "b") and q.speaker == "person/saad-maan" and q.key == quote_key("the operation ended", "person/saad-maan")


def test_conflicting_casualties_are_not_merged():
    a, b = record("a"), record("b", killed=9)
    ops, _ = resolve_events([a, b], {"b": ("a", 0.95)}, resolution(a, b))
    assert len(ops) == 2


def test_unrelated_articles_merge_only_on_same_day_place_and_actor():
    a, b = record("a", date="2025-06-29"), record("b", date="2025-06-29")
    [op] = resolve_events([a, b], {}, resolution(a, b))[0]
    assert op.docs == ("a", "b") and op.date == "2025-06-29"
    c = record("c", date="2025-06-30")
    assert len(resolve_events([a, c], {}, resolution(a, c))[0]) == 2


def test_key_is_stable_when_unrelated_articles_are_added():
    a = record("a")
    [op] = resolve_events([a], {}, resolution(a))[0]
    z = record("z", kind="airstrike", killed=2)
    ops, _ = resolve_events([z, a], {}, resolution(a, z))
    assert op.key in {o.key for o in ops} and len(ops) == 2
    assert [o.key for o in ops] == sorted(o.key for o in ops)


def test_labels():
    assert label("ambush", [], ["Balkana Mountains"], "2025-06-29") == "ambush in Balkana Mountains, 2025-06-29"
    assert label("raid", ["US forces", "Iraqi security forces"], [], "August 29") == "US forces and Iraqi security forces raid, August 29"
