"""SHACL validation (ontology/shapes.ttl, kg.shacl, kg validate)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.cli import main
from kg.examples import sample_kb
from kg.rdf import to_graph
from kg.shacl import validate, validate_graph
from kg.vocab import KG, NIF

OP = URIRef("https://w3id.org/kgnews/id/operation/op1")
KIRKUK = URIRef("https://w3id.org/kgnews/id/location/kirkuk")
CTS = URIRef("https://w3id.org/kgnews/id/organization/counter-terrorism-service")


def broken_graph():
    """The sample graph with four deliberate errors."""
    g = to_graph(sample_kb())
    g.remove((CTS, RDFS.label, None))  # missing label
    g.set((OP, KG.killed, Literal(-4)))  # negative count
    g.add((OP, KG.conductedBy, KIRKUK))  # conducted by a place
    g.set((OP, KG.date, Literal("June 2025")))  # a plain string, not an XSD date type
    return g


def test_sample_conforms():
    r = validate_graph(to_graph(sample_kb()))
    assert r.conforms and not r.violations, r.format()
    assert r.seconds < 10


def test_broken_graph_caught():
    r = validate_graph(broken_graph())
    assert not r.conforms
    found = {(f.focus, f.path) for f in r.violations}
    assert (str(CTS), "rdfs:label") in found
    assert (str(OP), "kg:killed") in found
    assert (str(OP), "kg:conductedBy") in found
    assert (str(OP), "kg:date") in found
    conducted = next(f for f in r.violations if f.path == "kg:conductedBy")
    assert conducted.value == str(KIRKUK) and "Organization" in conducted.message
    assert conducted.label == "raid in Kirkuk" and conducted.types == "kg:Operation"


@pytest.mark.parametrize("mutate, path", [
    (lambda g: g.set((OP, KG.date, Literal("2025-13-45", datatype=XSD.date))), "kg:date"),  # ill-formed date
    (lambda g: g.set((OP, KG.killed, Literal("3.5", datatype=XSD.decimal))), "kg:killed"),
    (lambda g: g.add((OP, RDFS.label, Literal("second label"))), "rdfs:label"),
    (lambda g: g.remove((OP, KG.evidence, None)), "kg:evidence"),
    (lambda g: g.add((OP, KG.locatedIn, CTS)), "kg:locatedIn"),
    (lambda g: g.add((KIRKUK, RDF.type, KG.Person)), None),  # a place that is also a person
])
def test_single_errors(mutate, path):
    g = to_graph(sample_kb())
    mutate(g)
    r = validate_graph(g)
    assert not r.conforms
    assert path in {f.path for f in r.violations}


def test_evidence_offsets_in_order():
    g = to_graph(sample_kb())
    ev = next(g.subjects(RDF.type, KG.Evidence))
    end = g.value(ev, NIF.endIndex)
    g.set((ev, NIF.beginIndex, Literal(int(end) + 5, datatype=XSD.nonNegativeInteger)))
    r = validate_graph(g)
    assert any(f.focus == str(ev) and f.path == "nif:beginIndex" for f in r.violations)


def test_document_requirements():
    g = to_graph(sample_kb())
    doc = URIRef("https://w3id.org/kgnews/id/document/doc-aaaa")
    g.remove((doc, KG.sourceFile, None))
    g.remove((doc, KG.contentHash, None))
    r = validate_graph(g)
    assert {"kg:sourceFile", "kg:contentHash"} <= {f.path for f in r.violations if f.focus == str(doc)}


def test_warnings_do_not_fail():
    g = to_graph(sample_kb())
    g.remove((None, URIRef("http://purl.org/dc/terms/date"), None))
    r = validate_graph(g)
    assert r.conforms and r.warnings and all(f.severity == "Warning" for f in r.warnings)


def _write(g, out: Path) -> Path:
    out.mkdir(exist_ok=True)
    (out / "graph.ttl").write_text(g.serialize(format="turtle"), encoding="utf-8")
    return out


def test_cli_validate(tmp_path):
    runner = CliRunner()
    good = _write(to_graph(sample_kb()), tmp_path / "good")
    r = runner.invoke(main, ["validate", str(good)])
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1].startswith("conforms:") and " s;" in r.output
    bad = _write(broken_graph(), tmp_path / "bad")
    r = runner.invoke(main, ["validate", str(bad)])
    assert r.exit_code == 1
    assert '"raid in Kirkuk" (kg:Operation)' in r.output and "kg:killed" in r.output and "kg:conductedBy" in r.output
    assert "does NOT conform" in r.output and "4 violations" in r.output
    r = runner.invoke(main, ["validate", str(tmp_path)])
    assert r.exit_code == 1 and "graph.ttl" in r.output and "Traceback" not in r.output


def test_build_validates_by_default(tmp_path):
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text((seeds / "004_a981f26536404a80.txt").read_text(encoding="utf-8"), encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(main, ["build", str(src), "-o", str(tmp_path / "out"), "--workers", "1"])
    assert r.exit_code == 0, r.output
    assert re.search(r"(conforms|does NOT conform): \d+ triples checked against shapes\.ttl in [\d.]+ s", r.output)
    assert (tmp_path / "out" / "store").is_dir()  # the SPARQL store is loaded at build time
    r = runner.invoke(main, ["build", str(src), "-o", str(tmp_path / "out2"), "--workers", "1", "--no-validate"])
    assert r.exit_code == 0, r.output
    assert "shapes.ttl" not in r.output


def test_seeds_build_conforms(seeds_out):
    r = validate(seeds_out)
    assert r.conforms, r.format(limit=20)
