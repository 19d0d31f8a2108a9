#!/usr/bin/env python3
"""Benchmark ``kg build`` against bare spaCy on one generated corpus (``make bench``).

usage:
    python bench/run.py [-n N] [--workers W]           # default N=1000 (env BENCH_N or N), W = cores
    python bench/run.py --sizes 1000,4000 [--format nt] # peak RSS of the map stage vs corpus size

One run, one corpus (``bench/corpus-N/``, made by :mod:`bench.corpus`), each
measurement in a fresh subprocess so its peak RSS is its own:

1. bare spaCy: ``kg.nlp.load(rules=False).pipe(texts, batch_size=kg.nlp.BATCH_SIZE)``
   over the cleaned texts (timed: the pipe only, not reading, importing or loading);
   then, as a reference, W such processes at once, each over 1/W of the texts;
2. ``kg build`` with 1 worker and with W workers into empty folders (timed: the
   whole command, startup, model loading and every export included);
3. the W-worker rebuild with nothing changed, and the build after adding one
   article to the corpus (a hard-linked copy of it plus one new file);
4. where the rebuild's time goes, stage by stage and export by export.

Results are printed and written into ``bench/results.md`` (between this
script's markers; the rest of the file is left alone). Never run by the tests.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import article, make_corpus, seed_stories  # noqa: E402

PY = sys.executable
KG = str(Path(PY).with_name("kg"))
RESULTS = ROOT / "bench" / "results.md"
MB = 1024 * 1024


# ---------------------------------------------------------------------------
# measuring one subprocess


class TreeRSS(threading.Thread):
    """Sample the RSS of a process and its descendants; keep the peaks."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.total = self.main = self.child = 0
        self._halt = threading.Event()

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._halt.is_set():
            try:
                main = root.memory_info().rss
                kids = []
                for c in root.children(recursive=True):
                    try:
                        kids.append(c.memory_info().rss)
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            self.main = max(self.main, main)
            self.child = max([self.child, *kids])
            self.total = max(self.total, main + sum(kids))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def busy_cpu() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (``/proc/stat``: every state but idle
    and iowait), or ``None`` where there is no ``/proc/stat``.

    The difference over a run is the run's CPU time *if nothing else runs meanwhile*. It also counts
    the processes ``wait4`` cannot see: a pool's workers are the forkserver's children.
    """
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(x) for x in fields[:8]]  # user nice system idle iowait irq softirq steal
    busy = sum(ticks) - ticks[3] - ticks[4] - ticks[7]  # a VM's steal time is not this machine's work
    return busy / os.sysconf("SC_CLK_TCK")


def measure_rusage(cmd: list[str], label: str) -> dict:
    """Run ``cmd``: wall seconds, sampled peak RSS (all its processes, main, largest child), from
    ``wait4`` the peak RSS of its largest single process and its CPU time, and the machine's busy
    CPU time over the run (:func:`busy_cpu`)."""
    busy0 = busy_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    sampler = TreeRSS(proc.pid)
    sampler.start()
    out_chunks, err_chunks = [], []
    t_out = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True)
    t_err = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    t_out.start(), t_err.start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    busy1 = busy_cpu()
    t_out.join(), t_err.join()
    sampler.stop()
    out, err = b"".join(out_chunks), b"".join(err_chunks)
    if proc.returncode:
        sys.exit(f"bench: {label} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    r = {"label": label, "seconds": seconds, "stdout": out.decode(), "tree_rss_mb": sampler.total / MB,
         "main_rss_mb": sampler.main / MB, "worker_rss_mb": sampler.child / MB,
         "maxrss_mb": usage.ru_maxrss / 1024,
         # CPU time of the process and the children it waited for (a VM's steal time is not in it)
         "cpu_s": usage.ru_utime + usage.ru_stime,
         "busy_s": None if busy0 is None or busy1 is None else busy1 - busy0}
    print(f"  {label:<30} {seconds:8.1f} s   peak RSS {r['tree_rss_mb']:6.0f} MB all processes, "
          f"{r['maxrss_mb']:5.0f} MB largest", flush=True)
    return r


# ---------------------------------------------------------------------------
# the measured programs (run as ``bench/run.py --bare CORPUS`` etc. in a subprocess)


def bare(corpus: str, part: str | None = None) -> None:
    """Bare spaCy over the corpus's cleaned texts (``part`` "K/W": every W-th text from the K-th); prints JSON."""
    from kg import nlp as nlp_mod
    from kg.ingest import iter_articles

    texts = [a.text for a in iter_articles([corpus])]
    if part:
        k, w = map(int, part.split("/"))
        texts = texts[k::w]
    nlp = nlp_mod.load(rules=False)
    t0 = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=nlp_mod.BATCH_SIZE))
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "tokens": tokens, "articles": len(texts),
                      "model": nlp_mod.model_id(), "pipes": nlp.pipe_names, "batch_size": nlp_mod.BATCH_SIZE}))


def breakdown(corpus: str, out: str, workers: int, formats: list[str] | None = None, after_build: bool = True) -> None:
    """A library build with every stage and every export format timed; prints JSON.

    In the main benchmark ``out`` is a built folder: its record cache is copied (without the build
    manifest) into a fresh folder next to it, so every record comes from the cache and resolution,
    RDF, exports, SHACL check and store all run — what a rebuild costs when the corpus changed.
    """
    if after_build:
        src = Path(out) / ".kg-cache"
        out = str(fresh(Path(out).parent / "breakdown"))
        shutil.copytree(src, Path(out) / ".kg-cache", ignore=shutil.ignore_patterns("manifest.json"))
    t0 = time.perf_counter()
    import kg.export as export
    from kg.pipeline import build

    imported = time.perf_counter() - t0
    per_format: dict[str, float] = {}

    def timed(name, writer):
        def run(ctx, out_dir):
            t = time.perf_counter()
            try:
                return writer(ctx, out_dir)
            finally:
                per_format[name] = time.perf_counter() - t
        return run

    import resource

    import kg.pipeline as pipeline

    peak: dict[str, float] = {}  # running peak RSS (MB) after each stage

    def mark(stage):
        peak[stage] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def after(stage, fn):
        def run(*a, **k):
            if stage == "assemble":
                mark("map")
            try:
                return fn(*a, **k)
            finally:
                mark(stage)
        return run

    for name, writer in list(export.FORMATS.items()):
        export.FORMATS[name] = after(f"export {name}", timed(name, writer))
    pipeline.assemble = after("assemble", pipeline.assemble)
    r = build([corpus], out, workers=workers, formats=formats or None, validate=after_build, store=after_build)
    mark("build")
    result = {"import": imported, "timings": r.timings, "formats": per_format, "seconds": r.seconds,
              "peak_rss_mb": peak, "extracted": r.extracted, "cached": r.cached,
              "triples": r.triples, "articles": r.articles}
    (Path(out).parent / f"breakdown-{Path(out).name}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result))


# ---------------------------------------------------------------------------
# the benchmark


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine() -> dict:
    import spacy

    from kg import nlp as nlp_mod

    cpu = "?"
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    from kg.pipeline import default_workers

    return {"cores": default_workers(), "cpu": cpu, "python": platform.python_version(),
            "spacy": spacy.__version__, "model": nlp_mod.model_id(), "os": platform.platform(terse=True)}


def kg_build(corpus: Path, out: Path, workers: int, label: str, extra=()) -> dict:
    return measure_rusage([KG, "build", str(corpus), "-o", str(out), "--workers", str(workers), "-q", *extra], label)


def plus_one(corpus: Path, n: int) -> Path:
    """A hard-linked copy of ``corpus`` with one more (new) article."""
    dst = corpus.with_name(corpus.name + "-plus1")
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir()
    for p in corpus.glob("*.txt"):
        os.link(p, dst / p.name)
    (dst / f"{n:06d}.txt").write_text(article(n, seed_stories()), encoding="utf-8")
    return dst


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    return path


def bare_parallel(corpus: Path, workers: int) -> float:
    """The model's own parallel speed on this machine: ``workers`` bare spaCy processes started together,
    each over every ``workers``-th text; the slowest one's ``nlp.pipe`` seconds (loading excluded,
    like the bare run). What no ``--workers`` build can beat: cores share caches, memory bandwidth
    and (on a VM) the host."""
    procs = [subprocess.Popen([PY, __file__, "--bare", str(corpus), "--part", f"{k}/{workers}"],
                              stdout=subprocess.PIPE, cwd=ROOT) for k in range(workers)]
    secs = []
    for p in procs:
        out, _ = p.communicate()
        if p.returncode:
            sys.exit(f"bench: bare spaCy part failed ({p.returncode})")
        secs.append(json.loads(out)["seconds"])
    print(f"  bare nlp.pipe, {workers} processes at once: {', '.join(f'{x:.1f}' for x in secs)} s", flush=True)
    return max(secs)


def is_pooled(r: dict, pooled=()) -> bool:
    """Whether the run ``r`` is one of ``pooled`` (by identity: two runs' dicts may be equal)."""
    return any(r is x for x in pooled)


def cpu_of(r: dict, pooled=()) -> float | None:
    """A run's CPU seconds: ``wait4``'s, or the machine's busy time for a run in ``pooled`` (whose pool
    workers ``wait4`` misses)."""
    return r.get("busy_s") if is_pooled(r, pooled) else r["cpu_s"]


def floors(workers: int, targets, pooled=()) -> list[str]:
    """One line per ``(name, run, target, reference seconds)``: the CPU the run used, and the least wall
    time that CPU allows on ``workers`` cores, as a ratio to the reference. A floor above the target
    means no scheduling can meet it: the work itself must shrink.

    >>> floors(2, [("x", {"cpu_s": 30.0, "seconds": 20.0}, 0.5, 40.0)])
    ['- CPU floor, x: 30.0 CPU-s / 2 cores = 15.0 s = **0.375** of its reference (target ≤ 0.50, measured 0.500).']
    """
    out = []
    for name, r, target, ref in targets:
        c = cpu_of(r, pooled)
        if c is None:
            continue
        out.append(f"- CPU floor, {name}: {c:.1f} CPU-s / {workers} cores = {c / workers:.1f} s = "
                   f"**{c / workers / ref:.3f}** of its reference (target ≤ {target:.2f}, measured {r['seconds'] / ref:.3f}).")
    return out


def run_main(n: int, workers: int, formats: list[str]) -> str:
    from kg.export import DEFAULT_FORMATS
    from kg.pipeline import export_plan

    extra = [a for f in formats for a in ("--format", f)]
    load_before = _loadavg()
    print(f"bench: {n} articles, {workers} workers; load average {load_before}", flush=True)
    corpus = make_corpus(n)
    outs = ROOT / "bench" / f"out-{n}"
    base = measure_rusage([PY, __file__, "--bare", str(corpus)], "bare spaCy nlp.pipe (process)")
    b = json.loads(base["stdout"])
    print(f"  bare nlp.pipe: {b['seconds']:.1f} s, {b['tokens']} tokens, {b['tokens'] / b['seconds']:.0f} tokens/s",
          flush=True)
    floor = bare_parallel(corpus, workers) if workers > 1 else None
    one = kg_build(corpus, fresh(outs / "w1"), 1, "kg build --workers 1", extra)
    allw = kg_build(corpus, fresh(outs / f"w{workers}"), workers, f"kg build --workers {workers}", extra)
    # what the SPARQL store's bulk load costs a first build (a reference, not a target)
    nostore = kg_build(corpus, fresh(outs / "nostore"), workers, f"kg build --workers {workers} --no-store",
                       [*extra, "--no-store"])
    shutil.rmtree(outs / "nostore")
    # filecmp reads in small blocks: reading whole outputs here would raise this process's peak RSS,
    # and Linux carries a parent's peak into the ru_maxrss of the children it spawns next.
    differ = [p.name for p in sorted((outs / f"w{workers}").iterdir())
              if p.is_file() and not filecmp.cmp(outs / "w1" / p.name, p, shallow=False)]
    rebuild = kg_build(corpus, outs / f"w{workers}", workers, "rebuild, nothing changed", extra)
    plus = plus_one(corpus, n)
    add = kg_build(plus, outs / f"w{workers}", workers, "rebuild after adding 1 article", extra)
    # in one process (workers=1), so that every export's time is seen (with more workers, forked
    # processes write part of them)
    bd = json.loads(measure_rusage([PY, __file__, "--breakdown", str(corpus), str(outs / "w1"), "1"],
                                   "rebuild breakdown (library)")["stdout"])
    shutil.rmtree(plus)
    # bare spaCy again: on a shared VM the machine's speed drifts over a long run (steal time), so the
    # ratios use the mean of a bare run before and one after the builds
    base2 = measure_rusage([PY, __file__, "--bare", str(corpus)], "bare spaCy nlp.pipe (again)")
    b2 = json.loads(base2["stdout"])
    spacy_s = (b["seconds"] + b2["seconds"]) / 2
    base = {**base, "cpu_s": (base["cpu_s"] + base2["cpu_s"]) / 2}

    m = machine()
    tok = b["tokens"]
    rows = [("bare spaCy `nlp.pipe`", spacy_s, base), ("`kg build --workers 1`", one["seconds"], one),
            (f"`kg build --workers {workers}`", allw["seconds"], allw),
            (f"*reference:* `kg build --workers {workers} --no-store`", nostore["seconds"], nostore),
            ("rebuild, nothing changed", rebuild["seconds"], rebuild),
            ("rebuild after adding 1 article", add["seconds"], add)]
    lines = [
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {m['cores']} cores ({m['cpu']}), Python {m['python']}, "
        f"spaCy {m['spacy']}, model `{m['model']}` (pipes {', '.join(b['pipes'])}), batch size {b['batch_size']}.",
        *([f"`kg build` runs the same model with its `attribute_ruler` swapped for `kg_attribute_ruler` "
           f"(`kg/attrruler.py`: the same patterns, the same annotations, evaluated with numpy), then its own rule components."]
          if "attribute_ruler" in b["pipes"] else []),
        f"Corpus: `bench/corpus-{n}/`, {n} articles, {tok} tokens ({tok / n:.0f} per article); "
        f"formats: {', '.join(formats) if formats else 'all defaults'}. Command: `make bench` (`python bench/run.py -n {n}`).",
        "",
        f"Bare spaCy ran before the builds ({b['seconds']:.1f} s) and after them ({b2['seconds']:.1f} s); the ratios "
        f"use the mean, {spacy_s:.1f} s. CPU seconds: user + system of the process and its children (from `wait4`; "
        f"a VM's steal time is not in them), for bare spaCy the whole process (reading, loading and the pipe); "
        f"for a build whose pool workers `wait4` does not see (they are the forkserver's children), marked †, the "
        f"machine's busy CPU time over the run (`/proc/stat`, valid on an otherwise idle machine). "
        f"*Floor*: the CPU seconds divided by the {workers} cores, the least wall time that work could take here.",
        "",
        "| run | seconds | × bare spaCy | CPU s | × bare CPU | floor, s | articles/s | tokens/s | peak RSS, all processes | largest process |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    pooled = (allw, nostore) if workers > 1 else ()
    for name, s, r in rows:
        c = cpu_of(r, pooled)
        cpu = "" if c is None else (f"{c:.1f}{'†' if is_pooled(r, pooled) else ''} | {c / base['cpu_s']:.2f} | "
                                    + ("" if r is base else f"{c / workers:.1f}"))
        lines.append(f"| {name} | {s:.1f} | {s / spacy_s:.2f} | {cpu or ' | | '} | "
                     f"{n / s:.1f} | {tok / s:,.0f} | {r['tree_rss_mb']:,.0f} MB | {r['maxrss_mb']:,.0f} MB |")
    if floor is not None:
        lines.append(f"| *reference:* bare spaCy in {workers} processes at once, each over 1/{workers} of the texts "
                     f"(the slowest one's `nlp.pipe`) | {floor:.1f} | {floor / spacy_s:.2f} | | | | {n / floor:.1f} | "
                     f"{tok / floor:,.0f} | | |")
    first = allw["seconds"]
    lines += [
        "",
        f"- 1-worker build / bare spaCy: **{one['seconds'] / spacy_s:.2f}** (target ≤ 1.15); "
        f"{workers}-worker build / bare spaCy: **{first / spacy_s:.2f}** (target ≤ 0.65"
        + (f"; the model alone in {workers} processes at once: {floor / spacy_s:.2f}" if floor is not None else "")
        + ").",
        f"- Rebuild with nothing changed / first build: **{rebuild['seconds'] / first:.3f}** of the {workers}-worker build "
        f"({rebuild['seconds'] / one['seconds']:.3f} of the 1-worker build) (target ≤ 0.05).",
        f"- Adding one article / first build: **{add['seconds'] / first:.3f}** of the {workers}-worker build "
        f"({add['seconds'] / one['seconds']:.3f} of the 1-worker build) (target ≤ 0.10).",
        *(floors(workers, [(f"{workers}-worker build", allw, 0.65, spacy_s),
                           ("adding one article", add, 0.10, first)], pooled) if workers > 1 else []),
        f"- {workers}-worker output byte-identical to the 1-worker output: "
        + ("**yes**, every file." if not differ else f"**no**: {', '.join(differ)} differ (two `kg build` processes; "
           "see the notes below)."),
        f"- Bare spaCy process (model loaded, texts in memory) peaked at {base['maxrss_mb']:,.0f} MB.",
        "",
        f"Where a rebuild spends its time when it cannot skip the corpus-level stages: {bd['articles']} articles, "
        f"{bd['cached']} from the cache, {bd['triples']:,} triples, into a folder that has the record cache only (so "
        f"the store is bulk-loaded; a rebuild of a built folder applies the difference instead); the library build "
        f"(SHACL check and store included, as in `kg build`) in one process, timed stage by stage. With "
        f"{workers} workers, {workers} processes share out the exports and the check "
        f"(`kg.pipeline.export_plan`: {' / '.join('+'.join(p) for p in export_plan(formats or DEFAULT_FORMATS, workers))} and the check):",
        "",
        "| stage | seconds |", "|---|---:|",
        f"| imports | {bd['import']:.2f} |",
        f"| map: ingest + cache look-up (no model loaded) | {bd['timings']['map']:.2f} |",
        f"| assemble: dedupe + resolution + events | {bd['timings']['assemble']:.2f} |",
        f"| rdf: `kg.rdf.Table.from_kb` | {bd['timings']['rdf']:.2f} |",
        f"| export, all formats (the store loads from `graph.nq` in a thread meanwhile) | {bd['timings']['export']:.2f} |",
    ]
    for name, s in sorted(bd["formats"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| &nbsp;&nbsp;export `{name}` | {s:.2f} |")
    lines += [
        f"| SHACL check (`kg.shacl.validate_table`) | {bd['timings'].get('validate', 0):.2f} |",
        f"| store: waiting for the background bulk load to finish | {bd['timings'].get('store', 0):.2f} |",
    ]
    lines.append(f"| **total** | **{bd['import'] + bd['seconds']:.2f}** |")
    if bd.get("peak_rss_mb"):
        lines += ["", "Running peak RSS of that process after each stage: " + ", ".join(
            f"{stage} {mb:,.0f} MB" for stage, mb in bd["peak_rss_mb"].items()) + "."]
    lines += ["", f"Load average before / after the run: {load_before} / {_loadavg()} (other processes skew the figures)."]
    return "\n".join(lines)


def run_sizes(sizes: list[int], workers: int, formats: list[str]) -> str:
    extra = [a for f in formats for a in ("--format", f)]
    m = machine()
    lines = [
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {m['cores']} cores; `python bench/run.py --sizes "
        f"{','.join(map(str, sizes))}`: `kg.pipeline.build(workers={workers})` into an empty folder"
        f"{', formats: ' + ', '.join(formats) if formats else ''} (no store, no SHACL check: they run after the map "
        f"and are measured by the main benchmark).",
        "The map stage (ingest → nlp → extract) runs in the worker processes; the main process reads and cleans the "
        "articles and keeps the records for resolution. Its peak at the end of the map is read with "
        "`getrusage(RUSAGE_SELF)`; the workers' peak is sampled.",
        "",
        "| articles | map stage, s | map articles/s | peak RSS of one map worker | main process at the end of the map "
        "| whole build, s | main process peak (whole build) | all processes peak |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        corpus = make_corpus(n)
        out = fresh(ROOT / "bench" / f"out-{n}" / "sizes")
        r = measure_rusage([PY, __file__, "--breakdown", str(corpus), str(out), str(workers), "--sizes-run",
                            *extra], f"{n} articles")
        bd = json.loads(r["stdout"])
        lines.append(f"| {n} | {bd['timings']['map']:.1f} | {n / bd['timings']['map']:.1f} | {r['worker_rss_mb']:,.0f} MB | "
                     f"{bd['peak_rss_mb']['map']:,.0f} MB | {r['seconds']:.1f} | {r['main_rss_mb']:,.0f} MB | "
                     f"{r['tree_rss_mb']:,.0f} MB |")
    return "\n".join(lines)


def update_results(section: str, body: str) -> None:
    """Replace this section of ``bench/results.md`` (between its markers), keeping everything else."""
    start, end = f"<!-- bench:{section} -->", f"<!-- /bench:{section} -->"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + f"\n\n{block}\n"
    RESULTS.write_text(text, encoding="utf-8")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=int(os.environ.get("BENCH_N") or os.environ.get("N") or 1000))
    p.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)), help="default: all cores")
    p.add_argument("--sizes", default=os.environ.get("BENCH_SIZES"), help="e.g. 1000,4000: the RSS-vs-size run")
    p.add_argument("--format", dest="formats", action="append", default=[],
                   help="export only these formats (default: all; --sizes defaults to nt)")
    p.add_argument("--bare", metavar="CORPUS", help=argparse.SUPPRESS)
    p.add_argument("--part", help=argparse.SUPPRESS)
    p.add_argument("--breakdown", nargs=3, metavar=("CORPUS", "OUT", "WORKERS"), help=argparse.SUPPRESS)
    p.add_argument("--sizes-run", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.bare:
        return bare(a.bare, a.part)
    if a.breakdown:
        return breakdown(a.breakdown[0], a.breakdown[1], int(a.breakdown[2]), a.formats, after_build=not a.sizes_run)
    if a.sizes:
        sizes = [int(s) for s in a.sizes.split(",")]
        body = run_sizes(sizes, a.workers, a.formats or ["nt"])
        update_results("sizes", body)
    else:
        body = run_main(a.n, a.workers, a.formats)
        update_results(f"main-{a.n}", body)
    print("\n" + body)
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
