#!/usr/bin/env python3
"""Do SPARQL queries on the persistent Oxigraph store stay interactive at 100,000 articles?

usage: python bench/store_bench.py [--articles 10000,100000] [--groups 200] [--repeat 3]

Builds ``seeds/`` (6 articles) and multiplies its merged graph into a synthetic
knowledge base of N articles: copy *k* gets its own documents, evidence,
operations, quotes and memberships (IRIs suffixed ``-k``), while the entities
of copy *k* are shared with every copy in the same group (``k mod groups``), so
the number of entities grows with the corpus but each is mentioned by many
documents, as in real wire copy. The N-Triples stream straight into
``pyoxigraph.Store.bulk_load`` (the loader :mod:`kg.store` uses) in
``bench/out-store-N/``, and every competency query of ``ontology/queries/*.rq``
is timed on the store opened read-only: cold (first run, in a fresh process)
and warm (best of ``--repeat``). Each query runs in its own subprocess with a
time limit. Results go into ``bench/results.md``.
"""
from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

QUERIES = ROOT / "ontology" / "queries"
QUERY_TIMEOUT = 120  # seconds per query process: far beyond interactive
PER_COPY = ("document", "evidence", "operation", "quote", "membership", "file")
ENTITIES = ("organization", "person", "location")


def seed_triples() -> tuple[list[str], int]:
    """The seeds' merged graph as N-Triples lines, and its article count."""
    from kg.pipeline import build

    with tempfile.TemporaryDirectory() as tmp:
        report = build([str(ROOT / "seeds")], tmp, formats=["nt"], cache=False, workers=1)
        lines = (Path(tmp) / "graph.nt").read_text(encoding="utf-8").splitlines()
    return [ln for ln in lines if ln.strip()], report.articles


def templates(lines: list[str]) -> list[tuple[str, ...]]:
    """Each line split around the IRIs that get a per-copy (``\\0``) or per-group (``\\1``) suffix."""
    iri = re.compile(r"(<https?://[^>]*/id/(" + "|".join(PER_COPY + ENTITIES) + r")/[^>]*)>")
    out = []
    for ln in lines:
        parts, last = [], 0
        for m in iri.finditer(ln):
            parts += [ln[last:m.end(1)], "\0" if m.group(2) in PER_COPY else "\1"]
            last = m.end(1)
        parts.append(ln[last:])
        out.append(tuple(parts))
    return out


class Multiplied(io.RawIOBase):
    """A readable stream of N-Triples: ``copies`` copies of the template lines."""

    def __init__(self, tmpl: list[tuple[str, ...]], copies: int, groups: int):
        self.tmpl, self.copies, self.groups = tmpl, copies, groups
        self.k, self.buf, self.triples = 0, b"", 0

    def readable(self) -> bool:
        return True

    def _next_copy(self) -> bytes:
        c, g = f"-c{self.k}", f"-g{self.k % self.groups}"
        text = "\n".join("".join(c if p == "\0" else g if p == "\1" else p for p in t) for t in self.tmpl) + "\n"
        self.k += 1
        self.triples += len(self.tmpl)
        return text.encode("utf-8")

    def readinto(self, b) -> int:
        while len(self.buf) < len(b) and self.k < self.copies:
            self.buf += self._next_copy()
        n = min(len(b), len(self.buf))
        b[:n] = self.buf[:n]
        self.buf = self.buf[n:]
        return n


def load(path: Path, tmpl, copies: int, groups: int) -> dict:
    import pyoxigraph as ox

    if path.exists():
        shutil.rmtree(path)
    store = ox.Store(str(path))
    stream = Multiplied(tmpl, copies, groups)
    t0 = time.perf_counter()
    store.bulk_load(input=io.BufferedReader(stream, 1 << 20), format=ox.RdfFormat.N_TRIPLES)
    t1 = time.perf_counter()
    store.optimize()
    t2 = time.perf_counter()
    n = len(store)
    del store
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return {"triples": n, "generated": stream.triples, "load_s": t1 - t0, "optimize_s": t2 - t1, "bytes": size}


def run_query(store_path: str, query_file: str, repeat: int) -> None:
    """Child process: open the store read-only and run the query 1 + ``repeat`` times, one JSON line per run."""
    import pyoxigraph as ox

    q = Path(query_file).read_text(encoding="utf-8")
    store = ox.Store.read_only(store_path)
    for _ in range(1 + repeat):
        t = time.perf_counter()
        res = store.query(q)
        rows = int(res) if isinstance(res, bool) else sum(1 for _ in res)
        print(json.dumps({"s": time.perf_counter() - t, "rows": rows}), flush=True)


def time_queries(path: Path, repeat: int) -> list[dict]:
    """Cold (first run) and warm (best later run) seconds of every competency query."""
    out = []
    for f in sorted(QUERIES.glob("*.rq")):
        cmd = [sys.executable, __file__, "--query", str(path), str(f), str(repeat)]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=QUERY_TIMEOUT)
            stdout, err = p.stdout, (p.stderr.strip().splitlines() or ["?"])[-1][:120] if p.returncode else None
        except subprocess.TimeoutExpired as e:
            stdout, err = e.stdout or "", None
            stdout = stdout.decode() if isinstance(stdout, bytes) else stdout
        runs = [json.loads(ln) for ln in stdout.splitlines() if ln.startswith("{")]
        r = {"query": f.stem}
        if err:
            r["error"] = f"failed: {err}"
        elif not runs:
            r["error"] = f"over {QUERY_TIMEOUT} s"
        else:
            r |= {"cold_s": runs[0]["s"], "rows": runs[0]["rows"],
                  "warm_s": min((x["s"] for x in runs[1:]), default=None)}
        out.append(r)
        if "error" in r:
            print(f"    {f.stem:<34} {r['error']}", flush=True)
        else:
            warm = f"{r['warm_s']:7.3f} s" if r["warm_s"] is not None else "   (timed out)"
            print(f"    {f.stem:<34} cold {r['cold_s']:7.3f} s  warm {warm}  {r['rows']:>7} rows", flush=True)
    return out


def _cell(q: dict) -> str:
    if "error" in q:
        return q["error"]
    warm = f"{q['warm_s']:.2f} s warm" if q["warm_s"] is not None else "warm run over the limit"
    return f"{q['cold_s']:.2f} s cold, {warm} ({q['rows']:,} rows)"


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", default="10000,100000", help="corpus sizes to simulate (comma-separated)")
    p.add_argument("--groups", type=int, default=200, help="entity groups: distinct copies of the seed entities")
    p.add_argument("--repeat", type=int, default=2, help="warm runs per query (best is reported)")
    p.add_argument("--keep", action="store_true", help="keep the stores in bench/out-store-N/")
    p.add_argument("--query", nargs=3, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.query:
        return run_query(a.query[0], a.query[1], int(a.query[2]))
    from run import machine, update_results  # bench/run.py

    lines, per_seed = seed_triples()
    tmpl = templates(lines)
    m = machine()
    body = [
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {m['cores']} cores; `python bench/store_bench.py "
        f"--articles {a.articles} --groups {a.groups}`; pyoxigraph {__import__('pyoxigraph').__version__}.",
        f"The seeds' merged graph ({len(lines):,} triples, {per_seed} articles) multiplied: per-document nodes "
        f"copied, entities shared within {a.groups} groups; bulk-loaded, then each of the {len(list(QUERIES.glob('*.rq')))} "
        f"competency queries in `ontology/queries/` run in a fresh process on the read-only store: cold = first "
        f"run, warm = best of {a.repeat}.",
        "",
    ]
    results = {}
    for n in (int(x) for x in a.articles.split(",")):
        copies = max(1, round(n / per_seed))
        path = ROOT / "bench" / f"out-store-{n}"
        print(f"store bench: {copies * per_seed} articles ({copies} copies)", flush=True)
        info = load(path, tmpl, copies, a.groups)
        print(f"  loaded {info['triples']:,} triples in {info['load_s']:.1f} s "
              f"(+{info['optimize_s']:.1f} s optimize), {info['bytes'] / 2**30:.2f} GiB", flush=True)
        results[n] = (info, time_queries(path, a.repeat))
        if not a.keep:
            shutil.rmtree(path)
    sizes = list(results)
    body += ["| | " + " | ".join(f"{n:,} articles" for n in sizes) + " |",
             "|---|" + "---:|" * len(sizes)]
    body.append("| triples | " + " | ".join(f"{results[n][0]['triples']:,}" for n in sizes) + " |")
    body.append("| bulk load | " + " | ".join(
        f"{results[n][0]['load_s']:.0f} s ({results[n][0]['triples'] / results[n][0]['load_s']:,.0f} triples/s)"
        for n in sizes) + " |")
    body.append("| store on disk | " + " | ".join(f"{results[n][0]['bytes'] / 2**30:.2f} GiB" for n in sizes) + " |")
    names = [q["query"] for q in results[sizes[0]][1]]
    for i, name in enumerate(names):
        cells = []
        for n in sizes:
            cells.append(_cell(results[n][1][i]))
        body.append(f"| `{name}` | " + " | ".join(cells) + " |")
    text = "\n".join(body)
    update_results("store", text)
    print("\n" + text)


if __name__ == "__main__":
    main()
