"""Parallel map: a pool of worker processes gives the same records and bytes as one process."""
from __future__ import annotations

import dataclasses

import pytest

from kg import pipeline
from kg.ingest import iter_articles
from kg.pipeline import build, map_records

from .conftest import SEEDS

FORMATS = ["turtle", "nt", "graphml"]


@pytest.fixture(scope="module")
def articles():
    return list(iter_articles([str(SEEDS)]))


def _by_id(records):
    return sorted(records, key=lambda r: r.article.id)


@pytest.fixture(scope="module")
def serial(articles):
    return _by_id(map_records(iter(articles), workers=1))


def test_workers_2_output_identical_to_workers_1(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 2)  # enough chunks for both workers on six articles
    one = build([str(SEEDS)], tmp_path / "w1", formats=FORMATS, workers=1, cache=False)
    two = build([str(SEEDS)], tmp_path / "w2", formats=FORMATS, workers=2, cache=False)
    assert one.extracted == two.extracted == 6
    for name in ("graph.ttl", "graph.nt", "graph.graphml"):
        assert (tmp_path / "w1" / name).read_bytes() == (tmp_path / "w2" / name).read_bytes(), name


def test_pool_streams_with_bounded_chunks_in_flight(articles, serial):
    """Two processes give the in-process records, and ingest never runs far ahead of the results."""
    copies = {f"{a.id}-{k}": a for k in range(3) for a in articles}  # 18 articles, one per chunk
    pulled = 0
    ahead = []

    def source():
        nonlocal pulled
        for key, a in copies.items():
            pulled += 1
            yield dataclasses.replace(a, id=key)

    records = []
    for r in map_records(source(), workers=2, chunk_size=1):
        records.append(r)
        ahead.append(pulled - len(records))
    assert len(records) == len(copies)
    assert max(ahead) <= 2 * 2 + 1  # 2 × workers chunks in flight + the one being submitted
    originals = [dataclasses.replace(r, article=copies[r.article.id]) for r in records]
    assert _by_id(originals) == sorted(serial * 3, key=lambda r: r.article.id)


def test_small_inputs_do_not_start_a_pool(articles, monkeypatch):
    def no_pool(*a, **k):
        raise AssertionError("a pool was started for one chunk of work")

    monkeypatch.setattr(pipeline, "_map_pool", no_pool)
    assert len(list(map_records(iter(articles[:3]), workers=8))) == 3


def test_worker_errors_reach_the_caller(articles):
    from kg.errors import ModelError

    with pytest.raises(ModelError, match="no_such_model"):
        list(map_records(iter(articles), model="no_such_model", workers=2, chunk_size=2))
