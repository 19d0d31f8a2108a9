"""Shared by the graph exports (GraphML, GEXF, Neo4j CSV, HTML): the analysed projection,
typed attribute schemas, colours and XML-safe text.

Every graph export writes the same nodes and edges: :func:`kg.analysis.project`
annotated by :func:`kg.analysis.annotate` (computed once per build through
:meth:`ExportContext.cached`). Attribute types are declared, one per key, and
values are scalars only; a missing value is left out, never written as empty or NaN.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("a", label="A", mentions=2, pagerank=0.5)
>>> G.add_node("b", label="B", note=["x", "y"])
>>> [(k.name, k.type) for k in node_schema(G)]
[('label', 'string'), ('mentions', 'int'), ('pagerank', 'double'), ('note', 'string')]
>>> scalar(["x", "y"]), scalar(float("nan")), scalar(True), scalar(0.25)
('x | y', None, 'true', '0.25')
>>> xml_text('a < b & "c"\\x00')
'a &lt; b &amp; &quot;c&quot;'
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from ..analysis import SEPARATOR, analyse, layout

#: Node colour per type (also the HTML legend and the report).
TYPE_COLORS = {
    "Organization": "#1f77b4",
    "Location": "#2ca02c",
    "Official": "#d62728",
    "Person": "#ff7f0e",
    "Operation": "#8c6bb1",
}
OTHER_COLOR = "#7f7f7f"

#: Declared types of the projection's attributes (others are inferred from their values).
KNOWN_TYPES = {
    **dict.fromkeys(("mentions", "killed", "injured", "arrested", "quotes", "degree", "community", "component",
                     "docs", "r", "g", "b"), "int"),
    **dict.fromkeys(("lat", "lon", "pagerank", "betweenness", "weight", "x", "y", "size"), "double"),
}
#: Attribute order in every export: these first, then the others alphabetically.
NODE_ORDER = ("label", "labels", "name", "type", "iri", "aliases", "kind", "date", "first_date", "last_date", "mentions",
              "killed", "injured", "arrested", "notes", "seized", "titles", "ranks", "descriptor", "gazetteer_id",
              "lat", "lon", "quotes", "evidence", "degree", "pagerank", "betweenness", "community", "component",
              "x", "y", "size", "r", "g", "b")
EDGE_ORDER = ("label", "relation", "interaction", "docs", "weight", "evidence")
#: Edge attributes that are structure, not data.
EDGE_RESERVED = ("id",)

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Key:
    name: str
    type: str  #: ``string`` | ``int`` | ``long`` | ``double`` | ``boolean``


def scalar(v: object) -> str | None:
    """The text of a scalar value; lists are joined with ``" | "``; ``None``/NaN/inf → ``None``."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else None
    if isinstance(v, (list, tuple, set, frozenset)):
        items = sorted(map(str, v)) if isinstance(v, (set, frozenset)) else [str(x) for x in v]
        return SEPARATOR.join(items) if items else None
    return str(v)


def _infer(values: Iterable[object]) -> str:
    kinds = set()
    for v in values:
        if isinstance(v, bool):
            kinds.add("boolean")
        elif isinstance(v, int):
            kinds.add("int" if -(2**31) <= v < 2**31 else "long")
        elif isinstance(v, float):
            kinds.add("double")
        else:
            kinds.add("string")
    if kinds <= {"boolean"}:
        return "boolean" if kinds else "string"
    if kinds <= {"int"}:
        return "int"
    if kinds <= {"int", "long"}:
        return "long"
    if kinds <= {"int", "long", "double"}:
        return "double"
    return "string"


def schema(items: Iterable[dict], order: tuple[str, ...], skip: tuple[str, ...] = ()) -> list[Key]:
    """Typed keys of the attribute dicts ``items``: names in ``order`` first, then alphabetical;
    names in ``skip`` and names starting with ``_`` left out."""
    values: dict[str, list] = {}
    for d in items:
        for k, v in d.items():
            if k not in skip and not k.startswith("_") and scalar(v) is not None:
                values.setdefault(k, []).append(v)
    rank = {k: i for i, k in enumerate(order)}
    names = sorted(values, key=lambda k: (rank.get(k, len(rank)), k))
    return [Key(k, KNOWN_TYPES.get(k) or _infer(values[k])) for k in names]


def node_schema(G: nx.Graph) -> list[Key]:
    """One typed key per node attribute present on at least one node, in export order."""
    return schema((d for _, d in G.nodes(data=True)), NODE_ORDER)


def edge_schema(G: nx.Graph) -> list[Key]:
    """One typed key per edge attribute (``id`` excluded: it is the edge's id)."""
    return schema((e[-1] for e in G.edges(data=True)), EDGE_ORDER, EDGE_RESERVED)


def typed(key: Key, v: object) -> str | None:
    """``v`` as text of the key's declared type (ints stay ints, floats always have a point)."""
    if key.type in ("int", "long") and isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(int(v)) if not isinstance(v, float) or math.isfinite(v) else None
    if key.type == "double" and isinstance(v, (int, float)) and not isinstance(v, bool):
        return scalar(float(v))
    return scalar(v)


def clean(s: str) -> str:
    """``s`` without the control characters XML 1.0 forbids (and that show as boxes on screen)."""
    return _ILLEGAL_XML.sub("", s)


def xml_text(s: str) -> str:
    """``s`` escaped for XML text and attribute values, characters XML 1.0 forbids dropped."""
    s = _ILLEGAL_XML.sub("", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace(
        "\r", "&#13;")


def rgb(color: str) -> tuple[int, int, int]:
    """``(r, g, b)`` of a ``#rrggbb`` colour.

    >>> rgb("#1f77b4")
    (31, 119, 180)
    """
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def type_color(t: str) -> str:
    return TYPE_COLORS.get(t, OTHER_COLOR)


def max_pagerank(G: nx.Graph) -> float:
    return max((d.get("pagerank", 0.0) for _, d in G.nodes(data=True)), default=0.0)


def node_size(pagerank: float, top: float, lo: float = 6.0, hi: float = 40.0) -> float:
    """A display size from PageRank, square-root scaled between ``lo`` and ``hi`` (``top`` = the largest).

    >>> node_size(0.25, 1.0), node_size(1.0, 1.0), node_size(0.0, 0.0)
    (23.0, 40.0, 6.0)
    """
    return round(lo + (hi - lo) * math.sqrt(pagerank / top), 2) if top > 0 else lo


def analysed(ctx):
    """The build's :class:`kg.analysis.Analysis` (computed once per export run)."""
    return ctx.cached("analysis", lambda: analyse(ctx.table))


def positions(ctx) -> dict[str, tuple[float, float]]:
    """The build's node layout (computed once per export run)."""
    return ctx.cached("layout", lambda: layout(analysed(ctx).graph))
