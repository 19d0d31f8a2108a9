"""RDF exports (N-Triples, TriG, N-Quads, JSON-LD, Turtle): round trip, determinism, other consumers."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.cli import main
from kg.examples import sample_kb
from kg.export import DEFAULT_FORMATS, FORMATS, ExportContext, write
from kg.rdf import to_dataset, to_graph

RDF_FORMATS = {"turtle": "graph.ttl", "nt": "graph.nt", "trig": "graph.trig", "nquads": "graph.nq", "jsonld": "graph.jsonld"}
RDFLIB = {"graph.ttl": "turtle", "graph.nt": "nt", "graph.trig": "trig", "graph.nq": "nquads", "graph.jsonld": "json-ld"}
RAPPER = {"graph.ttl": "turtle", "graph.nt": "ntriples", "graph.trig": "trig", "graph.nq": "nquads"}  # raptor2 has no JSON-LD
HOSTILE = 'Brigade "X" <9> / \\ 🔥 داعش\n\ttab\x1e{}|^`'


def _named(ds: Dataset) -> dict:
    return {g.identifier: g for g in ds.graphs() if g.identifier != ds.default_graph.identifier}


def _same_dataset(a: Dataset, b: Dataset) -> None:
    assert isomorphic(a.default_graph, b.default_graph), "default graphs differ"
    na, nb = _named(a), _named(b)
    assert set(na) == set(nb), "named graphs differ"
    for name in na:
        assert isomorphic(na[name], nb[name]), f"named graph {name} differs"


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    kb = sample_kb(extra_name=HOSTILE)
    out = tmp_path_factory.mktemp("rdf-sample")
    write(ExportContext(to_graph(kb), kb, "https://w3id.org/kgnews/id/"), out, list(RDF_FORMATS))
    return out, kb


def test_registered_and_default():
    for name in RDF_FORMATS:
        assert name in FORMATS and name in DEFAULT_FORMATS


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt", "graph.jsonld"])
def test_graph_round_trip(sample_out, name):
    out, kb = sample_out
    back = Graph().parse(out / name, format=RDFLIB[name])
    assert isomorphic(back, to_graph(kb))


@pytest.mark.parametrize("name", ["graph.trig", "graph.nq"])
def test_dataset_round_trip(sample_out, name):
    out, kb = sample_out
    back = Dataset()
    back.parse(out / name, format=RDFLIB[name])
    _same_dataset(back, to_dataset(kb))


def test_nt_and_nq_lines_sorted(sample_out):
    """graph.nt: lines sorted. graph.nq: the same lines (default graph), then each named graph's
    lines, graphs in IRI order, lines sorted within a graph; no line twice."""
    out, kb = sample_out
    nt = (out / "graph.nt").read_text(encoding="utf-8").split("\n")[:-1]
    assert nt == sorted(nt) and len(nt) == len(set(nt)) == len(to_graph(kb))
    nq = (out / "graph.nq").read_text(encoding="utf-8").split("\n")[:-1]
    assert nq[: len(nt)] == nt and len(nq) == len(set(nq))
    named = [(line.rsplit(" ", 2)[1], line) for line in nq[len(nt):]]
    assert named and named == sorted(named)


def test_jsonld_uses_published_context(sample_out):
    from kg.export.rdf_formats import load_context

    doc = json.loads((sample_out[0] / "graph.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == load_context()
    op = next(n for n in doc["@graph"] if n.get("@type") == "Operation")
    assert op["killed"] == "3" and op["conductedBy"].endswith("/organization/counter-terrorism-service")
    assert op["date"] == {"@value": "2025-06-29", "@type": "xsd:date"}
    ids = [n["@id"] for n in doc["@graph"]]
    assert ids == sorted(ids)


def test_pyoxigraph_loads_every_format_with_equal_counts(sample_out):
    import pyoxigraph as ox

    out, kb = sample_out
    n_graph, n_quads = len(to_graph(kb)), len(list(to_dataset(kb).quads()))
    for name in RDF_FORMATS.values():
        s = ox.Store()
        s.load(path=str(out / name))
        assert len(s) == (n_quads if name in ("graph.trig", "graph.nq") else n_graph), name


def _rapper_count(path: Path) -> int:
    r = subprocess.run(["rapper", "-i", RAPPER[path.name], "-c", str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-800:]
    return int(re.search(r"returned (\d+) (triple|statement)", r.stderr).group(1))


def test_rapper_counts_equal_pyoxigraph(sample_out):
    if not shutil.which("rapper"):
        pytest.skip("rapper (raptor2-utils) is not installed")
    import pyoxigraph as ox

    for name in RAPPER:
        s = ox.Store()
        s.load(path=str(sample_out[0] / name))
        assert _rapper_count(sample_out[0] / name) == len(s), name


_DIGESTS = """
import hashlib, sys, tempfile, pathlib
from kg.examples import sample_kb
from kg.rdf import to_graph
from kg.export import ExportContext, write
kb = sample_kb(extra_name=sys.argv[1])
out = pathlib.Path(tempfile.mkdtemp())
for p in sorted(write(ExportContext(to_graph(kb), kb, "https://w3id.org/kgnews/id/"), out, sys.argv[2:])):
    print(p.name, hashlib.sha256(p.read_bytes()).hexdigest())
"""


def test_deterministic_bytes_across_hash_seeds():
    runs = []
    for seed in ("1", "2"):
        r = subprocess.run([sys.executable, "-c", _DIGESTS, HOSTILE, *RDF_FORMATS], capture_output=True, text=True,
                           timeout=120, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"})
        assert r.returncode == 0, r.stderr[-800:]
        runs.append(r.stdout)
    assert runs[0] == runs[1] and runs[0].count("\n") == len(RDF_FORMATS)


# ---------------------------------------------------------------------------
# the seeds build


@pytest.mark.parametrize("name", ["graph.nt", "graph.jsonld"])
def test_seeds_graph_exports_match_turtle(seeds_out, name):
    ttl = Graph().parse(seeds_out / "graph.ttl")
    assert isomorphic(Graph().parse(seeds_out / name, format=RDFLIB[name]), ttl)


def test_seeds_trig_and_nquads_agree(seeds_out):
    a, b = Dataset(), Dataset()
    a.parse(seeds_out / "graph.trig", format="trig")
    b.parse(seeds_out / "graph.nq", format="nquads")
    _same_dataset(a, b)
    assert isomorphic(a.default_graph, Graph().parse(seeds_out / "graph.ttl"))
    assert len(_named(a)) == 6


def test_seeds_exports_in_rapper_and_pyoxigraph(seeds_out):
    import pyoxigraph as ox

    counts = {}
    for name in RDF_FORMATS.values():
        s = ox.Store()
        s.load(path=str(seeds_out / name))
        counts[name] = len(s)
        if name in RAPPER and shutil.which("rapper"):
            assert _rapper_count(seeds_out / name) == counts[name], name
    assert counts["graph.ttl"] == counts["graph.nt"] == counts["graph.jsonld"]
    assert counts["graph.trig"] == counts["graph.nq"] > counts["graph.ttl"]


def test_kg_export_later_is_byte_identical(seeds_out, tmp_path):
    out = tmp_path / "later"
    out.mkdir()
    shutil.copy2(seeds_out / "graph.ttl", out / "graph.ttl")
    r = CliRunner().invoke(main, ["export", str(out), "--format", "nt", "--format", "trig", "--format", "nquads",
                                  "--format", "jsonld"])
    assert r.exit_code == 0, r.output
    for name in ("graph.nt", "graph.trig", "graph.nq", "graph.jsonld"):
        assert (out / name).read_bytes() == (seeds_out / name).read_bytes(), f"{name} differs from the build's"
    assert sorted(p.name for p in out.iterdir()) == ["graph.jsonld", "graph.nq", "graph.nt", "graph.trig", "graph.ttl"]


def test_kg_export_errors(tmp_path):
    r = CliRunner().invoke(main, ["export", str(tmp_path), "--format", "nt"])
    assert r.exit_code == 1 and "graph.ttl" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["export", str(tmp_path), "--format", "nope"])
    assert r.exit_code == 2 and "nope" in r.output


def test_no_temp_files_left(sample_out):
    assert not [p for p in sample_out[0].iterdir() if p.name.endswith(".tmp")]
    assert hashlib.sha256((sample_out[0] / "graph.nt").read_bytes()).hexdigest()


def test_jsonld_text_is_the_same_whatever_the_streaming_batch():
    from kg.export.rdf_formats import jsonld, jsonld_chunks, jsonld_document

    g = to_graph(sample_kb())
    whole = jsonld(g)
    assert json.loads(whole) == jsonld_document(g)
    for batch in (1, 2, 7, 10_000):
        assert "".join(jsonld_chunks(g, batch=batch)) == whole, batch
    assert json.loads(jsonld(Graph()))["@graph"] == []
