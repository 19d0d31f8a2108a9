"""GraphML: declared typed keys, scalar values, unique ids, labels; loads the same in networkx,
igraph and graphology under every profile; Neo4j APOC conventions; deterministic bytes."""
from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from kg.analysis import analyse, layout
from kg.export import ExportContext, write
from kg.export.graphml import PROFILES, generate_graphml
from kg.model import KnowledgeBase

from ..graph_sample import N_EDGES, N_NODES, iri, sample_graph
from .readers import graphology_counts, igraph_counts

NS = "{http://graphml.graphdrawing.org/xmlns}"
TYPES = {"boolean", "int", "long", "float", "double", "string"}


@pytest.fixture(scope="module")
def G():
    return analyse(sample_graph()).graph


@pytest.fixture(scope="module")
def files(G, tmp_path_factory):
    d = tmp_path_factory.mktemp("graphml")
    pos = layout(G)
    out = {}
    for p in PROFILES:
        out[p] = d / f"{p}.graphml"
        out[p].write_text("".join(generate_graphml(G, p, pos)), encoding="utf-8")
    return out


def check_conventions(path, profile: str = "default") -> None:
    root = ET.parse(path).getroot()
    keys = root.findall(f"{NS}key")
    ids = [k.get("id") for k in keys]
    assert len(ids) == len(set(ids)), "key ids repeat"
    declared = {}
    for k in keys:
        if k.get("yfiles.type"):
            assert profile == "yed"
            continue
        assert k.get("for") in ("node", "edge") and k.get("attr.name") and k.get("attr.type") in TYPES, k.attrib
        declared[k.get("id")] = (k.get("for"), k.get("attr.type"))
    node_ids = [n.get("id") for n in root.iter(f"{NS}node")]
    assert all(node_ids) and len(node_ids) == len(set(node_ids))
    edge_ids = [e.get("id") for e in root.iter(f"{NS}edge")]
    assert all(edge_ids) and len(edge_ids) == len(set(edge_ids))
    label_key = {"node": None, "edge": None}
    for kid, (dom, _) in declared.items():
        name = next(k.get("attr.name") for k in keys if k.get("id") == kid)
        if name == "label":
            label_key[dom] = kid
    for tag, dom in (("node", "node"), ("edge", "edge")):
        for el in root.iter(NS + tag):
            data = el.findall(f"{NS}data")
            used = [d.get("key") for d in data]
            assert len(used) == len(set(used)), f"repeated data key on {el.get('id')}"
            assert label_key[dom] in used, f"{tag} {el.get('id')} has no label"
            for d in data:
                if d.get("key") in ("n_graphics", "e_graphics"):
                    continue
                dom_, typ = declared[d.get("key")]
                assert dom_ == dom
                text = d.text or ""
                assert text.strip(), f"empty value for {d.get('key')}"
                if typ in ("int", "long"):
                    int(text)
                elif typ in ("float", "double"):
                    assert math.isfinite(float(text))
                elif typ == "boolean":
                    assert text in ("true", "false")


@pytest.mark.parametrize("profile", list(PROFILES))
def test_conventions(files, profile):
    check_conventions(files[profile], profile)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_readers_agree(files, profile):
    H = nx.read_graphml(files[profile])
    assert (H.number_of_nodes(), H.number_of_edges()) == (N_NODES, N_EDGES)
    assert igraph_counts(files[profile]) == (N_NODES, N_EDGES)
    assert graphology_counts(files[profile]) == (N_NODES, N_EDGES, 0)


def test_values_round_trip(files):
    H = nx.read_graphml(files["default"])
    isis = H.nodes[iri("organization/isis")]
    assert isis["label"] == "ISIS" and isis["labels"] == ":Organization"
    assert isis["aliases"] == "Daesh | Islamic State | داعش"
    assert isinstance(isis["pagerank"], float) and isinstance(isis["community"], int)
    assert {"x", "y", "size", "r", "g", "b"} <= isis.keys()
    op1 = H.nodes[iri("operation/op1")]
    assert op1["killed"] == 5 and "injured" not in op1  # missing value: no data element
    assert H.nodes[iri("organization/tom-jerry")]["label"] == "Tom & Jerry <Brigade>"  # control char dropped
    edges = {k: d for _, _, k, d in H.edges(keys=True, data=True)}  # networkx keys parallel edges by GraphML id
    assert sorted(edges, key=lambda k: int(k[1:])) == [f"e{i}" for i in range(N_EDGES)]
    assert {d["label"] for d in edges.values()} == {"CONDUCTED_BY", "TARGETED", "LOCATED_IN", "MEMBER_OF", "PART_OF"}


def test_neo4j_apoc_conventions(files):
    """What apoc.import.graphml(file, {readLabels: true}) reads: the data key with id ``labels`` on
    nodes, and on edges the first data element when its key id is ``label`` (the relationship type);
    the neo4j profile also carries APOC's own XML attributes."""
    for profile in ("default", "neo4j"):
        root = ET.parse(files[profile]).getroot()
        for n in root.iter(f"{NS}node"):
            labels = [d.text for d in n.findall(f"{NS}data") if d.get("key") == "labels"]
            assert labels and labels[0].startswith(":") and labels[0][1:].isidentifier()
        for e in root.iter(f"{NS}edge"):
            first = e.find(f"{NS}data")
            assert first.get("key") == "label" and first.text.replace("_", "").isalpha() and first.text.isupper()
    root = ET.parse(files["neo4j"]).getroot()
    assert all(n.get("labels", "").startswith(":") for n in root.iter(f"{NS}node"))
    assert all(e.get("label", "").isupper() for e in root.iter(f"{NS}edge"))


def test_profile_specifics(files):
    gephi = nx.read_graphml(files["gephi"])
    assert "labels" not in gephi.nodes[iri("organization/isis")]
    assert {d["label"] for *_, d in gephi.edges(data=True)} >= {"conducted by", "targeted"}
    yed = files["yed"].read_text(encoding="utf-8")
    assert 'yfiles.type="nodegraphics"' in yed and "<y:NodeLabel>ISIS</y:NodeLabel>" in yed
    assert nx.read_graphml(files["yed"]).nodes[iri("organization/isis")]["label"] == "ISIS"
    cy = nx.read_graphml(files["cytoscape"])
    assert cy.nodes[iri("organization/isis")]["name"] == "ISIS"
    assert {d["interaction"] for *_, d in cy.edges(data=True)} >= {"conductedBy", "partOf"}


def test_scalars_only_and_missing_values_omitted():
    G = nx.MultiDiGraph()
    G.add_node("a", type="Organization", label="A", tags=["x", "y"], score=float("nan"), flag=True, empty=None)
    G.add_node("b", type="Organization", label="B", score=1)
    G.add_edge("a", "b", key="k", relation="memberOf", label="MEMBER_OF", id="e0")
    G.add_edge("a", "b", key="k2", relation="memberOf", label="MEMBER_OF", id="e0")  # repeated id
    text = "".join(generate_graphml(G))
    H = nx.read_graphml(io.StringIO(text))
    assert H.nodes["a"]["tags"] == "x | y" and "score" not in H.nodes["a"] and H.nodes["a"]["flag"] is True
    assert "empty" not in H.nodes["a"] and H.nodes["b"]["score"] == 1.0  # one type per key: double
    assert sorted(k for *_, k in H.edges(keys=True)) == ["e0", "e0_1"]
    assert "NaN" not in text and "nan" not in text


def test_unknown_profile(G):
    with pytest.raises(ValueError, match="unknown GraphML profile 'gml'"):
        "".join(generate_graphml(G, "gml"))


def test_written_by_build_exports_deterministic(tmp_path):
    for d in ("a", "b"):
        ctx = ExportContext(sample_graph(), KnowledgeBase(), "https://w3id.org/kgnews/id/", {"graphml_profile": "yed"})
        write(ctx, tmp_path / d, ["graphml"])
    a, b = (tmp_path / d / "graph.graphml" for d in "ab")
    assert a.read_bytes() == b.read_bytes() and b"yfiles" in a.read_bytes()


def test_seeds_graphml(seeds_out):
    path = seeds_out / "graph.graphml"
    check_conventions(path)
    H = nx.read_graphml(path)
    n, m = H.number_of_nodes(), H.number_of_edges()
    assert n > 0 and m > 0
    assert igraph_counts(path) == (n, m)
    assert graphology_counts(path) == (n, m, 0)
