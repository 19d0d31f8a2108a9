"""kg serve: a real read-only SPARQL 1.1 Protocol endpoint (Oxigraph) answering GET and POST, refusing updates."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.examples import sample_kb
from kg.rdf import to_graph
from kg.serve import endpoint_url, oxigraph_executable, serve_command

from .procs import terminate

JSON = "application/sparql-results+json"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(req: urllib.request.Request, timeout: float = 10):
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    try:
        oxigraph_executable()
    except Exception as e:  # noqa: BLE001 - the package is a declared dependency; say why when absent
        pytest.fail(f"oxigraph server missing: {e}")
    out = tmp_path_factory.mktemp("serve")
    (out / "graph.ttl").write_text(to_graph(sample_kb()).serialize(format="turtle"), encoding="utf-8")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(out), "--host", "127.0.0.1",
                             "--port", str(port), "--timeout", "10"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = endpoint_url("127.0.0.1", port)
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"kg serve exited: {proc.stderr.read().decode()[-800:]}")
            try:
                status, _ = _request(urllib.request.Request(url + "?query=" + urllib.parse.quote("ASK {}")), timeout=2)
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("kg serve did not answer within 30 s")
            time.sleep(0.2)
        yield url
    finally:
        terminate(proc)
        proc.stdout.close()
        proc.stderr.close()


Q = ("PREFIX kg: <https://w3id.org/kgnews/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
     "SELECT ?name WHERE { ?p a kg:Official ; rdfs:label ?name }")


def _names(body: str) -> list[str]:
    return [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_get_query(endpoint):
    req = urllib.request.Request(endpoint + "?" + urllib.parse.urlencode({"query": Q}), headers={"Accept": JSON})
    status, body = _request(req)
    assert status == 200 and _names(body) == ["Saad Maan"]


def test_post_query_direct_and_form(endpoint):
    req = urllib.request.Request(endpoint, data=Q.encode(), method="POST",
                                 headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    status, body = _request(req)
    assert status == 200 and _names(body) == ["Saad Maan"]
    req = urllib.request.Request(endpoint, data=urllib.parse.urlencode({"query": Q}).encode(), method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON})
    status, body = _request(req)
    assert status == 200 and _names(body) == ["Saad Maan"]


def test_updates_refused(endpoint):
    update = "INSERT DATA { <http://x/s> <http://x/p> <http://x/o> }"
    base = endpoint.rsplit("/", 1)[0]
    status, _ = _request(urllib.request.Request(base + "/update", data=update.encode(), method="POST",
                                                headers={"Content-Type": "application/sparql-update"}))
    assert status in (400, 403, 404, 405)
    status, _ = _request(urllib.request.Request(endpoint, data=update.encode(), method="POST",
                                                headers={"Content-Type": "application/sparql-query"}))
    assert status == 400
    status, _ = _request(urllib.request.Request(base + "/store", data=b"<http://x/s> <http://x/p> <http://x/o> .",
                                                method="POST", headers={"Content-Type": "application/n-triples"}))
    assert status in (403, 405)
    # nothing changed
    ask = urllib.parse.urlencode({"query": "ASK { <http://x/s> ?p ?o }"})
    status, body = _request(urllib.request.Request(endpoint + "?" + ask, headers={"Accept": JSON}))
    assert status == 200 and json.loads(body)["boolean"] is False


def test_command_line():
    cmd = serve_command("out", "0.0.0.0", 8080, 0)
    assert cmd == ["oxigraph", "serve-read-only", "--location", "out/store", "--bind", "0.0.0.0:8080"]
