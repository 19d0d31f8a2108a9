"""The build manifest: what the last build of an output folder was made from.

A rebuild that parses nothing (every record from the cache) and whose inputs,
rules, model and settings are those of the last build would write the very
same files again: resolution, RDF, the exports, the store and the SHACL check
over the whole graph. The manifest (``OUT/.kg-cache/manifest.json``) records a
fingerprint of what the build was made from and the size and modification
time of every file it wrote; when both still match, the build is up to date
and nothing is redone.

Examples
--------
>>> fp = fingerprint(["k1", "k2"], "v1", {"formats": None})
>>> fp == fingerprint(["k2", "k1"], "v1", {"formats": None})
True
>>> fp == fingerprint(["k1", "k2", "k3"], "v1", {"formats": None})
False
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .export import atomic_write

NAME = "manifest.json"
FORMAT = 1


def path(out: str | os.PathLike) -> Path:
    from .cache import CACHE_DIR

    return Path(out) / CACHE_DIR / NAME


def code_hash() -> str:
    """sha256 over every source and data file of the package and the ontology folder.

    The exporters, the RDF assembly and the shapes shape the output as much as the
    extraction rules do, so any change to them makes the last build out of date.

    >>> len(code_hash())
    64
    """
    from .vocab import ONTOLOGY_DIR

    pkg = Path(__file__).resolve().parent
    h = hashlib.sha256()
    files = [p for p in pkg.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    files += [p for p in Path(ONTOLOGY_DIR).rglob("*") if p.is_file()]
    for p in sorted(files):
        h.update(p.as_posix().encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def fingerprint(keys: Iterable[str], version: str, settings: dict[str, Any]) -> str:
    """Hash of the article keys (order-free), the cache version, the code and the build settings."""
    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{version}\0{code_hash()}\0".encode())
    h.update(json.dumps(settings, sort_keys=True, default=str).encode())
    for k in sorted(keys):
        h.update(b"\0" + k.encode())
    return h.hexdigest()


def _stat(p: Path) -> list[int]:
    st = p.stat()
    return [st.st_size, st.st_mtime_ns]


def save(out: str | os.PathLike, fp: str, written: Sequence[Path], summary: dict[str, Any]) -> Path:
    """Record a finished build: its fingerprint, the files it wrote and its summary figures."""
    out = Path(out)
    files = {p.relative_to(out).as_posix(): _stat(p) for p in sorted(written) if p.is_file()}
    data = {"format": FORMAT, "fingerprint": fp, "files": files, "summary": summary}
    return atomic_write(path(out), json.dumps(data, indent=1, sort_keys=True))


def current(out: str | os.PathLike, fp: str) -> dict[str, Any] | None:
    """The recorded summary when the last build had fingerprint ``fp`` and its files are untouched, else None."""
    out = Path(out)
    try:
        data = json.loads(path(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("fingerprint") != fp:
        return None
    files = data.get("files") or {}
    for rel, stat in files.items():
        p = out / rel
        try:
            if _stat(p) != stat:
                return None
        except OSError:
            return None
    return {**data.get("summary", {}), "files": sorted(files)}


def forget(out: str | os.PathLike) -> None:
    """Drop the manifest (a build that fails or is interrupted must not look up to date)."""
    path(out).unlink(missing_ok=True)
