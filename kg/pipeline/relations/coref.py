"""Reference resolution: which entity a pronoun or a definite description stands for.

News refers back to what it has named: "Mr Straw said ... He added", "the ministry said", "the
country", "these troops", "the French president". The rules read an argument through
:meth:`References.resolve`, so "They were seen near the border" or "She said ..." give their
entity like a name would. The resolution is salience-based and conservative:

* a personal pronoun takes the most salient earlier person whose gender does not clash — gender
  known from an honorific or a gendered title in the person's mentions ("Mr", "Mrs", "spokeswoman"),
  or from a pronoun already resolved to that person; a person is more salient when mentioned
  more recently (this sentence, then the ones before, at most a few back) and as a subject;
* "it"/"its" take the most salient state or organization, "they"/"them"/"their" the most salient
  armed forces (or a state or organization spoken of in the plural);
* "the N" (or "this N", "these N") with no other modifier, for a noun of
  ``data/lexicon/relations.toml``'s ``[reference.descriptions]``, takes the most recent entity of
  that class — for a noun marked there, only one whose own name holds the noun ("the ministry" is
  the last ministry named), or the state named most so far ("the government");
* a titled description ("the president", "the French prime minister") takes the one person of
  the text known to hold that title (:meth:`References.add_title`), and nobody when several do.

Nothing resolves to an entity more than :data:`SENTENCES_BACK` sentences away.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Token

from kg.lexicon import FORMATION_NOUNS, UNIT_LABEL, section
from kg.model import Entity, EntityClass

__all__ = ["References"]

_WORDS = section("lexicon/relations").table("reference")
MALE = _WORDS.words("male_honorifics") | _WORDS.words("male_titles")
FEMALE = _WORDS.words("female_honorifics") | _WORDS.words("female_titles")
MALE_PRONOUNS = _WORDS.words("male_pronouns")
FEMALE_PRONOUNS = _WORDS.words("female_pronouns")
PLURAL_PRONOUNS = _WORDS.words("plural_pronouns")
NEUTER_PRONOUNS = _WORDS.words("neuter_pronouns")
DESCRIPTIONS: dict[str, tuple[str, bool, bool]] = {
    noun: (cls.rstrip("!*"), cls.endswith("!"), cls.endswith("*"))
    for noun, cls in _WORDS.mapping("descriptions").items()
}
"""Noun -> (class of the entity it refers back to, whether that entity's name must hold the noun,
whether it is the entity the text names most so far rather than the last one)."""
DETERMINERS = _WORDS.words("definite_determiners")
"""Determiners that make a noun phrase refer back ("the treaty", "this visit")."""
SENTENCES_BACK = 3
"""How many sentences back a reference looks for its entity."""
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


@dataclass
class _Seen:
    """An entity mentioned at a token: what salience is computed from."""

    key: str
    token: int
    sentence: int
    subject: bool
    qualifier: bool = False
    """The mention only qualifies another noun ("Russian navy ships", "Russia's war")."""


class References:
    """Pronouns and definite descriptions of one doc, resolved in text order (see the module)."""

    def __init__(
        self,
        doc: Doc,
        mention_at: Mapping[int, str],
        entities: Mapping[str, Entity],
        anchors: Mapping[str, Sequence[str]],
        state_of_word: Callable[[Token], str | None] = lambda tok: None,
    ) -> None:
        """``mention_at``: token index -> entity key of the mention covering it; ``anchors``:
        entity key -> the words it is mentioned by in this doc; ``state_of_word``: the state a
        word names (a demonym: "French" -> France), for titled descriptions."""
        self.doc = doc
        self.state_of_word = state_of_word
        self.entities = entities
        self.mention_at = mention_at
        self.gender: dict[str, str] = {}
        for key, words in anchors.items():
            if entities.get(key) is not None and entities[key].cls == EntityClass.PERSON:
                gender = _gender_of(words)
                if gender:
                    self.gender[key] = gender
        self.titles: dict[str, set[str]] = {}
        self.title_orgs: dict[str, set[str]] = {}
        self._resolved: dict[int, str | None] = {}
        self._sentence_of = _sentence_numbers(doc)
        self._seen: list[_Seen] = []
        for i in sorted(mention_at):  # each mention's first word (a mention's words share its key)
            key = mention_at[i]
            if mention_at.get(i - 1) != key:
                tok = doc[i]
                self._seen.append(_Seen(key, i, self._sentence_of[i], _is_subject(tok, mention_at),
                                        _is_qualifier(tok, mention_at)))

    # --- titles (from the roles found in the text) ------------------------------------------------
    def add_title(self, person: str, title: str, org: str | None = None) -> None:
        """Record that ``person`` holds ``title`` ("Prime Minister") in ``org``, and the gender
        the title tells, for titled descriptions and pronouns."""
        words = frozenset(title.lower().split())
        self.titles.setdefault(person, set()).update(words)
        if org is not None:
            self.title_orgs.setdefault(person, set()).add(org)
        if person not in self.gender:
            gender = "m" if words & MALE else "f" if words & FEMALE else None
            if gender:
                self.gender[person] = gender

    # --- resolution ---------------------------------------------------------------------------------
    @staticmethod
    def pronoun_gender(tok: Token) -> str | None:
        """"m" or "f" for a gendered personal pronoun, else None."""
        return "m" if tok.lower_ in MALE_PRONOUNS else "f" if tok.lower_ in FEMALE_PRONOUNS else None

    def resolve(self, tok: Token | None) -> str | None:
        """The entity a pronoun or a definite description at ``tok`` refers to, or None."""
        if tok is None:
            return None
        if tok.i not in self._resolved:
            self._resolved[tok.i] = self._resolve(tok)
        return self._resolved[tok.i]

    def resolve_other(self, tok: Token, excluding: str) -> str | None:
        """The person or body a possessive pronoun refers to when it cannot be ``excluding``:
        in "Rustem Umerov, his defence minister", "his" is someone named before Umerov."""
        low = tok.lower_
        if low in MALE_PRONOUNS or low in FEMALE_PRONOUNS:
            wanted = "m" if low in MALE_PRONOUNS else "f"
            return self._best(tok, lambda e: e.key != excluding and e.cls == EntityClass.PERSON
                              and self.gender.get(e.key, wanted) == wanted)
        if low in NEUTER_PRONOUNS:
            return self._best(tok, lambda e: e.key != excluding and e.cls in (EntityClass.STATE, EntityClass.ORGANIZATION))
        return None

    def _resolve(self, tok: Token) -> str | None:
        low = tok.lower_
        if low in MALE_PRONOUNS or low in FEMALE_PRONOUNS:
            wanted = "m" if low in MALE_PRONOUNS else "f"
            key = self._best(tok, lambda e: e.cls == EntityClass.PERSON and self.gender.get(e.key, wanted) == wanted)
            if key is not None and key not in self.gender:
                self.gender[key] = wanted
            return key
        if low in NEUTER_PRONOUNS:
            return self._best(tok, _one_body)
        if low in PLURAL_PRONOUNS:
            subject = self._clause_subject(tok) if low == "them" else None
            return self.troops_before(tok, other_than=frozenset({subject}) if subject else frozenset())
        return self._description(tok)

    def _clause_subject(self, tok: Token) -> str | None:
        """The entity the subject of an object pronoun's clause names, which the pronoun is not
        ("Ukrainian soldiers fought them": not the Ukrainian soldiers; "soldiers who fought them"
        too)."""
        verb = tok.head.head if tok.dep_ == "pobj" else tok.head
        for subject in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
            if subject.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                subject = verb.head
            key = self.mention_at.get(subject.i)
            if key is not None:
                return key
        return None

    def _description(self, tok: Token) -> str | None:
        if tok.pos_ not in ("NOUN", "PROPN") or not any(c.dep_ == "det" and c.lower_ in DETERMINERS for c in tok.children):
            return None
        qualifiers = [c for c in tok.children if c.dep_ in {"compound", "amod", "nmod", "poss"}]
        low = tok.lower_
        if low in DESCRIPTIONS and not qualifiers:
            cls, named, most = DESCRIPTIONS[low]
            lemma = tok.lemma_.lower()
            fits = lambda e: e.cls == cls and (not named or lemma in e.label.lower() or low in e.label.lower())  # noqa: E731
            return self._most_named(tok, fits) if most else self._best(tok, fits, recency_only=True)
        states = {self.state_of_word(q) for q in qualifiers} - {None}
        words = {t.lower_ for t in qualifiers if self.state_of_word(t) is None} | {low}
        holders = [
            person for person, title in self.titles.items()
            if words <= title and states <= self.title_orgs.get(person, set())
        ]
        return holders[0] if len(holders) == 1 else None

    def _most_named(self, tok: Token, fits) -> str | None:  # type: ignore[no-untyped-def]
        """The entity that ``fits`` named most often before ``tok`` (the latest on ties)."""
        counts: dict[str, tuple[int, int]] = {}
        for seen in self._seen:
            if seen.token >= tok.i:
                break
            entity = self.entities.get(seen.key)
            if entity is not None and fits(entity):
                n, _ = counts.get(seen.key, (0, 0))
                counts[seen.key] = (n + 1, seen.token)
        return max(counts, key=counts.__getitem__) if counts else None

    def last_troops(self, tok: Token) -> str | None:
        """The armed forces named last before ``tok``, however far back, heading their phrase
        (not "Russian navy ships"): whose a bare figure is ("more than 3,000 dead and wounded", in
        a list of estimates). A state's forces or an armed group before a formation named in its
        own right ("the 59th Brigade", "the SSO"), which reports figures more often than it is
        counted."""
        last = last_qualifier = last_formation = None
        for seen in self._seen:
            if seen.token >= tok.i:
                break
            entity = self.entities.get(seen.key)
            if entity is not None and entity.cls == EntityClass.MILITARY_UNIT:
                if seen.qualifier:  # "Russian navy ships": the navy is not who is counted
                    last_qualifier = seen.key
                elif _formation(entity):
                    last_formation = seen.key
                else:
                    last = seen.key
        return last or last_qualifier or last_formation

    def troops_before(self, tok: Token, other_than: frozenset[str] = frozenset()) -> str | None:
        """What "they" or a definite troop noun ("the soldiers", "these units") refers to: the
        last troops (none of ``other_than``, nor of its states: "its gunners killed 40 of the
        soldiers" means someone else's), unless a later sentence names several people ("X met Y.
        They agreed ..."), whom "they" more likely means: then no one."""
        def fits(e: Entity) -> bool:
            return e.cls == EntityClass.MILITARY_UNIT and e.key not in other_than and (e.state is None or e.state not in other_than)
        # "the brigade": the brigade named last; otherwise a state's forces or a group before a
        # formation named in its own right ("the 59th Brigade")
        noun = tok.lemma_.lower()
        key = None
        if noun in FORMATION_NOUNS:
            key = self._best(tok, lambda e: fits(e) and _formation(e) and e.label.lower().split()[-1].rstrip("s") == noun.rstrip("s"))
        key = key or self._best(tok, lambda e: fits(e) and not _formation(e)) or self._best(tok, fits)
        if key is None:
            return None
        unit_sentence = max(s.sentence for s in self._seen if s.key == key and s.token < tok.i)
        here = self._sentence_of[tok.i]
        people: dict[int, set[str]] = {}
        for seen in self._seen:
            if seen.token >= tok.i:
                break
            entity = self.entities.get(seen.key)
            if unit_sentence <= seen.sentence <= here and entity is not None and entity.cls == EntityClass.PERSON:
                people.setdefault(seen.sentence, set()).add(seen.key)
        return None if any(len(keys) > 1 for keys in people.values()) else key

    def _best(self, tok: Token, fits, *, recency_only: bool = False) -> str | None:  # type: ignore[no-untyped-def]
        """The most salient earlier entity that ``fits``: the nearest sentence first, subjects
        before other mentions, then the latest."""
        here = self._sentence_of[tok.i]
        best: tuple[tuple[int, int, int], str] | None = None
        for seen in self._seen:
            if seen.token >= tok.i:
                break
            distance = here - seen.sentence
            if distance > SENTENCES_BACK:
                continue
            entity = self.entities.get(seen.key)
            if entity is None or not fits(entity):
                continue
            rank = (-distance, 0 if recency_only else int(seen.subject), seen.token)
            if best is None or rank > best[0]:
                best = (rank, seen.key)
        return best[1] if best else None


def _one_body(entity: Entity) -> bool:
    """What "it" and "its" may be: a state, an organisation, or a unit named as one body ("the
    47th Brigade", "the Border Guard"), not a state's troops ("North Korean troops" are "they")."""
    if entity.cls in (EntityClass.STATE, EntityClass.ORGANIZATION):
        return True
    return entity.cls == EntityClass.MILITARY_UNIT and not entity.label.endswith(_TROOPS_LABEL_END)


_TROOPS_LABEL_END = UNIT_LABEL.format(demonym="")
"""How the label of a state's troops ends (``{demonym} troops``): those are "they", not "it"."""


def _gender_of(words: Sequence[str]) -> str | None:
    """"m" or "f" when an anchor starts with a gendered honorific ("Mr Straw", "Mrs May")."""
    for anchor in words:
        first = anchor.split()[0].lower().rstrip(".") if anchor.split() else ""
        if first in MALE:
            return "m"
        if first in FEMALE:
            return "f"
    return None


def _name_head(tok: Token, mention_at: Mapping[int, str]) -> Token:
    """The head word of the mention ``tok`` opens."""
    head = tok
    key = mention_at.get(tok.i)
    while head.dep_ in {"compound", "flat", "amod"} and head.head is not head and mention_at.get(head.head.i) == key:
        head = head.head
    return head


def _is_qualifier(tok: Token, mention_at: Mapping[int, str]) -> bool:
    return _name_head(tok, mention_at).dep_ in {"compound", "amod", "nmod", "poss"}


def _is_subject(tok: Token, mention_at: Mapping[int, str]) -> bool:
    """Whether a mention is a subject: the head of its words is ("Russian navy vessels ferried
    …": the navy only qualifies the subject, it is none)."""
    return _name_head(tok, mention_at).dep_ in SUBJECT_DEPS


def _sentence_numbers(doc: Doc) -> list[int]:
    """Each token's sentence number, from the doc's sentence starts (read as one array)."""
    if not len(doc):
        return []
    starts = doc.to_array(SENT_START) == 1
    starts[0] = True
    return (numpy.cumsum(starts) - 1).tolist()


_FORCES_SUFFIX = UNIT_LABEL.format(demonym="").strip()


def _formation(entity: Entity) -> bool:
    """Whether a unit is a formation named in its own right ("the 59th Brigade", "SSO"), not a
    state's forces ("North Korean troops") or an armed group ("rebels")."""
    return (entity.label[:1].isupper() or entity.label[:1].isdigit()) and not entity.label.endswith(_FORCES_SUFFIX)
