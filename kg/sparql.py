"""SPARQL over a build folder: run a query on its Oxigraph store and format the results.

Every prefix of :data:`kg.vocab.PREFIXES` (``kg``, ``rdfs``, ``skos``,
``schema``, ``sem``, ``org``, ``prov``, ``xsd`` …) is predeclared, so queries
may use them without ``PREFIX`` lines. ``SELECT`` results format as an aligned
table (default) or as the W3C result formats CSV, TSV and SPARQL JSON;
``ASK`` gives ``true``/``false``; ``CONSTRUCT``/``DESCRIBE`` give Turtle (or
N-Triples with ``nt``).

Examples
--------
>>> import pyoxigraph as ox
>>> from kg.examples import sample_kb
>>> from kg.rdf import to_graph
>>> store = ox.Store()
>>> store.load(to_graph(sample_kb()).serialize(format="nt"), ox.RdfFormat.N_TRIPLES)
>>> q = "SELECT ?name WHERE { ?o a kg:Official ; rdfs:label ?name }"
>>> print(format_results(run_query(store, q), "table"))
name
---------
Saad Maan
(1 row)
>>> print(format_results(run_query(store, q), "tsv"), end="")
?name
"Saad Maan"
>>> format_results(run_query(store, "ASK { ?op kg:killed 3 }"), "table")
'true'
"""
from __future__ import annotations

from pathlib import Path

from .errors import KGError
from .vocab import ONTOLOGY_DIR, PREFIXES

QUERIES_DIR = ONTOLOGY_DIR / "queries"
#: Formats of ``kg query --format``.
RESULT_FORMATS = ("table", "csv", "tsv", "json", "turtle", "nt")
#: Predeclared prefixes, as pyoxigraph takes them.
SPARQL_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items()}


class QueryError(KGError):
    """A query that cannot be parsed or run, or a result format that does not fit it."""


def read_query(query: str) -> str:
    """The query text: ``query`` itself, or the contents of the file it names (``*.rq``).

    >>> read_query("ASK {}")
    'ASK {}'
    """
    looks_like_path = query.endswith((".rq", ".sparql")) or ("\n" not in query and "{" not in query)
    if looks_like_path:
        p = Path(query)
        if not p.is_file() and not p.is_absolute() and (QUERIES_DIR / p).is_file():
            p = QUERIES_DIR / p  # a shipped competency query by name
        if p.is_file():
            return p.read_text(encoding="utf-8")
        if query.endswith((".rq", ".sparql")):
            raise QueryError(f"{query}: no such query file (shipped queries: {', '.join(shipped_queries())})")
    return query


def shipped_queries() -> list[str]:
    """File names of the competency queries in ``ontology/queries/``."""
    return sorted(p.name for p in QUERIES_DIR.glob("*.rq"))


def query_description(path: str | Path) -> str:
    """The leading ``#`` comment block of a query file, without the ``#`` marks."""
    lines = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return "\n".join(lines).strip()


def run_query(store, query: str):
    """Run ``query`` on a ``pyoxigraph.Store`` with the project prefixes predeclared.

    Returns pyoxigraph's result: ``QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``.
    """
    try:
        return store.query(query, prefixes=SPARQL_PREFIXES)
    except SyntaxError as e:
        raise QueryError(f"invalid SPARQL: {str(e).strip()}") from None
    except OSError as e:  # evaluation errors surface as OSError in pyoxigraph
        raise QueryError(f"query failed: {e}") from None


def term_text(term) -> str:
    """Human form of a result term: prefixed name when a prefix fits, a literal's lexical value.

    >>> import pyoxigraph as ox
    >>> term_text(ox.NamedNode("https://w3id.org/kgnews/ontology#Operation"))
    'kg:Operation'
    >>> term_text(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    '3'
    """
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        for p, ns in SPARQL_PREFIXES.items():
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{p}:{iri[len(ns):]}"
        return iri
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _cell(s: str, width: int) -> str:
    s = " ".join(s.split())  # one line per row
    return s if width <= 0 or len(s) <= width else s[: width - 1] + "…"


def table(variables: list[str], rows: list[list[str]], max_width: int = 80) -> str:
    """An aligned text table with a header rule and a row count."""
    cells = [[_cell(v, max_width) for v in r] for r in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
    out = [line(variables), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(out)


def format_results(result, fmt: str = "table", max_width: int = 80) -> str:
    """Format a pyoxigraph query result; ``fmt`` is one of :data:`RESULT_FORMATS`."""
    import pyoxigraph as ox

    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown result format {fmt!r}; choose from {', '.join(RESULT_FORMATS)}")
    if isinstance(result, ox.QueryBoolean):
        if fmt in ("json", "csv", "tsv"):
            f = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
                 "tsv": ox.QueryResultsFormat.TSV}[fmt]
            return result.serialize(format=f).decode("utf-8")
        return "true" if bool(result) else "false"
    if isinstance(result, ox.QueryTriples):
        if fmt not in ("table", "turtle", "nt"):
            raise QueryError(f"CONSTRUCT/DESCRIBE results are RDF: use --format turtle or nt, not {fmt}")
        nt = result.serialize(format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        if fmt == "nt":
            return "".join(sorted(line + "\n" for line in nt.split("\n") if line))
        from rdflib import Graph

        from .vocab import bind_prefixes

        g = Graph()
        bind_prefixes(g)
        g.parse(data=nt, format="nt")
        return g.serialize(format="turtle")
    if fmt in ("csv", "tsv", "json"):
        f = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[fmt]
        return result.serialize(format=f).decode("utf-8")  # CSV keeps the standard's CRLF line ends
    if fmt in ("turtle", "nt"):
        raise QueryError(f"SELECT results are a table: use --format table, csv, tsv or json, not {fmt}")
    variables = [v.value for v in result.variables]
    rows = [[term_text(sol[v]) for v in variables] for sol in result]
    return table(variables, rows, max_width)


def query(out: str | Path, text: str, fmt: str = "table", max_width: int = 80) -> str:
    """Run ``text`` (a query or a ``.rq`` file) on the build folder ``out`` and format the result."""
    from .store import open_store

    store = open_store(Path(out))
    return format_results(run_query(store, read_query(text)), fmt, max_width)
