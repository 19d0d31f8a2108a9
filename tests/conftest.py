"""Shared fixtures: the real model and one build of seeds/, made once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


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
