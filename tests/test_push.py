"""kg push against a real Graph Store Protocol server: ``oxigraph serve`` on a free local port."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import main
from kg.push import PushError, push, target

from .procs import terminate

STARTUP_TIMEOUT = 30  # seconds


def _oxigraph() -> str | None:
    exe = Path(sys.executable).with_name("oxigraph")
    return str(exe) if exe.is_file() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Base URL of an ``oxigraph serve`` started for this module (persisting to a temp folder)."""
    exe = _oxigraph()
    if exe is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    log = open(location.parent / "oxigraph.log", "w+b")
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"oxigraph serve exited ({proc.returncode}): {log.read().decode()[-500:]}")
            try:
                requests.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except requests.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not answer on port {port} within {STARTUP_TIMEOUT} s")
                time.sleep(0.1)
        yield url
    finally:
        terminate(proc)
        log.close()


def _count(url: str, graph: str | None = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    r = requests.post(f"{url}/query", data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
    r.raise_for_status()
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def _fetch(url: str, graph: str | None = None) -> Graph:
    r = requests.get(target(f"{url}/store", graph), headers={"Accept": "application/n-triples"}, timeout=30)
    r.raise_for_status()
    return Graph().parse(data=r.text, format="nt")


def _as_stored(g: Graph) -> Graph:
    """``g`` as an Oxigraph store keeps it.

    Oxigraph stores numeric literals by value: ``"5"^^xsd:nonNegativeInteger`` (our NIF
    offsets) comes back as ``"5"^^xsd:integer`` and ``"41.0"^^xsd:decimal`` as ``"41"^^xsd:decimal``
    (same values, other RDF terms), so the build is compared after the same round trip.
    """
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=data.decode("utf-8"), format="nt")


@pytest.fixture(scope="module")
def local(seeds_out):
    return Graph().parse(seeds_out / "graph.ttl", format="turtle")


@pytest.fixture(scope="module")
def stored(local):
    return _as_stored(local)


def test_push_default_graph_round_trips(server, seeds_out, local, stored):
    r = CliRunner().invoke(main, ["push", str(seeds_out), "--endpoint", f"{server}/store"])
    assert r.exit_code == 0, r.output
    assert "graph.ttl" in r.output and "?default" in r.output
    assert _count(server) == len(local)
    assert isomorphic(_fetch(server), stored)


def test_put_replaces_and_post_adds(server, seeds_out, local):
    push(seeds_out, f"{server}/store")
    push(seeds_out, f"{server}/store")
    assert _count(server) == len(local)  # PUT twice: still one copy
    res = push(seeds_out, f"{server}/store", replace=False)
    assert res.method == "POST" and _count(server) == len(local)  # the same triples: a set


def test_push_named_graph(server, seeds_out, local, stored):
    g = "https://example.org/graphs/seeds"
    r = CliRunner().invoke(main, ["push", str(seeds_out), "--endpoint", f"{server}/store", "--graph", g])
    assert r.exit_code == 0, r.output
    assert _count(server, g) == len(local)
    assert isomorphic(_fetch(server, g), stored)


def test_push_n_triples_when_there_is_no_turtle(server, local, stored, tmp_path):
    (tmp_path / "graph.nt").write_bytes(local.serialize(format="nt", encoding="utf-8"))
    g = "https://example.org/graphs/nt"
    res = push(tmp_path, f"{server}/store", g)
    assert res.source == "graph.nt"
    assert isomorphic(_fetch(server, g), stored)


def test_connection_refused_is_one_line(seeds_out):
    r = CliRunner().invoke(main, ["push", str(seeds_out), "--endpoint", f"http://127.0.0.1:{_free_port()}/store"])
    assert r.exit_code == 1
    assert r.output.startswith("kg: error: cannot connect to http://127.0.0.1:")
    assert "Connection refused" in r.output and r.output.count("\n") == 1


def test_http_error_is_one_line(server, seeds_out):
    r = CliRunner().invoke(main, ["push", str(seeds_out), "--endpoint", f"{server}/no-such-service"])
    assert r.exit_code == 1
    assert "answered HTTP 404" in r.output and r.output.count("\n") == 1


def test_bad_endpoint_and_missing_graph(tmp_path):
    with pytest.raises(PushError, match="not an http"):
        push(tmp_path, "localhost:7878/store")
    r = CliRunner().invoke(main, ["push", str(tmp_path), "--endpoint", "http://127.0.0.1:1/store"])
    assert r.exit_code == 1 and "no graph.ttl or graph.nt" in r.output
