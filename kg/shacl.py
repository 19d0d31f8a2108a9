"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

Two engines, the same results (``tests/test_shacl_core.py``): pyshacl, the
reference, for ``kg validate``; and :mod:`kg.shacl_core`, a SHACL Core engine
about 20 times faster, for the check ``kg build`` runs on every new graph
(:func:`validate_table`).

The data graph is validated as written: no RDFS/OWL inference, no ontology
mixed in (the shapes name every admissible class explicitly), SHACL Core
only. That keeps validation linear in the graph size. Results with severity
``sh:Warning`` are reported but do not make the graph non-conforming.

Examples
--------
>>> from kg.examples import sample_kb
>>> from kg.rdf import to_graph
>>> report = validate_graph(to_graph(sample_kb()))
>>> report.conforms, len(report.violations)
(True, 0)
>>> from rdflib import Literal
>>> from kg.vocab import KG
>>> g = to_graph(sample_kb())
>>> op = next(g.subjects(KG.kind, Literal("raid")))
>>> g.set((op, KG.killed, Literal(-1)))
<Graph identifier=... (<class 'rdflib.graph.Graph'>)>
>>> r = validate_graph(g)
>>> r.conforms, [f.path for f in r.violations]
(False, ['kg:killed'])
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from .errors import OutputError
from .vocab import ONTOLOGY_DIR, PREFIXES

SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One SHACL validation result, with IRIs shortened to prefixed names where a prefix is known."""

    severity: str  #: ``Violation``, ``Warning`` or ``Info``
    focus: str  #: the focus node IRI
    label: str | None  #: its rdfs:label in the data graph
    types: str  #: its classes, prefixed, comma-separated
    path: str | None  #: the property path, prefixed
    value: str | None  #: the offending value, when there is one
    message: str
    shape: str  #: the source shape (prefixed or blank)

    def format(self) -> str:
        """Two lines: what is wrong (the focus node), then where and why.

        >>> print(Finding("Violation", "https://x/op/1", "raid", "kg:Operation", "kg:killed", "-1",
        ...               "must be >= 0", "kgsh:OperationShape").format())
        Violation  "raid" (kg:Operation) <https://x/op/1>
                   kg:killed: must be >= 0 [value: -1]
        """
        who = (f'"{self.label}" ' if self.label else "") + (f"({self.types}) " if self.types else "") + f"<{self.focus}>"
        where = f"{self.path}: " if self.path else ""
        value = f" [value: {self.value}]" if self.value is not None else ""
        return f"{self.severity:<10} {who}\n{'':<10} {where}{self.message}{value}"


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of :func:`validate_graph`: conforms unless there is at least one violation."""

    findings: tuple[Finding, ...]
    triples: int
    seconds: float
    shapes: str

    @property
    def violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "Violation")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity != "Violation")

    @property
    def conforms(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        """One line: verdict, counts and time.

        >>> ValidationReport((), 10, 0.25, "shapes.ttl").summary()
        'conforms: 10 triples checked against shapes.ttl in 0.2 s; 0 violations, 0 warnings'
        """
        verdict = "conforms" if self.conforms else "does NOT conform"
        return (f"{verdict}: {self.triples} triples checked against {self.shapes} in {self.seconds:.1f} s; "
                f"{len(self.violations)} violations, {len(self.warnings)} warnings")

    def format(self, limit: int | None = None) -> str:
        """Every finding (violations first), then the summary line; ``limit`` caps the findings shown."""
        shown = self.findings if limit is None else self.findings[:limit]
        lines = [f.format() for f in shown]
        if len(shown) < len(self.findings):
            lines.append(f"… and {len(self.findings) - len(shown)} more (kg validate shows all)")
        lines.append(self.summary())
        return "\n".join(lines)


def _short(term) -> str:
    s = str(term)
    if isinstance(term, URIRef):
        for p, ns in PREFIXES.items():
            if s.startswith(str(ns)) and len(s) > len(str(ns)):
                return f"{p}:{s[len(str(ns)):]}"
        if s.startswith("https://w3id.org/kgnews/shapes#"):
            return "kgsh:" + s.rsplit("#", 1)[1]
    return s


@lru_cache(maxsize=4)
def load_shapes(path: str | Path = SHAPES_PATH) -> Graph:
    """The shapes graph (parsed once per process)."""
    g = Graph()
    g.parse(str(path), format="turtle")
    return g


def _findings(results: Graph, data: Graph) -> list[Finding]:
    out = []
    nested = set(results.objects(None, SH.detail))  # pyshacl's explanations of sh:node failures, not results
    for r in set(results.subjects(RDF.type, SH.ValidationResult)) - nested:
        focus = results.value(r, SH.focusNode)
        msgs = sorted(str(m) for m in results.objects(r, SH.resultMessage))
        out.append(_finding(results.value(r, SH.resultSeverity), focus, results.value(r, SH.resultPath),
                            results.value(r, SH.value), msgs[0] if msgs else "constraint not met",
                            results.value(r, SH.sourceShape), data.value(focus, RDFS.label),
                            data.objects(focus, RDF.type)))
    return _sorted(out)


def _finding(severity, focus, path, value, message: str, shape, label, types) -> Finding:
    """A :class:`Finding` from the terms of one validation result (either engine)."""
    return Finding(
        severity=_SEVERITY.get(severity, "Violation"),
        focus=str(focus),
        label=str(label) if label is not None else None,
        types=", ".join(sorted(_short(t) for t in types)),
        path=_short(path) if isinstance(path, URIRef) else None,
        value=(str(value) if isinstance(value, Literal) else _short(value)) if value is not None else None,
        message=message,
        shape=_short(shape),
    )


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (_ORDER.get(f.severity, 3), f.focus, f.path or "", f.message, f.value or ""))


def validate_graph(graph: Graph, shapes: str | Path = SHAPES_PATH) -> ValidationReport:
    """Validate ``graph`` (left unchanged) against the SHACL ``shapes`` file."""
    from pyshacl import validate

    shapes_graph = load_shapes(str(shapes))
    t0 = time.perf_counter()
    # inplace: no inference is run, so pyshacl has nothing to add and copying the graph is wasted time
    _, results, _ = validate(graph, shacl_graph=shapes_graph, inference="none", inplace=True,
                             allow_warnings=True, advanced=False, abort_on_first=False)
    findings = _findings(results, graph)
    return ValidationReport(tuple(findings), len(graph), time.perf_counter() - t0, Path(shapes).name)


@lru_cache(maxsize=4)
def _compiled(path: str):
    from .shacl_core import Shapes

    return Shapes(load_shapes(path))


def validate_table(table, shapes: str | Path = SHAPES_PATH) -> ValidationReport:
    """Validate a build's :class:`kg.rdf.Table` with the fast SHACL Core engine (:mod:`kg.shacl_core`).

    Falls back to pyshacl when the shapes use a feature that engine does not implement.

    >>> from kg.examples import sample_kb
    >>> from kg.rdf import Table
    >>> validate_table(Table.from_kb(sample_kb())).conforms
    True
    """
    from .shacl_core import Unsupported, validate as core

    t0 = time.perf_counter()
    try:
        compiled = _compiled(str(shapes))
    except Unsupported:
        return validate_graph(table.graph(), shapes)
    by_s = table.by_subject()
    findings = []
    for r in core(by_s, compiled):
        node = by_s.get(r.focus, {})
        labels = node.get(RDFS.label, ())
        findings.append(_finding(r.severity, r.focus, r.path, r.value, r.message or f"{r.component} constraint not met",
                                 r.shape, labels[0] if labels else None, node.get(RDF.type, ())))
    return ValidationReport(tuple(_sorted(findings)), len(table), time.perf_counter() - t0, Path(shapes).name)


def validate(out: str | Path, shapes: str | Path = SHAPES_PATH, engine: str = "pyshacl") -> ValidationReport:
    """Validate the graph of the build folder ``out`` (its ``graph.ttl``, else ``graph.nt``)
    with pyshacl, or with ``engine="core"`` the fast engine :func:`validate_table` uses."""
    from .rdf import Table
    from .store import load_graph

    if not Path(shapes).is_file():
        raise OutputError(f"{shapes}: shapes file not found")
    graph = load_graph(Path(out))
    if engine == "core":
        return validate_table(Table((t, ()) for t in graph), shapes)
    return validate_graph(graph, shapes)
