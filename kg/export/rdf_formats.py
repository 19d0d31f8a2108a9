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
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path

from rdflib import BNode, Graph, URIRef  # Graph: doctests
from rdflib.namespace import RDF

from ..rdf import Table, nt_escape, nt_iri, nt_term
from ..vocab import ONTOLOGY_DIR, PREFIXES
from . import ExportContext, atomic_write

CONTEXT_PATH = ONTOLOGY_DIR / "context.jsonld"
__all__ = ["jsonld", "jsonld_document", "nquads", "nt_escape", "nt_term", "ntriples", "trig", "turtle"]


# ---------------------------------------------------------------------------
# N-Triples / N-Quads

# The writers work on the N-Triples text of each triple that :class:`kg.rdf.Table` keeps
# (``"<s> <p> o"``): subject and predicate never contain a space, so ``line.split(" ", 2)``
# takes a line apart again without parsing the object.


def _sorted_lines(t: Table) -> list[str]:
    """The merged graph's N-Triples lines, sorted (computed once per table)."""
    return t.memo("nt-sorted", lambda: sorted(t.lines))


def _terminated(lines: list[str], end: str, n: int = 4096):
    """Text chunks of ``n`` lines each, every line followed by ``end`` (one C-level join per chunk)."""
    for i in range(0, len(lines), n):
        yield end.join(lines[i:i + n]) + end


def ntriples_chunks(graph):
    """:func:`ntriples` in chunks of text (what ``graph.nt`` is streamed from)."""
    return _terminated(_sorted_lines(Table.of(graph)), " .\n")


def ntriples(graph) -> str:
    """The graph (a :class:`~kg.rdf.Table` or an rdflib graph) as N-Triples, lines sorted (deterministic)."""
    return "".join(ntriples_chunks(graph))


def _named_sorted(t: Table) -> list[tuple[str, list[str]]]:
    """Each named graph (in IRI order) with its N-Triples lines sorted (computed once per table:
    ``graph.nq`` and ``graph.trig`` are written by the same process)."""
    lines = t.lines
    return t.memo("named-sorted", lambda: [(name, sorted([lines[i] for i in idx])) for name, idx in t.named.items()])


def nquads_chunks(dataset):
    """:func:`nquads` in chunks of text (what ``graph.nq`` is streamed from)."""
    t = Table.of(dataset)
    yield from _terminated(_sorted_lines(t), " .\n")
    for name, lines in _named_sorted(t):
        yield from _terminated(lines, f" {nt_iri(name)} .\n")


def nquads(dataset) -> str:
    """The dataset as N-Quads: the default graph's triples (no graph term), then each named
    graph's in graph IRI order; lines sorted within each graph (deterministic)."""
    return "".join(nquads_chunks(dataset))


# ---------------------------------------------------------------------------
# Turtle / TriG


_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")  # a safe subset of Turtle's PN_LOCAL
_RDF_TYPE = nt_iri(RDF.type)


class _Terms(dict):
    """Turtle/TriG term writer: ``terms[nt]`` is the N-Triples term ``nt`` with a prefixed name where
    the local part is safe (an IRI, or a typed literal's datatype), computed once per distinct term."""

    def __init__(self, prefixes: dict[str, str]):
        super().__init__()
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.used: set[str] = set()

    def __missing__(self, nt: str) -> str:
        x = nt
        if nt[0] == "<":
            s = nt[1:-1]
            for p, ns in self.prefixes:
                if s.startswith(ns) and _PN_LOCAL.match(s[len(ns):]):
                    self.used.add(p)
                    x = f"{p}:{s[len(ns):]}"
                    break
        elif nt[0] == '"' and nt[-1] == ">":  # typed literal: shorten the datatype
            lex, dt = nt.rsplit("^^", 1)
            x = f"{lex}^^{self[dt]}"
        if len(nt) < 200:  # long literals (sentences) are rarely repeated: not kept
            self[nt] = x
        return x


def _turtle_block(lines: list[str], terms: _Terms, blocks: dict[str, tuple[int, str]] | None = None,
                  record: bool = False) -> str:
    """Sorted, distinct N-Triples lines (without `` .``) as Turtle statements: one block per
    subject, ``;`` between predicates (``a`` first), ``,`` between objects.

    Sorted lines keep each subject's lines together, and its predicates' (an IRI ends at ``>``,
    so no subject or predicate is a prefix of another), so one pass writes the blocks in order.

    ``blocks`` (subject → (number of lines, its block)) holds blocks already written from a
    superset of ``lines`` (the merged graph): a subject with as many lines here as there is that
    very block, taken as it is (a named graph holds all of most of its subjects' triples). With
    ``record``, this call's blocks are added to ``blocks``.
    """
    out = []
    term = terms.__getitem__
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        subject = line[:line.index(" ")]
        head = subject + " "
        j = i + 1
        while j < n and lines[j].startswith(head):
            j += 1
        if blocks is not None and not record:
            known = blocks.get(subject)
            if known is not None and known[0] == j - i:
                out.append(known[1])
                i = j
                continue
        preds: dict[str, list[str]] = {}
        for k in range(i, j):
            _, p, o = lines[k].split(" ", 2)
            objs = preds.get(p)
            if objs is None:
                preds[p] = [o]
            else:
                objs.append(o)
        # most predicates have one object: no list and join for them
        objs = preds.pop(_RDF_TYPE, None)
        parts = [] if objs is None else ["a " + (term(objs[0]) if len(objs) == 1 else ",\n        ".join(map(term, objs)))]
        for p, objs in preds.items():
            parts.append(term(p) + " " + (term(objs[0]) if len(objs) == 1 else ",\n        ".join(map(term, objs))))
        block = term(subject) + " " + " ;\n    ".join(parts) + " .\n"
        if record:
            blocks[subject] = (j - i, block)
        out.append(block)
        i = j
    return "\n".join(out)


def _default_block(t: Table) -> tuple[_Terms, str, dict[str, tuple[int, str]]]:
    """The merged graph as a Turtle block, shared by ``graph.ttl`` and the top of ``graph.trig``,
    with its term writer and each subject's block in it (for the named graphs, see
    :func:`_turtle_block`). Every triple of a named graph is also in the merged graph, so the
    named graphs use no prefix the merged graph did not: ``terms.used`` is final."""

    def make():
        terms = _Terms({p: str(ns) for p, ns in PREFIXES.items()})
        blocks: dict[str, tuple[int, str]] = {}
        return terms, _turtle_block(_sorted_lines(t), terms, blocks, record=True), blocks

    return t.memo("turtle-default", make)


def _head(terms: _Terms) -> str:
    """The ``@prefix`` lines of the prefixes used, then a blank line."""
    return "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in sorted(terms.used)) + "\n"


def turtle(graph) -> str:
    """The merged graph as Turtle: the project's prefixes, subjects, predicates and objects sorted.

    >>> from kg.examples import sample_kb
    >>> from kg.rdf import to_graph
    >>> from rdflib.compare import isomorphic
    >>> g = to_graph(sample_kb())
    >>> isomorphic(Graph().parse(data=turtle(g), format="turtle"), g)
    True
    """
    return "".join(turtle_chunks(graph))


def turtle_chunks(graph):
    """:func:`turtle` in chunks of text (what ``graph.ttl`` is streamed from): the prefixes, then
    the body, without joining the two."""
    terms, body, _ = _default_block(Table.of(graph))
    yield _head(terms)
    yield body


def trig(dataset) -> str:
    """The dataset as TriG: default graph at top level, then one ``<graph> { … }`` block per
    named graph in IRI order; subjects, predicates and objects sorted (deterministic).

    >>> from kg.examples import sample_kb
    >>> from kg.rdf import to_dataset
    >>> text = trig(to_dataset(sample_kb()))
    >>> text.count(" {\\n"), "@prefix kg: <https://w3id.org/kgnews/ontology#> ." in text
    (2, True)
    """
    return "".join(trig_chunks(dataset))


def trig_chunks(dataset):
    """:func:`trig` in chunks of text (what ``graph.trig`` is streamed from)."""
    t = Table.of(dataset)
    terms, body, blocks = _default_block(t)  # its prefixes cover the named graphs too (see _default_block)
    yield _head(terms)
    yield body
    for name, lines in _named_sorted(t):
        yield f"\n{nt_iri(name)} {{\n{_turtle_block(lines, terms, blocks)}}}\n"


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
        self._heads: dict[str, list[tuple[str, str]]] = {}
        self.terms: dict[str, tuple[str, str | None]] = {}
        for k, v in ctx.items():
            if k.startswith("@") or (isinstance(v, str) and v.endswith(("#", "/"))):
                continue
            iri, coerce = (v, None) if isinstance(v, str) else (v["@id"], v.get("@type"))
            self.terms.setdefault(_expand(ctx, iri), (k, _expand(ctx, coerce) if coerce and coerce != "@id" else coerce))

    def curie(self, iri: str) -> str:
        # Every namespace ends with / or #, so the ones an IRI starts with are the ones its head (up to
        # its last / or #) starts with: found once per head (a graph has few), not per IRI.
        head = iri[:max(iri.rfind("/"), iri.rfind("#")) + 1]
        cands = self._heads.get(head)
        if cands is None:
            cands = self._heads[head] = [(p, ns) for p, ns in self.prefixes if head.startswith(ns)]
        for p, ns in cands:
            if len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
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


def _sortkey(v) -> tuple:
    """Order of the values of one property: strings, then value objects by their members."""
    return (0, v, ()) if isinstance(v, str) else (1, "", tuple(sorted(v.items())))


def jsonld_document(graph, context: dict | None = None) -> dict:
    """Compact JSON-LD (a dict): the context embedded, one node per subject in ``@graph``, sorted.

    Properties with a term in the context use it (values coerced as the term says);
    others use ``prefix:local`` compact IRIs. No node is embedded in another, so the
    document expands to exactly the graph's triples.
    """
    ctx = load_context() if context is None else context
    return {"@context": ctx, "@graph": list(_jsonld_nodes(graph, ctx))}


def _jsonld_nodes(graph, ctx: dict) -> Iterator[dict]:
    """The nodes of :func:`jsonld_document`'s ``@graph``, one at a time."""
    c = _Compactor(ctx)
    rdf_type = RDF.type
    # Keyed by identity (the table's terms are shared objects, and ``by_s`` keeps them alive here;
    # rdflib's == is slow): per predicate (key, coercion, is rdf:type, that coercion's value cache),
    # and in the caches each object's JSON-LD value.
    keys: dict[int, tuple] = {}
    values: dict = {}
    by_s = Table.of(graph).by_subject()
    for s in sorted(by_s, key=lambda s: (isinstance(s, BNode), str(s))):
        node: dict = {"@id": c.curie(str(s)) if isinstance(s, URIRef) else f"_:{s}"}
        props: dict[str, list] = {}
        types = []
        for p, objs in by_s[s].items():
            k = keys.get(id(p))
            if k is None:
                key, coerce = c.key(str(p))
                k = keys[id(p)] = (key, coerce, p == rdf_type, values.setdefault(coerce, {}))
            key, coerce, is_type, cache = k
            if is_type:
                types.extend(c.vocab(str(t)) for t in objs if isinstance(t, URIRef))
                objs = [o for o in objs if not isinstance(o, URIRef)]
                if not objs:
                    continue
            vals = props.get(key)
            if vals is None:
                vals = props[key] = []
            for o in objs:
                v = cache.get(id(o))
                if v is None:
                    v = cache[id(o)] = c.value(o, coerce)
                vals.append(v)
        if types:
            types = sorted(set(types))
            node["@type"] = types[0] if len(types) == 1 else types
        for key in sorted(props):
            vals = props[key]
            node[key] = vals[0] if len(vals) == 1 else sorted(vals, key=_sortkey)
        yield node


def jsonld(graph, context: dict | None = None) -> str:
    """:func:`jsonld_document` as UTF-8 JSON text: the context indented, then one node a line.

    (Indented output would make ``json`` fall back from its C encoder to pure Python,
    several times slower on large graphs.)

    >>> from kg.examples import sample_kb
    >>> from kg.rdf import to_graph
    >>> g = to_graph(sample_kb())
    >>> json.loads(jsonld(g)) == jsonld_document(g)
    True
    """
    return "".join(jsonld_chunks(graph, context))


def jsonld_chunks(graph, context: dict | None = None, batch: int = 2000) -> Iterator[str]:
    """:func:`jsonld` in chunks of text, ``batch`` nodes each (what ``graph.jsonld`` is streamed
    from: no node is kept once written)."""
    ctx = load_context() if context is None else context
    head = json.dumps({"@context": ctx}, indent=2, ensure_ascii=False)
    yield f"{head[:-2]},\n  \"@graph\": ["
    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=False, separators=(", ", ": ")).encode
    sep = "\n    "
    nodes = _jsonld_nodes(graph, ctx)
    while some := ",\n    ".join(map(dumps, islice(nodes, batch))):
        yield sep + some
        sep = ",\n    "
    yield ("" if sep == "\n    " else "\n  ") + "]\n}\n"


# ---------------------------------------------------------------------------
# Writers (registered in kg.export.FORMATS)


def write_turtle(ctx: ExportContext, out: Path) -> list[Path]:
    return [atomic_write(out / "graph.ttl", turtle_chunks(ctx.table))]


def write_nt(ctx: ExportContext, out: Path) -> list[Path]:
    return [atomic_write(out / "graph.nt", ntriples_chunks(ctx.table))]


def write_nquads(ctx: ExportContext, out: Path) -> list[Path]:
    return [atomic_write(out / "graph.nq", nquads_chunks(ctx.table))]


def write_trig(ctx: ExportContext, out: Path) -> list[Path]:
    return [atomic_write(out / "graph.trig", trig_chunks(ctx.table))]


def write_jsonld(ctx: ExportContext, out: Path) -> list[Path]:
    return [atomic_write(out / "graph.jsonld", jsonld_chunks(ctx.table))]
