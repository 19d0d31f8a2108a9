"""Shared fixtures: the real model and one build of seeds/, made once per test session."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

_USER_CACHE: str | None = None


def pytest_configure(config):
    """The per-user cache (kg.usercache) of the run is a temporary folder: tests neither read a stale one
    nor write to the developer's home; worker processes inherit the setting."""
    global _USER_CACHE
    if "KG_CACHE_DIR" not in os.environ:
        _USER_CACHE = os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp(prefix="kg-usercache-")


def pytest_unconfigure(config):
    if _USER_CACHE is not None:
        os.environ.pop("KG_CACHE_DIR", None)
        shutil.rmtree(_USER_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def nlp():
    """The real spaCy pipeline with the project's rules (loaded once)."""
    from kg import nlp as nlp_mod

    return nlp_mod.load()


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    """``(out_dir, report)`` of ``kg build seeds`` with every default export; shared, treat as read-only."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seeds-build")
    report = build([str(SEEDS)], out)
    return out, report


@pytest.fixture(scope="session")
def seeds_out(seeds_build):
    """Output folder of the shared seeds build."""
    return seeds_build[0]
