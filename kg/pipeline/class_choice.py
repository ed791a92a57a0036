"""Choosing a span's class where the NER's label and a gazetteer or lexicon reading disagree.

The statistical NER read the span in its sentence; the gazetteer and the lexicon know the name
out of context. Neither overrides the other (``data/rules/entities.toml``, ``[class_choice]``):
each class gets the weight of the evidence for it -- the NER's label (by how sure the NER is of
that label), the reading (by what the name is: a curated actor, a country, a capital, a city …)
and the context (a title or honorific before the name speaks for a person, a locative
preposition for a place, names coordinated with it for their class, the text naming the state
of a capital for the capital) -- and the heaviest class wins, the NER's on a tie. The choice carries
its score (the winner's share of the evidence) and the evidence itself, for diagnostics.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy
from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Span

from kg import lexicon
from kg.pipeline.doc import doc_text

__all__ = ["ClassChoice", "after_initial", "choose_class", "is_actor", "is_locative", "is_sports_story", "person_cue", "used_as_ground",
           "is_team", "is_venue", "is_nationality"]

_CHOICE = lexicon.section("rules/entities").table("class_choice")
NER_WEIGHT: dict[str, float] = _CHOICE.mapping("ner")
"""How much the NER's label counts, per label."""
READING_WEIGHT: dict[str, float] = _CHOICE.mapping("reading")
"""How much a gazetteer or lexicon reading counts, per kind of name."""
PERSON_CUE = _CHOICE.number("person_cue")
LOCATIVE = _CHOICE.number("locative")
COORDINATED = _CHOICE.number("coordinated")
CAPITAL_OF_NAMED_STATE = _CHOICE.number("capital_of_named_state")
_NER_CLASS: dict[str, str] = lexicon.section("rules/entities").mapping("class_of_ner_label")
_METONYMY = lexicon.section("rules/entities").table("metonymy")
STATIVE_VERBS = _METONYMY.words("stative_verbs")
"""Verbs whose subject does not act ("London is a city"): no metonymy."""
ACTOR_NOUNS = _METONYMY.words("actor_nouns")
"""Nouns whose possessor acts as a government ("Moscow's decision")."""
_WORDNET_LISTS = lexicon.section("lexicon/wordnet").table("lists")
WITH_HEADS = frozenset().union(*(_WORDNET_LISTS.words(name) for name in _METONYMY.words("with_lists")))
"""Words of a bond or a deal whose "with" takes the other side ("signed with Moscow")."""
RAISING = _METONYMY.words("raising_predicates")
"""Predicates with a to-infinitive that say what is likely, not what a subject wills."""
_TEAMS = lexicon.section("rules/entities").table("teams")
TEAM_ROLES = _TEAMS.words("roles")
MATCH_NOUNS = _TEAMS.words("match_nouns")
VERSUS = _TEAMS.words("versus")
RESULT_VERBS = _TEAMS.words("result_verbs")
PLAY_VERBS = _TEAMS.words("play_verbs")
SPORT_WORDS = _WORDNET_LISTS.words("sport_words")
"""Nouns of sport, grown from WordNet's sport senses and topic domain (``data/lexicon/wordnet-seeds.toml``)."""
MIN_SPORT_WORDS = _TEAMS.integer("min_sport_words")
VENUE_PREPOSITIONS = _TEAMS.words("venue_prepositions")
TRAVEL_VERBS = _WORDNET_LISTS.words("travel_verbs")
"""Verbs of going to a place, matched on the lemma of the verb or its noun ("visits to Paris")."""


@dataclass(frozen=True)
class ClassChoice:
    """The class chosen for a span, with the canonical name of the reading when it won."""

    cls: str
    canonical: str
    score: float
    """The winner's share of all the evidence, in (0.5, 1] (0.5 on a tie)."""
    evidence: tuple[tuple[str, str, float], ...]
    """``(source, class, weight)`` of each piece of evidence."""


def is_locative(span: Span) -> bool:
    """Whether a name is used as a location: the object of "in", "to", "from" …, a conjunct of
    one ("in Kyiv and Moscow"), an apposition ("Budapest, Hungary"), a name before a settlement
    noun ("the Tigray region", "Sumy oblast"), or the ground a verb takes ("recaptured X")."""
    root = span.root
    if used_as_ground(span, root):
        return True
    if root.dep_ == "pobj" and root.head.lower_ in lexicon.LOCATIVE_PREPOSITIONS:
        return True
    if root.dep_ == "conj":
        head = root.head
        return head.dep_ == "pobj" and head.head.lower_ in lexicon.LOCATIVE_PREPOSITIONS
    if root.dep_ in ("appos", "npadvmod") and root.head.pos_ == "PROPN":
        return root.head.ent_type_ in ("GPE", "LOC", "Place", "State")  # "Budapest, Hungary"
    return False


def used_as_ground(span: Span, root) -> bool:  # type: ignore[no-untyped-def]
    """Whether a name is used as ground: before a settlement noun ("the Tigray region", "Sumy
    oblast"), or with ``root`` (its root, or the first of the words coordinated with it) the
    object of a verb that takes ground ("recaptured X", "X was shelled") or the "of" phrase of
    such a noun ("the fall of X", "the siege of X")."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if after is not None and after.pos_ == "NOUN" and after.lemma_.lower() in lexicon.SETTLEMENT_NOUNS:
        return True
    if root.dep_ in ("dobj", "nsubjpass") and root.head.lemma_.lower() in lexicon.GROUND_VERBS:
        return True
    return root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in lexicon.GROUND_NOUNS


def is_actor(span: Span) -> bool:
    """Whether a name acts in its sentence, as a government does: the subject of a verb that is
    not stative ("Moscow denied", "Tokyo will send") or of a will to act ("Moscow is determined
    to"), the agent of a passive ("was rejected by Moscow", "plans by Washington"), the
    possessor of what a government holds ("Moscow's decision", not "London's mayor"), one
    side of a pair of states ("Moscow-Pyongyang ties"), or the other side of a bond or a deal
    ("a treaty signed with Moscow", "talks with Tokyo"). Never inside a locative phrase ("talks
    in Tokyo")."""
    if is_locative(span):
        return False
    root = span.root
    while root.dep_ == "conj":  # "Washington and Moscow agreed": the first conjunct's role
        root = root.head
    if root.dep_ in ("nsubj", "nsubjpass") and _intends(root.head):
        return True  # "Moscow is determined to continue", "Tokyo is ready to send": a will of its own
    if root.dep_ == "nsubj":
        head = root.head
        return head.pos_ in ("VERB", "AUX") and head.lemma_.lower() not in STATIVE_VERBS
    if root.dep_ == "pobj" and root.head.lower_ in ("by", "between"):
        return True  # "plans by Washington", "cooperation between Moscow and Pyongyang"
    if root.dep_ == "pobj" and root.head.lower_ == "with":  # "a treaty signed with Moscow", "ties with Tokyo"
        bond = root.head.head
        return bond.lemma_.lower() in WITH_HEADS or bond.lower_ in WITH_HEADS
    if root.dep_ == "poss":
        return root.head.lemma_.lower() in ACTOR_NOUNS or root.head.lower_ in ACTOR_NOUNS
    if root.dep_ == "compound":  # "Moscow-Pyongyang ties": a pair of governments
        others = [t for t in (*root.head.children, *root.children) if t.dep_ == "compound" and t.i != root.i]
        others.append(root.head)
        return any(t.text in lexicon.CAPITALS or t.text in lexicon.STATE_NAMES for t in others)
    return False


def _intends(head) -> bool:
    """Whether a subject's predicate is a will to act: an adjective or participle that governs
    a to-infinitive ("is determined to", "is ready to", "was prepared to"), but none that says
    only what is likely or scheduled (``raising_predicates``: "is likely to", "is due to")."""
    predicates = [head, *(c for c in head.children if c.dep_ == "acomp")]
    return any(p.tag_ in ("JJ", "VBN") and p.lower_ not in RAISING
               and any(c.dep_ == "xcomp" and c.tag_ == "VB" for c in p.children) for p in predicates)


def is_team(span: Span) -> bool:
    """Whether a place's name stands for a sports team: a plural verb after the singular name
    ("Liverpool have", "Italy come to Edinburgh"), a player's role after it ("Middlesbrough
    defender"), a match noun or a verb of play governing "against" it ("the friendly against
    Sweden", "scored on his debut against Portsmouth"), "v" beside it ("Hartlepool v Boston"), or a result between two named
    sides ("Chelsea beat Portsmouth"). Never an adjectival demonym: "French striker" is a
    nationality, where "Middlesbrough striker" is a club's player."""
    if span.text in lexicon.DEMONYMS:
        return False
    doc = span.doc
    root = span.root
    if (root.dep_ in ("nsubj", "nsubjpass") and span[-1].tag_ == "NNP" and not span[-1].text.endswith("s")
            and not any(c.dep_ == "conj" for c in root.children)):
        verb = root.head
        forms = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass"))]
        if any(t.tag_ == "VBP" or t.lower_ == "were" for t in forms):
            return True  # "Liverpool have", "Italy come", "Liverpool were reported"
    if any(c.i + 1 < len(doc) and doc[c.i + 1].lower_ in TEAM_ROLES for c in root.conjuncts):
        return True  # "Ireland and Munster lock Paul O'Connell"
    if root.dep_ == "nsubj" and not span[-1].text.endswith("s") and not root.conjuncts and any(
            c.dep_ == "dobj" and any(t.lower_ == "their" and t.dep_ == "poss" for t in c.children)
            for c in root.head.children):
        return True  # "Portugal confirmed their progress": a team, as a state is "its" (two
        # states are "their": "neither Moscow nor Pyongyang has confirmed their presence")
    if (span.start >= 2 and doc[span.start - 1].lower_ in ("over", "against")
            and doc[span.start - 2].lemma_.lower() in MATCH_NOUNS):
        return True  # "the win over Italy", however the parse attaches "over"
    if span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 1].like_num and doc[span.end + 2].text == ")":
        return True  # a seeded team in a draw: "Fiji (3), Australia (6)"
    if root.dep_ in ("nsubj", "dobj") and root.head.lemma_.lower() in RESULT_VERBS:
        verb = root.head  # "Chelsea beat Portsmouth": a result between two named sides
        sides = [c for c in verb.children if c.dep_ in ("nsubj", "dobj")]
        if len(sides) == 2 and all(c.pos_ == "PROPN" for c in sides):
            return True
    if _score_follows(span) and not any(t.tag_ in _FINITE for t in span.sent):
        return True  # a result or a table row: "Japan 2 Syria 1", "Liverpool 10 6 2 2 15 8 20"
    if span.end < len(doc) and (doc[span.end].lower_ in TEAM_ROLES or doc[span.end].lower_ in VERSUS):
        return True
    if span.start > 0 and doc[span.start - 1].lower_ in VERSUS:
        return True
    root = span.root
    while root.dep_ == "conj":
        root = root.head
    if root.dep_ == "pobj" and root.head.lower_ in ("against", "over", "to"):
        governor = root.head.head.lemma_.lower()
        if governor in MATCH_NOUNS or (root.head.lower_ == "against" and governor in PLAY_VERBS):
            return True
    return False


_FINITE = frozenset({"VBD", "VBP", "VBZ", "MD"})


def _score(token) -> bool:
    """A small whole number, as a score or a table's column is."""
    return token.text.isdigit() and int(token.text) < 200


_SCORE = re.compile(r"(?<![\w.,£$€-])\d{1,3}-\d{1,3}(?![\w%-]|[.,]\d)")
"""A score in the text ("28-17", "6-4"); the tokenizer splits it at the hyphen, so it is read
off the text, not a token. Not part of a longer number, a date or a percentage ("2004-05", "10-15%")."""


_SPORT_HASHES = numpy.array([get_string_id(w) for w in SPORT_WORDS], dtype="uint64")
_HYPHEN = get_string_id("-")


def _sport_words(doc) -> Iterator:
    """The words of sport in a doc (``sport_words``, by form or lemma): nouns, so a word the
    tagger reads as a verb ("matched", "coached") is none; a hyphenated word the tokenizer split
    ("semi-finals": "semi", "-", "finals") is read whole, and then not by its parts. The few
    candidate tokens are found on the doc's arrays, not token by token."""
    forms = doc.to_array([LOWER, LEMMA, ORTH])
    hits = set(numpy.flatnonzero(numpy.isin(forms[:, 0], _SPORT_HASHES) | numpy.isin(forms[:, 1], _SPORT_HASHES)).tolist())
    used: set[int] = set()
    for h in numpy.flatnonzero(forms[:, 2] == _HYPHEN).tolist():
        if 0 < h < len(doc) - 1 and not doc[h - 1].whitespace_ and not doc[h].whitespace_ and h - 1 not in used:
            head, last = f"{doc[h - 1].lower_}-", doc[h + 1]
            if head + last.lower_ in SPORT_WORDS or head + last.lemma_.lower() in SPORT_WORDS:
                used.update((h - 1, h, h + 1))
                yield doc[h - 1:h + 2]
    for i in sorted(hits - used):
        if doc[i].pos_ != "VERB":
            yield doc[i]


def is_sports_story(doc) -> bool:
    """Whether a doc is a sports story: at least ``min_sport_words`` of the words of sport
    (:func:`_sport_words`) and of scores ("28-17", "6-4")."""
    signs = itertools.chain(_sport_words(doc), _SCORE.finditer(doc_text(doc)))
    return next(itertools.islice(signs, MIN_SPORT_WORDS - 1, None), None) is not None


def is_venue(span: Span) -> bool:
    """Whether a name is where something happens: the object of "in", "near" … (or of one
    such phrase it is coordinated in), of "to" after a verb of travel or its noun ("visits to
    Paris"), or a place in apposition ("Charleroi, Belgium")."""
    root = span.root
    while root.dep_ == "conj":
        root = root.head
    if root.dep_ == "pobj" and root.head.lower_ in VENUE_PREPOSITIONS:
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lemma_.lower() in TRAVEL_VERBS:
        return True  # "three visits to Paris", "travel to Edinburgh": where the game is
    # "Charleroi, Belgium": in apposition to a place, not to a person's name
    return root.dep_ in ("appos", "npadvmod") and root.head.pos_ == "PROPN" and root.head.ent_type_ in ("GPE", "LOC", "Place", "State")


def is_nationality(span: Span) -> bool:
    """Whether a country's name gives a person's nationality: "Sweden's Thomas Johansson",
    "Dominik Hrbaty (Slovakia)", "the Norway international"."""
    doc = span.doc
    root = span.root
    if root.dep_ == "poss" and root.head.ent_type_ in ("PERSON", "Person"):
        return True
    if span.start >= 2 and doc[span.start - 1].text == "(" and doc[span.start - 2].ent_type_ in ("PERSON", "Person"):
        return True
    return span.end < len(doc) and doc[span.end].lower_ in ("international", "internationals")


def _score_follows(span: Span) -> bool:
    """Whether a score follows the name: a small number, then another name, a number, a
    punctuation mark or the end ("Japan 2 Syria 1"), not a unit ("Ukraine 24 hours after")."""
    doc = span.doc
    if span.end >= len(doc) or not _score(doc[span.end]):
        return False
    after = doc[span.end + 1] if span.end + 1 < len(doc) else None
    return after is None or after.pos_ in ("PROPN", "PUNCT", "NUM", "SPACE") or after.is_space


def after_initial(span: Span, known=lambda word: False) -> bool:
    """Whether a one-word name follows initials, as a surname does ("S Orlando (Treviso)",
    "J. Smith", "JM Barrie"), or a personal honorific ("Mr Hague", "Mrs Houston"). ``known``
    tells the names that are no initials ("UK", "EU")."""
    if len(span) != 1 or span.start == 0:
        return False
    before = span.doc[span.start - 1].text
    if before.lower().rstrip(".") in lexicon.PERSONAL_HONORIFICS:
        return True
    letters = before.replace(".", "")
    return (1 <= len(letters) <= 2 and letters.isalpha() and letters.isupper()
            and letters not in ("A", "I") and not known(before))


def person_cue(span: Span) -> bool:
    """A title or honorific before the name ("Mr", "President"), or an initial ("S Orlando")."""
    if span.start == 0:
        return False
    word = span.doc[span.start - 1].lower_.rstrip(".")
    return word in lexicon.HONORIFICS or word in lexicon.TITLE_WORDS or after_initial(span)


_CONJUNCT_CLASS = {"GPE": "Place", "LOC": "Place", "ORG": "Organization", "PERSON": "Person"}


def _coordinated_class(span: Span) -> str | None:
    """The class of the names a name is coordinated with, when the NER gave them all one:
    a place among places ("Maseru and Mbabane"), an organisation among organisations ("surveys
    from Nationwide and Halifax"), a person among people. Conjuncts are alike."""
    root = span.root
    named = {t.ent_type_ for t in root.conjuncts if not (span.start <= t.i < span.end) and t.ent_type_}
    classes = {_CONJUNCT_CLASS.get(label) for label in named}
    return classes.pop() if len(classes) == 1 and None not in classes else None


def _names_the_state_of(span: Span) -> bool:
    """Whether the text names the state whose capital ``span`` is ("Ukraine" beside "Kyiv")."""
    state = lexicon.CAPITALS.get(span.text)
    if state is None:
        return False
    return re.search(rf"\b{re.escape(state)}\b", doc_text(span.doc)) is not None


def choose_class(span: Span, ner_label: str, reading: tuple[str, str, str]) -> ClassChoice:
    """The class of ``span`` given the NER's label and a ``(class, canonical, kind)`` reading.

    ``kind`` says what the name is for the reading (``lexicon``, ``curated``, or a gazetteer
    kind: ``country``, ``capital``, ``city`` …). The canonical name is kept only when the
    reading's class wins.
    """
    read_cls, canonical, kind = reading
    evidence: list[tuple[str, str, float]] = []
    ner_cls = _NER_CLASS.get(ner_label)
    if ner_cls is not None:
        evidence.append((f"ner:{ner_label}", ner_cls, float(NER_WEIGHT.get(ner_label, 0.0))))
    evidence.append((f"reading:{kind}", read_cls, float(READING_WEIGHT.get(kind, min(READING_WEIGHT.values())))))
    if person_cue(span):
        evidence.append(("context:title", "Person", PERSON_CUE))
    locative = is_locative(span)
    if locative:
        place = read_cls if read_cls in ("Place", "State") else "Place"
        evidence.append(("context:locative", place, LOCATIVE))
    if read_cls in ("Place", "State") and _names_the_state_of(span):
        evidence.append(("context:state_named", read_cls, CAPITAL_OF_NAMED_STATE))
    alike = _coordinated_class(span)
    if alike is not None and not (locative and alike == "Place"):  # a place's conjunct is locative already
        evidence.append(("context:coordinated", alike, COORDINATED))
    totals: dict[str, float] = {}
    for _, cls, weight in evidence:
        totals[cls] = totals.get(cls, 0.0) + weight
    first = ner_cls if ner_cls in totals else read_cls
    best = max(totals, key=lambda c: (totals[c], c == first))
    share = totals[best] / sum(totals.values()) if sum(totals.values()) else 1.0
    return ClassChoice(best, canonical if best == read_cls else "", round(share, 3), tuple(evidence))
