"""Reading a built output folder back: the RDF exports and the persistent SPARQL store.

The store is an Oxigraph (RocksDB) database in ``OUT/store/``, bulk-loaded from
``graph.nq`` (default graph = the merged graph, one named graph per document),
or from ``graph.trig``, ``graph.ttl`` or ``graph.nt`` when that is all there is.
It is rebuilt into a temporary folder and swapped in by renames, so a reader
never sees a half-loaded store; :func:`open_store` rebuilds it on demand when
it is missing or older than the exports it was loaded from.

Examples
--------
>>> import tempfile, pathlib
>>> from kg.examples import sample_kb
>>> from kg.rdf import to_graph
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = (out / "graph.ttl").write_text(to_graph(sample_kb()).serialize(format="turtle"))
>>> store = open_store(out)
>>> (out / "store" / STAMP).is_file(), len(store) == len(load_graph(out))
(True, True)
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph

from .errors import OutputError
from .vocab import PREFIXES, bind_prefixes

STORE_DIR = "store"
#: Written into the store folder: which export it was loaded from (name, size, mtime).
STAMP = "kg-store.json"
#: Exports a store can be loaded from, best first (datasets keep the per-document named graphs).
SOURCES = ("graph.nq", "graph.trig", "graph.ttl", "graph.nt")
#: Their formats, by suffix (names of ``pyoxigraph.RdfFormat`` attributes, which :mod:`kg.oxload` takes).
_FORMAT_NAMES = {".nq": "N_QUADS", ".trig": "TRIG", ".ttl": "TURTLE", ".nt": "N_TRIPLES"}


def turtle_path(out: Path) -> Path:
    p = Path(out) / "graph.ttl"
    if not p.is_file():
        raise OutputError(f"{out}: no graph.ttl here; build one with: kg build INPUT -o {out}")
    return p


def load_graph(out: Path) -> Graph:
    """The merged graph of a build folder as an rdflib Graph (``graph.ttl``, else ``graph.nt``).

    The project prefixes are bound again after parsing: rdflib binds ``geo`` to
    GeoSPARQL by default and would otherwise rename ours to ``geo1``.
    """
    nt = Path(out) / "graph.nt"
    path, fmt = (nt, "nt") if nt.is_file() and not (Path(out) / "graph.ttl").is_file() else (turtle_path(out), "turtle")
    g = Graph()
    try:
        g.parse(path, format=fmt)
    except (SyntaxError, ValueError) as e:  # rdflib's BadSyntax is a SyntaxError
        raise OutputError(f"{path}: not valid {fmt}: {str(e).splitlines()[0][:200]}") from None
    bind_prefixes(g)
    return g


# ---------------------------------------------------------------------------
# The persistent Oxigraph store


def _fingerprint(out: Path) -> dict[str, list[int]]:
    fp = {}
    for name in SOURCES:
        p = out / name
        if p.is_file():
            st = p.stat()
            fp[name] = [st.st_size, st.st_mtime_ns]
    return fp


def store_path(out: str | os.PathLike) -> Path:
    return Path(out) / STORE_DIR


def store_is_fresh(out: str | os.PathLike) -> bool:
    """True when ``OUT/store`` exists and was loaded from the exports as they are now."""
    out = Path(out)
    try:
        stamp = json.loads((store_path(out) / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return stamp.get("exports") == _fingerprint(out)


def _source(out: Path) -> Path:
    """The best export to load: a dataset file unless it is older than the graph (a stale leftover
    of an earlier build with more formats), else the graph."""
    existing = [out / n for n in SOURCES if (out / n).is_file()]
    graphs = [p.stat().st_mtime_ns for p in existing if p.name in ("graph.ttl", "graph.nt")]
    newest_graph = max(graphs, default=0)
    for p in existing:
        if p.stat().st_mtime_ns >= newest_graph or p.name in ("graph.ttl", "graph.nt"):
            return p
    raise OutputError(f"{out}: no graph.nq, graph.trig, graph.ttl or graph.nt here; build one with: kg build INPUT -o {out}")


def _format(path: Path):
    import pyoxigraph as ox

    return getattr(ox.RdfFormat, _FORMAT_NAMES[path.suffix])


@contextmanager
def _lock(out: Path):
    """Serialise store rebuilds of one folder between processes (the lock file lives in the temp dir)."""
    from .vocab import digest

    with open(Path(tempfile.gettempdir()) / f"kg-store-{digest(str(out.resolve()))}.lock", "a+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def build_store(out: str | os.PathLike) -> Path:
    """(Re)build ``OUT/store`` from the best export present; returns its path.

    Loads into a fresh folder next to it with ``bulk_load``, then swaps the
    folders by renames, so readers see either the old or the new store.
    """
    out = Path(out)
    src = _source(out)
    fp = _fingerprint(out)  # before loading: an export rewritten meanwhile leaves the store stale, not stamped fresh
    return commit_store(out, load_store(out, src), src, fp)


def load_store(out: str | os.PathLike, src: str | os.PathLike, *, background: bool = False) -> Path:
    """Bulk-load the export ``src`` into a new private folder in ``out``; :func:`commit_store` makes it the store.

    A build runs this in a thread (``background=True``) while it writes its other exports. Then
    the load runs in a process of its own (:mod:`kg.oxload`): Oxigraph's bulk loader parses and indexes in several threads (about 15 CPU-s at 1,000
    articles, more than every export together) and is the last thing a first build waits for,
    so it runs at normal priority beside the exports; its memory (bounded by loading N-Quads in
    slices, see :mod:`kg.oxload`) is not added to the build process's.
    """
    out, src = Path(out), Path(src)
    tmp = Path(tempfile.mkdtemp(prefix=".store.", dir=out))
    try:
        if background:
            _load_elsewhere(tmp, src)
        else:
            _bulk_load(tmp, src)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def _bulk_load(folder: Path, src: Path) -> None:
    import pyoxigraph as ox

    from .oxload import bulk_load

    store = ox.Store(str(folder))
    try:
        bulk_load(store, str(src), _FORMAT_NAMES[src.suffix])
    except (SyntaxError, ValueError) as e:
        raise OutputError(f"{src}: cannot be loaded into the store: {str(e).splitlines()[0][:200]}") from None
    store.optimize()
    store.flush()
    del store  # closes the database before the folder moves


def _load_elsewhere(folder: Path, src: Path) -> None:
    """:func:`_bulk_load` in a fresh Python process (:mod:`kg.oxload` as a script); its errors raised here."""
    import subprocess
    import sys

    from . import oxload

    p = subprocess.run([sys.executable, oxload.__file__, str(folder), str(src), _FORMAT_NAMES[src.suffix]],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode == 3:
        raise OutputError(f"{src}: cannot be loaded into the store: {p.stderr.strip()}")
    if p.returncode:
        why = f"signal {-p.returncode}" if p.returncode < 0 else (p.stderr.strip().splitlines() or ["?"])[-1][:200]
        raise OutputError(f"{src}: the store load stopped ({why})")


#: A store is updated from the line difference of the old and new ``graph.nq`` only while that
#: difference is at most this fraction of the new file; beyond it a fresh bulk load is cheaper.
DIFF_MAX_FRACTION = 0.25


def keep_previous(out: str | os.PathLike) -> Path | None:
    """Before a build rewrites ``graph.nq``: a hard link to it, when the store was loaded from
    exactly that file (its stamp matches the exports as they are), so that :func:`update_store`
    can make the new store from the difference. ``None`` when there is nothing to update from.
    The caller removes the link when done.
    """
    out = Path(out)
    try:
        stamp = json.loads((store_path(out) / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if stamp.get("source") != "graph.nq" or stamp.get("exports") != _fingerprint(out) or shutil.which("diff") is None:
        return None
    fd, name = tempfile.mkstemp(prefix=".graph.nq.", suffix=".prev", dir=out)
    os.close(fd)
    keep = Path(name)
    try:
        keep.unlink()
        os.link(out / "graph.nq", keep)  # the new graph.nq replaces the old by a rename: this inode stays
    except OSError:
        keep.unlink(missing_ok=True)
        return None
    return keep


def quad_diff(old: str | os.PathLike, new: str | os.PathLike, limit: int) -> tuple[bytes, bytes] | None:
    r"""The N-Quads lines only in ``old`` and only in ``new`` (removed, added), by GNU ``diff``.

    ``diff`` runs in its own process (C, no GIL): at 1,000 articles it compares the two 300 MB
    files in about 1.5 s. ``None`` when the difference is over ``limit`` bytes, when ``diff``
    fails, or when a changed line has a blank node (its label names a different node in each
    file, so lines cannot be matched).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.nq").write_text("<a> <p> <x> .\n<b> <p> <y> .\n")
    >>> _ = (d / "b.nq").write_text("<a> <p> <x> .\n<c> <p> <z> .\n")
    >>> quad_diff(d / "a.nq", d / "b.nq", 1000)
    (b'<b> <p> <y> .\n', b'<c> <p> <z> .\n')
    >>> quad_diff(d / "a.nq", d / "b.nq", 10) is None
    True
    """
    import subprocess

    exe = shutil.which("diff")
    if exe is None:
        return None
    cmd = [exe, "--unchanged-line-format=", "--old-line-format=-%L", "--new-line-format=+%L", str(old), str(new)]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as p:
        data = p.stdout.read(limit + 1)
        if len(data) > limit:
            p.kill()
            return None
        if p.wait() not in (0, 1):  # 0: same, 1: different, 2: trouble
            return None
    if b"_:" in data:
        return None
    removed: list[bytes] = []
    added: list[bytes] = []
    for line in data.split(b"\n"):
        if line:
            (removed if line[:1] == b"-" else added).append(line[1:] + b"\n")
    return b"".join(removed), b"".join(added)


def update_store(out: str | os.PathLike, previous: str | os.PathLike, src: str | os.PathLike, *,
                 expected: int | None = None, background: bool = False) -> tuple[Path, str]:
    """A new store folder for ``src`` (like :func:`load_store`), made from the current store when
    that was loaded from ``previous`` (see :func:`keep_previous`): a checkpoint of it (RocksDB hard
    links, no copy), then the quads only in ``previous`` removed and those only in ``src`` added.
    Returns the folder and how it was made, ``"update"`` or ``"load"`` (a full bulk load: no
    usable difference, or the updated store does not hold ``expected`` quads).

    Adding one article to 1,000 changes a few thousand of 1.5 million quads: about 2 s, most of
    it ``diff`` in its own process, instead of a 15 CPU-s bulk load that peaks at 1.4 GB.
    """
    import pyoxigraph as ox

    out, src = Path(out), Path(src)
    diff = quad_diff(previous, src, int(src.stat().st_size * DIFF_MAX_FRACTION) + (1 << 16))
    if diff is not None:
        tmp = Path(tempfile.mkdtemp(prefix=".store.", dir=out))
        try:
            os.rmdir(tmp)  # the checkpoint makes the folder itself
            with _lock(out):
                ox.Store.read_only(str(store_path(out))).backup(str(tmp))
            store = ox.Store(str(tmp))
            removed, added = diff
            for q in ox.parse(removed, format=ox.RdfFormat.N_QUADS):
                store.remove(q)
            store.extend(ox.parse(added, format=ox.RdfFormat.N_QUADS))
            store.flush()
            ok = expected is None or len(store) == expected
            del store
            if ok:
                return tmp, "update"
        except (OSError, SyntaxError, ValueError):
            pass  # e.g. no checkpoint possible here: load instead
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(tmp, ignore_errors=True)
    return load_store(out, src, background=background), "load"


def commit_store(out: str | os.PathLike, tmp: str | os.PathLike, src: str | os.PathLike,
                 exports: dict[str, list[int]] | None = None) -> Path:
    """Make the folder ``tmp`` from :func:`load_store` the store of ``out``, stamped with the
    exports' fingerprint ``exports`` (default: as they are now, so a build calls it once every
    export is written)."""
    out, tmp = Path(out), Path(tmp)
    final = store_path(out)
    with _lock(out):
        try:
            (tmp / STAMP).write_text(json.dumps({"source": Path(src).name,
                                                 "exports": _fingerprint(out) if exports is None else exports},
                                                sort_keys=True),
                                     encoding="utf-8")
            old = None
            if final.exists():
                old = Path(tempfile.mkdtemp(prefix=".store.old.", dir=out))
                os.replace(final, old / "store")
            os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return final


def open_store(out: str | os.PathLike, *, refresh: bool = True):
    """The SPARQL store of a build folder, opened read-only (a ``pyoxigraph.Store``).

    With ``refresh`` the store is (re)built first when missing or stale. When the
    folder is not writable the exports are loaded into an in-memory store instead.
    """
    import pyoxigraph as ox

    out = Path(out)
    if not out.is_dir():
        raise OutputError(f"{out}: no such folder; build one with: kg build INPUT -o {out}")
    if refresh and not store_is_fresh(out):
        try:
            build_store(out)
        except PermissionError:
            src = _source(out)
            store = ox.Store()
            store.bulk_load(path=str(src), format=_format(src))
            return store
    if not (store_path(out) / STAMP).is_file():
        raise OutputError(f"{store_path(out)}: no store here; run: kg query {out} … (builds it) or kg build")
    try:
        return ox.Store.read_only(str(store_path(out)))
    except OSError as e:
        raise OutputError(f"{store_path(out)}: cannot open the store: {e}") from None


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
