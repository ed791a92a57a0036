"""The embedded store: an Oxigraph database in a directory on disk, one named graph per article.

Writers and readers never share an open RocksDB handle for long: a build holds an advisory
writer lock (``.kg-writer.lock``) for its whole run, so a second build fails at once, and
opens the database only for the short moments it writes a batch of articles. Queries open
it in between and see one consistent snapshot (Oxigraph's repeatable-read isolation).
Each batch of article graphs is replaced in two steps (drop, then insert), so after any crash
an article is either fully present or absent, and a re-run rebuilds the absent ones.

The insert goes through Oxigraph's bulk loader (``Store.bulk_extend``), which writes sorted
files for every index and hands them to RocksDB in one ``IngestExternalFiles`` call: RocksDB
records such an ingestion in its manifest atomically (all column families or none, crash
included), and the loader makes one ingestion per ``BULK_ATOMIC_QUADS`` quads, so a batch below
that size is all-or-nothing like a transaction, at half the CPU of a transactional insert (no
write-ahead log, no memtable, no compaction of many small flushes; bench/README.md). Larger
batches fall back to one transaction.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from kg.errors import QueryError, StoreError, StoreLockedError
from kg.settings import Settings
from kg.store.base import KGStore, QueryResult, Term, materialise

LOCK_WAIT_SECONDS = 30.0
BULK_ATOMIC_QUADS = 1_000_000
"""Quads Oxigraph's bulk loader turns into one ingestion (its default batch size): a batch of
fewer quads is written all-or-nothing."""
WRITER_LOCK = ".kg-writer.lock"


class LocalStore(KGStore):
    """An Oxigraph store in a directory on disk."""

    def __init__(self, settings: Settings, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__(settings)
        self.path = Path(path if path is not None else settings.store)
        self._held: ox.Store | None = None

    # a handle on the database, open only as long as needed --------------------------------------
    @contextlib.contextmanager
    def _db(self, *, create: bool = False, wait: float = LOCK_WAIT_SECONDS) -> Iterator[ox.Store]:
        if self._held is not None:
            yield self._held
            return
        if not create and not self.exists():
            raise StoreError(f"no store at {self.path}; run 'kg build' first or pass --store")
        deadline = time.monotonic() + wait
        delay = 0.02
        while True:
            try:
                db = ox.Store(str(self.path))
                break
            except OSError as exc:
                if "lock" not in str(exc).lower():
                    raise StoreError(f"cannot open store {self.path}: {exc}") from None
                if time.monotonic() >= deadline:
                    raise StoreLockedError(
                        f"store {self.path} is in use by another process; try again later"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        try:
            yield db
        finally:
            db.flush()
            del db

    def exists(self) -> bool:
        return (self.path / "CURRENT").exists()

    @contextlib.contextmanager
    def writer(self) -> Iterator["LocalStore"]:
        self.path.mkdir(parents=True, exist_ok=True)
        lock = open(self.path / WRITER_LOCK, "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise StoreLockedError(
                f"store {self.path} is in use by another process (a build is running)"
            ) from None
        try:
            yield self
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()

    @contextlib.contextmanager
    def session(self, *, create: bool = True) -> Iterator["LocalStore"]:
        """Keep the database open across several calls (one process, no concurrent readers).

        Re-entrant: inside a session, a nested one keeps the same handle. ``create=False`` (for
        readers) fails like a query when there is no store instead of creating an empty one.
        """
        if self._held is not None:
            yield self
            return
        with self._db(create=create) as db:
            self._held = db
            try:
                yield self
            finally:
                self._held = None

    def replace_articles(self, graphs: Sequence[tuple[str, Sequence[ox.Quad]]]) -> None:
        if not graphs:
            return
        with self._db(create=True) as db:
            try:
                for article_id, _ in graphs:
                    graph = self.iris.graph(article_id)
                    if db.contains_named_graph(graph):
                        db.remove_graph(graph)
                batch = [quad for _, quads in graphs for quad in quads]
                if len(batch) < BULK_ATOMIC_QUADS:
                    db.bulk_extend(batch)  # one atomic ingestion (see the module docstring)
                else:
                    db.extend(batch)  # one transaction
            except OSError as exc:
                names = ", ".join(repr(article_id) for article_id, _ in graphs[:3])
                more = f" and {len(graphs) - 3} more" if len(graphs) > 3 else ""
                raise StoreError(f"cannot write articles {names}{more}: {exc}") from None

    def remove_article(self, article_id: str) -> bool:
        graph = self.iris.graph(article_id)
        with self._db() as db:
            if not db.contains_named_graph(graph):
                return False
            db.remove_graph(graph)
            return True

    def update(self, sparql: str) -> None:
        with self._db() as db:
            try:
                db.update(sparql, prefixes=self.prefixes)
            except SyntaxError as exc:
                raise QueryError(f"SPARQL syntax error: {exc}") from None

    def load_quads(self, quads: Iterable[ox.Quad]) -> None:
        with self._db(create=True) as db:
            db.extend(quads)

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        timeout: float | None = None,
        graphs: Sequence[ox.NamedNode] | None = None,
        limit: int | None = None,
    ) -> QueryResult:
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        dataset: dict = {"default_graph": list(graphs)} if graphs else {"use_default_graph_as_union": True}

        def evaluate(db: ox.Store) -> QueryResult:
            # the error is raised after the except blocks, with nothing of this call attached:
            # pyoxigraph's answer object must be dropped on the thread that made it (a timeout
            # runs this on a helper thread), and a traceback handed to the caller would carry it
            try:
                answer = db.query(
                    sparql,
                    prefixes=self.prefixes,
                    substitutions=substitutions or None,
                    **dataset,
                )
                return materialise(answer, timeout, limit)
            except SyntaxError as exc:
                message = f"SPARQL syntax error: {exc}"
            except (OSError, RuntimeError, ValueError, TypeError) as exc:
                message = f"query failed: {exc}"
            except QueryError as exc:
                message = str(exc)
            answer = None
            raise QueryError(message)

        with self._db() as db:
            try:
                if timeout is None:
                    return evaluate(db)
                return _with_deadline(evaluate, db, timeout)
            except QueryError as exc:
                # raised again below, as a new exception: this one's traceback holds the frames
                # that hold the database handle, and a caller that keeps it (a notebook's last
                # error, pytest) would keep the store open and locked against other processes
                error = QueryError(str(exc))
        del db
        raise error

    def quads(self, graph: ox.NamedNode | None = None) -> list[ox.Quad]:
        with self._db() as db:
            if graph is None:
                return [q for q in db if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name != self.index_graph]
            return list(db.quads_for_pattern(None, None, None, graph))

    def graph_names(self) -> list[ox.NamedNode]:
        if not self.exists():
            return []
        with self._db() as db:
            return [g for g in db.named_graphs() if isinstance(g, ox.NamedNode)]


def _with_deadline(evaluate, db: ox.Store, timeout: float) -> QueryResult:
    """Evaluate in a helper thread (Oxigraph releases the GIL) and give up after ``timeout``.

    pyoxigraph cannot cancel a running query: on timeout the thread finishes in the
    background, holding the database until it does, which for the CLI ends with the process.
    """
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = evaluate(db)
        except BaseException as exc:  # handed to the caller below
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryError(f"query timed out after {timeout:g} s (raise --timeout or narrow the query)")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]
