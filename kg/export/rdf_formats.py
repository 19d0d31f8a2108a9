"""RDF exports beside ``graph.ttl``: N-Triples, TriG, N-Quads and JSON-LD.

Every writer is deterministic (same graph, same bytes, whatever the hash seed
or the order triples were added in) and its output parses back isomorphic to
the in-memory graph / dataset (``tests/export/test_rdf_roundtrip.py``).

- ``graph.nt`` — N-Triples, one triple a line, lines sorted.
- ``graph.nq`` — N-Quads of the dataset: the merged default graph, then each
  document's facts in the named graph ``<base>graph/<doc-id>``; lines sorted.
- ``graph.trig`` — the same dataset as TriG: the default graph at top level,
  then one ``<graph> { … }`` block per document in IRI order.
- ``graph.jsonld`` — compact JSON-LD of the merged graph using the published
  context ``ontology/context.jsonld`` (embedded, so the file loads offline).

The pure functions (:func:`ntriples`, :func:`nquads`, :func:`trig`,
:func:`jsonld`) return text; the ``write_*`` wrappers are the registered writers.

Examples
--------
>>> from kg.examples import sample_kb
>>> from kg.rdf import to_graph
>>> g = to_graph(sample_kb())
>>> lines = ntriples(g).splitlines()
>>> len(lines) == len(g) and lines == sorted(lines)
True
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from ..rdf import dataset_from_graph, to_dataset
from ..vocab import ONTOLOGY_DIR, PREFIXES
from . import ExportContext, atomic_write

CONTEXT_PATH = ONTOLOGY_DIR / "context.jsonld"
_BAD_IRI_CHARS = set('<>"{}|^`\\ ') | {chr(c) for c in range(0x21)}


# ---------------------------------------------------------------------------
# N-Triples / N-Quads


def _iri(t: URIRef) -> str:
    s = str(t)
    if not s or any(c in _BAD_IRI_CHARS for c in s):
        raise ValueError(f"not a valid IRI for N-Triples: {s!r}")
    return f"<{s}>"


def _escape(s: str) -> str:
    out = []
    for c in s:
        o = ord(c)
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\u{o:04X}")
        else:
            out.append(c)
    return "".join(out)


def nt_term(t) -> str:
    """One RDF term in N-Triples syntax (control characters escaped, UTF-8 otherwise).

    >>> nt_term(Literal('say "hi"\\n'))
    '"say \\\\"hi\\\\"\\\\n"'
    >>> nt_term(Literal(3))
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    if isinstance(t, URIRef):
        return _iri(t)
    if isinstance(t, BNode):
        return f"_:{t}"
    if isinstance(t, Literal):
        q = f'"{_escape(str(t))}"'
        if t.language:
            return f"{q}@{t.language}"
        if t.datatype:
            return f"{q}^^{_iri(t.datatype)}"
        return q
    raise TypeError(f"not an RDF term: {t!r}")


def ntriples(graph: Graph) -> str:
    """The graph as N-Triples, lines sorted (deterministic)."""
    lines = sorted({f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in graph})
    return "".join(lines)


def _named(ds: Dataset) -> list[Graph]:
    return sorted((g for g in ds.graphs() if isinstance(g.identifier, URIRef) and g.identifier != ds.default_graph.identifier),
                  key=lambda g: str(g.identifier))


def nquads(ds: Dataset) -> str:
    """The dataset as N-Quads (default graph triples without a graph term), lines sorted."""
    lines = {f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in ds.default_graph}
    for g in _named(ds):
        name = nt_term(g.identifier)
        lines.update(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {name} .\n" for s, p, o in g)
    return "".join(sorted(lines))


# ---------------------------------------------------------------------------
# TriG


_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")  # a safe subset of Turtle's PN_LOCAL


class _Terms:
    """Turtle/TriG term writer: prefixed names where the local part is safe, else full IRIs."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.used: set[str] = set()

    def iri(self, t: URIRef) -> str:
        s = str(t)
        for p, ns in self.prefixes:
            if s.startswith(ns) and _PN_LOCAL.match(s[len(ns):]):
                self.used.add(p)
                return f"{p}:{s[len(ns):]}"
        return _iri(t)

    def term(self, t) -> str:
        if isinstance(t, URIRef):
            return self.iri(t)
        if isinstance(t, Literal) and t.datatype is not None and not t.language:
            return f'"{_escape(str(t))}"^^{self.iri(t.datatype)}'
        return nt_term(t)


def _okey(o) -> tuple:
    return (0 if isinstance(o, URIRef) else 1 if isinstance(o, BNode) else 2, str(o),
            str(getattr(o, "datatype", None) or ""), getattr(o, "language", None) or "")


def _turtle_block(triples, terms: _Terms) -> str:
    """Triples as sorted Turtle statements (subject blocks, ``;`` and ``,`` lists)."""
    by_s: dict = {}
    for s, p, o in triples:
        by_s.setdefault(s, {}).setdefault(p, []).append(o)
    out = []
    for s in sorted(by_s, key=lambda s: (isinstance(s, BNode), str(s))):
        preds = sorted(by_s[s], key=lambda p: (p != RDF.type, str(p)))
        lines = []
        for p in preds:
            verb = "a" if p == RDF.type else terms.iri(p)
            objs = ",\n        ".join(terms.term(o) for o in sorted(by_s[s][p], key=_okey))
            lines.append(f"{verb} {objs}")
        out.append(f"{terms.term(s)} " + " ;\n    ".join(lines) + " .\n")
    return "\n".join(out)


def trig(ds: Dataset) -> str:
    """The dataset as TriG: default graph at top level, then one ``<graph> { … }`` block per
    named graph in IRI order; subjects, predicates and objects sorted (deterministic).

    >>> from kg.examples import sample_kb
    >>> from kg.rdf import to_dataset
    >>> text = trig(to_dataset(sample_kb()))
    >>> text.count(" {\\n"), "@prefix kg: <https://w3id.org/kgnews/ontology#> ." in text
    (2, True)
    """
    terms = _Terms({p: str(ns) for p, ns in PREFIXES.items()})
    blocks = []
    body = _turtle_block(ds.default_graph, terms)
    if body:
        blocks.append(body)
    for g in _named(ds):
        blocks.append(f"{_iri(g.identifier)} {{\n{_turtle_block(g, terms)}}}\n")
    head = "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in sorted(terms.used))
    return head + "\n" + "\n".join(blocks)


# ---------------------------------------------------------------------------
# JSON-LD


@lru_cache(maxsize=2)
def load_context(path: str | Path = CONTEXT_PATH) -> dict:
    """The published JSON-LD context (the value of its ``@context``)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))["@context"]


def _expand(ctx: dict, value: str) -> str:
    if ":" in value:
        p, local = value.split(":", 1)
        if p in ctx and isinstance(ctx[p], str):
            return ctx[p] + local
    return value


class _Compactor:
    """Reverse lookup of the context: IRI → term / compact IRI, property → (key, coercion)."""

    def __init__(self, ctx: dict):
        self.prefixes = sorted(((k, v) for k, v in ctx.items() if isinstance(v, str) and v.endswith(("#", "/"))),
                               key=lambda kv: -len(kv[1]))
        self.terms: dict[str, tuple[str, str | None]] = {}
        for k, v in ctx.items():
            if k.startswith("@") or (isinstance(v, str) and v.endswith(("#", "/"))):
                continue
            iri, coerce = (v, None) if isinstance(v, str) else (v["@id"], v.get("@type"))
            self.terms.setdefault(_expand(ctx, iri), (k, _expand(ctx, coerce) if coerce and coerce != "@id" else coerce))

    def curie(self, iri: str) -> str:
        for p, ns in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{p}:{iri[len(ns):]}"
        return iri

    def vocab(self, iri: str) -> str:
        """A class or property IRI: its term when the context defines one with no coercion, else a CURIE."""
        t = self.terms.get(iri)
        return t[0] if t and t[1] is None else self.curie(iri)

    def key(self, iri: str) -> tuple[str, str | None]:
        return self.terms.get(iri) or (self.curie(iri), None)

    def value(self, o, coerce: str | None):
        if isinstance(o, URIRef):
            return self.curie(str(o)) if coerce == "@id" else {"@id": self.curie(str(o))}
        if isinstance(o, BNode):
            return f"_:{o}" if coerce == "@id" else {"@id": f"_:{o}"}
        if o.language:
            return {"@value": str(o), "@language": o.language}
        if o.datatype is None:
            return str(o) if coerce is None else {"@value": str(o)}
        if coerce is not None and str(o.datatype) == coerce:
            return str(o)
        return {"@value": str(o), "@type": self.curie(str(o.datatype))}


def _sortkey(v) -> str:
    return json.dumps(v, sort_keys=True, ensure_ascii=False)


def jsonld_document(graph: Graph, context: dict | None = None) -> dict:
    """Compact JSON-LD (a dict): the context embedded, one node per subject in ``@graph``, sorted.

    Properties with a term in the context use it (values coerced as the term says);
    others use ``prefix:local`` compact IRIs. No node is embedded in another, so the
    document expands to exactly the graph's triples.
    """
    ctx = load_context() if context is None else context
    c = _Compactor(ctx)
    nodes = []
    subjects = {s for s in graph.subjects()}
    for s in sorted(subjects, key=lambda s: (isinstance(s, BNode), str(s))):
        node: dict = {"@id": c.curie(str(s)) if isinstance(s, URIRef) else f"_:{s}"}
        types = sorted(c.vocab(str(t)) for t in graph.objects(s, RDF.type) if isinstance(t, URIRef))
        if types:
            node["@type"] = types[0] if len(types) == 1 else types
        props: dict[str, list] = {}
        for p, o in graph.predicate_objects(s):
            if p == RDF.type and isinstance(o, URIRef):
                continue
            key, coerce = c.key(str(p))
            props.setdefault(key, []).append(c.value(o, coerce))
        for key in sorted(props):
            vals = sorted(props[key], key=_sortkey)
            node[key] = vals[0] if len(vals) == 1 else vals
        nodes.append(node)
    return {"@context": ctx, "@graph": nodes}


def jsonld(graph: Graph, context: dict | None = None) -> str:
    """:func:`jsonld_document` as indented UTF-8 JSON text."""
    return json.dumps(jsonld_document(graph, context), indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------
# Writers (registered in kg.export.FORMATS)


def dataset(ctx: ExportContext) -> Dataset:
    """The per-document dataset of this export run: from the knowledge base when the
    build has one, else recovered from the graph (``kg export`` of an existing folder)."""

    def make() -> Dataset:
        if ctx.kb is not None and ctx.kb.documents:
            return to_dataset(ctx.kb, ctx.base)
        return dataset_from_graph(ctx.graph)

    return ctx.cached("dataset", make)


def write_nt(ctx: ExportContext, out: Path) -> list[Path]:
    return [atomic_write(out / "graph.nt", ntriples(ctx.graph))]


def write_nquads(ctx: ExportContext, out: Path) -> list[Path]:
    return [atomic_write(out / "graph.nq", nquads(dataset(ctx)))]


def write_trig(ctx: ExportContext, out: Path) -> list[Path]:
    return [atomic_write(out / "graph.trig", trig(dataset(ctx)))]


def write_jsonld(ctx: ExportContext, out: Path) -> list[Path]:
    return [atomic_write(out / "graph.jsonld", jsonld(ctx.graph))]
