"""The only module that chains the stages.

ingest → nlp → extract is a streaming map over articles (:func:`map_records`);
resolution, graph assembly and export see the whole corpus (:func:`assemble`).

The map runs

* in this process (``workers=1``, or when the articles that need parsing fit in one chunk),
* in a pool of ``workers`` processes (``engine="local"``), each loading the model
  once and running ``nlp.pipe`` + :func:`~kg.extract.extract` over chunks of
  articles, with at most ``2 × workers`` chunks in flight, or
* on a Dask cluster (``engine="dask"``, :mod:`kg.distributed`).

Only records (plain picklable dataclasses) come back; Docs never leave the
process and batch that made them. The order in which records arrive does not
matter: :func:`assemble` sorts them, so every engine and worker count gives the
same bytes.

With the cache on (the default) the records of unchanged articles come from
``OUT/.kg-cache/`` (:mod:`kg.cache`) and only new or changed articles are
parsed; when nothing needs parsing the spaCy model is not even loaded.
"""
from __future__ import annotations

import contextlib
import gc
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from concurrent.futures import ThreadPoolExecutor
from itertools import chain, islice
from pathlib import Path

from . import nlp as nlp_mod
from .dedupe import find_duplicates
from .errors import InputError, KGError, NothingBuilt
from .events import resolve_events
from .export import DEFAULT_FORMATS, ExportContext, Forked, plan, reads, write_each
from .ingest import iter_articles
from .model import Article, ArticleRecord, Document, KnowledgeBase
from .rdf import Table
from .resolve import resolve_entities
from .store import commit_store, keep_previous, load_store, update_store
from .vocab import DEFAULT_BASE

ENGINES = ("local", "dask")
#: Articles per unit of parallel work: one ``nlp.pipe`` batch, so a worker parses
#: exactly the batches one process would, and the last chunks leave no worker idle long.
CHUNK_SIZE = nlp_mod.BATCH_SIZE
#: Rough cost of the build's SHACL check against one export's (see :data:`kg.export.COST`): the
#: process that runs it gets fewer exports to write.
SHACL_COST = 1.1
#: Start method of the local worker pool: a fresh, thread-free server process
#: forks the workers (safe with a progress thread running, unlike plain fork).
START_METHOD = "forkserver"


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
    cached: int = 0  #: articles whose record came from the cache
    workers: int = 1
    engine: str = "local"
    #: wall-clock seconds per stage: ``map`` (ingest + cache + nlp + extract), ``assemble``, ``rdf``, ``export``
    #: (this process's exports), ``validate``, ``exports_forked`` (the wait for the exports other processes
    #: write, see :func:`kg.export.plan`), ``store`` (the wait for the store made in the background)
    timings: dict[str, float] = field(default_factory=dict)
    #: nothing changed since the last build of this folder (see :mod:`kg.manifest`): no file was rewritten
    up_to_date: bool = False
    #: the SHACL check of the new graph (:func:`kg.shacl.validate_table`); ``None`` when not run
    validation: object = None
    #: how the SPARQL store was made: ``"load"`` (bulk load of graph.nq), ``"update"`` (the difference
    #: from the last build's graph.nq applied to its store), ``None`` (no store)
    store_update: str | None = None


def default_workers() -> int:
    """Number of CPU cores this process may use.

    >>> default_workers() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


#: whether this process has frozen its long-lived objects out of the cyclic GC (once per process)
_frozen = False


def map_articles(articles: Iterable[Article], model: str | None = None, batch_size: int = nlp_mod.BATCH_SIZE) -> Iterator[ArticleRecord]:
    """The per-article map in this process: parse and extract, streaming (one batch of Docs alive at a time)."""
    from .extract import extract

    global _frozen
    nlp = nlp_mod.load(model)
    for doc, article in nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=batch_size):
        yield extract(doc, article)
        if not _frozen:
            # The model's and the extractors' objects (vocab, gazetteers, patterns — loaded by now) live
            # as long as the process: frozen once, full collections stop walking them (a few % of the map).
            gc.freeze()
            _frozen = True


def extract_chunk(articles: Sequence[Article], model: str | None = None, batch_size: int = nlp_mod.BATCH_SIZE) -> list[ArticleRecord]:
    """One unit of parallel work (pool worker or Dask task): the records of ``articles``.

    The model is loaded once per worker process (:func:`kg.nlp.load` is cached).
    """
    return list(map_articles(articles, model, batch_size))


def chunked(items: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` consecutive items (the last one shorter), pulled lazily.

    >>> list(chunked(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _map_pool(chunks: Iterator[list[Article]], model: str | None, workers: int, batch_size: int) -> Iterator[ArticleRecord]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    ctx = multiprocessing.get_context(START_METHOD)
    # No initializer: a worker loads the model in its first task, so a load error
    # reaches the caller as that task's exception (an initializer's would break the pool).
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        pending: set = set()
        for chunk in chunks:
            pending.add(pool.submit(extract_chunk, chunk, model, batch_size))
            if len(pending) >= 2 * workers:  # bounded: ingest never runs far ahead of the workers
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    yield from f.result()
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                yield from f.result()


def map_records(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    batch_size: int = nlp_mod.BATCH_SIZE,
    chunk_size: int | None = None,
) -> Iterator[ArticleRecord]:
    """Parse and extract ``articles`` with the chosen engine; records come back in any order.

    Nothing is started (no model, no pool, no cluster) until there is an article to parse.
    ``chunk_size`` (default :data:`CHUNK_SIZE`) articles make one unit of parallel work.
    """
    if engine not in ENGINES:
        raise KGError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    chunks = chunked(articles, chunk_size or CHUNK_SIZE)
    first = next(chunks, None)
    if first is None:
        return
    if engine == "dask":
        from .distributed import map_dask

        yield from map_dask(chain([first], chunks), model=model, workers=workers, scheduler=scheduler, batch_size=batch_size)
        return
    second = next(chunks, None) if workers > 1 else None
    if second is None:  # one worker, or too little work to be worth starting processes
        yield from map_articles(chain(first, chain.from_iterable(chunks)), model, batch_size)
        return
    yield from _map_pool(chain([first, second], chunks), model, workers, batch_size)


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


def _split_cached(articles: Iterable[Article], cache, hits: list[ArticleRecord],
                  progress: Callable[[int], None] | None = None, block: int = 256) -> Iterator[Article]:
    """Yield the articles ``cache`` has no record for; append the cached records of the others to ``hits``."""
    for chunk in chunked(articles, block):
        found = cache.get_many(chunk)
        hits.extend(r for r in found if r is not None)
        if progress and any(r is not None for r in found):
            progress(len(hits))
        yield from (a for a, r in zip(chunk, found) if r is None)


@contextlib.contextmanager
def _gc_paused():
    """No cyclic garbage collection while the corpus-level stages build millions of small objects.

    Each collection of the oldest generation walks every live object (all records, the
    knowledge base, the triple table): at 1,000 articles that is a quarter of the time
    spent building the table. These stages make few reference cycles; collection resumes
    afterwards.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def build(
    inputs: Sequence[str],
    out: str | Path,
    *,
    model: str | None = None,
    base: str = DEFAULT_BASE,
    formats: Sequence[str] | None = None,
    on_error: Callable[[InputError], None] | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    cache: bool = True,
    options: dict | None = None,
    validate: bool = True,
    store: bool = True,
) -> BuildReport:
    """Build the graph of ``inputs`` into the folder ``out``.

    ``workers`` (default: the number of cores) processes run the per-article
    map; ``engine="dask"`` runs it on the Dask cluster at ``scheduler`` (or a
    local one). ``cache=False`` ignores and leaves alone ``out/.kg-cache``.
    ``options`` go to the exporters (``ExportContext.options``, e.g. ``{"graphml_profile": "yed"}``).
    ``validate`` checks the new graph against ``ontology/shapes.ttl`` (``report.validation``);
    a graph that does not conform is still written. ``store`` loads ``graph.nq`` (when it is
    one of the formats) into the SPARQL store ``out/store``, in a thread while the other
    formats are written.

    Raises :class:`NothingBuilt` when no article could be read.
    """
    t0 = time.perf_counter()
    workers = workers or default_workers()
    if workers < 1:
        raise KGError(f"workers must be at least 1, not {workers}")
    if engine not in ENGINES:
        raise KGError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    report = BuildReport(workers=workers, engine=engine)
    files: set[str] = set()

    def err(e: InputError) -> None:
        report.skipped.append(str(e))
        if on_error:
            on_error(e)

    def counted(articles: Iterable[Article]) -> Iterator[Article]:
        for a in articles:
            files.add(a.source_file)
            yield a

    records: list[ArticleRecord] = []
    rcache = None
    if cache:
        from .cache import RecordCache, cache_version

        rcache = RecordCache(out, cache_version(nlp_mod.model_id(model)))
    try:
        articles = counted(iter_articles(inputs, on_error=err, memo=rcache.cleaned if rcache is not None else None))
        todo = _split_cached(articles, rcache, records, progress) if rcache is not None else articles
        for r in map_records(todo, model=model, workers=workers, engine=engine, scheduler=scheduler):
            records.append(r)
            report.extracted += 1
            if rcache is not None:
                rcache.put((r,))
            if progress:
                progress(len(records))
        if not records:
            raise NothingBuilt("nothing to build: no readable article in " + ", ".join(map(str, inputs)))
        if rcache is not None:
            rcache.finish()
    finally:
        if rcache is not None:
            rcache.close()
    report.cached = len(records) - report.extracted
    fp = None
    if rcache is not None:
        from . import manifest
        from .cache import article_key

        settings = {"base": base, "formats": sorted(formats) if formats else None, "options": dict(options or {})}
        fp = manifest.fingerprint((article_key(r.article) for r in records), rcache.version, settings)
        done = manifest.current(out, fp) if report.extracted == 0 else None
        if done is not None:
            return _up_to_date(report, done, out, files, t0)
        manifest.forget(out)
    t1 = time.perf_counter()
    with _gc_paused():
        kb = assemble(records)
        t2 = time.perf_counter()
        graph = Table.from_kb(kb, base)
        t3 = time.perf_counter()
        ctx = ExportContext(graph, kb, base, dict(options or {}))
        todo = list(formats or DEFAULT_FORMATS)
        # With several workers, forked copies of this process write part of the exports (they share
        # the table and the knowledge base without copying them) while this one writes the rest and
        # runs the SHACL check. (A Dask build's workers are elsewhere: this machine's cores bound them.)
        procs = min(workers, default_workers()) if hasattr(os, "fork") else 1
        own, *others = export_plan(todo, procs, validate=validate, store=store)
        # what the SHACL check reads after this process's exports (they drop the rest once written)
        later = {"by_subject"} if validate else set()
        head = own[:1] if own[:1] == ["nquads"] and store else []
        written: dict[str, list[Path]] = {}
        loading = previous = None
        children: list[Forked] = []
        try:
            # The other processes start first (their exports do not need graph.nq), and before the
            # store thread starts (no fork with threads running).
            children = [Forked(ctx, Path(out), p) for p in others]
            if head:
                # graph.nq first: the store is made from it (a bulk load in a process of its own) while
                # every other export and the SHACL check are written. When the current store holds the
                # last build's graph.nq, only the difference is applied instead.
                previous = keep_previous(out)
                written.update(write_each(ctx, out, head, keep=reads(own[len(head):]) | later))
                quads = len(graph) + sum(map(len, graph.named.values()))
                pool = ThreadPoolExecutor(1, thread_name_prefix="kg-store")
                loading = pool.submit(_make_store, Path(out), previous, quads)
                pool.shutdown(wait=False)  # nothing more to submit; the load runs on
                previous = None  # the store job removes it
            written.update(write_each(ctx, out, own[len(head):], keep=later))
            t4 = time.perf_counter()
            if validate:
                from .shacl import validate_table

                report.validation = validate_table(graph)
            t5 = time.perf_counter()
            while children:
                written.update(children[0].join())
                children.pop(0)
            t_join = time.perf_counter()
        except BaseException:
            for child in children:
                child.kill()
            if previous is not None:
                previous.unlink(missing_ok=True)
            if loading is not None:  # do not leave the half-made store folder behind
                with contextlib.suppress(Exception):
                    shutil.rmtree(loading.result()[0], ignore_errors=True)
            raise
        # graph.nq first when the store is made from it, then in format order, however shared out
        report.written = [p for fmt in head + [f for f in todo if f not in head] for p in written[fmt]]
        if loading is not None:
            _not_older(Path(out) / "graph.nq", report.written)
            folder, report.store_update = loading.result()
            commit_store(out, folder, Path(out) / "graph.nq")
        t6 = time.perf_counter()
    report.timings = {"map": t1 - t0, "assemble": t2 - t1, "rdf": t3 - t2, "export": t4 - t3, "validate": t5 - t4,
                      "exports_forked": t_join - t5, "store": t6 - t_join}
    report.files = len(files)
    report.articles = len(records)
    report.duplicates = kb.stats.get("duplicates", 0)
    report.entities = dict(sorted(Counter(e.type for e in kb.entities).items()))
    report.operations = len(kb.operations)
    report.quotes = len(kb.quotes)
    report.triples = len(graph)
    if fp is not None:
        from . import manifest

        manifest.save(out, fp, report.written, {k: getattr(report, k) for k in _SUMMARY})
    report.seconds = time.perf_counter() - t0
    return report


def export_plan(formats: Sequence[str], processes: int, *, validate: bool = True, store: bool = True) -> list[list[str]]:
    """The formats each process of a build writes, the build process's first (:func:`kg.export.plan`,
    the SHACL check counted in the build process). With the store on, ``nquads`` opens the build
    process's list: the store is made from it while the rest are written.

    >>> export_plan(["turtle", "nquads", "jsonld"], 2)
    [['nquads', 'turtle'], ['jsonld']]
    >>> export_plan(["turtle", "nquads"], 1, store=False)
    [['turtle', 'nquads']]
    """
    head = ["nquads"] if store and "nquads" in formats else []
    parts = plan([f for f in formats if f not in head], processes, head_start=SHACL_COST if validate else 0.0)
    return [head + parts[0], *parts[1:]]


def _make_store(out: Path, previous: Path | None, quads: int) -> tuple[Path, str]:
    """A build's store job (in a thread): a new store folder for ``out/graph.nq``, updated from the
    current store when ``previous`` (the last build's graph.nq, see :func:`kg.store.keep_previous`)
    is given, else bulk-loaded; ``previous`` is removed afterwards."""
    try:
        if previous is not None:
            return update_store(out, previous, out / "graph.nq", expected=quads, background=True)
        return load_store(out, out / "graph.nq", background=True), "load"
    finally:
        if previous is not None:
            previous.unlink(missing_ok=True)


def _not_older(path: Path, written: Sequence[Path]) -> None:
    """Give ``path`` (written first) the newest modification time among ``written``.

    When the store has to be rebuilt later, :func:`kg.store._source` takes a dataset export
    only if it is not older than ``graph.ttl`` / ``graph.nt`` (an older one would be the
    leftover of an earlier build); this build's own ``graph.nq`` must pass that test.
    """
    st = path.stat()
    newest = max((p.stat().st_mtime_ns for p in written if p.is_file()), default=st.st_mtime_ns)
    if newest > st.st_mtime_ns:
        os.utime(path, ns=(st.st_atime_ns, newest))


#: BuildReport fields a manifest keeps, so an up-to-date build can still print its summary.
_SUMMARY = ("duplicates", "entities", "operations", "quotes", "triples")


def _up_to_date(report: BuildReport, done: dict, out, files: set[str], t0: float) -> BuildReport:
    """Fill ``report`` from the manifest of the identical last build; nothing is rewritten."""
    for k in _SUMMARY:
        setattr(report, k, done[k])
    report.files = len(files)
    report.articles = report.cached
    report.up_to_date = True
    report.written = [Path(out) / f for f in done["files"]]
    report.seconds = time.perf_counter() - t0
    return report
