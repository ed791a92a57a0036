"""What the relation rules know about one parsed text, and what they have found in it so far.

A :class:`Context` is made per doc. It indexes the entity layer's mentions by token and by
sentence and answers the questions every rule module asks of the parse:

* **arguments** — which entity a noun phrase names as an actor (:meth:`Context.actor`: a
  mention, a demonym, "its troops", "some of the soldiers", "they"), which place hangs off a
  word through prepositions (:meth:`Context.place`), who the subject of a verb is through
  control (:meth:`Context.subject_of`), what troop figure a phrase states (:meth:`Context.count_of`);
* **modality, negation, quotations, dates** — whether a clause is possible or expected,
  negated, inside a quotation, and which dates it carries;
* **output** — the relations, events and claims found so far (:meth:`Context.relation`,
  :meth:`Context.event`; claims are added by :mod:`kg.pipeline.relations.claims`), assembled
  into :class:`Facts` at the end (:meth:`Context.facts`).

All spans in the output are offsets into the text the doc was made from, plus ``offset``.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.lexicon import AMBIGUOUS_DEMONYMS, CAPITALS, DEMONYMS, ORDINAL_IN_FIGURES, PEOPLE, section
from kg.model import (
    EntityClass,
    Claim,
    DateValue,
    Entity,
    Event,
    Mention,
    Quantity,
    Relation,
    RelationKind,
    Span,
)
from kg.linking.gazetteer import Office, held_offices, load_gazetteer, load_offices
from kg.pipeline.dates import DATELINE_DASHES, DATELINE_REACH, date_spans, is_sequel, resolve_date, resolve_sequel
from kg.pipeline.doc import doc_text, sentence_span, token_strings
from kg.pipeline.quantities import parse_quantity
from kg.pipeline.relations.consolidate import consolidate
from kg.pipeline.relations.coref import DETERMINERS, References
from kg.pipeline.relations.parse import PARTITIVES, PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS, Parse
from kg.pipeline.relations.tree import governor, most_precise
from kg.pipeline.relations.words import (
    ACTOR_CLASSES, CHAIN_TRIGGERS, CHAINS, CIVILIAN_NOUNS, CLOSING_QUOTES, CONDITIONAL_MARKS, EXPECTED_HEADS, EXPECTED_WORDS,
    IRREALIS_HEADS, MILITARY_QUALIFIERS, PERSON_NOUNS, SIMULTANEITY_MARKS,
    FIGURE_DETERMINERS, FIGURE_HEDGES, FIGURE_NOUNS, FUTURE_AUX, FUTURE_MODIFIERS, HYPOTHETICAL_WORDS, MIN_HEAD_COUNT,
    EVENT_PLACE_PREPOSITIONS, NEGATIVE_ADVERBS, NEGATIVE_VERBS, OF_PLACE_PREPOSITIONS, OPENING_AFTER, OPENING_QUOTES,
    PARTITIVE_PREPOSITIONS, PLACE_CLASSES, POSSESSIVE_PRONOUNS, POSSIBLE_WORDS, QUOTE_MARKS,
    SINGLE_QUOTES, TROOP_NOUNS, VAGUE_HEADS,
)

__all__ = ["Context", "Facts"]

SYMMETRIC = frozenset({RelationKind.ALLIANCE, RelationKind.CONFLICT})
"""Relations stored with their two sides in a fixed order (they read the same both ways)."""


@dataclass(frozen=True)
class Facts:
    """What the rules find in one text: relations, events and claims.

    ``Claim.about`` holds indexes into ``events`` of the same ``Facts``; :meth:`merge`
    keeps them right when texts (chunks of one article) are concatenated.
    """

    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()

    def merge(self, other: Facts) -> Facts:
        """Concatenate two chunks' facts, shifting ``other``'s ``Claim.about`` indexes."""
        shift = len(self.events)
        claims = tuple(
            dataclasses.replace(c, about=tuple(i + shift for i in c.about)) for c in other.claims
        )
        return Facts(
            self.relations + other.relations, self.events + other.events, self.claims + claims
        )

    def shifted(self, offset: int) -> Facts:
        """The same facts with every span moved by ``offset`` characters (doc to article offsets)."""
        if not offset:
            return self

        def move(span: Span) -> Span:
            return Span(span.start + offset, span.end + offset)

        return Facts(
            tuple(dataclasses.replace(r, sentence=move(r.sentence)) for r in self.relations),
            tuple(dataclasses.replace(e, sentence=move(e.sentence)) for e in self.events),
            tuple(dataclasses.replace(c, sentence=move(c.sentence), content=move(c.content)) for c in self.claims),
        )


FIGURE_DEPS = frozenset({"nummod", "nsubj", "nsubjpass", "dobj"})
"""Where a number word stands as a figure: on its noun, or as the subject or object itself."""


_COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "pcomp", "advcl"})


def _irrealis(verb: Token) -> bool:
    """Whether ``verb`` asks for, offers, weighs or threatens what it governs (``IRREALIS_HEADS``,
    a phrasal one with its particle: "rule out")."""
    lemma = verb.lemma_.lower()
    if lemma in IRREALIS_HEADS:
        return True
    return any(c.dep_ == "prt" and f"{lemma} {c.lower_}" in IRREALIS_HEADS for c in verb.children)


class Context:
    """One doc's mentions, the parse and reference lookups, and the facts found so far (see the
    module docstring)."""

    def __init__(
        self,
        doc: Doc,
        mentions: Sequence[Mention],
        entities: Mapping[str, Entity],
        anchor: date | None = None,
        offset: int = 0,
    ) -> None:
        self.doc = doc
        self.entities = entities
        self.offset = offset
        self.anchor = anchor
        self.mentions: list[tuple[SpacySpan, Mention]] = []
        self.tok_mention: dict[int, Mention] = {}
        self.text = doc_text(doc)
        # each token's lower-cased lemma and form: the word-list gates need no Token objects
        self.lemmas = [lemma.lower() for lemma in token_strings(doc, LEMMA)]
        self.lowers = token_strings(doc, LOWER)
        self.words = frozenset(self.lowers)
        """Every lower-cased word of the doc: a slot read off prepositions the doc lacks is empty."""
        self.speaks_of_troops = bool((self.words | frozenset(self.lemmas)) & TROOP_NOUNS) or any(
            entities[m.entity].cls == EntityClass.MILITARY_UNIT for m in mentions if m.entity in entities)
        """Whether the doc names soldiers at all: patterns that need troops are read only then."""
        end = offset + len(self.text)
        for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
            if m.start < offset or m.end > end or m.entity not in entities:
                continue
            span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            self.mentions.append((span, m))
            for tok in span:
                self.tok_mention.setdefault(tok.i, m)
        # mentions per sentence, and each mention's token bounds, computed once: ``Span.sent``
        # walks the doc, so asking it per sentence and mention made long texts quadratic
        self.by_sentence: dict[int, list[tuple[SpacySpan, Mention]]] = {}
        self.bounds: dict[int, tuple[int, int]] = {}
        anchors: dict[str, list[str]] = {}
        for span, m in self.mentions:
            self.by_sentence.setdefault(span.sent.start, []).append((span, m))
            self.bounds.setdefault(id(m), (span.start, span.end))
            anchors.setdefault(m.entity, []).append(m.anchor)
        self.named = frozenset(anchors)
        """The entities the text mentions (the entity table may hold more)."""
        self.state_names: dict[str, str] = {}
        for ent in entities.values():
            if ent.cls == EntityClass.STATE:
                for name in (ent.label, *ent.aliases):
                    self.state_names.setdefault(name.lower(), ent.key)
        self.state_unit: dict[str, str] = {}
        for ent in entities.values():
            if ent.cls == EntityClass.MILITARY_UNIT and ent.state:
                self.state_unit.setdefault(ent.state, ent.key)
        self.parse = Parse(doc, people=frozenset(
            i for i, m in self.tok_mention.items() if entities.get(m.entity) is not None and entities[m.entity].cls == EntityClass.PERSON))
        self.refs = References(doc, {i: m.entity for i, m in self.tok_mention.items()}, entities, anchors,
                               state_of_word=self.demonym)
        self.relations: list[tuple[Relation, int]] = []
        self.events: list[tuple[Event, int]] = []
        self.claims: list[tuple[Claim, Token, int, int]] = []
        self.negated: list[tuple[int, int]] = []
        self.quotes = self._quote_regions()
        self.dates = date_spans(doc)
        self.matches = self._chain_matches()

    # --- who or what a word stands for ----------------------------------------------------------
    def key_of(self, tok: Token | None) -> str | None:
        """The entity a word stands for: the mention it is part of, the mention heading its phrase
        (past a partitive: "some of the troops"), a demonym's state, or what a pronoun or a
        definite description refers back to (:mod:`kg.pipeline.relations.coref`)."""
        if tok is None:
            return None
        key = self.entity(tok)
        if key is not None:
            return key
        head = self.parse.head_noun(tok)
        if head is not tok:
            key = self.entity(head)
            if key is not None:
                return key
        key = self.refs.resolve(head)
        if key is not None:
            return key
        if head.pos_ in {"PROPN", "ADJ", "NOUN"}:
            return self.demonym(head)
        return None

    def demonym(self, tok: Token) -> str | None:
        """The state a demonym or a capital used for its state names ("Ukrainian", "North
        Korean", "the Russians", "Moscow"), when the text's entities hold that state."""
        candidates = [tok.text]
        if tok.i > 0:
            candidates.insert(0, f"{self.doc[tok.i - 1].text} {tok.text}")
        for text in candidates:
            if text in AMBIGUOUS_DEMONYMS:
                continue  # "Korean": of either Korea ("North Korean" is read as two words above)
            name = DEMONYMS.get(text) or PEOPLE.get(text) or CAPITALS.get(text)
            if name and name.lower() in self.state_names:
                return self.state_names[name.lower()]
        return None

    def actor(self, tok: Token | None, depth: int = 0) -> str | None:
        """The entity (state, unit, organisation, person) a phrase names as an actor: its own
        entity, or for troops the armed forces of the state that qualifies them ("Ukrainian
        soldiers", "its troops", "troops from Chad") or that a partitive counts ("some of the
        North Korean troops")."""
        if tok is None or depth > 3:
            return None
        head = self.parse.head_noun(tok)
        key = self.entity(head) or self.entity(tok)
        if key is None and head.pos_ == "NOUN":  # "the peacekeeping force, K-For,": the name beside it
            key = next((k for c in head.children if c.dep_ == "appos" for k in [self.entity(c)] if k is not None), None)
        if key is not None:
            return key
        if self.is_troop_noun(head):
            for child in self.parse.modifiers(head):
                owner = self.entity(child) or self.demonym(child)
                if owner is None and child.lower_ in POSSESSIVE_PRONOUNS:
                    owner = next((self.actor(s, depth + 1) for s in self.parse.subjects(self.parse.governor(head)[0])), None)
                    owner = owner or self.refs.resolve(child)
                if owner is not None:
                    return self.unit_for(owner)
            for origin in self.parse.oblique(head, PARTITIVE_PREPOSITIONS):
                owner = self.actor(origin, depth + 1)
                if owner is not None:
                    return self.unit_for(owner)
            if self.is_definite(head):
                return self.refs.troops_before(head)  # "the soldiers", "these troops": the ones named before
            return None
        if head.like_num and (
                head.dep_ in ("nsubj", "nsubjpass") or head.dep_ == "pobj" and head.head.lower_ in PARTITIVE_PREPOSITIONS):
            # "a first group of 1,500 had been carried to Vladivostok": troops counted, not named,
            # are the troops named before
            return self.refs.troops_before(head)
        key = self.key_of(head)
        if key is None and head.pos_ == "NOUN" and head.lemma_.lower() not in CIVILIAN_NOUNS:
            # "Russian positions", "Russian-occupied territory"; "an Iraqi civilian" is no actor
            for word in head.subtree:
                if word.i >= head.i:
                    break
                owner = self.entity(word) or self.demonym(word)
                if owner is None and word.dep_ == "poss" and word.head == head and word.lower_ in POSSESSIVE_PRONOUNS:
                    owner = self.refs.resolve(word)  # "its operators", "their drones": whose they are
                if owner is not None and self.cls(owner) in ACTOR_CLASSES:
                    return owner
        return key

    def troop_units(self, tok: Token) -> list[str | None]:
        """The armed forces a troop phrase names — several for coordinated qualifiers ("British
        and American troops") — or ``[None]`` for unnamed troops ("3,000 soldiers")."""
        head = self.parse.head_noun(tok)
        own = self.entity(head)  # the entity layer may have named the last qualifier's unit only
        if self.is_troop_noun(head) and (own is None or self.cls(own) == EntityClass.MILITARY_UNIT):
            owners = [self.entity(m) or self.demonym(m) for m in self.parse.modifiers(head)]
            units = list(dict.fromkeys(
                [*([own] if own is not None else []),
                 *(self.unit_for(o) for o in dict.fromkeys(o for o in owners if o is not None)
                   if self.cls(o) in ACTOR_CLASSES)]))
            if len(units) > 1:
                return units
        return [self.actor(tok)]

    def unit_of(self, tok: Token, sender: str | None) -> str | None:
        """The armed forces a troop phrase names, or, for unnamed troops ("sent 3,000 troops"),
        the forces of the state that sends them."""
        key = self.actor(tok)
        if key is None and sender is not None and self.cls(sender) == EntityClass.STATE:
            key = self.unit_for(sender)
        return key

    def is_troop_noun(self, tok: Token) -> bool:
        """A noun of soldiers ("troops", "marines"), or of people a military word qualifies
        ("military deminers", "army construction workers": they serve in the forces)."""
        if tok.lower_ in TROOP_NOUNS or tok.lemma_.lower() in TROOP_NOUNS:
            return True
        return tok.pos_ == "NOUN" and tok.lemma_.lower() in PERSON_NOUNS and any(
            c.dep_ in ("amod", "compound") and c.lower_ in MILITARY_QUALIFIERS for c in tok.subtree if c.i < tok.i)

    def is_troops(self, tok: Token | None) -> bool:
        """Whether a phrase speaks of soldiers: a unit mention, a troop noun, a number of them
        ("3,000 of its soldiers"), or "they" standing for a unit."""
        if tok is None:
            return False
        head = self.parse.head_noun(tok)
        key = self.entity(head) or self.entity(tok) or self.refs.resolve(head)
        if key is not None:
            return self.cls(key) == EntityClass.MILITARY_UNIT
        if self.is_troop_noun(head):
            return True
        if head is not tok and head.like_num and tok.lower_ in PARTITIVES:  # "a first group of 1,500"
            return self.refs.troops_before(head) is not None
        return bool(tok.like_num and tok.dep_ in {"nsubj", "nsubjpass", "dobj"})

    def place_of(self, tok: Token | None) -> str | None:
        """The place or state a phrase names: its own mention, one inside it ("the Kursk
        region"), one its "of" phrase names ("the village of X", "a region of Russia"), or what
        a definite description ("the city") refers back to."""
        if tok is None:
            return None
        for candidate in (tok, *(c for c in tok.children if c.dep_ in {"compound", "poss"})):
            key = self.entity(candidate)
            if key is not None and self.cls(key) in PLACE_CLASSES:
                return key
        if self.entity(tok) is not None:
            return None  # a person, an organisation: not a place
        key = self.refs.resolve(tok) or (self.demonym(tok) if tok.pos_ == "PROPN" else None)
        if key is not None and self.cls(key) in PLACE_CLASSES:
            return key
        for inner in self.parse.oblique(tok, OF_PLACE_PREPOSITIONS):
            key = self.entity(inner)
            if key is not None and self.cls(key) in PLACE_CLASSES:
                return key
        if tok.pos_ == "NOUN" and not self.is_troop_noun(tok):  # "during a visit to Pyongyang"
            for inner in self.parse.oblique(tok, EVENT_PLACE_PREPOSITIONS):
                key = self.entity(inner)
                if key is not None and self.cls(key) in PLACE_CLASSES:
                    return key
        return None

    # kept for the claim and role rules: the first subject, through the normalised parse
    def subject_of(self, verb: Token | None) -> Token | None:
        subjects = self.parse.subjects(verb)
        return subjects[0] if subjects else None

    # --- modality and negation --------------------------------------------------------------------
    def modality(self, tok: Token) -> str:
        """``possible`` (may, could, perhaps …), ``hypothetical`` (would, if …), ``expected``
        (will, plans to, is expected to …) or ``asserted``, read from the trigger's clause and the
        clauses that govern it (an infinitive's verb: "plans to send")."""
        t: Token | None = tok
        result = "asserted"
        for _ in range(4):
            if t is None:
                break
            for child in t.children:
                low = child.lower_
                if child.dep_ in {"aux", "advmod", "auxpass", "acomp"}:
                    if low in POSSIBLE_WORDS:
                        return "possible"
                    if low in HYPOTHETICAL_WORDS:
                        return "hypothetical"
                    if low in EXPECTED_WORDS:
                        result = "expected"
                if child.dep_ == "mark" and low in CONDITIONAL_MARKS:
                    return "hypothetical"
                if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in child.children):
                    return "hypothetical"  # "if Russia asks, Pyongyang sends more troops"
            if t != tok and t.lemma_.lower() in EXPECTED_WORDS | EXPECTED_HEADS:
                result = "expected"
            if t.dep_ in _COMPLEMENT_DEPS and t.head is not t and _irrealis(t.head):
                return "hypothetical"  # "urged Berlin to send tanks", "demanded that X withdraw"
            if t.dep_ in {"xcomp", "conj", "acomp"} or (t.dep_ == "advcl" and any(c.lower_ == "to" for c in t.children)):
                t = t.head
            else:
                break
        return result

    def clause_negated(self, tok: Token) -> bool:
        """Whether the trigger's clause (or the verb an infinitive depends on) is negated: "did
        not send", "never met", "refused to sign"."""
        t: Token | None = tok
        for _ in range(3):
            if t is None:
                return False
            if any(c.dep_ == "neg" or (c.dep_ in {"advmod", "det", "preconj"} and c.lower_ in NEGATIVE_ADVERBS)
                   for c in t.children):
                return True  # "did not send", "never met", "neither confirmed …"
            if t.dep_ == "conj" and any(c.dep_ == "cc" and c.lower_ in NEGATIVE_ADVERBS for c in t.head.children):
                return True  # "… nor denied"
            if t.dep_ == "xcomp" and t.head.lemma_.lower() in NEGATIVE_VERBS:
                return True
            if t.dep_ in {"xcomp"}:
                t = t.head
            else:
                return False
        return False

    def is_negated(self, tok: Token) -> bool:
        return any(start <= tok.i < end for start, end in self.negated) or self.clause_negated(tok)

    def asserted(self, tok: Token) -> str | None:
        """The modality of a fact triggered at ``tok``, or None when the fact must not be
        asserted: negated, only possible, or hypothetical (such statements live on as claims
        with their modality)."""
        if self.is_negated(tok):
            return None
        modality = self.modality(tok)
        return None if modality in {"possible", "hypothetical"} else modality

    def _chain_matches(self) -> dict[str, list[list[int]]]:
        """Token indices ``[head, word, child]`` of the ``CHAINS`` found, per chain, in text
        order: what spaCy's DependencyMatcher gives for such patterns, at a fraction of the
        cost (it looks up the tree root of every token that fits any node of any pattern)."""
        matches: dict[str, list[list[int]]] = {}
        if not CHAIN_TRIGGERS.search(self.text):  # most texts have none
            return matches
        for name, ((head_attr, heads), words, (child_attr, children)) in CHAINS.items():
            found: list[list[int]] = []
            for i, low in enumerate(self.lowers):
                if low in words:
                    tok = self.doc[i]
                    head = tok.head
                    if head.i != i and getattr(head, head_attr) in heads:
                        found.extend([head.i, i, c.i] for c in tok.children if getattr(c, child_attr) in children)
            if found:
                matches[name] = sorted(found)
        return matches

    def with_lemma(self, lemmas: frozenset[str]) -> list[Token]:
        """The tokens whose lower-cased lemma is in ``lemmas``, in text order."""
        return [self.doc[i] for i, lemma in enumerate(self.lemmas) if lemma in lemmas]

    def with_word(self, words: frozenset[str]) -> list[Token]:
        """The tokens whose lower-cased form is in ``words``, in text order."""
        return [self.doc[i] for i, low in enumerate(self.lowers) if low in words]

    def span(self, start: int, end: int) -> Span:
        """Article offsets of doc tokens ``start..end`` (exclusive)."""
        return Span(self.offset + self.doc[start].idx, self.offset + self.doc[end - 1].idx + len(self.doc[end - 1]))

    def sentence(self, tok: Token) -> Span:
        """The article span of ``tok``'s sentence, trimmed like the entity layer's sentences."""
        sent = tok.sent
        trimmed = sentence_span(sent, self.offset)
        return trimmed or Span(self.offset + sent.start_char, self.offset + sent.end_char)

    def entity(self, tok: Token | None) -> str | None:
        if tok is None:
            return None
        m = self.tok_mention.get(tok.i)
        return m.entity if m else None

    def cls(self, key: str | None) -> str | None:
        return self.entities[key].cls if key in self.entities else None

    def state_of(self, key: str | None) -> str | None:
        """The state a key stands for: itself for a state, its state for a unit/body."""
        if key is None:
            return None
        ent = self.entities.get(key)
        if ent is None:
            return None
        if ent.cls == "State":
            return key
        if ent.state is not None:
            return ent.state
        # a unit or body the text says belongs to a state ("Ukraine's 33rd Brigade")
        states = {r.object for r, _ in self.relations
                  if r.kind == RelationKind.PART_OF and r.subject == key and self.cls(r.object) == "State"}
        return states.pop() if len(states) == 1 else None

    def state_of_place(self, key: str | None) -> str | None:
        """The state a place lies in: itself for a state; the one state the text puts it in
        ("Russia's Kursk region"); else the country the gazetteer gives the place (every reading
        of its name, when it is not linked), when the text names that state."""
        if key is None:
            return None
        if self.cls(key) == EntityClass.STATE:
            return key
        states = {r.object for r, _ in self.relations
                  if r.kind == RelationKind.LOCATED_IN and r.subject == key and self.cls(r.object) == EntityClass.STATE}
        if states:
            return states.pop() if len(states) == 1 else None
        gazetteer = load_gazetteer()
        entry = gazetteer.get(key) if key.startswith("Q") else None
        if entry is not None:
            countries = {entry.country_qid}
        else:  # a name left unlinked between its readings ("Kharkiv": the city, the region)
            ent = self.entities.get(key)
            countries = {e.country_qid for e in gazetteer.lookup(ent.label)} if ent is not None else set()
        country = countries.pop() if len(countries) == 1 else None
        return country if country in self.entities and self.cls(country) == EntityClass.STATE else None

    def mention_tokens(self, tok: Token) -> tuple[int, int] | None:
        m = self.tok_mention.get(tok.i)
        if m is None:
            return None
        return self.bounds.get(id(m))

    def unit_for(self, key: str) -> str:
        """Troops of a state are its military unit when the entity layer knows one; a leader's
        troops ("Kim's troops", "his forces") are the forces of the state the text gives him a
        role in."""
        if self.cls(key) == "Person":
            key = self.state_of_leader(key) or key
        if self.cls(key) == "State":
            return self.state_unit.get(key, key)
        return key

    def state_of_leader(self, person: str) -> str | None:
        """The one state the text's roles give ``person`` a title in, else the one state the
        office table says ``person`` held an office of on the article's date, if the text names
        it ("the treaty that Kim and Putin signed": Russia's and North Korea's)."""
        states = {r.object for r, _ in self.relations
                  if r.kind == RelationKind.ROLE and r.subject == person and self.cls(r.object) == "State"}
        if not states:
            held = {o.holds_in.lower() for o in self.offices_held(person)}
            states = {self.state_names[h] for h in held if h in self.state_names} & self.named
        return states.pop() if len(states) == 1 else None

    def offices_held(self, person: str) -> list[Office]:
        """The offices the office table says ``person`` (by any of their names) held on the
        article's date (``data/gazetteer/offices.tsv``)."""
        ent = self.entities.get(person)
        if ent is None:
            return []
        return held_offices(load_offices(), (ent.label, *ent.aliases), self.anchor)

    def is_future(self, tok: Token) -> bool:
        t = tok
        for _ in range(4):
            if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in FUTURE_AUX for c in t.children):
                return True
            if any(c.lower_ in FUTURE_MODIFIERS for c in t.children):
                return True
            if t.head == t or t.dep_ in {"ccomp", "advcl", "relcl"}:
                return False
            t = t.head
        return False

    @staticmethod
    def is_past(tok: Token) -> bool:
        """Whether a verb tells what happened: a simple past ("met"), or a participle with a
        perfect or passive past auxiliary ("had met", "was signed")."""
        if tok.tag_ == "VBD":
            return True
        return tok.tag_ == "VBN" and any(
            c.dep_ in {"aux", "auxpass"} and c.tag_ == "VBD" for c in tok.children)

    def own_dates(self, trigger: Token) -> list[DateValue]:
        """Dates in the trigger's own clause (not in clauses under it)."""
        out: list[DateValue] = []
        sent = trigger.sent
        for ent in self.dates_in(sent):
            gov = governor(ent.root)
            if gov is None or self._dateline(ent):
                continue
            attached = gov == trigger or (gov.dep_ == "acl" and gov.head == trigger)
            # "In his speech on Sunday, X reiterated …": the date sits on the speech.
            attached = attached or (
                trigger.pos_ in {"VERB", "AUX"} and gov.dep_ == "pobj" and gov.head.head == trigger
            )
            # "That evening Jan Novak said …", "On Monday EU ministers met": a date the parser
            # compounded with the noun after it modifies no name or noun; it dates that noun's verb
            # (after a preposition left without its object, that preposition's)
            before = self.doc[ent.start - 1] if ent.start > sent.start else None
            orphan = (before is not None and before.dep_ == "prep" and before.head == trigger
                      and not any(c.dep_ in ("pobj", "pcomp") for c in before.children))
            phrase = gov  # the noun phrase the date ran into, up to its head ("Monday EU foreign ministers")
            while phrase.dep_ in {"compound", "nmod"} and phrase.head is not phrase and phrase.head.i > phrase.i:
                phrase = phrase.head
            attached = attached or (
                ent.root.dep_ == "compound" and phrase.head == trigger and ent.end <= gov.i
                and trigger.pos_ in {"VERB", "AUX"} and (gov.pos_ == "PROPN" or orphan)
            )
            if attached:
                future = self.is_future(trigger)
                value = self.resolve(ent, future=future, past=not future and self.is_past(trigger))
                if value is not None:
                    out.append(value)
        return out

    def _dateline(self, group: SpacySpan) -> bool:
        """Whether a date phrase is a dateline's ("MOSCOW, Nov 22 - Russia struck ..."): near its
        sentence's start, right before a dash. It dates the report, not what the sentence tells."""
        doc = self.doc
        return (group.end < len(doc) and doc[group.end].text in DATELINE_DASHES
                and group.start - group.sent.start <= DATELINE_REACH)

    def resolve(self, group: SpacySpan, future: bool = False, past: bool = False) -> DateValue | None:
        """A date phrase's value: from the article's date, or for a sequel ("the next day",
        "two days later") from the last day the text named before it."""
        if is_sequel(group.text):
            return resolve_sequel(group.text, self.day_before(group.start))
        return resolve_date(group.text, self.anchor, future=future, past=past)

    def day_before(self, position: int) -> date | None:
        """The last day named before ``position`` (no sequel itself), if a day was named: a
        month or year named since, in passing ("since August"), does not end the day's telling."""
        for group in reversed([g for g in self.dates if g.end <= position]):
            if is_sequel(group.text):
                continue
            value = resolve_date(group.text, self.anchor)
            if value is None or value.precision != "day":
                continue
            return date.fromisoformat(value.iso)
        return None

    def in_date(self, tok: Token) -> bool:
        """Whether a word is part of a date phrase ("29" of "Oct 29")."""
        return any(d.start <= tok.i < d.end for d in self.dates)

    def dates_in(self, sent: SpacySpan) -> list[SpacySpan]:
        """Date phrases of ``sent``, in order (``Sunday, the 13th of October`` is one)."""
        return [d for d in self.dates if d.start >= sent.start and d.end <= sent.end]

    def date_for(self, trigger: Token) -> DateValue | None:
        dates = self.own_dates(trigger)
        return most_precise(dates)

    def _quote_regions(self) -> list[tuple[int, int]]:
        """Top-level quotations as token ranges ``(start, end)`` excluding the marks."""
        regions: list[tuple[int, int]] = []
        depth, start = 0, 0
        doc = self.doc
        # only the tokens at quotation marks are looked at: found in the text, not token by token
        marks = sorted({
            span[0].i for span in (
                doc.char_span(m.start(), m.end(), alignment_mode="expand")
                for m in QUOTE_MARKS.finditer(self.text)
            ) if span is not None and len(span)
        })
        for tok in (doc[i] for i in marks):
            if not tok.is_quote or tok.text in SINGLE_QUOTES:
                continue
            before = doc[tok.i - 1] if tok.i > 0 else None
            after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if tok.text in OPENING_QUOTES:
                opening = True
            elif tok.text in CLOSING_QUOTES:
                opening = False
            else:
                spaced_before = before is None or bool(before.whitespace_) or before.is_punct and before.text in OPENING_AFTER
                spaced_after = after is None or bool(tok.whitespace_) or after.is_punct and not after.is_quote
                if spaced_before and not spaced_after:
                    opening = True
                elif spaced_after and not spaced_before:
                    opening = False
                else:
                    opening = depth == 0
            if opening:
                if depth == 0:
                    start = tok.i + 1
                depth += 1
            elif depth > 0:
                depth -= 1
                if depth == 0 and tok.i > start:
                    regions.append((start, tok.i))
        return regions

    def in_quote(self, i: int) -> tuple[int, int] | None:
        for start, end in self.quotes:
            if start <= i < end:
                return start, end
        return None

    def count_of(self, tok: Token | None) -> Quantity | None:
        """The troop figure of the NP at ``tok``: ``about 10,000 (of its military)``."""
        if tok is None:
            return None
        if not (tok.like_num or tok.pos_ == "NUM") and tok.lower_ in PARTITIVES:
            inner = self.parse.head_noun(tok)  # "a company of 120 Gurkhas": the troops' figure
            if inner.i != tok.i:
                found = self.count_of(inner)
                if found is not None:
                    return found
        num: Token | None = None
        if tok.like_num or tok.pos_ == "NUM":
            num = tok
        else:
            num = next((c for c in tok.children if c.dep_ in {"nummod", "quantmod"} or (c.dep_ == "amod" and c.like_num)), None)
            if num is None:
                # "thousands of soldiers": the vague head == the subject, soldiers under "of"
                if tok.lower_ in VAGUE_HEADS:
                    num = tok
        if num is None or self.in_date(num) or ORDINAL_IN_FIGURES.fullmatch(num.text):
            return None  # "Oct 29 - North Korean troops": a dateline's day is no head count, nor "the 59th"
        toks = sorted([t for t in num.subtree if t.i <= num.i or t.dep_ in {"quantmod", "compound"}
                       or t.dep_ in {"cc", "conj"} and t.head.i == num.i], key=lambda t: t.i)
        if num.i != tok.i:  # "between 1,000 and 2,000 soldiers": both ends are numbers on the noun
            toks += [t for c in tok.children if c.dep_ == "nummod" and c.i > num.i for t in c.subtree if t.i < tok.i]
        j = num.i + 1  # "100-120 soldiers", however the parser hangs the second number
        if (j + 1 < len(self.doc) and self.doc[j].text in ("-", "–") and self.doc[j + 1].like_num
                and not num.whitespace_ and not self.doc[j].whitespace_):
            toks += [self.doc[j], self.doc[j + 1]]
        left = [t for t in tok.children if t.i < num.i and t.dep_ in {"advmod", "quantmod"} and t.lower_ in FIGURE_HEDGES]
        toks = sorted(set(toks) | set(left), key=lambda t: t.i)
        if not toks:
            return None
        start, end = toks[0].i, toks[-1].i + 1
        while start < end and self.doc[start].dep_ == "det" and self.doc[start].lower_ in FIGURE_DETERMINERS:
            start += 1
        text = self.doc[start:end].text
        quantity = parse_quantity(text)
        if quantity is None:
            return None
        if quantity.value is not None and quantity.value < MIN_HEAD_COUNT and not quantity.vague:
            return None  # "two battalions", "1 November": not a head count
        return quantity

    def troop_figure(self, tok: Token, deps: frozenset[str] = FIGURE_DEPS) -> tuple[Token, Quantity] | None:
        """The troop figure a number word states, as the noun it counts and its quantity ("3,000
        soldiers", "3,000 of them"), when the word stands in one of ``deps``."""
        if tok.like_num and tok.dep_ == "pobj" and tok.head.lower_ in ("to", "at"):
            return self._figure_of_a_number(tok)
        if not tok.like_num or tok.dep_ not in deps:
            return None
        noun = tok.head if tok.dep_ == "nummod" else tok
        if not self.is_troops(noun):
            return None
        count = self.count_of(noun)
        return (noun, count) if count is not None else None

    def _figure_of_a_number(self, tok: Token) -> tuple[Token, Quantity] | None:
        """"would take the number of British troops in Helmand to about 4,500", "put the total of
        soldiers at 3,000": a figure the verb sets a count of troops to (its object a figure noun,
        ``figure_nouns``, with the troops in its "of" phrase)."""
        verb = tok.head.head
        for obj in self.parse.objects(verb):
            if obj.lemma_.lower() not in FIGURE_NOUNS:
                continue
            counted = self.parse.oblique(obj, frozenset({"of"}))
            for troops in counted:
                if self.is_troops(troops):
                    count = self.count_of(tok)
                    return (troops, count) if count is not None else None
            if not counted and self.refs.troops_before(obj) is not None:
                # "raised its estimate to around 10,000", "put the number there at 8,000": a figure
                # of no "of" phrase counts the troops the text spoke of last
                count = self.count_of(tok)
                return (tok, count) if count is not None else None
        return None

    def sides(self, a: str | None, b: str | None) -> bool:
        if not a or not b or a == b:
            return False
        if self.cls(a) not in ACTOR_CLASSES or self.cls(b) not in ACTOR_CLASSES:
            return False
        sa, sb = self.state_of(a), self.state_of(b)
        return not (sa and sb and sa == sb)

    def governing_date(self, tok: Token) -> DateValue | None:
        """Date of the nearest verb above ``tok`` that has one (``On 5 November, X confirmed the
        clashes``), within ``tok``'s clause: a verb with its own subject is a clause of its own
        ("said on Monday that troops had arrived" does not date the arrival)."""
        if tok.pos_ in {"VERB", "AUX"} and any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in tok.children):
            return None
        t = tok
        for _ in range(5):
            if t.head == t:
                break
            t = t.head
            if t.pos_ in {"VERB", "AUX"}:
                value = self.date_for(t)
                if value is not None:
                    return value
                for claim, cue_tok, _, _ in self.claims:
                    if cue_tok == t and claim.date is not None and claim.date.text:
                        return claim.date
                if any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in t.children):
                    # a clause with its own subject bounds the date's reach, unless it tells what
                    # went on meanwhile ("X attacked Y on Wednesday, while fighting raged on in Z")
                    if t.dep_ == "advcl" and t.head is not t and any(
                            c.dep_ == "mark" and c.lower_ in SIMULTANEITY_MARKS for c in t.children):
                        return self.date_for(t.head)
                    break
        return None

    @functools.cached_property
    def sentences(self) -> list[SpacySpan]:
        """The doc's sentences, in order (``Token.sent`` walks the doc: asked once)."""
        return list(self.doc.sents)

    @functools.cached_property
    def _paragraphs(self) -> tuple[dict[int, int], list[int]]:
        """Each sentence's index by its first token, and each sentence's paragraph number (a new
        paragraph after a line break)."""
        index, paragraph, number = {}, [], 0
        for n, sent in enumerate(self.sentences):
            if n and "\n" in self.text[self.sentences[n - 1].start_char:sent.start_char]:
                number += 1
            index[sent.start] = n
            paragraph.append(number)
        return index, paragraph

    def paragraph_before(self, tok: Token) -> list[SpacySpan]:
        """The sentences of ``tok``'s paragraph before its own, in order."""
        index, paragraph = self._paragraphs
        n = next((index[s] for s in range(tok.i, -1, -1) if s in index), 0)
        first = n
        while first > 0 and paragraph[first - 1] == paragraph[n]:
            first -= 1
        return self.sentences[first:n]

    def trailing_date(self, noun: Token) -> DateValue | None:
        """A date right after an event noun's phrase that the parser hung on a verb above it:
        "the crackdown on protesters in Tiananmen Square in 1989" (the year on "imposed")."""
        if noun.pos_ not in ("NOUN", "PROPN"):
            return None
        end = noun.right_edge.i + 1
        group = next((g for g in self.dates if g.start >= end), None)
        if group is None or group.start - end > 1 or any(t.pos_ != "ADP" for t in self.doc[end: group.start]):
            return None
        gov = governor(group.root)
        # the noun deep in the verb's phrase ("imposed in the aftermath of the crackdown … in
        # 1989"), not the verb's own argument ("discussed the summit on Monday": the discussing's)
        deep = gov is not None and gov in noun.ancestors and noun.head != gov and noun.head.head != gov
        return self.resolve(group) if deep else None

    def claim_date_of(self, tok: Token) -> DateValue | None:
        """The date of the claim whose cue governs ``tok`` (``he said this at the summit``)."""
        for claim, cue_tok, _, _ in self.claims:
            if cue_tok.sent.start == tok.sent.start and tok in cue_tok.subtree:
                return claim.date
        return None

    def relation(self, kind: str, subject: str, obj: str, tok: Token, confidence: float, title: str | None = None) -> None:
        if not subject or not obj or subject == obj:
            return
        if kind in SYMMETRIC and obj < subject:
            subject, obj = obj, subject
        kind = str(kind)  # the plain value ("role"), as every fact's kind is stored
        rel = Relation(kind=kind, subject=subject, object=obj, sentence=self.sentence(tok), confidence=confidence, title=title)  # type: ignore[arg-type]
        for existing, _ in self.relations:
            if (existing.kind, existing.subject, existing.object, existing.sentence) == (kind, subject, obj, rel.sentence):
                return
        self.relations.append((rel, tok.i))

    def event(self, kind: str, trigger: Token, confidence: float, *, each_place: bool = False, **fields: object) -> None:
        """Add an event, once per trigger, kind and agent (and place, for ``each_place``: troops
        at each of several places); a second reading of the trigger gives the first the place and
        date it lacked. An asserted event dated after the article is expected ("next Sunday's
        elections")."""
        event = Event(kind=str(kind), sentence=self.sentence(trigger), confidence=confidence, trigger=trigger.text, **fields)  # type: ignore[arg-type]
        if event.modality == "asserted" and event.date is not None and self.anchor is not None:
            if event.date.iso > self.anchor.isoformat()[: len(event.date.iso)]:
                event = dataclasses.replace(event, modality="expected")
        for n, (existing, i) in enumerate(self.events):
            if i == trigger.i and existing.kind == kind and existing.agent == event.agent and (
                    not each_place or existing.place == event.place):
                if existing.place is None and event.place is not None or existing.date is None and event.date is not None:
                    # two patterns read one word ("a swift offensive"): what the second found too
                    self.events[n] = (dataclasses.replace(
                        existing, place=existing.place or event.place, date=existing.date or event.date,
                        participants=tuple(dict.fromkeys(existing.participants + event.participants))), i)
                return
        self.events.append((event, trigger.i))

    def is_definite(self, tok: Token) -> bool:
        """Whether ``tok`` heads a definite noun phrase ("the treaty", "this visit", "Tuesday's
        meeting": a day's possessive names a known event too)."""
        return tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in DETERMINERS
                                          or c.dep_ == "poss" and (c.ent_type_ == "DATE" or self.in_date(c))
                                          for c in tok.children)

    def facts(self) -> Facts:
        events = [e for e, _ in self.events]
        claims: list[Claim] = []
        for claim, cue_tok, start, end in self.claims:
            about = tuple(n for n, (_, i) in enumerate(self.events) if start <= i < end)
            # an event's figure counts its troops: those it names, else its agent's ("North Korea
            # will send 5,000 army construction workers")
            counts = [c if c.of is not None or events[n].agent is None else dataclasses.replace(c, of=events[n].agent)
                      for n in about for c in [events[n].count] if c is not None]
            for tok in self.doc[start:end]:
                figure = self.troop_figure(tok)
                if figure is None:
                    continue
                noun, q = figure
                if all((q.value, q.text) != (c.value, c.text) for c in counts):
                    # whose: the phrase's own forces, else the troops the text spoke of last
                    unit = self.actor(noun) or self.refs.last_troops(noun)
                    counts.append(dataclasses.replace(q, of=unit) if unit is not None and self.cls(unit) in ACTOR_CLASSES else q)
            claims.append(dataclasses.replace(claim, about=about, counts=tuple(dict.fromkeys(counts))))  # type: ignore[arg-type]
        definite = {n for n, (_, i) in enumerate(self.events) if self.is_definite(self.doc[i])}
        merged, merged_claims = consolidate(events, claims, definite)
        return Facts(relations=tuple(r for r, _ in self.relations), events=merged, claims=merged_claims)

