"""What an analyst asks of the seed articles, answered by the bundled queries (issues 5 and 6)."""

from __future__ import annotations

from kg.queries import load_query, parse_params, run_query
from kg.store import open_store

from conftest import needs_seeds

pytestmark = needs_seeds


def answer(settings, name: str, *params: str) -> list[dict[str, str]]:
    store = open_store(settings)
    query = load_query(name)
    result = run_query(store, query, parse_params(list(params), query))
    return [{c: (t.value if t is not None else "") for c, t in zip(result.columns, row)} for row in result.rows]


def test_troop_figures_with_their_sources(seed_store):
    settings, _ = seed_store
    rows = answer(settings, "troop-numbers", "state=North Korea")
    figures = {r["value"] for r in rows}
    assert {"3000", "10000", "11000"} <= figures
    speakers = {r["value"]: r["speakerLabel"] for r in rows if r["speakerLabel"]}
    assert speakers["11000"] == "Kyrylo Budanov"
    assert speakers["3000"] == "National Intelligence Service"
    assert {r["speakerLabel"] for r in rows if r["value"] == "10000"} & {
        "United States Department of Defense", "Volodymyr Zelenskyy"}
    assert all(r["date"] for r in rows)


def test_where_they_were_deployed(seed_store):
    settings, _ = seed_store
    places = {r["placeLabel"] for r in answer(settings, "deployments") if r["stateLabel"] == "North Korea"}
    assert {"Kursk Oblast", "Russia"} <= places


def test_who_holds_which_role(seed_store):
    settings, _ = seed_store
    roles = {(r["holderLabel"], r["title"], r["organizationLabel"]) for r in answer(settings, "roles")}
    assert ("Mark Rutte", "Secretary General", "NATO") in roles
    assert ("Pat Ryder", "spokesman", "United States Department of Defense") in roles
    assert ("Vladimir Putin", "President", "Russia") in roles


def test_the_russia_north_korea_alliance_and_its_date(seed_store):
    settings, _ = seed_store
    rows = answer(settings, "alliances-hostilities")
    alliance = [r for r in rows if r["relation"].endswith("alliedWith")
                and {r["label1"], r["label2"]} == {"Russia", "North Korea"}]
    assert alliance and alliance[0]["since"] == "2024-06"


def test_offline_links_of_the_seeds(seed_store):
    settings, _ = seed_store
    links = {r["label"]: r["wikidata"].rsplit("/", 1)[-1] for r in answer(settings, "wikidata-links") if r["wikidata"]}
    expected = {
        "Russia": "Q159", "Ukraine": "Q212", "North Korea": "Q423", "South Korea": "Q884",
        "United States": "Q30", "Hungary": "Q28", "NATO": "Q7184", "European Union": "Q458",
        "Kursk Oblast": "Q3178", "Budapest": "Q1781", "Brussels": "Q240", "Luxembourg": "Q1842",
        "Donetsk": "Q43070",
    }
    assert {k: links.get(k) for k in expected} == expected
    states = [r for r in answer(settings, "entities-by-type", "type=State")]
    assert states and all(r["wikidata"] for r in states), [r["label"] for r in states if not r["wikidata"]]
