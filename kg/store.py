"""Reading a built output folder back: the Turtle export and (later) the persistent store."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from .errors import OutputError
from .vocab import PREFIXES


def turtle_path(out: Path) -> Path:
    p = Path(out) / "graph.ttl"
    if not p.is_file():
        raise OutputError(f"{out}: no graph.ttl here; build one with: kg build INPUT -o {out}")
    return p


def load_graph(out: Path) -> Graph:
    """The merged graph of a build folder as an rdflib Graph."""
    g = Graph()
    try:
        g.parse(turtle_path(out), format="turtle")
    except (SyntaxError, ValueError) as e:  # rdflib's BadSyntax is a SyntaxError
        raise OutputError(f"{turtle_path(out)}: not valid Turtle: {str(e).splitlines()[0][:200]}") from None
    return g


def _short(iri: str) -> str:
    for p, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{p}:{iri[len(str(ns)):]}"
    return iri


def graph_stats(out: Path) -> tuple[list[tuple[str, int]], list[tuple[str, int]], int]:
    """(class counts, property counts, total triples), each sorted by count then name."""
    from collections import Counter

    from rdflib.namespace import RDF

    g = load_graph(out)
    classes = Counter(_short(str(o)) for o in g.objects(None, RDF.type))
    props = Counter(_short(str(p)) for p in g.predicates())
    order = lambda c: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))  # noqa: E731
    return order(classes), order(props), len(g)
