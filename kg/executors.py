"""Where the extraction stage runs: in this process, in a local pool, or on a Dask cluster.

An *executor* is a callable ``(articles, settings) -> iterator of Extraction | SourceFailure``
that :func:`kg.build.build_sources` accepts as ``executor=``. It must yield one result per
article, in input order; the build turns results into quads and writes them in this process,
so only extraction is distributed. IRIs are deterministic, so every executor builds the same
graph as a local build.

``local``
    :func:`local_executor`: this process, or ``settings.jobs`` spawned processes.
``dask-local``
    a :class:`distributed.LocalCluster` of ``settings.jobs`` single-threaded worker processes,
    started for the build and closed after it (:func:`local_cluster`): scheduler and workers
    listen on the loopback interface only, speak TLS with credentials made for the run (mutual
    TLS: a process without them cannot connect, even on this machine), and serve no dashboard
    nor any other HTTP page.
``dask://HOST:PORT`` (or ``tcp://HOST:PORT``)
    an existing Dask scheduler. Its workers need kg and the spaCy model installed.

Each worker process loads the model once (a per-process cache, :func:`_worker_pipeline`);
batches of ``settings.batch_size`` articles are submitted with a bounded number in flight
(two per worker thread), so memory stays flat however long the input is, and results are
yielded in order as the oldest batch completes.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import itertools
import logging
import multiprocessing as mp
from typing import Callable, Iterable, Iterator

from spacy.language import Language

from kg.errors import SettingsError
from kg.extract import batches, extract_batch
from kg.model import Article, Extraction, SourceFailure
from kg.pipeline import load_pipeline, model_description
from kg.settings import Settings

Executor = Callable[[Iterable[Article], Settings], Iterator[Extraction | SourceFailure]]
IN_FLIGHT_PER_THREAD = 2

# worker side ------------------------------------------------------------------------------------
def _worker_pipeline(settings: Settings) -> tuple[Language, str]:
    """The pipeline and its description, loaded at the first task of this worker process
    (:func:`kg.pipeline.load_pipeline` keeps it)."""
    nlp = load_pipeline(settings.model, settings=settings)
    return nlp, model_description(nlp)


def extract_on_worker(articles: list[Article], settings: Settings) -> list[Extraction | SourceFailure]:
    """Extract one batch on a worker (a top-level function so a pool or Dask can ship it by name)."""
    nlp, description = _worker_pipeline(settings)
    return list(extract_batch(nlp, articles, model=description, batch_size=settings.batch_size,
                              max_chunk_chars=settings.max_chunk_chars))


def local_executor(articles: Iterable[Article], settings: Settings) -> Iterator[Extraction | SourceFailure]:
    """Extraction of a stream of articles, in this process or in ``settings.jobs`` spawned
    processes, in input order.

    Nothing is loaded (model, worker processes) until the first article needs extracting, so
    a re-run over unchanged articles costs only the reading.
    """
    groups = batches(articles, settings.batch_size)
    first = next(groups, None)
    if first is None:
        return
    groups = itertools.chain([first], groups)
    if settings.jobs <= 1:
        for batch in groups:
            yield from extract_on_worker(batch, settings)
        return
    with mp.get_context("spawn").Pool(settings.jobs) as pool:
        for results in pool.imap(functools.partial(extract_on_worker, settings=settings), groups):
            yield from results


# client side ------------------------------------------------------------------------------------
@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[tuple[object, object]]:
    """A Dask cluster of ``workers`` single-threaded processes on this machine, for one run:
    ``(cluster, security)``, the security being what a client needs to connect.

    Scheduler and workers bind to 127.0.0.1 and speak mutual TLS with a certificate authority
    and key made for this run (:meth:`distributed.security.Security.temporary`), held in memory
    by this process and handed to its workers only; their HTTP servers (dashboard, info pages,
    metrics, proxy) serve no routes, on random loopback ports.

    Raises:
        SettingsError: dask.distributed or cryptography (for the credentials) is missing.
    """
    try:
        import dask
        from distributed import LocalCluster
        from distributed.security import Security

        security = Security.temporary()
    except ImportError as exc:
        raise SettingsError(
            f"the dask-local executor needs dask.distributed and cryptography ({exc}): "
            "pip install 'kg[dask]'"
        ) from None
    no_pages = {"distributed.scheduler.http.routes": [], "distributed.worker.http.routes": []}
    with dask.config.set(no_pages):
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True,
            host="127.0.0.1", protocol="tls://", security=security,
            dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
            worker_dashboard_address=None, silence_logs=logging.ERROR,
        )
        try:
            yield cluster, security
        finally:
            cluster.close()


def _scheduler_address(address: str) -> str:
    if address.startswith("dask://"):
        address = "tcp://" + address[len("dask://"):]
    if not address.startswith(("tcp://", "tls://", "inproc://", "ucx://", "ws://", "wss://")):
        raise SettingsError(
            f"invalid Dask scheduler address {address!r}; use dask://HOST:PORT or dask-local"
        )
    return address


def dask_executor(address: str = "dask-local", *, in_flight: int | None = None) -> Executor:
    """An executor that runs extraction on a Dask cluster.

    Args:
        address: ``dask-local`` (a local cluster of ``settings.jobs`` worker processes, one
            thread each, for the duration of the build) or ``dask://HOST:PORT`` of a running
            scheduler.
        in_flight: batches submitted ahead (default: two per worker thread).

    Raises:
        SettingsError: dask.distributed is not installed or the address is malformed.

    Example:
        >>> from kg.build import build_sources  # doctest: +SKIP
        >>> build_sources(["data/"], settings, executor=dask_executor("dask://sched:8786"))  # doctest: +SKIP
    """
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise SettingsError(
            "the Dask executor needs dask.distributed: pip install 'dask[distributed]'"
        ) from None
    scheduler = None if address == "dask-local" else _scheduler_address(address)

    def run(articles: Iterable[Article], settings: Settings) -> Iterator[Extraction | SourceFailure]:
        from distributed import Client

        with contextlib.ExitStack() as stack:
            try:
                if scheduler is None:
                    cluster, security = stack.enter_context(local_cluster(settings.jobs))
                    client = Client(cluster, security=security)
                else:
                    client = Client(scheduler, timeout="10s")
            except OSError as exc:
                raise SettingsError(f"cannot connect to the Dask scheduler {address}: {exc}") from None
            pending: collections.deque = collections.deque()
            try:
                threads = sum(client.nthreads().values()) or 1
                limit = in_flight or IN_FLIGHT_PER_THREAD * threads
                for batch in batches(articles, settings.batch_size):
                    pending.append(client.submit(extract_on_worker, batch, settings, pure=False, retries=1))
                    while len(pending) >= limit:
                        yield from pending.popleft().result()
                while pending:
                    yield from pending.popleft().result()
            finally:
                for future in pending:  # the caller stopped early or a batch failed
                    future.cancel()
                client.close()

    return run


def executor_for(name: str | None) -> Executor:
    """The executor an ``--executor`` value names.

    >>> executor_for("local") is local_executor
    True
    """
    if name in (None, "", "local"):
        return local_executor
    if name == "dask-local" or name.startswith(("dask://", "tcp://", "tls://")):
        return dask_executor(name)
    raise SettingsError(f"unknown executor {name!r}; use local, dask-local or dask://HOST:PORT")
