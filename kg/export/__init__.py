"""Exports: every file the tool writes goes through here.

Each format is a writer ``(ctx, out_dir) -> list[Path]`` registered in
:data:`FORMATS`. Writers write through :func:`atomic_write`, so an
interrupted build never leaves a half-written file.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from ..model import KnowledgeBase

if TYPE_CHECKING:
    from ..rdf import Table


@dataclass
class ExportContext:
    """What the writers read. ``graph`` is the build's :class:`~kg.rdf.Table` or an rdflib
    ``Graph`` (``kg export`` of a folder, tests); :attr:`table` is always a table, with the
    per-document named graphs from ``kb`` when it has documents."""

    graph: "Table | Graph"
    kb: KnowledgeBase
    base: str
    options: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict)

    @property
    def table(self) -> "Table":
        from ..rdf import Table

        if isinstance(self.graph, Table):
            return self.graph

        def make() -> Table:
            if self.kb is not None and self.kb.documents:
                return Table.from_kb(self.kb, self.base)
            return Table.from_graph(self.graph)

        return self.cached("table", make)

    def cached(self, name: str, make: Callable):
        """Compute a derived object (dataset, projection…) once per export run."""
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]


#: Permissions of written files (mkstemp's default 0600 would hide them from other users and web servers).
FILE_MODE = 0o644


def atomic_write(path: str | os.PathLike, data: bytes | str | Iterable[str]) -> Path:
    """Write ``data`` (bytes, text, or text in chunks — large exports stream) to ``path``
    via a temporary file in the same folder and a rename.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(d / "x.txt", "hi").read_text()
    'hi'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as f:
            if isinstance(data, (str, bytes)):
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
            else:
                for chunk in data:
                    f.write(chunk.encode("utf-8"))
        os.chmod(tmp, FILE_MODE)  # mkstemp makes 0600; exports are meant to be shared/served
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _graphml(ctx: ExportContext, out: Path) -> list[Path]:
    from .graphml import write_graphml

    return [write_graphml(ctx, out / "graph.graphml")]


def _gexf(ctx: ExportContext, out: Path) -> list[Path]:
    from .gexf import write_gexf

    return [write_gexf(ctx, out / "graph.gexf")]


def _neo4j(ctx: ExportContext, out: Path) -> list[Path]:
    from .neo4j import write_neo4j

    return write_neo4j(ctx, out / "neo4j")


def _html(ctx: ExportContext, out: Path) -> list[Path]:
    from .html import write_html

    return [write_html(ctx, out / "graph.html")]


def _rdf(writer: str) -> Callable[[ExportContext, Path], list[Path]]:
    """The writer ``writer`` of :mod:`kg.export.rdf_formats`, imported on first use."""

    def run(ctx: ExportContext, out: Path) -> list[Path]:
        from . import rdf_formats

        return getattr(rdf_formats, writer)(ctx, out)

    run.__name__ = writer
    return run


#: name → writer. Order is the order of writing.
FORMATS: dict[str, Callable[[ExportContext, Path], list[Path]]] = {
    "turtle": _rdf("write_turtle"),
    "graphml": _graphml,
    "gexf": _gexf,
    "neo4j": _neo4j,
    "html": _html,
    "nt": _rdf("write_nt"),
    "trig": _rdf("write_trig"),
    "nquads": _rdf("write_nquads"),
    "jsonld": _rdf("write_jsonld"),
}
DEFAULT_FORMATS = tuple(FORMATS)


def write(ctx: ExportContext, out_dir: str | os.PathLike, formats=None) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in formats or DEFAULT_FORMATS:
        written += FORMATS[name](ctx, out)
    return written
