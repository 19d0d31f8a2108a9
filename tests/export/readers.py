"""Independent readers the graph-export tests load files into."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

VENDOR = Path(__file__).parent / "vendor"


def graphology_counts(path: Path) -> tuple[int, int, int]:
    """``(nodes, edges, unlabeled)`` as graphology (Gephi Lite, sigma.js) reads the GraphML/GEXF ``path``,
    through the vendored bundle (tests/export/vendor); skipped only when Node.js is absent."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("Node.js not installed: graphology check skipped")
    r = subprocess.run([node, str(VENDOR / "graphology-check.cjs"), str(path)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    m = re.search(r"nodes=(\d+) edges=(\d+) unlabeled=(\d+)", r.stdout)
    assert m, r.stdout
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def igraph_counts(path: Path) -> tuple[int, int]:
    igraph = pytest.importorskip("igraph")
    g = igraph.Graph.Read_GraphML(str(path))
    return g.vcount(), g.ecount()
