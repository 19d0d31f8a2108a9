"""The one module that owns IRIs and vocabulary terms.

``KG`` mirrors ``ontology/kg.ttl`` (a test keeps them in step). Every other
module builds IRIs through the functions here, never by string formatting.

Examples
--------
>>> str(KG.Operation)
'https://w3id.org/kgnews/ontology#Operation'
>>> slug("Counter-Terrorism Service (CTS)")
'counter-terrorism-service-cts'
>>> str(entity_iri("Organization", "counter-terrorism-service"))
'https://w3id.org/kgnews/id/organization/counter-terrorism-service'
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from anyascii import anyascii
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/kgnews/ontology"
DEFAULT_BASE = "https://w3id.org/kgnews/id/"
#: Folder of the published ontology files (kg.ttl, shapes.ttl, context.jsonld, queries/).
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"


class KG(DefinedNamespace):
    """The kg ontology (``ontology/kg.ttl``)."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # classes
    Organization: URIRef
    Location: URIRef
    Official: URIRef
    Person: URIRef
    Operation: URIRef
    Document: URIRef
    Quote: URIRef
    Evidence: URIRef
    # relations
    conductedBy: URIRef
    targeted: URIRef
    locatedIn: URIRef
    partOf: URIRef
    memberOf: URIRef
    speaker: URIRef
    mentionedIn: URIRef
    evidence: URIRef
    document: URIRef
    duplicateOf: URIRef
    # attributes
    date: URIRef
    killed: URIRef
    injured: URIRef
    arrested: URIRef
    kind: URIRef
    note: URIRef
    seized: URIRef
    title: URIRef
    rank: URIRef
    descriptor: URIRef
    text: URIRef
    sourceFile: URIRef
    contentHash: URIRef
    sentence: URIRef
    rule: URIRef
    confidence: URIRef
    gazetteerId: URIRef


SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
ORG = Namespace("http://www.w3.org/ns/org#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

#: Every prefix bound in every RDF output.
PREFIXES = {
    "kg": KG._NS,
    "rdf": RDF._NS,
    "rdfs": RDFS._NS,
    "xsd": XSD._NS,
    "owl": OWL._NS,
    "skos": SKOS._NS,
    "dcterms": DCTERMS._NS,
    "prov": PROV._NS,
    "schema": SCHEMA,
    "sem": SEM,
    "org": ORG,
    "nif": NIF,
    "geo": GEO,
}

#: Path segment per resource kind.
PATHS = {
    "Organization": "organization",
    "Location": "location",
    "Official": "person",
    "Person": "person",
    "Operation": "operation",
    "Document": "document",
    "Quote": "quote",
    "Evidence": "evidence",
    "Membership": "membership",
}

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 64


def bind_prefixes(graph, base: str = DEFAULT_BASE) -> None:
    """Bind every project prefix (and ``id:`` for the resource base) on ``graph``."""
    for p, ns in PREFIXES.items():
        graph.bind(p, ns, override=True, replace=True)


def digest(*parts: object, n: int = 16) -> str:
    """Stable short hex digest of ``parts``.

    >>> digest("a", 1) == digest("a", 1) != digest("a", 2)
    True
    """
    h = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()
    return h[:n]


def slug(name: str) -> str:
    """Readable ASCII slug of ``name``; never empty, always a valid IRI segment.

    Names in other scripts are transliterated (emoji by their names); names
    with nothing transliterable (punctuation only) get a hash.

    >>> slug("Na'im al-Ka'oud")
    'naim-al-kaoud'
    >>> slug("داعش")
    'd-sh'
    >>> slug("🔥")
    'fire'
    >>> slug("—")[:2]
    'x-'
    """
    s = anyascii(name).lower().replace("'", "").replace("’", "")
    s = _NON_ALNUM.sub("-", s).strip("-")
    if not s:
        return "x-" + digest(name, n=12)
    if len(s) > MAX_SLUG:
        s = s[:MAX_SLUG].rstrip("-") + "-" + digest(name, n=8)
    return s


def _iri(base: str, kind: str, key: str) -> URIRef:
    return URIRef(f"{base}{PATHS[kind]}/{key}")


def entity_iri(type_: str, key: str, base: str = DEFAULT_BASE) -> URIRef:
    return _iri(base, type_, key)


def document_iri(doc_id: str, base: str = DEFAULT_BASE) -> URIRef:
    return _iri(base, "Document", doc_id)


def operation_iri(key: str, base: str = DEFAULT_BASE) -> URIRef:
    return _iri(base, "Operation", key)


def quote_iri(key: str, base: str = DEFAULT_BASE) -> URIRef:
    return _iri(base, "Quote", key)


def membership_iri(key: str, base: str = DEFAULT_BASE) -> URIRef:
    return _iri(base, "Membership", key)


def evidence_iri(owner_key: str, doc_id: str, start: int, end: int, base: str = DEFAULT_BASE) -> URIRef:
    return _iri(base, "Evidence", digest(owner_key, doc_id, start, end))


def named_graph_iri(doc_id: str, base: str = DEFAULT_BASE) -> URIRef:
    """The named graph holding one document's facts (TriG/N-Quads)."""
    return URIRef(f"{base}graph/{doc_id}")


def file_iri(source_file: str, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of an input file, the end of each document's ``prov:wasDerivedFrom`` chain."""
    return URIRef(f"{base}file/{digest(source_file)}")
