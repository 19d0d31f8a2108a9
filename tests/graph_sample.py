"""A small hand-built knowledge base for the analysis, report and graph-export tests.

Built from the pipeline's own records (``kg.rdf.to_graph``), so its RDF has the real
shape, but the facts are chosen by hand:

* documents d1 (2025-06-29), d2 (2025-07-03), d3 (2025-08-10) and d2dup, a near-duplicate of d2;
* organizations ISIS (aliases Daesh, Islamic State, داعش), CTS, Federal Police, the Interior
  Ministry and "Tom & Jerry <Brigade>" (awkward characters, control character included);
* locations Iraq ⊃ Anbar, Haditha (isolated);
* official Saad Maan (member of the Interior Ministry, two quotes), person Ali (mentioned only);
* operations: op1 raid by CTS on ISIS in Anbar (killed 5, 2025-06-29), op2 airstrike by CTS and
  Federal Police on ISIS in Anbar (arrested 3, 2025-07), op3 arrest operation by Federal Police on
  ISIS in Iraq (date --08-10, so month from its article), op4 by Tom & Jerry that also "targeted"
  Tom & Jerry (a parallel edge between the same two nodes).
"""
from __future__ import annotations

from kg.model import Article, Document, Entity, Evidence, KnowledgeBase, Membership, Operation, QuoteFact

BASE = "https://w3id.org/kgnews/id/"


def _ev(doc, start, sentence, rule="test"):
    return Evidence(doc, start, start + 4, sentence[:4], sentence, rule)


def sample_kb() -> KnowledgeBase:
    docs = (
        Document(Article("d1", "a.txt", "CTS raid in Anbar", "…", date="2025-06-29")),
        Document(Article("d2", "b.txt", "Airstrike on ISIS", "…", date="2025-07-03")),
        Document(Article("d2dup", "c.txt", "Airstrike on ISIS (copy)", "…", date="2025-07-04"), duplicate_of="d2",
                 similarity=0.95),
        Document(Article("d3", "d.txt", "Arrests in Iraq", "…", date="2025-08-10")),
    )
    E = Entity
    ents = (
        E("isis", "Organization", "ISIS", ("Daesh", "Islamic State", "داعش"), ("d1", "d2", "d2dup", "d3"),
          (_ev("d1", 10, "CTS killed five ISIS militants in Anbar."),)),
        E("counter-terrorism-service", "Organization", "Counter-Terrorism Service", ("CTS",), ("d1", "d2"),
          (_ev("d1", 0, "CTS killed five ISIS militants in Anbar."),)),
        E("federal-police", "Organization", "Federal Police", (), ("d2", "d3")),
        E("interior-ministry", "Organization", "Interior Ministry", (), ("d1",)),
        E("tom-jerry", "Organization", "Tom & Jerry <Brigade>\x01", (), ("d3",)),
        E("iraq", "Location", "Iraq", (), ("d1", "d3"), lat=33.0, lon=44.0),
        E("anbar", "Location", "Anbar", ("al-Anbar",), ("d1", "d2"), part_of=("location/iraq",)),
        E("haditha", "Location", "Haditha", (), ("d3",)),
        E("saad-maan", "Official", "Saad Maan", ("Maan",), ("d1", "d3"), titles=("spokesman",),
          ranks=("Brigadier General",), member_of=("organization/interior-ministry",)),
        E("ali", "Person", "Ali", (), ("d3",), descriptor="security expert"),
    )
    mem = (Membership("m1", "person/saad-maan", "organization/interior-ministry", "spokesman", "Brigadier General",
                      ("d1",), (_ev("d1", 40, "Spokesman for the Interior Ministry Saad Maan said."),)),)
    ops = (
        Operation("op1", "raid", "raid in Anbar", ("organization/counter-terrorism-service",), ("organization/isis",),
                  ("location/anbar",), "2025-06-29", "date", killed=5, docs=("d1",),
                  evidence=(_ev("d1", 0, "CTS killed five ISIS militants in Anbar."),)),
        Operation("op2", "airstrike", "airstrike in Anbar",
                  ("organization/counter-terrorism-service", "organization/federal-police"), ("organization/isis",),
                  ("location/anbar",), "2025-07", "gYearMonth", arrested=3, docs=("d2", "d2dup"),
                  evidence=(_ev("d2", 5, "Jets struck ISIS hideouts in Anbar."),)),
        Operation("op3", "arrest operation", "arrests in Iraq", ("organization/federal-police",),
                  ("organization/isis",), ("location/iraq",), "--08-10", "gMonthDay", arrested=7, docs=("d3",),
                  notes=("dozens detained", "wanted"), evidence=(_ev("d3", 0, "Police arrested seven suspects."),)),
        Operation("op4", "ambush", "ambush", ("organization/tom-jerry",), ("organization/tom-jerry",), (), None,
                  docs=("d3",)),
    )
    quotes = (
        QuoteFact("q1", "The operation succeeded.", "person/saad-maan", ("d1",)),
        QuoteFact("q2", "More to come.", "person/saad-maan", ("d3",)),
    )
    return KnowledgeBase(documents=docs, entities=ents, memberships=mem, operations=ops, quotes=quotes)


def sample_graph():
    from kg.rdf import to_graph

    return to_graph(sample_kb(), BASE)


def iri(ref: str) -> str:
    return BASE + ref


#: Expected size of the projection of :func:`sample_graph`.
N_NODES = 14  # 10 entities + 4 operations
N_EDGES = 14  # op1: 3, op2: 4, op3: 3, op4: 2 (a parallel pair), memberOf 1, partOf 1
