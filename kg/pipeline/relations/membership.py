"""``part_of``: a unit or state body belongs to its state.

Every unit or body whose entity names its state; ``A of B`` and ``B's A`` between an
organisation and a state; a unit or body said to be a part of another or of a state ("the Coldstream
Guards are part of the British Army", "the Black Watch, a unit of the British Army"), through a
copula or an apposition, for each of coordinated subjects.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.model import EntityClass, RelationKind
from kg.pipeline.entity_types import named_formation
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.words import (
    CONFIDENCE, PART_COPULAS, PART_NOUNS, PART_VERBS,
)

C_PART_OF = CONFIDENCE.table("part_of")



def find_part_of(ctx: Context) -> None:
    said = said_states(ctx)
    named: dict[str, set[str]] = {}
    for key, state in said:
        named.setdefault(key, set()).add(state)
    first: dict[str, Token] = {}
    for span, m in ctx.mentions:
        first.setdefault(m.entity, span.root)
    for key, tok in first.items():
        if key not in ctx.entities:
            continue
        ent = ctx.entities[key]
        # the state a unit's name or the lexicon gives yields to another one the text names for
        # it ("South Korea's Joint Chiefs of Staff" is no body of the US's)
        if ent.state and ent.state != key and ent.state in ctx.entities and not named.get(key, set()) - {ent.state}:
            conf = C_PART_OF.number("unit_state") if ent.cls == EntityClass.MILITARY_UNIT else C_PART_OF.number("body_state")
            ctx.relation(RelationKind.PART_OF, key, ent.state, tok, conf)
    for (key, state), tok in said.items():
        ctx.relation(RelationKind.PART_OF, key, state, tok, C_PART_OF.number("of_or_possessive"))


def _apposition_after(span) -> list[Token]:
    """The apposition right after a name, set off by a comma, that the parser hung on another
    noun ("Senators of the Federation Council, the upper house of Russia's parliament": on
    "Senators")."""
    doc = span.doc
    k = span.end
    if k + 1 >= len(doc) or doc[k].text != ",":
        return []
    tok = doc[k + 1]
    while tok.dep_ in ("det", "amod", "compound", "poss", "case") and tok.head.i > tok.i:
        tok = tok.head
    return [tok] if tok.dep_ == "appos" and tok.head.i < span.start else []


def said_states(ctx: Context) -> dict[tuple[str, str], Token]:
    """The states the text names an organisation as part of, with where: "the Main
    Intelligence Directorate of Ukraine's Defense Ministry", "Ukraine's X", "the Japanese
    Ministry of Defence"."""
    found: dict[tuple[str, str], Token] = {}
    for span, m in ctx.mentions:
        if ctx.cls(m.entity) != EntityClass.ORGANIZATION:
            continue
        root = span.root
        candidates: list[Token] = []
        for child in [*root.children, *_apposition_after(span)]:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        candidates.extend([pobj, *[c for c in pobj.children if c.dep_ in {"poss", "compound"}]])
            if child.dep_ in {"poss", "compound", "amod"}:
                candidates.append(child)
            if child.dep_ == "appos" and ctx.entity(child) is None:  # "the HUR, Ukraine's intelligence agency",
                candidates.extend(c for c in child.children if c.dep_ in {"poss", "amod", "compound"})
                for pobj in ctx.parse.oblique(child, frozenset({"of"})):  # "…, the upper house of Russia's parliament"
                    candidates.extend([pobj, *(c for c in pobj.children if c.dep_ in {"poss", "amod", "compound"})])
        # a state named inside the organisation's own mention: "Ukraine's Defense Ministry",
        # "the Japanese Ministry of Defence", "the Defence Intelligence of Norway"
        for tok in span:
            if tok.dep_ in {"poss", "amod", "compound", "pobj"} or ctx.demonym(tok):
                candidates.append(tok)
        for cand in candidates:
            key = _state_named(ctx, cand, m.entity)
            if key is not None:
                found.setdefault((m.entity, key), root)
                break
    return found


def _state_named(ctx: Context, tok: Token, own: str) -> str | None:
    """The state a word names for the entity ``own`` it qualifies: its mention, or a demonym or
    state's name ("Ukraine's", "Russian")."""
    key = ctx.entity(tok)
    if key == own or key is None:
        key = ctx.demonym(tok) or ctx.state_names.get(tok.text.lower())
    return key if key and key != own and ctx.cls(key) == EntityClass.STATE else None


def find_formation_parts(ctx: Context) -> None:
    """A formation named by its own name belongs to what qualifies it outside the name:
    "Ukraine's 47th Mechanised Brigade" and "the Russian 810th Naval Infantry Brigade" to the
    state; "the 25th Brigade of the 1st Army" and "the 1st Army's 25th Brigade" to the other unit. Lower-case groups are left
    alone: "pro-Russian separatists" carry their qualifier inside and are no state's."""
    for span, m in ctx.mentions:
        if ctx.cls(m.entity) != EntityClass.MILITARY_UNIT or not named_formation(span, numbered=True):
            continue
        root = span.root
        for child in root.subtree:  # "the Polish 12th Brigade": the demonym may hang off the number
            if child.i >= span.start:
                break
            key = _state_named(ctx, child, m.entity) if child.dep_ in {"poss", "amod", "compound"} else None
            if key is not None:
                ctx.relation(RelationKind.PART_OF, m.entity, key, root, C_PART_OF.number("of_or_possessive"))
                break
        whole = _whole_of(ctx, root)
        if whole is None:  # "the U.S. Army's V Corps": the force whose possessive it stands after
            whole = next((k for c in root.children if c.dep_ == "poss" and c.i < span.start
                          for k in [ctx.entity(c)] if k is not None
                          and ctx.cls(k) in (EntityClass.MILITARY_UNIT, EntityClass.ORGANIZATION)), None)
        if whole is not None and whole != m.entity:
            ctx.relation(RelationKind.PART_OF, m.entity, whole, root, C_PART_OF.number("of_or_possessive"))


def _first_conjunct(tok: Token) -> Token:
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok


def _whole_of(ctx: Context, part_noun: Token) -> str | None:
    """The unit, body or state a part noun's "of" phrase names ("part of the British Army")."""
    for prep in part_noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    key = ctx.entity(pobj)
                    if key is not None and ctx.cls(key) in (
                            EntityClass.MILITARY_UNIT, EntityClass.ORGANIZATION, EntityClass.STATE):
                        return key
    return None


def find_said_parts(ctx: Context) -> None:
    """"A (and B) are part of C", "A, a unit of C": A is part of C."""
    for span, m in ctx.mentions:
        if ctx.cls(m.entity) not in (EntityClass.MILITARY_UNIT, EntityClass.ORGANIZATION):
            continue
        root = _first_conjunct(span.root)
        part_noun = None
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in PART_COPULAS:
            part_noun = next((c for c in root.head.children if c.dep_ == "attr" and c.lemma_ in PART_NOUNS), None)
        elif root.dep_ != "appos":
            part_noun = next((c for c in root.children if c.dep_ == "appos" and c.lemma_ in PART_NOUNS), None)
        whole = _whole_of(ctx, part_noun) if part_noun is not None else None
        if whole is None:  # "the brigade, which belongs to the Black Sea Fleet"; "X belongs to Y"
            verb = next((c for c in root.children if c.dep_ == "relcl" and c.lemma_.lower() in PART_VERBS), None)
            if verb is None and root.dep_ == "nsubj" and root.head.lemma_.lower() in PART_VERBS:
                verb = root.head
            if verb is not None:
                whole = next((k for w in ctx.parse.oblique(verb, frozenset({"to"})) if (k := ctx.actor(w)) is not None
                              and ctx.cls(k) in (EntityClass.MILITARY_UNIT, EntityClass.ORGANIZATION, EntityClass.STATE)), None)
        if whole is not None and whole != m.entity:
            ctx.relation(RelationKind.PART_OF, m.entity, whole, span.root, C_PART_OF.number("said"))
