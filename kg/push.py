"""Load a built graph into any SPARQL 1.1 Graph Store Protocol server (``kg push``).

The merged graph (``OUT/graph.ttl`` as ``text/turtle``, else ``OUT/graph.nt`` as
``application/n-triples``) is sent to
``ENDPOINT?default`` or ``ENDPOINT?graph=IRI`` with ``PUT`` (replace that
graph: pushing twice leaves one copy) or ``POST`` (add to it). The body is
streamed from the file, so the graph is never parsed on the client.

Endpoints of common servers: Oxigraph ``http://HOST:7878/store``, Apache Jena
Fuseki ``http://HOST:3030/DATASET/data``, GraphDB
``http://HOST:7200/repositories/REPO/rdf-graphs/service``.

Examples
--------
>>> target("http://localhost:7878/store")
'http://localhost:7878/store?default'
>>> target("http://localhost:7878/store", "https://example.org/g/1")
'http://localhost:7878/store?graph=https%3A%2F%2Fexample.org%2Fg%2F1'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from .errors import KGError, OutputError

TIMEOUT = (10, 600)  #: (connect, read) seconds
#: Exports that hold the merged graph, best first, with their media types.
SOURCES = (("graph.ttl", "text/turtle; charset=utf-8"), ("graph.nt", "application/n-triples"))


class PushError(KGError):
    """The Graph Store endpoint is unreachable or refused the graph."""


@dataclass(frozen=True)
class PushResult:
    source: str  #: file name of the export sent
    url: str
    method: str
    status: int
    bytes: int


def target(endpoint: str, graph: str | None = None) -> str:
    """The Graph Store Protocol URL of the default graph or of the named graph ``graph``."""
    sep = "&" if "?" in endpoint else "?"
    return f"{endpoint}{sep}default" if graph is None else f"{endpoint}{sep}graph={quote(graph, safe='')}"


def source(out: Path) -> tuple[Path, str]:
    """The export to send and its media type."""
    for name, media_type in SOURCES:
        if (out / name).is_file():
            return out / name, media_type
    raise OutputError(f"{out}: no graph.ttl or graph.nt here; build one with: kg build INPUT -o {out}")


def push(out: str | Path, endpoint: str, graph: str | None = None, *, replace: bool = True,
         auth: tuple[str, str] | None = None) -> PushResult:
    """Send ``out``'s merged graph to ``endpoint``; ``replace=False`` adds (POST) instead of replacing (PUT).

    Raises :class:`PushError` with a one-line message on connection failures and HTTP errors.
    """
    import requests

    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"endpoint {endpoint!r} is not an http(s) URL; e.g. http://localhost:7878/store")
    path, media_type = source(Path(out))
    url = target(endpoint, graph)
    method = "PUT" if replace else "POST"
    size = path.stat().st_size
    try:
        with path.open("rb") as body:
            resp = requests.request(method, url, data=body, auth=auth, timeout=TIMEOUT,
                                    headers={"Content-Type": media_type, "Content-Length": str(size)})
    except requests.exceptions.ConnectTimeout:
        raise PushError(f"cannot connect to {endpoint}: no answer within {TIMEOUT[0]} s") from None
    except requests.exceptions.ConnectionError as e:
        raise PushError(f"cannot connect to {endpoint}: {_reason(e)}; is the server running?") from None
    except requests.exceptions.Timeout:
        raise PushError(f"{endpoint} did not answer within {TIMEOUT[1]} s") from None
    except requests.exceptions.RequestException as e:
        raise PushError(f"push to {endpoint} failed: {_reason(e)}") from None
    if resp.status_code >= 400:
        detail = " ".join(resp.text.split())[:200] or resp.reason
        raise PushError(f"{method} {url} answered HTTP {resp.status_code}: {detail}")
    return PushResult(path.name, url, method, resp.status_code, size)


def _reason(e: Exception) -> str:
    """The underlying cause of a requests error, on one line (``[Errno 111] Connection refused``)."""
    cause = e.args[0] if e.args else e
    cause = getattr(cause, "reason", None) or cause  # urllib3's MaxRetryError wraps the real error
    text = re.sub(r"^\w*Connection(?:Pool)?\([^)]*\): ", "", str(cause))
    text = re.sub(r"^Failed to establish a new connection: ", "", text)
    return " ".join(text.split())[:200]
