"""Offline linking: class checks, cue words, context, metonymy, thresholds."""

from __future__ import annotations

import pytest

from kg.linking import LinkContext, is_city_state_name, link, link_outcome, link_report
from kg.settings import Settings


@pytest.mark.parametrize(("name", "cls", "qid"), [
    ("Kursk region", "Place", "Q3178"),
    ("Kursk Oblast", "Place", "Q3178"),
    ("city of Kursk", "Place", "Q3159"),
    ("Luxembourg", "State", "Q32"),
    ("Luxembourg", "Place", "Q1842"),
    ("Donetsk region", "Place", "Q2012050"),
    ("Washington", "State", "Q30"),
    ("Washington", "Place", "Q61"),
    ("Brussels", "Place", "Q240"),        # the curated referent of bare "Brussels" (see NOTES.md)
    ("City of Brussels", "Place", "Q239"),
    ("Brussels region", "Place", "Q240"),  # Brussels-Capital Region only with a region cue
    ("Brussels-Capital Region", "Place", "Q240"),
    ("Brussels", "State", "Q31"),
    ("Europe", "Place", "Q46"),
    ("European Council", "Organization", "Q8886"),
    ("Budapest", "Place", "Q1781"),
    ("Budapest", "State", "Q28"),
    ("Moscow", "State", "Q159"),
    ("NATO", "Organization", "Q7184"),
    ("EU", "Organization", "Q458"),
    ("European Union", "Organization", "Q458"),
    ("DPRK", "State", "Q423"),
    ("North Korea", "State", "Q423"),
    ("Britain", "State", "Q145"),
    ("Putin", "Person", "Q7747"),
    ("Kim Jong-un's", "Person", "Q56226"),
    ("Pentagon", "Organization", "Q11209"),
])
def test_links(name, cls, qid):
    result = link(name, cls)
    assert result is not None, (name, cls)
    assert result.qid == qid
    assert 0.8 <= result.confidence <= 1.0


def test_result_carries_label_and_point():
    result = link("Kursk region", "Place")
    assert result.label == "Kursk Oblast"
    assert result.latitude == pytest.approx(51.7, abs=0.2)
    assert result.longitude == pytest.approx(36.3, abs=0.2)
    assert link("Washington", "State").label == "United States"


def test_bare_primary_name_links_to_the_city():
    # "Donetsk" is the city's primary name; the oblast's is "Donetsk Oblast" (bare = alias only)
    result = link("Donetsk", "Place")
    assert result is not None and result.qid == "Q43070"
    assert result.confidence > Settings().link_threshold
    assert link("Kursk", "Place").qid == "Q3159"


@pytest.mark.parametrize("name", ["Donetsk region", "Donetsk Oblast", "Donetsk oblast",
                                  "the Donetsk region"])
def test_region_cue_gives_donetsk_oblast(name):
    assert link(name, "Place").qid == "Q2012050"


@pytest.mark.parametrize("name", ["New York State", "Tokyo province", "the Sheffield region"])
def test_a_region_cue_on_a_name_that_only_a_city_has_is_no_link(name):
    """A name the text marks as a region is not the city of that name ("New York State")."""
    outcome = link_outcome(name, "Place")
    assert outcome.status == "unlinked" and "no region of this name" in outcome.reasons[-1]


def test_a_district_named_after_its_town_is_linked_only_as_a_district():
    """A borough of one town's name ("Gateshead") is no link for the town's bare name."""
    assert link_outcome("Gateshead", "Place").status == "unlinked"
    assert link("Gateshead district", "Place").qid == "Q929034"
    assert link("Sheffield", "Place").qid == "Q42448"  # a city of that name stays the city


def test_context_decides_bare_donetsk():
    assert link("Donetsk", "Place", LinkContext(region_cue=True)).qid == "Q2012050"
    oblast = LinkContext.of(entity_qids=["Q2012050"])
    assert link("Donetsk", "Place", oblast).qid == "Q2012050"
    assert link("Donetsk", "Place", LinkContext(city_cue=True)).qid == "Q43070"
    assert link("city of Donetsk", "Place").qid == "Q43070"


def test_context_decides_bare_kursk():
    region = LinkContext.of(entity_qids=["Q3178"])
    result = link("Kursk", "Place", region)
    assert result.qid == "Q3178" and result.confidence >= 0.9
    assert link("Kursk", "Place", LinkContext(region_cue=True)).qid == "Q3178"
    assert link("Kursk", "Place", LinkContext(city_cue=True)).qid == "Q3159"
    # the article's country alone does not decide between two places in Russia
    assert link("Kursk", "Place", LinkContext.of(country_qids=["Q159"])).qid == "Q3159"


def test_capital_still_wins_over_a_region_named_by_its_primary_name():
    # the US state's primary name is "Washington"; the capital's is "Washington, D.C."
    assert link("Washington", "Place").qid == "Q61"


def test_threshold_setting():
    lenient = Settings(link_threshold=0.7)
    assert link("Kursk", "Place", settings=lenient).qid == "Q3159"
    strict = Settings(link_threshold=0.9)
    assert link("Kursk", "Place", settings=strict) is None
    assert link_outcome("Kursk", "Place", settings=strict).status == "ambiguous"
    strict = Settings(link_threshold=0.99)
    assert link("Washington", "State", settings=strict) is None


@pytest.mark.parametrize("name", ["Luxembourg", "Singapore", "Monaco", "Djibouti", "Vatican",
                                  "Vatican City", "San Marino"])
def test_city_state_names(name):
    assert is_city_state_name(name)


@pytest.mark.parametrize("name", ["Ukraine", "Russia", "North Korea", "DPRK", "Armenia",
                                  "Georgia", "Andorra", "Kyiv", "Washington", "Kursk", "NATO",
                                  "Mexico", "Kuwait", "Panama", "Guatemala", "Xyzzy", ""])
def test_not_city_state_names(name):
    assert not is_city_state_name(name)


def test_city_state_place_links_to_the_city():
    assert link("Luxembourg", "Place").qid == "Q1842"
    assert link("Djibouti", "Place").qid == "Q3604"


@pytest.mark.parametrize(("name", "cls"), [
    ("Xyzzy Quux", "Place"),
    ("NATO", "Person"),
    ("Kursk region", "Person"),
    ("Vladimir Putin", "State"),
    ("Ukraine", "Organization"),
    ("Georgia", "Place"),          # the US state, but the country exists: no quiet link
    ("Kyiv Oblast", "Place"),      # Natural Earth's QID was wrong and has been removed
    ("Zelenskyy", "Person"),       # known actor whose QID is not verified yet
])
def test_unlinked(name, cls):
    assert link(name, cls) is None


def test_link_report_counts():
    report = link_report([
        ("NATO", "Organization", None),
        ("Georgia", "Place", None),
        ("Xyzzy", "Place", None),
        ("Luxembourg", "Place", LinkContext()),
    ])
    assert report.as_dict() == {"linked": 2, "ambiguous": 1, "unlinked": 1, "total": 4}
    assert [o.status for o in report.outcomes] == ["linked", "ambiguous", "unlinked", "linked"]


def test_a_regions_own_name_beats_another_entrys_alias_even_in_its_country():
    """A glacier that carries its region's name as an alias is not the region, even when the
    article names the glacier's country; the region has no QID here, so nothing is linked."""
    from kg.linking.gazetteer import Gazetteer, GazetteerEntry
    from kg.linking.link import resolve

    gazetteer = Gazetteer([
        GazetteerEntry(None, "Valdoria", "Place", "region"),
        GazetteerEntry("Q9000001", "Ostrel Glacier", "Place", "dependency", country_qid="Q9000002",
                       aliases=("Valdoria",)),
        GazetteerEntry("Q9000002", "Marland", "State", "country"),
    ])
    context = LinkContext.of(entity_qids=(), country_qids={"Q9000002"}, ner_labels={"LOC"}, region_cue=False)
    outcome = resolve("Valdoria", "Place", context, gazetteer=gazetteer)
    assert outcome.result is None and "the only candidate whose own name it is" in " ".join(outcome.reasons)


def test_a_region_cue_with_the_only_region_of_the_name_abroad_is_no_link():
    """"X county" in a story that names the US, when the only region called X lies elsewhere."""
    from kg.linking.gazetteer import Gazetteer, GazetteerEntry
    from kg.linking.link import resolve

    gazetteer = Gazetteer([
        GazetteerEntry("Q9000011", "Marbella Verde", "Place", "region", country_qid="Q9000012"),
        GazetteerEntry("Q9000013", "Marbella Verde", "Place", "city", country_qid="Q9000014"),
    ])
    named_elsewhere = LinkContext.of(entity_qids=(), country_qids={"Q9000014"}, ner_labels={"GPE"}, region_cue=True)
    outcome = resolve("Marbella Verde", "Place", named_elsewhere, gazetteer=gazetteer)
    assert outcome.result is None and "namesake abroad" in " ".join(outcome.reasons)
    named_there = LinkContext.of(entity_qids=(), country_qids={"Q9000012"}, ner_labels={"GPE"}, region_cue=True)
    assert resolve("Marbella Verde", "Place", named_there, gazetteer=gazetteer).result.qid == "Q9000011"


def test_the_countries_whose_places_the_article_names_choose_between_namesakes():
    """"Newcastle" in a story that names London is England's; a town of a country the article
    neither names nor names a place of, when it names others, is a namesake abroad: no link."""
    england = LinkContext.of(place_countries=["Q145"], settled_countries=["Q145"])
    assert link("Newcastle", "Place", england).qid == "Q1425428"
    assert link("Newcastle", "Place").qid == "Q57278"  # without a setting: the larger one
    assert link("Midlands", "Place", england) is None
    assert link("Midlands", "Place", LinkContext.of(place_countries=["Q954"])).qid == "Q456556"
    # one place of another country is no setting: "travel to Edinburgh ... visits to Paris"
    assert link("Midlands", "Place", LinkContext.of(place_countries=["Q145"])).qid == "Q456556"
    # a capital abroad stays linked: a story names foreign capitals freely
    assert link("Paris", "Place", england).qid == "Q90"



def test_a_city_cue_and_no_town_of_the_name_is_no_link():
    """"in the cities of Chernigov, ...": the gazetteer knows the name only as a region's alias."""
    assert link("Chernigov", "Place") is not None  # alone, the region
    assert link("Chernigov", "Place", LinkContext(city_cue=True)) is None
