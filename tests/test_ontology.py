"""ontology/kg.ttl: a well-formed OWL ontology in step with kg.vocab.KG; shapes and JSON-LD context cover it."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from kg.vocab import KG, ONTOLOGY_DIR, ONTOLOGY_IRI, PREFIXES

KG_TTL = ONTOLOGY_DIR / "kg.ttl"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT = ONTOLOGY_DIR / "context.jsonld"
NS = str(KG._NS)
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(KG_TTL, format="turtle")


def _declared(g: Graph) -> dict[str, URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {str(s)[len(NS):]: t for t in kinds for s in g.subjects(RDF.type, t) if str(s).startswith(NS)}


def _namespace_terms() -> set[str]:
    return set(KG.__annotations__)


def test_ontology_header(onto):
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionInfo) is not None
    assert onto.value(o, DCTERMS.license) is not None
    assert len(str(onto.value(o, DCTERMS.description))) > 100


def test_namespace_module_in_step_with_ontology(onto):
    declared = set(_declared(onto))
    in_module = _namespace_terms()
    assert in_module - declared == set(), f"in kg.vocab.KG but not declared in kg.ttl: {sorted(in_module - declared)}"
    assert declared - in_module == set(), f"declared in kg.ttl but missing from kg.vocab.KG: {sorted(declared - in_module)}"


def test_no_undeclared_kg_term_used(onto):
    used = {str(t)[len(NS):] for triple in onto for t in triple if isinstance(t, URIRef) and str(t).startswith(NS)}
    assert used <= set(_declared(onto))


def test_every_term_documented(onto):
    for name, kind in _declared(onto).items():
        t = KG[name]
        assert onto.value(t, RDFS.label) is not None, f"kg:{name} has no rdfs:label"
        assert len(str(onto.value(t, RDFS.comment) or "")) > 15, f"kg:{name} has no useful rdfs:comment"
        if kind == OWL.Class:
            assert list(onto.objects(t, RDFS.subClassOf)), f"kg:{name} is not aligned (rdfs:subClassOf)"
        else:
            assert onto.value(t, RDFS.domain) is not None, f"kg:{name} has no rdfs:domain"
            assert onto.value(t, RDFS.range) is not None, f"kg:{name} has no rdfs:range"


@pytest.mark.parametrize("sub, sup", [
    (KG.Official, KG.Person),
    (KG.Person, SCHEMA.Person), (KG.Person, FOAF.Person), (KG.Person, SEM.Actor),
    (KG.Organization, ORG.Organization), (KG.Organization, SCHEMA.Organization), (KG.Organization, SEM.Actor),
    (KG.Location, SEM.Place), (KG.Location, SCHEMA.Place), (KG.Location, GEO.SpatialThing),
    (KG.Operation, SEM.Event), (KG.Operation, SCHEMA.Event),
    (KG.Document, PROV.Entity), (KG.Evidence, PROV.Entity), (KG.Quote, PROV.Entity),
])
def test_class_alignment(onto, sub, sup):
    assert (sub, RDFS.subClassOf, sup) in onto


@pytest.mark.parametrize("sub, sup", [
    (KG.conductedBy, SEM.hasActor), (KG.targeted, SEM.hasActor), (KG.locatedIn, SEM.hasPlace),
    (KG.date, SEM.hasTimeStamp), (KG.memberOf, ORG.memberOf), (KG.speaker, PROV.wasAttributedTo),
    (KG.document, PROV.wasQuotedFrom), (KG.mentionedIn, SCHEMA.subjectOf),
])
def test_property_alignment(onto, sub, sup):
    assert (sub, RDFS.subPropertyOf, sup) in onto


def test_date_range_is_the_four_xsd_date_types(onto):
    from rdflib.collection import Collection
    from rdflib.namespace import XSD

    rng = onto.value(KG.date, RDFS.range)
    members = set(Collection(onto, onto.value(rng, OWL.unionOf)))
    assert members == {XSD.date, XSD.gYearMonth, XSD.gMonthDay, XSD.gYear}


def test_rdfs_reasoning_answers_in_aligned_terms(onto):
    """A user with RDFS reasoning can ask for sem:Event / sem:hasActor over our data."""
    import owlrl

    from kg.examples import sample_kb
    from kg.rdf import to_graph

    g = to_graph(sample_kb()) + onto
    # improved_datatypes=False: owlrl's default swaps rdflib's lexical converters process-wide
    # (after which "--07-13"^^xsd:gMonthDay reads as ill-typed everywhere)
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics, improved_datatypes=False).expand(g)
    assert set(g.subjects(RDF.type, SEM.Event)) == set(g.subjects(RDF.type, KG.Operation))
    assert len(set(g.subject_objects(SEM.hasActor))) >= 2
    assert set(g.subjects(RDF.type, KG.Person)) >= set(g.subjects(RDF.type, KG.Official))


def test_rapper_parses_ontology_and_shapes():
    if not shutil.which("rapper"):
        pytest.skip("rapper (raptor2-utils) is not installed")
    for path in (KG_TTL, SHAPES):
        r = subprocess.run(["rapper", "-i", "turtle", "-c", str(path)], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        n = int(re.search(r"returned (\d+) triples", r.stderr).group(1))
        assert n == len(Graph().parse(path, format="turtle"))


def test_shapes_cover_every_class():
    shapes = Graph().parse(SHAPES, format="turtle")
    targeted = set(shapes.objects(None, SH.targetClass))
    classes = {KG[n] for n, k in _declared(Graph().parse(KG_TTL)).items() if k == OWL.Class}
    assert classes <= targeted, classes - targeted
    assert ORG.Membership in targeted


def test_context_covers_every_property_and_class():
    ctx = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    expand = lambda v: (v if isinstance(v, str) else v["@id"]).replace("kg:", NS)  # noqa: E731
    iris = {expand(v) for k, v in ctx.items() if not k.startswith("@")}
    for name in _namespace_terms():
        assert NS + name in iris, f"context.jsonld has no term for kg:{name}"
    for p, ns in PREFIXES.items():
        assert ctx.get(p) == str(ns), f"context.jsonld prefix {p} differs from kg.vocab.PREFIXES"
