"""Linking the stored entities again: the library behind ``kg link``.

The entities of the linkable classes and the articles that mention them are read from the
entity index (``queries/internal/linkable-entities.rq``) and linked with :mod:`kg.linking`, each
with the other linked entities of its articles as context.
"""

from __future__ import annotations

from kg.derived.entity_index import require_entity_index
from kg.linking import LinkContext, LinkReport, WikidataClient, link_report
from kg.queries.browse import short_name
from kg.settings import Settings
from kg.store import KGStore, bundled_sparql


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
