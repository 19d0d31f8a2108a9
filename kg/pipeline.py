"""The only module that chains the stages.

ingest → nlp → extract is a streaming map over articles (:func:`map_articles`);
resolution, graph assembly and export see the whole corpus (:func:`assemble`).
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import nlp as nlp_mod
from .dedupe import find_duplicates
from .errors import InputError, NothingBuilt
from .events import resolve_events
from .export import ExportContext, write
from .extract import extract
from .ingest import iter_articles
from .model import Article, ArticleRecord, Document, KnowledgeBase
from .rdf import to_graph
from .resolve import resolve_entities
from .vocab import DEFAULT_BASE


@dataclass
class BuildReport:
    """What a build did; the CLI prints it as the summary."""

    files: int = 0
    articles: int = 0
    skipped: list[str] = field(default_factory=list)
    duplicates: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    operations: int = 0
    quotes: int = 0
    triples: int = 0
    seconds: float = 0.0
    written: list[Path] = field(default_factory=list)
    extracted: int = 0  #: articles run through the model in this build (others came from the cache)


def map_articles(articles: Iterable[Article], model: str | None = None, batch_size: int = nlp_mod.BATCH_SIZE) -> Iterator[ArticleRecord]:
    """The per-article map: parse and extract, streaming (one batch of Docs alive at a time)."""
    nlp = nlp_mod.load(model)
    for doc, article in nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=batch_size):
        yield extract(doc, article)


def assemble(records: Sequence[ArticleRecord]) -> KnowledgeBase:
    """Corpus-level stages: near-duplicates, entity resolution, operations and quotes."""
    records = sorted(records, key=lambda r: (r.article.source_file, r.article.index, r.article.id))
    dups = find_duplicates((r.article.id, r.minhash) for r in records)
    res = resolve_entities(records, dups)
    operations, quotes = resolve_events(records, dups, res)
    documents = tuple(
        Document(r.article, *(dups.get(r.article.id) or (None, None))) for r in records
    )
    return KnowledgeBase(
        documents=documents,
        entities=res.entities,
        memberships=res.memberships,
        operations=operations,
        quotes=quotes,
        stats={"duplicates": len(dups)},
    )


def build(
    inputs: Sequence[str],
    out: str | Path,
    *,
    model: str | None = None,
    base: str = DEFAULT_BASE,
    formats: Sequence[str] | None = None,
    on_error: Callable[[InputError], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildReport:
    """Build the graph of ``inputs`` into the folder ``out``.

    Raises :class:`NothingBuilt` when no article could be read.
    """
    t0 = time.perf_counter()
    report = BuildReport()
    files: set[str] = set()

    def err(e: InputError) -> None:
        report.skipped.append(str(e))
        if on_error:
            on_error(e)

    def counted(articles: Iterable[Article]) -> Iterator[Article]:
        for a in articles:
            files.add(a.source_file)
            yield a

    records = []
    for r in map_articles(counted(iter_articles(inputs, on_error=err)), model):
        records.append(r)
        report.extracted += 1
        if progress:
            progress(len(records))
    if not records:
        raise NothingBuilt("nothing to build: no readable article in " + ", ".join(map(str, inputs)))
    kb = assemble(records)
    graph = to_graph(kb, base)
    report.written = write(ExportContext(graph, kb, base), out, formats)
    report.files = len(files)
    report.articles = len(records)
    report.duplicates = kb.stats.get("duplicates", 0)
    report.entities = dict(sorted(Counter(e.type for e in kb.entities).items()))
    report.operations = len(kb.operations)
    report.quotes = len(kb.quotes)
    report.triples = len(graph)
    report.seconds = time.perf_counter() - t0
    return report
