"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a build folder.

The server is Oxigraph's own (``oxigraph serve-read-only``, from the
``oxigraph`` PyPI package) on the folder's store ``OUT/store`` — a real HTTP
server with GET and POST queries at ``/query``, content negotiation for the
result formats, and no update endpoint. Queries are cut off after
``timeout`` seconds (Oxigraph's ``--timeout-s``). The default graph is the
merged graph; each document's facts are in its named graph.

Examples
--------
>>> cmd = serve_command("exports", "127.0.0.1", 7878, 30)
>>> cmd[1:]
['serve-read-only', '--location', 'exports/store', '--bind', '127.0.0.1:7878', '--timeout-s', '30']
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from .errors import KGError
from .store import open_store, store_path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30


class ServeError(KGError):
    """The endpoint cannot be started."""


def oxigraph_executable() -> str:
    """Path of the ``oxigraph`` server binary: beside this Python (its venv), else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    found = shutil.which("oxigraph")
    if not found:
        raise ServeError("the oxigraph server is not installed; install it with: pip install oxigraph")
    return found


def serve_command(out: str | os.PathLike, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                  timeout: int = DEFAULT_TIMEOUT, executable: str = "oxigraph") -> list[str]:
    """The server's command line (pure; :func:`serve` runs it)."""
    cmd = [executable, "serve-read-only", "--location", str(store_path(out)), "--bind", f"{host}:{port}"]
    if timeout:
        cmd += ["--timeout-s", str(int(timeout))]
    return cmd


def endpoint_url(host: str, port: int) -> str:
    """The query URL of the endpoint.

    >>> endpoint_url("127.0.0.1", 7878)
    'http://127.0.0.1:7878/query'
    >>> endpoint_url("::1", 8080)
    'http://[::1]:8080/query'
    """
    h = f"[{host}]" if ":" in host else host
    return f"http://{h}:{port}/query"


def prepare(out: str | os.PathLike) -> Path:
    """Make sure ``OUT/store`` exists and is up to date with the exports; returns the store path."""
    store = open_store(Path(out))  # rebuilds when missing or stale
    del store
    return store_path(out)


def serve(out: str | os.PathLike, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          timeout: int = DEFAULT_TIMEOUT, announce=None) -> None:
    """Replace this process with the read-only Oxigraph server on ``OUT/store`` (never returns)."""
    exe = oxigraph_executable()
    prepare(out)
    cmd = serve_command(out, host, port, timeout, exe)
    if announce:
        announce(f"SPARQL endpoint (read-only): {endpoint_url(host, port)}  — Ctrl-C to stop")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(exe, cmd)
