"""Browsing the stored graph entity by entity: the library behind ``kg entities`` and ``kg show``.

The listing is the bundled ``entities-by-type`` query; an entity's description, facts and
sentences are read with ``queries/internal/entity-*.rq``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from kg.errors import QueryError
from kg.queries.params import to_term
from kg.queries.results import compact
from kg.queries.run import resolve_entity, run_query
from kg.store import KGStore, QueryResult, bundled_sparql
from kg.vocab import ENTITY_CLASSES, KG

ENTITIES_QUERY = "entities-by-type"
"""The bundled query ``kg entities`` lists."""


@dataclass(frozen=True)
class EntityRow:
    iri: str
    cls: str
    label: str
    mentions: int
    articles: int
    wikidata: str | None


@dataclass(frozen=True)
class Fact:
    """One thing the graph says about an entity, as data."""

    kind: str
    """``role``, ``claim``, ``event`` or a relation's property (``alliedWith``, ``partOf``…)."""
    text: str
    """The role's title (and organization), the other side's label, the claim's content, or
    the event's description."""
    article: str
    date: str | None = None
    cue: str | None = None
    """For a claim: the verb that attributes it (``said``)."""
    other: str | None = None
    """IRI of the entity on the other side (the role's organization, the event's place)."""
    detail: str | None = None
    """A role's title; an event's class."""
    side: str | None = None
    """For a relation: whether the entity is its ``subject`` or its ``object``."""


@dataclass(frozen=True)
class Mention:
    """A sentence that mentions an entity."""

    article: str
    sentence: str


@dataclass(frozen=True)
class EntityDescription:
    iri: str
    name: str
    """The entity's prefixed name (``entity:Q57792``): what ``kg show`` takes back."""
    classes: tuple[str, ...]
    labels: tuple[str, ...]
    aliases: tuple[str, ...]
    wikidata: tuple[str, ...]
    facts: tuple[Fact, ...]
    """Roles, relations, claims made, events taken part in."""
    mentions: tuple[Mention, ...]
    """The sentences that mention it."""


@dataclass(frozen=True)
class Candidate:
    """One of the entities an ambiguous name may mean."""

    iri: str
    name: str
    label: str
    cls: str
    mentions: int
    articles: int


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class AmbiguousName(QueryError):
    """Raised when a name given for one entity matches several; ``candidates`` lists them."""

    def __init__(self, name: str, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        listed = "; ".join(f"{c.name} ({c.label}, {c.cls}, {_count(c.mentions, 'mention')} in "
                           f"{_count(c.articles, 'article')})" for c in candidates)
        super().__init__(f"{name!r} names {len(candidates)} entities, pass one of them: {listed}")


def short_name(iri: str) -> str:
    """The local name of an IRI: after its ``#``, else after its last ``/``."""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def list_entities(store: KGStore, entity_class: str | None = None) -> list[EntityRow]:
    """Entities with their mention and article counts, most mentioned first: the rows of the
    bundled ``entities-by-type`` query, which reads the entity index.

    Raises:
        QueryError: an unknown class, or a store with entities but no entity index.
    """
    params = {}
    if entity_class is not None:
        if entity_class not in ENTITY_CLASSES:
            raise QueryError(f"unknown type {entity_class!r}; choose one of {', '.join(ENTITY_CLASSES)}")
        params["type"] = KG[entity_class]
    result = run_query(store, ENTITIES_QUERY, params)
    column = {name: i for i, name in enumerate(result.columns)}
    rows = []
    for row in result.rows:
        cls, entity, label, wikidata = (row[column[c]] for c in ("type", "entity", "label", "wikidata"))
        rows.append(EntityRow(
            iri=entity.value, cls=short_name(cls.value), label=label.value if label else short_name(entity.value),
            mentions=int(row[column["mentions"]].value), articles=int(row[column["articles"]].value),
            wikidata=short_name(wikidata.value) if wikidata else None,
        ))
    return rows


def find_entity(store: KGStore, name_or_iri: str) -> list[str]:
    """IRIs of the indexed entities ``name_or_iri`` names, in any form kg prints: an IRI
    (``<…>`` or bare), a prefixed name (``entity:Q57792``), a label or an alias (case- and
    punctuation-insensitive), or the end of one as whole words ("Rutte" finds "Mark Rutte")."""
    text = name_or_iri.strip()
    if text.startswith(("http://", "https://")):
        return [text]
    if text.startswith("<") or ":" in text:
        try:
            term = to_term(text, "iri", base_iri=store.settings.base_iri)
        except QueryError:
            term = None
        if isinstance(term, NamedNode):
            return [term.value]
    return [node.value for node in resolve_entity(store, text, word_suffix=True)]


def candidates(store: KGStore, iris: list[str]) -> list[Candidate]:
    """The entities ``iris`` with their label, class and counts, most mentioned first."""
    wanted = set(iris)
    rows = [r for r in list_entities(store) if r.iri in wanted]
    found = {r.iri for r in rows}
    rows += [EntityRow(iri, "", short_name(iri), 0, 0, None) for iri in iris if iri not in found]
    return [Candidate(r.iri, compact(NamedNode(r.iri), store.prefixes), r.label, r.cls, r.mentions, r.articles)
            for r in rows]


def describe_entity(store: KGStore, name_or_iri: str) -> EntityDescription:
    """Types, labels, Wikidata links, facts and mentioning sentences of one entity.

    Raises:
        QueryError: no entity has that name; :class:`AmbiguousName` (a QueryError) when several
            do, with each candidate's prefixed name, label, class and counts.
    """
    matches = find_entity(store, name_or_iri)
    if not matches:
        raise QueryError(f"no entity named {name_or_iri!r}; try 'kg entities' to list them")
    if len(matches) > 1:
        raise AmbiguousName(name_or_iri, candidates(store, matches))
    node = NamedNode(matches[0])
    classes, labels, aliases, wikidata = set(), set(), set(), set()
    for _, p, o in store.query(bundled_sparql("internal/entity-description"), {"e": node}).rows:
        pred = short_name(p.value)
        if pred == "type":
            classes.add(short_name(o.value))
        elif pred == "label":
            labels.add(o.value)
        elif pred == "altLabel":
            aliases.add(o.value)
        elif pred == "exactMatch":
            wikidata.add(o.value)
    result = store.query(bundled_sparql("internal/entity-facts"), {"e": node})
    column = {name: i for i, name in enumerate(result.columns)}

    def value(row: tuple, name: str) -> str | None:
        term = row[column[name]]
        return None if term is None else term.value

    facts = tuple(
        Fact(kind=value(row, "kind") or "", text=value(row, "text") or "", article=value(row, "id") or "",
             date=value(row, "date"), cue=value(row, "cue"), other=value(row, "other"),
             detail=value(row, "detail"), side=value(row, "side"))
        for row in result.rows
    )
    mentions = tuple(Mention(r[1].value, r[2].value)
                     for r in store.query(bundled_sparql("internal/entity-sentences"), {"e": node}).rows)
    if not classes and not mentions:
        raise QueryError(f"no entity {name_or_iri!r} in the store")
    return EntityDescription(
        iri=node.value, name=compact(node, store.prefixes), classes=tuple(sorted(classes)),
        labels=tuple(sorted(labels)), aliases=tuple(sorted(aliases - labels)), wikidata=tuple(sorted(wikidata)),
        facts=facts, mentions=mentions,
    )


def entities_result(rows: list[EntityRow]) -> QueryResult:
    """Entity rows as a query result, so they format like any query answer (a table shows
    each entity by its label, or with ``iris`` by its prefixed name)."""
    columns = ("entity", "label", "class", "mentions", "articles", "wikidata")
    return QueryResult(
        columns=columns,
        rows=tuple(
            (NamedNode(r.iri), Literal(r.label), Literal(r.cls), Literal(r.mentions), Literal(r.articles),
             Literal(r.wikidata) if r.wikidata else None)
            for r in rows
        ),
    )
