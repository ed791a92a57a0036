"""The ``kg_entities`` component: entity spans typed as kg's five classes, trimmed and filtered.

It runs after the model's NER and kg's entity ruler, and maps labels onto the classes
(:class:`kg.model.EntityClass`), trims determiners and possessives, resolves metonymy
("Moscow is ignoring" -> Russia; "a summit in Budapest" stays a place), drops names in bylines,
credits and boilerplate, and marks definite descriptions ("the agency") for the entity layer to
resolve. Each kept span's id carries ``Class:canonical name``; :func:`doc_spans` reads them off
as :class:`kg.model.SpanRecord` objects for :func:`kg.entities.collect_entities`.
"""

from __future__ import annotations

import functools
import re

import numpy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg import lexicon
from kg.linking import is_city_state_name, load_gazetteer
from kg.linking.gazetteer import CITY_KINDS, REGION_KINDS
from kg.model import ANAPHOR, ARMED_GROUP, ENTITY_CLASSES, STAND_IN, TEAM, SpanRecord
from kg.model import Span as TextSpan
from kg.pipeline.class_choice import (
    MATCH_NOUNS,
    TEAM_ROLES,
    after_initial,
    choose_class,
    is_actor,
    is_locative,
    is_nationality,
    is_sports_story,
    is_team,
    is_venue,
    person_cue,
    used_as_ground,
)
from kg.pipeline.dates import DATELINE_DASHES, DATELINE_REACH
from kg.pipeline.doc import doc_text, sentence_span
from kg.pipeline.entity_ruler import NER_LABELS, POSSESSIVES as POSSESSIVE_ENDINGS, RULER_SOURCE, forces_state

REGION_AFTER = lexicon.section("rules/linking").table("cues").words("region_after")
"""Words after a place's name that make it a region (``data/rules/linking.toml``)."""

__all__ = ["kg_entities", "doc_spans", "named_formation"]

_RULES = lexicon.section("rules/entities")
_WORDNET_LISTS = lexicon.section("lexicon/wordnet").table("lists")
"""The word lists grown from WordNet (``data/lexicon/wordnet.toml``)."""
_NER_CLASS: dict[str, str] = _RULES.mapping("class_of_ner_label")
_MIN_PERSON_LENGTH = _RULES.table("person").integer("min_length")
_DROP_LEADING = lexicon.section("lexicon/names").words("leading_determiners")
_TRAILING_POSSESSIVES = lexicon.section("lexicon/names").sequence("trailing_possessives")
_NAME_OK = re.compile(r"[A-Za-z]")


def _gazetteer_class(text: str) -> tuple[str, str, str] | None:
    """``(class, canonical name, kind)`` the gazetteer gives ``text``, if unambiguous enough;
    ``kind`` is ``curated`` for a hand-checked entry, else the gazetteer's kind (``country``…)."""
    entries = load_gazetteer().lookup(text)
    if not entries:
        return None
    states = [e for e in entries if e.cls == "State"]
    best = states[0] if states else entries[0]
    if best.cls == "MilitaryUnit":  # a unit's canonical is its state ("KPA" -> North Korea)
        state = forces_state(best.names)
        return (best.cls, state, "curated" if best.curated else best.kind) if state else None
    return best.cls, best.name, "curated" if best.curated else best.kind


def _reading(span: Span) -> tuple[str, str, str] | None:
    """The ruler's ``(class, canonical, kind)`` reading kept in the id of an NER span whose
    boundaries a gazetteer or lexicon name matched exactly (:func:`kg.pipeline.entity_ruler.merge_spans`)."""
    cls, sep, canonical = span.id_.partition(":")
    if not sep or cls not in ENTITY_CLASSES:
        return None
    if "/" in canonical or canonical.startswith("Q"):  # a gazetteer key
        entry = load_gazetteer().get(canonical) if canonical.startswith("Q") else None
        found = _gazetteer_class(span.text)
        kind = ("curated" if entry.curated else entry.kind) if entry else (found[2] if found else "city")
        return cls, canonical, kind
    return cls, canonical, "lexicon"


_OCCUPATION_NOUNS = _WORDNET_LISTS.words("occupation_nouns")
"""WordNet's nouns of occupation ("lawyer", "campaigner"): data/lexicon/wordnet-seeds.toml."""


def _occupation_opening(token: Token, end: int) -> bool:
    """A noun of occupation that opens the sentence (or a quotation) before at least two more
    words of a name, or alone before a name the model tagged apart: "Lawyer Jane Roe said" is
    Jane Roe; "Hunter Biden" and a two-word name are left alone (a given name may be spelt like
    such a noun)."""
    if token.lower_ not in _OCCUPATION_NOUNS or not token.is_title:
        return False
    alone = end == token.i + 1 and end < len(token.doc) and token.doc[end].is_title
    if end - token.i < 3 and not alone:
        return False
    before = token.doc[token.i - 1] if token.i > 0 else None
    return token.is_sent_start or before is None or before.is_quote or before.text in {":", "-", "\u2013", "\u2014"}


_NEVER_LAST = frozenset({"ADP", "CCONJ", "DET", "SCONJ", "PART"})
"""Parts of speech a name never ends in when written lower case ("of", "and", "the")."""


def _trim(span: Span) -> Span | None:
    """Drop leading determiners and a trailing possessive: "the NATO's" -> "NATO"; and a
    lower-case function word a name never ends in ("The 25th Brigade of" -> "25th Brigade"); a
    title before a person's name, or a word of occupation capitalised only because it opens the
    sentence ("Lawyer Jane Roe said": :func:`_occupation_opening`)."""
    start, end = span.start, span.end
    while start < end and (
        span.doc[start].is_space
        or span.doc[start].lower_ in _DROP_LEADING
        or (span.label_ == "PERSON" and span.doc[start].lower_ in lexicon.TITLE_WORDS)
        or (span.label_ == "PERSON" and _occupation_opening(span.doc[start], end))
    ):
        start += 1
    while end > start and (span.doc[end - 1].lower_ in _TRAILING_POSSESSIVES or span.doc[end - 1].is_punct
                           or span.doc[end - 1].is_space
                           or (span.doc[end - 1].is_lower and span.doc[end - 1].pos_ in _NEVER_LAST)):
        end -= 1
    if start >= end:
        return None
    return Span(span.doc, start, end, label=span.label_, kb_id=span.kb_id_, span_id=span.id_)


@functools.lru_cache(maxsize=1024)
def _inline_credits(line: str) -> tuple[tuple[int, int], ...]:
    """Where a line's inline credits are. Cached: the entities of one paragraph share its line."""
    return tuple(m.span() for m in lexicon.INLINE_CREDIT.finditer(line))


_FINITE_TAGS = frozenset({"VBD", "VBP", "VBZ", "MD"})


def _boilerplate_sentences(doc: Doc) -> set[int]:
    """The start tokens of the doc's boilerplate segments, each on evidence: a sentence holding a
    byline, credit or notice pattern (:data:`kg.lexicon.NOISE_LINE`) that is no ordinary sentence
    (no finite verb: "Photo: Reuters", "By Jan Novak"), or one of the last sentences holding a
    rights notice ("This material may not be published"). A pattern inside an ordinary sentence
    ("proof and sources", a copyright row of a sports table) never drops it, and an article
    delivered as one line loses only what is boilerplate."""
    sentences = list(doc.sents)
    text = doc_text(doc)
    found = set()
    for index, sent in enumerate(sentences):
        segment = text[sent.start_char:sent.end_char]
        if index >= len(sentences) - lexicon.END_SENTENCES and lexicon.END_NOTICE.search(segment):
            found.add(sent.start)
        elif lexicon.is_noise_line(segment) and not any(t.tag_ in _FINITE_TAGS for t in sent):
            found.add(sent.start)
            if sent[-1].text == ":" and index + 1 < len(sentences):  # "Photo:" | "Reuters/Jan Novak"
                following = sentences[index + 1]
                if not any(t.tag_ in _FINITE_TAGS for t in following):
                    found.add(following.start)
    return found


def _in_noise_line(doc: Doc, span: Span, boilerplate: set[int] | frozenset[int] = frozenset()) -> bool:
    """Whether a span is a name of boilerplate: in a boilerplate segment (``boilerplate``, from
    :func:`_boilerplate_sentences`), in an inline credit ("(MENAFN- UkrinForm)"), or alone on its
    line as a person or organisation (a byline such as "Maciej Zubel")."""
    if span.sent.start in boilerplate:
        return True
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    for credit_start, credit_end in _inline_credits(line):
        if credit_start <= span.start_char - line_start < credit_end:
            return True
    rest = (line[: span.start_char - line_start] + line[span.end_char - line_start:]).strip(" \t:-–—|·")
    return not rest and _label(span) in ("PERSON", "ORG", "Person")


def _is_locative(span: Span) -> bool:
    """Whether a place name is used as a location (object of "in", "to", "from" …)."""
    return is_locative(span)


def _metonymy(span: Span) -> tuple[str, str] | None:
    """A capital used as an actor stands for its state: ``("State", state)``; anywhere else
    ("in London", "London's mayor") it stays the city (:func:`kg.pipeline.class_choice.is_actor`)."""
    state = lexicon.CAPITALS.get(span.text)
    if state is None:
        return None
    return ("State", state) if is_actor(span) else None


def _city_state_place(span: Span) -> bool:
    """A country name that is also its capital's name, used as a location ("in Luxembourg")."""
    if not _is_locative(span):
        return False
    return is_city_state_name(span.text)


def _demonym_of_title(span: Span) -> str | None:
    """The state of a demonym qualifying a title: "South Korean Defence Minister" -> South Korea."""
    state = lexicon.DEMONYMS.get(span.text)
    if state is None:
        return None
    doc = span.doc
    for token in doc[span.end: min(span.end + 3, len(doc))]:
        if token.lower_ in lexicon.TITLE_WORDS:
            return state
        if not token.is_title:
            return None
    return None


_NOT_NAME_TAGS = frozenset({"JJ", "JJR", "JJS", "RB", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "IN", "DT", "PRP"})


def _continent_as_actor(span: Span) -> bool:
    """A continent's name that acts ("Europe says", "pressed by Europe", "Europe's response"), or
    that a bond joins ("closer co-operation with Europe"): it stands for governments or
    institutions kg cannot tell apart, not for the continent."""
    canonical = span.id_.partition(":")[2]
    entry = load_gazetteer().get(canonical) if canonical.startswith("Q") else None
    if entry is None or entry.kind != "continent":
        return False
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ == "with":
        bond = root.head.head
        before = _word_before(root.head)  # "co-operation with Europe", however parsed and split
        if {bond.lemma_.lower(), bond.lower_, bond.lower_.replace("-", ""), before, before.replace("-", "")} & _BOND_WORDS:
            return True
    return is_actor(span)


def _word_before(tok) -> str:  # type: ignore[no-untyped-def]
    """The word right before ``tok`` as written, hyphenated parts joined ("co-operation" that the
    tokenizer split into "co", "-", "operation"), lower-cased."""
    doc, end = tok.doc, tok.i
    start = end - 1
    while start > 0 and not doc[start - 1].whitespace_:
        start -= 1
    return doc[max(start, 0):end].text.lower()


_BOND_WORDS = _WORDNET_LISTS.words("alliance_nouns")


_SIDE_NOUNS = _RULES.table("teams").words("side_nouns")


def _national_side(span: Span) -> bool:
    """In a sports story, a people's name heading its phrase ("helped the Irish to a lead",
    "starred against the French") or a demonym on a group of players ("the Irish defence", "the
    Spanish pair") is the national side. The caller asks only of what the NER read as a people
    (NORP): "the UK" is a state's name, not its people."""
    root = span.root
    if span.text in lexicon.PEOPLE or (span.text in lexicon.DEMONYMS and root.dep_ in _NOUN_PHRASE_HEADS
                                       and root.left_edge.dep_ == "det"):
        return root.dep_ in _NOUN_PHRASE_HEADS
    return span.text in lexicon.DEMONYMS and root.dep_ in ("amod", "compound") and root.head.lower_ in _SIDE_NOUNS


_PERSON_NOUNS = _WORDNET_LISTS.words("person_nouns")
"""WordNet's nouns whose usual sense is a person ("player", "champion")."""


def _sides_quality(span: Span) -> bool:
    """In a sports story, a demonym on a common noun that names no person ("French flair", "a
    French half", "the Irish line") speaks of the national side; on a person ("the American
    champion", "the Czech fifth seed") it is a nationality."""
    root = span.root
    head = root.head
    return (span.text in lexicon.DEMONYMS and root.dep_ in ("amod", "compound") and head is not root
            and head.pos_ == "NOUN" and head.is_lower and head.lemma_.lower() not in _PERSON_NOUNS
            and head.lower_ not in _PERSON_NOUNS and head.lower_ not in TEAM_ROLES
            and head.lemma_.lower() not in _LANGUAGE_NOUNS)


_LANGUAGES = _RULES.table("languages")
_LANGUAGE_NOUNS = _LANGUAGES.words("nouns")
_LANGUAGE_VERBS = _LANGUAGES.words("verbs")


def _a_language(span: Span) -> bool:
    """Whether a demonym names a language (``[languages]``): before a language noun ("the
    Russian alphabet"), listed under one or with a name the NER read as a language ("three
    languages: English, French and Swiss-German"), alone after "in" ("written in French") or the
    object of a verb of language ("speaks Russian")."""
    if span.text not in lexicon.DEMONYMS:
        return False
    doc, root = span.doc, span.root
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.lemma_.lower() in _LANGUAGE_NOUNS:
        return True
    first = _first_conjunct(root)
    if first.head.lemma_.lower() in _LANGUAGE_NOUNS and first.head.i < first.i:
        return True
    if any(t.ent_type_ == "LANGUAGE" for t in (first, *first.conjuncts) if t.i != root.i):
        return True  # "English, French and Swiss-German", the first read as a language
    if root.dep_ == "pobj" and root.head.lower_ == "in" and root.i == span.end - 1:
        return True
    return root.dep_ == "dobj" and root.head.lemma_.lower() in _LANGUAGE_VERBS


def _one_person(span: Span) -> bool:
    """A singular demonym heading its own noun phrase that opens with a determiner: one person of
    that nationality ("the Brazilian decides", "sink the Croatian", "the 25th seeded American",
    "the Russian's arrival"), not the state.
    A demonym qualifying a noun ("the Dutch international"; right before a name, see :func:`_nationals`),
    the plural people ("the Russians") or a demonym with no plural of its own, which is the
    people ("the French", "the Chinese"), names the state."""
    if len(span) != 1 or span.text in lexicon.PEOPLE or span.text.endswith(_COLLECTIVE_ENDINGS):
        return False  # a plural people noun, or "the French": no plural of its own
    word = span[0]
    doc = word.doc
    if word.dep_ == "poss" and word.left_edge.dep_ == "det" and word.i + 1 < len(doc) and doc[word.i + 1].tag_ == "POS":
        return True  # "the Russian's arrival": one Russian's
    opened = word.left_edge.dep_ == "det" or word.left_edge.lower_ in _ONE_PERSON_MODIFIERS  # "fellow Ethiopian"
    return (word.dep_ in _NOUN_PHRASE_HEADS and opened
            and not (word.i + 1 < len(doc) and doc[word.i + 1].pos_ in ("NOUN", "PROPN")))


_ONE_PERSON_MODIFIERS = lexicon.section("lexicon/names").words("one_person_modifiers")
"""Words before a demonym heading its phrase that make it one person ("fellow Ethiopian")."""


_COLLECTIVE_ENDINGS = ("ch", "sh", "ese", "ss")
"""Endings of demonyms with no plural of their own ("French", "Irish", "Chinese", "Swiss"):
after "the" they are the people. Others take an "-s" ("the Croatian", "the Croatians")."""


_NOUN_PHRASE_HEADS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj"})


_GOVERNMENT_HEADS = _RULES.table("government_of_state").words("heads")


def _government_of(span: Span) -> str | None:
    """The state whose government a name is: a demonym or the state's name, then a head of
    ``[government_of_state]`` ("British Government", "UK government"), or the head, "of" and
    the state's name ("Government of India") -> that state."""
    if len(span) >= 3 and span[0].lower_ in _GOVERNMENT_HEADS and span[1].lower_ == "of":
        words = span[2:].text
    elif len(span) >= 2 and span[-1].lower_ in _GOVERNMENT_HEADS:
        words = span[:-1].text
    else:
        return None
    state = lexicon.DEMONYMS.get(words) or lexicon.STATE_NAMES.get(words)
    if state is None:
        known = _gazetteer_class(words)
        state = known[1] if known and known[0] == "State" else None
    return state


def _acronym(text: str) -> bool:
    """A short name mostly of capitals ("MoD", "FCO", "NHS"), not a name with two capitals in
    it ("McCain")."""
    capitals = sum(c.isupper() for c in text)
    return 2 <= len(text) <= 6 and text.isalpha() and capitals >= 2 and 2 * capitals >= len(text)


def _stray_word(span: Span) -> bool:
    """A one-word span that is no name: a word the tagger reads as an adjective, adverb or verb
    ("Fierce fighting broke out", which the NER takes for an organisation), or a bare adjectival
    demonym ("Ukrainian" alone, the NER's GPE or ORG)."""
    if len(span) != 1:
        return False
    return span[0].tag_ in _NOT_NAME_TAGS or span.text in lexicon.DEMONYMS


def _label(span: Span) -> str:
    """The NER's label of a span, or the kg class its id carries for a span of kg's ruler and
    for an NER span whose label agrees with the ruler's reading (GPE and ``State:Ukraine``).
    An NER span with a disagreeing reading keeps the NER's label: the class is then chosen in
    context (:func:`kg.pipeline.class_choice.choose_class`)."""
    cls, sep, _ = span.id_.partition(":")
    if sep and cls in ENTITY_CLASSES and (span.kb_id_ == RULER_SOURCE or span.label_ in NER_LABELS[cls]
                                          or span.label_ == cls):
        return cls
    if cls == "MilitaryUnit" and span.label_ == "NORP":  # "British" in "British and American troops"
        return cls
    return span.label_


def _first_conjunct(tok):  # type: ignore[no-untyped-def]
    """The first of the coordinated words ``tok`` is one of ("A" of "A, B and C")."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok


def _settlement_named(span: Span) -> bool:
    """Whether a name is one a settlement noun gives: "the town of X", or an item of its list
    ("the villages of A, B and C", where the NER may read B as a person)."""
    doc = span.doc
    if span.start >= 2 and doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lower_ in lexicon.SETTLEMENT_NOUNS:
        return True
    first = _first_conjunct(span.root)
    if first.i == span.root.i or first.dep_ != "pobj" or first.head.lower_ != "of":
        return False
    noun = first.head.head
    return noun.pos_ == "NOUN" and noun.lemma_.lower() in lexicon.SETTLEMENT_NOUNS and noun.i < first.i


_DOCUMENT_HEADS = _RULES.table("documents").words("heads")
"""Last words of a name that make it a document, a law or a doctrine, not an organisation."""
_FACILITY_BODIES = _RULES.table("facility_bodies").words("words")
"""Words that make a name the NER read as a facility a body ("Center for ... Studies")."""


def _dateline_place(span: Span) -> Span | None:
    """A place of a wire dateline written in capitals ("SEOUL/MOSCOW, June 17 - ..."): where
    the report was filed, named as the gazetteer knows it in ordinary case ("Seoul"), never a
    body's acronym; None for any other span."""
    doc = span.doc
    if not all(t.is_upper and t.is_alpha for t in span) or span.end >= len(doc) or doc[span.end].text not in {",", "/"}:
        return None
    start = span.start
    sent_start = span.sent.start
    while start > sent_start and doc[start - 1].text == "/" and start - 2 >= sent_start and doc[start - 2].is_upper:
        start -= 2
    while start > sent_start and doc[start - 1].is_upper and doc[start - 1].is_alpha:
        start -= 1  # "NEW YORK", "SAN FRANCISCO/SEOUL"
    if start != sent_start and not doc[start - 1].is_space:
        return None
    reach = doc[span.end: min(len(doc), start + DATELINE_REACH + 4)]
    if not any(t.text in DATELINE_DASHES for t in reach):
        return None
    known = _gazetteer_class(" ".join(t.text.capitalize() for t in span))
    canonical = known[1] if known is not None and known[0] in ("Place", "State") else ""
    return Span(doc, span.start, span.end, label="Place", span_id=f"Place:{canonical}")


def _type_span(span: Span, choices: dict | None = None) -> Span | None:
    """Map one entity span to kg's classes, or drop it; a class chosen in context between the
    NER's label and the name's reading is kept in ``choices`` by the span's bounds."""
    dateline = _dateline_place(span)
    if dateline is not None:
        return dateline
    label = _label(span)
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if after is not None and after.lower_ in lexicon.DEMONYM_COMPOUNDS.get(span.text, ()):
        return None  # "American football", "French horn": a thing's name, no state
    if label in ENTITY_CLASSES:
        hint = span.id_ or f"{label}:"
        cls, _, canonical = hint.partition(":")
        if span.kb_id_ != RULER_SOURCE:  # the NER's bounds: "the Ukrainian Defense Forces"
            span = _trim(span) or span
        if label == "Place" and span.text in lexicon.CAPITALS:
            turned = _metonymy(span)
            if turned:
                cls, canonical = turned
        elif label == "State" and _city_state_place(span):
            cls, canonical = "Place", ""
        return Span(span.doc, span.start, span.end, label=cls, span_id=f"{cls}:{canonical}")
    trimmed = _trim(span)
    if trimmed is None or not _NAME_OK.search(trimmed.text):
        return None
    text = trimmed.text
    if text.lower() in lexicon.TITLE_WORDS or text.lower() in lexicon.NOT_A_NAME or text.islower():
        return None
    government = _government_of(trimmed)
    if government:  # "the British Government": the state acting
        return Span(span.doc, trimmed.start, trimmed.end, label="State", span_id=f"State:{government}")
    party = lexicon.PARTIES.get(text)
    if party:  # "Lib Dem leader", "Tory MPs", "a Republican senator": the party, whatever the NER read
        return Span(span.doc, trimmed.start, trimmed.end, label="Organization", span_id=f"Organization:{party}")
    titled = _demonym_of_title(trimmed)
    if titled:
        return Span(span.doc, trimmed.start, trimmed.end, label="State", span_id=f"State:{titled}")
    if label in ("NORP", "LANGUAGE") and _a_language(trimmed):
        return None  # "the Russian alphabet", "written in French": a language, no state
    if label == "NORP":
        # the people of a state ("the Russians") and a state's adjective ("French President",
        # "Iraqi elections") name that state; one of its people ("the Brazilian decides") does not
        state = lexicon.PEOPLE.get(text) or lexicon.DEMONYMS.get(text)
        if state is None or text in lexicon.AMBIGUOUS_DEMONYMS or _one_person(trimmed):
            return None
        return Span(span.doc, trimmed.start, trimmed.end, label="State", span_id=f"State:{state}")
    if text in lexicon.CAPITALS:
        turned = _metonymy(trimmed)
        if turned:
            return Span(span.doc, trimmed.start, trimmed.end, label="State", span_id=f"State:{turned[1]}")
    doc = span.doc
    if (label != "PERSON" and len(trimmed) > 1 and trimmed[0].lower_.rstrip(".") in lexicon.PERSONAL_HONORIFICS
            and not any(t.tag_ == "POS" for t in trimmed)):  # but "Mr Brown's Finance Facility" is his thing
        return Span(doc, trimmed.start, trimmed.end, label="Person", span_id="Person:")
    if label in _NER_CLASS and _settlement_named(trimmed):
        return Span(doc, trimmed.start, trimmed.end, label="Place", span_id="Place:")
    reading = _reading(span) if (trimmed.start, trimmed.end) == (span.start, span.end) else None
    known = reading or _gazetteer_class(text)
    if not known and _stray_word(trimmed):
        return None
    if known:
        cls = known[0]
        if label not in NER_LABELS[cls]:  # the NER and the name disagree: weigh them in context
            choice = choose_class(trimmed, label, known)
            cls, canonical = choice.cls, choice.canonical
            if choices is not None:
                choices[(trimmed.start, trimmed.end)] = (choice, known)
        else:
            canonical = known[1]
        if cls == "Place" and text in lexicon.CAPITALS and label not in NER_LABELS["Place"]:
            turned = _metonymy(trimmed)  # "Kyiv said", read by the NER as a person: the state
            if turned:
                cls, canonical = turned
        if cls in ENTITY_CLASSES:
            return Span(span.doc, trimmed.start, trimmed.end, label=cls, span_id=f"{cls}:{canonical}")
    cls = _NER_CLASS.get(label)
    if cls is None:
        return None
    if label == "FAC" and any(t.lower_ in _FACILITY_BODIES for t in trimmed):
        cls = "Organization"  # "the Center for Strategic and International Studies": a body
    if cls == "Organization" and trimmed[-1].lower_ in _DOCUMENT_HEADS:
        return None  # "the Friendship and Mutual Aid Treaty": a document, no actor
    if cls == "Organization" and _opens_an_office(trimmed):
        return None  # "the Home Secretary": the first word of an office's title, no body
    if cls == "Person" and len(text) < _MIN_PERSON_LENGTH:
        return None
    if cls == "Place" and _acronym(text):
        cls = "Organization"  # "the MoD": an acronym no gazetteer knows names a body, not a place
    return Span(span.doc, trimmed.start, trimmed.end, label=cls, span_id=f"{cls}:")


@Language.component("kg_entities")
def kg_entities(doc: Doc) -> Doc:
    """Type, trim and filter ``doc.ents``; the span id carries ``Class:canonical name``."""
    kept = []
    boilerplate = _boilerplate_sentences(doc) if doc.ents else set()
    ents = _whole_names(doc)
    choices: dict[tuple[int, int], tuple] = {}
    spans = [(span, typed) for span in ents if not _in_noise_line(doc, span, boilerplate)
             for typed in [_type_span(span, choices)] if typed is not None]
    spans = _one_sense(spans, choices)
    spans = _places_by_use(spans)
    spans = _people_by_use(spans)
    spans = _bodies_by_use(spans)
    spans = _nationals(spans)
    spans = _compass_states(spans)
    sides = {id(typed) for _, typed in spans if typed.label_ in ("Place", "State") and is_team(typed)}
    side_lists = {_list_of(typed.root) for _, typed in spans if id(typed) in sides}
    for _, typed in spans:  # a side's list mates are sides: "Fiji (3), Australia (6), Canada, Portugal"
        if typed.label_ in ("Place", "State") and _list_of(typed.root) in side_lists:
            sides.add(id(typed))
    # a sports story by its words, or by two places' names that its sentences use as sides
    # ("England were beaten 11-9 by Wales"): there, other countries are sides too ("face France")
    sports = bool(doc.ents) and (is_sports_story(doc) or len({t.text for _, t in spans if id(t) in sides}) >= 2)
    for span, typed in spans:  # the kb id keeps who found it: the NER's label, or the ruler
        origin = span.kb_id_ if span.kb_id_ == RULER_SOURCE else span.label_
        cls, span_id = typed.label_, typed.id_
        if cls in ("Place", "State") and (_opens_a_name(typed) or _in_a_title(typed) or _ends_a_body_name(typed)):
            continue  # "Munich Re", "Swiss Re": a company's name; "Georgia on My Mind": a song's
        if (cls in ("Organization", "Place") and not sports
                and (named_formation(typed) and (_military(typed) or _numbered(typed) or typed[-1].lower_ in _MILITARY_FORMATIONS)
                     or len(typed) > 1 and typed[-1].is_title and typed[-1].lower_ in _NUMBERED_FORMATIONS and _numbered(typed))):
            cls, span_id = "MilitaryUnit", "MilitaryUnit:"  # "the Parachute Regiment": a unit of its own
            typed = _formation_name(typed)  # "4th Armoured Brigade" whole, "Russian" left outside
        elif cls == "Place" and _continent_as_actor(typed):
            span_id = f"Place:{STAND_IN}"  # "Europe says", "pressed by Europe": not the continent
        elif cls in ("Place", "State"):
            if id(typed) in sides:  # "Liverpool have", "Middlesbrough defender": the club;
                # a national team keeps its country's class but is not the state
                cls, span_id = ("Organization", "Organization:") if cls == "Place" else (cls, f"State:{TEAM}")
            elif after_initial(typed, known=_known_name):  # "S Orlando", "Mr Hague": a surname
                cls, span_id = "Person", "Person:"
            elif sports and cls == "State" and typed.root.dep_ in ("amod", "compound") and (
                    typed.root.head.lemma_.lower() in MATCH_NOUNS
                    or typed.text not in lexicon.DEMONYMS and typed.root.head.lower_ in TEAM_ROLES):
                # "an Irish victory", "the Italy game", "the England coach": the side's (a
                # demonym on a player is a nationality: "the Dutch striker")
                span_id = f"State:{TEAM}"
            elif sports and span.label_ == "NORP" and _national_side(typed):
                span_id = f"State:{TEAM}"  # "against the French", "the Irish defence": the side
            elif sports and cls == "State" and _sides_quality(typed):
                span_id = f"State:{TEAM}"  # "French flair", "a French half": the side's, no nationality
            elif sports and not is_venue(typed) and _town_or_country(typed):
                # a sports story's club ("his move from Middlesbrough") or national team
                if cls == "Place":
                    cls, span_id = "Organization", "Organization:"
                elif not is_nationality(typed):
                    span_id = f"State:{TEAM}"
        kept.append(Span(doc, typed.start, typed.end, label=cls, kb_id=origin, span_id=span_id))
    kept = _teams_throughout(kept)
    if not sports:
        kept = _places_in_a_list(kept)
    taken = {i for span in kept for i in range(span.start, span.end)}
    kept.extend(_organization_anaphors(doc, taken))
    if not sports:
        kept.extend(_numbered_formations(doc, taken))
    kept.extend(_armed_groups(doc, taken, {i for s in kept if s.label_ == "Organization" for i in range(s.start, s.end)}))
    kept.extend(_bodies_of_states(doc, kept, taken))
    kept.extend(_bracketed_acronyms(doc, kept, {i for span in kept for i in range(span.start, span.end)}))
    doc.ents = filter_spans(kept)
    return doc


def _places_in_a_list(spans: list[Span]) -> list[Span]:
    """A name the NER read as an organisation, coordinated with a place under a preposition of
    place ("near Pokrovsk and Kurakhove", "in Tikrit, Samarra and Baiji") and unknown to the
    gazetteer, is a place too: a list of places holds places. Only a one-word name: a longer one
    ("in London and Goldman Sachs") or an acronym names a body more often; a name the gazetteer or
    the lexicon knows keeps its reading."""
    place_roots = {s.root.i for s in spans if s.label_ == "Place"}
    out = []
    for s in spans:
        if (s.label_ == "Organization" and s.kb_id_ == "ORG" and s.id_ == "Organization:" and s.root.dep_ == "conj"
                and len(s) == 1 and not s.text.isupper()):  # one word, no acronym: "Kurakhove", not "Goldman Sachs"
            first = _first_conjunct(s.root)
            if (first.i in place_roots and first.dep_ == "pobj" and first.head.lower_ in lexicon.LOCATIVE_PREPOSITIONS
                    and not _gazetteer_class(s.text)):
                s = Span(s.doc, s.start, s.end, label="Place", kb_id=s.kb_id_, span_id="Place:")
        out.append(s)
    return out


_ORDINAL = re.compile(lexicon.section("lexicon/military").text("ordinal"), re.I)
"""A number that opens a formation's name when the NER leaves it out ("4th", "Third")."""
_FIGURES = lexicon.ORDINAL_IN_FIGURES
"""An ordinal in figures ("47th"): a formation so numbered is a unit in any text."""
_NUMBERED_FORMATIONS = lexicon.section("lexicon/military").words("numbered_formation_nouns")
"""Nouns that end a formation's name only with its number in figures ("the 11th Army Corps")."""
_MILITARY_FORMATIONS = lexicon.section("lexicon/military").words("military_formation_nouns")
"""Nouns that make a name a formation in any text ("Special Operations Forces")."""
_ROMAN = re.compile(lexicon.section("lexicon/military").text("roman_numeral"))
"""A Roman numeral numbering a formation ("V Corps")."""
_FIGURE_WORDS = re.compile(r"\b(?:" + _FIGURES.pattern + r")\b", re.I)
"""The same, searched for in running text."""


def named_formation(span: Span, numbered: bool = False) -> bool:
    """An organisation whose name ends in a formation noun ("3rd Battalion", "the Parachute
    Regiment", "Coldstream Guards", "Royal Navy"); taken as a unit only in a text that speaks of
    armed forces (:func:`_military`) and is no sports story ("promoted to the First Division").
    ``numbered``: also a noun that ends a formation's name only with its number ("V Corps", "the
    11th Army Corps"), for a span already known to be a unit."""
    nouns = lexicon.FORMATION_NOUNS | _NUMBERED_FORMATIONS if numbered else lexicon.FORMATION_NOUNS
    return len(span) > 1 and span[-1].is_title and span[-1].lower_ in nouns


def _numbered(span: Span) -> bool:
    """Whether a formation's name has its number in figures ("the 810th Naval Infantry
    Brigade") or opens with a Roman numeral ("V Corps"): a unit whatever the text around it says
    ("the Second Division" may be a league)."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    if len(span) > 1 and _ROMAN.fullmatch(span[0].text):
        return True  # "V Corps", "XVIII Airborne Corps"
    return any(_FIGURES.fullmatch(t.text) for t in span) or (before is not None and bool(_FIGURES.fullmatch(before.text)))


def _formation_name(span: Span) -> Span:
    """A formation's name as the unit's own: with the ordinal the NER left out before it ("4th"
    + "Armoured Brigade") and without a state's demonym or name before its number ("the Russian
    810th Naval Infantry Brigade" is the 810th, a unit of Russia's that the demonym says)."""
    doc = span.doc
    start = span.start
    if start > 0 and _ORDINAL.fullmatch(doc[start - 1].text):
        start -= 1
    for i in range(start, span.end - 1):
        if _ORDINAL.fullmatch(doc[i].text):
            if i > start and all(t.text in lexicon.DEMONYMS or t.text in lexicon.STATE_NAMES or t.tag_ == "POS"
                                 for t in doc[start:i]):
                start = i
            break
    return doc[start: span.end]


def _numbered_formations(doc: Doc, taken: set[int]) -> list[Span]:
    """Formations named by their number that the NER missed ("the 47th Mechanised Brigade",
    "the 2nd Battalion Royal Gurkha Rifles"): an ordinal in figures, then capitalised words up to the last
    formation noun among them, none inside another entity. Not in a sports story ("the Second
    Division"), where the caller does not look."""
    found = []
    text = doc_text(doc)
    starts = [span.start for m in _FIGURE_WORDS.finditer(text)  # the few ordinals, found in the text
              for span in [doc.char_span(m.start(), m.end(), alignment_mode="expand")] if span is not None]
    for i in starts:
        if i in taken or not _FIGURES.fullmatch(doc[i].text) or (found and i < found[-1].end):
            continue
        end = None
        j = i + 1
        while j < len(doc) and j not in taken and doc[j].is_title and doc[j].is_alpha:
            if doc[j].lower_ in lexicon.FORMATION_NOUNS:
                end = j + 1
            j += 1
        if end is None:
            continue
        found.append(Span(doc, i, end, label="MilitaryUnit", span_id="MilitaryUnit:"))
    return found


def _military(span: Span) -> bool:
    """Whether the text around a name speaks of armed forces: a word of troops ("soldiers",
    "army", "forces") outside the name itself."""
    hits = numpy.flatnonzero(numpy.isin(span.doc.to_array(LOWER), _word_hashes(frozenset(lexicon.UNIT_NOUNS))))
    return bool(((hits < span.start) | (hits >= span.end)).any())


@functools.lru_cache(maxsize=4)
def _word_hashes(words: frozenset[str]) -> numpy.ndarray:
    """The hashes of lower-case words, to find them on a doc's LOWER array at once."""
    return numpy.array([get_string_id(w) for w in words], dtype="uint64")


_INSIDE = _RULES.table("inside_a_name")
_TITLE_NOUNS = _WORDNET_LISTS.words("title_nouns")
_OWN_WORDS = _INSIDE.words("own_words") | lexicon.TITLE_WORDS | _TITLE_NOUNS | lexicon.HONORIFICS | lexicon.FORMATION_NOUNS \
    | frozenset(lexicon.UNIT_NOUNS) | lexicon.ORGANIZATION_ANAPHORS | lexicon.SETTLEMENT_NOUNS | REGION_AFTER
"""Words after a place's name that name the place's own offices, bodies or parts ("US Army")."""
_HEADLINE_WORD = _INSIDE.integer("headline_word_length")
_EVENT_HEADS = _INSIDE.words("event_heads")


_OF_HEADS = _INSIDE.words("of_heads")


def _ends_a_body_name(span: Span) -> bool:
    """Whether a place's name ends a body's name after "of" ("the Directors Guild of Great
    Britain", "the University of Michigan"): a capitalised noun of ``of_heads`` right before the
    "of", not where a sentence begins ("Council of Europe" names Europe's body, not the place)."""
    doc = span.doc
    k = span.start - 1
    if k >= 1 and doc[k].lower_ == "the":
        k -= 1
    if k < 1 or doc[k].lower_ != "of":
        return False
    head = doc[k - 1]
    return head.is_title and (head.lower_ in _OF_HEADS or head.lemma_.lower() in _OF_HEADS)


def _opens_a_name(span: Span) -> bool:
    """Whether a place's name or demonym opens a longer proper name ("Munich Re", "Swiss Re",
    "the Mecca Bingo chain", "a UK Independence Party member"), or a place's name names a
    recurring event ("the New York marathon", ``event_heads``): it modifies a phrase that goes on
    with capitalised proper nouns, and those are no name of a place, party or person and none of
    :data:`_OWN_WORDS` ("the US Army", "Moscow Mayor Sergei Sobyanin", "Kyiv Oblast" stay the
    place's); after a demonym, no name the NER found but an organisation's. Not in a headline
    in title case, where every word is capitalised."""
    root = span.root
    head = root.head
    if (root.dep_ in ("compound", "amod", "nmod") and head.i >= span.end and head.lemma_.lower() in _EVENT_HEADS
            and span.text not in lexicon.DEMONYMS):
        return True  # "the New York marathon", "the Bangkok festival": the event's name
    if root.dep_ != "compound" or head.i < span.end:
        return False
    run = []  # the capitalised proper nouns right after it: "Re", "Independence Party" (member)
    for token in span.doc[span.end: head.i + 1]:
        if token.pos_ != "PROPN":
            break
        run.append(token)
    if not run:
        return False
    demonym = span.text in lexicon.DEMONYMS
    for token in run:
        if (not token.is_title or token.lower_ in _OWN_WORDS or token.lemma_.lower() in _OWN_WORDS
                or token.ent_type_ in ("PERSON", "Person") or (demonym and token.ent_type_ not in ("", "ORG"))
                or token.text in lexicon.DEMONYMS or token.text in lexicon.PARTIES or _known_name(token.text)):
            return False  # a demonym before a name the NER read as anything ("American Justin Gatlin")
    return not _headline(span.sent)


def _headline(sent: Span) -> bool:
    """A headline in title case ("Russia Sends More Troops to Kursk"): no lower-case word of
    ``headline_word_length`` letters; there a capital letter says nothing about a name."""
    return not any(t.is_lower and t.is_alpha and len(t) >= _HEADLINE_WORD for t in sent)


_SENSE_CLASSES = frozenset({"Place", "State", "Organization", "Person"})


def _one_sense(spans: list[tuple[Span, Span]], choices: dict) -> list[tuple[Span, Span]]:
    """One sense per story for a name whose class was chosen in context: its mentions vote, one
    vote each for the class it got ("Crimea voted", which the NER reads as an organisation, is
    the place the rest of the story names; a name the NER keeps misreading as a person is the
    town two locative mentions make it). Only the NER's class or the name's reading can win; a
    tie keeps each mention's own class."""
    pooled: dict[str, dict[str, int]] = {}
    for _, typed in spans:  # one vote per mention, for the class it got
        if typed.label_ in _SENSE_CLASSES:
            votes = pooled.setdefault(typed.text, {})
            votes[typed.label_] = votes.get(typed.label_, 0) + 1
    out = []
    for span, typed in spans:
        found = choices.get((typed.start, typed.end))
        totals = pooled.get(typed.text, {})
        if found and totals:
            own = typed.label_
            winner = max(totals, key=lambda c: (totals[c], c == own))
            choice, (read_cls, canonical, _) = found
            readings = {cls for source, cls, _ in choice.evidence if source.startswith(("ner:", "reading:"))}
            if winner != own and winner in readings:
                name = canonical if winner == read_cls else ""
                typed = Span(typed.doc, typed.start, typed.end, label=winner, span_id=f"{winner}:{name}")
        out.append((span, typed))
    return out


_PLACE_BY_USE = _RULES.table("place_by_use")
_PLACE_PREPOSITIONS = _PLACE_BY_USE.words("prepositions")
"""Prepositions whose object is a place, never a person ("near X", "around X")."""
_MIN_PLACE_USES = _PLACE_BY_USE.integer("min_uses")
_NOT_BODY_PREPOSITIONS = _PLACE_BY_USE.words("organization_prepositions")
"""Prepositions of place that never take a body's name ("around X")."""


def _place_use(span: Span) -> bool:
    """Whether a name is used as a place: the object (or a conjunct of the object) of a
    preposition of place, of a bearing's or a margin's "of" ("north of X", "the outskirts of X"),
    before a settlement noun ("the X region") or beside one in apposition ("X, the district
    town"; "a village, X"), or the ground a verb takes ("recaptured X", ``ground_verbs``)."""
    root = _first_conjunct(span.root)
    if root.dep_ == "pobj":
        prep = root.head
        if prep.lower_ in _PLACE_PREPOSITIONS:
            return True
        if prep.lower_ in ("of", "to") and (prep.head.lower_ in lexicon.BEARINGS or prep.head.lower_ in lexicon.MARGINS
                                            or (prep.i > 0 and span.doc[prep.i - 1].lower_ in lexicon.BEARINGS)):
            return True
    if used_as_ground(span, root):
        return True  # "the X region", "recaptured X", "the siege of X"
    nouns = [c for c in span.root.children if c.dep_ == "appos"]
    if span.root.dep_ == "appos":
        nouns.append(span.root.head)
    return any(n.pos_ == "NOUN" and n.lemma_.lower() in lexicon.SETTLEMENT_NOUNS for n in nouns)


def _places_by_use(spans: list[tuple[Span, Span]]) -> list[tuple[Span, Span]]:
    """One-word names the NER read as people or organisations, unknown to the gazetteer and the
    lexicon, that the story uses as places and never as people (``[place_by_use]``): an
    unfamiliar town's name reads like a surname or a company to the NER ("heavy fighting near
    X"), often differently from one mention to the next. A name read as a person needs a use as
    a place, and is no surname of a longer person's name in the story ("Melnyk said"); one read
    as an organisation needs a use as a place and another mention the NER itself read as a
    place, or a preposition that never takes a body's name ("around X"), or a place set off by
    commas after it ("X, in the Donetsk region,"): a body's name follows "in" too ("a stake in
    X")."""
    names: dict[str, list[Span]] = {}
    for _, typed in spans:
        if len(typed) == 1:
            names.setdefault(typed.text, []).append(typed)
    surnames = {typed[-1].text for _, typed in spans if typed.label_ == "Person" and len(typed) > 1}
    grounds = {i for _, typed in spans if typed.label_ in ("Place", "State") for i in range(typed.start, typed.end)}
    places: set[str] = set()
    for name, mentions in names.items():
        unread = [m for m in mentions if m.id_ in ("Person:", "Organization:")]
        if not unread or name.isupper() or name in surnames or _known_name(name):
            continue
        if any(m.label_ == "Person" and person_cue(m) or _possessed(m) for m in mentions):
            continue
        located = any(_placed_in(m, grounds) for m in mentions)
        uses = sum(_place_use(m) for m in mentions) + located
        read_as_place = any(m.label_ == "Place" for m in mentions) or any(_only_places_there(m) for m in mentions) or located
        as_person = any(m.label_ == "Person" for m in unread)
        if uses >= _MIN_PLACE_USES and (read_as_place or (as_person and not any(m.label_ == "Organization" for m in unread))):
            places.add(name)
    if not places:
        return spans
    return [(span, Span(typed.doc, typed.start, typed.end, label="Place", span_id="Place:")
             if len(typed) == 1 and typed.text in places and typed.id_ in ("Person:", "Organization:") else typed)
            for span, typed in spans]


_COMPASS_STATE_WORDS = _RULES.table("compass_states").words("words")


def _compass_states(spans: list[tuple[Span, Span]]) -> list[tuple[Span, Span]]:
    """"The North" (capitalised, after "the") is the one state the story names whose name opens
    with "North" ("North Korea"), when there is one (``[compass_states]``)."""
    states = {typed.text: typed.id_ for _, typed in spans if typed.label_ == "State" and len(typed) > 1}
    out = []
    for span, typed in spans:
        word = typed.text
        if (len(typed) == 1 and word.lower() in _COMPASS_STATE_WORDS and word[:1].isupper() and typed.start > 0
                and typed.doc[typed.start - 1].lower_ == "the" and typed.label_ in ("Place", "Organization")):
            named = {ident for name, ident in states.items() if name.split()[0] == word}
            if len(named) == 1:
                typed = Span(typed.doc, typed.start, typed.end, label="State", span_id=named.pop())
        out.append((span, typed))
    return out


_REPORT_VERBS = lexicon.section("lexicon/relations").table("claims").words("report_verbs")
"""Verbs of saying: their subject speaks, as people and bodies do, never places."""


def _people_by_use(spans: list[tuple[Span, Span]]) -> list[tuple[Span, Span]]:
    """A name of two or more words the NER read as a place, unknown to the gazetteer, that the
    story has speak ("X announced", "X said") or gives a person's title in apposition ("the head
    of the commission, X") and never uses as a place, is a person: a name read as a city. One
    read as an organisation is a person when a title stands in apposition to it ("Lithuania's
    president, X,")."""
    people: set[str] = set()
    for name, mentions in _by_name(spans).items():
        if len(mentions[0]) < 2 or _known_name(name):
            continue
        if all(m.label_ == "Organization" and m.id_ == "Organization:" for m in mentions):
            # a body speaks too: only a person's title beside it tells ("X's president, Y,")
            if any(_titled_apposition(m) for m in mentions):
                people.add(name)
            continue
        if not all(m.label_ == "Place" and m.id_ == "Place:" for m in mentions):
            continue
        if any(is_locative(m) or _place_use(m) for m in mentions):
            continue
        if any(_speaks(m) or _titled_apposition(m) for m in mentions):
            people.add(name)
    return _relabelled(spans, people, "Person")


def _by_name(spans: list[tuple[Span, Span]]) -> dict[str, list[Span]]:
    """The typed spans of each name."""
    names: dict[str, list[Span]] = {}
    for _, typed in spans:
        names.setdefault(typed.text, []).append(typed)
    return names


def _relabelled(spans: list[tuple[Span, Span]], names: set[str], cls: str) -> list[tuple[Span, Span]]:
    """``spans`` with every mention of ``names`` typed ``cls``, with no canonical name."""
    if not names:
        return spans
    return [(span, Span(typed.doc, typed.start, typed.end, label=cls, span_id=f"{cls}:") if typed.text in names else typed)
            for span, typed in spans]


def _nationals(spans: list[tuple[Span, Span]]) -> list[tuple[Span, Span]]:
    """Demonyms that name people, not their state: one right before a person's name ("American
    Kelli White", "Argentine David Nalbandian": the person's nationality), and a people counted or
    qualified ("adult Americans", "two million Britons": people, where "the Americans" act as the
    state)."""
    person_starts = {typed.start for _, typed in spans if typed.label_ == "Person"}
    out = []
    for span, typed in spans:
        if typed.label_ == "State" and len(typed) == 1:
            word = typed[0]
            if typed.text in lexicon.DEMONYMS and typed.end in person_starts:
                continue
            if typed.text in lexicon.PEOPLE and any(
                    c.dep_ in ("amod", "nummod", "quantmod") or c.dep_ == "compound" and c.pos_ == "NOUN" and c.is_lower
                    or c.dep_ == "det" and c.lower_ not in ("the", "these", "those")
                    for c in word.children):
                continue
        out.append((span, typed))
    return out


_BODY_NOUNS = _WORDNET_LISTS.words("body_nouns")
"""WordNet's nouns of an organised body ("charity", "firm", "party"): data/lexicon/wordnet-seeds.toml."""


def _bodies_by_use(spans: list[tuple[Span, Span]]) -> list[tuple[Span, Span]]:
    """A name the NER read as a place, unknown to the gazetteer, that stands beside a noun of a
    body ("the charity X", "the lobby group X", "X, the firm,") and is never used as a place, is
    an organisation: a company's or a charity's name read as a town."""
    bodies: set[str] = set()
    for name, mentions in _by_name(spans).items():
        if not all(m.label_ == "Place" and m.id_ == "Place:" for m in mentions) or _known_name(name):
            continue
        if any(is_locative(m) or _place_use(m) for m in mentions):
            continue
        if any(_beside_a_body_noun(m) for m in mentions):
            bodies.add(name)
    return _relabelled(spans, bodies, "Organization")


def _beside_a_body_noun(span: Span) -> bool:
    nouns = _apposed(span) + [c for c in span.root.children if c.dep_ == "compound" and c.i not in range(span.start, span.end)]
    if span.start > 0:  # "the charity X", however the parser hung the two
        nouns.append(span.doc[span.start - 1])
    return any(n.pos_ == "NOUN" and n.lemma_.lower() in _BODY_NOUNS for n in nouns)


def _speaks(span: Span) -> bool:
    root = span.root
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in _REPORT_VERBS


def _titled_apposition(span: Span) -> bool:
    """"the head of the commission, X" / "X, the head of the commission": a title beside it."""
    return any(n.lower_ in lexicon.TITLE_WORDS for n in _apposed(span))


def _apposed(span: Span) -> list[Token]:
    """The nouns in apposition with a name, either way ("the charity, X", "X, the head of ...")."""
    root = span.root
    return ([root.head] if root.dep_ == "appos" else []) + [c for c in root.children if c.dep_ == "appos"]


def _placed_in(span: Span, grounds: set[int]) -> bool:
    """Whether a name is set in a place by a phrase between commas ("X, in the Donetsk region,"):
    the words ``grounds`` holds (places and states) in the object of ", in"."""
    doc = span.doc
    if span.end + 2 >= len(doc) or doc[span.end].text != "," or doc[span.end + 1].lower_ != "in":
        return False
    return any(t.i in grounds for obj in doc[span.end + 1].children if obj.dep_ == "pobj" for t in obj.subtree)


def _only_places_there(span: Span) -> bool:
    """Whether a name is the object (or a conjunct of it) of a preposition that never takes a
    body's name ("fought around X and Y")."""
    root = _first_conjunct(span.root)
    return root.dep_ == "pobj" and root.head.lower_ in _NOT_BODY_PREPOSITIONS


def _bracketed_acronyms(doc: Doc, kept: list[Span], taken: set[int]) -> list[Span]:
    """An acronym in brackets right after an organisation's or a unit's name ("Special
    Operations Forces (SSO)") is a mention of it, of its class, when the NER left it out: the
    entity layer then knows the acronym as that body's name."""
    found = []
    for span in kept:
        end = span.end
        if (span.label_ in ("Organization", "MilitaryUnit") and end + 2 < len(doc) and doc[end].text == "("
                and doc[end + 2].text == ")" and end + 1 not in taken):
            word = doc[end + 1].text
            if 2 <= len(word) <= 6 and word.isalpha() and word.isupper():
                found.append(Span(doc, end + 1, end + 2, label=span.label_, kb_id=span.kb_id_, span_id=f"{span.label_}:"))
    return found


def _opens_an_office(span: Span) -> bool:
    """Whether a name and the word after it are an office's title the lexicon knows ("Home" of
    "Home Secretary", ``lexicon.OFFICES``)."""
    doc = span.doc
    return span.end < len(doc) and f"{span.text.lower()} {doc[span.end].lower_}" in lexicon.OFFICES


def _possessed(span: Span) -> bool:
    """Whether a name is followed by a possessive ("X's wife"): a use as a person's or a body's."""
    doc = span.doc
    return span.end < len(doc) and doc[span.end].tag_ == "POS"


_NAME_PREPOSITIONS = frozenset({"in", "of", "for", "on"})


def _whole_names(doc: Doc) -> list[Span]:
    """``doc.ents`` with an organisation's name the NER cut before its last phrase made whole:
    "the Organisation for Security and Cooperation" + "in Europe", where "in" hangs on a word
    inside the name, not on its head (then it says where the body is: "the Ministry of Defence
    in London"), and what follows is capitalised proper nouns. The place in it is no mention."""
    ents = list(doc.ents)
    out: list[Span] = []
    skip_until = -1
    owner = {i: k for k, e in enumerate(ents) for i in range(e.start, e.end)}  # token -> its entity
    for span in ents:
        if span.start < skip_until:
            continue
        end = span.end
        if span.label_ == "ORG" and end + 1 < len(doc):
            prep = doc[end]
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if (prep.lower_ in _NAME_PREPOSITIONS and span.start <= prep.head.i < end and prep.head.i != span.root.i
                    and obj is not None and obj.pos_ == "PROPN"
                    and all(t.is_title or t.is_upper for t in doc[end + 1: obj.i + 1])):
                end = obj.i + 1
        if end != span.end:
            out.append(Span(doc, span.start, end, label=span.label_, kb_id=span.kb_id_, span_id=span.id_))
            skip_until = end
        elif span.label_ in _NAME_LABELS and (whole := _whole_person(span, owner)) is not None:
            out.append(whole)
            skip_until = whole.end
        else:
            out.extend(_list_items(span))
    return out


_NAME_LABELS = frozenset({"PERSON", "NORP"})


def _whole_person(span: Span, owner: dict[int, int]) -> Span | None:
    """A person's name the NER cut short or misread, made whole from the parse: "Choe Son" + "Hui"
    where "Son" is a compound of "Hui" (the name's head, left out); a name whose head the NER
    read as a people ("Hui") and whose apposition is a title ("…, North Korea's foreign
    minister"). Only proper nouns outside other names join."""
    doc = span.doc
    mine = owner.get(span.start)
    start, end = span.start, span.end
    root = span.root
    while (end < len(doc) and owner.get(end, mine) == mine and doc[end].tag_ == "NNP" and doc[end].is_title
           and root.dep_ in ("compound", "flat") and root.head.i == end):
        root = doc[end]
        end += 1
    while (start > 0 and owner.get(start - 1, mine) == mine and doc[start - 1].tag_ == "NNP" and doc[start - 1].is_title
           and doc[start - 1].dep_ in ("compound", "flat") and doc[start - 1].head.i in range(start, end)
           and doc[start - 1].lower_ not in lexicon.TITLE_WORDS and doc[start - 1].lower_ not in lexicon.HONORIFICS):
        start -= 1
    titled = any(c.dep_ == "appos" and (c.lower_ in _TITLE_NOUNS or c.lower_ in lexicon.TITLE_WORDS) for c in root.children)
    if span.label_ == "NORP" and not (titled and start < span.start):
        return None  # a people's name stays one unless a title in apposition says it is a person
    if (start, end) == (span.start, span.end):
        return None
    return Span(doc, start, end, label="PERSON", kb_id=span.kb_id_)


_PLACE_LABELS = frozenset({"GPE", "LOC"})


def _list_items(span: Span) -> list[Span]:
    """A name the NER ran over the end of a list of places ("near Plekhovo, Vorozhba and
    Martynovka" read as a place and the organisation "Vorozhba and Martynovka"): where the span's
    first word continues a list that a place opens and the span holds its own "and", each item
    is a name of the list's class."""
    doc = span.doc
    first = span[0]
    if (len(span) < 3 or first.dep_ != "conj" or span.start <= first.head.i < span.end
            or doc[first.head.i].ent_type_ not in _PLACE_LABELS
            or not any(t.dep_ == "cc" and span.start < t.i < span.end - 1 for t in span)):
        return [span]
    label = doc[first.head.i].ent_type_
    items, start = [], span.start
    for t in span:
        if t.dep_ == "cc" or t.text == ",":
            if start < t.i:
                items.append(Span(doc, start, t.i, label=label))
            start = t.i + 1
    if start < span.end:
        items.append(Span(doc, start, span.end, label=label))
    if not all(item[0].is_title for item in items):
        return [span]
    return items


def _list_of(token) -> int:
    """The first item of the list a word is in: up its conjunct and apposition links ("Fiji (3),
    Australia (6), Canada": the parser hangs a list of names on either)."""
    while token.dep_ in ("conj", "appos") and token.head is not token:
        token = token.head
    return token.i


_TITLE_SMALL_WORDS = _INSIDE.words("title_words")
_TITLE_JOINERS = _INSIDE.words("title_joiners")


def _in_a_title(span: Span) -> bool:
    """Whether a place's name is inside the title of a work ("Georgia on My Mind", "The Liberace
    of Baghdad", "Fear and Loathing in Las Vegas"): the title-case run around it -- capitalised
    words, and a ``title_joiners`` word between two of them -- holds a capitalised small word
    where no sentence or quotation begins ("My", "The" mid-sentence), or a work's name the NER
    found. "Officials in The Hague" is no title: the name's own article holds the capital."""
    doc, sent = span.doc, span.sent
    if _headline(sent):
        return False

    def capital(token) -> bool:
        return token.is_title or token.is_upper

    def opens(token) -> bool:  # a sentence's first word, or the first of a quotation: '"In Africa, ...'
        return token.i == sent.start or doc[token.i - 1].text in _OPENERS

    start = span.start  # the run: capitals, and a joiner in lower case between two of them
    while start > sent.start and (capital(doc[start - 1]) or (
            doc[start - 1].lower_ in _TITLE_JOINERS and doc[start - 1].is_lower
            and start - 2 >= sent.start and capital(doc[start - 2]))):
        start -= 1
    end = span.end
    while end < sent.end and (capital(doc[end]) or (
            doc[end].lower_ in _TITLE_JOINERS and doc[end].is_lower and end + 1 < sent.end and capital(doc[end + 1]))):
        end += 1
    before = span.start - 1 if span.start > start and doc[span.start - 1].lower_ in ("the", "a", "an") else span.start
    around = [*doc[start:before], *doc[span.end:end]]  # "The Hague", "The Gambia": the name's own article
    return any((t.is_title and t.lower_ in _TITLE_SMALL_WORDS and not opens(t)) or t.ent_type_ == "WORK_OF_ART"
               for t in around)


_OPENERS = frozenset({'"', "“", "'", "‘", ":", "(", "-", "–", "—"})


def _known_name(word: str) -> bool:
    """Whether the gazetteer knows a word as a name ("UK", "EU"): then it is no initial."""
    return bool(load_gazetteer().lookup(word))


_SIDE_KINDS = CITY_KINDS | REGION_KINDS | {"country", "dependency"}


def _town_or_country(span: Span) -> bool:
    """Whether the gazetteer knows a span's name as a town, a region or a country, or the
    lexicon as a people ("the Russians"): names a sports story may give a club or a national
    team, where a continent is never one."""
    if span.text in lexicon.PLURAL_DEMONYMS:
        return True
    entries = load_gazetteer().lookup(span.text)
    return bool(entries) and all(e.kind in _SIDE_KINDS for e in entries)


def _teams_throughout(spans: list[Span]) -> list[Span]:
    """A name the text uses for a team ("Liverpool have") is the team wherever else the text
    names it without placing something there ("He is the future of Liverpool"; but "in
    Liverpool" stays the city): one sense per story."""
    teams = {s.text for s in spans if s.id_ in ("Organization:", f"State:{TEAM}")
             and s.kb_id_ in ("GPE", "LOC", "ORG", RULER_SOURCE) and is_team(s)}
    if not teams:
        return spans
    out = []
    for s in spans:
        if s.text in teams and s.label_ in ("Place", "State") and s.id_ != f"State:{TEAM}" and not is_locative(s):
            cls, span_id = ("Organization", "Organization:") if s.label_ == "Place" else ("State", f"State:{TEAM}")
            s = Span(s.doc, s.start, s.end, label=cls, kb_id=s.kb_id_, span_id=span_id)
        out.append(s)
    return out


_ARMED_GROUP_NOUNS = frozenset(_WORDNET_LISTS.words("armed_group_nouns"))
_COLLECTIVE_GROUPS = frozenset({"militia", "paramilitary"})
_GROUP_MODIFIERS = frozenset({"amod", "compound", "npadvmod", "nmod", "punct"})


def _armed_groups(doc: Doc, taken: set[int], organizations: set[int] = frozenset()) -> list[Span]:  # type: ignore[assignment]
    """Armed groups outside a state's forces that the text treats as actors ("pro-Russian
    separatists", "the rebels", "gunmen", "a militia"): the group noun (a plural, or a noun of a
    body such as "militia") heading its phrase, with the modifiers before it. A unit of no
    state: "Kurdish rebels" are not the Kurdish state's. A group noun an organisation's name
    qualifies ("Taliban insurgents", the words of ``organizations``) is that organisation's
    members: the organisation acts, no group of its own."""
    found = []
    candidates = numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), _word_hashes(_ARMED_GROUP_NOUNS)))
    for i in candidates.tolist():
        token = doc[i]
        if i in taken or token.pos_ != "NOUN" or token.dep_ in ("compound", "amod"):
            continue  # "rebel forces", "a separatist leader": the noun qualifies another
        if any(c.i in organizations and c.dep_ in ("compound", "amod", "nmod") for c in token.children):
            continue
        if token.tag_ != "NNS" and token.lemma_.lower() not in _COLLECTIVE_GROUPS:
            continue  # one fighter, not a group
        start = i
        while (start > 0 and start - 1 not in taken and doc[start - 1].head.i in range(start, i + 1)
               and doc[start - 1].dep_ in _GROUP_MODIFIERS and not doc[start - 1].is_space):
            start -= 1
        while start < i and doc[start].is_punct:
            start += 1
        found.append(Span(doc, start, i + 1, label="MilitaryUnit",
                          span_id=f"MilitaryUnit:{ARMED_GROUP}{token.lemma_.lower()}"))
    return found


_BODY_HEADS = _RULES.table("bodies_of_states").words("heads")


def _bodies_of_states(doc: Doc, kept: list[Span], taken: set[int]) -> list[Span]:
    """A state's body named through the state in lower case ("Russia's defence ministry", "the
    Ukrainian foreign ministry"): the words after the state's mention up to a body noun
    (``[bodies_of_states]``), an organisation named "Russian defence ministry" (the state's
    demonym and the words), which is part of that state."""
    found = []
    for state in (s for s in kept if s.label_ == "State" and s.id_ != f"State:{TEAM}"):
        head = state.root.head
        name = state.id_.partition(":")[2]
        if (state.root.dep_ not in ("poss", "amod", "compound") or head.i < state.end or head.i in taken
                or head.lower_ not in _BODY_HEADS or not name):
            continue
        start = state.end + (1 if doc[state.end].tag_ == "POS" else 0)
        words = doc[start: head.i + 1]
        if not all(t.is_lower and t.is_alpha and (t.i == head.i or t.head.i == head.i) for t in words):
            continue  # "Russia's Federal Security Service" is a name of its own
        if head.dep_ == "appos" and head.head.i in taken:
            continue  # "the HUR, Ukraine's military intelligence agency": the body named before
        entry = load_gazetteer().get(name) if name.startswith("Q") else None
        name = entry.name if entry is not None else name  # the ruler's key: "State:Q159"
        demonym = lexicon.CANONICAL_DEMONYM.get(name, name)
        span_id = f"Organization:{demonym} {words.text}"
        named = _name_given(head, kept)
        if named is not None and _gazetteer_class(named.text):
            # "Ukraine's military intelligence agency, known as the HUR": the HUR, whose entry says
            # whose it is (a name the gazetteer lacks keeps the description, which says it)
            span_id = f"Organization:{named.text}"
        found.append(Span(doc, start, head.i + 1, label="Organization", span_id=span_id))
    return found


def _name_given(head, kept: list[Span]) -> Span | None:  # type: ignore[no-untyped-def]
    """The organisation's name a description is given right after it: in apposition ("Ukraine's
    military intelligence agency, the HUR,") or "known as" / "called" it."""
    candidates = [c for c in head.children if c.dep_ == "appos"]
    for clause in (c for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in _NAMING_VERBS):
        candidates += [o for p in clause.children if p.dep_ == "prep" and p.lower_ == "as" for o in p.children]
        candidates += [o for o in clause.children if o.dep_ in ("oprd", "attr", "dobj")]
    for word in candidates:
        span = next((s for s in kept if s.start <= word.i < s.end and s.label_ == "Organization"), None)
        if span is not None:
            return span
    return None


_NAMING_VERBS = _RULES.table("bodies_of_states").words("naming_verbs")


def _organization_anaphors(doc: Doc, taken: set[int]) -> list[Span]:
    """Definite descriptions such as "the agency" or "the alliance", to be resolved to the
    organization named just before (in :func:`collect_entities`)."""
    found = []
    # the few tokens that can be an anaphor, found on the doc's LOWER array, not token by token
    candidates = numpy.flatnonzero(numpy.isin(doc.to_array(LOWER)[1:], _word_hashes(lexicon.ORGANIZATION_ANAPHORS))) + 1
    for i in candidates.tolist():
        token = doc[i]
        if token.i in taken:
            continue
        if doc[token.i - 1].lower_ != "the" or token.tag_ not in ("NN", "NNP"):
            continue
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if following is not None and (following.lower_ in lexicon.ANAPHOR_BLOCKERS or following.pos_ in ("NOUN", "PROPN")):
            continue
        found.append(Span(doc, token.i, token.i + 1, label="Organization", span_id=f"Organization:{ANAPHOR}"))
    return found


# ----------------------------------------------------------------------------------------------

def doc_spans(doc: Doc, offset: int = 0) -> list[SpanRecord]:
    """The typed entity spans of a processed doc, shifted to article offsets; each record's
    label is the NER's label of the span, or :data:`~kg.pipeline.entity_ruler.RULER_SOURCE` for
    a name the ruler added."""
    records = []
    for ent in doc.ents:
        cls, _, canonical = (ent.id_ or f"{ent.label_}:").partition(":")
        if cls not in ENTITY_CLASSES:
            continue
        sentence = sentence_span(ent.sent, offset) or TextSpan(ent.start_char + offset, ent.end_char + offset)
        anchor = ent.text
        start_char = ent.start_char
        if anchor != anchor.strip():  # never let a mention begin or end in whitespace
            start_char += len(anchor) - len(anchor.lstrip())
            anchor = anchor.strip()
            if not anchor:
                continue
        for suffix in _TRAILING_POSSESSIVES:  # possessive glued to the last token
            if anchor.endswith(suffix) and len(anchor) > len(suffix) + 1:
                anchor = anchor[: -len(suffix)]
                break
        if start_char + offset + len(anchor) > sentence.end:  # NER ignores sentence starts
            anchor = anchor[: max(0, sentence.end - start_char - offset)].rstrip()
            if not anchor:
                continue
        records.append(
            SpanRecord(
                start=start_char + offset,
                end=start_char + offset + len(anchor),
                anchor=anchor,
                cls=cls,
                canonical=canonical,
                sentence=sentence,
                label=ent.kb_id_ or ent.label_,
                region_cue=ent.end < len(doc) and doc[ent.end].lower_ in REGION_AFTER,
                city_cue=_town_named(ent),
            )
        )
        if cls == "MilitaryUnit" and canonical:
            records.extend(_demonym_of_unit(ent, canonical, sentence, offset))
        elif cls in ("Place", "State") and canonical != TEAM:
            records.extend(_part_of_place(ent, records[-1], offset))
    return records


_TOWN_NOUNS = lexicon.section("rules/linking").table("cues").words("town_nouns")


def _town_named(ent: Span) -> bool:
    """Whether a name is a town's by the noun whose "of" phrase it is, or opens the list of
    ("the city of X", "in the cities of X, Y and Z", "the port of X")."""
    first = _first_conjunct(ent.root)
    prep = first.head
    return (first.dep_ == "pobj" and prep.lower_ == "of" and prep.head is not prep
            and prep.head.lemma_.lower() in _TOWN_NOUNS and prep.head.i < ent.start)


_COMPASS = _RULES.table("parts_of_places").words("compass")
_REGION_WORDS = lexicon.section("rules/linking").table("cues").words("region")


def _part_of_place(ent: Span, place: SpanRecord, offset: int) -> list[SpanRecord]:
    """The part of a place a compass word before its name makes ("southern Iraq", "eastern
    Ukraine"): a place of its own, unlinked, around the place's own mention. Not before a
    region named as one ("the eastern Donetsk region" is the region, said where it lies)."""
    if ent.start <= ent.sent.start:
        return []
    word = ent.doc[ent.start - 1]
    if word.lower_ not in _COMPASS or word.pos_ not in ("ADJ", "PROPN") or word.ent_type_:
        return []
    if ent[-1].lower_ in _REGION_WORDS:
        return []  # "Ukraine's eastern Donetsk region": the whole region, said where it lies
    start = word.idx + offset
    anchor = doc_text(ent.doc)[word.idx: place.end - offset]
    return [SpanRecord(start, place.end, anchor, "Place", "", place.sentence, place.label)]


def _demonym_of_unit(ent: Span, state: str, sentence: TextSpan, offset: int) -> list[SpanRecord]:
    """The state a unit's own words name by its demonym ("British troops": "British" is the United
    Kingdom) or by its name before a possessive ("Ukraine's forces"), as a mention of that state
    inside the unit's mention."""
    for size in (3, 2, 1):
        words = ent[:size]
        if size >= len(ent):  # a demonym that is the whole mention ("British" in "British and
            continue          # American troops") is the unit's mention only: one entity a mention
        if lexicon.DEMONYMS.get(words.text) == state and words.text not in lexicon.AMBIGUOUS_DEMONYMS:
            label = "NORP"
        elif lexicon.STATE_NAMES.get(words.text) == state and ent[size].text in POSSESSIVE_ENDINGS:
            label = "GPE"
        else:
            continue
        start = words.start_char + offset
        return [SpanRecord(start, start + len(words.text), words.text, "State", state, sentence, label)]
    return []


