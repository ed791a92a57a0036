"""kg's entity ruler: a state's forces around unit nouns, phrase names, overlaps.

The forces rules are checked against spaCy's own token-pattern ``EntityRuler`` loaded with
the same rules written as Matcher patterns: both must mark the same spans.
"""

from __future__ import annotations

import pytest
import spacy

from kg import lexicon
from kg.pipeline.entity_ruler import CAPITAL_UNITS, MODIFIERS, KGEntityRuler, name_tokens


def reference_patterns() -> list[dict]:
    """The forces rules as spaCy Matcher patterns (what kg's ruler must find, and nothing else)."""
    unit = {"LOWER": {"IN": list(lexicon.UNIT_NOUNS)}}
    modifier = {"LOWER": {"IN": sorted(MODIFIERS)}, "OP": "*"}
    possessive = {"ORTH": {"IN": ["'s", "’s"]}}

    def exact(name: str) -> list[dict]:
        return [{"ORTH": t} for t in name_tokens(name)]

    def pattern(tokens: list[dict], state: str) -> dict:
        return {"label": "MilitaryUnit", "id": f"MilitaryUnit:{state}", "pattern": tokens}

    out = [pattern(exact(a) + [modifier, unit], s) for a, s in lexicon.DEMONYMS.items() if a != "Korean"]
    states = {s: s for s in lexicon.DEMONYMS.values()} | {"DPRK": "North Korea"}
    out += [pattern(exact(n) + [possessive, modifier, unit], s) for n, s in states.items()]
    out += [pattern(exact(n) + [{**possessive, "OP": "?"}, {"LOWER": {"IN": sorted(CAPITAL_UNITS)}}], s)
            for n, s in lexicon.CAPITALS.items()]
    out += [pattern([unit, {"LOWER": "from"}, {"LOWER": "the", "OP": "?"}] + exact(name), s)
            for name, s in states.items()]
    return out


SENTENCES = [
    "North Korean special forces and elite army troops crossed into Kursk.",
    "Kim's troops and Putin’s regular army units were seen near the border.",
    "Kyiv forces pushed back Moscow's troops while Pyongyang army drills went on.",
    "About 3,000 soldiers from the DPRK and recruits from North Korea arrived.",
    "Russian military military units, US troops and U.S. marines took part.",
    "The Korean troops were South Korean soldiers, not soldiers from Korea.",
    "Kim Jong-un's elite troops and Kim Jong Un's soldiers trained for weeks.",
    "Ukrainian troops fought Russian troops from the Kremlin's army groups.",
    "Troops from Russia and from the United States met soldiers from the Russia.",
    "troops",
    "",
    "Russia's troops and Ukraine’s regular army units, North Korea's elite soldiers and the DPRK's forces.",
]


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def both(blank):
    reference = blank.add_pipe("entity_ruler", name="reference", config={"validate": True})
    reference.add_patterns(reference_patterns())
    blank.disable_pipe("reference")
    return KGEntityRuler(blank), reference


@pytest.mark.parametrize("sentence", SENTENCES)
def test_forces_match_spacys_entity_ruler_with_the_same_rules(blank, both, sentence):
    ours, reference = both

    def spans(component) -> list[tuple[str, str, str]]:
        doc = component(blank.make_doc(sentence))
        return [(e.text, e.label_, e.id_) for e in doc.ents]

    assert spans(ours) == spans(reference)


def test_forces_found_in_text(blank, both):
    ours, _ = both
    doc = ours(blank.make_doc(SENTENCES[3]))
    assert [(e.text, e.id_) for e in doc.ents] == [
        ("soldiers from the DPRK", "MilitaryUnit:North Korea"),
        ("recruits from North Korea", "MilitaryUnit:North Korea"),
    ]
    doc = ours(blank.make_doc(SENTENCES[5]))  # a bare "Korean" names no state's forces
    assert [e.text for e in doc.ents] == ["South Korean soldiers"]


def test_coordinated_demonyms_share_the_unit_noun(blank, both):
    ours, _ = both
    doc = ours(blank.make_doc("British and American troops met French, German or Dutch soldiers and Kenyan officials."))
    assert [(e.text, e.id_) for e in doc.ents] == [
        ("British", "MilitaryUnit:United Kingdom"), ("American troops", "MilitaryUnit:United States"),
        ("French", "MilitaryUnit:France"), ("German", "MilitaryUnit:Germany"),
        ("Dutch soldiers", "MilitaryUnit:Netherlands"),
    ]


def test_phrases_longest_match_wins_and_case_folding_is_opt_in(blank):
    ruler = KGEntityRuler(blank)
    ruler.add_phrases([("Kursk", "Place", "Place:Kursk"), ("Kursk Oblast", "Place", "Place:Kursk Oblast"),
                       ("Reuters", "Organization", "Organization:Reuters")])
    ruler.add_phrases([("Korean People's Army", "MilitaryUnit", "MilitaryUnit:North Korea")], ignore_case=True)
    doc = ruler(blank.make_doc("Reuters said the korean people's army is in Kursk Oblast, not REUTERS or Kursk."))
    assert [(e.text, e.label_, e.id_) for e in doc.ents] == [
        ("Reuters", "Organization", "Organization:Reuters"),
        ("korean people's army", "MilitaryUnit", "MilitaryUnit:North Korea"),
        ("Kursk Oblast", "Place", "Place:Kursk Oblast"),
        ("Kursk", "Place", "Place:Kursk"),
    ]


def test_a_phrase_and_a_longer_forces_span_overlap_the_longer_wins(blank):
    ruler = KGEntityRuler(blank)
    ruler.add_phrases([("North Korea", "State", "State:North Korea")])
    doc = ruler(blank.make_doc("Soldiers from North Korea and North Korea itself."))
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Soldiers from North Korea", "MilitaryUnit"), ("North Korea", "State")]


def test_the_pipeline_uses_kgs_ruler_after_the_ner(nlp):
    """The ruler fills the NER's gaps (kg.pipeline.entity_ruler.merge_spans): placed before the
    NER it would preset entities the model then has to respect."""
    names = nlp.pipe_names
    assert isinstance(nlp.get_pipe("kg_entity_ruler"), KGEntityRuler)
    assert names.index("kg_entity_ruler") > names.index("ner")


def test_ruler_spans_carry_labels_the_ner_knows(nlp):
    """spaCy's NER adds the labels of preset entities to its actions and grows its output layer
    (~13% of its time for kg's five classes, and untrained actions it could predict): the ruler
    marks its spans with the NER's own labels and keeps kg's class in the span id."""
    ner = nlp.get_pipe("ner")
    moves, labels = ner.moves.n_moves, set(ner.labels)
    doc = nlp("North Korean troops reached Kursk, Moscow said. Reuters and Kim Jong Un's army confirmed it.")
    assert ner.moves.n_moves == moves and set(ner.labels) == labels
    assert {(e.text, e.label_) for e in doc.ents} >= {
        ("North Korean troops", "MilitaryUnit"), ("Kursk", "Place"), ("Moscow", "State"),
        ("Reuters", "Organization")}
    ruler = nlp.get_pipe("kg_entity_ruler")
    assert set(ruler.ner_labels.values()) <= labels


def test_troops_with_an_owner_are_not_named_by_where_they_leave(blank, both):
    """"withdraw its soldiers from Russia": where they leave, not whose they are."""
    ours, _ = both
    doc = ours(blank.make_doc("Seoul asked that Pyongyang withdraw its soldiers from Russia and its men from the DPRK."))
    assert [e.text for e in doc.ents] == []
