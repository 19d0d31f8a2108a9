"""The Dask engine on a real LocalCluster (127.0.0.1, worker processes): same graph as a local build."""
from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kg import distributed, pipeline
from kg.cli import main
from kg.pipeline import build

from .conftest import SEEDS

distributed_mod = pytest.importorskip("distributed")

FORMATS = ["turtle", "nt"]


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(**distributed.local_cluster_options(2)) as c:
        yield c


@pytest.fixture(scope="module")
def local_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    build([str(SEEDS)], out, formats=FORMATS, workers=1, cache=False)
    return out


def _graph(out) -> Graph:
    return Graph().parse(out / "graph.nt", format="nt")


def test_dask_build_equals_local_build(cluster, local_build, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 2)  # three tasks for two workers
    out = tmp_path / "dask"
    report = build([str(SEEDS)], out, formats=FORMATS, engine="dask", scheduler=cluster.scheduler_address)
    assert report.extracted == 6 and report.engine == "dask"
    assert isomorphic(_graph(out), _graph(local_build))
    for name in ("graph.ttl", "graph.nt"):  # stronger: the same bytes
        assert (out / name).read_bytes() == (local_build / name).read_bytes(), name


def test_model_loaded_once_per_worker_process(cluster, monkeypatch):
    from distributed import Client

    from kg.ingest import iter_articles

    articles = list(iter_articles([str(SEEDS)]))
    records = list(pipeline.map_records(iter(articles * 2), engine="dask", scheduler=cluster.scheduler_address,
                                        chunk_size=1))
    assert len(records) == 12

    def loads():
        from kg import nlp

        return nlp.load.cache_info().misses

    with Client(cluster.scheduler_address) as client:
        per_worker = client.run(loads)
    assert len(per_worker) == 2 and all(n <= 1 for n in per_worker.values())


def test_cache_works_with_dask(cluster, tmp_path):
    out = tmp_path / "o"
    build([str(SEEDS)], out, formats=FORMATS, engine="dask", scheduler=cluster.scheduler_address)
    again = build([str(SEEDS)], out, formats=FORMATS, engine="dask", scheduler=cluster.scheduler_address)
    assert again.extracted == 0 and again.cached == 6


def test_cli_dask_without_scheduler_starts_a_local_cluster(local_build, tmp_path):
    out = tmp_path / "o"
    r = CliRunner().invoke(main, ["build", str(SEEDS), "-o", str(out), "--engine", "dask", "--workers", "1",
                                  "--no-cache", "--format", "turtle", "--format", "nt", "--no-validate"])
    assert r.exit_code == 0, r.output
    assert isomorphic(_graph(out), _graph(local_build))


def test_unreachable_scheduler_is_a_clean_error(tmp_path, monkeypatch):
    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 2)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = CliRunner().invoke(main, ["build", str(SEEDS), "-o", str(tmp_path / "o"), "--engine", "dask",
                                  "--scheduler", f"tcp://127.0.0.1:{port}", "--no-cache", "--no-validate"])
    assert r.exit_code == 1
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in r.output
    assert "Traceback" not in r.output
