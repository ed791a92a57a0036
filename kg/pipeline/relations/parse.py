"""The parse, normalised: who does what to whom, whatever construction the sentence uses.

A statistical parser gives the same meaning several shapes: "sent troops to Kursk" hangs "to" as
``prep`` or as ``dative``; a passive names its doer with ``agent`` ("were sent by Pyongyang"); a
relative clause leaves its subject to a pronoun ("the accord, which the leaders signed"); a
participle modifies the noun that is its subject or object ("troops stationed in Kursk", "units
fighting near Kherson"); coordination shares one verb's arguments ("France and Germany said");
control gives an infinitive its subject ("sent men to fight"); a quantifier heads the phrase of
what it counts ("thousands of soldiers"). :class:`Parse` answers the questions the relation
rules ask — the subjects, objects and prepositional objects of a word — once, the same for all
these shapes, so a rule is written against meaning rather than against one parse.

>>> import spacy
>>> from spacy.tokens import Doc
>>> doc = Doc(spacy.blank("en").vocab, words=["Troops", "were", "sent", "to", "Kursk", "by", "Moscow"],
...           pos=["NOUN", "AUX", "VERB", "ADP", "PROPN", "ADP", "PROPN"], tags=["NNS", "VBD", "VBN", "IN", "NNP", "IN", "NNP"],
...           heads=[2, 2, 2, 2, 3, 2, 5], deps=["nsubjpass", "auxpass", "ROOT", "dative", "pobj", "agent", "pobj"])
>>> parse = Parse(doc)
>>> [t.text for t in parse.subjects(doc[2])], [t.text for t in parse.objects(doc[2])]
(['Moscow'], ['Troops'])
>>> [(p, t.text) for p, t in parse.obliques(doc[2])]
[('to', 'Kursk'), ('by', 'Moscow')]
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from kg import lexicon
from kg.lexicon import section
from kg.pipeline.dates import DATELINE_DASHES, DATELINE_REACH, MONTHS, WEEKDAYS

__all__ = ["Parse"]

_WORDS = section("lexicon/relations").table("parse")
RELATIVE_PRONOUNS = _WORDS.words("relative_pronouns")
"""Words that stand for the antecedent of a relative clause ("which", "who", "that")."""
PARTITIVES = _WORDS.words("partitives")
"""Heads that count or part what their "of" phrase names ("thousands of soldiers", "some of them")."""
PARTITIVE_PREPOSITIONS = _WORDS.words("partitive_prepositions")
PERSON_LOCATIVES = _WORDS.words("person_locatives")
"""Place prepositions on a person a verb names that are the verb's ("met X in Budapest")."""
CIRCUMSTANCE_PREPOSITIONS = _WORDS.words("circumstance_prepositions")
"""Prepositions of a phrase that puts a clause's subject in what it names ("losses in fighting")."""
SEQUENCE_PREPOSITIONS = _WORDS.words("sequence_prepositions")
"""Prepositions of a noun whose clause's subject takes no part in it ("after the treaty")."""
CLAUSE_PREPOSITIONS = _WORDS.words("clause_prepositions")
CONTROL_PREPOSITIONS = _WORDS.words("control_prepositions")
"""Prepositions whose object does what the infinitive after them says ("called on X to leave")."""
"""Words that open a clause as well as a phrase ("after X reported …")."""
DURATIONS = _WORDS.words("durations")
"""Nouns of a stretch of time filled by what their "of" phrase names ("weeks of fighting")."""
BEARINGS = lexicon.BEARINGS
MARGINS = lexicon.MARGINS
MARGIN_PREPOSITION = _WORDS.text("margin_preposition")
"""The preposition a place so given is read under ("near")."""
_MARGIN_LINKS = frozenset({"of", "to"})

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
PREPOSITION_DEPS = frozenset({"prep", "dative", "agent"})
"""Children that hang a prepositional phrase off a word: ``dative`` ("sent to X") and ``agent``
("by X") read like any preposition."""
OBJECT_OF_PREPOSITION = frozenset({"pobj", "pcomp"})
CONTROL_DEPS = frozenset({"xcomp", "advcl"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
VERBAL = frozenset({"VERB", "AUX"})
NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})


class Parse:
    """Normalised argument lookups over one parsed ``Doc`` (see the module docstring)."""

    def __init__(self, doc: Doc, people: frozenset[int] = frozenset()) -> None:
        self.doc = doc
        self.people = people
        """The words of people's names (a place the parser hangs on one is the verb's)."""

    # --- coordination and phrases ----------------------------------------------------------------
    @staticmethod
    def expand(tok: Token | None) -> list[Token]:
        """``tok`` and the words coordinated with it ("France, Germany and Italy")."""
        if tok is None:
            return []
        return [tok, *tok.conjuncts] if tok.dep_ != "conj" else [tok]

    @staticmethod
    def head_noun(tok: Token) -> Token:
        """The noun a phrase is about: past a partitive head ("thousands of soldiers",
        "some of the troops", "a group of fighters") to what it counts."""
        for _ in range(3):
            if not (tok.lower_ in PARTITIVES or tok.like_num or tok.pos_ == "NUM") or tok.tag_ == "NNP":
                return tok  # "the 25th Brigade of the 1st Army" is a formation by name, not a count
            inner = next((p for c in tok.children if c.dep_ == "prep" and c.lower_ in PARTITIVE_PREPOSITIONS
                          for p in c.children if p.dep_ == "pobj"), None)
            if inner is None:
                return tok
            tok = inner
        return tok

    @staticmethod
    def antecedent(tok: Token) -> Token | None:
        """The noun a relative pronoun stands for ("the accord, which ..." -> accord)."""
        if tok.lower_ not in RELATIVE_PRONOUNS:
            return None
        clause = tok.head
        while clause.dep_ in {"conj"} and clause.head is not clause:
            clause = clause.head
        if clause.dep_ in {"relcl", "acl"} and clause.head is not clause:
            return clause.head
        return None

    def _nominal(self, tok: Token) -> list[Token]:
        """A nominal argument as the words it stands for: relative pronouns by their antecedent,
        a common noun by the name in apposition to it ("his counterpart, Cho Tae-yul"),
        coordinated phrases by each conjunct."""
        noun = self.antecedent(tok) or tok
        if noun.pos_ == "NOUN":
            noun = next((c for c in noun.children if c.dep_ == "appos" and c.pos_ == "PROPN"), noun)
        return self.expand(noun)

    # --- verb arguments ------------------------------------------------------------------------
    def subjects(self, verb: Token | None, depth: int = 0) -> list[Token]:
        """Who does ``verb``: its subject; a passive's "by" agent; a relative clause's or a
        present participle's noun; the subject (or, for "sent X to fight", the object; for a
        passive, "were killed fighting", its subject) of the verb an infinitive or participle
        clause depends on ("after meeting X, he ..." too); a coordinated verb's first conjunct's."""
        if verb is None or depth > 4:
            return []
        found = [self._past_dateline(c) for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if found:
            return [t for c in found for t in self._nominal(c)]
        # "by" names the doer of a passive only: an active verb's is its means ("by video link")
        agent = next((c for c in verb.children if c.dep_ == "agent"), None) if verb.tag_ not in _FINITE_TAGS else None
        if agent is not None:
            return [t for p in agent.children if p.dep_ in OBJECT_OF_PREPOSITION for t in self._nominal(p)]
        if any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in verb.children):
            return []  # a passive without its doer
        swallowed = self._swallowed_subject(verb) or self._stranded_subject(verb)
        if swallowed is not None:
            return self._nominal(swallowed)
        head = verb.head
        if head is verb:
            return []
        if verb.dep_ == "relcl":
            return self.expand(head)
        if verb.dep_ == "acl" and verb.tag_ in ("VBG", "VBD"):  # "troops fighting in X"; "The
            # brigade, which fought at X, crossed into Y", the finite verb hung on its subject
            return self.expand(head)
        if verb.dep_ in CONTROL_DEPS | {"acomp"} and head.pos_ in VERBAL:
            objects = [c for c in head.children if c.dep_ in OBJECT_DEPS | {"dative"} and c.pos_ in NOMINAL]
            # "called on X to pull out": the object of the preposition, however the parser hung the infinitive
            if any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children):
                callee = [o for c in head.children if c.dep_ == "prep" and c.lower_ in CONTROL_PREPOSITIONS
                          and c.i == head.i + 1 for o in c.children if o.dep_ == "pobj" and o.pos_ in NOMINAL
                          and o.lower_ not in WEEKDAYS and o.lower_ not in MONTHS]
                if callee:
                    return [t for o in callee for t in self._nominal(o)]
            if verb.dep_ == "xcomp" and objects:  # object control: "sent its men to fight"
                return [t for o in objects for t in self._nominal(o)]
            undergoers = [c for c in head.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
            if undergoers:  # "soldiers were killed fighting for X", "were sent to fight": the soldiers
                return [t for c in undergoers for t in self._nominal(c)]
            return self.subjects(head, depth + 1)
        if verb.dep_ == "conj" and head.pos_ in VERBAL:
            return self.subjects(head, depth + 1)
        if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and head.dep_ == "prep" and head.head.pos_ in VERBAL:
            return self.subjects(head.head, depth + 1)  # "before visiting X, Blair met ...": Blair visits
        return []

    @staticmethod
    def _swallowed_subject(verb: Token) -> Token | None:
        """"On 18 October South Korea's spy agency said …": the subject a sentence-opening phrase
        of time ran into (the parser read "October South Korea's … Service" as the preposition's
        object): that object, when the phrase opens the sentence and a day or month word stands in
        it before the object's own name."""
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.is_sent_start and c.i < verb.i), None)
        if prep is None:
            return None
        obj = next((c for c in prep.children if c.dep_ in OBJECT_OF_PREPOSITION), None)
        if obj is None or obj.pos_ not in NOMINAL or obj.lower_ in MONTHS or obj.lower_ in WEEKDAYS:
            return None
        words = [t.lower_ for t in verb.doc[prep.i + 1: obj.left_edge.i + 3]]
        return obj if any(w in MONTHS or w in WEEKDAYS for w in words) and obj.i < verb.i else None

    @staticmethod
    def _past_dateline(subject: Token) -> Token:
        """"SEOUL, June 17 - North Korea will send …": a dateline's place the parser made the
        subject stands for the name after the dateline's dash that it hung on it."""
        sent = subject.sent
        dash = next((t for t in sent[:DATELINE_REACH + 4] if t.text in DATELINE_DASHES), None)
        if dash is None or subject.i > dash.i:
            return subject
        head = subject.doc[sent.start: dash.i]
        if not all(t.pos_ in {"PROPN", "NUM", "PUNCT", "SYM"} for t in head) or not any(
                t.lower_ in MONTHS or (t.is_upper and len(t) > 1) for t in head):
            return subject  # "Putin - the Russian leader - said": no dateline
        return next((c for c in subject.children if c.i > dash.i and c.dep_ in {"appos", "conj", "npadvmod"}
                     and c.pos_ in NOMINAL), subject)

    @staticmethod
    def _stranded_subject(verb: Token) -> Token | None:
        """"two days after X, the army's chief, reported …": the subject of a finite clause whose
        opening word the parser read as a preposition (``CLAUSE_PREPOSITIONS``), so that the clause's
        subject became its object and the verb lost it: that object, when it ends right before
        the verb (but for a comma)."""
        if verb.tag_ not in _FINITE_TAGS or verb.dep_ not in {"advcl", "conj"} or verb.head is verb:
            return None
        for prep in verb.head.children:
            if prep.dep_ != "prep" or prep.lower_ not in CLAUSE_PREPOSITIONS or prep.i > verb.i:
                continue
            obj = next((c for c in prep.children if c.dep_ == "pobj" and c.pos_ in NOMINAL), None)
            if obj is None:
                continue
            gap = verb.doc[obj.right_edge.i + 1: verb.i]
            if all(t.is_punct or (t.dep_ in {"aux", "advmod", "neg"} and t.head == verb) for t in gap):
                return obj
        return None

    def objects(self, verb: Token | None) -> list[Token]:
        """What ``verb`` acts on: its direct object; a passive's subject; the noun a past
        participle modifies ("troops stationed in X"); a relative clause's antecedent when the
        relative pronoun is the object ("the deal, which they signed")."""
        if verb is None:
            return []
        found = [c for c in verb.children if c.dep_ in OBJECT_DEPS | PASSIVE_SUBJECT_DEPS]
        if found:
            return [t for c in found for t in self._nominal(c)]
        if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head is not verb:
            return self.expand(verb.head)
        return []

    def obliques(self, word: Token | None) -> list[tuple[str, Token]]:
        """``(preposition, object)`` of each prepositional phrase on ``word`` ("to Kursk",
        "by Moscow"), the object expanded over coordination; a preposition without an object
        of its own ("according to") gives its complement's."""
        if word is None:
            return []
        out: list[tuple[str, Token]] = []
        for child in word.children:
            if child.dep_ in PREPOSITION_DEPS:
                for obj in child.children:
                    if obj.dep_ in OBJECT_OF_PREPOSITION:
                        out.extend((child.lower_, t) for t in self._nominal(obj))
                        for grand in obj.children:  # "out of X", "from behind X"
                            if grand.dep_ == "prep" and obj.dep_ == "pcomp":
                                out.extend((child.lower_, t) for t in self._nominal(grand))
                        if obj.lower_ in MARGINS:  # "on the outskirts of X": near X
                            out.extend((MARGIN_PREPOSITION, t) for t in self._phrase_objects(obj, _MARGIN_LINKS))
                    elif obj.dep_ == "prep" and not any(c.dep_ in OBJECT_OF_PREPOSITION for c in child.children):
                        # "pulled out of X", "out" left without an object and "of X" hung on it
                        out.extend((child.lower_, t) for p in obj.children if p.dep_ in OBJECT_OF_PREPOSITION
                                   for t in self._nominal(p))
                if child.lower_ == "of" and child.i > 0 and child.doc[child.i - 1].lower_ in BEARINGS:
                    # "attacked east of X", the parser hanging "of" on the verb: near X
                    out.extend((MARGIN_PREPOSITION, t) for t in self._phrase_objects(word, frozenset({"of"}), only=child))
            elif child.lower_ in BEARINGS:
                # "attacked southeast of X", "held a line west and north of X": near X
                for bearing in self.expand(child):
                    out.extend((MARGIN_PREPOSITION, t) for t in self._phrase_objects(bearing, frozenset({"of"})))
        if word.pos_ in VERBAL:
            # "signed it with Kim Jong Un in Pyongyang": the place the parser hung on the person
            people = [o for _, o in out if o.i in self.people]
            people += [c for c in word.children if c.dep_ in OBJECT_DEPS and c.i in self.people]
            for person in people:
                for child in person.children:
                    if child.dep_ == "prep" and child.lower_ in PERSON_LOCATIVES:
                        out.extend((child.lower_, t) for t in child.children if t.dep_ in OBJECT_OF_PREPOSITION)
        if word.pos_ in VERBAL and not any(c.i > word.i and c.dep_ not in {"cc", "conj", "punct"} for c in word.children):
            # "killed or wounded in Kursk": a verb with nothing after it but its coordination
            # shares the phrases of the verb it is coordinated with
            for conj in word.children:
                if conj.dep_ == "conj" and conj.pos_ == "VERB" and not any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in conj.children):
                    out.extend(self.obliques(conj))
        return out

    def _phrase_objects(self, word: Token, prepositions: frozenset[str], only: Token | None = None) -> list[Token]:
        """The objects of ``word``'s own prepositional phrases headed by one of ``prepositions``
        (or of the phrase ``only``), without the normalisations of :meth:`obliques`."""
        return [t for prep in word.children if prep.dep_ == "prep" and prep.lower_ in prepositions
                and (only is None or prep.i == only.i)
                for obj in prep.children if obj.dep_ in OBJECT_OF_PREPOSITION for t in self._nominal(obj)]

    def oblique(self, word: Token | None, prepositions: frozenset[str]) -> list[Token]:
        """The objects of ``word``'s prepositional phrases headed by one of ``prepositions``."""
        return [t for prep, t in self.obliques(word) if prep in prepositions]

    def between(self, word: Token) -> list[Token]:
        """The sides of ``word``'s "between" phrase. "Between" takes two: when the parser hung the
        coordination inside the phrase ("between the Border Guard and army troops" read as one
        noun, "Guard and army" qualifying "troops"), the coordinated qualifiers are sides too."""
        objects = self.oblique(word, frozenset({"between"}))
        if len(objects) >= 2:
            return objects
        out = list(objects)
        for obj in objects:
            for child in obj.children:
                if child.dep_ in {"nmod", "compound", "amod"} and any(c.dep_ == "cc" for c in child.children):
                    out.extend(self.expand(child))
        return out

    # --- nouns -------------------------------------------------------------------------------------
    @staticmethod
    def modifiers(noun: Token, deps: frozenset[str] = frozenset({"compound", "amod", "nmod", "poss"})) -> list[Token]:
        """The words that qualify a noun from inside its phrase ("Russia's war", "Ukrainian
        forces", "the NATO summit"), expanded over coordination ("French and German troops")."""
        out: list[Token] = []
        for child in noun.children:
            if child.dep_ in deps:
                out.extend(Parse.expand(child))
        return out

    def governor(self, noun: Token) -> tuple[Token | None, str]:
        """The verb a noun is an argument of, and how: ``("subject"|"object"|<preposition>)``
        ("held talks" -> (held, "object"); "at the summit" -> (verb, "at"))."""
        tok = noun
        while tok.dep_ == "conj" and tok.head is not tok:
            tok = tok.head
        head = tok.head
        if head is tok:
            return None, ""
        if tok.dep_ in SUBJECT_DEPS:
            return head, "subject"
        if tok.dep_ in OBJECT_DEPS | PASSIVE_SUBJECT_DEPS:
            return head, "object"
        if tok.dep_ in OBJECT_OF_PREPOSITION and head.dep_ in PREPOSITION_DEPS and head.head is not head:
            return head.head, head.lower_
        return None, ""

    def clause_words(self, word: Token) -> Iterator[Token]:
        """The words of ``word``'s own clause: its subtree without embedded clauses."""
        stack = [word]
        while stack:
            tok = stack.pop()
            yield tok
            stack.extend(c for c in tok.children if c.dep_ not in {"ccomp", "relcl", "advcl", "parataxis"})
