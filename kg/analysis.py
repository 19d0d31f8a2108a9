"""RDF graph → networkx projections, and the network analysis run on them.

Projections (pure functions of an rdflib ``Graph`` or a :class:`kg.rdf.Table`; each reads the triples it
needs with one indexed scan per predicate, never a query per node):

* :func:`project` — entities and operations as a ``MultiDiGraph``: nodes typed
  and labelled, edges typed by relation. Every attribute is a scalar (lists are
  joined with :data:`SEPARATOR`), so the graph can go straight to any writer.
* :func:`joint_operations` — organization ↔ organization, weighted by the
  operations they conducted together.
* :func:`org_targets` — conducting organization → targeted organization.
* :func:`org_locations` — organization → location by operations there.
* :func:`cooccurrence` — actors (organizations, officials, people) linked by
  the articles they share (weight = shared articles).

Analysis (:func:`analyse`): degree, betweenness (exact, by igraph, up to
:data:`BETWEENNESS_EXACT_WORK`; sampled with a fixed seed above) and PageRank on the undirected
simple view of the projection, Louvain communities (fixed seed), connected
components, per-actor tallies and operations per month. Everything is
deterministic: nodes and edges are inserted in sorted order, every random
choice is seeded, and floats are rounded to :data:`DIGITS` significant digits.

Node attributes of :func:`project`
    ``type`` (``Organization`` | ``Location`` | ``Official`` | ``Person`` |
    ``Operation``), ``label``, ``iri``, ``aliases`` (``skos:altLabel`` joined
    with ``" | "``), ``mentions`` (distinct articles, near-duplicate copies
    counted once), ``first_date``/``last_date`` (ISO, from the articles and
    operations the node appears in), ``evidence`` (first evidence sentence),
    ``titles``, ``ranks``, ``descriptor``, ``gazetteer_id``, ``lat``, ``lon``,
    ``quotes`` (for entities); ``kind``, ``date``, ``killed``, ``injured``,
    ``arrested``, ``notes``, ``seized`` (for operations). Missing values are
    absent, never ``None``/NaN. :func:`annotate` adds ``degree``, ``pagerank``,
    ``betweenness``, ``community`` and ``component``.

Edge attributes
    ``relation`` (the ``kg:`` property: ``conductedBy``, ``targeted``,
    ``locatedIn``, ``memberOf``, ``partOf``), ``label`` (the Neo4j-style
    relationship type, ``CONDUCTED_BY``), ``docs`` (supporting articles),
    ``weight`` (``max(docs, 1)``), ``evidence`` (first evidence sentence) and
    ``id`` (``e0``, ``e1``… unique, in sorted edge order). The edge key is the
    relation.

Examples
--------
>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDF, RDFS
>>> g = Graph()
>>> op, cts, isis = (URIRef("urn:x:" + n) for n in ("op1", "cts", "isis"))
>>> for n, c, l in ((op, KG.Operation, "raid"), (cts, KG.Organization, "CTS"),
...                 (isis, KG.Organization, "ISIS")):
...     _ = g.add((n, RDF.type, c)).add((n, RDFS.label, Literal(l)))
>>> _ = g.add((op, KG.conductedBy, cts)).add((op, KG.targeted, isis))
>>> G = project(g)
>>> sorted(G.nodes[str(isis)].items())[:3]
[('iri', 'urn:x:isis'), ('label', 'ISIS'), ('mentions', 0)]
>>> [(d["label"], d["id"]) for _, _, d in G.edges(data=True)]
[('CONDUCTED_BY', 'e0'), ('TARGETED', 'e1')]
>>> a = analyse(g)
>>> [t.label for t in a.most_targeted()]
['ISIS']
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from .vocab import GEO, KG, NIF, ORG

#: Joins list values into one string attribute (aliases, titles, notes…).
SEPARATOR = " | "
#: Node classes projected, in priority order (an entity typed both Official and Person is an Official).
NODE_TYPES = ("Organization", "Location", "Official", "Person", "Operation")
#: Entity types that act: the rows of the "top actors" tables and of the co-occurrence network.
ACTOR_TYPES = ("Organization", "Official", "Person")
#: kg property → relationship type (label) of the projected edge.
RELATIONS = {
    "conductedBy": "CONDUCTED_BY",
    "targeted": "TARGETED",
    "locatedIn": "LOCATED_IN",
    "memberOf": "MEMBER_OF",
    "partOf": "PART_OF",
}
#: Operation relations: their support is the operation's own articles and evidence.
OPERATION_RELATIONS = ("conductedBy", "targeted", "locatedIn")
#: Seed of every random choice (Louvain, sampled betweenness, layout).
SEED = 42
#: Betweenness is exact (Brandes in igraph's C: one breadth-first search per node) while nodes × edges
#: stays within this (about 5 s); above, networkx estimates it from a seeded sample of source nodes:
#: as many as fit :data:`BETWEENNESS_BUDGET` edge visits, clamped to :data:`BETWEENNESS_SAMPLES`.
BETWEENNESS_EXACT_WORK = 500_000_000
BETWEENNESS_BUDGET = 2_000_000
BETWEENNESS_SAMPLES = (32, 200)
#: Significant digits kept for centralities (stable bytes across platforms).
DIGITS = 6
#: Up to this many nodes a component is laid out by networkx's spring layout; above, by igraph's.
LAYOUT_NX_MAX = 500
#: Above this many nodes a component skips the force layout in :func:`layout` (too slow): its communities go on a grid.
LAYOUT_FORCE_MAX = 50000

_DATED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _round(x: float) -> float:
    return float(f"{x:.{DIGITS}g}")


def _dated(v: object) -> str | None:
    """The ISO date string of ``v`` if it has a year (``--06-29`` has none).

    >>> _dated("2025-06"), _dated("--06-29"), _dated(None)
    ('2025-06', None, None)
    """
    s = str(v) if v is not None else ""
    return s if _DATED.match(s) else None


def _int(v: object) -> int | None:
    try:
        return int(str(v))
    except ValueError:
        return None


def _float(v: object) -> float | None:
    try:
        f = float(str(v))
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def _joined(values: Iterable[str]) -> str | None:
    vals = sorted({str(v).strip() for v in values if str(v).strip()})
    return SEPARATOR.join(vals) if vals else None


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


@dataclass
class _Scan:
    """The triples the projection needs, read once, keyed by subject."""

    types: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    alts: dict = field(default_factory=lambda: defaultdict(set))
    docs: dict = field(default_factory=lambda: defaultdict(set))
    doc_date: dict = field(default_factory=dict)
    canonical: dict = field(default_factory=dict)
    values: dict = field(default_factory=lambda: defaultdict(dict))
    multi: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    evidence: dict = field(default_factory=dict)
    memberships: dict = field(default_factory=lambda: defaultdict(list))
    quotes: Counter = field(default_factory=Counter)


def _canonical_docs(dup: dict) -> dict:
    """Map each near-duplicate article to the earliest copy (following chains)."""
    out = {}
    for d in dup:
        seen, c = {d}, dup[d]
        while c in dup and c not in seen:
            seen.add(c)
            c = dup[c]
        out[d] = c
    return out


def _scan(g: Graph) -> _Scan:
    s = _Scan()
    for cls in NODE_TYPES:
        for n in g.subjects(RDF.type, KG[cls]):
            if isinstance(n, URIRef):
                s.types.setdefault(n, cls)
    for n, o in g.subject_objects(RDFS.label):
        if n in s.types and (n not in s.labels or str(o) < s.labels[n]):
            s.labels[n] = str(o)
    for n, o in g.subject_objects(SKOS.altLabel):
        if n in s.types:
            s.alts[n].add(str(o))
    for d, o in g.subject_objects(DCTERMS.date):
        if _dated(o):
            s.doc_date[d] = str(o)
    s.canonical = _canonical_docs(dict(g.subject_objects(KG.duplicateOf)))
    for n, d in g.subject_objects(KG.mentionedIn):
        s.docs[n].add(s.canonical.get(d, d))
    for p in (KG.kind, KG.date, KG.killed, KG.injured, KG.arrested, KG.descriptor, KG.gazetteerId, GEO.lat, GEO.long):
        for n, o in g.subject_objects(p):
            if n in s.types:
                prev = s.values[n].get(p)
                s.values[n][p] = str(o) if prev is None else min(prev, str(o))
    for p in (KG.title, KG.rank, KG.note, KG.seized):
        for n, o in g.subject_objects(p):
            if n in s.types:
                s.multi[n][p].add(str(o))
    for _, n in g.subject_objects(KG.speaker):
        s.quotes[n] += 1
    members = dict(g.subject_objects(ORG.member))
    for m, org in g.subject_objects(ORG.organization):
        if m in members:
            s.memberships[(members[m], org)].append(m)
    # first evidence sentence per owner: smallest (article date, article, offset)
    ev_doc = dict(g.subject_objects(KG.document))
    ev_begin = {e: _int(b) or 0 for e, b in g.subject_objects(NIF.beginIndex)}
    ev_sent = {e: str(t) for e, t in g.subject_objects(KG.sentence)}
    best: dict = {}
    for owner, e in g.subject_objects(KG.evidence):
        sent = ev_sent.get(e)
        if not sent:
            continue
        d = ev_doc.get(e)
        rank = (s.doc_date.get(d, "9999"), str(d), ev_begin.get(e, 0), sent)
        if owner not in best or rank < best[owner]:
            best[owner] = rank
    s.evidence = {o: r[3] for o, r in best.items()}
    return s


def project(g: Graph) -> nx.MultiDiGraph:
    """Entities and operations of ``g`` as a typed, labelled ``MultiDiGraph`` (see the module doc)."""
    s = _scan(g)
    G = nx.MultiDiGraph()
    for n in sorted(s.types, key=str):
        G.add_node(str(n), **_node_attrs(n, s))

    edges = []
    for prop in RELATIONS:
        for a, b in g.subject_objects(KG[prop]):
            if a in s.types and b in s.types and a != b:
                edges.append((str(a), str(b), prop, a, b))
    edges.sort(key=lambda e: (e[0], e[2], e[1]))
    for i, (u, v, prop, a, b) in enumerate(edges):
        if prop in OPERATION_RELATIONS:
            supports = [a]
        elif prop == "memberOf":
            supports = sorted(s.memberships.get((a, b), ()), key=str)
        else:
            supports = []
        docs = set().union(*(s.docs.get(m, ()) for m in supports))
        attrs = {"relation": prop, "label": RELATIONS[prop], "docs": len(docs), "weight": float(max(len(docs), 1)), "id": f"e{i}"}
        ev = next((s.evidence[m] for m in supports if m in s.evidence), None)
        if ev:
            attrs["evidence"] = ev
        G.add_edge(u, v, key=prop, **attrs)

    _add_dates(G, s)
    return G


def _node_attrs(n: URIRef, s: _Scan) -> dict:
    t = s.types[n]
    a: dict = {"type": t, "label": s.labels.get(n) or _local(str(n)), "iri": str(n), "mentions": len(s.docs.get(n, ()))}
    aliases = _joined(x for x in s.alts.get(n, ()) if x != a["label"])
    if aliases:
        a["aliases"] = aliases
    v = s.values.get(n, {})
    m = s.multi.get(n, {})
    if t == "Operation":
        if KG.kind in v:
            a["kind"] = v[KG.kind]
        if KG.date in v:
            a["date"] = v[KG.date]
        for p in (KG.killed, KG.injured, KG.arrested):
            x = _int(v[p]) if p in v else None
            if x is not None:
                a[_local(str(p))] = x
        for p, name in ((KG.note, "notes"), (KG.seized, "seized")):
            j = _joined(m.get(p, ()))
            if j:
                a[name] = j
    else:
        for p, name in ((KG.title, "titles"), (KG.rank, "ranks")):
            j = _joined(m.get(p, ()))
            if j:
                a[name] = j
        for p, name in ((KG.descriptor, "descriptor"), (KG.gazetteerId, "gazetteer_id")):
            if p in v:
                a[name] = v[p]
        for p, name in ((GEO.lat, "lat"), (GEO.long, "lon")):
            x = _float(v[p]) if p in v else None
            if x is not None:
                a[name] = x
        if s.quotes.get(n):
            a["quotes"] = s.quotes[n]
    if n in s.evidence:
        a["evidence"] = s.evidence[n]
    return a


def _add_dates(G: nx.MultiDiGraph, s: _Scan) -> None:
    """``first_date``/``last_date``: an operation's own date, else its articles'; an entity's
    articles' dates and the dates of the operations it takes part in."""
    dates: dict[str, set[str]] = defaultdict(set)
    iri = {str(n): n for n in s.types}
    for n, d in G.nodes(data=True):
        doc_dates = {s.doc_date[x] for x in s.docs.get(iri[n], ()) if x in s.doc_date}
        own = _dated(d.get("date"))
        if d["type"] == "Operation":
            dates[n] |= {own} if own else doc_dates
        else:
            dates[n] |= doc_dates
    for u, v, k in G.edges(keys=True):
        if k in OPERATION_RELATIONS:
            dates[v] |= dates[u]
    for n, ds in dates.items():
        if ds:
            G.nodes[n]["first_date"] = min(ds)
            G.nodes[n]["last_date"] = max(ds)


# ---------------------------------------------------------------------------
# Derived projections


def _projection(g_or_G) -> nx.MultiDiGraph:
    return project(g_or_G) if isinstance(g_or_G, Graph) else g_or_G


def _copy_node(H: nx.Graph, G: nx.MultiDiGraph, n: str) -> None:
    H.add_node(n, **{k: G.nodes[n][k] for k in ("type", "label", "iri") if k in G.nodes[n]})


def _operations(G: nx.MultiDiGraph):
    """``(op, conductors, targets, places)`` for every operation node, sorted."""
    for op, d in G.nodes(data=True):
        if d["type"] != "Operation":
            continue
        out: dict[str, list[str]] = defaultdict(list)
        for _, v, k in G.out_edges(op, keys=True):
            out[k].append(v)
        yield op, sorted(out["conductedBy"]), sorted(out["targeted"]), sorted(out["locatedIn"])


def joint_operations(g_or_G) -> nx.Graph:
    """Organization ↔ organization; ``weight`` = operations they conducted together.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("o", {"type": "Operation"}), ("a", {"type": "Organization", "label": "A"}),
    ...                   ("b", {"type": "Organization", "label": "B"})])
    >>> _ = G.add_edge("o", "a", key="conductedBy"), G.add_edge("o", "b", key="conductedBy")
    >>> list(joint_operations(G).edges(data="weight"))
    [('a', 'b', 1)]
    """
    G = _projection(g_or_G)
    H = nx.Graph()
    for n in sorted(n for n, t in G.nodes(data="type") if t == "Organization"):
        _copy_node(H, G, n)
    for _, conductors, _, _ in _operations(G):
        orgs = [c for c in conductors if G.nodes[c]["type"] == "Organization"]
        for i, a in enumerate(orgs):
            for b in orgs[i + 1:]:
                w = H.edges[a, b]["weight"] + 1 if H.has_edge(a, b) else 1
                H.add_edge(a, b, weight=w)
    return H


def org_targets(g_or_G) -> nx.DiGraph:
    """Conducting organization → targeted organization; ``weight`` = operations."""
    G = _projection(g_or_G)
    H = nx.DiGraph()
    for n in sorted(n for n, t in G.nodes(data="type") if t == "Organization"):
        _copy_node(H, G, n)
    for _, conductors, targets, _ in _operations(G):
        for a in conductors:
            for b in targets:
                if a != b and a in H and b in H:
                    H.add_edge(a, b, weight=H.edges[a, b]["weight"] + 1 if H.has_edge(a, b) else 1)
    return H


def org_locations(g_or_G) -> nx.DiGraph:
    """Organization → location of the operations it conducted or was targeted by.

    Edge attributes: ``conducted``, ``targeted`` and ``weight`` (their sum).
    """
    G = _projection(g_or_G)
    H = nx.DiGraph()
    for n in sorted(n for n, t in G.nodes(data="type") if t in ("Organization", "Location")):
        _copy_node(H, G, n)
    for _, conductors, targets, places in _operations(G):
        for role, orgs in (("conducted", conductors), ("targeted", targets)):
            for a in orgs:
                if G.nodes[a]["type"] != "Organization":
                    continue
                for p in places:
                    if not H.has_edge(a, p):
                        H.add_edge(a, p, conducted=0, targeted=0, weight=0)
                    H.edges[a, p][role] += 1
                    H.edges[a, p]["weight"] += 1
    return H


def cooccurrence(g: Graph, types: Iterable[str] = ACTOR_TYPES) -> nx.Graph:
    """Actors linked by the articles that mention both; ``weight`` = shared articles
    (near-duplicate copies of a story count once).

    >>> from rdflib import URIRef
    >>> from rdflib.namespace import RDF
    >>> g = Graph()
    >>> a, b, d = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:d")
    >>> for x in (a, b):
    ...     _ = g.add((x, RDF.type, KG.Organization)).add((x, KG.mentionedIn, d))
    >>> list(cooccurrence(g).edges(data="weight"))
    [('urn:a', 'urn:b', 1)]
    """
    s_types: dict = {}
    for cls in types:
        for n in g.subjects(RDF.type, KG[cls]):
            s_types.setdefault(n, cls)
    canonical = _canonical_docs(dict(g.subject_objects(KG.duplicateOf)))
    by_doc: dict = defaultdict(set)
    for n, d in g.subject_objects(KG.mentionedIn):
        if n in s_types:
            by_doc[canonical.get(d, d)].add(str(n))
    H = nx.Graph()
    labels = {n: str(lbl) for n, lbl in g.subject_objects(RDFS.label) if n in s_types}
    for n in sorted(s_types, key=str):
        H.add_node(str(n), type=s_types[n], label=labels.get(n) or _local(str(n)), iri=str(n))
    weights: Counter = Counter()
    for d in sorted(by_doc, key=str):
        members = sorted(by_doc[d])
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                weights[a, b] += 1
    for (a, b), w in sorted(weights.items()):
        H.add_edge(a, b, weight=w)
    return H


# ---------------------------------------------------------------------------
# Analysis


def undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """Simple undirected view: parallel and opposite edges merged, ``weight`` summed."""
    U = nx.Graph()
    U.add_nodes_from(sorted(G.nodes))
    for u, v, w in sorted(G.edges(data="weight", default=1.0), key=lambda e: (e[0], e[1])):
        a, b = min(u, v), max(u, v)
        if U.has_edge(a, b):
            U.edges[a, b]["weight"] += w
        else:
            U.add_edge(a, b, weight=w)
    return U


def betweenness_samples(nodes: int, edges: int) -> int | None:
    """Source nodes sampled for betweenness (``None``: exact).

    >>> betweenness_samples(5000, 15000), betweenness_samples(40000, 100000), betweenness_samples(10**5, 10**6)
    (None, 32, 32)
    """
    if nodes * edges <= BETWEENNESS_EXACT_WORK:
        return None
    lo, hi = BETWEENNESS_SAMPLES
    return min(nodes, max(lo, min(hi, BETWEENNESS_BUDGET // max(edges, 1))))


def exact_betweenness(U: nx.Graph) -> dict[str, float]:
    """Normalised betweenness of the undirected, unweighted ``U``, as ``nx.betweenness_centrality``
    gives it, computed by igraph (C; about 70× faster than networkx at 2,000 nodes).

    >>> exact_betweenness(nx.path_graph(["a", "b", "c"]))
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    import igraph as ig

    nodes = list(U)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {v: i for i, v in enumerate(nodes)}
    raw = ig.Graph(n=n, edges=[(index[a], index[b]) for a, b in U.edges()]).betweenness(directed=False)
    scale = 2 / ((n - 1) * (n - 2))  # networkx's normalisation for undirected graphs
    return {v: raw[i] * scale for i, v in enumerate(nodes)}


def centrality(G: nx.MultiDiGraph, seed: int = SEED) -> dict[str, dict[str, float]]:
    """``{node: {"degree", "pagerank", "betweenness"}}`` on the undirected simple view.

    ``degree`` counts distinct neighbours; PageRank is weighted (supporting
    articles); betweenness is normalised: exact (:func:`exact_betweenness`) or, on graphs
    too big for that, estimated from :func:`betweenness_samples` seeded sources.
    """
    U = undirected(G)
    if U.number_of_nodes() == 0:
        return {}
    pr = nx.pagerank(U, weight="weight") if U.number_of_edges() else {n: 1 / len(U) for n in U}
    k = betweenness_samples(U.number_of_nodes(), U.number_of_edges())
    bc = exact_betweenness(U) if k is None else nx.betweenness_centrality(U, k=k, seed=seed, normalized=True)
    return {n: {"degree": U.degree(n), "pagerank": _round(pr[n]), "betweenness": _round(bc[n])} for n in U}


def _ordered(groups: Iterable[Iterable[str]]) -> list[list[str]]:
    """Groups as sorted lists, largest first, ties by first member."""
    return sorted((sorted(c) for c in groups), key=lambda c: (-len(c), c[0]))


def communities(G: nx.MultiDiGraph, seed: int = SEED) -> list[list[str]]:
    """Louvain communities of the undirected view (fixed seed), largest first."""
    U = undirected(G)
    if U.number_of_nodes() == 0:
        return []
    return _ordered(nx.community.louvain_communities(U, weight="weight", seed=seed))


def components(G: nx.MultiDiGraph) -> list[list[str]]:
    """Weakly connected components, largest first."""
    return _ordered(nx.weakly_connected_components(G))


def annotate(G: nx.MultiDiGraph, seed: int = SEED) -> nx.MultiDiGraph:
    """Add ``degree``, ``pagerank``, ``betweenness``, ``community`` and ``component`` to every node (in place)."""
    for n, c in centrality(G, seed).items():
        G.nodes[n].update(c)
    for attr, groups in (("community", communities(G, seed)), ("component", components(G))):
        for i, members in enumerate(groups):
            for n in members:
                G.nodes[n][attr] = i
    return G


@dataclass(frozen=True)
class Tally:
    """What one actor did, summed over the operations it conducted (``killed``… are the
    numbers reported for those operations) and how often it was targeted."""

    node: str
    label: str
    type: str
    conducted: int = 0
    targeted: int = 0
    killed: int = 0
    injured: int = 0
    arrested: int = 0
    places: int = 0
    first_date: str | None = None
    last_date: str | None = None


def tallies(G: nx.MultiDiGraph) -> list[Tally]:
    """Per-actor tallies, most operations conducted first (then most targeted, then label)."""
    acc: dict[str, dict] = defaultdict(lambda: {"conducted": 0, "targeted": 0, "killed": 0, "injured": 0,
                                                "arrested": 0, "places": set(), "dates": set()})
    for op, conductors, targets, places in _operations(G):
        d = G.nodes[op]
        date = d.get("first_date")
        for a in conductors:
            t = acc[a]
            t["conducted"] += 1
            for k in ("killed", "injured", "arrested"):
                t[k] += d.get(k, 0)
            t["places"].update(places)
            if date:
                t["dates"].add(date)
        for a in targets:
            acc[a]["targeted"] += 1
            if date:
                acc[a]["dates"].add(date)
    out = []
    for n, t in acc.items():
        nd = G.nodes[n]
        if nd["type"] not in ACTOR_TYPES:
            continue
        ds = t.pop("dates")
        out.append(Tally(n, nd["label"], nd["type"], places=len(t.pop("places")), **t,
                         first_date=min(ds) if ds else None, last_date=max(ds) if ds else None))
    return sorted(out, key=lambda t: (-t.conducted, -t.targeted, t.label, t.node))


def operations_per_month(G: nx.MultiDiGraph) -> list[tuple[str, int]]:
    """``[("2025-06", 4), …]``: operations by the month of their date (else of their first
    article), every month between the first and the last listed, zeros included."""
    c = Counter(d["first_date"][:7] for _, d in G.nodes(data=True)
                if d["type"] == "Operation" and len(d.get("first_date") or "") >= 7)
    if not c:
        return []
    (y, m), (y1, m1) = (tuple(map(int, k.split("-"))) for k in (min(c), max(c)))
    out = []
    while (y, m) <= (y1, m1):
        key = f"{y:04d}-{m:02d}"
        out.append((key, c.get(key, 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def layout(G: nx.MultiDiGraph, seed: int = SEED, scale: float = 1000.0) -> dict[str, tuple[float, float]]:
    """Node positions for viewers that do not lay out on open (yEd, the HTML view, sigma.js).

    Each connected component is laid out on its own (a seeded spring layout: networkx up to
    :data:`LAYOUT_NX_MAX` nodes, igraph's grid Fruchterman-Reingold above; or,
    above :data:`LAYOUT_FORCE_MAX` nodes, its communities on circles placed on a
    grid), given an area proportional to its size, and the components are packed
    in rows, largest first, so small components and isolated nodes do not push
    the main network into a corner. Coordinates span ``[-scale, scale]``.
    """
    U = undirected(G)
    if len(U) == 0:
        return {}
    boxes = []
    for comp in _ordered(nx.connected_components(U)):
        p = _component_layout(_sorted_subgraph(U, comp), seed)
        xs, ys = [v[0] for v in p.values()], [v[1] for v in p.values()]
        # a lone node still gets room for its label
        boxes.append((p, min(xs), min(ys), max(max(xs) - min(xs), 2.0), max(ys) - min(ys)))
    gap = 1.0
    total = sum((w + gap) * (h + gap) for _, _, _, w, h in boxes)
    row_width = max(math.sqrt(total) * 1.3, boxes[0][3] + gap)
    pos: dict = {}
    x = y = row_h = 0.0
    for p, x0, y0, w, h in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h + gap, 0.0
        for n, (px, py) in p.items():
            pos[n] = (x + px - x0, y + py - y0)
        x += w + gap
        row_h = max(row_h, h)
    xs, ys = [v[0] for v in pos.values()], [v[1] for v in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {n: (round((px - cx) / span * 2 * scale, 1), round((py - cy) / span * 2 * scale, 1)) for n, (px, py) in pos.items()}


def _sorted_subgraph(U: nx.Graph, nodes: list[str]) -> nx.Graph:
    """A copy of ``U`` on ``nodes`` whose node and edge order is sorted.

    ``U.subgraph(nodes)`` iterates its nodes in the order of an internal *set*,
    which follows Python's per-process string hashing: seeded layouts on it would
    differ from one process to the next.
    """
    keep = set(nodes)
    C = nx.Graph()
    C.add_nodes_from(sorted(nodes))
    C.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in U.edges(nodes, data=True) if u in keep and v in keep))
    return C


def _component_layout(C: nx.Graph, seed: int) -> dict:
    """Positions of one connected component, spread over an area proportional to its size."""
    n = len(C)
    if n <= 2:
        return {m: (2.0 * i, 0.0) for i, m in enumerate(sorted(C))}
    r = math.sqrt(n)
    if n <= LAYOUT_NX_MAX:
        p = nx.spring_layout(C, iterations=100, seed=seed, weight=None, scale=1.0)
        return {k: (float(v[0]) * r, float(v[1]) * r) for k, v in p.items()}
    if n <= LAYOUT_FORCE_MAX:
        return _igraph_layout(C, seed, r)
    groups = _ordered(nx.community.louvain_communities(C, seed=seed))
    cols = math.ceil(math.sqrt(len(groups)))
    cell = 2 * math.sqrt(len(groups[0])) + 1
    p = {}
    for i, members in enumerate(groups):
        cx, cy = (i % cols) * cell, (i // cols) * cell
        rr = math.sqrt(len(members))
        for j, m in enumerate(members):
            a = 2 * math.pi * j / len(members)
            p[m] = (cx + rr * math.cos(a), cy + rr * math.sin(a))
    return p


def _igraph_layout(C: nx.Graph, seed: int, r: float) -> dict:
    """Fruchterman-Reingold by igraph (C, grid-accelerated): networkx's layouts are quadratic
    in the nodes and take seconds per thousand. igraph draws its random numbers from the
    generator it is given, so a seeded ``random.Random`` keeps the layout reproducible."""
    import random

    import igraph as ig

    nodes = list(C)  # sorted by _sorted_subgraph
    idx = {m: i for i, m in enumerate(nodes)}
    H = ig.Graph(n=len(nodes), edges=sorted((idx[u], idx[v]) for u, v in C.edges()))
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = H.layout_fruchterman_reingold(niter=500, grid="auto").coords
    finally:
        ig.set_random_number_generator(random)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    return {m: ((x - min(xs)) / span * 2 * r, (y - min(ys)) / span * 2 * r) for m, (x, y) in zip(nodes, coords)}


def _groups_from_attr(G: nx.Graph, attr: str) -> list[list[str]]:
    groups: dict = defaultdict(list)
    for n, v in G.nodes(data=attr):
        groups[v].append(n)
    return list(groups.values())


@dataclass
class Analysis:
    """The annotated projection and what :func:`analyse` derived from it."""

    graph: nx.MultiDiGraph
    communities: list[list[str]]
    components: list[list[str]]
    tallies: list[Tally]
    monthly: list[tuple[str, int]]
    #: actors linked by shared articles (:func:`cooccurrence`)
    cooccurrence: nx.Graph = field(default_factory=nx.Graph)

    def top(self, type_: str, n: int = 10, by: str = "pagerank") -> list[tuple[str, dict]]:
        """The ``n`` nodes of ``type_`` with the highest ``by`` (ties: more co-mentions, more
        articles, then label)."""
        C = self.cooccurrence
        co = lambda k: C.degree(k, weight="weight") if k in C else 0  # noqa: E731
        rows = [(k, d) for k, d in self.graph.nodes(data=True) if d["type"] == type_]
        rows.sort(key=lambda r: (-r[1].get(by, 0), -co(r[0]), -r[1].get("mentions", 0), r[1]["label"], r[0]))
        return rows[:n]

    def conductors(self, n: int = 10) -> list[Tally]:
        """Organizations by operations conducted."""
        return [t for t in self.tallies if t.type == "Organization" and t.conducted][:n]

    def most_targeted(self, n: int = 10) -> list[Tally]:
        """Organizations by operations that targeted them."""
        rows = [t for t in self.tallies if t.type == "Organization" and t.targeted]
        return sorted(rows, key=lambda t: (-t.targeted, t.label, t.node))[:n]

    def co_mentioned(self, n: int = 10) -> list[tuple[str, dict, int, int]]:
        """Actors with the most co-mentions: ``(node, attrs, actors met, shared-article weight)``."""
        C = self.cooccurrence
        rows = [(k, C.nodes[k], C.degree(k), int(C.degree(k, weight="weight"))) for k in C if C.degree(k)]
        rows.sort(key=lambda r: (-r[3], -r[2], r[1]["label"], r[0]))
        return rows[:n]

    def joint(self, n: int = 10) -> list[tuple[str, str, int]]:
        """Pairs of organizations by operations conducted together: ``(label, label, operations)``."""
        J = joint_operations(self.graph)
        rows = [(J.nodes[a]["label"], J.nodes[b]["label"], w) for a, b, w in J.edges(data="weight")]
        return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))[:n]


def analyse(g: Graph, seed: int = SEED) -> Analysis:
    """Project ``g``, annotate the projection with centralities and communities, and tally."""
    G = annotate(project(g), seed)
    comms = [list(m) for m in _ordered(_groups_from_attr(G, "community"))] if len(G) else []
    comps = [list(m) for m in _ordered(_groups_from_attr(G, "component"))] if len(G) else []
    return Analysis(G, comms, comps, tallies(G), operations_per_month(G), cooccurrence(g))
