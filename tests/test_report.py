"""The analysis report and `kg analyze` (hand-built graph; one end-to-end check on seeds/)."""
from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from PIL import Image
from rdflib import Graph

from kg import report as R
from kg.analysis import analyse
from kg.cli import main

from .graph_sample import sample_graph


@pytest.fixture(scope="module")
def an():
    return analyse(sample_graph())


def test_summary_text(an):
    text = R.summary_text(an, 5)
    assert text.startswith("14 nodes, 14 edges; ")
    targeted = text.split("Most targeted organizations:")[1].split("\n\n")[0]
    assert targeted.splitlines()[3].split()[0] == "ISIS"  # first row after the header and rule
    assert "Counter-Terrorism Service" in text.split("Top conducting organizations:")[1].split("\n\n")[0]
    for t in R.TOP_TYPES:
        assert f"Top {t} nodes by PageRank:" in text
    assert "Communities:" in text


def test_report_files(tmp_path, an):
    written = R.write_report(an, tmp_path)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert names == ["report.html", "report.md", "report_files/conductors.png", "report_files/network.png",
                     "report_files/operations_per_month.png"]
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    for name, _ in R.IMAGES.values():
        assert f"({R.FILES}/{name})" in md
        assert f'src="{R.FILES}/{name}"' in page
        with Image.open(tmp_path / R.FILES / name) as im:
            assert im.format == "PNG" and im.size[0] >= 600
            assert len(im.convert("RGB").getcolors(1 << 20)) > 20  # a drawing, not a blank
    assert "| ISIS | 3 |" in md  # targeted by three operations
    assert "Tom &amp; Jerry" in page and "<Brigade>" not in page  # escaped
    assert "| Tom & Jerry \\<Brigade\\> |" in md  # markdown-escaped, control character dropped


def test_report_is_deterministic(tmp_path, an):
    a, b = tmp_path / "a", tmp_path / "b"
    R.write_report(an, a)
    R.write_report(analyse(sample_graph()), b)
    for p in sorted(a.rglob("*")):
        if p.is_file():
            assert p.read_bytes() == (b / p.relative_to(a)).read_bytes(), p.name


def test_report_of_empty_graph(tmp_path):
    R.write_report(analyse(Graph()), tmp_path)
    assert "_(none)_" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_cli_analyze(tmp_path):
    sample_graph().serialize(tmp_path / "graph.ttl", format="turtle")
    r = CliRunner().invoke(main, ["analyze", str(tmp_path), "--top", "3"])
    assert r.exit_code == 0, r.output
    assert "Most targeted organizations:" in r.output and "ISIS" in r.output
    assert "wrote " in r.output and (tmp_path / "report.html").is_file()
    assert (tmp_path / "report_files" / "network.png").is_file()


def test_cli_analyze_without_graph(tmp_path):
    r = CliRunner().invoke(main, ["analyze", str(tmp_path)])
    assert r.exit_code == 1 and "no graph.ttl" in r.output


def _table(text: str, title: str) -> list[str]:
    block = text.split(title + ":")[1].split("\n\n")[0].splitlines()
    return [re.split(r"\s{2,}", line.strip())[0] for line in block[3:]]


def test_analyze_seeds(seeds_out, tmp_path):
    """On the seed articles: ISIS is the most targeted organization and the Counter-Terrorism
    Service is among the top conductors."""
    shutil.copy(seeds_out / "graph.ttl", tmp_path / "graph.ttl")  # the shared build stays untouched
    r = CliRunner().invoke(main, ["analyze", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert _table(r.output, "Most targeted organizations")[0] == "ISIS"
    conductors = _table(r.output, "Top conducting organizations")
    assert any("counter-terrorism service" in c.lower() for c in conductors), conductors
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    for name, _ in R.IMAGES.values():
        assert (tmp_path / R.FILES / name).stat().st_size > 1000
        assert f"{R.FILES}/{name}" in md
