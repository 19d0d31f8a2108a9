"""Neo4j import files (``neo4j/``): CSVs for ``neo4j-admin database import`` and a
``LOAD CSV`` script for Neo4j 5.

:func:`node_tables`, :func:`relationship_tables` and :func:`import_cypher` are
pure; :func:`write_neo4j` writes them. Same nodes, edges and attributes as the
GraphML export (the analysed projection of :mod:`kg.analysis`).

Files
    ``nodes_<Type>.csv`` (one per node type: ``Organization``, ``Location``,
    ``Official``, ``Person``, ``Operation``)
        header ``id:ID,:LABEL,<property>[:<type>]…``. ``id`` is the resource IRI
        (one global id space); ``:LABEL`` is ``KGNode;<Type>`` (``KGNode`` is
        on every node so relationships can be matched on one indexed label).
    ``relationships_<TYPE>.csv`` (``CONDUCTED_BY``, ``TARGETED``, ``LOCATED_IN``,
        ``MEMBER_OF``, ``PART_OF``)
        header ``:START_ID,:END_ID,:TYPE,id,<property>[:<type>]…``.
    ``import.cypher``
        ``LOAD CSV`` statements for Neo4j 5: uniqueness constraints, then
        ``MERGE`` of every node and relationship (re-running it changes nothing).

Conventions
    Property types in the header are Neo4j's (``int``, ``double``,
    ``boolean``; strings have no suffix). A missing value is an empty field
    (no property). Lists are joined with ``" | "``; whitespace runs (newlines
    included) become one space, so every record is one line. UTF-8, ``,``
    separated, ``"`` quoted when needed (doubled inside), ``\\n`` line ends.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("urn:op", type="Operation", label="raid", killed=3)
>>> G.add_node("urn:cts", type="Organization", label="CTS")
>>> G.add_edge("urn:op", "urn:cts", key="conductedBy", relation="conductedBy", label="CONDUCTED_BY", docs=1, id="e0")
'conductedBy'
>>> node_tables(G)["Operation"][0]
['id:ID', ':LABEL', 'label', 'type', 'killed:int']
>>> relationship_tables(G)["CONDUCTED_BY"]
[[':START_ID', ':END_ID', ':TYPE', 'id', 'relation', 'docs:int'], ['urn:op', 'urn:cts', 'CONDUCTED_BY', 'e0', 'conductedBy', '1']]
>>> print(import_cypher(G).splitlines()[4])
CREATE CONSTRAINT kgnode_id IF NOT EXISTS FOR (n:KGNode) REQUIRE n.id IS UNIQUE;
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import networkx as nx

from . import ExportContext, atomic_write
from .graphattrs import EDGE_ORDER, NODE_ORDER, Key, analysed, schema, typed

#: Label on every node, with a uniqueness constraint on ``id``.
COMMON_LABEL = "KGNode"
_NEO4J_TYPES = {"string": "", "int": "int", "long": "long", "double": "double", "boolean": "boolean"}
_CONVERT = {"int": "toInteger", "long": "toInteger", "double": "toFloat", "boolean": "toBoolean"}
_SPACE = re.compile(r"\s+")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _header(k: Key) -> str:
    t = _NEO4J_TYPES[k.type]
    return f"{k.name}:{t}" if t else k.name


def _cell(k: Key, v: object) -> str:
    text = typed(k, v)
    return "" if text is None else _SPACE.sub(" ", text).strip()


def _safe_name(s: str) -> str:
    """A label or relationship type usable unquoted in Cypher and in a file name."""
    s = re.sub(r"[^A-Za-z0-9_]", "_", s)
    return s if _NAME.match(s) else f"_{s}"


def _node_keys(G: nx.MultiDiGraph, nodes: list[str]) -> list[Key]:
    return schema((G.nodes[n] for n in nodes), NODE_ORDER)


def _edge_keys(rows) -> list[Key]:
    return schema((d for *_, d in rows), EDGE_ORDER, ("id", "label"))


def _by_type(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for n in sorted(G.nodes):
        out.setdefault(_safe_name(str(G.nodes[n].get("type") or "Node")), []).append(n)
    return dict(sorted(out.items()))


def _edges_by_type(G: nx.MultiDiGraph) -> dict[str, list[tuple[str, str, str, dict]]]:
    out: dict[str, list] = {}
    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (e[3].get("id", ""), e[0], e[2], e[1]))
    for i, (u, v, k, d) in enumerate(edges):
        rel = _safe_name(str(d.get("label") or k).upper())
        out.setdefault(rel, []).append((str(d.get("id") or f"e{i}"), u, v, d))
    return dict(sorted(out.items()))


def node_tables(G: nx.MultiDiGraph) -> dict[str, list[list[str]]]:
    """``{Type: [header, row…]}``, one table per node type."""
    tables = {}
    for t, nodes in _by_type(G).items():
        keys = _node_keys(G, nodes)
        rows = [["id:ID", ":LABEL", *map(_header, keys)]]
        for n in nodes:
            rows.append([n, f"{COMMON_LABEL};{t}", *(_cell(k, G.nodes[n].get(k.name)) for k in keys)])
        tables[t] = rows
    return tables


def relationship_tables(G: nx.MultiDiGraph) -> dict[str, list[list[str]]]:
    """``{TYPE: [header, row…]}``, one table per relationship type."""
    tables = {}
    for rel, edges in _edges_by_type(G).items():
        keys = _edge_keys(edges)
        rows = [[":START_ID", ":END_ID", ":TYPE", "id", *map(_header, keys)]]
        for eid, u, v, d in edges:
            rows.append([u, v, rel, eid, *(_cell(k, d.get(k.name)) for k in keys)])
        tables[rel] = rows
    return tables


def to_csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(rows)
    return buf.getvalue()


def _value(header: str) -> str:
    """The Cypher expression reading column ``header`` of ``row``, converted to its type."""
    name, _, t = header.partition(":")
    ref = f"row.`{header}`" if not _NAME.match(header) else f"row.{header}"
    conv = _CONVERT.get(t)
    return f"{conv}({ref})" if conv else ref


def _prop(header: str) -> str:
    name = header.partition(":")[0]
    return name if _NAME.match(name) else f"`{name.replace('`', '``')}`"


def import_cypher(G: nx.MultiDiGraph) -> str:
    """The ``LOAD CSV`` script (Neo4j 5) loading the files of :func:`node_tables` and
    :func:`relationship_tables` from the database's import folder."""
    nodes, rels = node_tables(G), relationship_tables(G)
    out = [
        "// Load the kg graph into Neo4j 5 with LOAD CSV.",
        "// Copy neo4j/*.csv into the database's import folder, then run this file, e.g.",
        "//   cypher-shell -u neo4j -p PASSWORD -f import.cypher",
        "// Empty CSV fields are read as null, so they set no property. Re-running it changes nothing (MERGE).",
        f"CREATE CONSTRAINT {COMMON_LABEL.lower()}_id IF NOT EXISTS FOR (n:{COMMON_LABEL}) REQUIRE n.id IS UNIQUE;",
    ]
    for t in nodes:
        out.append(f"CREATE CONSTRAINT {t.lower()}_id IF NOT EXISTS FOR (n:{t}) REQUIRE n.id IS UNIQUE;")
    for t, rows in nodes.items():
        props = [h for h in rows[0][2:]]
        sets = [f"n:{t}"] + [f"n.{_prop(h)} = {_value(h)}" for h in props]
        out += [
            "",
            f"LOAD CSV WITH HEADERS FROM 'file:///nodes_{t}.csv' AS row",
            f"MERGE (n:{COMMON_LABEL} {{id: row.`id:ID`}})",
            "SET " + ",\n    ".join(sets) + ";",
        ]
    for rel, rows in rels.items():
        props = rows[0][3:]
        sets = [f"r.{_prop(h)} = {_value(h)}" for h in props]
        out += [
            "",
            f"LOAD CSV WITH HEADERS FROM 'file:///relationships_{rel}.csv' AS row",
            f"MATCH (a:{COMMON_LABEL} {{id: row.`:START_ID`}})",
            f"MATCH (b:{COMMON_LABEL} {{id: row.`:END_ID`}})",
            f"MERGE (a)-[r:{rel} {{id: row.id}}]->(b)" + ("" if sets else ";"),
        ]
        if sets:
            out.append("SET " + ",\n    ".join(sets) + ";")
    return "\n".join(out) + "\n"


def write_neo4j(ctx: ExportContext, out: Path) -> list[Path]:
    """Write ``nodes_*.csv``, ``relationships_*.csv`` and ``import.cypher`` into ``out`` (``OUT/neo4j``)."""
    G = analysed(ctx).graph
    out = Path(out)
    written = []
    for t, rows in node_tables(G).items():
        written.append(atomic_write(out / f"nodes_{t}.csv", to_csv(rows)))
    for rel, rows in relationship_tables(G).items():
        written.append(atomic_write(out / f"relationships_{rel}.csv", to_csv(rows)))
    written.append(atomic_write(out / "import.cypher", import_cypher(G)))
    expected = {p.name for p in written}
    for stale in sorted(out.glob("*.csv")):
        if stale.name not in expected and stale.name.startswith(("nodes_", "relationships_")):
            stale.unlink()
    return written
