"""Linking entity names to Wikidata: the offline gazetteer first, Wikidata itself when online.

Disambiguation is rule-based and conservative: a link below ``settings.link_threshold`` is not
made (no link is better than a wrong one).

* The class must agree: a ``Person`` is never linked to a place. A ``State`` mention of a
  national capital (``Washington``, ``Moscow``, ``Budapest``) links to its country (metonymy).
* Cue words decide between a city and the region named after it: ``Kursk region`` /
  ``Kursk Oblast`` -> the oblast; ``Kursk city`` / ``city of Kursk`` -> the city.
* The article decides next: a candidate already linked elsewhere in the article
  (``LinkContext.entity_qids``), then one in a country the article is about.
* A national capital wins over same-named regions and towns (``Luxembourg``, ``Brussels``,
  ``Washington`` as a place).
* A bare name with no cue and no deciding context that is the *primary* name of exactly one
  candidate links to it: ``Donetsk`` is the city's name, while the oblast's primary name is
  ``Donetsk Oblast`` (bare ``Donetsk`` is only its alias), so bare ``Donetsk`` -> the city
  (confidence 0.85). A region cue (``Donetsk region``) or the oblast already linked in the
  article (``LinkContext.entity_qids``) still gives the oblast.

>>> link("Kursk region", "Place").qid
'Q3178'
>>> link("Donetsk", "Place").qid
'Q43070'
>>> link("Washington", "State").qid
'Q30'
>>> link("NATO", "Person") is None
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from kg.lexicon import section
from kg.linking.gazetteer import CITY_KINDS, DISTRICT_KIND, REGION_KINDS, Gazetteer, GazetteerEntry, load_gazetteer
from kg.linking.wikidata import WikidataClient
from kg.model import LinkContext, LinkResult
from kg.settings import Settings
from kg.text import name_key

_RULES = section("rules/linking")
REGION_CUES = _RULES.table("cues").words("region")
CITY_CUES = _RULES.table("cues").words("city")
CONFIDENCE = _RULES.table("confidence")
"""How sure each linking decision is (``data/rules/linking.toml``)."""
FAR_LARGER_RATIO = _RULES.table("decisions").number("far_larger_ratio")
ABROAD = CONFIDENCE.number("abroad_penalty")
"""Taken off a place none of whose country's names or places the article names, when it names others."""
BIG_CITY = _RULES.table("decisions").integer("big_city")
PRIMARY_NAME_CONFIDENCE = CONFIDENCE.number("primary_name")
NER_DISAGREES = CONFIDENCE.number("ner_disagrees")
"""Taken off when the NER read no mention of the entity as a label of its class."""
NER_LABELS_OF: dict[str, frozenset[str]] = {
    cls: frozenset(labels) for cls, labels in section("rules/entities").mapping("ner_labels_for_class").items()
}
"""A bare name that is the primary name of exactly one candidate (``Donetsk`` the city, not
``Donetsk Oblast``): above the default ``link_threshold`` of 0.8."""

Status = Literal["linked", "ambiguous", "unlinked"]


@dataclass(frozen=True)
class LinkOutcome:
    """One name's linking decision, with the best guess even when it stays unlinked."""

    name: str
    cls: str
    status: Status
    result: LinkResult | None = None
    """The chosen link (status ``linked``) or the best rejected guess (``ambiguous``)."""
    reasons: tuple[str, ...] = ()
    """Why, step by step: the candidates, the evidence that chose one, the confidence."""
    candidates: tuple[GazetteerEntry, ...] = ()
    """Every gazetteer entry the name could be, most prominent first."""


@dataclass(frozen=True)
class LinkReport:
    """Counts for ``kg link``: how many names were linked, left ambiguous, or unknown."""

    linked: int
    ambiguous: int
    unlinked: int
    outcomes: tuple[LinkOutcome, ...] = field(default=(), repr=False)

    @property
    def total(self) -> int:
        return self.linked + self.ambiguous + self.unlinked

    def as_dict(self) -> dict[str, int]:
        return {"linked": self.linked, "ambiguous": self.ambiguous, "unlinked": self.unlinked,
                "total": self.total}


def _result(entry: GazetteerEntry, confidence: float, cls: str) -> LinkResult:
    assert entry.qid
    return LinkResult(qid=entry.qid, label=entry.name, confidence=round(confidence, 3), cls=cls,
                      kind=entry.kind, latitude=entry.lat, longitude=entry.lon)


def _cues(name: str) -> tuple[str, bool, bool]:
    """The name without cue words, and whether it carried a region / a city cue. A capitalised
    "City" ending a name is part of the name, not a cue: "Manchester City" is a club, "Kursk
    city" the city."""
    words = name_key(name).split()
    written = name.split()
    region = bool(words) and words[-1] in REGION_CUES
    suffix = bool(written) and written[-1].islower()
    city = bool(words) and ((words[-1] in CITY_CUES and suffix) or words[:2] == ["city", "of"])
    if region or (city and words[-1] in CITY_CUES):
        words = words[:-1]
    elif city:
        words = words[2:]
    return " ".join(words), region, city


def resolve(name: str, cls: str, context: LinkContext | None = None,
            gazetteer: Gazetteer | None = None) -> LinkOutcome:
    """Decide offline which gazetteer entry ``name`` (typed ``cls``) refers to.

    Returns a :class:`LinkOutcome` whose result carries the confidence; the caller applies the
    threshold (see :func:`link`).
    """
    gaz = gazetteer or load_gazetteer()
    context = context or LinkContext()
    base, region_cue, city_cue = _cues(name)
    region_cue = region_cue or context.region_cue
    city_cue = city_cue or context.city_cue
    candidates = list(gaz.lookup(name))
    if not candidates and base and base != name_key(name):
        candidates = list(gaz.lookup(base))
    if not candidates:
        return LinkOutcome(name, cls, "unlinked", reasons=("no gazetteer entry has this name",))
    reasons = [f"{len(candidates)} candidate(s): " + "; ".join(_describe(e, gaz) for e in candidates[:8])]

    # (target entry, base confidence, reading) for every class-compatible candidate
    eligible: list[tuple[GazetteerEntry, float, GazetteerEntry]] = []
    for entry in candidates:
        exact = name_key(entry.name) == name_key(name)
        if entry.cls == cls:
            eligible.append((entry, CONFIDENCE.number("exact_name") if exact else CONFIDENCE.number("alias"), entry))
        elif cls == "State" and entry.kind == "capital" and entry.country_qid:
            country = gaz.get(entry.country_qid)
            if country is not None and country.cls == "State":
                eligible.append((country, CONFIDENCE.number("capital_for_state"), entry))
    if not eligible:
        reasons.append(f"none is a {cls} (type compatibility)")
        return LinkOutcome(name, cls, "unlinked", reasons=tuple(reasons), candidates=tuple(candidates))
    if len(eligible) < len(candidates):
        reasons.append(f"{len(eligible)} of them fit the class {cls}")

    if not region_cue and any(r.kind == DISTRICT_KIND for _, _, r in eligible):
        eligible = [e for e in eligible if e[2].kind != DISTRICT_KIND]
        reasons.append("a district named after its town is not the town ('in Gateshead'): only with a region cue")
        if not eligible:
            return LinkOutcome(name, cls, "unlinked", reasons=tuple(reasons), candidates=tuple(candidates))
    if region_cue and any(r.kind in REGION_KINDS for _, _, r in eligible):
        eligible = [e for e in eligible if e[2].kind in REGION_KINDS]
        reasons.append("a region cue ('region', 'oblast' ...) keeps the regions")
        if context.country_qids and not any(r.country_qid in context.country_qids for _, _, r in eligible):
            reasons.append("no region of this name lies in a country the article names: "
                           "a namesake abroad ('Santa Barbara county' in a story of the US)")
            return LinkOutcome(name, cls, "unlinked", reasons=tuple(reasons), candidates=tuple(candidates))
    elif region_cue and cls == "Place" and not any(r.kind in REGION_KINDS for _, _, r in eligible):
        reasons.append("a region cue ('region', 'state' ...) and no region of this name: not the city")
        return LinkOutcome(name, cls, "unlinked", reasons=tuple(reasons), candidates=tuple(candidates))
    elif city_cue and any(r.kind in CITY_KINDS for _, _, r in eligible):
        eligible = [e for e in eligible if e[2].kind in CITY_KINDS]
        reasons.append("a city cue keeps the cities")
    elif city_cue and cls == "Place" and not any(r.kind in CITY_KINDS for _, _, r in eligible):
        reasons.append("a city cue ('the city of ...') and no town of this name: not the region")
        return LinkOutcome(name, cls, "unlinked", reasons=tuple(reasons), candidates=tuple(candidates))

    # one target may be reached by several readings (Moscow city and Moscow as capital)
    targets: dict[int, tuple[GazetteerEntry, float, GazetteerEntry]] = {}
    for target, confidence, reading in eligible:
        known = targets.get(id(target))
        if known is None or confidence > known[1]:
            targets[id(target)] = (target, confidence, reading)
    options = sorted(targets.values(), key=lambda t: (-t[1], -t[2].prominence))

    chosen, confidence, why = _choose(options, context, cue=region_cue or city_cue, name=name)
    target = chosen[0]
    reasons.append(f"{why}: {target.name} ({target.qid or 'no QID'}) at {confidence:.2f}")
    if (cls == "Place" and context.settled_countries and target.country_qid
            and target.country_qid != target.qid and target.country_qid not in context.setting
            and not target.curated and chosen[2].kind != "capital"):
        confidence -= ABROAD
        reasons.append(f"a place abroad: the article, set elsewhere, names neither its country nor a place of it: -{ABROAD:.2f}")
    penalty = _unrelated_competitors(target, candidates, cls)
    if penalty:
        confidence -= penalty
        reasons.append(f"the name also names an unrelated entity of another class: -{penalty:.2f}")
    if context.ner_labels and not context.ner_labels & NER_LABELS_OF.get(cls, frozenset()):
        confidence -= NER_DISAGREES
        reasons.append(f"the NER read every mention as {'/'.join(sorted(context.ner_labels))}, "
                       f"not a {cls}: -{NER_DISAGREES:.2f}")
    if target.qid is None:
        reasons.append("the chosen entry has no Wikidata id")
        return LinkOutcome(name, cls, "ambiguous" if len(options) > 1 else "unlinked",
                           reasons=tuple(reasons), candidates=tuple(candidates))
    return LinkOutcome(name, cls, "linked", _result(target, confidence, cls), tuple(reasons), tuple(candidates))


def _describe(entry: GazetteerEntry, gaz: Gazetteer) -> str:
    """One candidate for ``kg link --explain``: id, name, kind, country, population."""
    country = gaz.get(entry.country_qid) if entry.country_qid and entry.country_qid != entry.qid else None
    where = f", {country.name}" if country is not None else ""
    population = f", population {entry.population:,}" if entry.population else ""
    return f"{entry.qid or '-'} {entry.name} ({entry.kind}{where}{population})"


def _choose(options, context: LinkContext, cue: bool, name: str = ""):
    """Pick one of several class-compatible targets; returns (option, confidence).

    Order: the article (a candidate already linked), a national capital, a big city over the
    region named after it, the one candidate in the countries the article names or names places
    of ("Newcastle" in a story set in England) when every candidate's country is known, then the
    one candidate whose primary name it is, then the article's countries.
    """
    if len(options) == 1:
        option = options[0]
        how = "capital for its state (metonymy)" if option[0] is not option[2] else (
            "one candidate, named exactly" if option[1] == CONFIDENCE.number("exact_name") else "one candidate, by an alias")
        return option, option[1], how
    if not cue and name:
        # a curated entry (actors.tsv) named exactly so beats the derived ones: "Brussels"
        curated = [o for o in options if o[0].curated and name_key(o[0].name) == name_key(name)]
        if len(curated) == 1:
            return curated[0], min(curated[0][1], CONFIDENCE.number("curated_name")), "the curated entry of that name"
    in_article = [o for o in options if o[0].qid and o[0].qid in context.entity_qids]
    if len(in_article) == 1:
        return in_article[0], CONFIDENCE.number("in_article"), "the candidate linked elsewhere in the article"
    capitals = [o for o in options if o[2].kind == "capital"]
    if len(capitals) == 1 and not _rival_city(capitals[0], options):
        return capitals[0], min(capitals[0][1], CONFIDENCE.number("only_capital")), "the only national capital"
    cities = [o for o in options if o[2].kind in CITY_KINDS]
    big = [o for o in cities if (o[2].population or 0) >= BIG_CITY]
    if len(cities) == 1 and big and all(o[2].kind in REGION_KINDS for o in options if o not in cities):
        # "New York": a city of millions over the state of that name
        return big[0], CONFIDENCE.number("big_city_over_region"), "a big city over the region named after it"
    in_country = [o for o in options if o[0].country_qid in context.setting]
    if context.setting and len(in_country) == 1 and all(o[0].country_qid for o in options):
        return (in_country[0], min(in_country[0][1], CONFIDENCE.number("in_article_country")),
                "the only candidate in a country the article names or names places of")
    if name:
        # Donetsk: the city's own name, only an alias of Donetsk Oblast; "Kashmir": the region's
        # own name, only an alias of a glacier in it, even when the article names the glacier's
        # country (with a cue, among the candidates of the cue's kind: "the region of Kashmir")
        key = name_key(name)
        primary = [o for o in options if name_key(o[2].name) == key]
        if len(primary) == 1:
            return primary[0], min(primary[0][1], PRIMARY_NAME_CONFIDENCE), "the only candidate whose own name it is"
    if context.setting and len(in_country) == 1:
        return (in_country[0], min(in_country[0][1], CONFIDENCE.number("in_article_country")),
                "the only candidate in a country the article names or names places of")
    kinds = {o[2].kind for o in options}
    cities = [o for o in options if o[2].kind in CITY_KINDS]
    if kinds & REGION_KINDS and len(cities) == 1:
        # a city and the region named after it, neither of them by its primary name
        return cities[0], CONFIDENCE.number("city_over_region"), "a city over the region named after it"
    first, second = options[0], options[1]
    if first[2].population and second[2].population and (
            first[2].population >= FAR_LARGER_RATIO * second[2].population):
        return first, CONFIDENCE.number("far_larger"), f"{FAR_LARGER_RATIO}x larger than the next candidate"
    return first, CONFIDENCE.number("guess"), "a guess: the most prominent of several"


def _rival_city(capital, options) -> bool:
    """Whether another candidate is a city at least a third as populous as the capital: "San
    Jose" in California beside the capital of Costa Rica is no choice a capital decides."""
    floor = (capital[2].population or 0) / 3
    return any(o is not capital and o[2].kind in CITY_KINDS and (o[2].population or 0) >= floor for o in options)


def _unrelated_competitors(target: GazetteerEntry, candidates, cls: str) -> float:
    """Penalty when the name also names an unrelated entity of another class.

    ``Georgia`` typed Place should not quietly become the US state while the country exists;
    ``Luxembourg`` the city is fine next to Luxembourg the country (its own country).
    """
    for other in candidates:
        if other.cls == cls or other is target:
            continue
        related = (other.qid and other.qid in (target.country_qid, target.qid)) or (
            target.qid and target.qid == other.country_qid)
        if not related and other.kind not in CITY_KINDS | REGION_KINDS:
            return CONFIDENCE.number("unrelated_competitor_penalty")
    return 0.0


def is_city_state_name(name: str, gazetteer: Gazetteer | None = None) -> bool:
    """Whether ``name`` names a country *and* a city of that same country in the gazetteer.

    For the entity layer: after a locative (``in Luxembourg``, ``in Singapore``) such a name may
    be typed ``Place`` (and :func:`link` then gives the city where the gazetteer has one).
    True when the country's own entry is also a Natural Earth populated place (city-states:
    Singapore, Monaco, Vatican City), or a city/capital *of that country* has ``name`` as its
    primary name (Luxembourg, Djibouti, San Marino). Not counted: a capital named "``name`` City"
    ("in Mexico", "in Kuwait", "in Panama" name the country far more often than Mexico City), a
    same-named city abroad (``Armenia``, Colombia; ``Georgia`` is only a US state besides the
    country) and a capital that merely carries the country's name as an alias (``Andorra`` for
    Andorra la Vella).

    >>> is_city_state_name("Luxembourg"), is_city_state_name("Singapore")
    (True, True)
    >>> is_city_state_name("Ukraine"), is_city_state_name("Armenia"), is_city_state_name("Kyiv")
    (False, False, False)
    """
    gaz = gazetteer or load_gazetteer()
    key = name_key(name)
    if not key:
        return False
    states = [e for e in gaz.lookup(key) if e.cls == "State" and e.qid]
    if not states:
        return False
    cities = [e for e in gaz.lookup(key) if e.kind in CITY_KINDS and name_key(e.name) == key]
    for state in states:
        if "populated_places" in state.source:
            return True  # the country's own item is also the city (Singapore, Vatican City)
        if any(city.country_qid == state.qid for city in cities):
            return True
    return False


def link(name: str, cls: str, context: LinkContext | None = None, *,
         settings: Settings | None = None, gazetteer: Gazetteer | None = None,
         client=None) -> LinkResult | None:
    """Link ``name`` of class ``cls`` to a Wikidata item, or return None.

    Args:
        name: the entity's label as written (``Kursk region``, ``DPRK``).
        cls: one of Person, State, MilitaryUnit, Organization, Place.
        context: other entities of the article and cue words; see :class:`LinkContext`.
        settings: ``link_threshold`` and, when ``online``, the Wikidata API settings.
        gazetteer: defaults to :func:`kg.gazetteer.load_gazetteer`.
        client: a :class:`kg.wikidata.WikidataClient` to use when online (made if needed).
    Returns:
        The link, or None when nothing reaches ``settings.link_threshold``.
    """
    outcome = link_outcome(name, cls, context, settings=settings, gazetteer=gazetteer,
                           client=client)
    return outcome.result if outcome.status == "linked" else None


def link_outcome(name: str, cls: str, context: LinkContext | None = None, *,
                 settings: Settings | None = None, gazetteer: Gazetteer | None = None,
                 client=None) -> LinkOutcome:
    """Like :func:`link`, but returns the full :class:`LinkOutcome` (linked/ambiguous/unlinked)."""
    settings = settings or Settings()
    outcome = resolve(name, cls, context, gazetteer)
    if outcome.result is not None and outcome.result.confidence < settings.link_threshold:
        outcome = LinkOutcome(name, cls, "ambiguous", outcome.result,
                              (*outcome.reasons, f"below the threshold {settings.link_threshold:.2f}: not linked"),
                              outcome.candidates)
    if outcome.status != "linked" and settings.online:
        if client is None:
            client = WikidataClient(settings)
        found = client.link(name, cls)
        if found is not None and found.confidence >= settings.link_threshold:
            outcome = LinkOutcome(name, cls, "linked", found)
    return outcome


def link_report(items: Iterable[tuple[str, str, LinkContext | None]], *,
                settings: Settings | None = None, gazetteer: Gazetteer | None = None,
                client=None) -> LinkReport:
    """Link every ``(name, cls, context)`` and count the outcomes (for ``kg link``).

    >>> link_report([("NATO", "Organization", None), ("Xyzzy", "Place", None)]).as_dict()
    {'linked': 1, 'ambiguous': 0, 'unlinked': 1, 'total': 2}
    """
    outcomes = tuple(
        link_outcome(name, cls, context, settings=settings, gazetteer=gazetteer, client=client)
        for name, cls, context in items
    )
    count = {status: sum(o.status == status for o in outcomes)
             for status in ("linked", "ambiguous", "unlinked")}
    return LinkReport(count["linked"], count["ambiguous"], count["unlinked"], outcomes)


Linker = Callable[[str, str, LinkContext], "LinkResult | None"]
"""``linker(name, cls, context)``: a link, or None when unsure (what the entity layer calls)."""


def make_linker(settings: Settings | None = None) -> Linker:
    """:func:`link` with the given settings (threshold, online mode), as a :data:`Linker`."""

    def run(name: str, cls: str, context: LinkContext) -> LinkResult | None:
        return link(name, cls, context, settings=settings)

    return run
