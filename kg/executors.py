"""Where the extraction stage runs: in this process, in a local pool, or on a Dask cluster.

An *executor* is a callable ``(articles, settings) -> iterator of Extraction | SourceFailure``
that :func:`kg.build.build_sources` accepts as ``executor=``. It must yield one result per
article, in input order; the build turns results into quads and writes them in this process,
so only extraction is distributed. IRIs are deterministic, so every executor builds the same
graph as a local build.

``local``
    :func:`kg.build.extract_stream`: this process, or ``settings.jobs`` spawned processes.
``dask-local``
    a :class:`distributed.LocalCluster` of ``settings.jobs`` single-threaded worker processes,
    started for the build and closed after it.
``dask://HOST:PORT`` (or ``tcp://HOST:PORT``)
    an existing Dask scheduler. Its workers need kg and the spaCy model installed.

Each Dask worker loads the model once (a per-process cache, :func:`_worker_pipeline`);
batches of ``settings.batch_size`` articles are submitted with a bounded number in flight
(two per worker thread), so memory stays flat however long the input is, and results are
yielded in order as the oldest batch completes.
"""

from __future__ import annotations

import collections
import logging
from typing import Callable, Iterable, Iterator

from kg.errors import SettingsError
from kg.model import Article, Extraction, SourceFailure
from kg.settings import Settings

Executor = Callable[[Iterable[Article], Settings], Iterator[Extraction | SourceFailure]]
IN_FLIGHT_PER_THREAD = 2

# worker side ------------------------------------------------------------------------------------
_PIPELINES: dict[str, tuple[object, str]] = {}


def _worker_pipeline(model: str) -> tuple[object, str]:
    """The pipeline and its description, loaded at the first task of this worker process."""
    cached = _PIPELINES.get(model)
    if cached is None:
        from kg.nlp import load_pipeline, model_description

        nlp = load_pipeline(model)
        cached = _PIPELINES[model] = (nlp, model_description(nlp))
    return cached


def extract_batch(articles: list[Article], settings: Settings) -> list[Extraction | SourceFailure]:
    """Extract one batch on a worker (a top-level function so Dask can ship it by name)."""
    from kg.build import _extract_safely

    nlp, description = _worker_pipeline(settings.model)
    return list(_extract_safely(nlp, articles, settings, description))


# client side ------------------------------------------------------------------------------------
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
        from distributed import Client, LocalCluster

        cluster = None
        try:
            if scheduler is None:
                cluster = LocalCluster(
                    n_workers=settings.jobs, threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.ERROR,
                )
                client = Client(cluster)
            else:
                client = Client(scheduler, timeout="10s")
        except OSError as exc:
            if cluster is not None:
                cluster.close()
            raise SettingsError(f"cannot connect to the Dask scheduler {address}: {exc}") from None
        from kg.build import batches

        pending: collections.deque = collections.deque()
        try:
            threads = sum(client.nthreads().values()) or 1
            limit = in_flight or IN_FLIGHT_PER_THREAD * threads
            for batch in batches(articles, settings.batch_size):
                pending.append(client.submit(extract_batch, batch, settings, pure=False, retries=1))
                while len(pending) >= limit:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            for future in pending:  # the caller stopped early or a batch failed
                future.cancel()
            client.close()
            if cluster is not None:
                cluster.close()

    return run


def executor_for(name: str | None) -> Executor | None:
    """The executor an ``--executor`` value names (``None`` for the local default).

    >>> executor_for("local") is None
    True
    """
    if name in (None, "", "local"):
        return None
    if name == "dask-local" or name.startswith(("dask://", "tcp://", "tls://")):
        return dask_executor(name)
    raise SettingsError(f"unknown executor {name!r}; use local, dask-local or dask://HOST:PORT")
