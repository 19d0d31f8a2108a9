"""GEXF export (``graph.gexf``): Gephi's native format, with a timeline.

:func:`generate_gexf` is a pure generator of lines, :func:`write_gexf` the thin
file-writing wrapper. Same nodes, edges and attributes as the GraphML export
(the analysed projection of :mod:`kg.analysis`), written as GEXF 1.2
(``http://www.gexf.net/1.2draft``, what Gephi, networkx and graphology-gexf read):

* declared, typed ``<attributes>`` (``string``, ``integer``, ``long``,
  ``double``, ``boolean``); only scalars (lists joined with ``" | "``); a
  missing value is no ``<attvalue>``;
* ``viz:color`` by node type, ``viz:size`` by PageRank, ``viz:position`` from
  the build's layout, so the graph looks right before any Gephi layout runs;
* ``mode="dynamic"`` with ``timeformat="date"``: an operation node has
  ``start`` = its date (a month or year is widened to its first day; a date
  with no year gives no ``start``), so Gephi's timeline plays operations as
  they happen; entities and edges are static (always visible).

Examples
--------
>>> import networkx as nx, io
>>> G = nx.MultiDiGraph()
>>> G.add_node("urn:op", type="Operation", label="raid", date="2025-06", killed=3)
>>> G.add_node("urn:cts", type="Organization", label="CTS")
>>> G.add_edge("urn:op", "urn:cts", key="conductedBy", relation="conductedBy", label="CONDUCTED_BY", id="e0")
'conductedBy'
>>> text = "".join(generate_gexf(G))
>>> 'start="2025-06-01"' in text
True
>>> H = nx.read_gexf(io.BytesIO(text.encode()))
>>> H.nodes["urn:op"]["killed"], H.number_of_edges()
(3, 1)
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

from . import ExportContext, atomic_write
from .graphattrs import (
    EDGE_ORDER,
    EDGE_RESERVED,
    NODE_ORDER,
    analysed,
    max_pagerank,
    node_size,
    positions,
    rgb,
    scalar,
    schema,
    type_color,
    typed,
    xml_text,
)

GEXF_NS = "http://www.gexf.net/1.2draft"
VIZ_NS = "http://www.gexf.net/1.2draft/viz"
SCHEMA_LOCATION = "http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd"
_GEXF_TYPES = {"string": "string", "int": "integer", "long": "long", "double": "double", "boolean": "boolean"}
#: Attributes that are GEXF structure (label, weight) or viz data, not ``<attvalue>``s.
_NODE_SKIP = ("label", "x", "y", "size", "r", "g", "b")
_EDGE_SKIP = (*EDGE_RESERVED, "label", "weight")


def start_date(value: object) -> str | None:
    """A full ``xsd:date`` for the timeline: ``2025-06`` → ``2025-06-01``; no year → ``None``.

    >>> start_date("2025"), start_date("2025-06-29"), start_date("--06-29")
    ('2025-01-01', '2025-06-29', None)
    """
    s = str(value or "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return s
    if re.fullmatch(r"\d{4}-\d{2}", s):
        return s + "-01"
    if re.fullmatch(r"\d{4}", s):
        return s + "-01-01"
    return None


def _attvalues(keys, d: dict, indent: str) -> Iterator[str]:
    vals = []
    for k in keys:
        if k.name in d:
            text = typed(k, d[k.name])
            if text is not None:
                vals.append(f'{indent}  <attvalue for="{xml_text(k.name)}" value="{xml_text(text)}"/>\n')
    if vals:
        yield f"{indent}<attvalues>\n"
        yield from vals
        yield f"{indent}</attvalues>\n"


def generate_gexf(G: nx.MultiDiGraph, pos: dict | None = None) -> Iterator[str]:
    """The lines of a GEXF 1.2 document for ``G`` (see the module doc)."""
    pos = pos or {}
    nodes = [(n, G.nodes[n]) for n in sorted(G.nodes)]
    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (e[3].get("id", ""), e[0], e[2], e[1]))
    nkeys = schema((d for _, d in nodes), NODE_ORDER, _NODE_SKIP)
    ekeys = schema((e[3] for e in edges), EDGE_ORDER, _EDGE_SKIP)
    top = max_pagerank(G)

    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           f'xsi:schemaLocation="{SCHEMA_LOCATION}" version="1.2">\n')
    yield '  <meta>\n    <creator>kg</creator>\n'
    yield ('    <description>Organizations, locations, officials, people and operations; '
           'list values joined with " | ".</description>\n  </meta>\n')
    yield '  <graph mode="dynamic" defaultedgetype="directed" timeformat="date">\n'
    for cls, keys in (("node", nkeys), ("edge", ekeys)):
        if keys:
            yield f'    <attributes class="{cls}" mode="static">\n'
            for k in keys:
                yield (f'      <attribute id="{xml_text(k.name)}" title="{xml_text(k.name)}" '
                       f'type="{_GEXF_TYPES[k.type]}"/>\n')
            yield "    </attributes>\n"
    yield "    <nodes>\n"
    for n, d in nodes:
        start = start_date(d.get("date")) if d.get("type") == "Operation" else None
        st = f' start="{start}"' if start else ""
        yield f'      <node id="{xml_text(n)}" label="{xml_text(str(d.get("label") or n))}"{st}>\n'
        yield from _attvalues(nkeys, d, "        ")
        r, g, b = rgb(type_color(d.get("type", "")))
        x, y = pos.get(n, (0.0, 0.0))
        yield f'        <viz:color r="{r}" g="{g}" b="{b}"/>\n'
        yield f'        <viz:size value="{node_size(d.get("pagerank", 0.0), top)}"/>\n'
        yield f'        <viz:position x="{float(x)}" y="{float(y)}" z="0.0"/>\n'
        yield "      </node>\n"
    yield "    </nodes>\n"
    yield "    <edges>\n"
    seen: set[str] = set()
    for i, (u, v, k, d) in enumerate(edges):
        eid = str(d.get("id") or f"e{i}")
        while eid in seen:
            eid += "_"
        seen.add(eid)
        label = str(d.get("label") or d.get("relation") or k)
        w = _weight(d.get("weight"))
        yield (f'      <edge id="{xml_text(eid)}" source="{xml_text(u)}" target="{xml_text(v)}" '
               f'label="{xml_text(label)}" weight="{w}">\n')
        yield from _attvalues(ekeys, d, "        ")
        yield "      </edge>\n"
    yield "    </edges>\n"
    yield "  </graph>\n"
    yield "</gexf>\n"


def _weight(v: object) -> str:
    try:
        w = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "1.0"
    return scalar(w) or "1.0"


def write_gexf(ctx: ExportContext, path: Path) -> Path:
    """Write the build's analysed projection to ``path`` as GEXF."""
    G = analysed(ctx).graph
    return atomic_write(path, "".join(generate_gexf(G, positions(ctx))).encode("utf-8"))
