"""GEXF: loads in networkx and graphology-gexf with the same counts as the GraphML; declared
typed attributes, viz data, operation start dates; deterministic."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from kg.analysis import analyse, layout
from kg.export import ExportContext, write
from kg.export.gexf import generate_gexf
from kg.model import KnowledgeBase

from ..graph_sample import N_EDGES, N_NODES, iri, sample_graph
from .readers import graphology_counts

NS = "{http://www.gexf.net/1.2draft}"
VIZ = "{http://www.gexf.net/1.2draft/viz}"


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    G = analyse(sample_graph()).graph
    p = tmp_path_factory.mktemp("gexf") / "graph.gexf"
    p.write_text("".join(generate_gexf(G, layout(G))), encoding="utf-8")
    return p


def test_readers_agree(path):
    H = nx.read_gexf(path)
    assert (H.number_of_nodes(), H.number_of_edges()) == (N_NODES, N_EDGES)
    assert graphology_counts(path) == (N_NODES, N_EDGES, 0)


def test_attributes_and_viz(path):
    root = ET.parse(path).getroot()
    graph = root.find(f"{NS}graph")
    assert (graph.get("mode"), graph.get("timeformat"), graph.get("defaultedgetype")) == ("dynamic", "date", "directed")
    declared = {}
    for attrs in graph.findall(f"{NS}attributes"):
        for a in attrs.findall(f"{NS}attribute"):
            assert a.get("type") in ("string", "integer", "long", "double", "boolean")
            declared[(attrs.get("class"), a.get("id"))] = a.get("type")
    for n in graph.iter(f"{NS}node"):
        assert n.get("id") and n.get("label")
        assert n.find(f"{VIZ}color") is not None and n.find(f"{VIZ}size") is not None
        for v in n.iter(f"{NS}attvalue"):
            assert ("node", v.get("for")) in declared and v.get("value") != ""
    ids = [e.get("id") for e in graph.iter(f"{NS}edge")]
    assert len(ids) == len(set(ids)) == N_EDGES
    assert all(e.get("label") and float(e.get("weight")) >= 1 for e in graph.iter(f"{NS}edge"))


def test_values_and_timeline(path):
    H = nx.read_gexf(path)
    op1, op2, op3 = (H.nodes[iri(f"operation/op{i}")] for i in (1, 2, 3))
    assert op1["start"] == "2025-06-29" and op1["killed"] == 5 and op1["label"] == "raid in Anbar"
    assert op2["start"] == "2025-07-01"  # a month widened to its first day
    assert "start" not in op3  # --08-10 has no year
    isis = H.nodes[iri("organization/isis")]
    assert "start" not in isis and isis["aliases"] == "Daesh | Islamic State | داعش"
    assert isis["viz"]["color"] == {"r": 31, "g": 119, "b": 180, "a": 1.0}
    assert isinstance(isis["pagerank"], float) and isinstance(isis["community"], int)


def test_deterministic(tmp_path):
    for d in "ab":
        write(ExportContext(sample_graph(), KnowledgeBase(), "https://w3id.org/kgnews/id/"), tmp_path / d, ["gexf"])
    assert (tmp_path / "a" / "graph.gexf").read_bytes() == (tmp_path / "b" / "graph.gexf").read_bytes()


def test_seeds_gexf_matches_graphml(seeds_out):
    G = nx.read_graphml(seeds_out / "graph.graphml")
    H = nx.read_gexf(seeds_out / "graph.gexf")
    counts = (G.number_of_nodes(), G.number_of_edges())
    assert (H.number_of_nodes(), H.number_of_edges()) == counts
    assert graphology_counts(seeds_out / "graph.gexf") == (*counts, 0)
