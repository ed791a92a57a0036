"""The small frozen dataclasses that flow between pipeline stages.

``Article`` (from :mod:`kg.sources`) goes through the NLP stage and comes out of extraction
as an ``Extraction``: typed entities, mentions with exact offsets, sentences, and the facts
(relations, events, claims) that :mod:`kg.graph` turns into quads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class EntityClass(StrEnum):
    """The five classes every entity has exactly one of (``kg:Person`` …).

    Members are strings (``EntityClass.PERSON == "Person"``), so code and data may use either.
    """

    PERSON = "Person"
    STATE = "State"
    MILITARY_UNIT = "MilitaryUnit"
    ORGANIZATION = "Organization"
    PLACE = "Place"


class RelationKind(StrEnum):
    """Binary facts between two entities (:class:`Relation`)."""

    ROLE = "role"
    PART_OF = "part_of"
    LOCATED_IN = "located_in"
    ALLIANCE = "alliance"
    CONFLICT = "conflict"


class EventKind(StrEnum):
    """The classes of n-ary events (:class:`Event`): ``kg:Event`` itself (an event of no more
    specific kind) and its subclasses."""

    DEPLOYMENT = "Deployment"
    TROOP_TRANSFER = "TroopTransfer"
    CLASH = "Clash"
    MEETING = "Meeting"
    SUMMIT = "Summit"
    AGREEMENT = "Agreement"
    SIGHTING = "Sighting"
    ELECTION = "Election"
    OTHER = "Event"


ENTITY_CLASSES: tuple[str, ...] = tuple(c.value for c in EntityClass)
"""The entity class names in their canonical order (Person, State, MilitaryUnit, Organization, Place)."""
EVENT_KINDS: tuple[str, ...] = tuple(k.value for k in EventKind)
"""The event class names in their canonical order."""

Precision = Literal["day", "month", "year"]
Modality = Literal["asserted", "possible", "expected", "hypothetical"]


@dataclass(frozen=True)
class Article:
    """One news article as read from a source, before any NLP."""

    id: str
    text: str
    content_hash: str
    date: str | None = None
    """ISO date (``YYYY-MM-DD``) of publication, when known."""
    title: str | None = None
    url: str | None = None
    source: str | None = None
    """Publisher or outlet, when given."""
    path: str | None = None
    """Where it was read from (file path, ``path:line`` for JSONL, ``-`` for stdin)."""
    body_start: int = 0
    """Offset where the prose starts (after a leading date marker, if any)."""
    warnings: tuple[str, ...] = ()
    """Problems found while reading that did not stop the article being built."""


@dataclass(frozen=True)
class SourceFailure:
    """An input that could not be read as an article, with a one-line reason."""

    path: str
    reason: str
    article_id: str | None = None
    """The article's id, when the input was read far enough to have one (a refused id)."""
    repeat_of: str | None = None
    """Where the same article (same id, same text) was read before in this run: the input is
    read once, nothing is lost, and it is not counted as a failure."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


RULER_SOURCE = "kg_entity_ruler"
"""The label of a :class:`SpanRecord` (and the ``kb_id`` of a spaCy span) that kg's entity ruler
added where the statistical NER found nothing: no NER label stands behind it."""

TEAM = "@team"
"""The canonical name of a :class:`SpanRecord` that names a country's sports team by the
country's name ("lost to Tunisia"): typed as the state, never linked to it."""

STAND_IN = "@stand-in"
"""The canonical name of a :class:`SpanRecord` that names a continent standing for the people or
institutions that act for it ("Europe says", "pressed by Europe"): which ones, kg cannot tell, so
the place keeps its class and is never linked."""

ARMED_GROUP = "@armed:"
"""The prefix of the canonical name of a :class:`SpanRecord` that names an armed group outside a
state's forces ("pro-Russian separatists"), followed by the lemma of its noun: a unit of no state,
one per noun in an article ("the separatists" joins "pro-Russian separatists")."""

ANAPHOR = "@anaphor"
"""The canonical name of a :class:`SpanRecord` that is a definite description ("the agency"),
to be resolved to the organization named before it."""


@dataclass(frozen=True)
class SpanRecord:
    """A typed entity span found in a text, before spans are grouped into entities."""

    start: int
    end: int
    anchor: str
    cls: str
    canonical: str
    """The name a rule or the gazetteer gave it (``North Korea``, a QID), or empty; for a
    definite description, :data:`ANAPHOR`."""
    sentence: Span
    label: str
    """The NER/ruler label that produced it (for diagnostics)."""
    region_cue: bool = False
    """The words after it make it a region: the title of a region's office or "state" ("New York
    attorney general", "Kaduna state"), not a city's."""
    city_cue: bool = False
    """The words before it make it a town: "the city of X", "the towns of X, Y and Z"."""


@dataclass(frozen=True)
class Entity:
    """A real-world entity referred to in an article, after typing, aliasing and linking."""

    key: str
    """Deterministic identity key: ``Q…`` when linked, else ``Class/slug``."""
    cls: EntityClass | str
    label: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    link_confidence: float | None = None
    latitude: float | None = None
    longitude: float | None = None
    state: str | None = None
    """Key of the state a military unit or state body belongs to."""


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity: ``text[start:end] == anchor``."""

    start: int
    end: int
    anchor: str
    entity: str
    """Key of the :class:`Entity`."""
    sentence: Span
    label: str = ""
    """The NER/ruler label that produced it (for diagnostics)."""


@dataclass(frozen=True)
class DateValue:
    """A date as precise as the text allows, with the words it came from."""

    iso: str
    precision: Precision
    text: str


@dataclass(frozen=True)
class Quantity:
    """A number of people/troops: exact, approximate or vague (``several thousand``)."""

    text: str
    value: int | None = None
    """The number, or the lower end of a range."""
    approximate: bool = False
    vague: bool = False
    upper: int | None = None
    """The upper end of a range ("10,000 to 12,000"), else None."""
    of: str | None = None
    """Key of the armed forces it counts, where the phrase says whose they are ("3,000 North Korean
    soldiers", "the soldiers" named before); else the graph gives it the claim's forces."""


@dataclass(frozen=True)
class Relation:
    """A binary fact between two entities: role, part_of, located_in, alliance, conflict."""

    kind: RelationKind | str
    subject: str
    object: str
    sentence: Span
    confidence: float
    title: str | None = None
    """For ``role``: the title held (``Secretary General``)."""


@dataclass(frozen=True)
class Event:
    """An n-ary happening: deployment, troop transfer, clash, meeting/summit, agreement."""

    kind: EventKind | str
    sentence: Span
    confidence: float
    participants: tuple[str, ...] = ()
    agent: str | None = None
    """Entity key of the unit or state that acts (the deployed unit, the sender)."""
    place: str | None = None
    date: DateValue | None = None
    count: Quantity | None = None
    modality: Modality = "asserted"
    trigger: str = ""
    """The word that signalled the event (``deployed``, ``summit``…)."""


@dataclass(frozen=True)
class Claim:
    """An attributed statement: who said what, when, according to whom."""

    content: Span
    sentence: Span
    cue: str
    confidence: float
    speaker: str | None = None
    source: str | None = None
    date: DateValue | None = None
    modality: Modality = "asserted"
    negated: bool = False
    about: tuple[int, ...] = ()
    """Indexes into ``Extraction.events`` of the events the claim reports."""
    counts: tuple[Quantity, ...] = ()
    """Troop figures the claim states."""
    also: tuple[str, ...] = ()
    """Further speakers saying it together with ``speaker`` ("France and Germany said")."""


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    sentences: tuple[Span, ...]
    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    model: str = ""
    """``name version`` of the spaCy pipeline that produced it."""
    warnings: tuple[str, ...] = field(default=())


# --- linking ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LinkContext:
    """What the rest of the article says, to choose between candidates."""

    entity_qids: frozenset[str] = frozenset()
    """QIDs of entities already linked in the same article."""
    country_qids: frozenset[str] = frozenset()
    """QIDs of the states the article mentions."""
    region_cue: bool = False
    """The mention looked like a region (``the Kursk region``) even if ``name`` is bare."""
    city_cue: bool = False
    """The mention looked like a city (``the city of Kursk``)."""
    ner_labels: frozenset[str] = frozenset()
    """The NER's labels of the entity's mentions (empty: unknown), for type compatibility."""
    place_countries: frozenset[str] = frozenset()
    """QIDs of the countries of the places the article names that only one country has a
    place of that name in ("London" -> the United Kingdom): where the story is set."""
    settled_countries: frozenset[str] = frozenset()
    """The countries the article is surely set in: two or more such places name one, or the
    article names the state twice or more (once may be a player's nationality)."""

    @classmethod
    def of(cls, entity_qids: Iterable[str] = (), country_qids: Iterable[str] = (),
           ner_labels: Iterable[str] = (), place_countries: Iterable[str] = (),
           settled_countries: Iterable[str] = (), **cues: bool) -> "LinkContext":
        return cls(frozenset(entity_qids), frozenset(country_qids), ner_labels=frozenset(ner_labels),
                   place_countries=frozenset(place_countries), settled_countries=frozenset(settled_countries), **cues)

    @property
    def setting(self) -> frozenset[str]:
        """The countries the article names or names places of."""
        return self.country_qids | self.place_countries


@dataclass(frozen=True)
class LinkResult:
    """A link of one name to one Wikidata item."""

    qid: str
    label: str
    confidence: float
    cls: str
    kind: str = ""
    latitude: float | None = None
    longitude: float | None = None
    source: str = "gazetteer"
    """``gazetteer`` or ``wikidata``."""
