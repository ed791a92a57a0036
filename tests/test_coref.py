"""Reference resolution (kg.pipeline.relations.coref) on hand-built parses and mentions."""

from __future__ import annotations

from kg.model import Entity
from kg.pipeline.relations.coref import References

from conftest import parsed_table

ENTITIES = {e.key: e for e in [
    Entity("Person/straw", "Person", "Jack Straw", aliases=("Mr Straw",)),
    Entity("Person/koval", "Person", "Olena Koval"),
    Entity("State/ghana", "State", "Ghana"),
    Entity("State/mali", "State", "Mali"),
    Entity("Organization/ministry", "Organization", "Ministry of Defence"),
    Entity("Organization/union", "Organization", "African Union"),
]}

DOC = """
    Mr             NNP   PROPN  Mr           compound   1
    Straw          NNP   PROPN  Straw        nsubj      2
    met            VBD   VERB   meet         ROOT       -
    Olena          NNP   PROPN  Olena        compound   4
    Koval          NNP   PROPN  Koval        dobj       2
    in             IN    ADP    in           prep       2
    Ghana          NNP   PROPN  Ghana        pobj       5   _
    .              .     PUNCT  .            punct      2
    The            DT    DET    the          det        9
    ministry       NN    NOUN   ministry     nsubj      10
    said           VBD   VERB   say          ROOT       -
    he             PRP   PRON   he           nsubj      12
    left           VBD   VERB   leave        ccomp      10
    the            DT    DET    the          det        14
    country        NN    NOUN   country      dobj       12  _
    .              .     PUNCT  .            punct      10
    She            PRP   PRON   she          nsubj      17
    stayed         VBD   VERB   stay         ROOT       -   _
    .              .     PUNCT  .            punct      17
"""
MENTIONS = {0: "Person/straw", 1: "Person/straw", 3: "Person/koval", 4: "Person/koval", 6: "State/ghana"}
ANCHORS = {"Person/straw": ["Mr Straw"], "Person/koval": ["Olena Koval"], "State/ghana": ["Ghana"]}


def references() -> tuple:
    doc = parsed_table(DOC)
    return doc, References(doc, MENTIONS, ENTITIES, ANCHORS)


def test_a_pronoun_takes_the_person_of_its_gender() -> None:
    doc, refs = references()
    assert refs.resolve(doc[11]) == "Person/straw"  # "he": Mr Straw is a man
    assert refs.resolve(doc[16]) == "Person/koval"  # "she": not Mr Straw


def test_a_definite_description_takes_the_last_entity_of_its_class() -> None:
    doc, refs = references()
    assert refs.resolve(doc[14]) == "State/ghana"  # "the country"
    assert refs.resolve(doc[9]) is None  # "the ministry": none named yet


def test_a_titled_description_takes_the_one_holder_of_the_title() -> None:
    doc = parsed_table("""
        The            DT    DET    the          det        1
        president      NN    NOUN   president    nsubj      2
        spoke          VBD   VERB   speak        ROOT       -   _
        .              .     PUNCT  .            punct      2
    """)
    refs = References(doc, {}, ENTITIES, {})
    refs.add_title("Person/koval", "President", "State/mali")
    assert refs.resolve(doc[1]) == "Person/koval"
    refs.add_title("Person/straw", "President", "State/ghana")
    refs._resolved.clear()
    assert refs.resolve(doc[1]) is None  # two presidents: nobody


def test_they_are_the_last_troops_unless_several_people_came_after() -> None:
    entities = {**ENTITIES, "MilitaryUnit/ghana": Entity("MilitaryUnit/ghana", "MilitaryUnit", "Ghanaian troops")}
    doc = parsed_table("""
        Ghanaian       JJ    ADJ    ghanaian     amod       1
        troops         NNS   NOUN   troop        nsubj      2
        arrived        VBD   VERB   arrive       ROOT       -   _
        .              .     PUNCT  .            punct      2
        They           PRP   PRON   they         nsubj      5
        stayed         VBD   VERB   stay         ROOT       -   _
        .              .     PUNCT  .            punct      5
        Straw          NNP   PROPN  Straw        nsubj      8
        met            VBD   VERB   meet         ROOT       -
        Koval          NNP   PROPN  Koval        dobj       8   _
        .              .     PUNCT  .            punct      8
        They           PRP   PRON   they         nsubj      12
        agreed         VBD   VERB   agree        ROOT       -   _
        .              .     PUNCT  .            punct      12
    """)
    mentions = {0: "MilitaryUnit/ghana", 1: "MilitaryUnit/ghana", 7: "Person/straw", 9: "Person/koval"}
    refs = References(doc, mentions, entities, {})
    assert refs.resolve(doc[4]) == "MilitaryUnit/ghana"
    assert refs.resolve(doc[11]) is None  # Straw and Koval, more likely than the troops


def test_them_is_never_the_subject_of_its_own_clause() -> None:
    """"Malian troops fought them": "them" is the troops named before, not the Malian troops."""
    entities = {**ENTITIES,
                "MilitaryUnit/ghana": Entity("MilitaryUnit/ghana", "MilitaryUnit", "Ghanaian troops"),
                "MilitaryUnit/mali": Entity("MilitaryUnit/mali", "MilitaryUnit", "Malian troops")}
    doc = parsed_table("""
        Ghanaian       JJ    ADJ    ghanaian     amod       1
        troops         NNS   NOUN   troop        nsubj      2
        arrived        VBD   VERB   arrive       ROOT       -   _
        .              .     PUNCT  .            punct      2
        Malian         JJ    ADJ    malian       amod       5
        troops         NNS   NOUN   troop        nsubj      6
        fought         VBD   VERB   fight        ROOT       -
        them           PRP   PRON   they         dobj       6   _
        .              .     PUNCT  .            punct      6
    """)
    mentions = {0: "MilitaryUnit/ghana", 1: "MilitaryUnit/ghana", 4: "MilitaryUnit/mali", 5: "MilitaryUnit/mali"}
    refs = References(doc, mentions, entities, {})
    assert refs.resolve(doc[7]) == "MilitaryUnit/ghana"
