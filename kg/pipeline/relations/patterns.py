"""The declarative patterns of the event and relation rules, and the frames they fill.

A pattern (``data/rules/patterns.toml``, whose header documents the format) names a trigger — a
word list matched on lemmas or words, parts of speech, a voice — and slots, each filled from the
normalised parse (:class:`~kg.pipeline.relations.parse.Parse`: subject, object, a preposition's
object, the qualifiers inside a noun's phrase, "between A and B", the verb a noun depends on).
:func:`frames` finds every trigger of every pattern in a doc and fills its slots with entities
through the shared resolver (:class:`~kg.pipeline.relations.context.Context`: mentions, demonyms,
troops of a state, pronouns and definite descriptions). The family modules turn frames into
facts; they hold no trigger words of their own.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Token

from kg.errors import LexiconError
from kg.lexicon import Section, section
from kg.model import EntityClass
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.words import CUE_LEMMAS
from kg.pipeline.relations.parse import (
    CIRCUMSTANCE_PREPOSITIONS, DURATIONS, PARTITIVE_PREPOSITIONS, PARTITIVES, SEQUENCE_PREPOSITIONS,
)

__all__ = ["Filler", "Frame", "Pattern", "Slot", "as_noun", "coordinated_keys", "frames", "load_patterns"]


@dataclass(frozen=True)
class Slot:
    """One argument of a pattern: where it is read from and what it may hold."""

    name: str
    sources: tuple[str, ...]
    classes: frozenset[str] | None = None
    troops: bool = False
    required: bool = False


@dataclass(frozen=True)
class Pattern:
    """A trigger and its slots (see the module docstring)."""

    id: str
    family: str
    words: frozenset[str] | None
    """The trigger words; None matches any word of the parts of speech."""
    match: str
    pos: frozenset[str]
    voice: str
    slots: tuple[Slot, ...]
    confidence: float
    object_words: frozenset[str] | None = None
    modifier_words: frozenset[str] | None = None
    """Words one of a noun trigger's modifiers must be ("a phone call", "a telephone conversation")."""
    one_of: tuple[str, ...] = ()
    """Slots of which at least one must be filled (a presence says where: "in", "to")."""
    dated: bool = False
    """The fact needs a date its trigger governs ("signed on 9 November"); the rule checks it."""
    hosted: bool = False
    """The subject hosts the meeting: without a place, it is in the host's state ("Kim received X")."""
    except_words: frozenset[str] = frozenset()
    """Lemmas that never trigger it (a pattern of ``any`` word: "left", "withdrew")."""
    intransitive: bool = False
    """The trigger has no object ("troops pushed into X", not "troops fired shells into X")."""
    departure: bool = False
    """The troops leave the place: they were there, at a time the leaving does not give."""
    particle_words: frozenset[str] | None = None
    """Words one of which the trigger must have beside it as a particle or bare adverb
    ("pushed X out of Y", "drove them back")."""
    theme_words: frozenset[str] | None = None
    """Words what the trigger hands over must be ("supplied drones to X", "supplied X with
    shells", "transfers of missiles", "arms deliveries")."""


@dataclass(frozen=True)
class Filler:
    """An entity that fills a slot, and the word it was read at."""

    key: str | None
    """The entity; None for unnamed troops ("sent 3,000 troops"), which a rule may give an owner."""
    token: Token


@dataclass
class Frame:
    """A pattern matched at a trigger, with what each slot holds."""

    pattern: Pattern
    trigger: Token
    slots: dict[str, list[Filler]] = field(default_factory=dict)

    def keys(self, slot: str) -> list[str]:
        """The distinct entities of a slot, in the order found."""
        return list(dict.fromkeys(f.key for f in self.slots.get(slot, ()) if f.key is not None))

    def first(self, slot: str) -> Filler | None:
        fillers = self.slots.get(slot)
        return fillers[0] if fillers else None


def _except_words(references: str | list[str]) -> frozenset[str]:
    """A pattern's ``except``: one ``file:name`` word list or several, united."""
    lists = [references] if isinstance(references, str) else references
    return frozenset().union(*(_word_list(r) or frozenset() for r in lists))


def _word_list(reference: str | list[str]) -> frozenset[str] | None:
    """A pattern's ``words``: a list, ``any``, or ``file:name`` of a lexicon file's list."""
    if isinstance(reference, list):
        return frozenset(w.lower() for w in reference)
    if reference == "any":
        return None
    source, sep, name = reference.partition(":")
    if not sep:
        raise LexiconError(f"rules/patterns: word list {reference!r} must be 'file:list' or a list")
    data: Section = section(f"lexicon/{source}")
    if source == "wordnet":
        data = data.table("lists")
    *tables, key = name.split(".")
    for table in tables:
        data = data.table(table)
    return data.words(key)


@functools.lru_cache(maxsize=1)
def load_patterns() -> tuple[Pattern, ...]:
    """Every pattern of ``data/rules/patterns.toml``, in file order."""
    patterns = []
    for entry in section("rules/patterns").entries["pattern"]:
        trigger = entry["trigger"]
        slots = tuple(
            Slot(name, tuple(spec["from"]), frozenset(spec["classes"]) if "classes" in spec else None,
                 bool(spec.get("troops")), bool(spec.get("required")))
            for name, spec in entry.get("slots", {}).items()
        )
        if set(entry.get("one_of", ())) - {s.name for s in slots}:
            raise LexiconError(f"rules/patterns: pattern {entry['id']!r}: one_of names a slot it lacks")
        unknown = {c for s in slots for c in (s.classes or ())} - {c.value for c in EntityClass}
        if unknown:
            raise LexiconError(f"rules/patterns: pattern {entry['id']!r} names unknown classes {sorted(unknown)}")
        patterns.append(Pattern(
            id=entry["id"], family=entry["family"], words=_word_list(trigger["words"]),
            match=trigger.get("match", "lemma"), pos=frozenset(trigger.get("pos", ())),
            voice=trigger.get("voice", "any"), slots=slots, confidence=float(entry["confidence"]),
            object_words=_word_list(trigger["object"]) if "object" in trigger else None,
            modifier_words=_word_list(trigger["modifier"]) if "modifier" in trigger else None,
            one_of=tuple(entry.get("one_of", ())), dated=bool(entry.get("dated", False)),
            except_words=_except_words(trigger.get("except", [])), hosted=bool(entry.get("hosted", False)),
            intransitive=bool(trigger.get("intransitive", False)), departure=bool(entry.get("departure", False)),
            theme_words=_word_list(trigger["theme"]) if "theme" in trigger else None,
            particle_words=_word_list(trigger["particle"]) if "particle" in trigger else None,
        ))
    return tuple(patterns)


def _passive(tok: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children) or (tok.dep_ == "acl" and tok.tag_ == "VBN")


def _source_tokens(ctx: Context, tok: Token, source: str) -> list[Token]:
    """The words a slot source gives for the trigger ``tok``."""
    parse = ctx.parse
    if source == "apposed":  # "Erdogan, Azerbaijan's closest ally": the name the noun stands beside
        if tok.dep_ == "appos" and tok.head is not tok:
            return [tok.head]
        if tok.dep_ == "attr":  # "Turkey is Azerbaijan's closest ally"
            return parse.subjects(tok.head)
        return [c for c in tok.children if c.dep_ == "appos"]
    if source.startswith("governor."):
        governor, how = parse.governor(tok)
        if how in SEQUENCE_PREPOSITIONS and source.startswith("governor.subject"):
            return []  # "After the treaty between A and B, C complained": C is no side of it
        if governor is not None and how == "object" and source.startswith("governor.subject") \
                and governor.lemma_.lower() in CUE_LEMMAS:
            # "state media reported the meeting", "Kyiv condemned the attack": who tells or judges
            # it is not in it ("X said during a visit to Rome": the speaker visits)
            return []
        return _source_tokens(ctx, governor, source.partition(".")[2]) if governor is not None else []
    if source.startswith("acl."):
        return [t for c in tok.children if c.dep_ in {"acl", "relcl"} for t in _source_tokens(ctx, c, source[4:])]
    if source.startswith("clause.within:"):
        preps = frozenset(source.partition(":")[2].split(","))
        return [t for c in tok.children if c.dep_ in {"xcomp", "advcl"} for t in c.subtree
                if t.dep_ == "pobj" and t.head.lower_ in preps]
    if source.startswith("subject.prep:"):
        preps = frozenset(source.partition(":")[2].split(","))
        return [t for subject in parse.subjects(tok) for t in parse.oblique(subject, preps)]
    if source.startswith("prep.prep:"):
        preps = frozenset(source.partition(":")[2].split(","))
        return [t for _, o in parse.obliques(tok) for t in parse.oblique(o, preps)]
    if source.startswith("object.prep:"):  # also a participle on the object: "troops operating in X"
        preps = frozenset(source.partition(":")[2].split(","))
        objects = parse.objects(tok)
        return [t for o in objects for w in (o, *(c for c in o.children if c.dep_ == "acl"))
                for t in parse.oblique(w, preps)]
    if source == "where":  # "Basra, where British forces are stationed": the place it modifies
        verb = tok if tok.pos_ in ("VERB", "AUX") else parse.governor(tok)[0]  # "where she held talks"
        relative = verb is not None and verb.dep_ == "relcl" and any(c.lower_ in {"where"} for c in verb.children)
        return [verb.head] if relative else []
    if source.startswith("up.prep:"):  # "the presence of troops in Iraq": the noun "of troops" is on
        preps = frozenset(source.partition(":")[2].split(","))
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN":
            return parse.oblique(tok.head.head, preps)
        return []
    if source == "pp.subject" or source.startswith("pp.subject:"):
        # "X suffered losses in fighting with Y": a gerund in a phrase on X's verb; with
        # prepositions named ("pp.subject:under"), a phrase of those only
        named = frozenset(source.partition(":")[2].split(",")) if ":" in source else None
        # the fighting the subject was in ("part of the fighting"), not one it prepares or calls "for"
        while tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in DURATIONS:
            tok = tok.head.head  # "after weeks of fighting": where the weeks are
        if tok.dep_ not in ("pcomp", "pobj") or tok.head.dep_ != "prep":
            return []
        prep = tok.head
        if named is not None and prep.lower_ not in named:
            return []
        if named is None and prep.lower_ not in CIRCUMSTANCE_PREPOSITIONS and not (
                prep.lower_ in PARTITIVE_PREPOSITIONS and prep.head.lower_ in PARTITIVES):
            return []
        verb = tok.head.head
        if verb.pos_ == "NOUN" and verb.dep_ in ("dobj", "attr"):  # "suffered losses in fighting"
            verb = verb.head
        return parse.subjects(verb) if verb.pos_ in ("VERB", "AUX") else []
    if source.startswith("prep:"):
        return parse.oblique(tok, frozenset(source.partition(":")[2].split(",")))
    if source == "subject":
        return parse.subjects(tok)
    if source == "object":
        return parse.objects(tok)
    if source == "mod":
        return parse.modifiers(tok)
    if source == "between":
        return parse.between(tok)
    if source == "their":  # "France and Germany said their partnership was strong"
        if not any(c.dep_ == "poss" and c.lower_ == "their" for c in tok.children):
            return []
        verb = tok.head
        for _ in range(4):
            if verb.pos_ in ("VERB", "AUX"):
                for group in (parse.subjects(verb), parse.objects(verb)):
                    if len(group) >= 2:
                        return group
            if verb.head is verb:
                break
            verb = verb.head
        return []
    if source == "self":
        return [tok]
    if source == "head":
        return parse.expand(tok.head) if tok.dep_ in {"acl", "amod", "relcl"} else []
    raise LexiconError(f"rules/patterns: unknown slot source {source!r}")


@functools.lru_cache(maxsize=256)
def _preposition_words(slot: Slot) -> frozenset[str] | None:
    """The prepositions a slot read off prepositions alone takes; None for any other slot."""
    if not all(src.startswith("prep:") for src in slot.sources):
        return None
    return frozenset(w for src in slot.sources for w in src.partition(":")[2].split(","))


def _fill(ctx: Context, slot: Slot, tok: Token) -> list[Filler]:
    words = _preposition_words(slot)
    if words is not None and not words & ctx.words:
        return []  # "alongside" in no sentence of the doc
    fillers: list[Filler] = []
    seen: set[int] = set()
    for source in slot.sources:
        for word in _source_tokens(ctx, tok, source):
            if word.i in seen or word.i == tok.i and source != "self":
                continue
            seen.add(word.i)
            if slot.troops:
                if ctx.is_troops(word):
                    fillers.extend(Filler(unit, word) for unit in ctx.troop_units(word))
                continue
            places = slot.classes is not None and slot.classes <= {EntityClass.PLACE, EntityClass.STATE}
            if places:
                keys = [ctx.place_of(word)]
            elif ctx.is_troop_noun(ctx.parse.head_noun(word)):
                # "British and American troops": the forces of each state qualifying the noun
                keys = [k for k in ctx.troop_units(word) if k is not None] or [ctx.actor(word)]
            else:
                keys = [ctx.actor(word)]
            for key in dict.fromkeys(keys):
                if key is not None and (slot.classes is None or ctx.cls(key) in slot.classes):
                    fillers.append(Filler(key, word))
    return fillers


_NOUN_SLOTS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})
"""Dependencies in which a gerund stands as a noun ("Fighting between A and B erupted")."""


def as_noun(tok: Token) -> bool:
    """Whether a word stands as a noun: a noun or name, or a gerund in a noun's place
    ("Fighting in Kursk went on")."""
    return tok.pos_ in ("NOUN", "PROPN") or (tok.tag_ == "VBG" and tok.dep_ in _NOUN_SLOTS)


def _trigger_fits(ctx: Context, pattern: Pattern, tok: Token) -> bool:
    if pattern.pos and tok.pos_ not in pattern.pos and not ("NOUN" in pattern.pos and as_noun(tok)):
        return False
    if pattern.except_words and tok.lemma_.lower() in pattern.except_words:
        return False
    if pattern.voice == "active" and _passive(tok) or pattern.voice == "passive" and not _passive(tok):
        return False
    if pattern.modifier_words is not None and not any(
            c.dep_ in ("compound", "amod", "nmod") and c.lower_ in pattern.modifier_words for c in tok.children):
        return False
    if pattern.intransitive and ctx.parse.objects(tok):
        return False
    if pattern.particle_words is not None and not any(
            c.dep_ in ("prt", "prep", "advmod") and c.lower_ in pattern.particle_words for c in tok.children):
        return False
    if pattern.theme_words is not None and not any(
            w.lower_ in pattern.theme_words or w.lemma_.lower() in pattern.theme_words for w in _themes(ctx, tok)):
        return False
    if pattern.object_words is not None:
        return any(o.lower_ in pattern.object_words or o.lemma_.lower() in pattern.object_words
                   for o in ctx.parse.objects(tok))
    return True


def _themes(ctx: Context, tok: Token) -> list[Token]:
    """What a verb or noun of handing over hands over: a verb's object or its "with" phrase
    ("supplied Moscow with shells"); a noun's "of" phrase or its modifiers ("transfers of missiles",
    "arms deliveries"); each past a partitive head ("millions of shells")."""
    if tok.pos_ in ("VERB", "AUX"):
        words = ctx.parse.objects(tok) + [w for p, w in ctx.parse.obliques(tok) if p == "with"]
    else:
        words = [w for p, w in ctx.parse.obliques(tok) if p == "of"]
        words += [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod")]
    return [ctx.parse.head_noun(w) for w in words]


@functools.lru_cache(maxsize=65536)
def _triggered_by(lemma: str, low: str) -> tuple[Pattern, ...]:
    """The patterns a word triggers, by its lemma or its form, in file order (asked once per word)."""
    patterns = load_patterns()
    return tuple(p for p in patterns if p.words is None
                 or p.match in ("lemma", "any") and lemma in p.words or p.match in ("word", "any") and low in p.words)


@functools.lru_cache(maxsize=256)
def _needs_troops(pattern: Pattern) -> bool:
    """Whether a required slot of the pattern must speak of soldiers."""
    return any(slot.required and slot.troops for slot in pattern.slots)


@functools.lru_cache(maxsize=256)
def _required_first(pattern: Pattern) -> tuple[Slot, ...]:
    """A pattern's required slots, those filled from prepositions alone first."""
    required = [slot for slot in pattern.slots if slot.required]
    return tuple(sorted(required, key=lambda slot: _preposition_words(slot) is None))


def frames(ctx: Context) -> Iterator[Frame]:
    """Every pattern matched in the doc, in text order (then file order), with its slots filled;
    a frame whose required slot is empty is dropped."""
    for i, (lemma, low) in enumerate(zip(ctx.lemmas, ctx.lowers)):
        candidates = _triggered_by(lemma, low)
        if not candidates:
            continue
        tok = ctx.doc[i]
        if tok.pos_ in ("NOUN", "PROPN"):
            bounds = ctx.mention_tokens(tok)
            if bounds is not None and i < bounds[1] - 1:
                continue  # a word inside a name: the "Treaty" of "the North Atlantic Treaty Organization"
        for pattern in candidates:
            if not ctx.speaks_of_troops and _needs_troops(pattern):
                continue
            if not _trigger_fits(ctx, pattern, tok):
                continue
            # the required slots first, those read off prepositions before the others (the
            # cheapest, and most verbs have none): most triggers fill none, and the rest need not be read
            slots: dict[str, list[Filler]] = {}
            for slot in _required_first(pattern):
                slots[slot.name] = _fill(ctx, slot, tok)
                if not slots[slot.name]:
                    break
            else:
                for slot in pattern.slots:
                    if slot.name not in slots:
                        slots[slot.name] = _fill(ctx, slot, tok)
                frame = Frame(pattern, tok, {slot.name: slots[slot.name] for slot in pattern.slots})
                if not pattern.one_of or any(frame.slots.get(name) for name in pattern.one_of):
                    yield frame


def coordinated_keys(ctx: Context, frame: Frame, slot: str, first: str | None) -> list[str]:
    """The other entities of a frame's slot coordinated with its first one ("near Plekhovo and
    Vorozhba"), of the first's class, not a container named after it ("near Plekhovo in the
    Kursk region")."""
    fillers = frame.slots.get(slot, [])
    head = next((f.token for f in fillers if f.key == first), None)
    if head is None:
        return []
    conjuncts = {t.i for t in head.conjuncts}
    return list(dict.fromkeys(f.key for f in fillers if f.key not in (None, first) and f.token.i in conjuncts
                              and ctx.cls(f.key) == ctx.cls(first)))
