#!/usr/bin/env python3
"""Profile one ``kg build`` with py-spy and say which stage and which module dominate.

usage:
    python bench/profile_build.py CORPUS OUT [kg build options…]     # records with py-spy, then summarises
    python bench/profile_build.py --summary PROFILE.txt               # summarise an existing raw py-spy profile

py-spy is a profiling tool, not a project dependency: ``.venv/bin/pip install py-spy``.
Samples are attributed to the build's stages (the innermost stage frame on the
stack wins) and, within them, to the innermost ``kg/`` module, so an extractor or
an exporter that dominates shows up by name.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

#: (stage, frame pattern); the innermost matching frame on a stack names its stage.
STAGES = [
    ("spaCy nlp.pipe (model)", r"^(Language\.pipe|_pipe) \(.*spacy/"),
    ("kg rule components in nlp.pipe (span rulers)", r"^SpanRules\.__call__ \(.*kg/extract/ruler\.py"),
    ("extract (kg.extract)", r"^extract \(.*kg/extract/__init__\.py"),
    ("map: ingest", r"^iter_articles \(.*kg/ingest\.py"),
    ("map: cache", r"\(.*kg/cache\.py"),
    ("model load", r"^load \(.*kg/nlp\.py"),
    ("assemble (dedupe, resolve, events)", r"^assemble \(.*kg/pipeline\.py"),
    ("rdf: to_graph", r"^to_graph \(.*kg/rdf\.py"),
    ("export", r"^write \(.*kg/export/__init__\.py"),
    ("CLI after build: store", r"^build_store \(.*kg/store\.py"),
    ("CLI after build: SHACL validation", r"^validate \(.*kg/shacl\.py"),
    ("imports", r"^<module> \((?!.*kg/cli\.py)"),
]
KG_FRAME = re.compile(r"\((?:[^()]*/)?(kg/[\w/]+\.py):\d+\)")


def summarise(path: Path, top: int = 12) -> str:
    total = 0
    stages: Counter = Counter()
    modules: Counter = Counter()
    exporters: Counter = Counter()
    compiled = [(name, re.compile(p)) for name, p in STAGES]
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        n = int(n)
        total += n
        frames = stack.split(";")
        stage = "other"
        for f in reversed(frames):
            hit = next((name for name, rx in compiled if rx.search(f)), None)
            if hit:
                stage = hit
                break
        stages[stage] += n
        kg = [m.group(1) for f in frames if (m := KG_FRAME.search(f))]
        if stage == "spaCy nlp.pipe (model)" and not any(k.startswith("kg/extract") for k in kg):
            modules["(spaCy model)"] += n
        elif stage.startswith("kg rule components"):
            modules["kg/extract/ruler.py + entities.py (span rulers)"] += n
        else:
            modules[kg[-1] if kg else "(outside kg)"] += n
        if stage == "export":
            writer = next((m.group(1) for f in frames if (m := re.match(r"^(write_\w+|_\w+) \(.*kg/export/", f))
                           and m.group(1) not in ("_rdf",)), None)
            exp = [k for k in kg if k.startswith("kg/export/") and k != "kg/export/__init__.py"]
            exporters[(exp[0] if exp else writer or "?")] += n
    pct = lambda v: f"{100 * v / total:5.1f}%"  # noqa: E731
    out = [f"{total} samples", "", "| stage | share |", "|---|---:|"]
    out += [f"| {k} | {pct(v)} |" for k, v in stages.most_common()]
    out += ["", "| innermost kg module | share |", "|---|---:|"]
    out += [f"| `{k}` | {pct(v)} |" for k, v in modules.most_common(top)]
    if exporters:
        out += ["", "| export module | share |", "|---|---:|"]
        out += [f"| `{k}` | {pct(v)} |" for k, v in exporters.most_common(top)]
    return "\n".join(out)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--summary", type=Path, help="summarise this raw py-spy profile")
    p.add_argument("--rate", type=int, default=50)
    p.add_argument("args", nargs="*", help="CORPUS OUT [kg build options]")
    a, extra = p.parse_known_args(argv)
    if a.summary:
        print(summarise(a.summary))
        return
    if len(a.args) < 2:
        p.error("give CORPUS OUT, or --summary PROFILE")
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        sys.exit("py-spy is not installed: .venv/bin/pip install py-spy")
    raw = Path(a.args[1]).with_suffix(".pyspy.txt")
    cmd = [spy, "record", "-o", str(raw), "-f", "raw", "-r", str(a.rate), "--subprocesses", "--",
           sys.executable, "-m", "kg.cli", "build", a.args[0], "-o", a.args[1], *a.args[2:], *extra, "-q"]
    subprocess.run(cmd, check=True)
    print(summarise(raw))


if __name__ == "__main__":
    main()
