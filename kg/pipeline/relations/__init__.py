"""Relations, events and attributed claims read off the dependency parse, and the ``kg_facts``
component that finds them with the entities of a doc.

:func:`extract_facts` takes a parsed ``Doc`` (tagger, parser and NER have run), the entity
layer's mentions and entities, and returns :class:`Facts`: binary relations (``role``,
``part_of``, ``located_in``, ``alliance``, ``conflict``), n-ary events (``Deployment``,
``TroopTransfer``, ``Clash``, ``Meeting``, ``Summit``, ``Agreement``) and claims (who said what,
when, according to whom, how sure). One module per family of facts:

* :mod:`~kg.pipeline.relations.claims` — attributed statements, and what negated ones cover;
* :mod:`~kg.pipeline.relations.membership` — ``part_of``;
* :mod:`~kg.pipeline.relations.roles` — ``role``;
* :mod:`~kg.pipeline.relations.places` — ``located_in``;
* :mod:`~kg.pipeline.relations.deployments` — deployments and troop transfers;
* :mod:`~kg.pipeline.relations.conflict` — ``conflict`` and clashes;
* :mod:`~kg.pipeline.relations.alliance` — ``alliance`` and agreements;
* :mod:`~kg.pipeline.relations.gatherings` — meetings and summits.

Events and relations between actors come from declarative patterns (``data/rules/patterns.toml``,
:mod:`~kg.pipeline.relations.patterns`): a trigger word list and slots filled from the normalised
parse (:mod:`~kg.pipeline.relations.parse`); the family modules (deployments, conflict, alliance,
gatherings, happenings) turn the filled frames into facts. Roles, part-of, located-in and claims
read the noun phrase and the reporting cues. All share one
:class:`~kg.pipeline.relations.context.Context`: the doc's mentions, references resolved
(:mod:`~kg.pipeline.relations.coref`: pronouns, "the ministry", "the president"), modality,
negation, quotations and dates. Statements under negation (``did not send``, ``no evidence that``,
``denied``) yield a negated claim and no relation or event; a possible or hypothetical one
(``may send``, ``would be forced to``) a claim with its modality and no relation or event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from kg.entities import collect_entities
from kg.linking import make_linker
from kg.model import Entity, Mention
from kg.pipeline.dates import parse_anchor
from kg.pipeline.entity_types import doc_spans
from kg.pipeline.relations import (
    alliance,
    claims,
    conflict,
    deployments,
    gatherings,
    happenings,
    membership,
    places,
    roles,
)
from kg.pipeline.relations.context import Context, Facts
from kg.pipeline.relations.patterns import Frame, frames
from kg.settings import Settings

__all__ = ["Facts", "FactsComponent", "extract_facts"]

BUILDERS: dict[str, Callable[[Context, Frame], None]] = {
    "deployment": deployments.build_deployment,
    "sighting": deployments.build_sighting,
    "conflict": conflict.build_conflict,
    "alliance": alliance.build_alliance,
    "agreement": alliance.build_agreement,
    "gathering": gatherings.build_gathering,
    "election": happenings.build_election,
    "event": happenings.build_event,
}
"""The rule module that turns a pattern family's frames into facts."""


def extract_facts(
    doc: Doc,
    mentions: Iterable[Mention],
    entities: Mapping[str, Entity],
    *,
    anchor: date | None = None,
    offset: int = 0,
) -> Facts:
    """Find relations, events and claims in ``doc``.

    Args:
        doc: the parsed text.
        mentions: the entity layer's mentions, in offsets of the doc's text plus ``offset``
            (others are ignored).
        entities: entity key -> :class:`Entity` for every key the mentions use.
        anchor: the article's date, which relative dates are resolved against.
        offset: where the doc's text starts in the text the mentions' offsets refer to.

    Returns:
        :class:`Facts` whose spans are offsets like the mentions'; ``Claim.about`` indexes
        ``events``.
    """
    ctx = Context(doc, tuple(mentions), entities, anchor, offset)
    roles.find_roles(ctx)  # first: the titles tell who "the president" is
    membership.find_part_of(ctx)
    membership.find_said_parts(ctx)
    membership.find_formation_parts(ctx)
    places.find_located_in(ctx)
    claims.find_claims(ctx)
    claims.mark_negations(ctx)  # what a negated claim covers is asserted by no rule below
    for frame in frames(ctx):
        BUILDERS[frame.pattern.family](ctx, frame)
    conflict.allies_at_war(ctx)  # once every conflict and alliance is read
    claims.find_figures(ctx)  # last: the figures no event or claim carries
    return ctx.facts()


class FactsComponent:
    """The ``kg_facts`` component: the entities of a doc and the facts between them.

    Reads the typed entity spans that ``kg_entities`` left in ``doc.ents``, groups them into
    entities (:func:`kg.entities.collect_entities`, linked through :attr:`linker`) and finds the
    facts between them. Sets ``doc._.kg_entities`` (a tuple of :class:`Entity`),
    ``doc._.kg_mentions`` (a tuple of :class:`Mention`, doc offsets) and ``doc._.kg_facts``
    (:class:`Facts`, doc offsets). Relative dates are resolved against ``doc._.kg_date``
    (``YYYY-MM-DD``) when it is set before the pipeline runs.
    """

    def __init__(self, nlp: Language, name: str = "kg_facts", *, settings: Settings | None = None) -> None:
        self.name = name
        self.linker = make_linker(settings)

    def __call__(self, doc: Doc) -> Doc:
        entities, mentions = collect_entities(doc_spans(doc), linker=self.linker, anchor=parse_anchor(doc._.kg_date))
        doc._.kg_entities = entities
        doc._.kg_mentions = mentions
        doc._.kg_facts = extract_facts(
            doc, mentions, {e.key: e for e in entities}, anchor=parse_anchor(doc._.kg_date)
        )
        return doc


@Language.factory(
    "kg_facts",
    default_config={"link_threshold": Settings.link_threshold, "online": False,
                    "wikidata_api": Settings.wikidata_api, "cache_dir": Settings.cache_dir},
)
def make_facts(nlp: Language, name: str, link_threshold: float, online: bool, wikidata_api: str,
               cache_dir: str) -> FactsComponent:
    """The ``kg_facts`` component; the linking options are those of :class:`kg.settings.Settings`
    (offline by default). Add it after ``kg_entities``."""
    settings = Settings(link_threshold=link_threshold, online=online, wikidata_api=wikidata_api,
                        cache_dir=cache_dir)
    return FactsComponent(nlp, name, settings=settings)
