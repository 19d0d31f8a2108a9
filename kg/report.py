"""The analysis report: ``report.md``, ``report.html`` and charts in ``report_files/``.

:func:`summary_text` (what ``kg analyze`` prints), :func:`render_markdown` and
:func:`render_html` are pure; :func:`charts` draws the PNGs with matplotlib's
object API on the Agg canvas (no pyplot, no display, no global backend switch);
:func:`write_report` writes everything through :func:`kg.export.atomic_write`.

Charts: operations per month, tallies per conducting organization, and the
actor network (the most central nodes of the projection) coloured by
community. Same analysis, same bytes: PNGs carry no timestamp or version.

Examples
--------
>>> from rdflib import Graph
>>> from kg.analysis import analyse
>>> print(summary_text(analyse(Graph())).splitlines()[0])
0 nodes, 0 edges; 0 communities of 2+ nodes; 0 connected components
"""
from __future__ import annotations

import html
import io
from collections.abc import Sequence
from pathlib import Path

from .analysis import ACTOR_TYPES, Analysis, Tally, undirected
from .export.graphattrs import clean

#: Node types with a "top by PageRank" table, in report order.
TOP_TYPES = ("Organization", "Official", "Person", "Location")
#: Community colours (tab20); communities past the 20th are grey.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
           "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#9edae5",
           "#dbdb8d", "#c7c7c7")
OTHER = "#dddddd"
#: Nodes drawn in the network chart (highest PageRank first, isolated nodes left out) and labelled.
NETWORK_MAX = 150
NETWORK_LABELS = 25
FILES = "report_files"
IMAGES = {
    "monthly": ("operations_per_month.png", "Operations per month"),
    "conductors": ("conductors.png", "Operations, killed and arrested per conducting organization"),
    "network": ("network.png", "Actor network, coloured by community (size: PageRank)"),
}


# ---------------------------------------------------------------------------
# tables (shared by the three renderings)


def _f(x: float) -> str:
    return f"{x:.4f}"


def _d(s: str | None) -> str:
    return s or "–"


def top_rows(a: Analysis, type_: str, n: int) -> list[list[str]]:
    sizes = {i: len(c) for i, c in enumerate(a.communities)}
    C = a.cooccurrence
    return [[d["label"], _f(d.get("pagerank", 0)), _f(d.get("betweenness", 0)), str(d.get("degree", 0)),
             str(d.get("mentions", 0)), str(int(C.degree(k, weight="weight")) if k in C else 0),
             str(d["community"]) if sizes.get(d.get("community"), 0) > 1 else "–"] for k, d in a.top(type_, n)]


TOP_HEAD = ["name", "PageRank", "betweenness", "degree", "articles", "co-mentions", "community"]
CONDUCTOR_HEAD = ["organization", "operations", "killed", "injured", "arrested", "places", "first", "last"]
TARGET_HEAD = ["organization", "targeted by operations", "first", "last"]
COMMUNITY_HEAD = ["community", "nodes", "most central members"]
CO_HEAD = ["actor", "type", "actors met", "shared-article weight"]
JOINT_HEAD = ["organization", "organization", "joint operations"]


def conductor_rows(ts: Sequence[Tally]) -> list[list[str]]:
    return [[t.label, str(t.conducted), str(t.killed), str(t.injured), str(t.arrested), str(t.places),
             _d(t.first_date), _d(t.last_date)] for t in ts]


def target_rows(ts: Sequence[Tally]) -> list[list[str]]:
    return [[t.label, str(t.targeted), _d(t.first_date), _d(t.last_date)] for t in ts]


def community_rows(a: Analysis, n: int = 15, members: int = 6) -> list[list[str]]:
    G = a.graph
    rows = []
    for i, comm in enumerate(a.communities):
        if len(comm) < 2 or len(rows) >= n:
            continue
        best = sorted(comm, key=lambda k: (G.nodes[k]["type"] == "Operation", -G.nodes[k].get("pagerank", 0), k))
        rows.append([str(i), str(len(comm)), ", ".join(G.nodes[k]["label"] for k in best[:members])])
    return rows


def co_rows(a: Analysis, n: int) -> list[list[str]]:
    return [[d["label"], d["type"], str(deg), str(w)] for _, d, deg, w in a.co_mentioned(n)]


def _counts(a: Analysis) -> tuple[int, int, int, int]:
    G = a.graph
    return (G.number_of_nodes(), G.number_of_edges(), sum(1 for c in a.communities if len(c) > 1), len(a.components))


def _sections(a: Analysis, n: int) -> list[tuple[str, list[str], list[list[str]]]]:
    out = [
        ("Most targeted organizations", TARGET_HEAD, target_rows(a.most_targeted(n))),
        ("Top conducting organizations", CONDUCTOR_HEAD, conductor_rows(a.conductors(n))),
    ]
    for t in TOP_TYPES:
        out.append((f"Top {t} nodes by PageRank", TOP_HEAD, top_rows(a, t, n)))
    out += [
        ("Most co-mentioned actors", CO_HEAD, co_rows(a, n)),
        ("Organizations operating together", JOINT_HEAD, [[x, y, str(w)] for x, y, w in a.joint(n)]),
        ("Communities", COMMUNITY_HEAD, community_rows(a)),
    ]
    return [(title, head, [[clean(c) for c in r] for r in rows]) for title, head, rows in out]


def _aligned(head: list[str], rows: list[list[str]], indent: str = "  ", width: int = 40) -> list[str]:
    cut = [[c if len(c) <= width else c[: width - 1] + "…" for c in r] for r in [head, *rows]]
    w = [max(len(r[i]) for r in cut) for i in range(len(head))]
    lines = []
    for j, r in enumerate(cut):
        lines.append(indent + "  ".join(c.ljust(w[i]) if i == 0 else c.rjust(w[i]) for i, c in enumerate(r)).rstrip())
        if j == 0:
            lines.append(indent + "  ".join("-" * x for x in w))
    return lines


def summary_text(a: Analysis, n: int = 10) -> str:
    """Plain aligned text: counts, the most targeted and conducting organizations, the top
    nodes per type, co-mentions and the communities."""
    nodes, edges, comms, comps = _counts(a)
    lines = [f"{nodes} nodes, {edges} edges; {comms} communities of 2+ nodes; {comps} connected components"]
    for title, head, rows in _sections(a, n):
        if title == "Communities":
            rows = [[r[0], r[1], r[2]] for r in rows]
        lines += ["", title + ":"]
        lines += _aligned(head, rows, width=60 if title == "Communities" else 40) if rows else ["  (none)"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# charts


def _figure(w: float, h: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=12, color="#666", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def monthly_chart(a: Analysis) -> bytes:
    fig = _figure(8, 3.5)
    ax = fig.add_subplot()
    ops = sum(1 for _, t in a.graph.nodes(data="type") if t == "Operation")
    dated = sum(c for _, c in a.monthly)
    if a.monthly:
        months = [m for m, _ in a.monthly]
        ax.bar(range(len(months)), [c for _, c in a.monthly], color="#8c6bb1", width=0.8)
        step = max(1, len(months) // 12)
        ax.set_xticks(range(0, len(months), step), months[::step], rotation=45, ha="right")
        ax.set_xlim(-0.75, max(len(months), 6) - 0.25)
        ax.set_ylabel("operations")
        ax.yaxis.get_major_locator().set_params(integer=True)
    else:
        _empty(ax, "no operation has a date")
    ax.set_title(f"{IMAGES['monthly'][1]} ({dated} of {ops} operations dated to a month)")
    fig.tight_layout()
    return _png(fig)


def conductors_chart(a: Analysis, n: int = 15) -> bytes:
    ts = a.conductors(n)
    fig = _figure(10, max(2.5, 0.35 * len(ts) + 1.5))
    if not ts:
        _empty(fig.add_subplot(), "no operation has a conducting organization")
        return _png(fig)
    axes = fig.subplots(1, 3, sharey=True)
    labels = [clean(t.label) if len(t.label) <= 32 else clean(t.label)[:31] + "…" for t in ts][::-1]
    for ax, (name, color) in zip(axes, (("conducted", "#1f77b4"), ("killed", "#d62728"), ("arrested", "#ff7f0e"))):
        vals = [getattr(t, name) for t in ts][::-1]
        ax.barh(range(len(ts)), vals, color=color)
        ax.set_title("operations" if name == "conducted" else name)
        ax.set_yticks(range(len(ts)), labels)
        for i, v in enumerate(vals):
            if v:
                ax.text(v, i, f" {v}", va="center", fontsize=8)
        ax.margins(x=0.25)
        ax.xaxis.get_major_locator().set_params(integer=True)
    fig.suptitle(IMAGES["conductors"][1])
    fig.tight_layout()
    return _png(fig)


def network_chart(a: Analysis) -> bytes:
    import networkx as nx

    G = a.graph
    U = undirected(G)
    keep = sorted((k for k in U if U.degree(k)), key=lambda k: (-G.nodes[k].get("pagerank", 0), k))[:NETWORK_MAX]
    fig = _figure(10, 8)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(IMAGES["network"][1])
    if not keep:
        _empty(ax, "no connected nodes")
        return _png(fig)
    H = U.subgraph(sorted(keep))
    pos = nx.spring_layout(H, seed=42, iterations=100, k=1.5 / max(1, len(H)) ** 0.5, weight=None)
    top = max(G.nodes[k].get("pagerank", 0) for k in H) or 1.0
    for u, v in sorted(H.edges()):
        ax.plot([pos[u][0], pos[v][0]], [pos[u][1], pos[v][1]], color="#bbbbbb", lw=0.7, zorder=1)
    for t, marker in (("Operation", "D"), ("Location", "^"), *((t, "o") for t in ACTOR_TYPES)):
        ns = [k for k in H if G.nodes[k]["type"] == t]
        if not ns:
            continue
        ax.scatter([pos[k][0] for k in ns], [pos[k][1] for k in ns], marker=marker, zorder=2, linewidths=0.6,
                   edgecolors="#333333",
                   s=[30 + 600 * (G.nodes[k].get("pagerank", 0) / top) for k in ns],
                   c=[_community_color(G.nodes[k].get("community")) for k in ns])
    named = sorted((k for k in H if G.nodes[k]["type"] != "Operation"),
                   key=lambda k: (-G.nodes[k].get("pagerank", 0), k))[:NETWORK_LABELS]
    for k in named:
        ax.annotate(clean(G.nodes[k]["label"]), pos[k], xytext=(4, 4), textcoords="offset points", fontsize=8, zorder=3)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker=m, ls="", color="#777", label=lbl)
               for m, lbl in (("o", "actor"), ("^", "location"), ("D", "operation"))]
    ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    return _png(fig)


def _community_color(c: int | None) -> str:
    return PALETTE[c] if c is not None and 0 <= c < len(PALETTE) else OTHER


def charts(a: Analysis) -> dict[str, bytes]:
    """``{file name: PNG bytes}`` of the three charts."""
    return {
        IMAGES["monthly"][0]: monthly_chart(a),
        IMAGES["conductors"][0]: conductors_chart(a),
        IMAGES["network"][0]: network_chart(a),
    }


# ---------------------------------------------------------------------------
# documents


def _md_cell(s: str) -> str:
    for ch in "\\|<>*_`[]":
        s = s.replace(ch, "\\" + ch)
    return s.replace("\n", " ")


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["_(none)_"]
    out = ["| " + " | ".join(map(_md_cell, head)) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(map(_md_cell, r)) + " |" for r in rows]
    return out


def _intro(a: Analysis) -> str:
    nodes, edges, comms, comps = _counts(a)
    return (f"{nodes} nodes and {edges} edges (entities and operations); {comms} communities of two or more "
            f"nodes (Louvain, seed 42); {comps} connected components. Centralities are computed on the "
            f"undirected projection: PageRank weighted by supporting articles, betweenness normalised.")


def render_markdown(a: Analysis, n: int = 10, title: str = "Knowledge graph analysis") -> str:
    lines = [f"# {title}", "", _intro(a), ""]
    for key in ("monthly", "conductors", "network"):
        name, alt = IMAGES[key]
        lines += [f"![{alt}]({FILES}/{name})", ""]
    for sec, head, rows in _sections(a, n):
        lines += [f"## {sec}", "", *_md_table(head, rows), ""]
    return "\n".join(lines)


def _html_table(head: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return "<p><em>(none)</em></p>"
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def render_html(a: Analysis, n: int = 10, title: str = "Knowledge graph analysis") -> str:
    figs = "".join(
        f'<figure><img src="{FILES}/{name}" alt="{html.escape(alt)}"><figcaption>{html.escape(alt)}</figcaption></figure>'
        for name, alt in (IMAGES[k] for k in ("monthly", "conductors", "network")))
    secs = "".join(f"<h2>{html.escape(s)}</h2>{_html_table(h, r)}" for s, h, r in _sections(a, n))
    css = ("body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
           "table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ddd;padding:3px 8px;"
           "text-align:left}td:not(:first-child){text-align:right}th{background:#f4f4f4}"
           "figure{margin:1em 0}img{max-width:100%;border:1px solid #eee}figcaption{color:#555;font-size:13px}")
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
            f"<style>{css}</style>\n</head>\n<body>\n<h1>{html.escape(title)}</h1>\n<p>{html.escape(_intro(a))}</p>\n"
            f"{figs}\n{secs}\n</body>\n</html>\n")


def write_report(a: Analysis, out: str | Path, n: int = 10) -> list[Path]:
    """Write ``report.md``, ``report.html`` and ``report_files/*.png`` into ``out``."""
    from .export import atomic_write

    out = Path(out)
    written = [atomic_write(out / FILES / name, data) for name, data in charts(a).items()]
    written.append(atomic_write(out / "report.md", render_markdown(a, n)))
    written.append(atomic_write(out / "report.html", render_html(a, n)))
    return written
