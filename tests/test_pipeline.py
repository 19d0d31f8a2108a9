"""kg.pipeline: incremental builds over the record cache (real model, the five seed files)."""
from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import cache as cache_mod
from kg import nlp as nlp_mod
from kg import pipeline
from kg.cli import main
from kg.errors import KGError
from kg.pipeline import build

from .conftest import ROOT, SEEDS

FORMATS = ["turtle", "nt"]  # enough to compare graphs; keeps the module fast

NEW_ARTICLE = """Iraqi forces raid ISIS hideout near Kirkuk

KIRKUK, March 3, 2024 (AFP) — The Counter-Terrorism Service raided an ISIS hideout south of Kirkuk on Sunday,
killing two militants and arresting four others, spokesman Sabah al-Numan said.
"""


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def _no_model(*args, **kwargs):
    raise AssertionError("the spaCy model was loaded although every record was cached")


@pytest.fixture
def corpus(tmp_path):
    """A private copy of seeds/ that tests may change."""
    return Path(shutil.copytree(SEEDS, tmp_path / "corpus"))


@pytest.fixture
def built(corpus, tmp_path):
    out = tmp_path / "out"
    report = build([str(corpus)], out, formats=FORMATS, workers=1)
    return corpus, out, report


def test_first_build_parses_everything_and_fills_the_cache(built):
    _, out, report = built
    assert report.extracted == report.articles == 6 and report.cached == 0
    db = out / cache_mod.CACHE_DIR / cache_mod.DB_NAME
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 6
    assert set(report.timings) == {"map", "assemble", "rdf", "export", "validate", "exports_forked", "store"}


def test_rebuild_reuses_every_record_without_loading_the_model(built, monkeypatch):
    corpus, out, first = built
    before = _outputs(out)
    monkeypatch.setattr(nlp_mod, "load", _no_model)
    report = build([str(corpus)], out, formats=FORMATS, workers=1)
    assert report.extracted == 0 and report.cached == 6
    assert _outputs(out) == before


def test_rebuild_in_a_fresh_process_loads_no_model(built):
    """In a fresh interpreter (nothing preloaded): a cached rebuild never loads a spaCy pipeline."""
    import subprocess

    corpus, out, _ = built
    code = ("from kg import nlp; from kg.pipeline import build; "
            f"r = build([{str(corpus)!r}], {str(out)!r}, formats=['turtle'], workers=1); "
            "print(r.extracted, nlp.load.cache_info().misses)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["0", "0"]


def test_adding_an_article_parses_only_that_one(built, tmp_path):
    corpus, out, _ = built
    (corpus / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    report = build([str(corpus)], out, formats=FORMATS, workers=1)
    assert report.extracted == 1 and report.cached == 6 and report.articles == 7
    fresh = tmp_path / "fresh"
    build([str(corpus)], fresh, formats=FORMATS, workers=1, cache=False)
    assert _outputs(out) == _outputs(fresh)  # incremental == from scratch, byte for byte


def test_changed_and_removed_articles(built):
    corpus, out, _ = built
    p = corpus / "004_a981f26536404a80.txt"
    p.write_text(p.read_text(encoding="utf-8").replace("ISIS", "Daesh"), encoding="utf-8")
    (corpus / "002_4698d988a1158f8f.txt").unlink()
    report = build([str(corpus)], out, formats=FORMATS, workers=1)
    assert report.articles == 5 and report.extracted == 1 and report.cached == 4
    with cache_mod.RecordCache(out, "unused") as c:  # the removed and the old version are pruned
        assert c.conn.execute("SELECT count(*) FROM records").fetchone()[0] == 5


def test_changed_rules_invalidate_the_cache(built, monkeypatch):
    corpus, out, _ = built
    monkeypatch.setattr(cache_mod, "rules_hash", lambda root=None: "an edited gazetteer")
    report = build([str(corpus)], out, formats=FORMATS, workers=1)
    assert report.extracted == 6 and report.cached == 0
    monkeypatch.setattr(nlp_mod, "load", _no_model)  # and the new version is cached in turn
    assert build([str(corpus)], out, formats=FORMATS, workers=1).extracted == 0


def test_changed_model_invalidates_the_cache(built, monkeypatch):
    corpus, out, _ = built
    real = nlp_mod.model_id
    monkeypatch.setattr(nlp_mod, "model_id", lambda model=None: real(model) + "-retrained")
    assert build([str(corpus)], out, formats=FORMATS, workers=1).extracted == 6


def test_no_cache_parses_everything_and_leaves_the_cache_alone(built):
    corpus, out, _ = built
    db = out / cache_mod.CACHE_DIR / cache_mod.DB_NAME
    stamp = db.stat().st_mtime_ns, db.read_bytes()
    report = build([str(corpus)], out, formats=FORMATS, workers=1, cache=False)
    assert report.extracted == 6 and report.cached == 0
    assert (db.stat().st_mtime_ns, db.read_bytes()) == stamp


def test_cli_build_options(built):
    corpus, out, _ = built
    r = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out), "--workers", "1", "--format", "turtle",
                                  "--no-validate"])
    assert r.exit_code == 0, r.output
    assert "parsed 0, 6 from cache" in r.output
    r = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out), "--no-cache", "-w", "1", "--format", "turtle",
                                  "--no-validate"])
    assert r.exit_code == 0 and "parsed 6, 0 from cache" in r.output


def test_cli_rejects_bad_worker_counts_and_scheduler_without_dask(corpus, tmp_path):
    r = CliRunner().invoke(main, ["build", str(corpus), "-o", str(tmp_path / "o"), "--workers", "0"])
    assert r.exit_code == 2 and "--workers" in r.output
    r = CliRunner().invoke(main, ["build", str(corpus), "-o", str(tmp_path / "o"), "--scheduler", "tcp://x:8786"])
    assert r.exit_code == 2 and "--engine dask" in r.output


def test_library_rejects_unknown_engine(corpus, tmp_path):
    with pytest.raises(KGError, match="unknown engine 'spark'"):
        build([str(corpus)], tmp_path / "o", engine="spark")


def test_map_records_starts_nothing_without_work(monkeypatch):
    monkeypatch.setattr(nlp_mod, "load", _no_model)
    assert list(pipeline.map_records(iter(()), workers=4)) == []


def _bench_run():
    """``bench/run.py`` as a module (it puts ``bench/`` on the path itself)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("kg_bench_run", ROOT / "bench" / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_bench_cpu_floor():
    """The benchmark's CPU floor: CPU seconds over the cores, as a ratio to the target's reference;
    a pooled build's CPU is the machine's busy time (wait4 misses the pool's workers)."""
    run = _bench_run()
    build_run = {"cpu_s": 20.0, "busy_s": 140.0, "seconds": 70.0}
    add_run = {"cpu_s": 15.0, "busy_s": 16.0, "seconds": 11.0}
    lines = run.floors(2, [("2-worker build", build_run, 0.65, 100.0), ("adding one article", add_run, 0.10, 70.0)],
                       pooled=(build_run,))
    assert lines == [
        "- CPU floor, 2-worker build: 140.0 CPU-s / 2 cores = 70.0 s = **0.700** of its reference (target ≤ 0.65, measured 0.700).",
        "- CPU floor, adding one article: 15.0 CPU-s / 2 cores = 7.5 s = **0.107** of its reference (target ≤ 0.10, measured 0.157).",
    ]
    # no machine-wide figure (no /proc/stat) for a pooled build: no floor rather than a wrong one
    blind = {"cpu_s": 20.0, "busy_s": None, "seconds": 70.0}
    assert run.floors(2, [("2-worker build", blind, 0.65, 100.0)], pooled=(blind,)) == []


@pytest.mark.skipif(not Path("/proc/stat").is_file(), reason="needs Linux /proc/stat")
def test_bench_busy_cpu_counts_this_process():
    """``busy_cpu`` grows by at least the CPU this process burns meanwhile."""
    import time

    run = _bench_run()
    before, t = run.busy_cpu(), time.process_time()
    while time.process_time() - t < 0.3:
        pass
    assert run.busy_cpu() - before >= 0.25


def test_bench_corpus_generator(tmp_path):
    """bench/corpus.py: deterministic, one article per file, every content hash distinct."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from corpus import make_corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from kg.ingest import iter_articles

    a, b = make_corpus(12, tmp_path / "a"), make_corpus(12, tmp_path / "b")
    assert [p.read_bytes() for p in sorted(a.glob("*.txt"))] == [p.read_bytes() for p in sorted(b.glob("*.txt"))]
    arts = list(iter_articles([str(a)]))
    assert len(arts) == 12 and len({x.content_hash for x in arts}) == 12
    assert all(x.date for x in arts)
