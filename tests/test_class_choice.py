"""The class of a name where the NER and the gazetteer disagree, and the signs of a sports story,
on parses built by hand (no model)."""

from __future__ import annotations

from spacy.tokens import Span

from conftest import parsed_table
from kg.pipeline.class_choice import _SCORE, _sport_words, choose_class, is_sports_story

SURVEYS = """
    The        DT   DET    the        det    1
    surveys    NNS  NOUN   survey     nsubj  6
    from       IN   ADP    from       prep   1
    Brixworth  NNP  PROPN  Brixworth  pobj   2
    and        CC   CCONJ  and        cc     3
    Halifax    NNP  PROPN  Halifax    conj   3
    rose       VBD  VERB   rise       ROOT   -
"""


def _with_ents(table: str, *ents: tuple[int, int, str]):
    doc = parsed_table(table)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return doc


def test_a_name_coordinated_with_organisations_is_an_organisation():
    """The NER's ORG, a town's name and a locative "from": the conjunct decides."""
    doc = _with_ents(SURVEYS, (3, 4, "ORG"), (5, 6, "ORG"))
    choice = choose_class(doc[5:6], "ORG", ("Place", "Q2141", "city"))
    assert choice.cls == "Organization"
    assert ("context:coordinated", "Organization", 0.6) in choice.evidence


def test_a_name_coordinated_with_places_is_a_place():
    doc = _with_ents(SURVEYS, (3, 4, "GPE"), (5, 6, "ORG"))
    choice = choose_class(doc[5:6], "ORG", ("Place", "Q2141", "city"))
    assert choice.cls == "Place"
    assert not [e for e in choice.evidence if e[0] == "context:coordinated"]  # locative already


def test_conjuncts_of_mixed_classes_say_nothing():
    doc = _with_ents("""
        The        DT   DET    the        det    1
        surveys    NNS  NOUN   survey     nsubj  8
        by         IN   ADP    by         prep   1
        Brixworth  NNP  PROPN  Brixworth  pobj   2 _
        ,          ,    PUNCT  ,          punct  3
        Smith      NNP  PROPN  Smith      conj   3
        and        CC   CCONJ  and        cc     5
        Halifax    NNP  PROPN  Halifax    conj   5
        rose       VBD  VERB   rise       ROOT   -
    """, (3, 4, "ORG"), (5, 6, "PERSON"), (7, 8, "ORG"))
    choice = choose_class(doc[7:8], "ORG", ("Place", "Q2141", "city"))
    assert [e[0] for e in choice.evidence] == ["ner:ORG", "reading:city"]


def test_a_score_is_read_off_the_text_the_tokenizer_splits():
    assert [m.group() for m in _SCORE.finditer("won 28-17. Then 6-4, 6-3; the 2004-05 season, 10-15% more, "
                                               "£10-20 each, 3.5-4 hours")] == ["28-17", "6-4", "6-3"]


COACH = """
    The      DT   DET    the      det     1
    coach    NN   NOUN   coach    nsubj   2
    praised  VBD  VERB   praise   ROOT    -
    the      DT   DET    the      det     4
    squad    NN   NOUN   squad    dobj    2
    after    IN   ADP    after    prep    2
    the      DT   DET    the      det     7
"""
SCORE = """
    goal     NN   NOUN   goal     pobj    5
    in       IN   ADP    in       prep    7
    a        DT   DET    a        det     12
    21       CD   NUM    21       nummod  12 _
    -        HYPH PUNCT  -        punct   12 _
    9        CD   NUM    9        nummod  12
    win      NN   NOUN   win      pobj    8 _
    .        .    PUNCT  .        punct   2
"""
NO_SCORE = """
    goal     NN   NOUN   goal     pobj    5 _
    .        .    PUNCT  .        punct   2
"""


def test_three_sport_words_and_a_score_make_a_sports_story():
    assert is_sports_story(parsed_table(COACH + SCORE.lstrip("\n")))
    assert not is_sports_story(parsed_table(COACH + NO_SCORE.lstrip("\n")))


OFFICIALS = """
    The        DT   DET    the        det    1
    umpire     NN   NOUN   umpire     nsubj  5
    and        CC   CCONJ  and        cc     1
    a          DT   DET    a          det    4
    linesman   NN   NOUN   linesman   conj   1
    warned     VBD  VERB   warn       ROOT   -
    two        CD   NUM    two        nummod 7
    sprinters  NNS  NOUN   sprinter   dobj   5
    and        CC   CCONJ  and        cc     7
    a          DT   DET    a          det    10
    hurdler    NN   NOUN   hurdler    conj   7
    before     IN   ADP    before     prep   5
    the        DT   DET    the        det    13
    decathlon  NN   NOUN   decathlon  pobj   11 _
    .          .    PUNCT  .          punct  5
"""
REFORMER = """
    The       DT   DET    the       det    1
    minister  NN   NOUN   minister  nsubj  8
    ,         ,    PUNCT  ,         punct  1
    a         DT   DET    a         det    4
    champion  NN   NOUN   champion  appos  1
    of        IN   ADP    of        prep   4
    reform    NN   NOUN   reform    pobj   5 _
    ,         ,    PUNCT  ,         punct  1
    told      VBD  VERB   tell      ROOT   -
    the       DT   DET    the       det    10
    club      NN   NOUN   club      dobj   8
    that      IN   SCONJ  that      mark   15
    her       PRP$ PRON   her       poss   13
    team      NN   NOUN   team      nsubj  15
    had       VBD  AUX    have      aux    15
    matched   VBN  VERB   match     ccomp  8
    every     DT   DET    every     det    18
    rival     NN   NOUN   rival     compound 18 _
    's        POS  PART   's        case   16
    offer     NN   NOUN   offer     dobj   15 _
    .         .    PUNCT  .         punct  8
"""


def test_words_of_sport_from_wordnet_make_a_sports_story_and_words_of_politics_do_not():
    """Officials, athletes and a contest that WordNet files under sport count; "club", "team",
    "champion", "rival" (common in other news) and the verb "matched" do not."""
    officials = parsed_table(OFFICIALS)
    assert [t.text for t in _sport_words(officials)] == ["umpire", "linesman", "sprinters", "hurdler", "decathlon"]
    assert is_sports_story(officials)
    reformer = parsed_table(REFORMER)
    assert list(_sport_words(reformer)) == []
    assert not is_sports_story(reformer)


def test_a_hyphenated_word_of_sport_the_tokenizer_split_counts_once():
    doc = parsed_table("""
        Both       DT   DET    both       det     1
        semi       JJ   ADJ    semi       amod    3 _
        -          HYPH PUNCT  -          punct   3 _
        finals     NNS  NOUN   final      nsubj   4
        sold       VBD  VERB   sell       ROOT    -
        out        RP   ADP    out        prt     4 _
        .          .    PUNCT  .          punct   4
    """)
    assert [t.text for t in _sport_words(doc)] == ["semi-finals"]
