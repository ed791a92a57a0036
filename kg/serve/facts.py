"""What an entity page lists, read from the store in one of two ways that answer the same.

* :class:`QueriedFacts` asks the store for one entity at a time (the ``?e`` of
  ``queries/internal/page-entity-*.rq`` bound to it): a page costs its queries, from a few
  milliseconds to half a second for an entity mentioned in a thousand articles, whose sentences
  are joined to count the entities mentioned beside it. For a store that others may write to
  while it is served (a remote one).
* :class:`EntityDigest` reads the same facts for every entity at once, when the server starts
  (the same queries unbound, and every claim once), and keeps them in memory grouped by entity:
  a page then costs dictionary lookups and never waits on the store. For a local store, which cannot change while the server
  holds it open; a ``kg build`` or ``kg remove`` waits until the server stops, and the next
  server reads the store again. On the BBC store (2,225 articles, 53,000 mentions, 10,000 claims)
  it takes a few seconds and some tens of megabytes.

Both hand the page the same plain values (strings, numbers, booleans; IRIs as strings), and the
tests check that they answer alike, page by page, on the test store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Iterable, Mapping, NamedTuple, Protocol

import pyoxigraph as ox

from kg.queries.browse import short_name
from kg.store import KGStore, QueryResult, bundled_sparql


class Mention(NamedTuple):
    """One mention of an entity: where it is and the sentence around it."""

    graph: str
    anchor: str
    begin: int
    end: int
    sentence: str
    sentence_begin: int
    sentence_iri: str


class Described(NamedTuple):
    """A node (claim, event) with its statements in one article graph, by property local name."""

    node: str
    graph: str
    props: dict[str, list[Any]]


class Relation(NamedTuple):
    other: str
    relation: str
    """The property's IRI."""
    outgoing: bool
    """The entity is the subject."""


def value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Any:
    """A term as JSON: an IRI or string as text, a number as a number, a boolean as a boolean."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        kind = short_name(term.datatype.value)
        if kind in {"integer", "nonNegativeInteger", "int", "long"}:
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if kind in {"decimal", "double", "float"}:
            try:
                return float(term.value)
            except ValueError:
                return term.value
        if kind == "boolean":
            return term.value in {"true", "1"}
    return term.value


def statement_value(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Any:
    """The object of a statement as a page reads it: an IRI as its text, a literal as :func:`value`."""
    return term.value if isinstance(term, ox.NamedNode) else value(term)


def records(result: QueryResult) -> list[dict[str, Any]]:
    return [{c: value(t) for c, t in zip(result.columns, row)} for row in result.rows]


class EntityFacts(Protocol):
    """What an entity page shows of the entity IRI ``entity``."""

    def description(self, entity: str) -> list[tuple[str, Any]]:
        """``(property local name, value)`` of ``page-entity.rq``: class, labels, counts, point…"""

    def mentions(self, entity: str) -> list[Mention]: ...

    def claims(self, entity: str) -> list[tuple[Described, bool]]:
        """Each claim with whether the entity made it (is its speaker or source)."""

    def events(self, entity: str) -> list[Described]: ...

    def roles(self, entity: str) -> list[dict[str, Any]]:
        """Records of ``page-entity-roles.rq`` (without ``e``), in its order."""

    def relations(self, entity: str) -> list[Relation]: ...

    def comentions(self, entity: str) -> dict[str, int]:
        """``{other entity: sentences mentioning both}``."""


class QueriedFacts:
    """:class:`EntityFacts` by queries for the one entity asked about."""

    def __init__(self, store: KGStore, *, timeout: float | None = None) -> None:
        self.store = store
        self.timeout = timeout

    def _query(self, name: str, entity: str) -> QueryResult:
        return self.store.query(bundled_sparql(f"internal/{name}"), {"e": ox.NamedNode(entity)},
                                timeout=self.timeout)

    def description(self, entity: str) -> list[tuple[str, Any]]:
        return [(short_name(p.value), statement_value(o)) for _, p, o in self._query("page-entity", entity).rows]

    def mentions(self, entity: str) -> list[Mention]:
        return [_mention(row[1:]) for row in self._query("page-entity-mentions", entity).rows]

    def claims(self, entity: str) -> list[tuple[Described, bool]]:
        made: dict[tuple[str, str], bool] = {}
        props: dict[tuple[str, str], dict[str, list[Any]]] = {}
        for _, claim, graph, by, p, o in self._query("page-entity-claims", entity).rows:
            key = (claim.value, graph.value)
            made[key] = bool(value(by))
            props.setdefault(key, {}).setdefault(short_name(p.value), []).append(statement_value(o))
        return [(Described(node, graph, found), made[(node, graph)]) for (node, graph), found in props.items()
                if "content" in found]

    def events(self, entity: str) -> list[Described]:
        return _described(row[1:] for row in self._query("page-entity-events", entity).rows)

    def roles(self, entity: str) -> list[dict[str, Any]]:
        return [_without_e(r) for r in records(self._query("page-entity-roles", entity))]

    def relations(self, entity: str) -> list[Relation]:
        return [Relation(other.value, relation.value, bool(value(outgoing)))
                for _, other, relation, outgoing in self._query("page-entity-relations", entity).rows]

    def comentions(self, entity: str) -> dict[str, int]:
        return {other.value: int(value(n)) for _, other, n in self._query("page-entity-comentions", entity).rows}


class EntityDigest:
    """:class:`EntityFacts` of every entity, read from the store at once (:meth:`read`)."""

    def __init__(self) -> None:
        self._descriptions: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        self._mentions: dict[str, list[Mention]] = defaultdict(list)
        self._sentence_entities: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._claims: dict[tuple[str, str], Described] = {}
        self._claims_made: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._claims_in_sentence: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        self._events: dict[str, list[Described]] = defaultdict(list)
        self._roles: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._relations: dict[str, list[Relation]] = defaultdict(list)

    @classmethod
    def read(cls, store: KGStore, *, timeout: float | None = None) -> "EntityDigest":
        """Read the facts of every entity: six queries over the whole store.

        Raises:
            QueryError: a query failed or took longer than ``timeout`` seconds.
        """
        digest = cls()

        def query(name: str) -> QueryResult:
            return store.query(bundled_sparql(f"internal/{name}"), timeout=timeout)

        for entity, p, o in query("page-entity").rows:
            digest._descriptions[entity.value].append((short_name(p.value), statement_value(o)))
        strings: dict[str, str] = {}  # one copy of each sentence and graph name
        for row in query("page-entity-mentions").rows:
            mention = _mention(row[1:], strings)
            digest._mentions[row[0].value].append(mention)
            digest._sentence_entities[(mention.graph, mention.sentence_iri)].add(row[0].value)
        for claim in _described(query("page-claims").rows):
            if "content" not in claim.props:
                continue
            key = (claim.node, claim.graph)
            sentences = claim.props.pop("sentence", [])
            digest._claims[key] = claim
            for entity in {*claim.props.get("speaker", []), *claim.props.get("source", [])}:
                digest._claims_made[entity].append(key)
            for sentence in sentences:
                digest._claims_in_sentence[(claim.graph, sentence)].append(key)
        events = query("page-entity-events").rows
        for entity, group in _grouped(events).items():
            digest._events[entity] = _described(row[1:] for row in group)
        for r in records(query("page-entity-roles")):
            digest._roles[r["e"]].append(_without_e(r))
        for row in query("page-entity-relations").rows:
            digest._relations[row[0].value].append(Relation(row[1].value, row[2].value, bool(value(row[3]))))
        return digest

    def description(self, entity: str) -> list[tuple[str, Any]]:
        return list(self._descriptions.get(entity, ()))

    def mentions(self, entity: str) -> list[Mention]:
        return list(self._mentions.get(entity, ()))

    def claims(self, entity: str) -> list[tuple[Described, bool]]:
        made = set(self._claims_made.get(entity, ()))
        keys = set(made)
        for mention in self._mentions.get(entity, ()):
            keys.update(self._claims_in_sentence.get((mention.graph, mention.sentence_iri), ()))
        return [(self._claims[key], key in made) for key in keys if key in self._claims]

    def events(self, entity: str) -> list[Described]:
        return list(self._events.get(entity, ()))

    def roles(self, entity: str) -> list[dict[str, Any]]:
        return list(self._roles.get(entity, ()))

    def relations(self, entity: str) -> list[Relation]:
        return list(self._relations.get(entity, ()))

    def comentions(self, entity: str) -> dict[str, int]:
        shared: Counter[str] = Counter()
        for sentence in {(m.graph, m.sentence_iri) for m in self._mentions.get(entity, ())}:
            shared.update(self._sentence_entities[sentence] - {entity})
        return dict(shared)


def _mention(row: tuple, strings: dict[str, str] | None = None) -> Mention:
    graph, anchor, begin, end, sentence, sentence_begin, sentence_iri = (t.value for t in row)
    if strings is not None:
        graph = strings.setdefault(graph, graph)
        sentence = strings.setdefault(sentence, sentence)
        sentence_iri = strings.setdefault(sentence_iri, sentence_iri)
    return Mention(graph, anchor, int(begin), int(end), sentence, int(sentence_begin), sentence_iri)


def _described(rows: Iterable[tuple]) -> list[Described]:
    """Nodes with their statements from rows ``(node, graph, p, o)``, in the order first seen."""
    found: dict[tuple[str, str], dict[str, list[Any]]] = {}
    for node, graph, p, o in rows:
        found.setdefault((node.value, graph.value), {}).setdefault(short_name(p.value), []).append(statement_value(o))
    return [Described(node, graph, props) for (node, graph), props in found.items()]


def _grouped(rows: Iterable[tuple]) -> dict[str, list[tuple]]:
    """Rows by the IRI in their first column."""
    groups: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        groups[row[0].value].append(row)
    return groups


def _without_e(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "e"}


__all__ = ["Described", "EntityDigest", "EntityFacts", "Mention", "QueriedFacts", "Relation", "records",
           "statement_value", "value"]
