"""graph.html: one offline file that renders the graph in headless Chromium, reports its counts,
finds a node by label and shows its evidence."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from kg.analysis import analyse, layout
from kg.export import ExportContext, write
from kg.export.html import render_html, vis_network_js
from kg.model import KnowledgeBase

from ..graph_sample import N_EDGES, N_NODES, sample_graph

VENDOR = Path(__file__).resolve().parents[2] / "kg" / "data" / "vendor" / "vis-network"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    d = tmp_path_factory.mktemp("html")
    write(ExportContext(sample_graph(), KnowledgeBase(), "https://w3id.org/kgnews/id/"), d, ["html"])
    return d / "graph.html"


def chromium(tmp_path: Path, url: str, *args: str) -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("chromium not installed (apt-get install chromium)")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    r = subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", "--window-size=1200,800",
                        "--virtual-time-budget=5000", *args, url], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def test_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text, re.I)
    assert not re.search(r"""@import|url\(\s*["']?(?:https?:)?//""", text, re.I)
    assert "fetch(" not in text and "XMLHttpRequest" not in text and "WebSocket" not in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert "sourceMappingURL" not in text
    assert text.count("<script") == 3  # vis-network, the data, the app: all inline


def test_embedded_data(page):
    text = page.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.S).group(1))
    assert len(data["nodes"]) == N_NODES and len(data["edges"]) == N_EDGES
    isis = next(n for n in data["nodes"] if n["name"] == "ISIS")
    assert isis["color"] == "#1f77b4" and dict(isis["attrs"])["aliases"] == "Daesh | Islamic State | داعش"
    assert any(n["name"] == "Tom & Jerry <Brigade>" for n in data["nodes"])  # escaped in the page, intact in data


def test_script_breakout_escaped():
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("x", type="Person", label="</script><script>alert(1)</script>")
    text = render_html(G, vis_js="")
    assert "alert(1)</script>" not in text and text.count("</script>") == 3


def test_vendored_library():
    js = VENDOR / "vis-network.min.js"
    assert 200_000 < js.stat().st_size < 1_500_000
    assert (VENDOR / "LICENSE-MIT").is_file() and (VENDOR / "LICENSE-APACHE-2.0").is_file()
    assert "vis-network" in js.read_text(encoding="utf-8")[:200]
    assert "</script" not in vis_network_js()


def test_renders_in_chromium(page, tmp_path):
    shot = tmp_path / "shot.png"
    chromium(tmp_path, page.as_uri(), f"--screenshot={shot}")
    with Image.open(shot) as im:
        rgb = im.convert("RGB")
        colours = rgb.getcolors(1 << 24)
        assert len(colours) > 200, "blank page"
        canvas = rgb.crop((0, 90, 850, 800))  # the graph area, left of the details panel
        pixels = {c for _, c in canvas.getcolors(1 << 24)}
    type_colours = {(31, 119, 180), (44, 160, 44), (214, 39, 40), (255, 127, 14), (140, 107, 177)}
    assert len(type_colours & pixels) >= 4, "nodes not drawn in their type colours"


def test_counts_and_search_in_chromium(page, tmp_path):
    dom = chromium(tmp_path, page.as_uri() + "#find=isis", "--dump-dom")
    assert re.search(r'<span id="kg-count">' + f"{N_NODES} nodes, {N_EDGES} edges</span>", dom)
    assert 'data-rendered="true"' in dom
    details = dom.split('id="kg-details"')[1]
    assert "<h2>ISIS</h2>" in details and "CTS killed five ISIS militants in Anbar." in details


def test_seeds_page(seeds_out, tmp_path):
    import networkx as nx

    G = nx.read_graphml(seeds_out / "graph.graphml")
    dom = chromium(tmp_path, (seeds_out / "graph.html").as_uri(), "--dump-dom")
    assert f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges</span>" in dom
    assert 'data-rendered="true"' in dom
