"""The offline gazetteer: places from Natural Earth plus the curated actors of the domain.

Two tab-separated files under ``data/gazetteer/`` are merged by Wikidata id:

* ``places.tsv`` (built by ``scripts/build_gazetteer.py``): countries, admin-1 regions, cities;
* ``actors.tsv`` (hand-curated): people, organizations, continents, and extra aliases of states
  and places (``DPRK``, ``Britain``, ``Washington``…). Its name wins as the canonical label.

A third, ``offices.tsv`` (hand-curated, :func:`load_offices`), says who held which office where
and when; the role rules read it for a title the text gives without its state.

>>> gaz = load_gazetteer()
>>> [e.qid for e in gaz.lookup("Kursk region")]
['Q3178']
>>> gaz.get("Q423").cls
'State'
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from kg.errors import LinkingError
from kg.lexicon import section
from kg.model import ENTITY_CLASSES
from kg.resources import resource_dir
from kg.text import name_key, slug

DATA_DIR = resource_dir("data", "gazetteer")
_RULES = section("rules/linking")
STATE_KINDS = _RULES.table("gazetteer").words("state_kinds")
"""Natural Earth kinds that are states; every other kind is a place."""
CITY_KINDS = _RULES.table("gazetteer").words("city_kinds")
REGION_KIND = "region"
DISTRICT_KIND = "district"
"""A first-level unit named after its main town (a borough, a district): the bare name is as often the town."""
REGION_KINDS = frozenset({REGION_KIND, DISTRICT_KIND})
_RULER = _RULES.table("ruler")
RULER_MIN_CITY_POPULATION = _RULER.integer("min_city_population")
RULER_DOMAIN_COUNTRIES = _RULER.words("domain_countries")
"""Countries in which smaller towns and bare region names are kept (data/rules/linking.toml)."""
RULER_DOMAIN_MIN_POPULATION = _RULER.integer("domain_min_population")


@dataclass(frozen=True)
class GazetteerEntry:
    """One entity the gazetteer knows, with every name it may be written as."""

    qid: str | None
    name: str
    cls: str
    """One of the five kg classes: countries are ``State``, regions/cities/continents ``Place``."""
    kind: str
    """``country``, ``dependency``, ``region``, ``district``, ``capital``, ``city``, ``continent``,
    ``person``, ``organization``…"""
    country_qid: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    aliases: tuple[str, ...] = ()
    source: str = ""

    @property
    def key(self) -> str:
        """The entity key kg uses: the QID when known, else ``Class/slug``."""
        return self.qid or f"{self.cls}/{slug(self.name)}"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def curated(self) -> bool:
        """Whether ``actors.tsv`` (hand-checked) names or completes this entry."""
        return "actors.tsv" in self.source

    @property
    def prominence(self) -> float:
        """A prior in [0, 1] from population and kind (capitals and countries rank high)."""
        if self.kind in STATE_KINDS or self.kind == "continent":
            return 1.0
        base = min(1.0, math.log10(self.population) / 7) if self.population else 0.3
        if self.kind == "capital":
            base = max(base, 0.9)
        return base


@dataclass
class Gazetteer:
    """All gazetteer entries with an index from normalised names to entries."""

    entries: list[GazetteerEntry]
    _by_name: dict[str, list[GazetteerEntry]] = field(default_factory=dict, repr=False)
    _by_qid: dict[str, GazetteerEntry] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            if entry.qid:
                self._by_qid[entry.qid] = entry
            for name in {name_key(n) for n in entry.names}:
                if name:
                    self._by_name.setdefault(name, []).append(entry)
        for candidates in self._by_name.values():
            candidates.sort(key=lambda e: -e.prominence)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, name: str) -> tuple[GazetteerEntry, ...]:
        """Every entry one of whose names normalises like ``name``, most prominent first.

        Short names match case-sensitively (an acronym only an acronym: "UBS" is not the
        Mongolian province "Ubs", "us" not the US), and an acronym of the gazetteer only as
        written ("dprk" is nothing).

        >>> [e.qid for e in load_gazetteer().lookup("UBS")], [e.qid for e in load_gazetteer().lookup("Ubs")]
        ([], ['Q192942'])
        """
        entries = self._by_name.get(name_key(name), ())
        if not entries or not _case_matters(name):
            return tuple(e for e in entries if not _acronym_only(e, name))
        return tuple(e for e in entries if any(_same_case(n, name) for n in e.names))

    def get(self, qid: str) -> GazetteerEntry | None:
        return self._by_qid.get(qid)

    def names_for_ruler(self) -> list[tuple[str, str, str]]:
        """``(surface form, class, key)`` triples safe to match in running text.

        Meant for case-sensitive (``ORTH``) phrase patterns of :mod:`kg.pipeline.entity_ruler`.
        Skipped: small places, bare admin-1 names outside the domain countries, lower-case
        words, and two-letter forms except upper-case acronyms (common words and first names
        are not gazetteer names at all: ``scripts/build_gazetteer.py``).
        A form that names several entries gets the class of the most prominent one and the key
        ``Class/slug``, left for :func:`kg.linking.link` to resolve in context (``Luxembourg``
        -> ``State``, ``Kursk`` -> ``Place/kursk``), and so does one entry's alias that is
        another entry's own name.
        """
        forms: dict[str, set[tuple[str, str]]] = {}
        for entry in self.entries:
            if not self._ruler_worthy(entry):
                continue
            for form in entry.names:
                if self._ruler_form_ok(entry, form):
                    forms.setdefault(form, set()).add((entry.cls, entry.key))
        out: list[tuple[str, str, str]] = []
        for form, targets in sorted(forms.items()):
            found = self.lookup(form)
            entries = [e for e in found if (e.cls, e.key) in targets]
            cls = entries[0].cls if entries else sorted(targets)[0][0]
            # an alias whose form is another entry's own name ("Kashmir" is a glacier's alias and
            # a region's name) is left to the linker too
            owned = any(name_key(e.name) == name_key(form) and (e.cls, e.key) not in targets for e in found)
            alias_only = all(name_key(e.name) != name_key(form) for e in entries)
            key = targets.pop()[1] if len(targets) == 1 and not (owned and alias_only) else f"{cls}/{slug(form)}"
            out.append((form, cls, key))
        return out

    @staticmethod
    def _ruler_worthy(entry: GazetteerEntry) -> bool:
        if entry.kind in CITY_KINDS:
            if entry.kind == "capital":
                return True
            minimum = (RULER_DOMAIN_MIN_POPULATION if entry.country_qid in RULER_DOMAIN_COUNTRIES
                       else RULER_MIN_CITY_POPULATION)
            return (entry.population or 0) >= minimum
        return True

    @staticmethod
    def _ruler_form_ok(entry: GazetteerEntry, form: str) -> bool:
        words = form.split()
        if not words or not form[0].isupper() or "." in form and len(form) <= 3:
            return False
        if len(words) == 1:
            if len(form) <= 2 and not form.isupper():
                return False
            if (entry.kind in REGION_KINDS and entry.country_qid not in RULER_DOMAIN_COUNTRIES
                    and not entry.curated):  # curated names always count
                return False  # bare "Luxembourg" (Belgian province), "Washington" (US state)
        return True


CASE_SENSITIVE_LENGTH = 4
"""Names of at most this many letters (one more in capitals) match case-sensitively."""


def _letters(name: str) -> str:
    return "".join(c for c in name if c.isalnum())


def _case_matters(name: str) -> bool:
    """Whether ``name`` must be matched with its case: short ("Ubs", "UBS", "us"), or in
    capitals and not much longer, as acronyms are; a long name in a capitals headline
    ("UKRAINE") matches as any other."""
    letters = _letters(name)
    return bool(letters) and len(letters) <= CASE_SENSITIVE_LENGTH + (1 if letters.isupper() else 0)


def _same_case(form: str, name: str) -> bool:
    return _letters(form) == _letters(name)


def _acronym_only(entry: GazetteerEntry, name: str) -> bool:
    """Whether ``entry`` matches ``name`` only through an acronym written otherwise ("dprk")."""
    key = name_key(name)
    matching = [n for n in entry.names if name_key(n) == key]
    return bool(matching) and all(_letters(n).isupper() and len(_letters(n)) > 1 for n in matching) and not any(
        _same_case(n, name) for n in matching)


def _read_tsv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    except OSError as exc:
        raise LinkingError(
            f"cannot read gazetteer file {path}: {exc.strerror}; "
            "run scripts/build_gazetteer.py or check the installation"
        ) from None


def _float(value: str) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (value or "").split("|") if a.strip())


def read_places(path: Path) -> list[GazetteerEntry]:
    entries = []
    for row in _read_tsv(path):
        kind = row["kind"]
        entries.append(GazetteerEntry(
            qid=row["qid"] or None, name=row["name"],
            cls="State" if kind in STATE_KINDS else "Place", kind=kind,
            country_qid=row["country_qid"] or None,
            lat=_float(row["lat"]), lon=_float(row["lon"]),
            population=int(row["population"]) if row["population"] else None,
            aliases=_split(row["alt_names"]), source=row["source"],
        ))
    return entries


def read_actors(path: Path) -> list[GazetteerEntry]:
    entries = []
    for number, row in enumerate(_read_tsv(path), start=2):
        if row["type"] not in ENTITY_CLASSES:
            raise LinkingError(f"{path}:{number}: unknown type {row['type']!r}; "
                               f"use one of {sorted(ENTITY_CLASSES)}")
        entries.append(GazetteerEntry(
            qid=row["qid"] or None, name=row["name"], cls=row["type"],
            kind=row.get("kind") or row["type"].lower(),
            country_qid=row["qid"] if row["type"] == "State" and row["qid"] else None,
            aliases=_split(row["aliases"]), source=f"actors.tsv: {row['source']}",
        ))
    return entries


@dataclass(frozen=True)
class Office:
    """One office a person held, from ``offices.tsv``: the titles it is written with, the state
    or organisation it is held in, and from when to when (``end`` None: still held)."""

    person: str
    names: tuple[str, ...]
    titles: tuple[str, ...]
    holds_in: str
    start: date | None
    end: date | None

    def held_on(self, day: date | None) -> bool:
        """Whether the office was held on ``day`` (any day, when none is known)."""
        if day is None:
            return True
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


def read_offices(path: Path) -> dict[str, tuple[Office, ...]]:
    """The offices of ``path`` by every normalised name of their holder."""
    by_name: dict[str, list[Office]] = {}
    for number, row in enumerate(_read_tsv(path), start=2):
        try:
            office = Office(
                person=row["person"], names=(row["person"], *_split(row["aliases"])),
                titles=_split(row["titles"]), holds_in=row["holds_in"],
                start=date.fromisoformat(row["start"]) if row["start"] else None,
                end=date.fromisoformat(row["end"]) if row["end"] else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise LinkingError(f"{path}:{number}: malformed office row ({exc})") from None
        for name in {name_key(n) for n in office.names} - {""}:
            by_name.setdefault(name, []).append(office)
    return {name: tuple(offices) for name, offices in by_name.items()}


@lru_cache(maxsize=4)
def load_offices(path: str | None = None) -> dict[str, tuple[Office, ...]]:
    """The office holders kg knows (``data/gazetteer/offices.tsv``), loaded once.

    >>> [o.holds_in for o in load_offices()["lavrov"]]
    ['Russia']
    """
    return read_offices(Path(path) if path else DATA_DIR / "offices.tsv")


def held_offices(table: dict[str, tuple[Office, ...]], names: Iterable[str], day: date | None) -> list[Office]:
    """The offices of ``table`` (:func:`load_offices`) that someone known by one of ``names``
    held on ``day`` (any day, when none is known)."""
    found = {o for name in names for o in table.get(name_key(name), ())}
    return [o for o in found if o.held_on(day)]


def merge(places: list[GazetteerEntry], actors: list[GazetteerEntry]) -> list[GazetteerEntry]:
    """Overlay the curated actors on the places: same QID -> one entry, curated label first."""
    by_qid = {e.qid: i for i, e in enumerate(places) if e.qid}
    merged = list(places)
    for actor in actors:
        index = by_qid.get(actor.qid) if actor.qid else None
        if index is None:
            merged.append(actor)
            continue
        place = merged[index]
        names = [n for n in (place.name, *place.aliases, *actor.aliases) if n != actor.name]
        merged[index] = replace(
            place, name=actor.name, aliases=tuple(dict.fromkeys(names)),
            source=f"{place.source}; {actor.source}",
        )
    return merged


def build_gazetteer(places: Path, actors: Path) -> Gazetteer:
    return Gazetteer(merge(read_places(places), read_actors(actors)))


@lru_cache(maxsize=4)
def _cached(directory: str) -> Gazetteer:
    base = Path(directory)
    return build_gazetteer(base / "places.tsv", base / "actors.tsv")


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """The gazetteer in ``path`` (a directory with places.tsv and actors.tsv), loaded once.

    Raises:
        LinkingError: a file is missing or malformed.
    """
    return _cached(str(Path(path) if path else DATA_DIR))
