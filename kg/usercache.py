"""A per-user cache of derived data that is slow to make and the same for every build: the gazetteer,
and the tokenizer's splits of the entity rules' phrase patterns (:class:`kg.extract.ruler.Splits`).

Building the gazetteer from its sources (GeoNames cities, ISO 3166 codes, the curated
files under ``kg/data``) takes about a second in every process that parses articles;
unpickling the result takes a few hundredths. Each value is stored under a *key*, a
hash of everything it was made from, so a changed source is a miss and is rebuilt.

Where: ``$KG_CACHE_DIR`` when set (an empty value turns the cache off), else
``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``. Nothing here is needed: an unreadable,
corrupt or unwritable cache means the value is built as if there were none.

Examples
--------
>>> import os, tempfile
>>> os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp()
>>> cached("demo", "k1", lambda: {"built": 1})
{'built': 1}
>>> cached("demo", "k1", lambda: {"built": 2})  # the stored value
{'built': 1}
>>> cached("demo", "k2", lambda: {"built": 3})  # another key: rebuilt (k1's kept too, see KEEP)
{'built': 3}
>>> del os.environ["KG_CACHE_DIR"]
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: Bump when what is stored changes shape without its sources changing.
FORMAT = 1
#: Values kept per name (the most recently used): two checkouts or virtual environments with
#: different sources each keep theirs instead of replacing each other's on every run.
KEEP = 3


def cache_dir() -> Path | None:
    """The folder of the per-user cache, or None when ``KG_CACHE_DIR`` is set empty (cache off)."""
    env = os.environ.get("KG_CACHE_DIR")
    if env is not None:
        return Path(env).expanduser() if env.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return (Path(base) if base.strip() else Path.home() / ".cache") / "kg"


def key_of(files: Iterable[Path], root: Path, extra: str = "") -> str:
    """A hash of the files' paths (relative to ``root``) and bytes, ``extra``, the Python version and :data:`FORMAT`."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{extra}".encode())
    for p in sorted(files):
        h.update(b"\0" + p.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def _path(name: str, key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{name}-{key[:24]}.pickle"


def load(name: str, key: str):
    """The value stored as ``name`` under ``key``, or None (missing, unreadable, or the cache is off)."""
    path = _path(name, key)
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            value = pickle.load(f)
    except Exception:  # missing, truncated or from an incompatible version
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # most recently used (see KEEP)
    return value


def store(name: str, key: str, value) -> None:
    """Keep ``value`` as ``name`` under ``key`` (atomically; :data:`KEEP` keys per name). Never raises
    for a read-only home or a full disk: the cache is only an optimisation."""
    path = _path(name, key)
    if path is None:
        return
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        others = sorted((p for p in folder.glob(f"{name}-*.pickle") if p != path),
                        key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in others[KEEP - 1:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def cached(name: str, key: str, make: Callable[[], T]) -> T:
    """The value stored as ``name`` under ``key``, else ``make()`` (stored for next time; :data:`KEEP` keys kept)."""
    value = load(name, key)
    if value is None:
        value = make()
        store(name, key, value)
    return value
