"""Linking the stored entities again: the library behind ``kg link``.

The entities of the linkable classes and the articles that mention them are read from the
entity index (``queries/internal/linkable-entities.rq``) and linked with :mod:`kg.linking`, each
with the other linked entities of its articles as context.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.derived.entity_index import require_entity_index
from kg.linking import (
    LinkContext,
    LinkOutcome,
    LinkReport,
    WikidataClient,
    link_outcome,
    link_report,
    load_gazetteer,
)
from kg.queries.browse import short_name
from kg.settings import Settings
from kg.store import KGStore, bundled_sparql
from kg.text import name_key


@dataclass(frozen=True)
class LinkExplanation:
    """Why a name links (or not) as ``kg link --explain`` shows it: for a stored entity of that
    name, with the other linked entities of its articles as context; else out of context."""

    outcome: LinkOutcome
    entity: str | None
    """The stored entity's IRI, or None when no stored entity has the name."""
    articles: int
    stored_qid: str | None
    """The link the build stored (it may differ from ``outcome`` when the gazetteer changed)."""


def _stored_contexts(store: KGStore) -> dict[str, tuple[str, str, LinkContext, int, str | None]]:
    """Every stored linkable entity: ``iri -> (label, class, context, articles, stored QID)``."""
    require_entity_index(store)
    entities: dict[str, tuple[str, str]] = {}
    articles_of: dict[str, set[str]] = {}
    qids_in: dict[str, set[str]] = {}
    states_in: dict[str, set[str]] = {}
    stored: dict[str, str] = {}
    for entity, label, cls, article, qid in store.query(bundled_sparql("internal/linkable-entities")).rows:
        entities.setdefault(entity.value, (label.value, short_name(cls.value)))
        articles_of.setdefault(entity.value, set()).add(article.value)
        if qid is not None:
            q = short_name(qid.value)
            stored[entity.value] = q
            qids_in.setdefault(article.value, set()).add(q)
            if short_name(cls.value) == "State":
                states_in.setdefault(article.value, set()).add(q)
    out = {}
    for iri in sorted(entities):
        label, cls = entities[iri]
        articles = articles_of[iri]
        context = LinkContext.of(
            entity_qids=set().union(*(qids_in.get(a, set()) for a in articles)) - {stored.get(iri)},
            country_qids=set().union(*(states_in.get(a, set()) for a in articles)) - (
                {stored.get(iri)} if cls == "State" else set()),
        )
        out[iri] = (label, cls, context, len(articles), stored.get(iri))
    return out


def explain_link(store: KGStore, settings: Settings, name: str, *, client=None) -> list[LinkExplanation]:
    """Why ``name`` links as it does: one explanation per stored entity labelled so (its class,
    its articles' other links as context), or, when the store has none, one per class of the
    gazetteer's candidates for the name, out of context. Empty when neither knows the name."""
    key = name_key(name)
    found = [
        LinkExplanation(link_outcome(label, cls, context, settings=settings, client=client), iri, articles, qid)
        for iri, (label, cls, context, articles, qid) in _stored_contexts(store).items()
        if name_key(label) == key
    ] if store.exists() else []
    if found:
        return found
    classes = dict.fromkeys(entry.cls for entry in load_gazetteer().lookup(name))
    return [LinkExplanation(link_outcome(name, cls, None, settings=settings, client=client), None, 0, None)
            for cls in classes]


def link_store_entities(store: KGStore, settings: Settings, *, client=None, progress=None) -> LinkReport:
    """Link every stored entity again (gazetteer, and Wikidata when ``settings.online``),
    with the other linked entities of its articles as context: the report of ``kg link``.

    Online, the names the gazetteer leaves unlinked are looked up in one go first
    (:meth:`kg.linking.WikidataClient.prefetch`: searches, then candidates 50 at a time, each
    answer cached), with ``progress(done, total)`` called as the requests go; the look-ups that
    failed are in ``client.failures``.
    """
    require_entity_index(store)
    entities: dict[str, tuple[str, str]] = {}
    articles_of: dict[str, set[str]] = {}
    qids_in: dict[str, set[str]] = {}
    states_in: dict[str, set[str]] = {}
    for entity, label, cls, article, qid in store.query(bundled_sparql("internal/linkable-entities")).rows:
        entities.setdefault(entity.value, (label.value, short_name(cls.value)))
        articles_of.setdefault(entity.value, set()).add(article.value)
        if qid is not None:
            q = short_name(qid.value)
            qids_in.setdefault(article.value, set()).add(q)
            if short_name(cls.value) == "State":
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
    if settings.online:
        client = client if client is not None else WikidataClient(settings)
        offline = link_report(items, settings=settings.replace(online=False))
        client.prefetch([(o.name, o.cls) for o in offline.outcomes if o.status != "linked"], progress)
    return link_report(items, settings=settings, client=client)
