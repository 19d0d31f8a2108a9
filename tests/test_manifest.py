"""Up-to-date rebuilds: nothing changed, nothing rewritten; any change rebuilds."""
from __future__ import annotations

import shutil

import pytest

from kg import manifest
from kg.pipeline import build

from .conftest import SEEDS

ONE, TWO = "004_a981f26536404a80.txt", "003_da68f52300313575.txt"


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / ONE, src / ONE)
    return src


def _mtimes(out):
    return {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and ".kg-cache" not in p.parts}


def test_unchanged_rebuild_rewrites_nothing(corpus, tmp_path):
    out = tmp_path / "out"
    first = build([str(corpus)], out, workers=1, formats=["turtle", "graphml"])
    assert not first.up_to_date and manifest.path(out).is_file()
    before = _mtimes(out)
    again = build([str(corpus)], out, workers=1, formats=["turtle", "graphml"])
    assert again.up_to_date and again.extracted == 0
    assert _mtimes(out) == before
    assert (again.triples, again.entities, again.operations) == (first.triples, first.entities, first.operations)
    assert {p.name for p in again.written} == {"graph.ttl", "graph.graphml"}


@pytest.mark.parametrize("change", ["touch-output", "delete-output", "add-article", "other-formats", "other-base"])
def test_any_change_rebuilds(corpus, tmp_path, change):
    out = tmp_path / "out"
    kw = dict(workers=1, formats=["turtle"])
    build([str(corpus)], out, **kw)
    if change == "touch-output":
        (out / "graph.ttl").write_text((out / "graph.ttl").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "delete-output":
        (out / "graph.ttl").unlink()
    elif change == "add-article":
        shutil.copy(SEEDS / TWO, corpus / TWO)
    elif change == "other-formats":
        kw["formats"] = ["turtle", "nt"]
    else:
        kw["base"] = "https://example.org/kg/"
    again = build([str(corpus)], out, **kw)
    assert not again.up_to_date
    assert again.extracted == (1 if change == "add-article" else 0)
    assert (out / "graph.ttl").is_file()


def test_no_cache_never_up_to_date(corpus, tmp_path):
    out = tmp_path / "out"
    build([str(corpus)], out, workers=1, formats=["turtle"], cache=False)
    again = build([str(corpus)], out, workers=1, formats=["turtle"], cache=False)
    assert not again.up_to_date and again.extracted == 1


def test_corrupt_manifest_means_rebuild(corpus, tmp_path):
    out = tmp_path / "out"
    build([str(corpus)], out, workers=1, formats=["turtle"])
    manifest.path(out).write_text("{not json", encoding="utf-8")
    assert not build([str(corpus)], out, workers=1, formats=["turtle"]).up_to_date
