"""The word lists and values the relation rules read, loaded once from the data files.

Words are in ``data/lexicon/relations.toml`` (with ``data/lexicon/military.toml`` and
``states.toml``), confidences and dependency chains in ``data/rules/relations.toml``. Each name
below is the list a rule module reads; a trigger list is matched on the lemma or on the word as
its comment in the data file says.
"""

from __future__ import annotations

import re

from kg.lexicon import UNIT_NOUNS, section
from kg.model import EntityClass

__all__ = ["CONFIDENCE", "REACH", "CHAINS"]  # and the word lists below

_WORDS = section("lexicon/relations")
_RULES = section("rules/relations")

# claims
_CLAIMS = _WORDS.table("claims")
REPORT_VERBS = _CLAIMS.words("report_verbs")
DENIAL_VERBS = _CLAIMS.words("denial_verbs")
SOURCE_VERBS = _CLAIMS.words("source_verbs")
FIRST_PERSON = _CLAIMS.words("first_person")
PRONOUN_CONTENTS = _CLAIMS.words("pronoun_contents")
DEFINITE = _CLAIMS.words("definite")
PERFECT_AUXILIARIES = _CLAIMS.words("perfect_auxiliaries")
NEGATION_NOUNS = _CLAIMS.words("negation_nouns")
NEGATIVE_DETERMINERS = _CLAIMS.words("negative_determiners")

# pronouns
PRONOUNS = _WORDS.table("pronouns").words("person")
PLURAL_PRONOUNS = _WORDS.table("pronouns").words("plural")
POSSESSIVE_PRONOUNS = _WORDS.table("pronouns").words("possessive")

# modality
_MODALITY = _WORDS.table("modality")
POSSIBLE_WORDS = _MODALITY.words("possible")
EXPECTED_WORDS = _MODALITY.words("expected")
EXPECTED_HEADS = _MODALITY.words("expected_heads")
FUTURE_AUX = _MODALITY.words("future_auxiliaries")
FUTURE_MODIFIERS = _MODALITY.words("future_modifiers")

# troops and figures
_TROOPS = _WORDS.table("troops")
TROOP_NOUNS = frozenset(UNIT_NOUNS) | _TROOPS.words("extra_nouns")
PARTITIVE_HEADS = _TROOPS.words("partitive_heads")
PARTITIVE_COUNTS = _TROOPS.words("partitive_counts")
VAGUE_HEADS = _TROOPS.words("vague_heads")
PARTITIVE_PREPOSITIONS = _TROOPS.words("partitive_prepositions")
FIGURE_HEDGES = _TROOPS.words("figure_hedges")
FIGURE_DETERMINERS = _TROOPS.words("figure_determiners")
MIN_HEAD_COUNT = _TROOPS.integer("min_head_count")

# deployments
_DEPLOYMENT = _WORDS.table("deployment")
TRANSFER_VERBS = _DEPLOYMENT.words("transfer_verbs")
MOTION_VERBS = _DEPLOYMENT.words("motion_verbs")
PRESENCE_VERBS = _DEPLOYMENT.words("presence_verbs")
USE_VERBS = _DEPLOYMENT.words("use_verbs")
CASUALTY_VERBS = _DEPLOYMENT.words("casualty_verbs")
DESTINATION_PREPOSITIONS = _DEPLOYMENT.words("destination_prepositions")
LOCATION_PREPOSITIONS = _DEPLOYMENT.words("location_prepositions")
PURPOSE_PREPOSITIONS = _DEPLOYMENT.words("purpose_prepositions")
NEAR_PREPOSITIONS = _DEPLOYMENT.words("near_prepositions")

# conflict
_CONFLICT = _WORDS.table("conflict")
CONFLICT_VERBS = _CONFLICT.words("verbs")
OBJECTLESS_CONFLICT_VERBS = _CONFLICT.words("objectless_verbs")
WITH_CONFLICT_VERBS = _CONFLICT.words("with_verbs")
CLASH_VERBS = _CONFLICT.words("clash_verbs")
AGAINST = _CONFLICT.words("against")
NOUN_AGAINST = _CONFLICT.words("noun_against")
CONFLICT_NOUNS = _CONFLICT.words("nouns")
CLASH_NOUNS = _CONFLICT.words("clash_nouns")
CLASH_PLACE_PREPOSITIONS = _CONFLICT.words("clash_place_prepositions")
VERB_PLACE_PREPOSITIONS = _CONFLICT.words("verb_place_prepositions")

# alliance
_ALLIANCE = _WORDS.table("alliance")
ALLIANCE_NOUNS = _ALLIANCE.words("nouns")
AGREEMENT_NOUNS = _ALLIANCE.words("agreement_nouns")
SIGNING_VERBS = _ALLIANCE.words("signing_verbs")
ALLY_VERBS = _ALLIANCE.words("ally_verbs")
SUPPORT_VERBS = _ALLIANCE.words("support_verbs")
ALLY_NOUNS = _ALLIANCE.words("ally_nouns")
REGARD_VERBS = _ALLIANCE.words("regard_verbs")
FIGHT_ALONGSIDE_VERBS = _ALLIANCE.words("fight_alongside_verbs")
ALONGSIDE = _ALLIANCE.words("alongside")
SIDE_ON = _ALLIANCE.words("side_on")
SIDE_NOUN = _ALLIANCE.words("side_noun")
SIGNING_PLACE_PREPOSITIONS = _ALLIANCE.words("signing_place_prepositions")
NOT_ALLIANCES = _ALLIANCE.words("not_alliances")
WEAK_BONDS = _ALLIANCE.words("weak_bonds")

# gatherings
_GATHERINGS = _WORDS.table("gatherings")
SUMMIT_NOUNS = _GATHERINGS.words("summit_nouns")
MEETING_NOUNS = _GATHERINGS.words("meeting_nouns")
MEETING_VERBS = _GATHERINGS.words("meeting_verbs")
MEET = _GATHERINGS.words("meet")
PARTICIPANT_PREPOSITIONS = _GATHERINGS.words("participant_prepositions")
LEADER_NOUNS = _GATHERINGS.words("leader_nouns")

# roles
_ROLES = _WORDS.table("roles")
ROLE_WORDS = _ROLES.words("title_words")
ROLE_HEADS = _ROLES.words("title_heads")
HEAD_OF_STATE_TITLES = _ROLES.words("head_of_state_titles")
CAPITALISED_TITLES = _ROLES.words("capitalised_titles")
OF_PREPOSITIONS = _ROLES.words("of_prepositions")

# places
_PLACES = _WORDS.table("places")
CONTAINMENT_PREPOSITIONS = _PLACES.words("containment_prepositions")
LIST_CONJUNCTIONS = _PLACES.words("list_conjunctions")
CHAIN_PREPOSITIONS = _PLACES.words("chain_prepositions")
PLACE_PREPOSITIONS = _PLACES.words("place_prepositions")

# control
CALL_ON_VERBS = _WORDS.table("control").words("call_on_verbs")

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

# derived: the gates of the rule modules
TRIGGER_LEMMAS = (
    TRANSFER_VERBS | MOTION_VERBS | PRESENCE_VERBS | USE_VERBS | CONFLICT_VERBS | ALLIANCE_NOUNS
    | ALLY_VERBS | SUPPORT_VERBS | REGARD_VERBS | MEETING_VERBS
)
TRIGGER_WORDS = CONFLICT_NOUNS | ALLIANCE_NOUNS | SUMMIT_NOUNS | MEETING_NOUNS
TRIGGER_PREPOSITIONS = ALONGSIDE | SIDE_ON
"""A token is looked at as an event or relation trigger only with its lemma in
``TRIGGER_LEMMAS``, its word in ``TRIGGER_WORDS`` or a ``TRIGGER_PREPOSITIONS`` child (``fight
alongside X``, ``on the side of X``): the token rules do nothing for any other token. The sets are
unions of the rules' own trigger lists, so they cannot drift apart."""

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
"""Dependency chains ``head > word > child`` (``ACCORDING_TO``, ``IN_WORDS``, ``QUOTE_FROM``,
``BETWEEN``): a word (lower-cased) with its head and one of its children."""
CHAIN_TRIGGERS = re.compile(
    r"\b(?:" + "|".join(word for chain in _RULES.mapping("chains").values() for word in chain["anchors"]) + r")\b",
    re.IGNORECASE,
)
"""The words the chains are anchored on; a text without any of them has no match."""
