"""The vocabularies kg writes: its own ontology terms and the standard ones it reuses.

Every IRI kg emits comes from here (or from :mod:`kg.iri` for minted instances), so a typo
is an ``AttributeError`` at import time rather than a silent new term in the graph.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from kg.model import ENTITY_CLASSES as _ENTITY_CLASSES
from kg.model import EVENT_KINDS as _EVENT_KINDS

ONTOLOGY_IRI = "https://w3id.org/kg-news/ontology"
KG_NS = ONTOLOGY_IRI + "#"


class Namespace:
    """A closed set of terms under one IRI prefix; unknown attributes raise AttributeError."""

    def __init__(self, prefix: str, terms: str) -> None:
        self.prefix = prefix
        self._terms = frozenset(terms.split())

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        term = name.rstrip("_")  # allow Python keywords such as ``type_``
        if term not in self._terms:
            raise AttributeError(f"{term!r} is not a term of <{self.prefix}>")
        node = NamedNode(self.prefix + term)
        object.__setattr__(self, name, node)  # made once: later lookups never reach __getattr__
        return node

    def __getitem__(self, name: str) -> NamedNode:
        return getattr(self, name)

    def __contains__(self, name: str) -> bool:
        return name in self._terms

    @property
    def terms(self) -> frozenset[str]:
        return self._terms


KG = Namespace(
    KG_NS,
    """
    Agent Actor Person State MilitaryUnit Organization Place
    Event Deployment TroopTransfer Clash Meeting Summit Agreement Sighting Election Statement Claim
    Article Role Quantity RelationAssertion
    mentionedIn contentHash articleId publisher spacyModel kgVersion
    holdsRole roleHolder roleTitle roleIn
    partOf locatedIn alliedWith fightsAgainst belongsToState
    participant agent deployedUnit sendingState receivingState destination place
    date dateText datePrecision troopCount
    value maxValue approximate vague quantityText quantityOf
    speaker source cue content modality negated about
    confidence sentence article linkConfidence mentionCount articleCount
    """,
)
"""kg's own ontology (``ontology/kg.ttl``)."""

RDF = Namespace(
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "type Statement subject predicate object",
)
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#", "label comment seeAlso")
XSD = Namespace(
    "http://www.w3.org/2001/XMLSchema#",
    "string boolean decimal integer nonNegativeInteger date gYearMonth gYear dateTime",
)
OWL = Namespace("http://www.w3.org/2002/07/owl#", "sameAs Ontology Class")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#", "altLabel prefLabel exactMatch")
PROV = Namespace(
    "http://www.w3.org/ns/prov#",
    "Entity Activity SoftwareAgent wasGeneratedBy wasAssociatedWith wasDerivedFrom "
    "generatedAtTime endedAtTime startedAtTime used wasAttributedTo",
)
DCTERMS = Namespace(
    "http://purl.org/dc/terms/", "title date identifier source created hasVersion"
)
SCHEMA = Namespace("https://schema.org/", "NewsArticle url")
NIF = Namespace(
    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "Context Phrase Sentence String OffsetBasedString RFC5147String "
    "isString anchorOf beginIndex endIndex referenceContext sentence sourceUrl",
)
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#", "taIdentRef taClassRef")
GEO = Namespace("http://www.opengis.net/ont/geosparql#", "Geometry hasGeometry asWKT wktLiteral")
WD = "http://www.wikidata.org/entity/"
"""Prefix of Wikidata items (entities are linked with ``skos:exactMatch``)."""

PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "rdf": RDF.prefix,
    "rdfs": RDFS.prefix,
    "xsd": XSD.prefix,
    "owl": OWL.prefix,
    "skos": SKOS.prefix,
    "prov": PROV.prefix,
    "dcterms": DCTERMS.prefix,
    "schema": SCHEMA.prefix,
    "nif": NIF.prefix,
    "itsrdf": ITSRDF.prefix,
    "geo": GEO.prefix,
    "wd": WD,
    "wdt": "http://www.wikidata.org/prop/direct/",
}
"""Prefixes declared in exports and available to every bundled query."""

ENTITY_CLASSES = _ENTITY_CLASSES
"""The five core entity classes (:class:`kg.model.EntityClass`); every entity has exactly one."""
EVENT_KINDS = _EVENT_KINDS
"""The event classes (:class:`kg.model.EventKind`)."""


def values_block(variable: str, names: tuple[str, ...], prefix: str = "kg") -> str:
    """A SPARQL ``VALUES`` block of kg terms, as the bundled queries write it.

    >>> values_block("class", ENTITY_CLASSES)
    'VALUES ?class { kg:Person kg:State kg:MilitaryUnit kg:Organization kg:Place }'
    """
    return f"VALUES ?{variable} {{ {' '.join(f'{prefix}:{name}' for name in names)} }}"


def wikidata_item(qid: str) -> NamedNode:
    """The Wikidata entity IRI of ``qid`` (``Q423`` -> ``wd:Q423``)."""
    return NamedNode(WD + qid)
