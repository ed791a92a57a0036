"""Browsing the stored graph entity by entity: the library behind ``kg entities``, ``kg show``
and ``kg link``.

The listing is the bundled ``entities-by-type`` query; an entity's description, facts and
sentences and the linkable entities are read with ``queries/internal/entity-*.rq`` and
``linkable-entities.rq``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from kg.derived.entity_index import require_entity_index
from kg.errors import QueryError
from kg.linking import LinkContext, LinkReport, link_report
from kg.queries.run import resolve_entity, run_query
from kg.settings import Settings
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


def _short(iri: str) -> str:
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
            iri=entity.value, cls=_short(cls.value), label=label.value if label else _short(entity.value),
            mentions=int(row[column["mentions"]].value), articles=int(row[column["articles"]].value),
            wikidata=_short(wikidata.value) if wikidata else None,
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
        pred = _short(p.value)
        if pred == "type":
            classes.add(_short(o.value))
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


def link_store_entities(store: KGStore, settings: Settings, *, client=None) -> LinkReport:
    """Link every stored entity again (gazetteer, and Wikidata when ``settings.online``),
    with the other linked entities of its articles as context: the report of ``kg link``."""
    require_entity_index(store)
    entities: dict[str, tuple[str, str]] = {}
    articles_of: dict[str, set[str]] = {}
    qids_in: dict[str, set[str]] = {}
    states_in: dict[str, set[str]] = {}
    for entity, label, cls, article, qid in store.query(bundled_sparql("internal/linkable-entities")).rows:
        entities.setdefault(entity.value, (label.value, _short(cls.value)))
        articles_of.setdefault(entity.value, set()).add(article.value)
        if qid is not None:
            q = _short(qid.value)
            qids_in.setdefault(article.value, set()).add(q)
            if _short(cls.value) == "State":
                states_in.setdefault(article.value, set()).add(q)
    items = []
    for iri in sorted(entities):
        label, cls = entities[iri]
        articles = articles_of[iri]
        context = LinkContext.of(
            entity_qids=set().union(*(qids_in.get(a, set()) for a in articles)),
            country_qids=set().union(*(states_in.get(a, set()) for a in articles)),
        )
        items.append((label, cls, context))
    return link_report(items, settings=settings, client=client)
