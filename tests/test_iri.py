"""IRIs: deterministic, readable, stable, and valid for any name (property tests with hypothesis)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from kg.examples import sample_kb
from kg.export.rdf_formats import jsonld, nquads, ntriples, trig, turtle
from kg.model import Article, ArticleRecord, Mention, OperationMention
from kg.rdf import to_dataset, to_graph
from kg.vocab import (
    DEFAULT_BASE,
    KG,
    PATHS,
    PREFIXES,
    bind_prefixes,
    document_iri,
    entity_iri,
    evidence_iri,
    file_iri,
    named_graph_iri,
    operation_iri,
    slug,
)

#: RFC 3987 ``ipath`` characters we allow in a minted IRI (no space, quote, <>, {}, |, \, ^, `).
IRI = re.compile(r"^https?://[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HOSTILE = [
    'Brigade "Lions" <Anbar>', "Saraya al-Salam (Peace Brigades)", "ISIS/ISIL/Daesh", "Na'im al-Ka'oud",
    "داعش", "الحشد الشعبي", "Курдистан", "中国人民解放军", "🔥💣", "🇮🇶", "-", "", "   ", "a\\b", "x{y}|z^`",
    "Tom & Jerry <Brigade>", "line\nbreak\ttab\x01", "%20 encoded?#frag", "ＦＵＬＬＷＩＤＴＨ", "a" * 500,
]
#: Any text a file could hold (no lone surrogates: they cannot be encoded at all).
names = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


def test_readable_examples():
    assert str(entity_iri("Organization", slug("Counter-Terrorism Service"))) == \
        "https://w3id.org/kgnews/id/organization/counter-terrorism-service"
    assert str(entity_iri("Official", slug("Saad Maan"))) == "https://w3id.org/kgnews/id/person/saad-maan"
    assert re.fullmatch(r"https://w3id\.org/kgnews/id/operation/[0-9a-f]{16}", str(operation_iri("0123456789abcdef")))


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_give_valid_slugs(name):
    s = slug(name)
    assert SLUG.match(s) or re.fullmatch(r"x-[0-9a-f]{12}", s), s
    assert len(s) <= 64 + 9
    assert slug(name) == s  # deterministic


@settings(max_examples=300, deadline=None)
@given(names)
def test_any_name_gives_a_valid_iri(name):
    s = slug(name)
    assert s and (SLUG.match(s) or s.startswith("x-"))
    for kind in PATHS:
        iri = str(entity_iri(kind, s))
        assert IRI.match(iri), iri
    assert IRI.match(str(document_iri(s))) and IRI.match(str(named_graph_iri(s)))
    assert IRI.match(str(evidence_iri(name, name, 0, 1))) and IRI.match(str(file_iri(name)))


def _graph_of(labels: list[str]) -> Graph:
    g = Graph()
    bind_prefixes(g)
    # bind a prefix per path too, so the serializer must decide when a prefixed name is invalid
    for kind, path in PATHS.items():
        g.bind(f"id{path[:3]}", DEFAULT_BASE + path + "/")
    for i, label in enumerate(labels):
        n = entity_iri("Organization", slug(label))
        g.add((n, RDF.type, KG.Organization))
        g.add((n, RDFS.label, Literal(label)))
        g.add((n, KG.note, Literal(f"{i}:{label}", lang="ar")))
    return g


@settings(max_examples=60, deadline=None)
@given(st.lists(names, min_size=1, max_size=5))
def test_turtle_of_any_names_parses_back(labels):
    g = _graph_of(labels)
    for fmt in ("turtle", "nt"):  # (RDF/XML cannot hold control characters; not exported)
        text = g.serialize(format=fmt)
        assert isomorphic(g, Graph().parse(data=text, format=fmt)), fmt
    assert isomorphic(g, Graph().parse(data=ntriples(g), format="nt"))
    assert isomorphic(g, Graph().parse(data=turtle(g), format="turtle"))  # the build's own Turtle writer
    assert isomorphic(g, Graph().parse(data=jsonld(g), format="json-ld"))


def test_hostile_names_in_every_format():
    g = _graph_of(HOSTILE + ["1st Division", "_underscore", ".dot", "ends.", "a:b", "a/b"])
    ttl = g.serialize(format="turtle")
    assert isomorphic(g, Graph().parse(data=ttl, format="turtle"))
    # rdflib fell back to full IRIs where a prefixed name would be invalid (e.g. a local part with a dot at the end)
    for line in ttl.splitlines():
        assert not re.search(r"\bid\w+:\S*[/<>\"]", line.split('"')[0]), line
    import pyoxigraph as ox

    assert isomorphic(g, Graph().parse(data=turtle(g), format="turtle"))
    for fmt, text in (("turtle", ttl), ("turtle", turtle(g)), ("nt", ntriples(g)), ("jsonld", jsonld(g))):
        s = ox.Store()
        s.load(text, {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[fmt])
        assert len(s) == len(g), fmt


@pytest.mark.parametrize("local", [
    "Islamic_State_(group)", "a/b", "ends.", "50%25", "a,b", "~tilde", "x?y=1", "a#b", "é", "Q-1"])
def test_turtle_falls_back_to_full_iris(local):
    """rdflib writes a prefixed name only when it is valid Turtle, else the full IRI."""
    g = Graph()
    bind_prefixes(g)
    g.bind("wiki", "https://en.wikipedia.org/wiki/")
    target = URIRef("https://en.wikipedia.org/wiki/" + local)
    g.add((entity_iri("Organization", "isis"), URIRef("http://www.w3.org/2002/07/owl#sameAs"), target))
    ttl = g.serialize(format="turtle")
    assert isomorphic(g, Graph().parse(data=ttl, format="turtle"))
    import pyoxigraph as ox

    s = ox.Store()
    s.load(ttl, ox.RdfFormat.TURTLE)
    assert len(s) == 1 and next(iter(s)).object.value == str(target)


@pytest.mark.parametrize("local", [
    "Islamic_State_(group)", "a/b", "ends.", "50%25", "a,b", "~tilde", "x?y=1", "a#b", "é", "Q-1", "-x", ".x"])
def test_own_turtle_writer_falls_back_to_full_iris(local):
    """kg's Turtle/TriG writer uses a prefixed name only for a safe local part, else the full IRI."""
    import pyoxigraph as ox

    g = Graph()
    target = URIRef("https://schema.org/" + local)
    g.add((entity_iri("Organization", "isis"), URIRef("http://www.w3.org/2002/07/owl#sameAs"), target))
    ttl = turtle(g)
    assert isomorphic(g, Graph().parse(data=ttl, format="turtle"))
    s = ox.Store()
    s.load(ttl, ox.RdfFormat.TURTLE)
    assert len(s) == 1 and next(iter(s)).object.value == str(target)


@settings(max_examples=25, deadline=None)
@given(names)
def test_sample_kb_with_any_extra_name_round_trips(name):
    kb = sample_kb(extra_name=name)
    g = to_graph(kb)
    assert isomorphic(g, Graph().parse(data=g.serialize(format="turtle"), format="turtle"))
    assert isomorphic(g, Graph().parse(data=turtle(g), format="turtle"))
    ds = to_dataset(kb)
    for text, fmt in ((trig(ds), "trig"), (nquads(ds), "nquads")):
        back = Dataset()
        back.parse(data=text, format=fmt)
        assert isomorphic(ds.default_graph, back.default_graph), fmt


def test_base_is_configurable():
    g = to_graph(sample_kb(), base="http://example.org/kg/")
    subjects = {str(s) for s in g.subjects()}
    assert all(s.startswith("http://example.org/kg/") for s in subjects)
    assert not any(str(o).startswith(DEFAULT_BASE) for o in g.objects())


# ---------------------------------------------------------------------------
# stability: adding an unrelated article changes no existing IRI


def _record(doc_id: str, text: str, mentions: list[tuple[str, str]], op: str | None = None) -> ArticleRecord:
    ms = []
    for surface, type_ in mentions:
        start = text.index(surface)
        ms.append(Mention(surface, type_, start, start + len(surface), 0, "test"))
    ops = ()
    if op:
        s = text.index(op)
        ops = (OperationMention(op, op, s, s + len(op), 0, actors=(0,), targets=(1,), places=(2,), killed=3, rule="test"),)
    a = Article(doc_id, f"{doc_id}.txt", f"Title {doc_id}", text, content_hash=doc_id * 4)
    return ArticleRecord(a, ((0, len(text)),), tuple(ms), (), ops, (), minhash=(), tokens=len(text.split()))


def _iris(kb) -> set[str]:
    g = to_graph(kb)
    return {str(t) for triple in g for t in triple if isinstance(t, URIRef) and not any(
        str(t).startswith(str(ns)) for ns in PREFIXES.values())}


def test_unrelated_article_keeps_iris():
    from kg.pipeline import assemble

    first = _record("aaaa1111", "The Counter-Terrorism Service raided an ISIS hideout in Kirkuk.",
                    [("Counter-Terrorism Service", "Organization"), ("ISIS", "Organization"), ("Kirkuk", "Location")],
                    op="raided")
    other = _record("bbbb2222", "The Federal Police arrested Hamas members in Gaza.",
                    [("Federal Police", "Organization"), ("Hamas", "Organization"), ("Gaza", "Location")],
                    op="arrested")
    before = _iris(assemble([first]))
    after = _iris(assemble([first, other]))
    assert before <= after, sorted(before - after)
    assert any(re.fullmatch(r"https://w3id\.org/kgnews/id/organization/([a-z-]+-)?counter-terrorism-service", i) for i in before)
    assert assemble([first]) == assemble([first])  # deterministic


@pytest.mark.parametrize("base", ["http://example.org/kg", "example.org/kg/", "http://ex ample.org/"])
def test_cli_rejects_a_bad_base(base, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    r = CliRunner().invoke(main, ["build", str(tmp_path), "-o", str(tmp_path / "out"), "--base", base])
    assert r.exit_code == 2 and "--base" in r.output
