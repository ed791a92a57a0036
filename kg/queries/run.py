"""Running a query: read-only unless asked, entity names resolved, parameters bound.

A query's text is cleared as a read (no SPARQL update can run through the query path) by a
keyword scan (:func:`may_be_update`) or, when that cannot decide, by parsing it
(:func:`classify`). An entity parameter given as a name is resolved among the labels and
aliases of the entity index (:func:`resolve_entity`) and the query runs once per match.
"""

from __future__ import annotations

import contextlib
import functools
import re
from typing import Mapping

import pyoxigraph as ox

from kg.derived.entity_index import reads_entity_index, require_entity_index
from kg.errors import QueryError
from kg.queries.catalog import QUERIES_DIR, Query, load_query, without_comments
from kg.queries.params import check_required
from kg.store import KGStore, QueryResult, Term, bundled_sparql
from kg.text import name_key

NO_MATCH = ox.NamedNode("urn:kg:no-such-entity")
"""What an entity parameter is bound to when its name matches no entity: the query answers
nothing, as for an IRI that is not in the store."""

# every SPARQL 1.1 update operation starts with one of these keywords (grammar rule Update1)
_UPDATE_KEYWORD = re.compile(
    r"\b(?:LOAD|CLEAR|DROP|ADD|MOVE|COPY|CREATE|INSERT|DELETE|WITH)\b", re.IGNORECASE
)


def may_be_update(text: str) -> bool:
    """False only when ``text`` certainly is not a SPARQL update, decided without parsing.

    An update is a prologue (``PREFIX``/``BASE`` declarations and comments) followed by an
    operation that starts with one of the update keywords (``INSERT``, ``DELETE``, ``WITH``,
    ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``, ``COPY``). A ``#`` after white
    space cannot occur inside a prologue's IRIs, so stripping such comments never hides the first
    keyword. Text with a backslash (``\\u`` escapes are decoded before parsing) or any non-ASCII
    character (keywords are matched case-insensitively, and some letters upper-case to ASCII
    ones) is never cleared here, nor is text in which a keyword appears anywhere: those are
    parsed by :func:`classify`.

    >>> may_be_update("SELECT * WHERE { ?s ?p ?o }  # insert a comment")
    False
    >>> may_be_update("PREFIX ex: <urn:x> # a comment\\nDROP ALL")
    True
    """
    if not text.isascii() or "\\" in text:
        return True
    return _UPDATE_KEYWORD.search(without_comments(text, " ")) is not None


@functools.lru_cache(maxsize=256)
def classify(text: str) -> str:
    """``query``, ``update`` or ``unknown`` (neither parses), by really parsing the text.

    rdflib's SPARQL 1.1 grammar decides; text it cannot parse is left to Oxigraph, whose query
    parser rejects any update, so an update can never run through the query path. The answer
    depends on the text only, so it is cached (a parse costs milliseconds); :func:`run_query`
    calls this only for text :func:`may_be_update` cannot clear.
    """
    # imported here, not with the module: the parser costs 0.27 s to import, which every
    # 'kg query' would pay, and most texts are cleared without it by may_be_update
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parseQuery(text)
        return "query"
    except ParseException:
        pass
    except Exception:  # noqa: BLE001 - rdflib raises assorted errors on odd input; undecided
        return "unknown"
    try:
        parseUpdate(text)
        return "update"
    except Exception:  # noqa: BLE001 - see above
        return "unknown"


def resolve_entity(
    store: KGStore, name: str, *, timeout: float | None = None, word_suffix: bool = False
) -> list[ox.NamedNode]:
    """The entities whose label or alias has the name key of ``name``
    (:func:`kg.text.name_key`: case-, accent- and punctuation-insensitive), sorted by IRI.

    The entities are those of the entity index, which are those the ``entity-names`` query
    lists (mentioned entities of a kg class). Only the names that may hold the longest word of
    ``name``'s key are read from the store (``queries/internal/entity-names-candidates.rq``)
    and compared in Python.

    Args:
        word_suffix: also match names whose key ends with ``name``'s as whole words ("Rutte"
            finds "Mark Rutte"), as ``kg show`` does.

    Raises:
        QueryError: the store has entities but no entity index (built by an older kg).
    """
    wanted = name_key(name)
    if wanted:
        token = ox.Literal(max(wanted.split(), key=len))
        result = store.query(bundled_sparql("internal/entity-names-candidates"), {"token": token}, timeout=timeout)
    else:
        result = store.query(bundled_sparql("internal/entity-names-all"), timeout=timeout)
    found: dict[str, ox.NamedNode] = {}
    for entity, label, *_ in result.rows:
        if isinstance(entity, ox.NamedNode) and isinstance(label, ox.Literal) and entity.value not in found:
            key = name_key(label.value)
            if key == wanted or (word_suffix and wanted and key.endswith(" " + wanted)):
                found[entity.value] = entity
    if not found:
        # nothing matched: say why if the reason is a store without an index (one ASK on the
        # path that has no answer anyway)
        require_entity_index(store)
    return [found[key] for key in sorted(found)]


def run_query(
    store: KGStore,
    query: Query | str,
    params: Mapping[str, Term] | None = None,
    timeout: float | None = None,
    *,
    allow_update: bool = False,
    limit: int | None = None,
) -> QueryResult:
    """Run a read-only query (or, with ``allow_update``, an update) with bound parameters.

    Entity parameters given as a name are resolved to the matching entities and the query is
    run once for each; the rows are concatenated without duplicates. ``limit`` keeps the first
    rows only (see :meth:`kg.store.KGStore.query`); the result says whether there were more.
    An answer longer than the ``query_max_rows`` setting is an error; a query that kg does not
    ship runs in a process of its own, stopped when it uses more than ``query_max_memory`` MiB
    or outlasts ``timeout``.

    Raises:
        QueryError: the text is an update and ``allow_update`` is false, a syntax error
            (the message gives line and column), a parameter the query does not project,
            a timeout, or the query reads the entity index (or an entity name is resolved,
            which reads it) on a store built before there was one.
    """
    if isinstance(query, str):
        query = load_query(query)
    params = dict(params or {})
    # most text is cleared by a keyword scan, which spares the rdflib import and parse
    kind = classify(query.text) if may_be_update(query.text) else "query"
    if kind == "update":
        if not allow_update:
            raise QueryError(
                f"query {query.name!r} is a SPARQL UPDATE, and queries are read-only; "
                "pass --update (allow_update=True) to change the store"
            )
        if params:
            raise QueryError("parameters cannot be bound in an UPDATE")
        store.update(query.text)
        return QueryResult()
    check_required(query, params)
    names = {
        name: value for name, value in params.items()
        if isinstance(value, ox.Literal) and getattr(query.info.param(name), "kind", "") == "entity"
    }
    # resolving a name takes a few queries of its own: a local store opens its database once
    hold = store.session(create=False) if names else contextlib.nullcontext()
    with hold:
        if reads_entity_index(query.text, store):
            # without the index such a query would answer nothing, and say nothing of why
            require_entity_index(store)
        runs: list[dict[str, Term]] = [params]
        for name, value in names.items():
            matches = resolve_entity(store, value.value, timeout=timeout) or [NO_MATCH]
            runs = [{**run, name: match} for run in runs for match in matches]
    results = [_execute(store, query, run, timeout, limit) for run in runs]
    if len(results) == 1:
        return results[0]
    seen: dict[tuple, None] = {}
    for result in results:
        for row in result.rows:
            seen.setdefault(row, None)
    first = results[0]
    rows = tuple(seen)
    triples = tuple(dict.fromkeys(t for r in results for t in r.triples))
    truncated = any(r.truncated for r in results)
    if limit is not None and (len(rows) > limit or len(triples) > limit):
        rows, triples, truncated = rows[:limit], triples[:limit], True
    return QueryResult(columns=first.columns, rows=rows, boolean=first.boolean, triples=triples, truncated=truncated)


def _bundled(query: Query) -> bool:
    """Whether the query is one kg ships (``queries/*.rq``): those run in kg's own process; any
    other text runs in a process of its own, stopped at the ``query_max_memory`` setting."""
    path = query.info.path
    return path is not None and path.resolve().parent == QUERIES_DIR.resolve()


def _execute(
    store: KGStore, query: Query, bindings: Mapping[str, Term], timeout: float | None, limit: int | None = None
) -> QueryResult:
    graphs = None
    if query.info.scope == "article":
        article = bindings.get("article")
        if not isinstance(article, ox.Literal):
            raise QueryError(f"query {query.name!r} reads one article: pass --param article=ID")
        graphs = [store.iris.graph(article.value)]
        if article.value.startswith("_") or graphs[0] not in store.graph_names():
            raise QueryError(f"no article {article.value!r} in the store; 'kg stats --articles' lists them")
    try:
        return store.query(query.text, bindings or None, timeout=timeout, graphs=graphs, limit=limit,
                           max_rows=store.settings.query_max_rows or None,
                           max_memory=None if _bundled(query) else store.settings.query_max_memory or None)
    except (RuntimeError, ValueError) as exc:  # pyoxigraph: a bound variable it cannot use
        message = str(exc)
        if "projection" in message:
            message += "; a parameter must be a variable the query selects"
        raise QueryError(f"query {query.name!r} failed: {message}") from None
