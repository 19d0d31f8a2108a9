"""GraphML export (baseline projection: entities and operations, typed edges)."""
from __future__ import annotations

import io
from pathlib import Path

import networkx as nx

from . import ExportContext, atomic_write


def write_graphml(ctx: ExportContext, path: Path) -> Path:
    from ..analysis import project

    G = ctx.cached("projection", lambda: project(ctx.graph))
    buf = io.BytesIO()
    nx.write_graphml(G, buf, named_key_ids=True, edge_id_from_attribute="id")
    return atomic_write(path, buf.getvalue())
