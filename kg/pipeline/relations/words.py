"""The word lists and values the relation rules read, loaded once from the data files.

Trigger words of events and relations are in ``data/lexicon/wordnet.toml`` (grown from WordNet by
``scripts/build_lexicon.py``) and are named by the patterns of ``data/rules/patterns.toml``;
the words the rules read besides — reporting cues, pronouns, modality, quotation marks, title
words — are in ``data/lexicon/relations.toml``; confidences and dependency chains in
``data/rules/relations.toml``. A list is matched on the lemma or on the word as its comment in the
data file says.
"""

from __future__ import annotations

import re

from kg.lexicon import UNIT_NOUNS, section
from kg.model import EntityClass

__all__ = ["CONFIDENCE", "REACH", "CHAINS"]  # and the word lists below

_WORDS = section("lexicon/relations")
_WORDNET = section("lexicon/wordnet").table("lists")
_RULES = section("rules/relations")

# claims
_CLAIMS = _WORDS.table("claims")
REPORT_VERBS = _CLAIMS.words("report_verbs") | _WORDNET.words("reporting_verbs")
"""Verbs that attribute a statement to their subject (lemma)."""
PREPOSITIONAL_CUES: dict[str, frozenset[str]] = {
    verb: frozenset(preps) for verb, preps in _CLAIMS.mapping("prepositional_cues").items()
}
"""Verbs that attribute a statement only with one of these prepositions ("called for", "called on")."""
URGING_VERBS = _CLAIMS.words("urging_verbs")
STANCE_VERBS = _WORDNET.words("stance_verbs") - REPORT_VERBS
"""Verbs that state a stance on something ("condemned the move"): a claim whose content is what
they judge (lemma)."""
STANCE_PREPOSITIONS = _CLAIMS.words("stance_prepositions")
FIGURE_VERBS = _CLAIMS.words("figure_verbs")
FIGURE_NOUNS = _CLAIMS.words("figure_nouns")
"""Verbs that state a figure with one of ``FIGURE_NOUNS`` as their object ("gave a figure")."""
CUE_LEMMAS = REPORT_VERBS | URGING_VERBS | STANCE_VERBS | frozenset(PREPOSITIONAL_CUES) | FIGURE_VERBS
"""Every lemma that may cue a claim."""
DENIAL_VERBS = _CLAIMS.words("denial_verbs")
DENIAL_NOUNS = _CLAIMS.words("denial_nouns")
"""The nouns of denial verbs ("Syria's denials that ...")."""
REPORTING_NOUNS = _WORDNET.words("reporting_nouns")
"""Nouns of a statement ("claim", "denial", "warning"): with a that-clause, a claim of their
possessor or of the body a "by"/"from" phrase names (lemma)."""
FACTIVE_VERBS = _CLAIMS.words("factive_verbs")
"""Reporting verbs whose content the writer presupposes: a negated one leaves it asserted."""
SOURCE_VERBS = _CLAIMS.words("source_verbs")
FIRST_PERSON = _CLAIMS.words("first_person")
PRONOUN_CONTENTS = _CLAIMS.words("pronoun_contents")
NEGATION_NOUNS = _CLAIMS.words("negation_nouns")
NEGATIVE_DETERMINERS = _CLAIMS.words("negative_determiners")
SEQUEL_ADVERBS = _CLAIMS.words("sequel_adverbs")
"""Adverbs that date a statement on the last day the text named ("said afterwards")."""
SIMULTANEITY_MARKS = _CLAIMS.words("simultaneity_marks")
SETTING_PREPOSITIONS = _CLAIMS.words("setting_prepositions")
AFTER_EVENT_PREPOSITIONS = _CLAIMS.words("after_event_prepositions")
STATE_VOICES = _CLAIMS.words("state_voices")
"""People who speak for their state: "Ukrainian commanders said" is Ukraine speaking (lemma)."""
"""Prepositions of a place a statement opens on that a body without owner speaks for ("In Seoul,
the foreign ministry said")."""
"""Conjunctions of a clause a statement was made during ("said as he opened the meeting")."""

# pronouns
PRONOUNS = _WORDS.table("pronouns").words("person")
PLURAL_PRONOUNS = _WORDS.table("pronouns").words("plural")
POSSESSIVE_PRONOUNS = _WORDS.table("pronouns").words("possessive")

# modality
_MODALITY = _WORDS.table("modality")
POSSIBLE_WORDS = _MODALITY.words("possible")
EXPECTED_WORDS = _MODALITY.words("expected")
EXPECTED_HEADS = _MODALITY.words("expected_heads")
IRREALIS_HEADS = _MODALITY.words("irrealis_heads")
"""Verbs (with their particle, when written with one) whose complement is not told as done
("urged X to send", "ruled out supplying")."""
HYPOTHETICAL_WORDS = _MODALITY.words("hypothetical")
CONDITIONAL_MARKS = _MODALITY.words("conditional_marks")
NEGATIVE_ADVERBS = _MODALITY.words("negative_adverbs")
NEGATIVE_VERBS = _MODALITY.words("negative_verbs")
FUTURE_AUX = _MODALITY.words("future_auxiliaries")
FUTURE_MODIFIERS = _MODALITY.words("future_modifiers")

# troops and figures
_TROOPS = _WORDS.table("troops")
TROOP_NOUNS = frozenset(UNIT_NOUNS) | _TROOPS.words("extra_nouns") | _WORDNET.words("troop_nouns")
MILITARY_QUALIFIERS = _TROOPS.words("military_qualifiers")
PERSON_NOUNS = _WORDNET.words("person_nouns")
"""Nouns whose usual sense is a person: with a military qualifier, troops ("military deminers")."""
"""Nouns of soldiers and units (word or lemma)."""
VAGUE_HEADS = _TROOPS.words("vague_heads")
VEHICLE_NOUNS = _TROOPS.words("vehicle_nouns")
"""Vehicles that carry troops: their owner is no sender of the troops."""
PARTITIVE_PREPOSITIONS = _TROOPS.words("partitive_prepositions")
FIGURE_HEDGES = _TROOPS.words("figure_hedges")
FIGURE_DETERMINERS = _TROOPS.words("figure_determiners")
MIN_HEAD_COUNT = _TROOPS.integer("min_head_count")

# conflict and gatherings: which triggers name a clash, a summit
CLASH_NOUNS = _WORDNET.words("clash_nouns")
"""Nouns that name a clash (an event), unlike a war (a state of conflict)."""
CLASH_VERBS = _WORDS.table("conflict").words("clash_verbs")
"""Verbs that always make a clash event, with or without a place or a date."""
FIGHTING_VERBS = _WORDS.table("conflict").words("fighting_verbs")
"""Verbs of fighting alongside someone ("fight", "serve"), for the ground they fight on."""
WARS_IN = _WORDS.table("conflict").words("wars_in")
"""Nouns of a war a state wages in another state, against it ("Russia's war in Ukraine")."""
INVASIONS = _WORDS.table("conflict").words("invasions")
"""Words of entering another state's ground: that state is the side attacked."""
REMOTE_ATTACKS = _WORDS.table("conflict").words("remote_attacks")
"""Attacks from afar (shelling, bombing): their attackers are not at the place attacked."""
SUMMIT_NOUNS = _WORDNET.words("summit_nouns")
LEADER_NOUNS = _WORDS.table("gatherings").words("leader_nouns")
ARRIVAL_VERBS = _WORDS.table("gatherings").words("arrival_verbs")
"""Verbs that put their subject at a place ("was in Moscow", "arrived in Vienna")."""
ARRIVAL_PREPOSITIONS = _WORDS.table("gatherings").words("arrival_prepositions")
VISIT_VERBS = _WORDNET.words("visit_verbs")
"""Verbs of visiting (WordNet): their object is the place visited."""

# bonds
_BONDS = _WORDS.table("bonds")
POSITIVE_BOND_MODIFIERS = _BONDS.words("positive_modifiers")
ALLIANCE_AGREEMENTS = _BONDS.words("alliance_agreements")
SELF_ALLIANCE_AGREEMENTS = _BONDS.words("alliance_nouns")
BOND_NOUNS_NEEDING_QUALIFIER = _BONDS.words("need_qualifier")
WEAK_BONDS = _BONDS.words("weak_bonds")

# roles
_ROLES = _WORDS.table("roles")
TITLE_NOUNS = _WORDNET.words("title_nouns")
"""Nouns that are a position someone holds: the head a title must have."""
OCCUPATION_NOUNS = _WORDNET.words("occupation_nouns")
"""Nouns of what a person does ("historian", "officer"): a title only with the body it is done in
("a Yale historian", "a senior KGB officer")."""
CIVILIAN_NOUNS = _WORDNET.words("civilian_nouns")
"""People who are no state's agents: a demonym on them is a nationality ("an Iraqi civilian")."""
ROLE_WORDS = TITLE_NOUNS | _ROLES.words("title_modifiers")
"""Words that may make up a title."""
ROLE_HEADS = TITLE_NOUNS
SPELLINGS: dict[str, str] = _ROLES.mapping("spellings")
"""One spelling of a title word ("defense" -> "defence"), to compare titles."""
POST_VERBS: dict[str, str] = _ROLES.mapping("post_verbs")
"""Verbs of holding a post in a body ("commands", "heads", "serves in"), with the title they give."""
CAPITALISED_TITLES = _ROLES.words("capitalised_titles")
OF_PREPOSITIONS = _ROLES.words("of_prepositions")
AFFILIATION_PREPOSITIONS = _ROLES.words("affiliation_prepositions")
COPULA_VERBS = _ROLES.words("copula_verbs")
_MEMBERSHIP = _WORDS.table("membership")
PART_NOUNS = _MEMBERSHIP.words("part_nouns")
"""Nouns of a part whose "of" phrase names the whole ("part of", "a unit of")."""
PART_COPULAS = _MEMBERSHIP.words("copulas")
PART_VERBS = _MEMBERSHIP.words("part_verbs")
"""Verbs whose "to" phrase names the whole their subject is part of ("belongs to")."""
COUNTERPARTS = _ROLES.words("counterparts")

# places
_PLACES = _WORDS.table("places")
CONTAINMENT_PREPOSITIONS = _PLACES.words("containment_prepositions")
LIST_CONJUNCTIONS = _PLACES.words("list_conjunctions")
OF_PLACE_PREPOSITIONS = _PLACES.words("of_place_prepositions")
EVENT_PLACE_PREPOSITIONS = _PLACES.words("event_place_prepositions")
SETTLEMENT_HEADS = _PLACES.words("settlement_heads")
TERRITORY_NOUNS = _PLACES.words("territory_nouns")
"""Nouns of a state's ground ("Russian soil"): a demonym on them names a place, not an actor."""

# quotations
_QUOTES = _WORDS.table("quotes")
QUOTE_MARKS = _QUOTES.regex("marks")
"""Characters that may open or close a quotation (spaCy's ``is_quote`` tokens start with one)."""
SINGLE_QUOTES = _QUOTES.words("single")
OPENING_QUOTES = _QUOTES.words("opening")
CLOSING_QUOTES = _QUOTES.words("closing")
OPENING_AFTER = "".join(_QUOTES.sequence("opening_after"))
TAIL_MARKS = _QUOTES.words("tail_marks")
SENTENCE_ENDS = _QUOTES.words("sentence_ends")

ACTOR_CLASSES = frozenset({EntityClass.STATE, EntityClass.MILITARY_UNIT, EntityClass.ORGANIZATION})
"""Classes that act: take sides, send troops, sign, meet."""
PLACE_CLASSES = frozenset({EntityClass.PLACE, EntityClass.STATE})
"""Classes that can be where something happens."""

# rules: confidences, reaches, chains
CONFIDENCE = _RULES.table("confidence")
"""``CONFIDENCE.table("role").number("apposition")``: the confidence of each rule's facts."""
REACH = _RULES.table("reach")
CHAINS: dict[str, tuple[tuple[str, frozenset[str]], frozenset[str], tuple[str, frozenset[str]]]] = {
    name.upper(): (
        (chain["head"]["attr"], frozenset(chain["head"]["values"])),
        frozenset(chain["words"]),
        (chain["child"]["attr"], frozenset(chain["child"]["values"])),
    )
    for name, chain in _RULES.mapping("chains").items()
}
"""Dependency chains ``head > word > child`` (``ACCORDING_TO``, ``IN_WORDS``, ``QUOTE_FROM``): a
word (lower-cased) with its head and one of its children."""
CHAIN_TRIGGERS = re.compile(
    r"\b(?:" + "|".join(word for chain in _RULES.mapping("chains").values() for word in chain["anchors"]) + r")\b",
    re.IGNORECASE,
)
"""The words the chains are anchored on; a text without any of them has no match."""
