"""Browsing the stored graph entity by entity: the library behind ``kg entities`` and ``kg show``.

The listing is the bundled ``entities-by-type`` query; an entity's description, facts and
sentences are read with ``queries/internal/entity-*.rq``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from kg.errors import QueryError
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
class EntityDescription:
    iri: str
    classes: tuple[str, ...]
    labels: tuple[str, ...]
    aliases: tuple[str, ...]
    wikidata: tuple[str, ...]
    facts: tuple[tuple[str, str, str], ...]
    """``(kind, description, article id)``: roles, relations, claims made, events taken part in."""
    sentences: tuple[tuple[str, str], ...]
    """``(article id, sentence)`` for each mention."""


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
    """IRIs of the indexed entities whose label or alias is ``name_or_iri`` (case- and
    punctuation-insensitive) or ends with it as whole words ("Rutte" finds "Mark Rutte"); an
    IRI is returned as it is."""
    if name_or_iri.startswith(("http://", "https://")):
        return [name_or_iri]
    return [node.value for node in resolve_entity(store, name_or_iri, word_suffix=True)]


def describe_entity(store: KGStore, name_or_iri: str) -> EntityDescription:
    """Types, labels, Wikidata links, relations and mentioning sentences of one entity."""
    matches = find_entity(store, name_or_iri)
    if not matches:
        raise QueryError(f"no entity named {name_or_iri!r}; try 'kg entities' to list them")
    if len(matches) > 1:
        raise QueryError(f"{name_or_iri!r} names several entities: {', '.join(matches)}; pass an IRI")
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
    facts = [(kind.value, text.value, article.value)
             for _, kind, text, article in store.query(bundled_sparql("internal/entity-facts"), {"e": node}).rows]
    sentences = tuple((r[1].value, r[2].value) for r in store.query(bundled_sparql("internal/entity-sentences"), {"e": node}).rows)
    if not classes and not sentences:
        raise QueryError(f"no entity {name_or_iri!r} in the store")
    return EntityDescription(
        iri=node.value, classes=tuple(sorted(classes)), labels=tuple(sorted(labels)),
        aliases=tuple(sorted(aliases - labels)), wikidata=tuple(sorted(wikidata)),
        facts=tuple(facts), sentences=sentences,
    )


def entities_result(rows: list[EntityRow]) -> QueryResult:
    """Entity rows as a query result, so they format like any query answer."""
    columns = ("label", "class", "mentions", "articles", "wikidata", "entity")
    return QueryResult(
        columns=columns,
        rows=tuple(
            (Literal(r.label), Literal(r.cls), Literal(r.mentions), Literal(r.articles),
             Literal(r.wikidata) if r.wikidata else None, NamedNode(r.iri))
            for r in rows
        ),
    )
