"""End-to-end build of seeds/: the foundation's acceptance checks."""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.vocab import KG

from .conftest import ROOT, SEEDS


def _graph(out: Path) -> Graph:
    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    return g


def test_counts(seeds_build):
    _, report = seeds_build
    assert report.files == 5
    assert report.articles == 6
    assert report.duplicates == 1
    assert not report.skipped


def test_documents_with_titles(seeds_out):
    g = _graph(seeds_out)
    docs = set(g.subjects(RDF.type, KG.Document))
    assert len(docs) == 6
    titles = {str(g.value(d, DCTERMS.title)) for d in docs}
    assert "Iraqi-US Coordination to Track Down ISIS Cells in Border Areas" in titles
    assert "52 Palestinians Including Children Killed in Israeli Airstrikes in Gaza" in titles
    files = {str(g.value(d, KG.sourceFile)) for d in docs}
    assert {f.rsplit("/", 1)[-1] for f in files} == {p.name for p in SEEDS.iterdir()}
    assert "prefix kg:" in (seeds_out / "graph.ttl").read_text(encoding="utf-8").lower()


def test_no_furniture_in_labels(seeds_out):
    g = _graph(seeds_out)
    for p in (RDFS.label, SKOS.altLabel):
        for label in g.objects(None, p):
            s = str(label)
            assert ".webp" not in s and "![" not in s and "](" not in s
            assert s.strip() != "TT"
            assert "مشاركة" not in s


def test_duplicate_story_recorded(seeds_out):
    g = _graph(seeds_out)
    dup = list(g.subject_objects(KG.duplicateOf))
    assert len(dup) == 1
    (copy, original), = dup
    assert str(g.value(copy, KG.sourceFile)).endswith("001_a24904526fcae996.txt")
    assert str(g.value(original, KG.sourceFile)).endswith("000_25240327df0f3b13.txt")


def _exported(out: Path) -> list[Path]:
    """Files a build writes for users (not its cache or database store)."""
    return sorted(p.relative_to(out) for p in out.rglob("*")
                  if p.is_file() and not {".kg-cache", "store"} & set(p.relative_to(out).parts))


def test_deterministic(tmp_path, seeds_out):
    """Same input, byte-identical outputs, also from another process with other string hashing."""
    out = tmp_path / "again"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    r = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SEEDS), "-o", str(out), "--quiet", "--workers", "1"],
                       env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    names = _exported(seeds_out)
    assert {"graph.ttl", "graph.graphml"} <= {str(n) for n in names}
    for n in names:
        assert filecmp.cmp(seeds_out / n, out / n, shallow=False), f"{n} differs between two builds"


def test_repository_exports_are_fresh(seeds_out):
    """exports/ is the build of seeds/ shipped as an example; `make run` refreshes it."""
    shipped = ROOT / "exports"
    for name in _exported(seeds_out):
        assert (shipped / name).is_file(), f"exports/{name} missing: run `make run`"
        assert (shipped / name).read_bytes() == (seeds_out / name).read_bytes(), f"exports/{name} is stale: run `make run`"


def test_no_half_written_files(seeds_out):
    assert not [p for p in seeds_out.rglob("*.tmp")]
