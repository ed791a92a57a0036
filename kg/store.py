"""The RDF store: an embedded Oxigraph database on disk, one named graph per article.

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

import abc
import contextlib
import fcntl
import io
import itertools
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from kg.entity_index import ENTITY_INDEX_GRAPH_ID, refresh_entity_index
from kg.errors import QueryError, StoreError, StoreLockedError
from kg.iri import IRIMinter
from kg.settings import Settings
from kg.vocab import ENTITY_CLASSES, KG

Term = ox.NamedNode | ox.BlankNode | ox.Literal

EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
"""``kg export`` formats; trig, nquads and jsonld keep the article graphs, the others merge them."""

DATASET_FORMATS = {"trig", "nquads", "jsonld"}
LOCK_WAIT_SECONDS = 30.0
BULK_ATOMIC_QUADS = 1_000_000
"""Quads Oxigraph's bulk loader turns into one ingestion (its default batch size): a batch of
fewer quads is written all-or-nothing."""
WRITER_LOCK = ".kg-writer.lock"

_ARTICLE_HASHES = """
SELECT ?g ?id ?hash WHERE {
  GRAPH ?g { ?article a kg:Article ; dcterms:identifier ?id ; kg:contentHash ?hash }
}"""


@dataclass(frozen=True)
class QueryResult:
    """The answer of a SELECT (``columns``/``rows``), ASK (``boolean``) or CONSTRUCT (``triples``)."""

    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()
    truncated: bool = False
    """True when a ``limit`` cut the answer short: there were more rows (or triples)."""

    @property
    def kind(self) -> str:
        """``ask``, ``graph`` or ``select``."""
        if self.boolean is not None:
            return "ask"
        return "graph" if self.triples else "select"


@dataclass(frozen=True)
class StoreStats:
    articles: int
    entities_by_class: Mapping[str, int]
    quads: int
    graphs: int


class KGStore(abc.ABC):
    """What the pipeline and the CLI need from a store; local and remote stores implement it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.iris = IRIMinter(settings.base_iri)
        self.prefixes: Mapping[str, str] = self.iris.prefixes()
        """Prefixes every query and update may use: kg's vocabularies plus ``entity:``,
        ``article:`` and ``graph:`` under the base IRI; a query's own declarations win."""
        self.index_graph = self.iris.graph(ENTITY_INDEX_GRAPH_ID)
        """The entity index graph (:mod:`kg.entity_index`): derived data, not an article."""

    # writing -------------------------------------------------------------------------------
    @abc.abstractmethod
    def writer(self) -> contextlib.AbstractContextManager["KGStore"]:
        """Hold the writer lock for a whole build (fails at once if another process has it)."""

    @abc.abstractmethod
    def replace_articles(self, graphs: Sequence[tuple[str, Sequence[ox.Quad]]]) -> None:
        """Replace the named graph of each ``(article_id, quads)``; each article is atomic."""

    @abc.abstractmethod
    def remove_article(self, article_id: str) -> bool:
        """Drop an article's graph; return whether it existed."""

    @abc.abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL UPDATE (only on explicit request)."""

    @abc.abstractmethod
    def load_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads as they are (import)."""

    # reading -------------------------------------------------------------------------------
    @abc.abstractmethod
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        timeout: float | None = None,
        graphs: Sequence[ox.NamedNode] | None = None,
        limit: int | None = None,
    ) -> QueryResult:
        """Run a read-only SPARQL query over the union of the article graphs, or, with
        ``graphs``, over just those graphs (one article's graph is read by its own index).

        ``limit`` keeps the first rows (or triples) of the answer and stops reading there: the
        engine still computes a sorted answer whole, but the rows after the limit are never
        decoded. ``QueryResult.truncated`` says whether there were more."""

    @abc.abstractmethod
    def quads(self, graph: ox.NamedNode | None = None) -> list[ox.Quad]:
        """All quads but those of the entity index (derived data, rebuilt from the articles:
        see :mod:`kg.entity_index`), or those of one named graph."""

    @abc.abstractmethod
    def graph_names(self) -> list[ox.NamedNode]:
        ...

    def exists(self) -> bool:
        """Whether the store has been created (a remote endpoint always exists)."""
        return True

    def article_hashes(self) -> dict[str, str]:
        """``{article_id: content_hash}`` of every article in the store."""
        result = self.query(_ARTICLE_HASHES)
        return {row[1].value: row[2].value for row in result.rows if row[1] and row[2]}

    def article_ids(self) -> list[str]:
        return sorted(self.article_hashes())

    def stats(self) -> StoreStats:
        """Articles, entities by class, and the quads and graphs a ``kg export`` would write
        (the entity index is derived data and counts as neither)."""
        counts = self.query("SELECT ?cls (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?cls } GROUP BY ?cls")
        found = {row[0]: int(row[1].value) for row in counts.rows if row[0] is not None and row[1] is not None}
        by_class = {cls: found.get(KG[cls], 0) for cls in ENTITY_CLASSES}
        count = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != graph:_entities) }")
        quads = int(count.rows[0][0].value) if count.rows else 0
        return StoreStats(
            articles=len(self.article_hashes()),
            entities_by_class=by_class,
            quads=quads,
            graphs=len([graph for graph in self.graph_names() if graph != self.index_graph]),
        )

    def export(self, fmt: str, output: IO[bytes], article_id: str | None = None) -> int:
        """Serialise the store (or one article's graph) to ``output``; return the statement count.

        Dataset formats keep one named graph per article; graph formats merge them. The entity
        index is left out: it is derived from the article graphs, and ``kg import`` rebuilds it.
        """
        try:
            rdf_format = EXPORT_FORMATS[fmt]
        except KeyError:
            raise StoreError(
                f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}"
            ) from None
        graph = None
        if article_id is not None:
            graph = self.iris.graph(article_id)
            if graph == self.index_graph or graph not in self.graph_names():
                raise StoreError(f"no article {article_id!r} in the store")
        quads = self.quads(graph)
        prefixes = dict(self.prefixes)
        if fmt in DATASET_FORMATS:
            statements: list = quads
        else:
            seen: dict[ox.Triple, None] = {}
            for q in quads:
                seen.setdefault(q.triple, None)
            statements = list(seen)
        kwargs = {} if rdf_format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) else {
            "prefixes": prefixes
        }
        ox.serialize(statements, output, format=rdf_format, **kwargs)
        return len(statements)


# ----------------------------------------------------------------------------------------------
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
            try:
                answer = db.query(
                    sparql,
                    prefixes=self.prefixes,
                    substitutions=substitutions or None,
                    **dataset,
                )
                return _materialise(answer, timeout, limit)
            except SyntaxError as exc:
                raise QueryError(f"SPARQL syntax error: {exc}") from None
            except (OSError, RuntimeError, ValueError, TypeError) as exc:
                raise QueryError(f"query failed: {exc}") from None

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


def _materialise(answer: object, timeout: float | None, limit: int | None = None) -> QueryResult:
    """Read a whole pyoxigraph answer while the store is open, honouring ``timeout``.

    Reading the rows is most of the Python side of a query: a ~10,000-row answer makes some
    100,000 term objects, and Python's cyclic garbage collector would traverse them again and
    again as they accumulate, though tuples of terms cannot form reference cycles (7-10% of the
    time of such a query). It is paused while the rows are read; the evaluation of a sorted or
    grouped answer, which the first row waits for, runs before the pause.
    """
    deadline = None if timeout is None else time.monotonic() + timeout

    def check() -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise QueryError(f"query timed out after {timeout:g} s")

    if isinstance(answer, (bool, ox.QueryBoolean)):  # pyoxigraph 0.5 answers ASK with QueryBoolean
        return QueryResult(boolean=bool(answer))
    solutions = isinstance(answer, ox.QuerySolutions)
    # a solution becomes the tuple of its values (None if unbound) as it is read: ~5% less time
    # for a 13,000-row answer than keeping the solutions and converting them afterwards
    rows = map(tuple, answer) if solutions else iter(answer)  # type: ignore[call-overload]
    if limit is not None:  # one more than kept, to know whether there were more
        rows = itertools.islice(rows, limit + 1)
    first = next(rows, None)  # a sorted or grouped answer is computed here
    items = [] if first is None else [first]
    with _collector_paused():
        while True:
            chunk = list(itertools.islice(rows, 1000))
            items.extend(chunk)
            check()
            if len(chunk) < 1000:
                break
    truncated = limit is not None and len(items) > limit
    if truncated:
        del items[limit:]
    if solutions:  # values in the order of the variables
        return QueryResult(columns=tuple(v.value for v in answer.variables), rows=tuple(items), truncated=truncated)
    return QueryResult(triples=tuple(items), truncated=truncated)


_collector_lock = threading.Lock()
_collector_pauses = 0
_collector_was_enabled = False


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, re-entrantly and across threads.

    The collector is enabled again when the last pause ends, and only if it was enabled when the
    first began.
    """
    import gc

    global _collector_pauses, _collector_was_enabled
    with _collector_lock:
        if _collector_pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_pauses += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_pauses -= 1
            if _collector_pauses == 0 and _collector_was_enabled:
                gc.enable()


def open_store(settings: Settings) -> KGStore:
    """The store the settings name: a directory (embedded Oxigraph) or an ``http(s)://`` endpoint."""
    if settings.store_is_remote:
        from kg.remote_store import RemoteStore  # imported lazily: needs httpx

        return RemoteStore(settings)
    return LocalStore(settings)


def serialize_quads(quads: Iterable[ox.Quad]) -> bytes:
    buffer = io.BytesIO()
    ox.serialize(quads, buffer, format=ox.RdfFormat.N_QUADS)
    return buffer.getvalue()



def import_dataset(path: str | os.PathLike[str], settings: Settings) -> int:
    """Load an N-Quads/TriG (or any RDF) file into the store and refresh its entity index;
    return the number of quads."""
    source = Path(path)
    if not source.is_file():
        raise StoreError(f"no such file: {source}")
    try:
        rdf_format = ox.RdfFormat.from_extension(source.suffix.lstrip(".")) or ox.RdfFormat.N_QUADS
    except ValueError:
        rdf_format = ox.RdfFormat.N_QUADS
    try:
        quads = list(ox.parse(path=str(source), format=rdf_format))
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"cannot import {source}: {exc}") from None
    store = open_store(settings)
    with store.writer():
        store.load_quads(quads)
        refresh_entity_index(store, settings)
    return len(quads)
