"""kg.rdf: provenance of every fact, documents' derivation chain, named graphs per document."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, XSD

from kg.examples import sample_kb
from kg.rdf import dataset_from_graph, decimal, guess_base, iter_triples, to_dataset, to_graph
from kg.vocab import KG, NIF, named_graph_iri

FACT_CLASSES = (KG.Organization, KG.Location, KG.Person, KG.Official, KG.Operation, KG.Quote, ORG.Membership)


def _named(ds):
    return {g.identifier: g for g in ds.graphs() if g.identifier != ds.default_graph.identifier}


def _check_provenance(g: Graph) -> None:
    for cls in FACT_CLASSES:
        for node in g.subjects(RDF.type, cls):
            evs = list(g.objects(node, KG.evidence))
            assert evs, f"{node} has no kg:evidence"
            docs = set(g.objects(node, KG.mentionedIn))
            for e in evs:
                assert (e, RDF.type, KG.Evidence) in g
                d = g.value(e, KG.document)
                assert d in docs, f"evidence {e} of {node} points to a document {node} is not mentioned in"
                b, end = int(g.value(e, NIF.beginIndex)), int(g.value(e, NIF.endIndex))
                assert 0 <= b <= end
                anchor = str(g.value(e, NIF.anchorOf))
                assert len(anchor) == end - b
                sentence = g.value(e, KG.sentence)
                # the sentence contains the span, or (a quote running over several sentences) starts it
                s = str(sentence or "")
                assert not s or anchor in s or s.strip(' \n“”"') in anchor, (anchor, s)
                assert g.value(e, KG.rule) is not None and g.value(e, KG.confidence) is not None
    for d in g.subjects(RDF.type, KG.Document):
        for p in (DCTERMS.title, KG.sourceFile, DCTERMS.identifier, KG.contentHash):
            assert g.value(d, p) is not None, f"{d} lacks {p}"
        f = g.value(d, PROV.wasDerivedFrom)
        assert (f, RDF.type, PROV.Entity) in g and g.value(f, KG.sourceFile) is None
        assert str(g.value(f, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == str(g.value(d, KG.sourceFile))


def test_sample_provenance():
    _check_provenance(to_graph(sample_kb()))


def test_seeds_provenance(seeds_out):
    g = Graph().parse(seeds_out / "graph.ttl")
    _check_provenance(g)


def test_decimal_lexical_forms():
    assert decimal(0.000012, 5) == Literal("0.00001", datatype=XSD.decimal)
    assert str(decimal(-0.000001, 3)) == "0.0"
    assert str(decimal(44.392221, 5)) == "44.39222"


def test_dataset_default_graph_is_the_merged_graph():
    kb = sample_kb()
    assert isomorphic(to_dataset(kb).default_graph, to_graph(kb))


def test_named_graph_per_document():
    kb = sample_kb()
    named = _named(to_dataset(kb))
    assert set(named) == {named_graph_iri(d.article.id) for d in kb.documents}
    for d in kb.documents:
        g = named[named_graph_iri(d.article.id)]
        # each graph holds its document node, so GRAPH ?g { ?doc a kg:Document } finds the source
        assert list(g.subjects(RDF.type, KG.Document)) == [URIRef(f"https://w3id.org/kgnews/id/document/{d.article.id}")]
    op = URIRef("https://w3id.org/kgnews/id/operation/op1")
    for g in named.values():  # the operation is reported in both documents, with its own evidence in each
        assert (op, KG.killed, Literal(3)) in g
        assert {g.value(e, KG.document) for e in g.objects(op, KG.evidence)} == set(g.subjects(RDF.type, KG.Document))


def test_dataset_from_graph_matches_to_dataset():
    """kg export recovers the same dataset from graph.ttl that the build writes from the knowledge base."""
    for kb, base in ((sample_kb(), "https://w3id.org/kgnews/id/"), (sample_kb("x"), "http://example.org/kg/")):
        a, b = to_dataset(kb, base), dataset_from_graph(to_graph(kb, base))
        assert isomorphic(a.default_graph, b.default_graph)
        na, nb = _named(a), _named(b)
        assert set(na) == set(nb)
        for name in na:
            assert isomorphic(na[name], nb[name]), f"named graph {name} differs"


def test_dataset_from_graph_matches_seeds(seeds_out):
    from rdflib import Dataset

    built = Dataset()
    built.parse(seeds_out / "graph.trig", format="trig")
    again = dataset_from_graph(Graph().parse(seeds_out / "graph.ttl"))
    na, nb = _named(built), _named(again)
    assert set(na) == set(nb) and len(na) == 6
    for name in na:
        assert isomorphic(na[name], nb[name]), name


def test_guess_base():
    assert guess_base(to_graph(sample_kb(), "urn:kg:")) == "urn:kg:"
    assert guess_base(Graph()) == "https://w3id.org/kgnews/id/"


def test_every_triple_has_known_documents():
    kb = sample_kb()
    ids = {d.article.id for d in kb.documents}
    for _, docs in iter_triples(kb):
        assert set(docs) <= ids


@pytest.mark.parametrize("cls", FACT_CLASSES[:-2] + (ORG.Membership,))
def test_sample_covers_every_fact_class(cls):
    assert list(to_graph(sample_kb()).subjects(RDF.type, cls))
