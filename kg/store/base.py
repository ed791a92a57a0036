"""The one store interface: :class:`KGStore`, its answers, and what every backend shares.

A backend (:mod:`kg.store.local`, :mod:`kg.store.remote`) implements the abstract methods of
:class:`KGStore` and imports only this module; the bookkeeping every store does the same way
(article hashes, statistics, export) is written here once, over the abstract methods. The SPARQL
kg runs for itself is read from ``queries/internal/*.rq`` (:func:`bundled_sparql`).

The store knows one graph besides the articles' by name: the entity index
(``<{base}graph/_entities>``, written by :mod:`kg.derived.entity_index`), which is derived data,
so :meth:`KGStore.quads`, :meth:`KGStore.export` and :meth:`KGStore.stats` leave it out.
"""

from __future__ import annotations

import abc
import contextlib
import functools
import gc
import io
import itertools
import re
import threading
import time
from dataclasses import dataclass
from typing import IO, Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.iri import ENTITY_INDEX_GRAPH_ID, STATE_GRAPH_ID, IRIMinter
from kg.resources import sparql
from kg.settings import DEFAULT_BASE_IRI, Settings
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

SUPPLIED_PREFIXES: Mapping[str, str] = IRIMinter(DEFAULT_BASE_IRI).prefixes()
"""The prefixes every store declares for the queries it runs (:attr:`KGStore.prefixes`), with
their IRIs under the default base IRI: kg's vocabularies, ``entity:``, ``article:``, ``graph:``."""

_PREFIX_LINE = re.compile(
    r"^[ \t]*PREFIX[ \t]+(?P<name>[A-Za-z][A-Za-z0-9_.-]*)?:[ \t]*<(?P<iri>[^<>\s]*)>[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


def drop_supplied_prefixes(text: str) -> str:
    """``text`` without the ``PREFIX`` lines that declare a prefix the store supplies, with the
    IRI it has under the default base IRI; each such line is left empty, so line numbers stay.

    kg's query files declare every prefix they use, so they paste and run as they are in any
    SPARQL editor against a store built with the default base IRI. The store declares the same
    prefixes itself, ``entity:``, ``article:`` and ``graph:`` under its own base IRI, and a
    query's own declarations win: kg drops them from the text it runs, so its files answer
    right on a store built with any base IRI.

    >>> drop_supplied_prefixes("PREFIX graph: <https://w3id.org/kg-news/graph/>\\nPREFIX ex: <urn:ex:>\\nASK {}")
    '\\nPREFIX ex: <urn:ex:>\\nASK {}'
    """

    def keep(match: re.Match[str]) -> str:
        name = match["name"] or ""
        return "" if SUPPLIED_PREFIXES.get(name) == match["iri"] else match[0]

    return _PREFIX_LINE.sub(keep, text)


# what makes a store reach the network: SERVICE (a federated query) and LOAD (an update that
# fetches a document); found in the text outside strings, IRIs and comments, after the
# \\u and \\U escapes that SPARQL decodes before parsing
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|\\."  # an escaped character of a local name (ex:a\\#b) does not start a comment
    r"|#[^\n\r]*",
    re.S,
)
_NETWORK_KEYWORD = re.compile(r"(?<![\w?$:])(SERVICE|LOAD)(?![\w:])", re.IGNORECASE)


def _decode_escape(match: re.Match[str]) -> str:
    code = int(match[1] or match[2], 16)
    return chr(code) if code <= 0x10FFFF else match[0]


@functools.lru_cache(maxsize=256)
def network_operations(sparql: str) -> frozenset[str]:
    """The operations of a query or update that make the store fetch from elsewhere:
    ``SERVICE`` (a federated query) and ``LOAD`` (an update that reads a document by IRI).

    The keywords are looked for outside strings, IRIs and comments, after decoding the ``\\u``
    escapes SPARQL decodes before parsing, and case-insensitively; a word that may be one is
    counted, so the answer errs towards refusing.

    >>> sorted(network_operations("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }"))
    ['SERVICE']
    >>> sorted(network_operations('SELECT ?service { ?service ex:load "SERVICE" } # LOAD'))
    []
    """
    text = _CODEPOINT_ESCAPE.sub(_decode_escape, sparql)
    return frozenset(m[1].upper() for m in _NETWORK_KEYWORD.finditer(_NOT_CODE.sub(" ", text)))


def check_network(sparql: str, online: bool) -> None:
    """Refuse a query or update that would reach the network unless ``online`` (``--online``).

    Raises:
        QueryError: the text uses ``SERVICE`` or ``LOAD`` and ``online`` is false.
    """
    if online:
        return
    found = network_operations(sparql)
    if found:
        words = " and ".join(sorted(found))
        raise QueryError(
            f"the query uses {words}, which fetches data over the network; kg reaches the network "
            "only when asked: pass --online (KG_ONLINE=1) to allow it"
            + ("; to load a file, use 'kg import FILE'" if "LOAD" in found else "")
        )


def too_many_rows(max_rows: int) -> QueryError:
    """The error of an answer longer than the ``query_max_rows`` setting."""
    return QueryError(
        f"the answer has more than {max_rows:,} rows (setting query_max_rows); narrow the query, "
        "add a LIMIT or --limit, or raise the setting (KG_QUERY_MAX_ROWS)"
    )


@functools.lru_cache(maxsize=128)
def bundled_sparql(name: str) -> str:
    """kg's own query file ``queries/<name>.rq`` (``internal/article-hashes``, ``eval/roles``,
    ``troop-numbers``…) as kg runs it: :func:`drop_supplied_prefixes` of its text.

    Raises:
        FileNotFoundError: no such bundled file (a broken installation).
    """
    return drop_supplied_prefixes(sparql(name))


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
        self.index_graph = self.iris.kg_graph(ENTITY_INDEX_GRAPH_ID)
        """The entity index graph (:mod:`kg.derived.entity_index`): derived data, not an article."""
        self.state_graph = self.iris.kg_graph(STATE_GRAPH_ID)
        """What the index was derived from (:mod:`kg.derived.entity_index`): bookkeeping."""
        self.derived_graphs = frozenset({self.index_graph, self.state_graph})
        """Graphs kg derives from the others: neither exported nor counted."""

    # writing -------------------------------------------------------------------------------
    @abc.abstractmethod
    def writer(self) -> contextlib.AbstractContextManager["KGStore"]:
        """Hold the writer lock for a whole build (fails at once if another process has it)."""

    @abc.abstractmethod
    def replace_graphs(self, graphs: Sequence[tuple[ox.NamedNode, Sequence[ox.Quad]]]) -> None:
        """Replace each named graph of ``(graph, quads)``; each graph is atomic."""

    def replace_articles(self, graphs: Sequence[tuple[str, Sequence[ox.Quad]]]) -> None:
        """Replace the named graph of each ``(article_id, quads)``; each article is atomic."""
        self.replace_graphs([(self.iris.graph(article_id), quads) for article_id, quads in graphs])

    @abc.abstractmethod
    def remove_graph(self, graph: ox.NamedNode) -> bool:
        """Drop a named graph; return whether it existed."""

    def remove_article(self, article_id: str) -> bool:
        """Drop an article's graph; return whether it existed (an id never names one of kg's
        own graphs: :func:`kg.iri.article_segment`)."""
        return self.remove_graph(self.iris.graph(article_id))

    def graph_label(self, graph: ox.NamedNode) -> str:
        """How messages name a graph: ``article 'x'`` for an article's, else its IRI."""
        article_id = self.iris.article_id_from_graph(graph)
        return f"article {article_id!r}" if article_id is not None else f"graph <{graph.value}>"

    @abc.abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL UPDATE (only on explicit request); ``LOAD`` and ``SERVICE`` are refused
        unless the settings are ``online``."""

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
        max_rows: int | None = None,
        max_memory: int | None = None,
    ) -> QueryResult:
        """Run a read-only SPARQL query over the union of the article graphs, or, with
        ``graphs``, over just those graphs (one article's graph is read by its own index).

        ``limit`` keeps the first rows (or triples) of the answer and stops reading there: the
        engine still computes a sorted answer whole, but the rows after the limit are never
        decoded. ``QueryResult.truncated`` says whether there were more. ``max_rows`` makes a
        longer answer an error; ``max_memory`` (MiB) runs the query where it can be stopped
        when it uses more (a local store: in a process of its own; a remote endpoint bounds
        its own resources). A query that would reach the network (``SERVICE``) is refused
        unless the settings are ``online``.

        Raises:
            QueryError: a syntax error, a timeout, a cap passed, ``SERVICE`` while offline.
            StoreError: the store cannot be opened or read (damaged, in use, missing)."""

    @abc.abstractmethod
    def quads(self, graph: ox.NamedNode | None = None) -> list[ox.Quad]:
        """All quads of the named graphs but the entity index and its state (derived data,
        rebuilt from the articles: see :mod:`kg.derived.entity_index`), or those of one graph."""

    @abc.abstractmethod
    def graph_names(self) -> list[ox.NamedNode]:
        ...

    def exists(self) -> bool:
        """Whether the store has been created (a remote endpoint always exists)."""
        return True

    @contextlib.contextmanager
    def session(self, *, create: bool = True) -> Iterator["KGStore"]:
        """Keep the store open across several calls where that saves work (a database on disk
        is opened once instead of at every call); by default, nothing to keep open.

        ``create=False`` (for readers) fails like a query when there is no store instead of
        creating an empty one.
        """
        yield self

    def article_hashes(self) -> dict[str, str]:
        """``{article_id: content_hash}`` of every article in the store."""
        result = self.query(bundled_sparql("internal/article-hashes"))
        return {row[1].value: row[2].value for row in result.rows if row[1] and row[2]}

    def article_ids(self) -> list[str]:
        return sorted(self.article_hashes())

    def stats(self) -> StoreStats:
        """Articles, entities by class, and the quads and graphs a ``kg export`` would write
        (the entity index is derived data and counts as neither)."""
        counts = self.query(bundled_sparql("internal/class-counts"))
        found = {row[0]: int(row[1].value) for row in counts.rows if row[0] is not None and row[1] is not None}
        by_class = {cls: found.get(KG[cls], 0) for cls in ENTITY_CLASSES}
        count = self.query(bundled_sparql("internal/quad-count"))
        quads = int(count.rows[0][0].value) if count.rows else 0
        return StoreStats(
            articles=len(self.article_hashes()),
            entities_by_class=by_class,
            quads=quads,
            graphs=len([graph for graph in self.graph_names() if graph not in self.derived_graphs]),
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
            if graph not in self.graph_names():
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


# reading an answer --------------------------------------------------------------------------------
def materialise(
    answer: object, timeout: float | None, limit: int | None = None, max_rows: int | None = None
) -> QueryResult:
    """Read a whole pyoxigraph answer (solutions, triples or a boolean) into a
    :class:`QueryResult` while the store is open, honouring ``timeout``, ``limit`` and
    ``max_rows`` (an answer longer than that is an error, unless ``limit`` keeps fewer rows).

    Reading the rows is most of the Python side of a query: a ~10,000-row answer makes some
    100,000 term objects, and Python's cyclic garbage collector would traverse them again and
    again as they accumulate, though tuples of terms cannot form reference cycles (7-10% of the
    time of such a query). It is paused while the rows are read; the evaluation of a sorted or
    grouped answer, which the first row waits for, runs before the pause.

    Raises:
        QueryError: the rows took longer than ``timeout`` seconds to read, or there are more
            than ``max_rows`` of them.
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
    capped = max_rows is not None and (limit is None or limit > max_rows)
    if capped:
        limit = None
    bound = max_rows if capped else limit
    if bound is not None:  # one more than kept, to know whether there were more
        rows = itertools.islice(rows, bound + 1)
    first = next(rows, None)  # a sorted or grouped answer is computed here
    items = [] if first is None else [first]
    with _collector_paused():
        while True:
            chunk = list(itertools.islice(rows, 1000))
            items.extend(chunk)
            check()
            if len(chunk) < 1000:
                break
    if capped and len(items) > max_rows:  # type: ignore[operator]
        raise too_many_rows(max_rows)  # type: ignore[arg-type]
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


def serialize_quads(quads: Iterable[ox.Quad]) -> bytes:
    """Quads as N-Quads bytes."""
    buffer = io.BytesIO()
    ox.serialize(quads, buffer, format=ox.RdfFormat.N_QUADS)
    return buffer.getvalue()
