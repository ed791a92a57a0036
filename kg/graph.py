"""The RDF stage: an article's extraction as quads in the article's named graph.

The shape is documented in ``docs/graph.md``. Every node is minted by :class:`IRIMinter`
from what defines it, so building the same article twice yields the same quads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from kg import __version__
from kg.iri import IRIMinter
from kg.model import Claim, DateValue, Entity, Event, Extraction, Quantity, Relation, Span
from kg.vocab import (
    DCTERMS, GEO, ITSRDF, KG, NIF, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, wikidata_item,
)

RELATION_PREDICATES = {
    "part_of": KG.partOf,
    "located_in": KG.locatedIn,
    "alliance": KG.alliedWith,
    "conflict": KG.fightsAgainst,
}
_DATE_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.nonNegativeInteger)


def _decimal(value: float) -> Literal:
    return Literal(str(Decimal(str(round(value, 3)))), datatype=XSD.decimal)


def _bool(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=XSD.boolean)


def date_literal(value: DateValue) -> Literal:
    return Literal(value.iso, datatype=_DATE_TYPES[value.precision])


class GraphBuilder:
    """Turns :class:`Extraction` objects into quads; one instance per process is enough."""

    def __init__(self, base_iri: str) -> None:
        self.iris = IRIMinter(base_iri)
        self.software = self.iris.software(__version__)

    def entity_iri(self, entity: Entity) -> NamedNode:
        return self.iris.entity(entity.cls, entity.label, entity.wikidata)

    def quads(self, extraction: Extraction, generated_at: dt.datetime | None = None) -> list[Quad]:
        """All quads of one article, in its named graph, each once."""
        return list(dict.fromkeys(self._quads(extraction, generated_at or dt.datetime.now(dt.timezone.utc))))

    def _quads(self, ex: Extraction, generated_at: dt.datetime) -> Iterator[Quad]:
        art = ex.article
        iris = self.iris
        g = iris.graph(art.id)
        a = iris.article(art.id)

        def q(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> Quad:
            return Quad(s, p, o, g)

        # article, provenance, context ------------------------------------------------------------
        yield from (q(a, RDF.type, KG.Article), q(a, RDF.type, SCHEMA.NewsArticle), q(a, RDF.type, PROV.Entity))
        yield q(a, DCTERMS.identifier, Literal(art.id))
        yield q(a, KG.contentHash, Literal(art.content_hash))
        if art.title:
            yield q(a, DCTERMS.title, Literal(art.title))
        if art.date:
            yield q(a, DCTERMS.date, Literal(art.date, datatype=XSD.date))
        if art.url:
            yield q(a, SCHEMA.url, Literal(art.url, datatype=XSD.string))
        if art.source:
            yield q(a, DCTERMS.source, Literal(art.source))
        activity = iris.activity(art.id)
        yield q(a, PROV.wasGeneratedBy, activity)
        yield q(activity, RDF.type, PROV.Activity)
        yield q(activity, PROV.used, a)
        yield q(activity, PROV.wasAssociatedWith, self.software)
        yield q(activity, PROV.endedAtTime, Literal(generated_at.isoformat(timespec="seconds"), datatype=XSD.dateTime))
        yield q(activity, KG.spacyModel, Literal(ex.model))
        yield q(activity, KG.kgVersion, Literal(__version__))
        yield q(self.software, RDF.type, PROV.SoftwareAgent)
        yield q(self.software, RDFS.label, Literal(f"kg {__version__}"))

        context = iris.context(art.id, len(art.text))
        yield from (q(context, RDF.type, NIF.Context), q(context, RDF.type, NIF.OffsetBasedString))
        yield q(context, NIF.isString, Literal(art.text))
        yield q(context, NIF.beginIndex, _int(0))
        yield q(context, NIF.endIndex, _int(len(art.text)))
        yield q(context, NIF.sourceUrl, a)

        sentences: dict[Span, NamedNode] = {}

        def sentence(span: Span) -> NamedNode:
            node = sentences.get(span)
            if node is None:
                node = sentences[span] = iris.span(art.id, "sentence", span.start, span.end)
            return node

        for span in ex.sentences:
            sentence(span)

        # entities and mentions -------------------------------------------------------------------
        entity_nodes: dict[str, NamedNode] = {}
        for entity in ex.entities:
            e = entity_nodes[entity.key] = self.entity_iri(entity)
            yield q(e, RDF.type, KG[entity.cls])
            yield q(e, RDFS.label, Literal(entity.label))
            for alias in entity.aliases:
                yield q(e, SKOS.altLabel, Literal(alias))
            yield q(e, KG.mentionedIn, a)
            if entity.wikidata:
                yield q(e, SKOS.exactMatch, wikidata_item(entity.wikidata))
                if entity.link_confidence is not None:
                    yield q(e, KG.linkConfidence, _decimal(entity.link_confidence))
            if entity.latitude is not None and entity.longitude is not None:
                geometry = iris.geometry(e)
                yield q(e, GEO.hasGeometry, geometry)
                yield q(geometry, RDF.type, GEO.Geometry)
                yield q(geometry, GEO.asWKT, Literal(
                    f"POINT({entity.longitude:.4f} {entity.latitude:.4f})", datatype=GEO.wktLiteral))
        for mention in ex.mentions:
            m = iris.span(art.id, "char", mention.start, mention.end)
            yield from (q(m, RDF.type, NIF.Phrase), q(m, RDF.type, NIF.OffsetBasedString))
            yield q(m, NIF.anchorOf, Literal(mention.anchor))
            yield q(m, NIF.beginIndex, _int(mention.start))
            yield q(m, NIF.endIndex, _int(mention.end))
            yield q(m, NIF.referenceContext, context)
            yield q(m, NIF.sentence, sentence(mention.sentence))
            yield q(m, ITSRDF.taIdentRef, entity_nodes[mention.entity])

        # facts ---------------------------------------------------------------------------------
        def provenance(node: NamedNode, span: Span, confidence: float) -> Iterator[Quad]:
            yield q(node, KG.sentence, sentence(span))
            yield q(node, KG.confidence, _decimal(confidence))
            yield q(node, PROV.wasDerivedFrom, a)

        for rel in ex.relations:
            yield from self._relation(rel, art.id, entity_nodes, q, provenance)
        places = {e.key for e in ex.entities if e.cls == "Place"}
        units = {e.key for e in ex.entities if e.cls == "MilitaryUnit"}
        holders: dict[str, list[str]] = {}
        for rel in ex.relations:
            if rel.kind == "located_in":
                holders.setdefault(rel.subject, []).append(rel.object)
        event_nodes: list[NamedNode] = []
        for index, event in enumerate(ex.events):
            node = iris.fact(art.id, event.kind.lower(), event.sentence.start, index, event.agent,
                             event.place, event.trigger)
            event_nodes.append(node)
            yield from self._event(event, node, entity_nodes, places, q, provenance, holders)
        for claim in ex.claims:
            yield from self._claim(claim, art, entity_nodes, event_nodes, ex, units, q, provenance)

        for span, node in sentences.items():
            yield from (q(node, RDF.type, NIF.Sentence), q(node, RDF.type, NIF.OffsetBasedString))
            yield q(node, NIF.beginIndex, _int(span.start))
            yield q(node, NIF.endIndex, _int(span.end))
            yield q(node, NIF.anchorOf, Literal(art.text[span.start:span.end]))
            yield q(node, NIF.referenceContext, context)

    def _relation(self, rel: Relation, article_id, nodes, q, provenance) -> Iterator[Quad]:
        subject, obj = nodes.get(rel.subject), nodes.get(rel.object)
        if subject is None or obj is None:
            return
        if rel.kind == "role":
            node = self.iris.fact(article_id, "role", rel.subject, rel.object, rel.title or "", rel.sentence.start)
            yield q(node, RDF.type, KG.Role)
            yield q(subject, KG.holdsRole, node)
            yield q(node, KG.roleHolder, subject)
            yield q(node, KG.roleIn, obj)
            if rel.title:
                yield q(node, KG.roleTitle, Literal(rel.title))
            yield from provenance(node, rel.sentence, rel.confidence)
            return
        predicate = RELATION_PREDICATES[rel.kind]
        yield q(subject, predicate, obj)
        node = self.iris.fact(article_id, "assertion", rel.kind, rel.subject, rel.object, rel.sentence.start)
        yield from (q(node, RDF.type, KG.RelationAssertion), q(node, RDF.type, RDF.Statement))
        yield q(node, RDF.subject, subject)
        yield q(node, RDF.predicate, predicate)
        yield q(node, RDF.object, obj)
        yield from provenance(node, rel.sentence, rel.confidence)

    def _quantity(self, node: NamedNode, count: Quantity, of: NamedNode | None, q) -> Iterator[Quad]:
        yield q(node, RDF.type, KG.Quantity)
        if count.value is not None:
            yield q(node, KG.value, _int(count.value))
        if count.upper is not None:
            yield q(node, KG.maxValue, _int(count.upper))
        yield q(node, KG.approximate, _bool(count.approximate))
        yield q(node, KG.vague, _bool(count.vague))
        yield q(node, KG.quantityText, Literal(count.text))
        if of is not None:
            yield q(node, KG.quantityOf, of)

    def _event(self, event: Event, node: NamedNode, nodes, places, q, provenance,
               holders: dict[str, list[str]]) -> Iterator[Quad]:
        yield q(node, RDF.type, KG[event.kind])
        agent = nodes.get(event.agent) if event.agent else None
        if agent is not None:
            yield q(node, KG.agent, agent)
        place = event.place if event.place in nodes else None
        for key in event.participants:
            if key not in nodes:
                continue
            if key in places:
                place = place or key  # a place taking part is where it happened
            else:
                yield q(node, KG.participant, nodes[key])
        if place is not None:
            yield q(node, KG.place, nodes[place])
            if event.kind in _PRESENCE_EVENTS:  # troops in the Kursk region are in Russia, where the
                for holder in _containers(place, holders):  # article says the region lies
                    if holder in nodes:
                        yield q(node, KG.place, nodes[holder])
        if event.date is not None:
            yield q(node, KG.date, date_literal(event.date))
            yield q(node, KG.dateText, Literal(event.date.text))
        if event.count is not None:
            count_node = NamedNode(node.value + "-count")
            yield q(node, KG.troopCount, count_node)
            yield from self._quantity(count_node, event.count, agent, q)
        yield q(node, KG.modality, Literal(event.modality))
        if event.trigger:
            yield q(node, RDFS.label, Literal(f"{event.kind}: {event.trigger}"))
        yield from provenance(node, event.sentence, event.confidence)

    def _claim(self, claim: Claim, art, nodes, event_nodes, ex, units, q, provenance) -> Iterator[Quad]:
        node = self.iris.span(art.id, "claim", claim.content.start, claim.content.end)
        speakers = [nodes[k] for k in dict.fromkeys((claim.speaker, *claim.also)) if k in nodes]
        attributed = bool(speakers) or (claim.source is not None and claim.source in nodes)
        # an attributed statement is a claim; one nobody is said to have made is a statement only
        yield q(node, RDF.type, KG.Claim if attributed else KG.Statement)
        for speaker in speakers:
            yield q(node, KG.speaker, speaker)
            yield q(node, PROV.wasAttributedTo, speaker)
        if claim.source and claim.source in nodes:
            yield q(node, KG.source, nodes[claim.source])
        yield q(node, KG.cue, Literal(claim.cue))
        yield q(node, KG.content, Literal(art.text[claim.content.start:claim.content.end]))
        yield q(node, NIF.beginIndex, _int(claim.content.start))
        yield q(node, NIF.endIndex, _int(claim.content.end))
        if claim.date is not None:
            yield q(node, KG.date, date_literal(claim.date))
            yield q(node, KG.dateText, Literal(claim.date.text))
        yield q(node, KG.modality, Literal(claim.modality))
        yield q(node, KG.negated, _bool(claim.negated))
        for index in claim.about:
            if 0 <= index < len(event_nodes):
                yield q(node, KG.about, event_nodes[index])
        # a figure the claim states counts the forces of the events it reports, if any
        # (else the first armed forces named in the claim: "about 11,000 North Korean infantrymen")
        owners = [e.agent for i, e in enumerate(ex.events) if i in claim.about and e.agent]
        owners += [m.entity for m in ex.mentions
                   if m.entity in units and claim.content.start <= m.start < claim.content.end]
        owner = nodes.get(owners[0]) if owners else None
        reported = {
            (e.count.value, e.count.text): event_nodes[i]
            for i, e in enumerate(ex.events)
            if i in claim.about and e.count is not None and i < len(event_nodes)
        }
        for i, count in enumerate(claim.counts):
            event_node = reported.get((count.value, count.text))
            if event_node is not None:  # the figure of an event the claim reports: one quantity
                yield q(node, KG.troopCount, NamedNode(event_node.value + "-count"))
                continue
            count_node = NamedNode(f"{node.value}-count{i}")
            yield q(node, KG.troopCount, count_node)
            yield from self._quantity(count_node, count, nodes.get(count.of, owner) if count.of else owner, q)
        yield from provenance(node, claim.sentence, claim.confidence)


_PRESENCE_EVENTS = frozenset({"Deployment", "TroopTransfer"})
"""Events that put troops somewhere: they are also in every place that holds their place."""


def _containers(place: str, holders: dict[str, list[str]]) -> list[str]:
    """The places the article says ``place`` lies in, and those they lie in ("the Kursk region in
    western Russia", "western Russia" in Russia), nearest first, without ``place`` itself."""
    found: list[str] = []
    todo = list(holders.get(place, ()))
    while todo:
        holder = todo.pop(0)
        if holder != place and holder not in found:
            found.append(holder)
            todo.extend(holders.get(holder, ()))
    return found
