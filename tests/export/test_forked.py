"""Exports written by forked processes (kg.export.Forked, kg.export.plan): same files, errors come back."""
from __future__ import annotations

import os
import signal
import time

import pytest

from kg.errors import KGError, OutputError
from kg.examples import sample_kb
from kg.export import COST, DEFAULT_FORMATS, FAMILIES, FORMATS, ExportContext, Forked, plan, write
from kg.rdf import Table
from kg.vocab import DEFAULT_BASE

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")


def _ctx() -> ExportContext:
    kb = sample_kb()
    return ExportContext(Table.from_kb(kb, DEFAULT_BASE), kb, DEFAULT_BASE, {})


def test_plan_keeps_families_together_and_covers_every_format():
    for n in range(1, 5):
        parts = plan(list(DEFAULT_FORMATS), n, head_start=2.0)
        assert sorted(f for p in parts for f in p) == sorted(DEFAULT_FORMATS) and len(parts) <= n
        for fam in FAMILIES:
            assert sum(1 for p in parts if set(fam) & set(p)) == 1, (n, fam, parts)
    assert set(COST) == set(FORMATS)  # every format has a cost


def test_forked_exports_equal_those_written_here(tmp_path):
    ctx = _ctx()
    here, there = tmp_path / "here", tmp_path / "there"
    write(ctx, here)
    child = Forked(ctx, there, list(DEFAULT_FORMATS))
    paths = child.join()
    assert list(paths) == list(DEFAULT_FORMATS)
    for p in here.rglob("*"):
        if p.is_file():
            assert (there / p.relative_to(here)).read_bytes() == p.read_bytes(), p.name
    assert all(p.is_file() for ps in paths.values() for p in ps)


def test_a_failing_export_raises_in_the_parent(tmp_path, monkeypatch):
    def bad(ctx, out):
        raise OutputError(f"{out}: disk full")

    monkeypatch.setitem(FORMATS, "bad", bad)
    child = Forked(_ctx(), tmp_path, ["turtle", "bad"])
    with pytest.raises(OutputError, match="disk full"):
        child.join()


def test_a_killed_child_is_an_error_not_a_hang(tmp_path, monkeypatch):
    def slow(ctx, out):
        time.sleep(30)
        return []

    monkeypatch.setitem(FORMATS, "slow", slow)
    child = Forked(_ctx(), tmp_path, ["slow"])
    os.kill(child.pid, signal.SIGKILL)
    with pytest.raises(KGError, match="signal 9"):
        child.join()


def test_kill_leaves_no_temporary_file(tmp_path, monkeypatch):
    def slow_chunks(ctx, out):
        from kg.export import atomic_write

        def chunks():
            yield "a"
            time.sleep(30)
            yield "b"

        return [atomic_write(out / "slow.txt", chunks())]

    monkeypatch.setitem(FORMATS, "slow", slow_chunks)
    child = Forked(_ctx(), tmp_path, ["slow"])
    deadline = time.monotonic() + 10
    while not list(tmp_path.glob(".slow.txt.*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    child.kill()
    assert not list(tmp_path.iterdir())


def _held(ctx: ExportContext) -> set[str]:
    """Names of the derived data ``ctx`` and its table hold now (see kg.export.READS)."""
    t = ctx.table
    names = {k[0] if isinstance(k, tuple) else k for k in t._memo} | (set(ctx._cache) - {"table"})
    return names | {n for n, v in (("by_subject", t._by_s), ("by_predicate", t._by_p)) if v is not None}


def test_reads_lists_the_derived_data_each_format_makes(tmp_path):
    from kg.export import READS

    assert set(READS) == set(FORMATS)
    for fmt in FORMATS:
        ctx = _ctx()
        write(ctx, tmp_path / fmt, [fmt])
        assert _held(ctx) <= READS[fmt], fmt


def test_write_with_keep_drops_shared_data_after_its_last_reader_and_writes_the_same_bytes(tmp_path, monkeypatch):
    from kg.export import reads

    order = ["turtle", "graphml", "trig", "nt", "jsonld", "nquads", "gexf"]
    plain, kept = tmp_path / "plain", tmp_path / "kept"
    write(_ctx(), plain, order)
    ctx = _ctx()
    seen: dict[str, set[str]] = {}
    for fmt in order:  # what is held when each format starts
        monkeypatch.setitem(FORMATS, fmt, (lambda w, f: lambda c, o: (seen.setdefault(f, _held(c)), w(c, o))[1])(FORMATS[fmt], fmt))
    write(ctx, kept, order, keep={"by_subject"})
    for i, fmt in enumerate(order):
        assert seen[fmt] <= reads(order[i:]) | {"by_subject"}, (fmt, seen[fmt])
    assert "turtle-default" in seen["trig"] and "turtle-default" not in seen["nt"]  # kept for trig, dropped after
    assert "analysis" in seen["gexf"] and not {"nt-sorted", "named-sorted"} & seen["gexf"]  # graphml's, kept for gexf
    assert _held(ctx) == {"by_subject"}
    for p in plain.rglob("*"):
        if p.is_file():
            assert (kept / p.relative_to(plain)).read_bytes() == p.read_bytes(), p.name
