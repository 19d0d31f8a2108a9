"""GraphML export (``graph.graphml``) that opens cleanly in every common reader.

:func:`generate_graphml` is a pure generator of lines; :func:`write_graphml` the
thin file-writing wrapper. The graph is the analysed projection of
:mod:`kg.analysis` (entities and operations; typed, labelled edges).

Conventions (all profiles)
    * every ``<key>`` has ``for`` (``node`` or ``edge``), ``attr.name`` and
      ``attr.type``; one type per key; key ids are ``n_<name>`` / ``e_<name>``
      except the two Neo4j APOC reads by id: ``labels`` (node labels) and
      ``label`` (edge label = relationship type);
    * only scalar values; lists are joined with ``" | "``; a missing value is
      no ``<data>`` element at all (never empty, never NaN);
    * node ids are the resources' IRIs (non-empty, unique); edge ids ``e0``,
      ``e1``… are unique; every node and edge has a ``label``;
    * nodes, edges and keys in a fixed order: same graph, same bytes.

Profiles (``kg build --graphml-profile NAME``)
    ``default``
        works in networkx, igraph, graphology (Gephi Lite, sigma.js), Gephi,
        Cytoscape, yEd and Neo4j APOC (``apoc.import.graphml(file,
        {readLabels: true})``): node ``labels`` key (``:Organization``),
        edge ``label`` = relationship type (``CONDUCTED_BY``) written first
        in each edge, and ``x``/``y``/``size``/``r``/``g``/``b`` that Gephi
        and graphology use for position, size and colour.
    ``gephi``
        no Neo4j key; edge labels in words (``conducted by``).
    ``neo4j``
        no layout/colour keys; APOC's own XML attributes too (``<node
        labels=":Organization">``, ``<edge label="CONDUCTED_BY">``), so the
        relationship types survive even without ``readLabels``.
    ``yed``
        adds yFiles ``nodegraphics``/``edgegraphics`` data (position, colour,
        shape, ``NodeLabel``), which yEd needs to show labels and a layout;
        those two keys have no ``attr.name``/``attr.type`` (yEd's convention).
    ``cytoscape``
        adds node ``name`` (= label, what Cytoscape's default style shows) and
        edge ``interaction`` (= relation).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("urn:a", type="Organization", label="A & B")
>>> G.add_node("urn:b", type="Location", label="Mosul")
>>> G.add_edge("urn:a", "urn:b", key="locatedIn", relation="locatedIn", label="LOCATED_IN", id="e0")
'locatedIn'
>>> text = "".join(generate_graphml(G, profile="neo4j"))
>>> '<node id="urn:a" labels=":Organization">' in text, '<data key="n_label">A &amp; B</data>' in text
(True, True)
>>> H = nx.read_graphml(__import__("io").BytesIO(text.encode()))
>>> H.nodes["urn:a"]["labels"], H.edges["urn:a", "urn:b"]["label"]
(':Organization', 'LOCATED_IN')
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from . import ExportContext, atomic_write
from .graphattrs import (
    EDGE_ORDER,
    EDGE_RESERVED,
    NODE_ORDER,
    Key,
    analysed,
    max_pagerank,
    node_size,
    positions,
    rgb,
    schema,
    type_color,
    typed,
    xml_text,
)

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
YFILES_NS = "http://www.yworks.com/xml/graphml"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
YFILES_SCHEMA_LOCATION = (
    "http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd"
)


@dataclass(frozen=True)
class Profile:
    """What a GraphML profile adds to the common conventions."""

    neo4j_labels: bool = True  #: node ``labels`` key (``:Organization``)
    visual: bool = True  #: ``x``, ``y``, ``size``, ``r``, ``g``, ``b`` node keys
    apoc_attributes: bool = False  #: APOC's XML attributes ``labels=`` / ``label=``
    yfiles: bool = False  #: yFiles node/edge graphics
    cytoscape: bool = False  #: node ``name``, edge ``interaction``
    words: bool = False  #: edge labels in words (``conducted by``) instead of ``CONDUCTED_BY``


PROFILES: dict[str, Profile] = {
    "default": Profile(),
    "gephi": Profile(neo4j_labels=False, words=True),
    "neo4j": Profile(visual=False, apoc_attributes=True),
    "yed": Profile(neo4j_labels=False, visual=False, yfiles=True, words=True),
    "cytoscape": Profile(neo4j_labels=False, visual=False, cytoscape=True, words=True),
}
DEFAULT_PROFILE = "default"

_SHAPES = {"Operation": "diamond", "Organization": "roundrectangle"}


def words(relation: str) -> str:
    """A relation name in words.

    >>> words("conductedBy")
    'conducted by'
    """
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", relation).lower()


def _key_id(domain: str, name: str) -> str:
    if domain == "node" and name == "labels":
        return "labels"
    if domain == "edge" and name == "label":
        return "label"
    return f"{domain[0]}_{name}"


def _node_rows(G: nx.MultiDiGraph, p: Profile, pos: dict) -> list[tuple[str, dict]]:
    top = max_pagerank(G)
    rows = []
    for n in sorted(G.nodes):
        d = dict(G.nodes[n])
        d.setdefault("label", n)
        if p.neo4j_labels:
            d["labels"] = ":" + d.get("type", "Node")
        if p.cytoscape:
            d["name"] = d["label"]
        if p.visual or p.yfiles:
            x, y = pos.get(n, (0.0, 0.0))
            size = node_size(d.get("pagerank", 0.0), top)
            extra = {"x": x, "y": y, "size": size}
            extra.update(zip("rgb", rgb(type_color(d.get("type", "")))))
            if p.visual:
                d.update(extra)
            else:
                d["_graphics"] = extra
        rows.append((n, d))
    return rows


def _edge_rows(G: nx.MultiDiGraph, p: Profile) -> list[tuple[str, str, str, dict]]:
    rows = []
    for i, (u, v, k, d) in enumerate(sorted(G.edges(keys=True, data=True), key=lambda e: (e[3].get("id", ""), e[0], e[2], e[1]))):
        d = dict(d)
        eid = str(d.pop("id", "") or f"e{i}")
        rel = d.get("relation") or str(k)
        if "label" not in d:
            d["label"] = rel
        if p.words:
            d["label"] = words(rel)
        if p.cytoscape:
            d["interaction"] = rel
        rows.append((eid, u, v, d))
    return _unique_edge_ids(rows)


def _unique_edge_ids(rows):
    seen: set[str] = set()
    out = []
    for eid, u, v, d in rows:
        base, j = eid, 1
        while eid in seen:
            eid, j = f"{base}_{j}", j + 1
        seen.add(eid)
        out.append((eid, u, v, d))
    return out


def _data(domain: str, keys: list[Key], d: dict, indent: str) -> Iterator[str]:
    for k in keys:
        if k.name in d:
            text = typed(k, d[k.name])
            if text is not None:
                yield f'{indent}<data key="{_key_id(domain, k.name)}">{xml_text(text)}</data>\n'


def _y_node(d: dict, indent: str) -> str:
    g = d["_graphics"]
    s, x, y = g["size"] * 1.5, g["x"], g["y"]
    color = "#%02X%02X%02X" % (g["r"], g["g"], g["b"])
    shape = _SHAPES.get(d.get("type", ""), "ellipse")
    return (
        f'{indent}<data key="n_graphics"><y:ShapeNode>'
        f'<y:Geometry height="{s:.1f}" width="{s:.1f}" x="{x - s / 2:.1f}" y="{y - s / 2:.1f}"/>'
        f'<y:Fill color="{color}" transparent="false"/><y:BorderStyle color="#333333" type="line" width="1.0"/>'
        f'<y:NodeLabel>{xml_text(str(d["label"]))}</y:NodeLabel><y:Shape type="{shape}"/>'
        f"</y:ShapeNode></data>\n"
    )


def _y_edge(d: dict, indent: str) -> str:
    return (
        f'{indent}<data key="e_graphics"><y:PolyLineEdge><y:LineStyle color="#999999" type="line" width="1.0"/>'
        f'<y:Arrows source="none" target="standard"/><y:EdgeLabel>{xml_text(str(d["label"]))}</y:EdgeLabel>'
        f"</y:PolyLineEdge></data>\n"
    )


def generate_graphml(G: nx.MultiDiGraph, profile: str = DEFAULT_PROFILE, pos: dict | None = None) -> Iterator[str]:
    """The lines of a GraphML document for ``G`` under ``profile`` (see the module doc).

    ``pos`` (node → ``(x, y)``) feeds the ``x``/``y`` keys and yEd geometry.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown GraphML profile {profile!r}; choose from {', '.join(PROFILES)}")
    p = PROFILES[profile]
    nodes = _node_rows(G, p, pos or {})
    edges = _edge_rows(G, p)
    nkeys = schema((d for _, d in nodes), NODE_ORDER)
    ekeys = schema((d for *_, d in edges), EDGE_ORDER, EDGE_RESERVED)

    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    ns = f' xmlns:y="{YFILES_NS}"' if p.yfiles else ""
    loc = YFILES_SCHEMA_LOCATION if p.yfiles else SCHEMA_LOCATION
    yield f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{XSI_NS}"{ns} xsi:schemaLocation="{loc}">\n'
    yield f'  <!-- kg knowledge graph, GraphML profile "{profile}". List values are joined with " | ". -->\n'
    for domain, keys in (("node", nkeys), ("edge", ekeys)):
        for k in keys:
            yield (f'  <key id="{_key_id(domain, k.name)}" for="{domain}" attr.name="{xml_text(k.name)}" '
                   f'attr.type="{k.type}"/>\n')
    if p.yfiles:
        yield '  <key id="n_graphics" for="node" yfiles.type="nodegraphics"/>\n'
        yield '  <key id="e_graphics" for="edge" yfiles.type="edgegraphics"/>\n'
    yield '  <graph id="kg" edgedefault="directed">\n'
    for n, d in nodes:
        attrs = f' labels="{xml_text(d["labels"])}"' if p.apoc_attributes and "labels" in d else ""
        yield f'    <node id="{xml_text(n)}"{attrs}>\n'
        yield from _data("node", nkeys, d, "      ")
        if p.yfiles:
            yield _y_node(d, "      ")
        yield "    </node>\n"
    for eid, u, v, d in edges:
        attrs = f' label="{xml_text(str(d["label"]))}"' if p.apoc_attributes else ""
        yield f'    <edge id="{xml_text(eid)}" source="{xml_text(u)}" target="{xml_text(v)}"{attrs}>\n'
        yield from _data("edge", ekeys, d, "      ")
        if p.yfiles:
            yield _y_edge(d, "      ")
        yield "    </edge>\n"
    yield "  </graph>\n"
    yield "</graphml>\n"


def write_graphml(ctx: ExportContext, path: Path) -> Path:
    """Write the build's analysed projection to ``path`` (profile from ``ctx.options["graphml_profile"]``)."""
    profile = ctx.options.get("graphml_profile") or DEFAULT_PROFILE
    G = analysed(ctx).graph
    pos = positions(ctx) if PROFILES.get(profile, PROFILES[DEFAULT_PROFILE]).visual or profile == "yed" else {}
    return atomic_write(path, "".join(generate_graphml(G, profile, pos)).encode("utf-8"))
