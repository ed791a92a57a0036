"""The normalised parse (kg.pipeline.relations.parse) on hand-built parses: one meaning, whatever
the construction."""

from __future__ import annotations

from kg.pipeline.relations.parse import Parse

from conftest import parsed_table


def words(tokens) -> list[str]:
    return [t.text for t in tokens]


def test_a_relative_pronoun_stands_for_its_antecedent() -> None:
    doc = parsed_table("""
        The            DT    DET    the          det        1
        accord         NN    NOUN   accord       nsubj      11  _
        ,              ,     PUNCT  ,            punct      1
        which          WDT   PRON   which        dobj       7
        the            DT    DET    the          det        6
        two            CD    NUM    two          nummod     6
        leaders        NNS   NOUN   leader       nsubj      7
        signed         VBD   VERB   sign         relcl      1
        in             IN    ADP    in           prep       7
        Geneva         NNP   PROPN  Geneva       pobj       8   _
        ,              ,     PUNCT  ,            punct      1
        holds          VBZ   VERB   hold         ROOT       -   _
        .              .     PUNCT  .            punct      11  _
    """)
    parse = Parse(doc)
    assert words(parse.objects(doc[7])) == ["accord"]
    assert words(parse.subjects(doc[7])) == ["leaders"]
    assert parse.obliques(doc[7]) == [("in", doc[9])]


def test_a_quantifier_heads_what_it_counts_and_a_passive_its_object() -> None:
    doc = parsed_table("""
        Thousands      NNS   NOUN   thousand     nsubjpass  4
        of             IN    ADP    of           prep       0
        soldiers       NNS   NOUN   soldier      pobj       1
        were           VBD   AUX    be           auxpass    4
        deployed       VBN   VERB   deploy       ROOT       -
        to             IN    ADP    to           dative     4
        the            DT    DET    the          det        7
        border         NN    NOUN   border       pobj       5   _
        .              .     PUNCT  .            punct      4   _
    """)
    parse = Parse(doc)
    (thousands,) = parse.objects(doc[4])
    assert parse.head_noun(thousands).text == "soldiers"
    assert parse.subjects(doc[4]) == []
    assert words(parse.oblique(doc[4], frozenset({"to"}))) == ["border"]  # "dative" reads as "to"


def test_coordinated_subjects_share_the_verb() -> None:
    doc = parsed_table("""
        France         NNP   PROPN  France       nsubj      3
        and            CC    CCONJ  and          cc         0
        Germany        NNP   PROPN  Germany      conj       0
        said           VBD   VERB   say          ROOT       -
        the            DT    DET    the          det        5
        embargo        NN    NOUN   embargo      nsubj      7
        should         MD    AUX    should       aux        7
        stay           VB    VERB   stay         ccomp      3   _
        .              .     PUNCT  .            punct      3   _
    """)
    assert words(Parse(doc).subjects(doc[3])) == ["France", "Germany"]


def test_a_participle_modifies_its_object_and_control_passes_the_subject_on() -> None:
    doc = parsed_table("""
        Moscow         NNP   PROPN  Moscow       nsubj      1
        sent           VBD   VERB   send         ROOT       -
        troops         NNS   NOUN   troop        dobj       1
        stationed      VBN   VERB   station      acl        2
        in             IN    ADP    in           prep       3
        Basra          NNP   PROPN  Basra        pobj       4
        to             TO    PART   to           aux        7
        fight          VB    VERB   fight        xcomp      1   _
        .              .     PUNCT  .            punct      1   _
    """)
    parse = Parse(doc)
    assert words(parse.objects(doc[3])) == ["troops"]  # "troops stationed ...": the troops were
    assert words(parse.subjects(doc[7])) == ["troops"]  # object control: the troops fight
    assert parse.governor(doc[2]) == (doc[1], "object")


def test_between_takes_two_sides_even_when_the_parser_nests_them() -> None:
    # "clashes between the Border Guard and army troops", parsed as one noun phrase whose
    # qualifier "Guard" is coordinated with "army"
    doc = parsed_table("""
        clashes        NNS   NOUN   clash        ROOT       -
        between        IN    ADP    between      prep       0
        the            DT    DET    the          det        7
        Border         NNP   PROPN  Border       compound   4
        Guard          NNP   PROPN  Guard        nmod       7
        and            CC    CCONJ  and          cc         4
        army           NN    NOUN   army         conj       4
        troops         NNS   NOUN   troop        pobj       1
    """)
    assert words(Parse(doc).between(doc[0])) == ["troops", "Guard", "army"]
    plain = parsed_table("""
        talks          NNS   NOUN   talk         ROOT       -
        between        IN    ADP    between      prep       0
        Chile          NNP   PROPN  Chile        pobj       1
        and            CC    CCONJ  and          cc         2
        Peru           NNP   PROPN  Peru         conj       2
    """)
    assert words(Parse(plain).between(plain[0])) == ["Chile", "Peru"]


def test_a_gerund_after_a_preposition_is_done_by_the_main_clauses_subject() -> None:
    doc = parsed_table("""
        Before         IN    ADP    before       prep       5
        visiting       VBG   VERB   visit        pcomp      0
        Chile          NNP   PROPN  Chile        dobj       1   _
        ,              ,     PUNCT  ,            punct      5
        Lula           NNP   PROPN  Lula         nsubj      5
        met            VBD   VERB   meet         ROOT       -
        Boric          NNP   PROPN  Boric        dobj       5   _
        .              .     PUNCT  .            punct      5
    """)
    assert words(Parse(doc).subjects(doc[1])) == ["Lula"]


def test_a_common_noun_stands_for_the_name_in_apposition_to_it() -> None:
    doc = parsed_table("""
        Iwaya          NNP   PROPN  Iwaya        nsubj      1
        met            VBD   VERB   meet         ROOT       -
        his            PRP$  PRON   his          poss       3
        counterpart    NN    NOUN   counterpart  dobj       1
        Cho            NNP   PROPN  Cho          appos      3   _
        .              .     PUNCT  .            punct      1
    """)
    assert words(Parse(doc).objects(doc[1])) == ["Cho"]


def test_a_subject_an_opening_phrase_of_time_ran_into_is_the_verbs() -> None:
    """"On 18 October Poland's security service said …" read as "On [18 October … service]", the
    verb left without a subject: the service said it."""
    doc = parsed_table("""
        On             IN    ADP    on           prep       7
        18             CD    NUM    18           nummod     6
        October        NNP   PROPN  October      compound   6
        Poland         NNP   PROPN  Poland       poss       6   _
        's             POS   PART   's           case       3
        security       NN    NOUN   security     compound   6
        service        NN    NOUN   service      pobj       0
        said           VBD   VERB   say          ROOT       -
        that           IN    SCONJ  that         mark       11
        troops         NNS   NOUN   troop        nsubj      11
        had            VBD   AUX    have         aux        11
        arrived        VBN   VERB   arrive       ccomp      7   _
        .              .     PUNCT  .            punct      7
    """)
    parse = Parse(doc)
    assert words(parse.subjects(doc[7])) == ["service"]
    assert words(parse.subjects(doc[11])) == ["troops"]


def test_a_bearing_or_a_margin_puts_the_place_of_its_phrase_near_the_verb() -> None:
    """"attacked southeast of X", "held a line west and north of X", "fighting on the outskirts of
    X": the place of the "of" (or "to") phrase is the verb's, read under "near"."""
    doc = parsed_table("""
        Troops         NNS   NOUN   troop        nsubj      1
        attacked       VBD   VERB   attack       ROOT       -
        southeast      RB    ADV    southeast    advmod     1
        of             IN    ADP    of           prep       2
        Tulcea         NNP   PROPN  Tulcea       pobj       3
        .              .     PUNCT  .            punct      1
    """)
    assert [(p, t.text) for p, t in Parse(doc).obliques(doc[1])] == [("near", "Tulcea")]
    doc = parsed_table("""
        They           PRP   PRON   they         nsubj      1
        held           VBD   VERB   hold         ROOT       -
        a              DT    DET    a            det        4
        line           NN    NOUN   line         compound   4
        west           NN    NOUN   west         dobj       1
        and            CC    CCONJ  and          cc         4
        north          NN    NOUN   north        conj       4
        of             IN    ADP    of           prep       6
        Tulcea         NNP   PROPN  Tulcea       pobj       7
        .              .     PUNCT  .            punct      1
    """)
    assert [(p, t.text) for p, t in Parse(doc).obliques(doc[1])] == [("near", "Tulcea")]
    doc = parsed_table("""
        Fighting       NN    NOUN   fighting     nsubj      1
        raged          VBD   VERB   rage         ROOT       -
        on             IN    ADP    on           prep       1
        the            DT    DET    the          det        4
        approaches     NNS   NOUN   approach     pobj       2
        to             IN    ADP    to           prep       4
        Tulcea         NNP   PROPN  Tulcea       pobj       5
        .              .     PUNCT  .            punct      1
    """)
    assert [(p, t.text) for p, t in Parse(doc).obliques(doc[1])] == [("on", "approaches"), ("near", "Tulcea")]
    doc = parsed_table("""
        Troops         NNS   NOUN   troop        nsubj      1
        attacked       VBD   VERB   attack       ROOT       -
        east           RB    ADV    east         advmod     1
        of             IN    ADP    of           prep       1
        Tulcea         NNP   PROPN  Tulcea       pobj       3
        .              .     PUNCT  .            punct      1
    """)
    assert [(p, t.text) for p, t in Parse(doc).obliques(doc[1])] == [("of", "Tulcea"), ("near", "Tulcea")]


def test_a_clause_on_a_passive_is_done_by_the_passives_subject() -> None:
    """"Soldiers were killed fighting for X": the soldiers fought, whoever killed them."""
    doc = parsed_table("""
        Soldiers       NNS   NOUN   soldier      nsubjpass  2
        were           VBD   AUX    be           auxpass    2
        killed         VBN   VERB   kill         ROOT       -
        fighting       VBG   VERB   fight        xcomp      2
        for            IN    ADP    for          prep       3
        Chad           NNP   PROPN  Chad         pobj       4
        .              .     PUNCT  .            punct      2
    """)
    assert words(Parse(doc).subjects(doc[3])) == ["Soldiers"]


def test_a_finite_verb_the_parser_hung_on_a_noun_is_said_of_it() -> None:
    """"The brigade, which fought at X, crossed into Y" read with "crossed" as a clause on
    "brigade": the brigade crossed."""
    doc = parsed_table("""
        The            DT    DET    the          det        1
        brigade        NN    NOUN   brigade      ROOT       -
        ,              ,     PUNCT  ,            punct      1
        which          WDT   PRON   which        nsubj      4
        fought         VBD   VERB   fight        relcl      1
        ,              ,     PUNCT  ,            punct      1
        crossed        VBD   VERB   cross        acl        1
        into           IN    ADP    into         prep       6
        Chad           NNP   PROPN  Chad         pobj       7
        .              .     PUNCT  .            punct      1
    """)
    assert words(Parse(doc).subjects(doc[6])) == ["brigade"]


def test_a_clause_whose_opening_word_was_read_as_a_preposition_keeps_its_subject() -> None:
    """"The talks ended a day after Jan Novak, the envoy, reported by phone that …": "after" read
    as a preposition makes Novak its object and leaves "reported" without a subject; Novak
    reported, and "by phone" is how, not who."""
    doc = parsed_table("""
        The            DT    DET    the          det        1
        talks          NNS   NOUN   talk         nsubj      2
        ended          VBD   VERB   end          ROOT       -
        a              DT    DET    a            det        4
        day            NN    NOUN   day          npadvmod   5
        after          IN    ADP    after        prep       2
        Jan            NNP   PROPN  Jan          compound   7
        Novak          NNP   PROPN  Novak        pobj       5
        ,              ,     PUNCT  ,            punct      7
        the            DT    DET    the          det        10
        envoy          NN    NOUN   envoy        appos      7
        ,              ,     PUNCT  ,            punct      7
        reported       VBD   VERB   report       advcl      2
        by             IN    ADP    by           agent      12
        phone          NN    NOUN   phone        pobj       13
        .              .     PUNCT  .            punct      2
    """)
    parse = Parse(doc)
    assert words(parse.subjects(doc[12])) == ["Novak"]
    assert words(parse.subjects(doc[2])) == ["talks"]


def test_a_passives_by_phrase_still_names_its_doer() -> None:
    """"After the summit, troops were sent by Moscow": the passive's "by" is its doer; the phrase
    of time opens no clause (nothing of it stands right before a verb without subject)."""
    doc = parsed_table("""
        After          IN    ADP    after        prep       6
        the            DT    DET    the          det        2
        summit         NN    NOUN   summit       pobj       0
        ,              ,     PUNCT  ,            punct      6
        troops         NNS   NOUN   troop        nsubjpass  6
        were           VBD   AUX    be           auxpass    6
        sent           VBN   VERB   send         ROOT       -
        by             IN    ADP    by           agent      6
        Moscow         NNP   PROPN  Moscow       pobj       7   _
        .              .     PUNCT  .            punct      6
    """)
    parse = Parse(doc)
    assert words(parse.subjects(doc[6])) == ["Moscow"]
    assert words(parse.objects(doc[6])) == ["troops"]


def test_the_object_of_called_on_does_what_the_infinitive_says() -> None:
    """"Poland called on Hungary to leave": Hungary leaves, not Poland; "went to Kyiv to sign" is a
    purpose ("to" controls nothing)."""
    doc = parsed_table("""
        Poland         NNP   PROPN  Poland       nsubj      1   _
        called         VBD   VERB   call         ROOT       -
        on             IN    ADP    on           prep       1
        Hungary        NNP   PROPN  Hungary      pobj       2   _
        to             TO    PART   to           aux        5
        leave          VB    VERB   leave        advcl      1
        .              .     PUNCT  .            punct      1
    """)
    assert words(Parse(doc).subjects(doc[5])) == ["Hungary"]
    doc = parsed_table("""
        Novak          NNP   PROPN  Novak        nsubj      1   _
        went           VBD   VERB   go           ROOT       -
        to             IN    ADP    to           prep       1
        Kyiv           NNP   PROPN  Kyiv         pobj       2   _
        to             TO    PART   to           aux        5
        sign           VB    VERB   sign         advcl      1
        .              .     PUNCT  .            punct      1
    """)
    assert words(Parse(doc).subjects(doc[5])) == ["Novak"]


def test_a_datelines_place_made_subject_stands_for_the_name_after_its_dash() -> None:
    """"OSLO, May 2 - Norway will send …" read with OSLO as the subject and Norway hung on it: Norway
    sends."""
    doc = parsed_table("""
        OSLO           NNP   PROPN  OSLO         nsubj      7   _
        ,              ,     PUNCT  ,            punct      0
        May            NNP   PROPN  May          npadvmod   0
        2              CD    NUM    2            nummod     2
        -              :     PUNCT  -            punct      5
        Norway         NNP   PROPN  Norway       appos      0   _
        will           MD    AUX    will         aux        7
        send           VB    VERB   send         ROOT       -
        troops         NNS   NOUN   troop        dobj       7
        .              .     PUNCT  .            punct      7
    """)
    assert words(Parse(doc).subjects(doc[7])) == ["Norway"]
