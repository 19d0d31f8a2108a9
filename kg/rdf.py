"""KnowledgeBase → RDF.

:func:`iter_triples` is a pure generator of ``(triple, docs)`` pairs: each
triple with the ids of the documents that support it (empty for corpus-level
triples such as class membership of a merged entity). :func:`to_graph` puts
them all into one rdflib ``Graph`` (the merged default graph);
:func:`to_dataset` additionally files each document's facts into a named graph
of its own (NewsReader/PIKES style) for TriG / N-Quads.

Evidence model (documented in the README): each fact has ``kg:evidence`` nodes
``a kg:Evidence`` with ``kg:document``, NIF offsets ``nif:beginIndex`` /
``nif:endIndex`` into the document's cleaned text, ``nif:anchorOf`` (the
surface text), ``kg:sentence``, ``kg:rule`` and ``kg:confidence``.

Examples
--------
>>> from kg.model import Article, Document, KnowledgeBase
>>> kb = KnowledgeBase(documents=(Document(Article("d1", "a.txt", "Title", "Body.")),))
>>> g = to_graph(kb)
>>> (None, KG.sourceFile, Literal("a.txt")) in g
True
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .model import Evidence, KnowledgeBase
from .vocab import (
    DEFAULT_BASE,
    GEO,
    KG,
    NIF,
    ORG,
    SCHEMA,
    bind_prefixes,
    document_iri,
    evidence_iri,
    file_iri,
    membership_iri,
    named_graph_iri,
    operation_iri,
    quote_iri,
)

DATE_TYPES = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gMonthDay": XSD.gMonthDay, "gYear": XSD.gYear}

Triple = tuple[URIRef, URIRef, object]

_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if c not in _ESCAPES})


def nt_iri(s: str) -> str:
    """An IRI in N-Triples syntax; refuses what no N-Triples parser would read back.

    >>> nt_iri("http://example.org/a")
    '<http://example.org/a>'
    """
    if not s or _BAD_IRI_CHARS.search(s):
        raise ValueError(f"not a valid IRI for N-Triples: {s!r}")
    return f"<{s}>"


def nt_escape(s: str) -> str:
    """A literal's lexical form escaped for N-Triples / Turtle strings (UTF-8 kept).

    >>> nt_escape('say "hi"\\n')
    'say \\\\"hi\\\\"\\\\n'
    """
    return s.translate(_ESCAPES) if _NEEDS_ESCAPE.search(s) else s


_DATATYPES = {dt: f"<{dt}>" for dt in (XSD.integer, XSD.nonNegativeInteger, XSD.decimal, XSD.date, XSD.gYear,
                                       XSD.gYearMonth, XSD.gMonthDay, XSD.anyURI, XSD.string, XSD.boolean)}


def nt_term(t) -> str:
    """One RDF term in N-Triples syntax (control characters escaped, UTF-8 otherwise).

    >>> nt_term(Literal('say "hi"\\n'))
    '"say \\\\"hi\\\\"\\\\n"'
    >>> nt_term(Literal(3))
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    if isinstance(t, URIRef):
        return nt_iri(t)
    if isinstance(t, Literal):
        q = f'"{nt_escape(str(t))}"'
        if t.language:
            return f"{q}@{t.language}"
        dt = t.datatype
        if dt:
            x = _DATATYPES.get(dt)
            return f"{q}^^{x if x is not None else nt_iri(dt)}"
        return q
    if isinstance(t, BNode):
        return f"_:{t}"
    raise TypeError(f"not an RDF term: {t!r}")


def decimal(x: float, places: int) -> Literal:
    """An ``xsd:decimal`` literal of ``x`` rounded to ``places``, in canonical decimal notation.

    A float would give lexical forms like ``1e-05`` (not a valid xsd:decimal) and a
    value of the wrong Python type for validators; this gives ``0.00001``.

    >>> decimal(1e-05, 5)
    rdflib.term.Literal('0.00001', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    >>> str(decimal(1, 3)), str(decimal(-44.392221, 5))
    ('1.0', '-44.39222')
    """
    s = f"{x:.{places}f}".rstrip("0")
    s = s + "0" if s.endswith(".") else s
    return Literal("0.0" if s in ("-0.0", "-0") else s, datatype=XSD.decimal)


# Namespace attribute look-ups are slow (``DefinedNamespace.__getattr__``): the hot ones, once.
_EVIDENCE, _EVIDENCE_CLASS, _DOCUMENT, _SENTENCE, _RULE, _CONFIDENCE = (
    KG.evidence, KG.Evidence, KG.document, KG.sentence, KG.rule, KG.confidence)
_BEGIN, _END, _ANCHOR, _TYPE, _NNI = NIF.beginIndex, NIF.endIndex, NIF.anchorOf, RDF.type, XSD.nonNegativeInteger
_MENTIONED_IN = KG.mentionedIn


class _Literals(dict):
    """Literal objects of one :func:`iter_triples` call, made once per distinct key.

    Evidence repeats the same values (rules, confidences, offsets, a sentence for each
    mention in it): rdflib's ``Literal()`` costs microseconds, a dict hit nanoseconds, and
    :class:`Table` formats an object it has seen before only once.
    """

    __slots__ = ("make",)

    def __init__(self, make: Callable):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        v = self[key] = self.make(key)
        return v


def _literal_caches() -> tuple[_Literals, _Literals, _Literals]:
    """(plain string, ``xsd:nonNegativeInteger``, confidence ``xsd:decimal``) literal caches."""
    return (_Literals(Literal), _Literals(lambda n: Literal(n, datatype=_NNI)),
            _Literals(lambda x: decimal(x, 3)))


def _evidence(owner: URIRef, owner_key: str, evs: tuple[Evidence, ...], base: str,
              doc_iri: Callable[[str], URIRef], lits: tuple[_Literals, _Literals, _Literals],
              ) -> Iterator[tuple[Triple, tuple[str, ...]]]:
    plain, nni, conf = lits
    for ev in evs:
        e = evidence_iri(owner_key, ev.doc, ev.start, ev.end, base)
        d = (ev.doc,)
        yield (owner, _EVIDENCE, e), d
        yield (e, _TYPE, _EVIDENCE_CLASS), d
        yield (e, _DOCUMENT, doc_iri(ev.doc)), d
        yield (e, _BEGIN, nni[ev.start]), d
        yield (e, _END, nni[ev.end]), d
        yield (e, _ANCHOR, plain[ev.text]), d
        if ev.sentence:
            yield (e, _SENTENCE, plain[ev.sentence]), d
        yield (e, _RULE, plain[ev.rule]), d
        yield (e, _CONFIDENCE, conf[ev.confidence]), d


def _mentioned(node: URIRef, docs: tuple[str, ...], doc_iri: Callable[[str], URIRef]):
    for d in docs:
        yield (node, _MENTIONED_IN, doc_iri(d)), (d,)


def iter_triples(kb: KnowledgeBase, base: str = DEFAULT_BASE) -> Iterator[tuple[Triple, tuple[str, ...]]]:
    """Every triple of the graph with the documents supporting it."""
    none: tuple[str, ...] = ()
    ref = lambda r: URIRef(base + r)  # noqa: E731 - entity refs are IRI tails
    doc_iri = lru_cache(maxsize=None)(partial(document_iri, base=base))  # each document's IRI made once
    lits = _literal_caches()
    for doc in kb.documents:
        a = doc.article
        d = doc_iri(a.id)
        own = (a.id,)
        yield (d, RDF.type, KG.Document), own
        yield (d, RDFS.label, Literal(a.title or a.source_file)), own
        yield (d, DCTERMS.title, Literal(a.title)), own
        yield (d, KG.sourceFile, Literal(a.source_file)), own
        yield (d, DCTERMS.identifier, Literal(a.id)), own
        if a.content_hash:
            yield (d, KG.contentHash, Literal(a.content_hash)), own
        if a.date:
            yield (d, DCTERMS.date, Literal(a.date, datatype=XSD.date)), own
        if a.byline:
            yield (d, DCTERMS.creator, Literal(a.byline)), own
        if a.outlet:
            yield (d, DCTERMS.publisher, Literal(a.outlet)), own
        if a.url:
            yield (d, SCHEMA.url, Literal(a.url, datatype=XSD.anyURI)), own
        f = file_iri(a.source_file, base)
        yield (d, PROV.wasDerivedFrom, f), own
        yield (f, RDF.type, PROV.Entity), own
        yield (f, RDFS.label, Literal(a.source_file)), own
        if doc.duplicate_of:
            yield (d, KG.duplicateOf, doc_iri(doc.duplicate_of)), own

    for e in kb.entities:
        n = ref(e.ref)
        yield (n, RDF.type, KG[e.type]), none
        yield (n, RDFS.label, Literal(e.label)), none
        for alt in e.alt_labels:
            yield (n, SKOS.altLabel, Literal(alt)), none
        yield from _mentioned(n, e.docs, doc_iri)
        for t in e.titles:
            yield (n, KG.title, Literal(t)), none
        for r in e.ranks:
            yield (n, KG.rank, Literal(r)), none
        for o in e.member_of:
            yield (n, KG.memberOf, ref(o)), none
        if e.descriptor:
            yield (n, KG.descriptor, Literal(e.descriptor)), none
        for p in e.part_of:
            yield (n, KG.partOf, ref(p)), none
        if e.gid:
            yield (n, KG.gazetteerId, Literal(e.gid)), none
        for s in e.same_as:
            yield (n, OWL.sameAs, URIRef(s)), none
        if e.lat is not None and e.lon is not None:
            yield (n, GEO.lat, decimal(e.lat, 5)), none
            yield (n, GEO.long, decimal(e.lon, 5)), none
        yield from _evidence(n, e.ref, e.evidence, base, doc_iri, lits)

    for m in kb.memberships:
        n = membership_iri(m.key, base)
        yield (n, RDF.type, ORG.Membership), none
        label = f"{m.title or 'member'} of {m.org.split('/', 1)[-1]}"
        yield (n, RDFS.label, Literal(label)), none
        yield (n, ORG.member, ref(m.person)), none
        yield (n, ORG.organization, ref(m.org)), none
        yield (ref(m.person), KG.memberOf, ref(m.org)), m.docs
        if m.title:
            yield (n, KG.title, Literal(m.title)), none
        if m.rank:
            yield (n, KG.rank, Literal(m.rank)), none
        yield from _mentioned(n, m.docs, doc_iri)
        yield from _evidence(n, m.key, m.evidence, base, doc_iri, lits)

    for o in kb.operations:
        n = operation_iri(o.key, base)
        docs = o.docs
        yield (n, RDF.type, KG.Operation), docs
        yield (n, RDFS.label, Literal(o.label)), docs
        yield (n, KG.kind, Literal(o.kind)), docs
        for p, refs in ((KG.conductedBy, o.conducted_by), (KG.targeted, o.targeted), (KG.locatedIn, o.located_in)):
            for r in refs:
                yield (n, p, ref(r)), docs
        if o.date:
            yield (n, KG.date, Literal(o.date, datatype=DATE_TYPES.get(o.date_type or "date", XSD.date))), docs
        for p, v in ((KG.killed, o.killed), (KG.injured, o.injured), (KG.arrested, o.arrested)):
            if v is not None:
                yield (n, p, Literal(v, datatype=XSD.integer)), docs
        for note in o.notes:
            yield (n, KG.note, Literal(note)), docs
        for s in o.seized:
            yield (n, KG.seized, Literal(s)), docs
        yield from _mentioned(n, docs, doc_iri)
        yield from _evidence(n, o.key, o.evidence, base, doc_iri, lits)

    for q in kb.quotes:
        n = quote_iri(q.key, base)
        docs = q.docs
        yield (n, RDF.type, KG.Quote), docs
        short = q.text if len(q.text) <= 80 else q.text[:77].rstrip() + "…"
        yield (n, RDFS.label, Literal(f"“{short}”")), docs
        yield (n, KG.text, Literal(q.text)), docs
        if q.speaker:
            yield (n, KG.speaker, ref(q.speaker)), docs
        yield from _mentioned(n, docs, doc_iri)
        yield from _evidence(n, q.key, q.evidence, base, doc_iri, lits)


def to_graph(kb: KnowledgeBase, base: str = DEFAULT_BASE) -> Graph:
    """The merged graph of the whole corpus, every prefix bound."""
    g = Graph()
    bind_prefixes(g, base)
    g.addN((s, p, o, g) for (s, p, o), _ in iter_triples(kb, base))
    return g


def to_dataset(kb: KnowledgeBase, base: str = DEFAULT_BASE) -> Dataset:
    """Default graph = the merged graph; one named graph per document with the facts it supports."""
    ds = Dataset()
    bind_prefixes(ds, base)
    default = ds.default_graph
    graphs: dict[str, Graph] = {}
    for (s, p, o), docs in iter_triples(kb, base):
        default.add((s, p, o))
        for d in docs:
            g = graphs.get(d)
            if g is None:
                g = graphs[d] = ds.graph(named_graph_iri(d, base))
            g.add((s, p, o))
    return ds


class Table:
    """A build's RDF as plain Python lists: the merged graph and each named graph.

    What the exports, the analysis and the build's SHACL check read. It is built
    straight from :func:`iter_triples` without an rdflib store (which costs several
    times more time and memory on large corpora), keeps each distinct triple once
    (with its N-Triples text, from which ``graph.nt`` / ``graph.nq`` are written),
    and answers the two graph-API questions the analysis asks (:meth:`subjects`,
    :meth:`subject_objects`); the SHACL check reads :meth:`by_subject`.

    >>> from kg.examples import sample_kb
    >>> t = Table.from_kb(sample_kb())
    >>> len(t) == len(to_graph(sample_kb())), len(t.named)
    (True, 2)
    >>> from rdflib.compare import isomorphic
    >>> isomorphic(t.graph(), to_graph(sample_kb()))
    True
    """

    __slots__ = ("triples", "lines", "named", "_by_p", "_by_s", "_memo")

    def __init__(self, rows: Iterable[tuple[Triple, Iterable]], graph_iri: Callable | None = None):
        """``rows``: each triple with the named graphs it is in; with ``graph_iri``, the rows name
        them by keys (document ids) that ``graph_iri`` turns into graph IRIs, once per key."""
        seen: dict[str, int] = {}
        triples: list[Triple] = []
        named: dict[URIRef, dict[int, None]] = {}
        # Term objects repeat (predicates, classes, a node across its triples): format each
        # object once. Keyed by identity (rdflib's own __hash__ is slow); the entry holds the
        # term, so its id cannot be reused by another object while the table is built.
        # Equal terms made apart become one object (the first one, found by its N-Triples text):
        # the table's dicts are then hit by identity, without rdflib's slow __eq__.
        done: dict[int, tuple] = {}
        canonical: dict[str, object] = {}

        def term(t) -> tuple:  # a term object not seen before
            nt = nt_term(t)
            x = done[id(t)] = (t, nt, canonical.setdefault(nt, t))
            return x

        known = done.get  # the common case inline: a term object seen before
        for (s, p, o), graphs in rows:
            _, ns, s = known(id(s)) or term(s)
            _, np, p = known(id(p)) or term(p)
            _, no, o = known(id(o)) or term(o)
            line = f"{ns} {np} {no}"
            i = seen.get(line)
            if i is None:
                i = seen[line] = len(triples)
                triples.append((s, p, o))
            for g in graphs:
                gi = named.get(g)
                if gi is None:
                    gi = named[g] = {}
                gi[i] = None
        self.triples = triples
        #: N-Triples text of each triple (without the final `` .``), in the order of :attr:`triples`
        self.lines = list(seen)
        #: named graph IRI → indexes into :attr:`triples`, graphs in IRI order
        if graph_iri is not None:
            named = {graph_iri(k): idx for k, idx in named.items()}
        self.named = {g: list(named[g]) for g in sorted(named, key=str)}
        self._by_p: dict | None = None
        self._by_s: dict | None = None
        self._memo: dict = {}

    def memo(self, key: str, make):
        """A value derived from this (read-only) table, computed once: e.g. sorted lines, a Turtle block."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def release(self, keep) -> None:
        """Drop what :meth:`memo`, :meth:`by_subject` and :meth:`by_predicate` keep, except the
        names in ``keep`` (a memo key, or the first item of a tuple key; ``"by_subject"``,
        ``"by_predicate"``). Dropped values are made again if asked for: this only frees memory
        for what comes next.

        >>> from kg.examples import sample_kb
        >>> t = Table.from_kb(sample_kb())
        >>> _ = t.memo("a", list), t.memo(("b", 1), list), t.by_subject()
        >>> t.release({"b"})
        >>> sorted(map(str, t._memo)), t._by_s is None
        (["('b', 1)"], True)
        """
        self._memo = {k: v for k, v in self._memo.items() if (k[0] if isinstance(k, tuple) else k) in keep}
        if "by_subject" not in keep:
            self._by_s = None
        if "by_predicate" not in keep:
            self._by_p = None

    @classmethod
    def from_kb(cls, kb: KnowledgeBase, base: str = DEFAULT_BASE) -> "Table":
        """The graph of :func:`iter_triples`: merged, and each document's facts in its named graph."""
        return cls(iter_triples(kb, base), graph_iri=partial(named_graph_iri, base=base))

    @classmethod
    def from_graph(cls, graph: Graph) -> "Table":
        """A merged graph read back from a file, its named graphs recovered by :func:`dataset_from_graph`."""
        return cls.of(dataset_from_graph(graph))

    @classmethod
    def of(cls, x) -> "Table":
        """``x`` itself if a table, else the table of an rdflib ``Dataset`` or ``Graph``."""
        if isinstance(x, Table):
            return x
        if not isinstance(x, Dataset):
            return cls.from_graph(x)
        rows: list = [(t, ()) for t in x.default_graph]
        for g in x.graphs():
            if isinstance(g.identifier, URIRef) and g.identifier != x.default_graph.identifier:
                rows.extend((t, (g.identifier,)) for t in g)
        return cls(rows)

    def __len__(self) -> int:
        return len(self.triples)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.triples)

    def graph(self) -> Graph:
        """The merged graph as an rdflib ``Graph`` (built on demand, every prefix bound)."""
        g = Graph()
        bind_prefixes(g)
        g.addN((s, p, o, g) for s, p, o in self.triples)
        return g

    def by_predicate(self) -> dict:
        """predicate → list of ``(subject, object)`` (built once)."""
        if self._by_p is None:
            by_p: dict = {}
            for s, p, o in self.triples:
                by_p.setdefault(p, []).append((s, o))
            self._by_p = by_p
        return self._by_p

    def by_subject(self) -> dict:
        """subject → predicate → list of objects (built once)."""
        if self._by_s is None:
            by_s: dict = {}
            for s, p, o in self.triples:
                by_s.setdefault(s, {}).setdefault(p, []).append(o)
            self._by_s = by_s
        return self._by_s

    def subject_objects(self, predicate) -> Iterator[tuple]:
        return iter(self.by_predicate().get(predicate, ()))

    def subjects(self, predicate, obj=None) -> Iterator:
        pairs = self.by_predicate().get(predicate, ())
        if obj is None:
            return iter(dict.fromkeys(s for s, o in pairs))

        def index() -> dict:  # object → its subjects, in triple order (built once per predicate)
            out: dict = {}
            for s, o in pairs:
                d = out.get(o)
                if d is None:
                    d = out[o] = {}
                d[s] = None
            return out

        return iter(self.memo(("subjects-by-object", predicate), index).get(obj, ()))


def dataset_from_graph(graph: Graph) -> Dataset:
    """The dataset of :func:`to_dataset`, recovered from the merged graph alone.

    ``kg export`` uses it to write TriG / N-Quads later from ``graph.ttl``. It files
    triples by the provenance the graph itself carries, the same rule
    :func:`iter_triples` applies (``tests/test_rdf.py`` keeps them in step):

    - a document's own triples and those of its input file go to its graph;
    - an evidence node's triples, and the ``kg:evidence`` link to it, go to the graph
      of its ``kg:document``; ``x kg:mentionedIn D`` goes to D's graph;
    - every other triple of an operation or a quote goes to the graph of each
      document it is mentioned in (they are document-level facts);
    - ``person kg:memberOf org`` goes to the graphs of the documents stating the
      membership; other entity and membership triples are corpus-level (default graph only).

    >>> from kg.examples import sample_kb
    >>> from rdflib.compare import isomorphic
    >>> kb = sample_kb()
    >>> a, b = to_dataset(kb), dataset_from_graph(to_graph(kb))
    >>> sorted(str(g.identifier) for g in a.graphs()) == sorted(str(g.identifier) for g in b.graphs())
    True
    """
    from .vocab import PATHS

    ds = Dataset()
    bind_prefixes(ds)
    default = ds.default_graph
    for t in graph:
        default.add(t)
    named: dict[URIRef, Graph] = {}
    for d in sorted(graph.subjects(RDF.type, KG.Document)):
        doc_id = graph.value(d, DCTERMS.identifier)
        if doc_id is None:
            continue
        tail = document_iri(str(doc_id), "")
        base = str(d)[: -len(tail)] if str(d).endswith(tail) else str(d).rsplit(PATHS["Document"] + "/", 1)[0]
        named[d] = ds.graph(named_graph_iri(str(doc_id), base))

    def put(doc, triple):
        g = named.get(doc)
        if g is not None:
            g.add(triple)

    for d in named:
        for p, o in graph.predicate_objects(d):
            put(d, (d, p, o))
        for f in graph.objects(d, PROV.wasDerivedFrom):
            for p, o in graph.predicate_objects(f):
                put(d, (f, p, o))
    for e, d in graph.subject_objects(KG.document):
        for p, o in graph.predicate_objects(e):
            put(d, (e, p, o))
        for x in graph.subjects(KG.evidence, e):
            put(d, (x, KG.evidence, e))
    for x, d in graph.subject_objects(KG.mentionedIn):
        put(d, (x, KG.mentionedIn, d))
    for cls in (KG.Operation, KG.Quote):
        for x in graph.subjects(RDF.type, cls):
            docs = list(graph.objects(x, KG.mentionedIn))
            for p, o in graph.predicate_objects(x):
                if p not in (KG.evidence, KG.mentionedIn):
                    for d in docs:
                        put(d, (x, p, o))
    for m in graph.subjects(RDF.type, ORG.Membership):
        person, org = graph.value(m, ORG.member), graph.value(m, ORG.organization)
        if person is not None and org is not None:
            for d in graph.objects(m, KG.mentionedIn):
                put(d, (person, KG.memberOf, org))
    return ds


def guess_base(graph: Graph) -> str:
    """The resource base IRI a graph was built with, read off its first document's IRI.

    >>> from kg.examples import sample_kb
    >>> guess_base(to_graph(sample_kb(), "http://example.org/x/"))
    'http://example.org/x/'
    """
    for d in sorted(graph.subjects(RDF.type, KG.Document)):
        doc_id = graph.value(d, DCTERMS.identifier)
        tail = document_iri(str(doc_id), "") if doc_id is not None else None
        if tail and str(d).endswith(tail):
            return str(d)[: -len(tail)]
    return DEFAULT_BASE
