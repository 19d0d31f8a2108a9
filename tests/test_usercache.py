"""The per-user cache (kg.usercache) and the gazetteer kept in it."""
from __future__ import annotations

import os
import pickle

import pytest

from kg import gazetteer, usercache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "c"))
    return tmp_path / "c"


def test_stored_then_reused(cache):
    calls = []
    make = lambda: calls.append(1) or {"n": len(calls)}  # noqa: E731
    assert usercache.cached("x", "k", make) == {"n": 1}
    assert usercache.cached("x", "k", make) == {"n": 1}
    assert calls == [1]
    assert [p.name for p in cache.iterdir()] == ["x-k.pickle"]


def test_other_key_rebuilds_and_keeps_the_most_recently_used(cache):
    import os
    import time

    for i in range(1, usercache.KEEP + 1):
        assert usercache.cached("x", f"k{i}", lambda: i) == i
        os.utime(cache / f"x-k{i}.pickle", ns=(0, i * 10**9))  # distinct ages, oldest first
    assert usercache.cached("x", "k1", lambda: "rebuilt") == 1  # read back, and now the most recent
    assert (cache / "x-k1.pickle").stat().st_mtime > time.time() - 60
    assert usercache.cached("x", "new", lambda: "new") == "new"  # one too many: the least recently used goes
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        ["x-k1.pickle", "x-new.pickle"] + [f"x-k{i}.pickle" for i in range(3, usercache.KEEP + 1)])
    assert usercache.cached("y", "k1", lambda: 3) == 3  # other names are left alone
    assert (cache / "y-k1.pickle").is_file() and len(list(cache.glob("x-*.pickle"))) == usercache.KEEP


def test_corrupt_file_is_rebuilt(cache):
    cache.mkdir()
    (cache / "x-k.pickle").write_bytes(b"\x80\x05not a pickle")
    assert usercache.cached("x", "k", lambda: [1, 2]) == [1, 2]
    assert pickle.loads((cache / "x-k.pickle").read_bytes()) == [1, 2]


def test_off_when_empty(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", "")
    assert usercache.cache_dir() is None
    calls = []
    for _ in range(2):
        usercache.cached("x", "k", lambda: calls.append(1))
    assert calls == [1, 1]


def test_default_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("KG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert usercache.cache_dir() == tmp_path / "kg"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert usercache.cache_dir() == tmp_path / "home" / ".cache" / "kg"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes to read-only folders")
def test_unwritable_folder_still_gives_the_value(cache):
    cache.mkdir()
    cache.chmod(0o500)
    try:
        assert usercache.cached("x", "k", lambda: 5) == 5
    finally:
        cache.chmod(0o700)


def test_unwritable_path_still_gives_the_value(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "file" / "sub"))  # a folder under a file: cannot be made
    assert usercache.cached("x", "k", lambda: 6) == 6


def test_key_follows_the_files(tmp_path):
    a = tmp_path / "a.json"
    a.write_text("1")
    k1 = usercache.key_of([a], tmp_path)
    assert usercache.key_of([a], tmp_path) == k1
    a.write_text("2")
    assert usercache.key_of([a], tmp_path) != k1
    assert usercache.key_of([a], tmp_path, "lib==2") != usercache.key_of([a], tmp_path, "lib==1")


def test_cached_gazetteer_is_the_built_one(cache):
    gazetteer.load.cache_clear()
    try:
        first = gazetteer.load()  # built and stored
        assert len(list(cache.glob("gazetteer-*.pickle"))) == 1
        gazetteer.load.cache_clear()
        again = gazetteer.load()  # read back
        assert again is not first
        for attr in ("entries", "redirects", "demonyms", "alias", "_forms", "_skel", "_anycase", "_bodies"):
            assert getattr(again, attr) == getattr(first, attr), attr
        assert again.lookup("Ninawa").gid == "IQ-NI"
    finally:
        gazetteer.load.cache_clear()
