"""Exports: every file the tool writes goes through here.

Each format is a writer ``(ctx, out_dir) -> list[Path]`` registered in
:data:`FORMATS`. Writers write through :func:`atomic_write`, so an
interrupted build never leaves a half-written file.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
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

    def release(self, keep) -> None:
        """Drop the derived data (:meth:`cached` here, :meth:`kg.rdf.Table.release` in the table)
        whose names are not in ``keep``; the table itself stays."""
        self._cache = {k: v for k, v in self._cache.items() if k == "table" or k in keep}
        from ..rdf import Table

        table = self._cache.get("table", self.graph)
        if isinstance(table, Table):
            table.release(keep)


#: Characters of text encoded at once by :func:`atomic_write`.
ENCODE_PIECE = 1 << 23
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
            if isinstance(data, bytes):
                f.write(data)
            else:
                for chunk in (data,) if isinstance(data, str) else data:
                    # a long text (the whole Turtle or JSON-LD document) encoded a piece at a time:
                    # its bytes are never all in memory beside it
                    for i in range(0, len(chunk), ENCODE_PIECE):
                        f.write(chunk[i:i + ENCODE_PIECE].encode("utf-8"))
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


#: The derived data each format reads and shares with others (names of ``Table.memo`` keys, of
#: ``ExportContext.cached`` values and of the table's indexes); see :func:`write`'s ``keep``.
_GRAPH_READS = frozenset({"by_predicate", "subjects-by-object", "analysis", "layout"})
READS: dict[str, frozenset[str]] = {
    "turtle": frozenset({"nt-sorted", "turtle-default"}),
    "trig": frozenset({"nt-sorted", "turtle-default", "named-sorted"}),
    "nt": frozenset({"nt-sorted"}),
    "nquads": frozenset({"nt-sorted", "named-sorted"}),
    "jsonld": frozenset({"by_subject"}),
    "graphml": _GRAPH_READS, "gexf": _GRAPH_READS, "neo4j": _GRAPH_READS, "html": _GRAPH_READS,
}


def reads(formats: Iterable[str]) -> set[str]:
    """The derived data that writing ``formats`` reads (:data:`READS`)."""
    return set().union(*(READS.get(f, ()) for f in formats))


def write(ctx: ExportContext, out_dir: str | os.PathLike, formats=None, keep=None) -> list[Path]:
    """Write ``formats`` (default: all) into ``out_dir``; the paths written (see :func:`write_each`)."""
    return [p for paths in write_each(ctx, out_dir, formats, keep).values() for p in paths]


def write_each(ctx: ExportContext, out_dir: str | os.PathLike, formats=None, keep=None) -> dict[str, list[Path]]:
    """Write ``formats`` (default: all) into ``out_dir``, in that order; format → the paths it wrote.

    With ``keep`` (names, see :data:`READS`), the derived data the formats share is dropped as soon
    as no format still to be written, and nothing in ``keep``, reads it: a build's peak memory is
    then not every format's data at once (at 1,000 articles the Turtle text and the sorted lines
    are still held when JSON-LD builds its document otherwise).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, list[Path]] = {}
    formats = list(formats or DEFAULT_FORMATS)
    for i, name in enumerate(formats):
        written[name] = FORMATS[name](ctx, out)
        if keep is not None:
            ctx.release(reads(formats[i + 1:]) | set(keep))
    return written


# ---------------------------------------------------------------------------
# Several processes

#: Formats that share derived data (``Table.memo``, ``ExportContext.cached``: the sorted lines, the
#: Turtle block, the graph analysis), so one process writes them all, and their rough relative cost
#: (seconds at 1,000 articles).
FAMILIES: tuple[tuple[str, ...], ...] = (("turtle", "trig"), ("graphml", "gexf", "neo4j", "html"), ("nt", "nquads"),
                                         ("jsonld",))
COST = {"turtle": 1.2, "trig": 0.8, "graphml": 1.6, "gexf": 0.13, "neo4j": 0.34, "html": 0.18, "nt": 0.2,
        "nquads": 0.95, "jsonld": 1.9}


def plan(formats: Sequence[str], processes: int, head_start: float = 0.0) -> list[list[str]]:
    """``formats`` shared out among ``processes`` (the first list is the calling process's, which
    also has ``head_start`` seconds of other work), families kept together, longest first.

    >>> plan(["turtle", "trig", "graphml", "gexf", "nt", "jsonld"], 2)
    [['turtle', 'trig', 'nt'], ['graphml', 'gexf', 'jsonld']]
    >>> plan(["turtle", "trig", "graphml", "gexf", "nt", "jsonld"], 2, head_start=2.0)
    [['jsonld'], ['turtle', 'trig', 'graphml', 'gexf', 'nt']]
    >>> plan(["turtle", "jsonld"], 1)
    [['turtle', 'jsonld']]
    >>> plan(["turtle"], 3, head_start=5.0)
    [[], ['turtle']]
    """
    fams = [[f for f in fam if f in formats] for fam in FAMILIES]
    fams = [f for f in fams if f] + [[f] for f in formats if not any(f in fam for fam in FAMILIES)]
    cost = lambda fam: sum(COST.get(f, 1.0) for f in fam)  # noqa: E731
    bins: list[list[str]] = [[] for _ in range(max(1, processes))]
    load = [head_start] + [0.0] * (len(bins) - 1)
    for fam in sorted(fams, key=cost, reverse=True):
        i = load.index(min(load))
        bins[i] += fam
        load[i] += cost(fam)
    order = {f: i for i, f in enumerate(formats)}
    # the calling process's list stays first even when empty (its head start outweighs every family)
    return [sorted(b, key=order.__getitem__) for i, b in enumerate(bins) if b or i == 0]


class Forked:
    """Exports written by a forked copy of this process (Linux/macOS ``os.fork``): it shares the
    table and knowledge base without copying or pickling them. :meth:`join` returns the paths it
    wrote (format → paths), or raises what it raised. Files are written atomically, so a failed or killed child
    leaves no half-written file."""

    def __init__(self, ctx: ExportContext, out: Path, formats: Sequence[str]):
        import pickle

        self.formats = list(formats)
        r, w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: write, report, and leave without running the parent's exit code
            status = 0
            try:
                import signal
                import sys

                # stopped by the parent (:meth:`kill`): unwind, so that atomic_write removes its temporary file
                signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
                os.close(r)
                try:
                    # each format's data dropped once no later one reads it (this process ends after)
                    done = write_each(ctx, out, formats, keep=())
                    payload = pickle.dumps(("ok", {f: [str(p) for p in paths] for f, paths in done.items()}))
                except BaseException as e:  # noqa: BLE001 - every failure goes back to the parent
                    try:
                        payload = pickle.dumps(("error", e))
                    except Exception:  # noqa: BLE001 - an exception that does not pickle
                        payload = pickle.dumps(("error", RuntimeError(f"{type(e).__name__}: {e}")))
                with os.fdopen(w, "wb") as f:
                    f.write(payload)
            except BaseException:  # noqa: BLE001
                status = 1
            finally:
                os._exit(status)
        os.close(w)
        self._r = r

    def join(self) -> dict[str, list[Path]]:
        import pickle

        with os.fdopen(self._r, "rb") as f:
            payload = f.read()
        _, status = os.waitpid(self.pid, 0)
        if not payload:
            from ..errors import KGError

            raise KGError(f"the process writing {', '.join(self.formats)} stopped ({_status(status)})")
        kind, value = pickle.loads(payload)
        if kind == "error":
            raise value
        return {f: [Path(p) for p in paths] for f, paths in value.items()}

    def kill(self) -> None:
        """Stop the child (the caller failed) and reap it."""
        import signal

        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self._r)


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.WEXITSTATUS(status) if os.WIFEXITED(status) else status}"
