"""Exports: every file the tool writes goes through here.

Each format is a writer ``(ctx, out_dir) -> list[Path]`` registered in
:data:`FORMATS`. Writers write through :func:`atomic_write`, so an
interrupted build never leaves a half-written file.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from ..model import KnowledgeBase


@dataclass
class ExportContext:
    graph: Graph
    kb: KnowledgeBase
    base: str
    options: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict)

    def cached(self, name: str, make: Callable):
        """Compute a derived object (dataset, projection…) once per export run."""
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]


def atomic_write(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(d / "x.txt", "hi").read_text()
    'hi'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _turtle(ctx: ExportContext, out: Path) -> list[Path]:
    return [atomic_write(out / "graph.ttl", ctx.graph.serialize(format="turtle"))]


def _graphml(ctx: ExportContext, out: Path) -> list[Path]:
    from .graphml import write_graphml

    return [write_graphml(ctx, out / "graph.graphml")]


#: name → writer. Order is the order of writing.
FORMATS: dict[str, Callable[[ExportContext, Path], list[Path]]] = {
    "turtle": _turtle,
    "graphml": _graphml,
}
DEFAULT_FORMATS = tuple(FORMATS)


def write(ctx: ExportContext, out_dir: str | os.PathLike, formats=None) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in formats or DEFAULT_FORMATS:
        written += FORMATS[name](ctx, out)
    return written
