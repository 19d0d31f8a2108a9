"""A rebuild updates the SPARQL store from the difference of the old and new graph.nq.

The updated store must hold exactly the quads a fresh bulk load of the new graph.nq gives;
whenever the difference cannot be used (no store, a stale one, too large a difference, blank
nodes, a count that does not match) the build falls back to the bulk load.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import store as store_mod
from kg.store import STAMP, build_store, keep_previous, quad_diff, store_is_fresh, update_store

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("diff") is None, reason="GNU diff not installed")


def _quads(store) -> set[str]:
    return {str(q) for q in store}


def _file_quads(path: Path) -> set[str]:
    """The quads of a bulk load of ``path`` (Oxigraph stores e.g. xsd:nonNegativeInteger as xsd:integer)."""
    st = ox.Store()
    st.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return _quads(st)


def _lines(*quads: str) -> str:
    return "".join(q + " .\n" for q in quads)


A = '<http://x/a> <http://x/p> "one"'
B = '<http://x/b> <http://x/p> <http://x/o> <http://x/g1>'
C = '<http://x/c> <http://x/p> "two"@en <http://x/g2>'
D = '<http://x/d> <http://x/q> "3"^^<http://www.w3.org/2001/XMLSchema#integer>'


@pytest.fixture
def built(tmp_path) -> Path:
    """A folder whose store was bulk-loaded from its graph.nq (A, B, C)."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.nq").write_text(_lines(A, B, C), encoding="utf-8")
    build_store(out)
    assert store_is_fresh(out)
    return out


def _rewrite(out: Path, text: str) -> Path | None:
    """What a build does: keep the old graph.nq, then replace it by a rename."""
    prev = keep_previous(out)
    tmp = out / ".new.nq"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out / "graph.nq")
    return prev


def _commit(out: Path, folder: Path) -> ox.Store:
    store_mod.commit_store(out, folder, out / "graph.nq")
    return ox.Store.read_only(str(out / "store"))


def test_update_applies_the_difference(built):
    prev = _rewrite(built, _lines(A, C, D))
    assert prev is not None and prev.read_text(encoding="utf-8") == _lines(A, B, C)
    folder, how = update_store(built, prev, built / "graph.nq", expected=3)
    assert how == "update"
    st = _commit(built, folder)
    assert _quads(st) == _file_quads(built / "graph.nq") and len(st) == 3
    assert store_is_fresh(built)
    assert not [p for p in built.iterdir() if p.name.startswith(".store.")]


def test_update_leaves_the_old_store_untouched_until_committed(built):
    prev = _rewrite(built, _lines(A))
    folder, how = update_store(built, prev, built / "graph.nq", expected=1)
    assert how == "update"
    assert len(ox.Store.read_only(str(built / "store"))) == 3  # readers of the old store see it whole
    assert len(_commit(built, folder)) == 1


def test_count_mismatch_falls_back_to_a_full_load(built):
    prev = _rewrite(built, _lines(A, C, D))
    folder, how = update_store(built, prev, built / "graph.nq", expected=99)
    assert how == "load"
    assert _quads(_commit(built, folder)) == _file_quads(built / "graph.nq")


def test_large_difference_falls_back_to_a_full_load(built):
    prev = _rewrite(built, _lines(*(f'<http://x/n{i}> <http://x/p> "{"x" * 200}"' for i in range(1000))))
    folder, how = update_store(built, prev, built / "graph.nq", expected=1000)
    assert how == "load" and len(_commit(built, folder)) == 1000


def test_blank_nodes_are_not_diffed(tmp_path):
    (tmp_path / "a.nq").write_text(_lines(A), encoding="utf-8")
    (tmp_path / "b.nq").write_text(_lines(A, "_:b0 <http://x/p> <http://x/o>"), encoding="utf-8")
    assert quad_diff(tmp_path / "a.nq", tmp_path / "b.nq", 10**6) is None
    assert quad_diff(tmp_path / "a.nq", tmp_path / "a.nq", 10**6) == (b"", b"")


def test_no_previous_without_a_fresh_store(built, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "graph.nq").write_text(_lines(A), encoding="utf-8")
    assert keep_previous(empty) is None  # no store yet
    (built / "graph.nq").write_text(_lines(A, B), encoding="utf-8")  # the store no longer matches
    assert keep_previous(built) is None
    assert not [p for p in built.iterdir() if p.name.endswith(".prev")]


def test_store_loaded_from_another_export_is_not_updated(tmp_path):
    out = tmp_path / "ttl"
    out.mkdir()
    (out / "graph.ttl").write_text("<http://x/a> <http://x/p> <http://x/o> .\n", encoding="utf-8")
    build_store(out)
    assert (out / "store" / STAMP).is_file() and keep_previous(out) is None


def test_rebuild_after_adding_an_article_updates_the_store(tmp_path):
    """End to end: the second build applies the difference and the store equals graph.nq."""
    from kg.pipeline import build

    src = tmp_path / "in"
    shutil.copytree(ROOT / "seeds", src)
    out = tmp_path / "out"
    first = build([str(src)], out, workers=1, formats=["nquads", "turtle"], validate=False)
    assert first.store_update == "load"
    (src / "extra.txt").write_text(
        "Iraqi forces kill five ISIS militants near Mosul\n\n"
        "Iraqi security forces killed five Islamic State militants in an airstrike near Mosul on Monday, "
        "the Defence Ministry said in a statement.\n", encoding="utf-8")
    second = build([str(src)], out, workers=1, formats=["nquads", "turtle"], validate=False)
    assert second.store_update == "update" and second.extracted == 1
    st = ox.Store.read_only(str(out / "store"))
    assert _quads(st) == _file_quads(out / "graph.nq")
    assert store_is_fresh(out)
    assert not [p for p in out.iterdir() if p.name.startswith((".store.", ".graph.nq."))]


def test_background_load_runs_in_another_process_and_reports_errors(tmp_path):
    """A build's bulk load runs in a process of its own; what it cannot read is a one-line OutputError."""
    from kg.errors import OutputError
    from kg.store import load_store

    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.nq").write_text(_lines(A, B, C), encoding="utf-8")
    folder = load_store(out, out / "graph.nq", background=True)
    assert _quads(ox.Store.read_only(str(folder))) == _file_quads(out / "graph.nq")
    (out / "bad.nq").write_text("<http://x/a> <http://x/p> .\n", encoding="utf-8")
    with pytest.raises(OutputError, match=r"bad\.nq: cannot be loaded into the store: .+") as e:
        load_store(out, out / "bad.nq", background=True)
    assert "\n" not in str(e.value)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".store.")) == [folder.name]


def test_sliced_bulk_load_equals_a_whole_one(tmp_path):
    from kg.oxload import bulk_load

    src = tmp_path / "g.nq"
    src.write_text(_lines(*(f'<http://x/s{i}> <http://x/p> "v{i} {"é" * (i % 7)}" <http://x/g{i % 3}>'
                            for i in range(500)), A, D), encoding="utf-8")
    whole, sliced, one_by_one = ox.Store(), ox.Store(tmp_path / "db"), ox.Store()
    whole.bulk_load(path=str(src), format=ox.RdfFormat.N_QUADS)
    bulk_load(sliced, str(src), "N_QUADS", slice_bytes=1000, threads=3)  # ~40 slices, cut inside lines, 3 at once
    bulk_load(one_by_one, str(src), "N_QUADS", slice_bytes=1000, threads=1)
    assert _quads(sliced) == _quads(whole) == _quads(one_by_one) and len(sliced) == 502
    sliced.optimize()
    assert len(sliced) == 502 and _quads(sliced) == _quads(whole)


def test_a_bad_slice_fails_the_threaded_load(tmp_path):
    from kg.oxload import bulk_load

    src = tmp_path / "g.nq"
    lines = [f'<http://x/s{i}> <http://x/p> "v{i}" <http://x/g>' for i in range(300)]
    lines[250] = "<http://x/broken> <http://x/p> ."
    src.write_text(_lines(*lines), encoding="utf-8")
    with pytest.raises(SyntaxError):
        bulk_load(ox.Store(), str(src), "N_QUADS", slice_bytes=500, threads=2)


def test_blank_nodes_are_loaded_in_one_piece(tmp_path):
    from kg.oxload import bulk_load, has_blank_nodes

    src = tmp_path / "b.nq"
    src.write_text(_lines(*(f"_:n <http://x/p> <http://x/o{i}>" for i in range(200))), encoding="utf-8")
    (tmp_path / "none.nq").write_text(_lines(A, B), encoding="utf-8")
    assert has_blank_nodes(str(src)) and not has_blank_nodes(str(tmp_path / "none.nq"))
    st = ox.Store()
    bulk_load(st, str(src), "N_QUADS", slice_bytes=100)
    assert len({q.subject for q in st}) == 1  # one node, not one per slice
