"""Interactive HTML view (``graph.html``): one self-contained file, works offline.

:func:`render_html` is pure (graph → page text); :func:`write_html` writes it.
The page inlines the vendored vis-network standalone build
(``kg/data/vendor/vis-network/``, Apache-2.0 OR MIT) and the graph as JSON; it
loads nothing from the network (a Content-Security-Policy forbids it).

What the page shows: nodes coloured by type (legend with counts), sized by
PageRank, placed by the build's layout (physics off, so even large graphs
open at once and stay put); a search box (with completion) that finds a node
by label and focuses it; a click on a node or edge shows its attributes and
evidence sentence. ``window.kgGraph = {nodes: N, edges: M}`` and the header's
``#kg-count`` element report the counts (tests read them); ``body[data-rendered]``
is set once the first frame is drawn.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("urn:a", type="Organization", label="</script><b>A")
>>> page = render_html(G, vis_js="/* vis */")
>>> "</script><b>" in page, "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003eA" in page
(False, True)
"""
from __future__ import annotations

import html
import json
from collections import Counter
from importlib import resources
from pathlib import Path

import networkx as nx

from . import ExportContext, atomic_write
from .graphattrs import (
    NODE_ORDER,
    TYPE_COLORS,
    analysed,
    clean,
    max_pagerank,
    node_size,
    positions,
    scalar,
    type_color,
)

#: Node shape per type in the view (others: dots).
SHAPES = {"Operation": "diamond", "Organization": "dot", "Location": "triangle", "Official": "dot", "Person": "dot"}
#: Above this many nodes only the :data:`LABELLED_MAX` highest-PageRank nodes show their label on the canvas.
LABEL_ALL_MAX = 400
LABELLED_MAX = 150
#: Attributes not listed in the details panel (drawing data).
_HIDDEN = {"x", "y", "size", "r", "g", "b"}


def vis_network_js() -> str:
    """The vendored vis-network build, without its source-map comment."""
    text = resources.files("kg").joinpath("data/vendor/vis-network/vis-network.min.js").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith("//# sourceMappingURL="))


def _json(obj) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped as ``\\u003c`` etc."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace(
        "\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _attrs(d: dict, order: tuple[str, ...]) -> list[list[str]]:
    rank = {k: i for i, k in enumerate(order)}
    keys = sorted((k for k in d if k not in _HIDDEN and not k.startswith("_")), key=lambda k: (rank.get(k, len(rank)), k))
    out = []
    for k in keys:
        v = scalar(d[k])
        if v is not None:
            out.append([k, clean(v)])
    return out


def graph_data(G: nx.MultiDiGraph, pos: dict | None = None) -> dict:
    """The page's data: vis-network node and edge objects with their attribute lists."""
    pos = pos or {}
    top = max_pagerank(G)
    order = sorted(G.nodes)
    labelled = set(order)
    if len(order) > LABEL_ALL_MAX:
        labelled = set(sorted(order, key=lambda n: (-G.nodes[n].get("pagerank", 0.0), n))[:LABELLED_MAX])
    nodes = []
    for n in order:
        d = G.nodes[n]
        t = str(d.get("type", ""))
        label = clean(str(d.get("label") or n))
        shown = str(d.get("kind") or label) if t == "Operation" else label
        x, y = pos.get(n, (0.0, 0.0))
        nodes.append({
            "id": n,
            "label": shown if n in labelled else "",
            "name": label,
            "type": t,
            "shape": SHAPES.get(t, "dot"),
            "color": type_color(t),
            "size": round(node_size(d.get("pagerank", 0.0), top, lo=5.0, hi=30.0), 2),
            "x": x,
            "y": y,
            "attrs": _attrs(d, NODE_ORDER),
        })
    edges = []
    for i, (u, v, k, d) in enumerate(sorted(G.edges(keys=True, data=True), key=lambda e: (e[3].get("id", ""), e[0], e[2], e[1]))):
        edges.append({
            "id": str(d.get("id") or f"e{i}"),
            "from": u,
            "to": v,
            "relation": str(d.get("label") or k),
            "attrs": _attrs({kk: vv for kk, vv in d.items() if kk != "id"}, ("label", "relation", "docs", "weight", "evidence")),
        })
    return {"nodes": nodes, "edges": edges}


_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222}
body{display:grid;grid-template-rows:auto 1fr;grid-template-columns:1fr 340px;height:100vh}
header{grid-column:1/3;display:flex;gap:12px;align-items:center;padding:8px 12px;border-bottom:1px solid #ddd;background:#fafafa;flex-wrap:wrap}
header h1{font-size:16px;margin:0 8px 0 0}
#kg-search{width:280px;padding:5px 8px;font:inherit;border:1px solid #bbb;border-radius:4px}
#kg-count,#kg-status{color:#555}
#kg-legend{display:flex;gap:10px;flex-wrap:wrap;margin:0;padding:0;list-style:none}
#kg-legend li{display:flex;align-items:center;gap:4px}
#kg-legend i{display:inline-block;width:12px;height:12px;border-radius:50%}
#kg-graph{grid-column:1;grid-row:2;min-height:300px;min-width:0;position:relative;background:#fff}
#kg-details{grid-column:2;grid-row:2;overflow:auto;padding:10px 12px;border-left:1px solid #ddd;background:#fcfcfc}
#kg-details h2{font-size:15px;margin:0 0 6px}
#kg-details table{border-collapse:collapse;width:100%}
#kg-details th{text-align:left;vertical-align:top;padding:2px 6px 2px 0;color:#555;font-weight:600;white-space:nowrap}
#kg-details td{padding:2px 0;word-break:break-word}
#kg-details blockquote{margin:8px 0;padding:6px 8px;border-left:3px solid #8c6bb1;background:#f4f0fa}
"""

_APP = r"""
(function () {
  var data = JSON.parse(document.getElementById('kg-data').textContent);
  window.kgGraph = {nodes: data.nodes.length, edges: data.edges.length};
  document.getElementById('kg-count').textContent =
    data.nodes.length + ' nodes, ' + data.edges.length + ' edges';
  var byId = {}, byLabel = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; var k = n.name.toLowerCase(); if (!(k in byLabel)) byLabel[k] = n.id; });
  var edgesById = {};
  data.edges.forEach(function (e) { edgesById[e.id] = e; });
  var list = document.getElementById('kg-labels');
  Object.keys(byLabel).sort().forEach(function (k) {
    var o = document.createElement('option'); o.value = byId[byLabel[k]].name; list.appendChild(o);
  });
  var details = document.getElementById('kg-details');
  function show(title, subtitle, attrs) {
    details.textContent = '';
    var h = document.createElement('h2'); h.textContent = title; details.appendChild(h);
    if (subtitle) { var p = document.createElement('p'); p.textContent = subtitle; details.appendChild(p); }
    var t = document.createElement('table'), ev = null;
    attrs.forEach(function (kv) {
      if (kv[0] === 'evidence') { ev = kv[1]; return; }
      var tr = document.createElement('tr'), th = document.createElement('th'), td = document.createElement('td');
      th.textContent = kv[0]; td.textContent = kv[1]; tr.appendChild(th); tr.appendChild(td); t.appendChild(tr);
    });
    details.appendChild(t);
    if (ev) {
      var q = document.createElement('blockquote'); q.textContent = ev;
      var l = document.createElement('p'); l.textContent = 'Evidence:';
      details.appendChild(l); details.appendChild(q);
    }
  }
  function showNode(id) { var n = byId[id]; if (n) show(n.name, n.type, n.attrs); }
  function showEdge(id) {
    var e = edgesById[id]; if (!e) return;
    show(e.relation, byId[e.from].name + ' \u2192 ' + byId[e.to].name, e.attrs);
  }
  var nodes = data.nodes.map(function (n) {
    return {id: n.id, label: n.label, title: n.name + ' (' + n.type + ')', shape: n.shape, size: n.size,
            color: {background: n.color, border: '#444', highlight: {background: n.color, border: '#000'}},
            x: n.x, y: n.y};
  });
  var edges = data.edges.map(function (e) {
    return {id: e.id, from: e.from, to: e.to, title: e.relation};
  });
  var big = nodes.length > 2000;
  var network = new vis.Network(document.getElementById('kg-graph'),
    {nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges)},
    {physics: false,
     layout: {improvedLayout: false},
     interaction: {hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big},
     nodes: {font: {size: 16, strokeWidth: 3, strokeColor: '#fff'}, borderWidth: 1},
     edges: {arrows: {to: {enabled: true, scaleFactor: 0.4}}, color: {color: '#b8b8b8', highlight: '#333', hover: '#666'},
             width: 1, smooth: false}});
  network.once('afterDrawing', function () {
    network.fit({animation: false});
    network.moveTo({scale: network.getScale() * 0.9, animation: false});  // room for edge labels of the outer nodes
    document.body.setAttribute('data-rendered', 'true');
    if (location.hash.indexOf('#find=') === 0) window.kgFind(decodeURIComponent(location.hash.slice(6)));
  });
  network.on('click', function (p) {
    if (p.nodes.length) showNode(p.nodes[0]); else if (p.edges.length) showEdge(p.edges[0]);
  });
  var input = document.getElementById('kg-search'), status = document.getElementById('kg-status');
  function find(q) {
    q = q.trim().toLowerCase(); if (!q) return null;
    if (q in byLabel) return byLabel[q];
    for (var i = 0; i < data.nodes.length; i++) if (data.nodes[i].name.toLowerCase().indexOf(q) >= 0) return data.nodes[i].id;
    return null;
  }
  function go() {
    var id = find(input.value);
    if (!id) { status.textContent = input.value.trim() ? 'not found' : ''; return; }
    status.textContent = '';
    network.selectNodes([id]);
    network.focus(id, {scale: 1.4, animation: false});
    showNode(id);
  }
  input.addEventListener('change', go);
  input.addEventListener('keydown', function (e) { if (e.key === 'Enter') go(); });
  window.kgFind = function (q) { input.value = q; go(); return find(q); };
})();
"""


def render_html(G: nx.MultiDiGraph, pos: dict | None = None, title: str = "kg knowledge graph",
                vis_js: str | None = None) -> str:
    """The page for ``G`` (``vis_js`` defaults to the vendored vis-network)."""
    data = graph_data(G, pos)
    counts = Counter(n["type"] for n in data["nodes"])
    types = [t for t in TYPE_COLORS if counts.get(t)] + sorted(t for t in counts if t not in TYPE_COLORS)
    legend = "".join(
        f'<li><i style="background:{type_color(t)}"></i>{html.escape(t)} ({counts[t]})</li>' for t in types)
    csp = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
           "img-src data: blob:; connect-src 'none'")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
<input id="kg-search" type="search" list="kg-labels" placeholder="Find a node by label…" aria-label="Find a node by label">
<datalist id="kg-labels"></datalist>
<span id="kg-status" role="status"></span>
<span id="kg-count">{len(data["nodes"])} nodes, {len(data["edges"])} edges (loading…)</span>
<ul id="kg-legend">{legend}</ul>
</header>
<div id="kg-graph"></div>
<aside id="kg-details"><h2>Details</h2><p>Click a node or an edge, or search by label, to see its attributes and evidence.
Node size: PageRank. Drag to move, scroll to zoom.</p></aside>
<script>
{vis_js if vis_js is not None else vis_network_js()}
</script>
<script id="kg-data" type="application/json">{_json(data)}</script>
<script>{_APP}</script>
</body>
</html>
"""


def write_html(ctx: ExportContext, path: Path) -> Path:
    """Write the build's analysed projection as the interactive page ``path``."""
    G = analysed(ctx).graph
    return atomic_write(path, render_html(G, positions(ctx)))
