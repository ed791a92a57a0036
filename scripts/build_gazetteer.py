#!/usr/bin/env python3
"""Build ``data/gazetteer/places.tsv`` from the Natural Earth tables.

Source
------
Natural Earth (https://www.naturalearthdata.com/), public domain, as shipped in
``../shared/gazetteer/naturalearth``:

* ``ne_10m_admin_0_countries.csv``        -> kind ``country`` (kg class State) / ``dependency`` (Place)
* ``ne_10m_admin_1_states_provinces.csv`` -> kind ``region`` or ``district`` (kg class Place)
* ``ne_10m_populated_places.geojson``     -> kind ``capital`` / ``city`` (kg class Place)

Every row carries Natural Earth's ``WIKIDATAID``. The output is derived data (names, ids,
coordinates, population), not a copy of the tables.

Known errors fixed here
-----------------------
* Kyiv Oblast (admin-1 ``Kiev``) carries Kyiv city's Q1899. Its own item could not be verified
  offline, so the row keeps its names but loses the QID (an unlinked place is better than a wrong
  link); it is renamed ``Kyiv Oblast``.
* In the 10m points Pyongsan carries Pyongyang's Q18808 (and Pyongyang's English label): the QID and
  the borrowed label are dropped.
* Altay Territory (Altai Krai) carries the Altai Republic's Q5971: QID dropped.
* Crimea and Sevastopol are filed under Russia by the default Natural Earth view; their country is
  set to Ukraine (ISO 3166-2 UA-43 / UA-40).
* Generic check: whenever one QID is carried by several rows of the same table, the rows whose own
  names match the QID's English label (``name_en``, taken from Wikidata) keep it; if they all share
  one name they are merged; otherwise the QID is dropped from the non-matching rows. Rows that share
  a QID across tables (a city that is also an admin-1 unit, e.g. Moscow, Budapest, Kyiv city) are
  merged into one entry. Every decision is printed.

Names fit to find and link
--------------------------
Natural Earth lists every name a place has, abbreviations and common words among them. A name is
kept only if it can stand for the place in running text (thresholds in the ``[aliases]`` table of
``data/rules/linking.toml``):

* at least ``min_length`` characters, and not a dotted abbreviation ("L", "IN", "Tex.", "Co");
* not a region's or a city's acronym ("NTT", also a company's);
* not common English words or a first name (wordfreq's frequency list): a name each of whose
  words is as frequent in English as ``common_zipf`` is kept only where the place's own
  prominence explains the frequency (see :func:`explained`): "London" for the capital, not for
  London, Ontario, nor for the City of London's admin-1 row; "Texas" for the state; "Reading",
  "Man", "David", "Central", "Jewish", "South East" (a district of Botswana) for nothing.

A row whose every name goes is left out. No name is made up: " Oblast" is added to a bare
oblast name ("Kursk" -> "Kursk Oblast", the item's English label) but never to a name that
already says what it is ("Autonomous Republic of Crimea"), and a type word is added as an alias
only where it is used so ("Helmand Province", "Kursk region"), never twice ("Northern Territory
Territory") nor as a made-up "Texas State".

Run from the project root::

    python scripts/build_gazetteer.py [--source ../shared/gazetteer/naturalearth] [--out data/gazetteer/places.tsv]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import math
import sys
import tomllib
import unicodedata
from collections import defaultdict
from pathlib import Path

from wordfreq import zipf_frequency

MIN_CITY_POPULATION = 50_000
"""Populated places below this are dropped, except capitals and places in DOMAIN_COUNTRIES."""
DOMAIN_COUNTRIES = {"UKR", "RUS", "PRK", "KOR", "BLR"}
DOMAIN_MIN_POPULATION = 5_000
OBLAST_TYPES = {"Oblast", "Oblast'", "Voblasts'"}
TYPE_ALIASES = {"Province", "Region", "Territory"}
"""Natural Earth ``type_en`` words written after a region's name in the news ("Helmand Province")."""
GENERIC_WORDS = {"oblast", "region", "republic", "city", "autonomous", "krai", "kray", "okrug",
                 "province", "territory", "district", "state", "county", "municipality"}
"""Words that already say what a region is: no type word is added to a name holding one."""
ROOT = Path(__file__).resolve().parent.parent
_ALIASES = tomllib.loads((ROOT / "data" / "rules" / "linking.toml").read_text(encoding="utf-8"))["aliases"]
MIN_LENGTH: int = _ALIASES["min_length"]
COMMON_ZIPF: float = _ALIASES["common_zipf"]
COMMON_PHRASE_ZIPF: float = _ALIASES["common_phrase_zipf"]
CITY_OFFSET: float = _ALIASES["city_offset"]
REGION_BASE: float = _ALIASES["region_base"]
COLUMNS = ["qid", "name", "kind", "country_qid", "lat", "lon", "population", "alt_names", "source"]

# (table, adm0_a3, NE name) -> changes; see the module docstring.
FIXES: dict[tuple[str, str, str], dict[str, str]] = {
    ("admin1", "UKR", "Kiev"): {"qid": "", "name": "Kyiv Oblast",
                                "why": "carries Kyiv city's Q1899"},
    ("places", "PRK", "Pyongsan"): {"qid": "", "drop_name_en": "1",
                                    "why": "carries Pyongyang's Q18808"},
    ("admin1", "RUS", "Altay"): {"qid": "", "drop_name_en": "1",
                                 "why": "carries the Altai Republic's Q5971"},
    ("admin1", "RUS", "Crimea"): {"country": "UKR", "why": "ISO 3166-2 UA-43"},
    ("admin1", "RUS", "Sevastopol"): {"country": "UKR", "why": "ISO 3166-2 UA-40"},
}


def norm(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = folded.replace("'", "").replace("\u2019", "")
    return " ".join(re.findall(r"\w+", folded))


def split_alts(value: str | None) -> list[str]:
    if not value:
        return []
    return [p.strip() for p in re.split(r"[|;]", value) if p.strip()]


def log(message: str) -> None:
    print(message, file=sys.stderr)


def read_countries(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            names = [r["NAME"], r["NAME_LONG"], r["ADMIN"], r["NAME_EN"], r["FORMAL_EN"],
                     r["NAME_SORT"], r["BRK_NAME"], r["NAME_CIAWF"], *split_alts(r["NAME_ALT"])]
            name = r["NAME_EN"] or r["ADMIN"]
            # a territory another state is sovereign over ("Hong Kong S.A.R.", "Greenland", a
            # lease) is no state of its own, though Natural Earth types some of them "Country"
            foreign = r["SOVEREIGNT"] != r["ADMIN"] and r["TYPE"] != "Disputed"
            kind = "dependency" if r["TYPE"] == "Dependency" or foreign else "country"
            rows.append({
                "table": "countries", "a3": r["ADM0_A3"], "ne_name": r["NAME"],
                "qid": r["WIKIDATAID"], "name": name, "kind": kind, "country": r["ADM0_A3"],
                "lat": "", "lon": "", "population": _int(r["POP_EST"]),
                "names": names, "name_en": r["NAME_EN"], "source": "ne_10m_admin_0_countries",
            })
    return rows


DISTRICT_TYPES = ("Borough", "District", "Unitary Authority")
"""Natural Earth admin-1 types of units named after their main town ("Metropolitan Borough" of
Gateshead, "Unitary District (city)" of Glasgow): kind ``district``, whose bare name kg links
only with a region cue, as it names the town as often."""


def _region_kind(type_en: str) -> str:
    return "district" if any(word in type_en for word in DISTRICT_TYPES) else "region"


def read_admin1(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            base = r["name_en"] or r["name"]
            names = [r["name"], base, *split_alts(r["name_alt"])]
            name = base
            bare = not GENERIC_WORDS & set(norm(base).split())
            if r["type"] in OBLAST_TYPES and bare:
                name = f"{base} Oblast"
                names += [f"{base} Oblast", f"{base} oblast", f"{base} region",
                          f"{base} Region", f"{r['name']} Oblast"]
            elif r["type_en"] in TYPE_ALIASES and bare:
                names.append(f"{base} {r['type_en']}")
            rows.append({
                "table": "admin1", "a3": r["adm0_a3"], "ne_name": r["name"],
                "qid": r["wikidataid"], "name": name, "kind": _region_kind(r["type_en"]), "country": r["adm0_a3"],
                "lat": _coord(r["latitude"]), "lon": _coord(r["longitude"]), "population": "",
                "names": names, "name_en": r["name_en"], "source": "ne_10m_admin_1_states_provinces",
                "label_rank": _float(r["min_label"]),
            })
    return rows


def read_places(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as f:
        features = json.load(f)["features"]
    for feature in features:
        p = feature["properties"]
        population = p.get("POP_MAX") or 0
        capital = p["FEATURECLA"] in {"Admin-0 capital", "Admin-0 capital alt"}
        if p["FEATURECLA"] in {"Scientific station", "Meteorological Station", "Historic place"}:
            continue
        keep = (population >= MIN_CITY_POPULATION or capital
                or (p["ADM0_A3"] in DOMAIN_COUNTRIES and population >= DOMAIN_MIN_POPULATION))
        if not keep:
            continue
        names = [p["NAME"], p.get("NAMEASCII") or "", p.get("NAME_EN") or "",
                 *split_alts(p.get("NAMEALT")), *split_alts(p.get("NAMEPAR"))]
        rows.append({
            "table": "places", "a3": p["ADM0_A3"], "ne_name": p["NAME"],
            "qid": p.get("wikidataid") or "", "name": p.get("NAME_EN") or p["NAME"],
            "kind": "capital" if capital else "city", "country": p["ADM0_A3"],
            "lat": f"{p['LATITUDE']:.4f}", "lon": f"{p['LONGITUDE']:.4f}",
            "population": str(population) if population > 0 else "",
            "names": names, "name_en": p.get("NAME_EN") or "", "source": "ne_10m_populated_places",
        })
    return rows


def _coord(value: str) -> str:
    try:
        return f"{float(value):.4f}"
    except ValueError:
        return ""


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _int(value: str) -> str:
    try:
        number = int(float(value))
    except ValueError:
        return ""
    return str(number) if number > 0 else ""


def apply_fixes(rows: list[dict]) -> None:
    for row in rows:
        fix = FIXES.get((row["table"], row["a3"], row["ne_name"]))
        if not fix:
            continue
        log(f"fix {row['table']}:{row['ne_name']} ({fix['why']})")
        if "qid" in fix:
            row["qid"] = fix["qid"]
        if "name" in fix:
            row["name"] = fix["name"]
            row["names"].append(fix["name"])
        if fix.get("drop_name_en"):
            _drop_name_en(row)
        if "country" in fix:
            row["country"] = fix["country"]


def _drop_name_en(row: dict) -> None:
    """Forget the English label a row borrowed together with another entity's QID."""
    bad = norm(row["name_en"])
    row["names"] = [n for n in row["names"] if norm(n) != bad]
    if norm(row["name"]) == bad:
        row["name"] = row["ne_name"]


def fix_duplicate_qids(rows: list[dict], table: str) -> list[dict]:
    """Resolve QIDs carried by several rows of one table; returns the surviving rows."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row["qid"]:
            groups[row["qid"]].append(row)
    dropped: set[int] = set()
    for qid, group in groups.items():
        if len(group) < 2:
            continue
        own_names = [{norm(row["ne_name"])} | {norm(n) for n in row["names"] if n != row["name_en"]}
                     for row in group]
        if len({norm(row["ne_name"]) for row in group}) == 1:
            keeper = group[0]
            for row in group[1:]:
                keeper["names"] += row["names"]
                dropped.add(id(row))
            log(f"merge {table}:{qid} {len(group)} rows named {keeper['ne_name']!r}")
            continue
        label = norm(group[0]["name_en"])
        matching = [row for row, names in zip(group, own_names) if label in names]
        keep = matching[0] if len(matching) == 1 else None
        for row in group:
            if row is keep:
                continue
            log(f"drop qid {table}:{row['ne_name']} ({row['a3']}) shares {qid} "
                f"with {[r['ne_name'] for r in group if r is not row]}")
            row["qid"] = ""
            _drop_name_en(row)
    return [row for row in rows if id(row) not in dropped]


def merge_across_tables(rows: list[dict]) -> list[dict]:
    """One entry per QID: a country wins over a place, a city over an admin-1 unit."""
    rank = {"countries": 0, "places": 1, "admin1": 2}
    by_qid: dict[str, dict] = {}
    out: list[dict] = []
    for row in sorted(rows, key=lambda r: rank[r["table"]]):
        if not row["qid"]:
            out.append(row)
            continue
        keeper = by_qid.get(row["qid"])
        if keeper is None:
            by_qid[row["qid"]] = row
            out.append(row)
            continue
        keeper["names"] += row["names"]
        for key in ("lat", "lon", "population"):
            keeper[key] = keeper[key] or row[key]
        keeper["source"] += f"+{row['source']}"
    return out


def explained(row: dict) -> float:
    """The English frequency (Zipf) a row's prominence accounts for: a country's name may be as
    common as any word, a city's as its population makes it ("London", 8.6 million: 5.6; the
    word "london" is 5.3), a region's as its Natural Earth label rank (US states 5.0)."""
    if row["kind"] in ("country", "dependency"):
        return math.inf
    population = int(row["population"] or 0)
    best = math.log10(population) - CITY_OFFSET if population > 0 else -math.inf
    if row.get("label_rank") is not None:
        best = max(best, REGION_BASE - row["label_rank"])
    return best


def fit_name(name: str, row: dict) -> str | None:
    """Why ``name`` cannot stand for the row's place in running text, or None if it can."""
    if len(name) < MIN_LENGTH:
        return "too short"
    if name.endswith(".") and len(name) <= 5:
        return "an abbreviation"
    if not any(c.isalpha() for c in name):
        return "no letters"
    if name.replace(" ", "").isupper() and row["kind"] not in ("country", "dependency"):
        return "an acronym"  # "NTT", "DKI": a region's acronym is a company's too ("NTT DoCoMo")
    words = norm(name).split()
    own = norm(row.get("name") or name)
    if row["kind"] in ("city", "capital") and norm(name) != own and not set(words) & set(own.split()):
        if words and (words[-1] in AREA_WORDS or words[-1].endswith("shire") or words[0] in COMPASS_WORDS):
            return "the name of an area around the town"  # Leeds's "West Yorkshire", Nairobi's "Masai District"
    if words[:1] == ["the"]:
        words = words[1:]  # "The City" is looked up as "City"
    if len(words) > 1 and PROMINENT_WORDS & set(words):
        return None  # "City of London": a name of common words around a prominent place's name
    frequencies = [zipf_frequency(word, "en") for word in words]
    common = COMMON_ZIPF if len(words) == 1 else COMMON_PHRASE_ZIPF
    if frequencies and min(frequencies) >= common:  # "Central", "South East": common words
        frequency = zipf_frequency(" ".join(words), "en")
        if frequency > explained(row):
            return f"common English words (Zipf {frequency:.1f})"
    return None


AREA_WORDS = set(_ALIASES["area_words"])
COMPASS_WORDS = set(_ALIASES["compass_words"])
"""A town's other name made of these and no word of its own name is the area around it."""

PROMINENT_WORDS: set[str] = set()
"""One-word names whose places explain their frequency ("london", "paris"): a name of several
common words holding one of them is a proper name ("City of London"), not common English."""


def fit_names(rows: list[dict]) -> list[dict]:
    """Drop the names that cannot stand for their place (:func:`fit_name`); a row whose primary
    name goes takes its first fit name instead, a row with none left goes."""
    for row in rows:
        for name in (row["name"], *row["names"]):
            words = norm(name).split()
            if len(words) == 1 and zipf_frequency(words[0], "en") >= COMMON_PHRASE_ZIPF and fit_name(name, row) is None:
                PROMINENT_WORDS.add(words[0])
    kept = []
    for row in rows:
        names = []
        for name in dict.fromkeys(n.strip() for n in [row["name"], *row["names"]] if n.strip()):
            why = fit_name(name, row)
            if why is None:
                names.append(name)
            elif norm(name) == norm(row["name"]) or len(name) >= MIN_LENGTH:
                log(f"unfit name {row['table']}:{row['ne_name']} ({row['a3']}): {name!r}: {why}")
        if not names:
            log(f"drop {row['table']}:{row['ne_name']} ({row['a3']}): no name fit for text")
            continue
        if row["name"] not in names:
            row["name"] = names[0]
        row["names"] = names
        kept.append(row)
    return kept


def write(rows: list[dict], out: Path) -> None:
    country_qid = {r["a3"]: r["qid"] for r in rows if r["table"] == "countries"}
    out.parent.mkdir(parents=True, exist_ok=True)
    kinds = {"country": 0, "dependency": 1, "region": 2, "district": 2, "capital": 3, "city": 4}
    rows.sort(key=lambda r: (kinds[r["kind"]], norm(r["name"]), r["qid"]))
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                            escapechar="\\")
        writer.writerow(COLUMNS)
        for r in rows:
            seen = {r["name"]}
            alts = []
            for n in r["names"]:
                n = n.strip()
                if n and n not in seen and "\t" not in n and "|" not in n:
                    seen.add(n)
                    alts.append(n)
            country = r["qid"] if r["table"] == "countries" else country_qid.get(r["country"], "")
            writer.writerow([r["qid"], r["name"], r["kind"], country, r["lat"], r["lon"],
                             r["population"], "|".join(alts), f"naturalearth:{r['source']}"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="../shared/gazetteer/naturalearth", type=Path)
    parser.add_argument("--out", default="data/gazetteer/places.tsv", type=Path)
    args = parser.parse_args(argv)
    countries = read_countries(args.source / "ne_10m_admin_0_countries.csv")
    admin1 = read_admin1(args.source / "ne_10m_admin_1_states_provinces.csv")
    places = read_places(args.source / "ne_10m_populated_places.geojson")
    for table in (countries, admin1, places):
        apply_fixes(table)
    countries = fix_duplicate_qids(countries, "countries")
    admin1 = fix_duplicate_qids(admin1, "admin1")
    places = fix_duplicate_qids(places, "places")
    rows = fit_names(merge_across_tables(countries + admin1 + places))
    write(rows, args.out)
    log(f"wrote {len(rows)} rows to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
