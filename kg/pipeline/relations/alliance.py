"""``alliance`` between two sides, and agreement events.

Built from the frames of the ``alliance`` and ``agreement`` patterns (``data/rules/patterns.toml``:
"the alliance between X and Y", "X's partnership with Y", "X cooperates with Y", "X fights
alongside Y", "X supports Y", "a defence pact between X and Y", "X and Y signed a treaty in Z").
An agreement is an ``Agreement`` event with its parties, place and date; it makes its parties allies
only when it is an alliance by its word or its qualifier ("pact", "a defence treaty"), not a trade
deal or a ceasefire. "Relations" and "ties" are a bond only when qualified as good ones.
"""

from __future__ import annotations

from itertools import combinations

from kg.model import EntityClass, EventKind, RelationKind
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.patterns import Frame
from kg.pipeline.relations.words import (
    ALLIANCE_AGREEMENTS, BOND_NOUNS_NEEDING_QUALIFIER, CONFIDENCE, FIGHTING_VERBS, POSITIVE_BOND_MODIFIERS, SELF_ALLIANCE_AGREEMENTS,
    WEAK_BONDS,
)

__all__ = ["build_agreement", "build_alliance"]

C_ALLIANCE = CONFIDENCE.table("alliance")
C_AGREEMENT = CONFIDENCE.table("agreement")
C_CONFLICT = CONFIDENCE.table("conflict")


def _pairs(ctx: Context, frame: Frame, sides: list[str] | None = None) -> list[tuple[str, str]]:
    """Pairs of sides; ``sides`` stands for the frame's own ``sides`` slot when given."""
    pairs = [(a, b) for a in frame.keys("side_a") for b in frame.keys("side_b")]
    pairs += list(combinations(frame.keys("sides") if sides is None else sides, 2))
    return [(a, b) for a, b in pairs if ctx.sides(a, b)]


def _qualifiers(frame: Frame) -> set[str]:
    return {c.lower_ for c in frame.trigger.children if c.dep_ in {"amod", "compound", "nmod"}}


def build_alliance(ctx: Context, frame: Frame) -> None:
    trigger = frame.trigger
    if ctx.asserted(trigger) is None:
        return
    if trigger.lower_ in BOND_NOUNS_NEEDING_QUALIFIER and not _qualifiers(frame) & POSITIVE_BOND_MODIFIERS:
        return  # "relations between X and Y" may be bad ones
    confidence = frame.pattern.confidence
    if trigger.lemma_.lower() in WEAK_BONDS or trigger.lower_ in WEAK_BONDS:
        confidence = C_ALLIANCE.number("weak_bond")
    # a leader stands for the state the text (or the office table) gives them a role in
    leaders = [ctx.state_of_leader(k) if ctx.cls(k) == EntityClass.PERSON else k for k in frame.keys("sides")]
    pairs = _pairs(ctx, frame, list(dict.fromkeys(k for k in leaders if k is not None)))
    # "X's ties with A and B": a bond of X with each, none between A and B
    partners = {f.key for f in frame.slots.get("sides", ()) if _under_with(trigger, f.token)}
    pairs = [(a, b) for a, b in pairs if not {a, b} <= partners]
    for a, b in pairs:
        ctx.relation(RelationKind.ALLIANCE, a, b, trigger, confidence)
    _theatre(ctx, frame, pairs)


def _under_with(trigger, word) -> bool:
    """Whether ``word`` lies in the "with" phrase of ``trigger`` ("ties with A and B")."""
    return any(prep.dep_ == "prep" and prep.lower_ == "with" and prep.left_edge.i <= word.i <= prep.right_edge.i
               for prep in trigger.children)


def _theatre(ctx: Context, frame: Frame, pairs: list[tuple[str, str]]) -> None:
    """Allies fighting together in a third state's land fight that state: "North Korean troops
    fight alongside Russian troops in Ukraine". Not when the ally is that state's own force
    ("French troops fight alongside Malian troops in Mali")."""
    if frame.trigger.lemma_.lower() not in FIGHTING_VERBS:
        return
    for theatre in frame.keys("theatre"):
        for a, b in pairs:
            states = {ctx.state_of(a), ctx.state_of(b)}
            if None in states or theatre in states:
                continue
            for side in (a, b):
                ctx.relation(RelationKind.CONFLICT, side, theatre, frame.trigger, C_CONFLICT.number("alongside_theatre"))


def build_agreement(ctx: Context, frame: Frame) -> None:
    trigger = frame.trigger
    modality = ctx.asserted(trigger)
    if modality is None:
        return
    # a person signs for the state the text gives them a title in ("the treaty Putin signed with
    # Kim Jong Un"); one with no such title is no party
    parties = list(dict.fromkeys(
        p for p in (ctx.state_of_leader(k) if ctx.cls(k) == EntityClass.PERSON else k for k in frame.keys("sides"))
        if p is not None))
    topics = {c.lower_ for c in trigger.children if c.dep_ == "compound" and c.pos_ == "NOUN"} - ALLIANCE_AGREEMENTS
    if (trigger.lower_ in SELF_ALLIANCE_AGREEMENTS and not topics) or _qualifiers(frame) & ALLIANCE_AGREEMENTS:
        # "a pact" binds allies; "a trade pact" is about trade
        for a, b in _pairs(ctx, frame, parties):
            ctx.relation(RelationKind.ALLIANCE, a, b, trigger, C_ALLIANCE.number("noun"))
    place = next(iter(frame.keys("place")), None)
    governor, _ = ctx.parse.governor(trigger)
    date = ctx.date_for(trigger) or (ctx.date_for(governor) if governor is not None else None) or ctx.governing_date(trigger)
    if not parties and date is None and place is None:
        return
    if frame.pattern.dated and date is None:
        return  # undated, "signed" says no more than the agreement nouns and the placed verbs do
    for existing, _ in ctx.events:
        if existing.kind == EventKind.AGREEMENT and set(existing.participants) == set(parties) and date is None and place is None:
            return  # the same agreement spoken of again
    confidence = C_AGREEMENT.number("dated") if date else C_AGREEMENT.number("undated")
    ctx.event(EventKind.AGREEMENT, trigger, confidence, participants=tuple(parties), place=place, date=date,
              modality=modality)
