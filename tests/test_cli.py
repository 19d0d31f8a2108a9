"""The CLI through click's CliRunner: help, version, exit codes, one-line errors."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from kg import __version__
from kg.cli import main

from .conftest import SEEDS


@pytest.fixture
def runner():
    return CliRunner()


def test_version(runner):
    r = runner.invoke(main, ["--version"])
    assert r.exit_code == 0 and __version__ in r.output


@pytest.mark.parametrize("cmd", [[], ["build"], ["stats"]])
def test_help_has_example(runner, cmd):
    r = runner.invoke(main, cmd + ["--help"])
    assert r.exit_code == 0
    assert "Example" in r.output


def test_usage_error_exit_2(runner, tmp_path):
    r = runner.invoke(main, ["build", str(SEEDS)])  # no -o
    assert r.exit_code == 2


def test_unknown_format_is_usage_error(runner, tmp_path):
    r = runner.invoke(main, ["build", str(SEEDS), "-o", str(tmp_path), "--format", "nope"])
    assert r.exit_code == 2 and "nope" in r.output


def test_nothing_to_build_exit_1(runner, tmp_path):
    missing = tmp_path / "missing"
    r = runner.invoke(main, ["build", str(missing), "-o", str(tmp_path / "out")])
    assert r.exit_code == 1
    err = r.stderr if hasattr(r, "stderr") else r.output
    assert "missing" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_build_skips_bad_file_and_goes_on(runner, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text((SEEDS / "004_a981f26536404a80.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "bin.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    out = tmp_path / "out"
    r = runner.invoke(main, ["build", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "graph.ttl").is_file()
    assert re.search(r"read 1 articles from 1 files; skipped 2", r.output)
    assert "empty.txt" in r.output and "bin.txt" in r.output


def test_stats(runner, seeds_out):
    r = runner.invoke(main, ["stats", str(seeds_out)])
    assert r.exit_code == 0
    assert re.search(r"kg:Document\s+6\b", r.output)
    assert "kg:mentionedIn" in r.output


def test_stats_on_empty_folder_is_clean_error(runner, tmp_path):
    r = runner.invoke(main, ["stats", str(tmp_path)])
    assert r.exit_code == 1 and "graph.ttl" in r.output and "Traceback" not in r.output


def test_no_store_leaves_the_store_to_the_first_query(runner, tmp_path):
    """``--no-store`` writes the files without a SPARQL store; ``kg query`` makes it when first asked."""
    out = tmp_path / "out"
    r = runner.invoke(main, ["build", str(SEEDS / "004_a981f26536404a80.txt"), "-o", str(out), "--quiet", "--no-store",
                             "--format", "nquads", "--format", "turtle"])
    assert r.exit_code == 0, r.output
    assert (out / "graph.nq").is_file() and not (out / "store").exists()
    assert not any(p.name.startswith(".store.") for p in out.iterdir())  # no half-made store left either
    r = runner.invoke(main, ["query", str(out), "ASK { ?op a <https://w3id.org/kgnews/ontology#Operation> }"])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == "true" and (out / "store").is_dir()
    # a build without the flag makes (or refreshes) the store as before
    r = runner.invoke(main, ["build", str(SEEDS / "004_a981f26536404a80.txt"), "-o", str(out), "--quiet",
                             "--format", "nquads", "--format", "turtle"])
    assert r.exit_code == 0, r.output
    from kg.store import store_is_fresh

    assert store_is_fresh(out)
