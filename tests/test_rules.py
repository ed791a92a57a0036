"""The relation rules (kg.pipeline.relations) on hand-built parses: no model is loaded.

Each case is one sentence written out as a table, one token a row: the word, its tag, its POS,
its lemma, its dependency and the index of its head (``-`` for the root); ``_`` at the end of a
row means no space follows the token. The tables are what a parser gives such sentences, frozen,
so each test pins one pattern of a rule and does not change when the model does; the tests in
test_relations.py run the same families through the trained model.
"""

from __future__ import annotations

import re
from spacy.tokens import Doc

from kg.model import Entity, Mention, Span
from kg.pipeline.dates import parse_anchor
from kg.pipeline.relations import Facts, extract_facts

from conftest import parsed_table

ENTITIES = {
    e.key: e
    for e in [
        Entity("State/russia", "State", "Russia", aliases=("Moscow",)),
        Entity("State/ukraine", "State", "Ukraine"),
        Entity("State/north-korea", "State", "North Korea", aliases=("Pyongyang",)),
        Entity("State/hungary", "State", "Hungary"),
        Entity("MilitaryUnit/nk", "MilitaryUnit", "North Korean troops", state="State/north-korea"),
        Entity("MilitaryUnit/ru", "MilitaryUnit", "Russian troops", state="State/russia"),
        Entity("MilitaryUnit/ua", "MilitaryUnit", "Ukrainian troops", state="State/ukraine"),
        Entity("Organization/nato", "Organization", "NATO"),
        Entity("Organization/herald", "Organization", "Morning Herald"),
        Entity("Organization/intel", "Organization", "Defence Intelligence"),
        Entity("Person/novak", "Person", "Jan Novak"),
        Entity("Person/petrov", "Person", "Ivan Petrov"),
        Entity("Person/koval", "Person", "Olena Koval"),
        Entity("Place/kursk", "Place", "Kursk region"),
        Entity("Place/budapest", "Place", "Budapest"),
        Entity("Place/kyiv", "Place", "Kyiv"),
    ]
}
SURFACES = {
    "North Korean soldiers": "MilitaryUnit/nk", "North Korean troops": "MilitaryUnit/nk",
    "Russian troops": "MilitaryUnit/ru", "Ukrainian forces": "MilitaryUnit/ua",
    "North Korea": "State/north-korea", "Pyongyang": "State/north-korea", "Russia": "State/russia",
    "Moscow": "State/russia", "Ukraine": "State/ukraine", "Hungary": "State/hungary",
    "NATO": "Organization/nato", "Morning Herald": "Organization/herald",
    "Defence Intelligence": "Organization/intel", "Jan Novak": "Person/novak",
    "Ivan Petrov": "Person/petrov", "Olena Koval": "Person/koval", "Kursk region": "Place/kursk",
    "Budapest": "Place/budapest", "Kyiv": "Place/kyiv",
}


def parsed(table: str) -> Doc:
    return parsed_table(table)


def facts(table: str, date: str | None = "2024-11-07") -> Facts:
    """The facts the rules find in the parse, with every known surface as a mention."""
    doc = parsed(table)
    taken: list[tuple[int, int]] = []
    mentions = []
    for surface in sorted(SURFACES, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", doc.text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            sent = doc.char_span(m.start(), m.end(), alignment_mode="expand").sent
            mentions.append(Mention(m.start(), m.end(), surface, SURFACES[surface], Span(sent.start_char, sent.end_char)))
    return extract_facts(doc, sorted(mentions, key=lambda m: m.start), ENTITIES, anchor=parse_anchor(date))


def relations(f: Facts, kind: str) -> set[tuple[str, str]]:
    return {(r.subject, r.object) for r in f.relations if r.kind == kind}


# --- roles ---------------------------------------------------------------------------------------

def test_title_between_organization_and_name() -> None:
    f = facts("""
        NATO           NNP   PROPN  NATO         compound   2
        Secretary      NNP   PROPN  Secretary    compound   2
        General        NNP   PROPN  General      compound   4
        Jan            NNP   PROPN  Jan          compound   4
        Novak          NNP   PROPN  Novak        nsubj      5
        visited        VBD   VERB   visit        ROOT       -
        Kyiv           NNP   PROPN  Kyiv         dobj       5
        on             IN    ADP    on           prep       5
        Monday         NNP   PROPN  Monday       pobj       7   _
        .              .     PUNCT  .            punct      5   _
    """)
    assert [(r.subject, r.object, r.title) for r in f.relations if r.kind == "role"] == [
        ("Person/novak", "Organization/nato", "Secretary General")]


def test_title_in_an_apposition() -> None:
    f = facts("""
        Olena          NNP   PROPN  Olena        compound   1
        Koval          NNP   PROPN  Koval        nsubj      9   _
        ,              ,     PUNCT  ,            punct      1
        the            DT    DET    the          det        5
        defence        NN    NOUN   defence      compound   5
        minister       NN    NOUN   minister     appos      1
        of             IN    ADP    of           prep       5
        Ukraine        NNP   PROPN  Ukraine      pobj       6   _
        ,              ,     PUNCT  ,            punct      1
        spoke          VBD   VERB   speak        ROOT       -
        to             IN    ADP    to           prep       9
        reporters      NNS   NOUN   reporter     pobj       10  _
        .              .     PUNCT  .            punct      9   _
    """)
    assert [(r.subject, r.object, r.title) for r in f.relations if r.kind == "role"] == [
        ("Person/koval", "State/ukraine", "defence minister")]


# --- part_of and located_in ------------------------------------------------------------------------

def test_body_of_a_state_by_of() -> None:
    f = facts("""
        The            DT    DET    the          det        2
        Defence        NNP   PROPN  Defence      compound   2
        Intelligence   NNP   PROPN  Intelligence nsubj      5
        of             IN    ADP    of           prep       2
        Ukraine        NNP   PROPN  Ukraine      pobj       3
        published      VBD   VERB   publish      ROOT       -
        new            JJ    ADJ    new          amod       7
        figures        NNS   NOUN   figure       dobj       5   _
        .              .     PUNCT  .            punct      5   _
    """)
    assert relations(f, "part_of") == {("Organization/intel", "State/ukraine")}


def test_city_comma_country() -> None:
    f = facts("""
        Leaders        NNS   NOUN   leader       nsubj      1
        gathered       VBD   VERB   gather       ROOT       -
        in             IN    ADP    in           prep       1
        Budapest       NNP   PROPN  Budapest     pobj       2   _
        ,              ,     PUNCT  ,            punct      3
        Hungary        NNP   PROPN  Hungary      conj       3   _
        ,              ,     PUNCT  ,            punct      3
        for            IN    ADP    for          prep       1
        the            DT    DET    the          det        9
        talks          NNS   NOUN   talk         pobj       7   _
        .              .     PUNCT  .            punct      1   _
    """)
    assert relations(f, "located_in") == {("Place/budapest", "State/hungary")}


def test_place_in_a_state_attached_elsewhere() -> None:
    """"the Kursk region in western Russia" with "in" hung on the verb by the parser."""
    f = facts("""
        Fighting       VBG   VERB   fight        nsubj      1
        continued      VBD   VERB   continue     ROOT       -
        in             IN    ADP    in           prep       1
        the            DT    DET    the          det        5
        Kursk          NNP   PROPN  Kursk        compound   5
        region         NN    NOUN   region       pobj       2
        in             IN    ADP    in           prep       1
        western        JJ    ADJ    western      amod       8
        Russia         NNP   PROPN  Russia       pobj       6   _
        .              .     PUNCT  .            punct      1   _
    """)
    assert ("Place/kursk", "State/russia") in relations(f, "located_in")


# --- deployments -----------------------------------------------------------------------------------

def test_state_sends_troops_to_a_state() -> None:
    f = facts("""
        North          NNP   PROPN  North        compound   1
        Korea          NNP   PROPN  Korea        nsubj      2
        sent           VBD   VERB   send         ROOT       -
        5,000          CD    NUM    5,000        nummod     4
        troops         NNS   NOUN   troop        dobj       2
        to             IN    ADP    to           prep       2
        Russia         NNP   PROPN  Russia       pobj       5   _
        .              .     PUNCT  .            punct      2   _
    """)
    (event,) = f.events
    assert (event.kind, event.agent, event.place, event.count.value) == (
        "TroopTransfer", "State/north-korea", "State/russia", 5000)


def test_passive_deployment_with_a_date() -> None:
    f = facts("""
        North          JJ    ADJ    north        amod       1
        Korean         JJ    ADJ    korean       amod       2
        soldiers       NNS   NOUN   soldier      nsubjpass  4
        were           VBD   AUX    be           auxpass    4
        deployed       VBN   VERB   deploy       ROOT       -
        to             IN    ADP    to           prep       4
        the            DT    DET    the          det        8
        Kursk          NNP   PROPN  Kursk        compound   8
        region         NN    NOUN   region       pobj       5
        on             IN    ADP    on           prep       4
        23             CD    NUM    23           nummod     11
        October        NNP   PROPN  October      pobj       9   _
        .              .     PUNCT  .            punct      4   _
    """)
    (event,) = f.events
    assert (event.kind, event.agent, event.place) == ("Deployment", "MilitaryUnit/nk", "Place/kursk")
    assert (event.date.iso, event.date.text) == ("2024-10-23", "23 October")


def test_negated_sending_yields_no_event() -> None:
    f = facts("""
        North          NNP   PROPN  North        compound   1
        Korea          NNP   PROPN  Korea        nsubj      4
        did            VBD   AUX    do           aux        4
        not            RB    PART   not          neg        4
        send           VB    VERB   send         ROOT       -
        troops         NNS   NOUN   troop        dobj       4
        to             IN    ADP    to           prep       4
        Russia         NNP   PROPN  Russia       pobj       6   _
        .              .     PUNCT  .            punct      4   _
    """)
    assert f.events == ()


# --- conflict and alliance -------------------------------------------------------------------------

def test_possessive_war_against() -> None:
    f = facts("""
        Russia         NNP   PROPN  Russia       poss       2   _
        's             POS   PART   's           case       0
        war            NN    NOUN   war          nsubj      5
        against        IN    ADP    against      prep       2
        Ukraine        NNP   PROPN  Ukraine      pobj       3
        entered        VBD   VERB   enter        ROOT       -
        a              DT    DET    a            det        8
        new            JJ    ADJ    new          amod       8
        phase          NN    NOUN   phase        dobj       5   _
        .              .     PUNCT  .            punct      5   _
    """)
    assert relations(f, "conflict") == {("State/russia", "State/ukraine")}


def test_clashes_between_two_sides() -> None:
    f = facts("""
        Clashes        NNS   NOUN   clash        nsubj      7
        between        IN    ADP    between      prep       0
        Ukrainian      JJ    ADJ    ukrainian    amod       3
        forces         NNS   NOUN   force        pobj       1
        and            CC    CCONJ  and          cc         3
        Russian        JJ    ADJ    russian      amod       6
        troops         NNS   NOUN   troop        conj       3
        continued      VBD   VERB   continue     ROOT       -   _
        .              .     PUNCT  .            punct      7   _
    """)
    assert relations(f, "conflict") == {("MilitaryUnit/ru", "MilitaryUnit/ua")}
    assert [e.kind for e in f.events] == ["Clash"]


def test_pact_between_two_states() -> None:
    f = facts("""
        The            DT    DET    the          det        1
        pact           NN    NOUN   pact         nsubj      6
        between        IN    ADP    between      prep       1
        Moscow         NNP   PROPN  Moscow       pobj       2
        and            CC    CCONJ  and          cc         3
        Pyongyang      NNP   PROPN  Pyongyang    conj       3
        holds          VBZ   VERB   hold         ROOT       -   _
        .              .     PUNCT  .            punct      6   _
    """)
    assert relations(f, "alliance") == {("State/north-korea", "State/russia")}


def test_fighting_alongside_is_an_alliance() -> None:
    f = facts("""
        North          JJ    ADJ    north        amod       1
        Korean         JJ    ADJ    korean       amod       2
        troops         NNS   NOUN   troop        nsubj      4
        will           MD    AUX    will         aux        4
        fight          VB    VERB   fight        ROOT       -
        alongside      IN    ADP    alongside    prep       4
        Russian        JJ    ADJ    russian      amod       7
        troops         NNS   NOUN   troop        pobj       5   _
        .              .     PUNCT  .            punct      4   _
    """)
    assert relations(f, "alliance") == {("MilitaryUnit/nk", "MilitaryUnit/ru")}


# --- meetings and claims ---------------------------------------------------------------------------

def test_two_people_meet_at_a_place_on_a_date() -> None:
    f = facts("""
        Jan            NNP   PROPN  Jan          compound   1
        Novak          NNP   PROPN  Novak        nsubj      2
        met            VBD   VERB   meet         ROOT       -
        Ivan           NNP   PROPN  Ivan         compound   4
        Petrov         NNP   PROPN  Petrov       dobj       2
        in             IN    ADP    in           prep       2
        Budapest       NNP   PROPN  Budapest     pobj       5
        on             IN    ADP    on           prep       2
        7              CD    NUM    7            nummod     9
        November       NNP   PROPN  November     pobj       7   _
        .              .     PUNCT  .            punct      2   _
    """)
    (event,) = f.events
    assert (event.kind, set(event.participants), event.place, event.date.iso) == (
        "Meeting", {"Person/novak", "Person/petrov"}, "Place/budapest", "2024-11-07")


def test_reported_statement_has_its_speaker() -> None:
    f = facts("""
        Jan            NNP   PROPN  Jan          compound   1
        Novak          NNP   PROPN  Novak        nsubj      2
        said           VBD   VERB   say          ROOT       -
        North          JJ    ADJ    north        amod       4
        Korean         JJ    ADJ    korean       amod       5
        troops         NNS   NOUN   troop        nsubj      6
        were           VBD   AUX    be           ccomp      2
        in             IN    ADP    in           prep       6
        the            DT    DET    the          det        10
        Kursk          NNP   PROPN  Kursk        compound   10
        region         NN    NOUN   region       pobj       7   _
        .              .     PUNCT  .            punct      2   _
    """)
    (claim,) = f.claims
    assert (claim.speaker, claim.cue, claim.negated, claim.modality) == ("Person/novak", "said", False, "asserted")
    assert [e.kind for e in f.events] == ["Deployment"] and claim.about == (0,)


def test_according_to_a_source() -> None:
    f = facts("""
        According      VBG   VERB   accord       prep       8
        to             IN    ADP    to           prep       0
        the            DT    DET    the          det        4
        Morning        NNP   PROPN  Morning      compound   4
        Herald         NNP   PROPN  Herald       pobj       1   _
        ,              ,     PUNCT  ,            punct      8
        Russian        JJ    ADJ    russian      amod       7
        troops         NNS   NOUN   troop        nsubj      8
        attacked       VBD   VERB   attack       ROOT       -
        Ukraine        NNP   PROPN  Ukraine      dobj       8   _
        .              .     PUNCT  .            punct      8   _
    """)
    (claim,) = f.claims
    assert (claim.speaker, claim.cue) == ("Organization/herald", "according to")


def test_a_table_gives_the_text_and_the_parse() -> None:
    doc = parsed("""
        Russia         NNP   PROPN  Russia       nsubj      1
        said           VBD   VERB   say          ROOT       -   _
        .              .     PUNCT  .            punct      1   _
    """)
    assert doc.text == "Russia said." and [t.dep_ for t in doc] == ["nsubj", "ROOT", "punct"]
