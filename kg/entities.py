"""The entity layer, article by article: typed spans grouped into entities and mentions.

:func:`collect_entities` groups an article's entity spans (:class:`kg.model.SpanRecord`, found by
the ``kg_entities`` component) into entities: gazetteer names, surnames and spelling variants of
one person ("Zelensky" = "Volodymyr Zelenskyy"), one armed-forces entity per state ("North
Korean soldiers" = "Kim's troops") linked to its state, definite descriptions ("the agency") to
the organization named just before, and Wikidata links where the linker is sure.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from kg import lexicon
from kg.linking import LinkContext, Linker, LinkResult, load_gazetteer, make_linker
from kg.linking.gazetteer import CITY_KINDS, REGION_KINDS, held_offices, load_offices
from kg.model import ANAPHOR, ARMED_GROUP, ENTITY_CLASSES, RULER_SOURCE, STAND_IN, TEAM, Entity, Mention, SpanRecord
from kg.model import Span as TextSpan
from kg.text import slug

__all__ = ["collect_entities"]

_QID = re.compile(r"Q[1-9][0-9]*")
_NAMES = lexicon.section("rules/entities").table("names")
_SURNAME_PREFIX = _NAMES.integer("surname_prefix")
_SURNAME_SIMILARITY = _NAMES.number("surname_similarity")
_REGION_WORDS = lexicon.section("lexicon/names").sequence("region_words")


def _head_word(name: str) -> str:
    """The word a name is a kind of: its last before an "of" phrase ("Main Directorate of
    Intelligence of Ukraine" is a directorate), else its last."""
    words = name.lower().split()
    return words[words.index("of") - 1] if "of" in words[1:] else (words[-1] if words else "")


def _last_word(name: str) -> str:
    words = name.lower().split()
    return words[-1] if words else ""


@dataclass
class _Cluster:
    cls: str
    canonical: str
    anchors: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, str, TextSpan, str]] = field(default_factory=list)
    state: str | None = None
    marked_region: bool = False
    """A mention of it is followed by a region's office ("New York attorney general")."""
    marked_city: bool = False
    """A mention of it follows "the city of", "the towns of" (and it is named as no region)."""
    team: bool = False
    """A country's name used for its sports team, or a continent for those acting for it: never
    linked to the place."""

    @property
    def region_cue(self) -> bool:
        """Whether it was ever named as a region ("Kursk region", "Donetsk Oblast", "New York
        attorney general")."""
        return self.marked_region or any(w in a.lower() for a in self.anchors for w in _REGION_WORDS)

    @property
    def label(self) -> str:
        if self.canonical:
            return self.canonical
        if self.cls == "Person":  # the fullest name, without an honorific or rank before it:
            # "Mr Blair" alone is "Blair", the same person as a bare "Blair" in another article
            names = [" ".join(_name_words(a)) for a in self.anchors]
            return max(names, key=lambda a: (len(a.split()), len(a)))
        # ties go to the form named first: never to set order, which varies with the hash seed
        return max(dict.fromkeys(self.anchors), key=lambda a: (self.anchors.count(a), len(a)))



def _name_words(name: str) -> list[str]:
    """The words of a person's name without the honorifics, ranks and titles before it:
    "Mr Blair", "Gen. Pinochet" -> ["Blair"], ["Pinochet"]; "John Major" stays whole."""
    words = name.split()
    start = 0
    while start < len(words) - 1 and (
        words[start].lower().rstrip(".") in lexicon.HONORIFICS or words[start].lower() in lexicon.TITLE_WORDS
    ):
        start += 1
    return words[start:]


def _surname_match(short: str, full: str) -> bool:
    """"Zelensky" ~ "Volodymyr Zelenskyy"; "Umierov" ~ "Rustem Umerov"; and a family name
    written first, as in Korean names: "Kim" ~ "Kim Jong Un", "Kim Yong-hyun"."""
    words = full.split()
    last = words[-1].lower()
    short = short.lower()
    if short == last:
        return True
    family_first = len(words) >= 3 or (len(words) == 2 and "-" in words[1])
    if family_first and short == words[0].lower():
        return True
    return (short[:_SURNAME_PREFIX] == last[:_SURNAME_PREFIX]
            and difflib.SequenceMatcher(None, short, last).ratio() >= _SURNAME_SIMILARITY)


def _initials(name: str) -> str:
    """The initials of a name's capitalised words, past the small words an acronym leaves out
    ("Institute for the Study of War" -> "ISW")."""
    words = [w for w in name.replace("-", " ").split() if w.lower() not in lexicon.ACRONYM_SKIP_WORDS]
    return "".join(w[0] for w in words if w[:1].isupper())


def _join_acronyms(order: list["_Cluster"], clusters: dict, cluster_at: dict[int, "_Cluster"]) -> None:
    """An acronym and the name it is the initials of, or that it follows in brackets, are one
    organisation or unit ("the Korean Central News Agency (KCNA)", "KCNA said"; "Special
    Operations Forces (SSO)", then "the SSO"): the acronym's mentions join the name's entity (the
    name's reading wins when only one of them has one; two different readings stay apart)."""
    bodies = [c for c in order if c.cls in ("Organization", "MilitaryUnit") and len(c.label.split()) > 1]
    names: dict[str, list[_Cluster]] = {}
    for c in bodies:
        names.setdefault(_initials(c.label), []).append(c)
    acronyms = [c for c in order if c.cls in ("Organization", "MilitaryUnit")
                and 2 <= len(c.label) <= 6 and c.label.isalpha() and c.label.isupper()]
    learned: dict[str, _Cluster] = {}
    for short in acronyms:  # in brackets right after a name: its own, whatever language it is of
        bracketed = [c for c in bodies if any(0 < a[0] - b[1] <= 2 for a in short.spans for b in c.spans)]
        if len(bracketed) == 1:
            learned[short.label] = bracketed[0]
    for short in acronyms:
        long = learned.get(short.label)
        if long is None:
            found = [c for c in names.get(short.label, []) if c.cls == short.cls]
            long = found[0] if len(found) == 1 else None
        if long is None or long is short or short not in order or long not in order:
            continue
        read = [c for c in (short, long) if c.canonical and c.canonical not in c.anchors]  # more than its own name
        if len(read) == 2 and short.canonical != long.canonical:
            continue
        keep, gone = (short, long) if read == [short] else (long, short)
        keep.anchors.extend(gone.anchors)
        keep.spans.extend(gone.spans)
        keep.state = keep.state or gone.state
        for start, *_ in gone.spans:
            cluster_at[start] = keep
        order.remove(gone)
        for key, value in list(clusters.items()):
            if value is gone:
                clusters[key] = keep
        if learned.get(short.label) is gone:
            learned[short.label] = keep


def _state_in_name(name: str) -> str | None:
    """The state an organization's name starts with ("Russian Defence Ministry" -> Russia), or
    that a state body's name ends "of" ("the Defence Intelligence of Norway", "Main Directorate of
    Intelligence of Ukraine"; not "Bank of America": a bank is no body of a state)."""
    words = name.split()
    for size in (2, 1):
        opening = " ".join(words[:size])
        state = lexicon.DEMONYMS.get(opening) if len(words) > size and opening not in lexicon.AMBIGUOUS_DEMONYMS else None
        if state:
            return state  # not "Korean Central News Agency": "Korean" is of either Korea
    if "of" in words[1:-1] and any(w.lower() in _STATE_BODY_WORDS for w in words):
        tail = words[len(words) - words[::-1].index("of"):]
        tail = tail[1:] if tail[:1] in (["the"], ["The"]) else tail
        return lexicon.STATE_NAMES.get(" ".join(tail))
    return None


_STATE_BODY_WORDS = lexicon.section("rules/entities").table("bodies_of_states").words("name_words")
"""Words that make a name a state body's: its state may close the name ("… of Norway")."""


SETTING_MIN_POPULATION = lexicon.section("rules/linking").table("decisions").integer("setting_min_population")


def _setting(order: list[_Cluster], gazetteer) -> dict[str, set[int]]:
    """The countries the article's places set it in, each with the places that say so: a place
    whose every reading lies in one country (or that is one national capital: "London", not the
    Canadian town) and is a capital, a region or a town of ``setting_min_population``
    ("Manchester": the United Kingdom; "Birmingham", in two countries, says nothing)."""
    found: dict[str, set[int]] = {}
    for c in order:
        if c.cls != "Place" or c.team:
            continue
        entries = [e for e in gazetteer.lookup(c.label) if e.cls == "Place" and e.country_qid]
        capitals = [e for e in entries if e.kind == "capital"]
        if len(capitals) == 1:
            entries = capitals  # "London": the capital, not the Canadian town
        countries = {e.country_qid for e in entries}
        if len(countries) == 1 and any(e.kind == "capital" or e.kind in REGION_KINDS
                                       or (e.population or 0) >= SETTING_MIN_POPULATION for e in entries):
            found.setdefault(countries.pop(), set()).add(id(c))
    return found


def _ner_labels(cluster: "_Cluster") -> set[str]:
    """The statistical NER's labels of a cluster's mentions (not the ruler's mark, nor a kg
    class name: spans the NER never saw)."""
    return {label for *_, label in cluster.spans
            if label and label not in ENTITY_CLASSES and label != RULER_SOURCE}


def _surnames_as_people(records: list[SpanRecord]) -> list[SpanRecord]:
    """A bare capitalised word is a person when it is the surname of a person the article names
    in full ("Jack Straw" ... "Straw told MPs"; "Lloyd Austin" ... "Austin said") and either
    the NER took it for an organisation or a place that no gazetteer names, or only the
    gazetteer found it, as a town (the NER saw no name there at all)."""
    surnames = {_name_words(r.anchor)[-1] for r in records
                if r.cls == "Person" and len(_name_words(r.anchor)) > 1}
    gazetteer = load_gazetteer()

    def town_of_the_ruler(r: SpanRecord) -> bool:
        if r.label != RULER_SOURCE or r.cls != "Place":
            return False
        return all(e.kind in CITY_KINDS | REGION_KINDS for e in gazetteer.lookup(r.anchor))

    return [
        SpanRecord(r.start, r.end, r.anchor, "Person", "", r.sentence, r.label)
        if r.cls in ("Organization", "Place") and " " not in r.anchor and r.anchor in surnames
        and (not r.canonical or town_of_the_ruler(r)) else r
        for r in records
    ]


def collect_entities(
    records: Iterable[SpanRecord],
    *,
    linker: Linker | None = None,
    anchor: date | None = None,
) -> tuple[tuple[Entity, ...], tuple[Mention, ...]]:
    """Group an article's entity spans into entities and one mention per span.

    ``linker(name, cls, context)`` returns a :class:`kg.linking.LinkResult` or ``None`` when
    unsure (default: the offline gazetteer linker). States are linked first and serve as
    context for places and people. The state a person the text names held an office of on the
    article's date ``anchor`` (the office table, ``data/gazetteer/offices.tsv``; any day when
    ``anchor`` is None and all their offices are of one state) exists as an entity even when the
    text does not name it.
    """
    linker = linker if linker is not None else make_linker()
    records = sorted(records, key=lambda r: (r.start, r.end))
    clusters: dict[tuple[str, str], _Cluster] = {}
    order: list[_Cluster] = []

    def cluster_for(cls: str, key: str, canonical: str) -> _Cluster:
        found = clusters.get((cls, key))
        if found is None:
            found = clusters[(cls, key)] = _Cluster(cls, canonical)
            order.append(found)
        return found

    gazetteer = load_gazetteer()

    def canonical_name(cls: str, ref: str, anchor: str, region: bool = False, city: bool = False) -> str:
        """A ruler/lexicon reference (QID, ``Class/slug`` key or a name) as a canonical name; a
        name marked as a region's ("New York attorney general") never takes a city's name, nor
        one marked as a town's ("the city of X") a region's."""
        def fits(entry) -> bool:
            return not (region and entry.kind in CITY_KINDS) and not (city and entry.kind in REGION_KINDS)
        if _QID.fullmatch(ref):
            entry = gazetteer.get(ref)
            return entry.name if entry and fits(entry) else ""
        same_class = [e for e in gazetteer.lookup(anchor if (not ref or "/" in ref) else ref) if e.cls == cls]
        if len(same_class) == 1:
            return same_class[0].name if fits(same_class[0]) else ""
        return "" if (not ref or "/" in ref) else ref

    records = [
        SpanRecord(r.start, r.end, r.anchor, r.cls,
                   r.canonical if r.cls == "MilitaryUnit" or r.canonical in (ANAPHOR, TEAM)
                   else canonical_name(r.cls, r.canonical, r.anchor, r.region_cue, r.city_cue),
                   r.sentence, r.label, r.region_cue, r.city_cue)
        for r in records
    ]
    anaphors = [r for r in records if r.canonical == ANAPHOR]
    records = _surnames_as_people([r for r in records if r.canonical != ANAPHOR])
    # full person names first, so surnames can attach to them wherever they occur
    people = [r for r in records if r.cls == "Person" and not r.canonical]
    full_names = [r.anchor for r in people if len(_name_words(r.anchor)) > 1]
    full_at = [(r.start, r.canonical or r.anchor, r.canonical, r.sentence) for r in records
               if r.cls == "Person" and len(_name_words(r.canonical or r.anchor)) > 1]

    cluster_at: dict[int, _Cluster] = {}

    def first_form(name: str) -> str:
        """The first full name of the text that ``name`` is a spelling variant of (same first
        word, matching surname), else ``name``: one key for "Volodymyr Zelensky/Zelenskyy"
        and for "George Bush" / "George W. Bush"."""
        words = name.split()
        if len(words) < 2:
            return name
        return next((f for f in full_names if f.split()[0] == words[0] and _surname_match(words[-1], f)), name)

    def longest_form(name: str, position: int) -> str:
        """The longest full name ``name`` is the end of ("Lula da Silva" -> "Luiz Inacio Lula
        da Silva"), followed through shorter forms, nearest before ``position`` first."""
        for _ in range(4):
            longer = [m for m in full_at if m[1].endswith(" " + name) and len(m[1]) > len(name)]
            if not longer:
                break
            name = nearest(position, longer, name)[0]
        return name

    def nearest(position: int, matches: list, default: str) -> tuple[str, str]:
        """``(full name, canonical name or "")`` of the match mentioned last before
        ``position``, else of the first one after it; ``(default, "")`` without a match."""
        before = [m for m in matches if m[0] < position]
        chosen = before[-1] if before else (matches[0] if matches else None)
        return (chosen[1], chosen[2]) if chosen else (default, "")

    def full_name_for(short: str, position: int, sentence: TextSpan) -> tuple[str, str]:
        """The full name a bare name stands for: of the people the text names in full with that
        surname, the one named last before it (see :func:`nearest`). Relatives stay apart: each
        full name is its own person, and only the bare name joins one of them."""
        return nearest(position, [m for m in full_at if _surname_match(short, m[1])], short)

    for r in records:
        if r.canonical.startswith(ARMED_GROUP):  # "pro-Russian separatists", then "the separatists"
            c = cluster_for("MilitaryUnit", slug(r.canonical), "")
            c.state = "unknown"  # a unit of no state, whatever demonym qualifies it
        elif r.cls == "MilitaryUnit" and not r.canonical:  # a formation by name: "the Parachute Regiment"
            c = cluster_for("MilitaryUnit", slug(r.anchor), "")
            c.state = c.state or _state_in_name(r.anchor)
        elif r.cls == "MilitaryUnit":
            state = r.canonical
            demonym = lexicon.CANONICAL_DEMONYM.get(state, state)
            c = cluster_for("MilitaryUnit", slug(state), lexicon.UNIT_LABEL.format(demonym=demonym))
            c.state = state
        elif r.canonical == TEAM:  # "lost to Tunisia": the team, named as its country
            c = cluster_for(r.cls, f"team-{slug(r.anchor)}", "")
            c.team = True
        elif r.canonical == STAND_IN:  # "Europe says": whoever acts for it, not the continent
            c = cluster_for(r.cls, f"{slug(r.anchor)}-as-actor", "")
            c.team = True
        elif r.canonical:
            c = cluster_for(r.cls, slug(r.canonical), r.canonical)
        elif r.cls == "Person":
            # "Mr Blair" is a bare surname; "Tony Blair" and "Cherie Blair" are two people
            words = _name_words(r.anchor)
            name = " ".join(words)
            if len(words) == 1:
                head, known = full_name_for(name, r.start, r.sentence)
            else:  # "da Silva" and "Baez Silva" are the end of "Luiz Inacio Lula da Silva"...
                head, known = nearest(r.start, [m for m in full_at if m[1].endswith(" " + name)], name)
                if not known:
                    head = longest_form(head, r.start)
            # a known person joins that person; others group by their full name, its spelling
            # variants together ("Volodymyr Zelensky" joins "Volodymyr Zelenskyy")
            c = cluster_for("Person", slug(known), known) if known else cluster_for("Person", slug(first_form(head)), "")
        else:
            c = cluster_for(r.cls, slug(r.anchor), "")
        c.anchors.append(r.anchor)
        c.marked_region = c.marked_region or r.region_cue
        c.marked_city = c.marked_city or r.city_cue
        c.spans.append((r.start, r.end, r.anchor, r.sentence, r.label))
        cluster_at[r.start] = c

    _join_acronyms(order, clusters, cluster_at)

    # "the agency": the organization named last before it, if close enough
    organizations = [(r.start, r) for r in records if r.cls == "Organization"]
    for anaphor in anaphors:
        kinds = lexicon.ANAPHOR_KINDS.get(anaphor.anchor.lower())
        before = [r for start, r in organizations if start < anaphor.start
                  and anaphor.start - start <= lexicon.ANAPHOR_REACH
                  and (kinds is None or {_head_word(r.canonical or r.anchor), _last_word(r.anchor)} & set(kinds))]
        if not before:
            continue
        antecedent = cluster_at[before[-1].start]
        antecedent.spans.append((anaphor.start, anaphor.end, anaphor.anchor, anaphor.sentence, anaphor.label))

    # states of military units (and of bodies named after them: "Russian Defence Ministry")
    # exist as entities even when not named themselves; a body English binds to one state
    # ("the RAF") is that state's where the text names it
    for c in list(order):
        if c.cls == "Organization" and not c.state:
            c.state = _state_in_name(c.label)
        if c.cls in ("Organization", "MilitaryUnit") and not c.state:  # "the RAF" in a story naming the UK
            body_state = next((lexicon.BODIES[a] for a in (c.label, *c.anchors) if a in lexicon.BODIES), None)
            if body_state is not None and ("State", slug(body_state)) in clusters:
                c.state = body_state
        if c.cls in ("MilitaryUnit", "Organization") and c.state and c.state != "unknown":
            cluster_for("State", slug(c.state), c.state)
    # the state a person the text names held an office of on the article's date (any day, when
    # the date is not known and all the person's offices are of one state): "Defence Secretary
    # Geoff Hoon" in a story that never names Britain
    for c in [c for c in order if c.cls == "Person"]:
        full_names = {n for n in (c.label, *c.anchors) if len(_name_words(n)) > 1}
        states = {e.name for o in held_offices(load_offices(), full_names, anchor)
                  for e in gazetteer.lookup(o.holds_in) if e.cls == "State"}
        if len(states) == 1:
            state = states.pop()
            cluster_for("State", slug(state), state)

    # states first: the places and people linked next use them as context
    links: dict[int, LinkResult | None] = {}
    country_qids: set[str] = set()
    setting = _setting(order, gazetteer)
    state_mentions: dict[str, int] = {}  # a state named twice or more sets the story there too
    for c in sorted(order, key=lambda c: (c.cls != "State", not c.region_cue)):
        if c.cls == "MilitaryUnit" or c.team:
            continue
        context = LinkContext.of(
            entity_qids=(link.qid for link in links.values() if link is not None),
            country_qids=country_qids,
            ner_labels=_ner_labels(c),
            region_cue=c.region_cue,
            city_cue=c.marked_city and not c.region_cue,
            place_countries=(country for country, named_by in setting.items() if named_by - {id(c)}),
            settled_countries=[*(country for country, named_by in setting.items() if len(named_by - {id(c)}) >= 2),
                               *(qid for qid, times in state_mentions.items() if times >= 2)],
        )
        link = linker(c.label, c.cls, context)
        if link is None and c.cls == "Person":
            # other forms of the name ("George Bush" for "George W Bush"), never a bare surname
            # when the full name is known: it could name a relative ("Blair", "Cherie Blair")
            full = len(_name_words(c.label)) > 1
            for anchor in sorted(set(c.anchors), key=len, reverse=True):
                if full and len(_name_words(anchor)) < 2:
                    continue
                link = linker(anchor, c.cls, context)
                if link is not None:
                    break
        links[id(c)] = link
        if link is not None and c.cls == "State":
            country_qids.add(link.qid)
            state_mentions[link.qid] = state_mentions.get(link.qid, 0) + len(c.spans)

    resolved: dict[int, Entity] = {}
    by_key: dict[str, Entity] = {}
    for c in sorted(order, key=lambda c: c.state is not None):  # states before their units
        label = c.label
        link = links.get(id(c))
        qid = link.qid if link is not None else None
        if link is not None and link.label:
            label = link.label
        key = qid or f"{c.cls}/{slug(label)}"
        aliases = set(c.anchors)
        previous = by_key.get(key)
        if previous is not None:
            aliases |= set(previous.aliases) | {previous.label}
        state_key = None
        if c.state and c.state != "unknown":
            state_cluster = clusters[("State", slug(c.state))]
            state_entity = resolved.get(id(state_cluster))
            state_key = state_entity.key if state_entity else None
        entity = Entity(
            key=key,
            cls=c.cls,  # type: ignore[arg-type]
            label=label,
            aliases=tuple(sorted(a for a in aliases if a != label)),
            wikidata=qid,
            link_confidence=link.confidence if link is not None else None,
            latitude=link.latitude if link is not None else None,
            longitude=link.longitude if link is not None else None,
            state=state_key,
        )
        by_key[key] = entity
        resolved[id(c)] = entity

    mentions = []
    for c in order:
        key = resolved[id(c)].key
        for start, end, anchor, sentence, ner_label in c.spans:
            mentions.append(Mention(start, end, anchor, key, sentence, ner_label))
    mentions.sort(key=lambda m: (m.start, m.end))
    entities = tuple(sorted(by_key.values(), key=lambda e: e.key))
    return entities, tuple(mentions)

