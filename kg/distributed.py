"""The per-article map on a Dask cluster (``kg build --engine dask``).

Dask is the existing distributed engine we rely on beyond one machine: the
client (the ``kg build`` process) reads and cleans the articles, submits
chunks of them as tasks with :meth:`distributed.Client.submit`, and collects
the records with :class:`distributed.as_completed`, keeping at most
``2 × (worker threads)`` chunks in flight so memory stays bounded however large
the corpus. Each task is :func:`kg.pipeline.extract_chunk`; the spaCy model is
loaded once per worker process because :func:`kg.nlp.load` is cached at module
level. Resolution and graph assembly then run on the client, as locally.

Without a scheduler address a :class:`distributed.LocalCluster` of ``workers``
single-threaded processes is started on 127.0.0.1 (dashboard off) and shut down
afterwards. Workers of a real cluster need the ``kg`` package and the model
installed (the same versions as the client: the cache key includes the model id
seen by the client).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from .errors import KGError
from .model import Article, ArticleRecord
from .nlp import BATCH_SIZE

#: seconds to wait for a scheduler to answer before giving up
CONNECT_TIMEOUT = 30


class ClusterError(KGError):
    """The Dask scheduler cannot be reached or a task failed on the cluster."""


def local_cluster_options(workers: int) -> dict:
    """Options of the private :class:`distributed.LocalCluster`: worker processes on 127.0.0.1, no dashboard.

    The scheduler's small HTTP server (health and metrics routes, always started)
    goes to a free port on 127.0.0.1 instead of 8787.
    """
    return dict(host="127.0.0.1", n_workers=workers, threads_per_worker=1, processes=True,
                dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.ERROR)


@contextmanager
def client_for(scheduler: str | None, workers: int):
    """A :class:`distributed.Client` for ``scheduler``, or for a private local cluster when it is ``None``."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as e:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {e}; "
                               "start one with: dask scheduler (and dask worker ADDRESS on each machine)") from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(**local_cluster_options(workers))
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def map_dask(
    chunks: Iterable[list[Article]],
    *,
    model: str | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[ArticleRecord]:
    """Records of every article in ``chunks``, computed on the cluster, in completion order."""
    from distributed import as_completed

    from .pipeline import extract_chunk

    with client_for(scheduler, workers) as client:
        threads = sum(client.nthreads().values()) or workers
        in_flight = as_completed()
        for chunk in chunks:
            # pure=False: two equal chunks are still two tasks (their records are not shared)
            in_flight.add(client.submit(extract_chunk, chunk, model, batch_size, pure=False))
            while in_flight.count() >= 2 * threads:
                yield from _result(next(in_flight))
        for future in in_flight:
            yield from _result(future)


def _result(future) -> list[ArticleRecord]:
    records = future.result()
    future.release()
    return records
