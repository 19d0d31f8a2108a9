"""A small hand-built :class:`~kg.model.KnowledgeBase` that uses every class and property.

It stands in for a real build in docstring Examples and fast tests (no spaCy
model needed): two articles (one a duplicate of the other), the
Counter-Terrorism Service raiding an ISIS hideout in Kirkuk, the Interior
Ministry's spokesman Saad Maan and a quote of his.

Examples
--------
>>> kb = sample_kb()
>>> [e.label for e in kb.entities if e.type == "Official"]
['Saad Maan']
>>> kb.operations[0].killed
3
"""
from __future__ import annotations

from .model import Article, Document, Entity, Evidence, KnowledgeBase, Membership, Operation, QuoteFact

TEXT_1 = (
    "The Counter-Terrorism Service killed 3 ISIS militants in a raid in Kirkuk on 29 June 2025. "
    "Interior Ministry spokesman Saad Maan said: \"The cell was planning attacks.\""
)
TEXT_2 = TEXT_1 + " "


def _ev(doc: str, text: str, needle: str, rule: str, confidence: float = 1.0) -> Evidence:
    start = text.index(needle)
    sentence = next(s for s in (text[: text.index(". ") + 1], text[text.index(". ") + 2:]) if needle in s)
    return Evidence(doc, start, start + len(needle), needle, sentence.strip(), rule, confidence)


def sample_kb(extra_name: str | None = None) -> KnowledgeBase:
    """The sample corpus; ``extra_name`` adds one more organisation with that (possibly hostile) label."""
    d1, d2 = "doc-aaaa", "doc-bbbb"
    a1 = Article(d1, "seeds/a.txt", "CTS raid in Kirkuk", TEXT_1, date="2025-06-30", byline="Staff",
                 outlet="Example News", url="https://example.org/a", content_hash="aa11")
    a2 = Article(d2, "seeds/b.jsonl", "CTS raid in Kirkuk (copy)", TEXT_2, date="2025-07-01", index=1,
                 content_hash="bb22")
    ev = lambda needle, rule, doc=d1, text=TEXT_1: _ev(doc, text, needle, rule)  # noqa: E731
    entities = [
        Entity("counter-terrorism-service", "Organization", "Counter-Terrorism Service", ("CTS",), (d1, d2),
               (ev("Counter-Terrorism Service", "gazetteer:organizations"),
                ev("Counter-Terrorism Service", "gazetteer:organizations", d2, TEXT_2)), gid="org:cts"),
        Entity("isis", "Organization", "ISIS", ("Daesh", "داعش"), (d1,), (ev("ISIS", "gazetteer:organizations"),),
               gid="org:isis"),
        Entity("interior-ministry", "Organization", "Interior Ministry", (), (d1,),
               (ev("Interior Ministry", "ner:ORG"),)),
        Entity("kirkuk", "Location", "Kirkuk", (), (d1,), (ev("Kirkuk", "gazetteer:locations"),),
               gid="geonames:94787", part_of=("location/kirkuk-governorate",), lat=35.46806, lon=44.39222,
               same_as=("https://sws.geonames.org/94787/",)),
        Entity("kirkuk-governorate", "Location", "Kirkuk Governorate", (), (d1,), (ev("Kirkuk", "gazetteer:locations"),),
               gid="geonames:94788", part_of=("location/iraq",)),
        Entity("iraq", "Location", "Iraq", (), (d1,), (ev("Kirkuk", "gazetteer:locations"),), gid="geonames:99237"),
        Entity("saad-maan", "Official", "Saad Maan", (), (d1,), (ev("Saad Maan", "ner:PERSON"),),
               titles=("spokesman",), ranks=("Major General",), member_of=("organization/interior-ministry",)),
        Entity("john-smith", "Person", "John Smith", (), (d2,), (ev("Kirkuk", "ner:PERSON", d2, TEXT_2),),
               descriptor="security expert"),
    ]
    if extra_name is not None:
        from .vocab import slug

        entities.append(Entity(slug(extra_name), "Organization", extra_name, (extra_name + " (alt)",), (d2,),
                               (ev("ISIS", "ner:ORG", d2, TEXT_2),)))
    membership = Membership("m1", "person/saad-maan", "organization/interior-ministry", "spokesman", "Major General",
                            (d1,), (ev("Interior Ministry spokesman Saad Maan", "role:apposition"),))
    operation = Operation("op1", "raid", "raid in Kirkuk", ("organization/counter-terrorism-service",),
                          ("organization/isis",), ("location/kirkuk",), "2025-06-29", "date", killed=3, injured=0,
                          arrested=None, notes=("several wounded",), seized=("weapons",), docs=(d1, d2),
                          evidence=(ev("raid", "trigger:raid"), ev("raid", "trigger:raid", d2, TEXT_2)))
    quote = QuoteFact("q1", "The cell was planning attacks.", "person/saad-maan", (d1,),
                      (ev("The cell was planning attacks.", "quote:said"),))
    return KnowledgeBase(
        documents=(Document(a1), Document(a2, duplicate_of=d1, similarity=0.98)),
        entities=tuple(sorted(entities, key=lambda e: e.ref)),
        memberships=(membership,),
        operations=(operation,),
        quotes=(quote,),
    )
