"""Projection and analysis on a small hand-built graph (tests/graph_sample.py)."""
from __future__ import annotations

import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from .graph_sample import N_EDGES, N_NODES, iri, sample_graph
from rdflib import Graph

from kg import analysis as A
from kg.model import Article, Document, Entity, Evidence, KnowledgeBase, Operation
from kg.rdf import to_graph


@pytest.fixture(scope="module")
def g():
    return sample_graph()


@pytest.fixture(scope="module")
def an(g):
    return A.analyse(g)


def test_projection_nodes(g):
    G = A.project(g)
    assert (G.number_of_nodes(), G.number_of_edges()) == (N_NODES, N_EDGES)
    types = {d["type"] for _, d in G.nodes(data=True)}
    assert types == {"Organization", "Location", "Official", "Person", "Operation"}
    isis = G.nodes[iri("organization/isis")]
    assert isis["label"] == "ISIS"
    assert isis["aliases"] == "Daesh | Islamic State | داعش"  # documented separator, sorted
    assert isis["mentions"] == 3  # d2dup is a copy of d2: counted once
    assert (isis["first_date"], isis["last_date"]) == ("2025-06-29", "2025-08-10")
    assert isis["evidence"] == "CTS killed five ISIS militants in Anbar."
    maan = G.nodes[iri("person/saad-maan")]
    assert maan["type"] == "Official" and maan["titles"] == "spokesman" and maan["ranks"] == "Brigadier General"
    assert maan["quotes"] == 2
    assert G.nodes[iri("location/iraq")]["lat"] == 33.0
    assert G.nodes[iri("person/ali")]["descriptor"] == "security expert"


def test_projection_operations(g):
    G = A.project(g)
    op1 = G.nodes[iri("operation/op1")]
    assert (op1["kind"], op1["date"], op1["killed"]) == ("raid", "2025-06-29", 5)
    assert "injured" not in op1 and "arrested" not in op1  # missing stays missing
    op3 = G.nodes[iri("operation/op3")]
    assert op3["date"] == "--08-10" and op3["first_date"] == "2025-08-10"  # no year: its article's date
    assert op3["notes"] == "dozens detained | wanted"


def test_every_attribute_is_scalar(g):
    G = A.project(g)
    scalars = (str, int, float)
    for _, d in G.nodes(data=True):
        assert all(isinstance(v, scalars) and v == v for v in d.values()), d
    for *_, d in G.edges(data=True):
        assert all(isinstance(v, scalars) for v in d.values()), d


def test_projection_edges(g):
    G = A.project(g)
    ids = [d["id"] for *_, d in G.edges(data=True)]
    assert len(ids) == len(set(ids)) == N_EDGES
    e = G.edges[iri("operation/op2"), iri("organization/federal-police"), "conductedBy"]
    assert (e["relation"], e["label"], e["docs"]) == ("conductedBy", "CONDUCTED_BY", 1)  # d2 + its copy = 1
    assert e["evidence"] == "Jets struck ISIS hideouts in Anbar."
    m = G.edges[iri("person/saad-maan"), iri("organization/interior-ministry"), "memberOf"]
    assert m["docs"] == 1 and m["evidence"].startswith("Spokesman for the Interior Ministry")
    p = G.edges[iri("location/anbar"), iri("location/iraq"), "partOf"]
    assert p["docs"] == 0 and "evidence" not in p
    # an operation that conducted and targeted the same organization: two parallel edges
    assert G.number_of_edges(iri("operation/op4"), iri("organization/tom-jerry")) == 2
    assert {d["label"] for *_, d in G.edges(data=True)} == set(A.RELATIONS.values())


def test_projection_of_empty_graph():
    G = A.project(Graph())
    assert G.number_of_nodes() == 0
    a = A.analyse(Graph())
    assert a.communities == [] and a.tallies == [] and a.monthly == []


def test_joint_operations_and_targets(g):
    G = A.project(g)
    J = A.joint_operations(G)
    assert set(J.nodes) >= {iri("organization/isis")}
    assert dict(J.edges[iri("organization/counter-terrorism-service"), iri("organization/federal-police")]) == {"weight": 1}
    assert J.number_of_edges() == 1
    T = A.org_targets(g)  # also accepts the rdflib graph
    assert T.edges[iri("organization/counter-terrorism-service"), iri("organization/isis")]["weight"] == 2
    assert T.edges[iri("organization/federal-police"), iri("organization/isis")]["weight"] == 2
    assert not T.has_edge(iri("organization/tom-jerry"), iri("organization/tom-jerry"))


def test_org_locations(g):
    L = A.org_locations(g)
    cts_anbar = L.edges[iri("organization/counter-terrorism-service"), iri("location/anbar")]
    assert (cts_anbar["conducted"], cts_anbar["targeted"], cts_anbar["weight"]) == (2, 0, 2)
    isis_anbar = L.edges[iri("organization/isis"), iri("location/anbar")]
    assert (isis_anbar["conducted"], isis_anbar["targeted"]) == (0, 2)
    assert L.edges[iri("organization/federal-police"), iri("location/iraq")]["conducted"] == 1


def test_cooccurrence(g):
    C = A.cooccurrence(g)
    assert {d["type"] for _, d in C.nodes(data=True)} == set(A.ACTOR_TYPES)
    assert iri("location/anbar") not in C
    # ISIS and CTS share d1 and d2 (d2dup is the same story)
    assert C.edges[iri("organization/isis"), iri("organization/counter-terrorism-service")]["weight"] == 2
    assert C.edges[iri("organization/isis"), iri("person/ali")]["weight"] == 1
    L = A.cooccurrence(g, types=("Location",))
    assert L.edges[iri("location/anbar"), iri("location/iraq")]["weight"] == 1


def test_analysis_attributes(an):
    G = an.graph
    for _, d in G.nodes(data=True):
        assert {"degree", "pagerank", "betweenness", "community", "component"} <= d.keys()
    assert sum(d["pagerank"] for _, d in G.nodes(data=True)) == pytest.approx(1.0, abs=1e-4)
    members = [n for c in an.communities for n in c]
    assert sorted(members) == sorted(G.nodes)  # a partition
    assert [len(c) for c in an.components] == sorted((len(c) for c in an.components), reverse=True)
    # ISIS sits between the operations: the most central organization
    assert an.top("Organization", 1)[0][1]["label"] == "ISIS"
    assert G.nodes[iri("organization/isis")]["degree"] == 3
    assert G.nodes[iri("location/haditha")]["degree"] == 0


def test_analysis_is_deterministic(g, an):
    again = A.analyse(sample_graph())
    assert dict(again.graph.nodes(data=True)) == dict(an.graph.nodes(data=True))
    assert again.communities == an.communities
    assert A.layout(again.graph) == A.layout(an.graph)


def test_tallies(an):
    t = {x.label: x for x in an.tallies}
    cts = t["Counter-Terrorism Service"]
    assert (cts.conducted, cts.killed, cts.arrested, cts.places) == (2, 5, 3, 1)
    assert (cts.first_date, cts.last_date) == ("2025-06-29", "2025-07")
    fp = t["Federal Police"]
    assert (fp.conducted, fp.arrested, fp.places) == (2, 10, 2)
    assert t["ISIS"].targeted == 3 and t["ISIS"].conducted == 0
    assert [x.label for x in an.most_targeted()][0] == "ISIS"
    assert [x.label for x in an.conductors()][:2] == ["Counter-Terrorism Service", "Federal Police"]
    assert an.joint() == [("Counter-Terrorism Service", "Federal Police", 1)]


def test_operations_per_month(an):
    assert an.monthly == [("2025-06", 1), ("2025-07", 1), ("2025-08", 2)]


def test_months_gap_filled():
    G = nx.MultiDiGraph()
    G.add_node("a", type="Operation", first_date="2024-11-02")
    G.add_node("b", type="Operation", first_date="2025-02")
    G.add_node("c", type="Operation")
    assert A.operations_per_month(G) == [("2024-11", 1), ("2024-12", 0), ("2025-01", 0), ("2025-02", 1)]


def test_layout(an):
    pos = A.layout(an.graph)
    assert set(pos) == set(an.graph)
    assert all(-1000 <= x <= 1000 and -1000 <= y <= 1000 for x, y in pos.values())
    assert len(set(pos.values())) == len(pos)  # no two nodes on top of each other


def _big_kb(n_ops: int, n_orgs: int, n_locs: int, n_docs: int, seed: int = 1) -> KnowledgeBase:
    r = random.Random(seed)
    docs = tuple(Document(Article(f"d{i}", f"f{i}.txt", f"T{i}", "x", date=f"2025-{1 + i % 12:02d}-01"))
                 for i in range(n_docs))
    ents = tuple(Entity(f"o{i}", "Organization", f"Org {i}", docs=(f"d{r.randrange(n_docs)}",)) for i in range(n_orgs))
    ents += tuple(Entity(f"l{i}", "Location", f"Loc {i}", docs=(f"d{r.randrange(n_docs)}",)) for i in range(n_locs))
    ops = []
    for i in range(n_ops):
        d = f"d{r.randrange(n_docs)}"
        ops.append(Operation(f"op{i}", "raid", f"raid {i}", (f"organization/o{r.randrange(n_orgs)}",),
                             (f"organization/o{r.randrange(n_orgs)}",), (f"location/l{r.randrange(n_locs)}",),
                             f"2025-{1 + i % 12:02d}", "gYearMonth", killed=r.randrange(5), docs=(d,),
                             evidence=(Evidence(d, 0, 4, "raid", f"sentence {i}", "x"),)))
    return KnowledgeBase(documents=docs, entities=ents, operations=tuple(ops))


def test_large_graph_projection():
    """3000 operations (~70k triples) project to the expected nodes and edges."""
    G = A.project(to_graph(_big_kb(3000, 200, 300, 1000)))
    assert G.number_of_nodes() == 3500 and G.number_of_edges() == 9000


@settings(max_examples=40, deadline=None)
@given(st.integers(3, 40), st.floats(0.05, 0.6), st.integers(0, 10**6))
def test_exact_betweenness_is_networkx(n, p, seed):
    """igraph's betweenness, normalised like networkx's, equals ``nx.betweenness_centrality`` (any shape:
    disconnected, isolated nodes, stars)."""
    U = nx.relabel_nodes(nx.gnp_random_graph(n, p, seed=seed), lambda i: f"n{i}")
    mine, theirs = A.exact_betweenness(U), nx.betweenness_centrality(U, normalized=True)
    assert mine.keys() == theirs.keys()
    assert all(abs(mine[v] - theirs[v]) < 1e-9 for v in U)


def test_sampled_betweenness_is_seeded(monkeypatch):
    G = A.project(to_graph(_big_kb(300, 40, 40, 100)))
    exact = A.centrality(G)
    monkeypatch.setattr(A, "BETWEENNESS_EXACT_WORK", 50)
    monkeypatch.setattr(A, "BETWEENNESS_SAMPLES", (20, 20))
    assert A.betweenness_samples(len(G), G.number_of_edges()) == 20
    s1, s2 = A.centrality(G), A.centrality(G)
    assert s1 == s2 and s1 != exact
    assert all(s1[n]["pagerank"] == exact[n]["pagerank"] for n in G)
