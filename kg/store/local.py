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

A store that may only be read (its files are not writable: permissions, a read-only mount) is
opened read-only by the reading commands; no process can be writing it then, which a read-only
handle needs. Damaged database files (RocksDB reports "Corruption") are one
:class:`~kg.errors.StoreCorruptError`, whether found at opening or by a read. Each read-write
opening starts a new RocksDB log file and keeps the last as ``LOG.old.*``; all but the newest
:data:`KEEP_OLD_LOGS` of those are removed when the database is closed.

A query can run in a process of its own (:mod:`kg.store.query_process`; ``max_memory``): it is
then killed when its memory outgrows the cap or its time the timeout, which Oxigraph, unable to
cancel a query, cannot do in this process.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from kg.errors import QueryError, StoreCorruptError, StoreError, StoreLockedError, StoreReadOnlyError
from kg.settings import Settings
from kg.store.base import KGStore, QueryResult, Term, check_network, materialise
from kg.store.query_process import EXIT_CODES

LOCK_WAIT_SECONDS = 30.0
BULK_ATOMIC_QUADS = 1_000_000
"""Quads Oxigraph's bulk loader turns into one ingestion (its default batch size): a batch of
fewer quads is written all-or-nothing."""
WRITER_LOCK = ".kg-writer.lock"
KEEP_OLD_LOGS = 2
"""RocksDB info logs (``LOG.old.*``) kept in the store directory besides the current ``LOG``."""
QUERY_PROCESS = Path(__file__).with_name("query_process.py")
_PYOXIGRAPH_HOME = str(Path(ox.__file__).resolve().parent.parent)
"""Where pyoxigraph is installed, for the query process (which skips site-packages processing)."""
POLL_SECONDS = 0.05
"""How often a query's process is checked against its memory cap and deadline."""
MIB = 1024 * 1024
_QUERY_EXIT = {code: kind for kind, code in EXIT_CODES.items()}


def _is_corruption(exc: BaseException) -> bool:
    return "corruption" in str(exc).lower()


def _read_only_error(exc: OSError) -> bool:
    """Whether opening failed because the store's files may not be written."""
    text = str(exc).lower()
    return (exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
            or "permission denied" in text or "read-only file system" in text)


def _rss(pid: int) -> int:
    """Resident memory of a process in bytes (0 where ``/proc`` cannot tell)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class LocalStore(KGStore):
    """An Oxigraph store in a directory on disk."""

    def __init__(self, settings: Settings, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__(settings)
        self.path = Path(path if path is not None else settings.store)
        self._held: ox.Store | None = None
        self._held_read_only = False

    # a handle on the database, open only as long as needed --------------------------------------
    def corrupt(self, exc: BaseException) -> StoreCorruptError:
        """The one-line error for damaged database files, with what to do about them."""
        detail = " ".join(str(exc).split())
        if len(detail) > 160:
            detail = detail[:157] + "..."
        return StoreCorruptError(
            f"store {self.path} is damaged ({detail}); rebuild it from the articles into a new "
            "store ('kg build SOURCES --store NEW'), or import an earlier 'kg export' into one "
            "('kg import FILE --store NEW')"
        )

    def find_damage(self, *, seconds: float = 30.0) -> StoreCorruptError | None:
        """Read every quad once, streaming, through a read-only handle, for at most ``seconds``:
        the error for damaged files if the reads find some (block checksums are verified as
        blocks are read), else None. For a process whose memory ran away in a query, which a
        damaged store can cause: reading quad by quad reports the damage instead."""
        if not self.exists():
            return None
        deadline = time.monotonic() + seconds
        try:
            db = ox.Store.read_only(str(self.path))
            for count, _ in enumerate(db, start=1):
                if count % 10_000 == 0 and time.monotonic() > deadline:
                    return None
        except (OSError, RuntimeError) as exc:
            return self.corrupt(exc) if _is_corruption(exc) else None
        return None

    def writable(self) -> bool:
        """Whether this process may write the store's files (a new store: its parent folder)."""
        target = self.path if self.path.exists() else self.path.parent
        return os.access(target, os.W_OK) and not (
            (self.path / "CURRENT").exists() and not os.access(self.path / "CURRENT", os.W_OK)
        )

    def _open(self, *, write: bool, wait: float) -> tuple[ox.Store, bool]:
        """A handle and whether it is read-only: read-write, waiting for another process's
        handle to close; read-only when reading a store this process may not write."""
        if not write and self.exists() and not self.writable():
            return self._open_read_only(), True
        deadline = time.monotonic() + wait
        delay = 0.02
        while True:
            try:
                return ox.Store(str(self.path)), False
            except OSError as exc:
                if _read_only_error(exc):
                    if write:
                        raise StoreReadOnlyError(
                            f"store {self.path} is read-only ({' '.join(str(exc).split())}); "
                            "write into a store you may write (--store)"
                        ) from None
                    if self.exists():
                        return self._open_read_only(), True
                if "lock" not in str(exc).lower():
                    raise StoreError(f"cannot open store {self.path}: {exc}") from None
                if time.monotonic() >= deadline:
                    raise StoreLockedError(
                        f"store {self.path} is in use by another process; try again later"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
            except RuntimeError as exc:
                raise (self.corrupt(exc) if _is_corruption(exc)
                       else StoreError(f"cannot open store {self.path}: {exc}")) from None

    def _open_read_only(self) -> ox.Store:
        try:
            return ox.Store.read_only(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open store {self.path} (read-only): {exc}") from None
        except RuntimeError as exc:
            raise (self.corrupt(exc) if _is_corruption(exc)
                   else StoreError(f"cannot open store {self.path}: {exc}")) from None

    @contextlib.contextmanager
    def _db(self, *, create: bool = False, write: bool = False, wait: float = LOCK_WAIT_SECONDS) -> Iterator[ox.Store]:
        if self._held is not None:
            if write and self._held_read_only:
                raise StoreReadOnlyError(f"store {self.path} is open read-only; it cannot be written")
            yield self._held
            return
        with self._opened(create=create, write=write, wait=wait) as (db, _):
            yield db

    @contextlib.contextmanager
    def _opened(self, *, create: bool, write: bool, wait: float = LOCK_WAIT_SECONDS) -> Iterator[tuple[ox.Store, bool]]:
        """A new handle and whether it is read-only, closed (and the old logs pruned) after use;
        corruption found while it is used becomes :class:`~kg.errors.StoreCorruptError`."""
        if not create and not self.exists():
            raise StoreError(f"no store at {self.path}; run 'kg build' first or pass --store")
        db, read_only = self._open(write=write or (create and not self.exists()), wait=wait)
        try:
            yield db, read_only
        except RuntimeError as exc:
            if _is_corruption(exc):
                raise self.corrupt(exc) from None
            raise
        finally:
            try:
                if not read_only:
                    db.flush()
            except (OSError, RuntimeError):
                pass  # the error that matters was raised by the work itself
            del db
            if not read_only:
                self._prune_logs()

    def _prune_logs(self) -> None:
        """Remove RocksDB's old info logs but the newest :data:`KEEP_OLD_LOGS` (each read-write
        opening keeps the previous ``LOG`` as ``LOG.old.<time>``)."""
        try:
            old = sorted(self.path.glob("LOG.old.*"), key=lambda p: (len(p.name), p.name))
        except OSError:
            return
        for path in old[:-KEEP_OLD_LOGS] if KEEP_OLD_LOGS else old:
            with contextlib.suppress(OSError):
                path.unlink()

    def exists(self) -> bool:
        return (self.path / "CURRENT").exists()

    @contextlib.contextmanager
    def writer(self) -> Iterator["LocalStore"]:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            lock = open(self.path / WRITER_LOCK, "a")
        except OSError as exc:
            if _read_only_error(exc):
                raise StoreReadOnlyError(
                    f"store {self.path} is read-only ({exc.strerror}); write into a store you may "
                    "write (--store)"
                ) from None
            raise StoreError(f"cannot open store {self.path}: {exc.strerror or exc}") from None
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
        readers) fails like a query when there is no store instead of creating an empty one, and
        opens a store this process may not write read-only.
        """
        if self._held is not None:
            yield self
            return
        with self._opened(create=create, write=False) as (db, read_only):
            self._held, self._held_read_only = db, read_only
            try:
                yield self
            finally:
                self._held, self._held_read_only = None, False

    def replace_graphs(self, graphs: Sequence[tuple[ox.NamedNode, Sequence[ox.Quad]]]) -> None:
        if not graphs:
            return
        with self._db(create=True, write=True) as db:
            try:
                for graph, _ in graphs:
                    if db.contains_named_graph(graph):
                        db.remove_graph(graph)
                batch = [quad for _, quads in graphs for quad in quads]
                if len(batch) < BULK_ATOMIC_QUADS:
                    db.bulk_extend(batch)  # one atomic ingestion (see the module docstring)
                else:
                    db.extend(batch)  # one transaction
            except OSError as exc:
                names = ", ".join(self.graph_label(graph) for graph, _ in graphs[:3])
                more = f" and {len(graphs) - 3} more" if len(graphs) > 3 else ""
                raise StoreError(f"cannot write {names}{more}: {exc}") from None

    def remove_graph(self, graph: ox.NamedNode) -> bool:
        with self._db(write=True) as db:
            if not db.contains_named_graph(graph):
                return False
            db.remove_graph(graph)
            return True

    def update(self, sparql: str) -> None:
        check_network(sparql, self.settings.online)
        with self._db(write=True) as db:
            try:
                db.update(sparql, prefixes=self.prefixes)
            except SyntaxError as exc:
                raise QueryError(f"SPARQL syntax error: {exc}") from None
            except OSError as exc:
                raise QueryError(f"update failed: {exc}") from None

    def load_quads(self, quads: Iterable[ox.Quad]) -> None:
        with self._db(create=True, write=True) as db:
            try:
                db.extend(quads)
            except OSError as exc:
                raise StoreError(f"cannot write to store {self.path}: {exc}") from None

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        timeout: float | None = None,
        graphs: Sequence[ox.NamedNode] | None = None,
        limit: int | None = None,
        max_rows: int | None = None,
        max_memory: int | None = None,
    ) -> QueryResult:
        check_network(sparql, self.settings.online)
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        dataset: dict = {"default_graph": list(graphs)} if graphs else {"use_default_graph_as_union": True}
        if max_memory:
            return self._query_process(sparql, dict(bindings or {}), dataset, timeout=timeout, limit=limit,
                                       max_rows=max_rows, max_memory=max_memory)

        def evaluate(db: ox.Store) -> QueryResult:
            # the error is raised after the except blocks, with nothing of this call attached:
            # pyoxigraph's answer object must be dropped on the thread that made it (a timeout
            # runs this on a helper thread), and a traceback handed to the caller would carry it
            corrupt = False
            try:
                answer = db.query(
                    sparql,
                    prefixes=self.prefixes,
                    substitutions=substitutions or None,
                    **dataset,
                )
                return materialise(answer, timeout, limit, max_rows)
            except SyntaxError as exc:
                message = f"SPARQL syntax error: {exc}"
            except (OSError, RuntimeError, ValueError, TypeError) as exc:
                corrupt = _is_corruption(exc)
                message = f"query failed: {exc}"
            except QueryError as exc:
                corrupt, message = False, str(exc)
            answer = None
            if corrupt:
                raise self.corrupt(RuntimeError(message.removeprefix("query failed: ")))
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
                error: StoreError | QueryError = QueryError(str(exc))
            except StoreError as exc:
                error = type(exc)(str(exc))
        del db
        raise error

    def _query_process(
        self,
        sparql: str,
        bindings: dict[str, Term],
        dataset: dict,
        *,
        timeout: float | None,
        limit: int | None,
        max_rows: int | None,
        max_memory: int,
    ) -> QueryResult:
        """Evaluate a query in a process of its own (:mod:`kg.store.query_process`), killed when
        its resident memory passes ``max_memory`` MiB or its time ``timeout`` seconds."""
        if not self.exists():
            raise StoreError(f"no store at {self.path}; run 'kg build' first or pass --store")
        keep = min((n for n in (limit, max_rows) if n is not None), default=None)
        request = {
            "path": str(self.path),
            # a session of this process holds the read-write handle, so nothing else can write
            # while the child reads (which a read-only handle needs); so does a store nobody may write
            "read_only": self._held is not None or not self.writable(),
            "wait": LOCK_WAIT_SECONDS,
            "sparql": sparql,
            "prefixes": dict(self.prefixes),
            "substitutions": bindings,
            "dataset": dataset,
            "rows": None if keep is None else keep + 1,
        }
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-I", "-S", str(QUERY_PROCESS), _PYOXIGRAPH_HOME],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        payload: bytes | None = pickle.dumps(request)
        stopped = None
        while True:
            try:
                output, errors = process.communicate(payload, timeout=POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                payload = None  # sent with the first call
                if _rss(process.pid) > max_memory * MIB:
                    stopped = "memory"
                elif timeout is not None and time.monotonic() - started > timeout:
                    stopped = "timeout"
                if stopped:
                    process.kill()
                    output, errors = process.communicate()
                    break
            except BaseException:
                process.kill()
                process.wait()
                raise
        if not request["read_only"]:
            self._prune_logs()
        if stopped == "memory":
            raise QueryError(
                f"the query was stopped when it used more than {max_memory:,} MiB of memory "
                "(setting query_max_memory); narrow it (fewer joined patterns, filters before an "
                "ORDER BY) or raise the setting (KG_QUERY_MAX_MEMORY)"
            )
        if stopped == "timeout":
            raise QueryError(f"query timed out after {timeout:g} s (raise --timeout or narrow the query)")
        message = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        if process.returncode:
            kind = _QUERY_EXIT.get(process.returncode)
            detail = message[0]
            if kind == "syntax":
                raise QueryError(f"SPARQL syntax error: {detail}")
            if kind == "corrupt":
                raise self.corrupt(RuntimeError(detail))
            if kind == "locked":
                raise StoreLockedError(f"store {self.path} is in use by another process; try again later")
            if kind == "missing":
                raise StoreError(f"no store at {self.path}; run 'kg build' first or pass --store")
            if kind == "failed":
                raise QueryError(f"query failed: {detail}")
            raise QueryError(f"the query's process ended abnormally (exit {process.returncode}): {detail[:200]}")
        kind, _, body = output.partition(b"\n")
        remaining = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
        if kind.startswith(b"ask"):
            return QueryResult(boolean=kind == b"ask true")
        if kind == b"select":
            answer: object = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
        else:
            answer = [getattr(q, "triple", q) for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        return materialise(answer, remaining, limit, max_rows)

    def quads(self, graph: ox.NamedNode | None = None) -> list[ox.Quad]:
        with self._db() as db:
            if graph is None:
                return [q for q in db if not isinstance(q.graph_name, ox.DefaultGraph)
                        and q.graph_name not in self.derived_graphs]
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
