"""``conflict`` between two sides, and clash events.

Built from the frames of the ``conflict`` patterns (``data/rules/patterns.toml``: "X attacked Y",
"Y was attacked by X", "X fights against Y", "X's war against Y", "clashes between X and Y").
Every pair of sides that are not the same state makes a ``conflict`` relation; the fighting is a
``Clash`` event when its word names a clash ("clashes", "a raid", "shelled") or it has a place or
a date, with the sides as participants.
"""

from __future__ import annotations

from itertools import combinations

from spacy.tokens import Token

from kg.model import DateValue, EntityClass, EventKind, RelationKind
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.patterns import Frame, as_noun, coordinated_keys
from kg.pipeline.relations.words import (
    CLASH_NOUNS, CLASH_VERBS, CONFIDENCE, FIGHTING_VERBS, INVASIONS, REMOTE_ATTACKS, TERRITORY_NOUNS, WARS_IN,
)

__all__ = ["allies_at_war", "build_conflict", "clash"]

C_CONFLICT = CONFIDENCE.table("conflict")
C_CLASH = CONFIDENCE.table("clash")


def build_conflict(ctx: Context, frame: Frame) -> None:
    trigger = frame.trigger
    modality = ctx.asserted(trigger)
    if modality is None:
        return
    # "a Russian drone attack": the demonym that names a side names no place
    side_words = {f.token.i for name in ("side_a", "side_b", "sides") for f in frame.slots.get(name, ())}
    places = list(dict.fromkeys(f.key for f in frame.slots.get("place", ()) if f.key is not None
                                and not (f.token.i in side_words and f.token.pos_ == "ADJ")))
    pairs: list[tuple[str, str]] = [(a, b) for a in frame.keys("side_a") for b in _other_sides(ctx, frame)]
    pairs += list(combinations(frame.keys("sides"), 2))
    if not frame.keys("side_b") and trigger.lemma_.lower() in WARS_IN:
        # "Russia's war in Ukraine": a state's war in another state is fought against it
        pairs += [(a, p) for a in frame.keys("side_a") for p in places
                  if ctx.cls(a) == EntityClass.STATE and ctx.cls(p) == EntityClass.STATE]
    if not frame.keys("side_b"):
        # "Ukraine's incursion into the Kursk region", "attacked Kurakhove", "took part of the
        # region in an offensive": the state whose ground was entered or attacked
        invasion = trigger.lemma_.lower() in INVASIONS or trigger.lower_ in INVASIONS
        grounds = frame.keys("target") + (places if invasion else [])
        pairs += [(a, s) for a in frame.keys("side_a") for p in grounds for s in [ctx.state_of_place(p)] if s is not None]
    pairs = [(a, b) for a, b in pairs if ctx.sides(a, b)]
    for a, b in pairs:
        ctx.relation(RelationKind.CONFLICT, a, b, trigger, frame.pattern.confidence)
    place = next(iter(places + frame.keys("target")), None)
    date = ctx.date_for(trigger) or ctx.governing_date(trigger) or ctx.trailing_date(trigger)
    noun = as_noun(trigger)
    if noun:
        # a war is a state of conflict, not one clash; "assaults" is one as "assault" is
        is_clash = trigger.lower_ in CLASH_NOUNS or trigger.lemma_.lower() in CLASH_NOUNS
    else:  # a clash verb names one; "attacked", "killed" one that has a place
        is_clash = trigger.lemma_.lower() in CLASH_VERBS or place is not None
    sides = list(dict.fromkeys(k for pair in pairs for k in pair)) or frame.keys("side_a") + frame.keys("side_b") + frame.keys("sides")
    if noun and trigger.dep_ == "compound" and trigger.head.pos_ == "NOUN":
        return  # "combat zones", "attack helicopters": a kind of thing, no clash
    if is_clash and (sides or noun) and (len(set(sides)) > 1 or place is not None or date is not None):
        # one side, no place, no date ("hostilities against Ukraine"): the conflict relation says it
        # all; a clash named by a noun with its place or date needs no named side ("the shooting
        # of four farmers in March")
        attackers = frame.keys("side_a") + frame.keys("sides")
        present = tuple(k for k in sides if k in attackers)
        clash(ctx, trigger, tuple(dict.fromkeys(sides)), place=place, date=date, modality=modality, present=present)
        # "assaults near Plekhovo and Vorozhba": the attackers were at each place named with the first
        for other in coordinated_keys(ctx, frame, "place", place):
            deploy_present(ctx, trigger, present, other, date, modality)


def _other_sides(ctx: Context, frame: Frame) -> list[str]:
    """The sides ``side_b`` holds; a definite troop noun there that the resolver took for the
    attackers' own ("its gunners killed 40 of the soldiers") is the troops named before them."""
    attackers = set(frame.keys("side_a"))
    own = frozenset(attackers | {s for s in map(ctx.state_of, attackers) if s is not None})
    out: list[str] = []
    fighting = frame.trigger.lemma_.lower() in FIGHTING_VERBS
    for filler in frame.slots.get("side_b", []):
        key = filler.key
        if fighting and filler.token.lemma_.lower() in TERRITORY_NOUNS:
            continue  # "thousands of soldiers now fight on Russian soil": where, not whom
        if key is not None and own and (key in own or ctx.state_of(key) in own) and ctx.entity(filler.token) is None \
                and filler.token.pos_ in ("NOUN", "NUM"):
            theirs = own | {k for k in ctx.entities if ctx.state_of(k) in own}
            key = ctx.refs.troops_before(filler.token, other_than=frozenset(theirs))
        if key is not None and key not in out:
            out.append(key)
    return out


def clash(ctx: Context, trigger: Token, sides: tuple[str, ...], *, place: str | None = None,
          date: DateValue | None = None, modality: str = "asserted", present: tuple[str, ...] = ()) -> None:
    """A ``Clash`` event at ``trigger`` between ``sides``; the troops among ``present`` (those
    who attack or fight, not those attacked) are deployed at its place."""
    confidence = C_CLASH.number("with_place_or_date") if place is not None or date else C_CLASH.number("bare")
    ctx.event(EventKind.CLASH, trigger, confidence, participants=sides, place=place, date=date, modality=modality)
    if place is not None:
        deploy_present(ctx, trigger, present, place, date, modality)


def deploy_present(ctx: Context, trigger: Token, present: tuple[str, ...], place: str, date: DateValue | None,
                   modality: str) -> None:
    """The troops among ``present`` who fought at ``place`` were deployed there ("North Korean
    troops joined assaults near Plekhovo"), unless the attack was from afar (shelling, a strike)."""
    if trigger.lemma_.lower() in REMOTE_ATTACKS or trigger.lower_ in REMOTE_ATTACKS:
        return
    for side in present:
        if ctx.cls(side) == EntityClass.MILITARY_UNIT:
            ctx.event(EventKind.DEPLOYMENT, trigger, C_CLASH.number("troops_there"), participants=(side, place),
                      agent=side, place=place, date=date, modality=modality, each_place=True)


def allies_at_war(ctx: Context) -> None:
    """Troops allied to a side of a conflict the text tells are in conflict with the other side
    ("North Korean troops fighting for Russia", in a story of Russia's fight with Ukraine): run
    once the frames are read. Only troops: a state that backs another need not be at war."""
    relations = list(ctx.relations)
    conflicts = [(r.subject, r.object) for r, _ in relations if r.kind == RelationKind.CONFLICT]
    allied = {frozenset((r.subject, r.object)) for r, _ in relations if r.kind == RelationKind.ALLIANCE}
    for rel, i in relations:
        if rel.kind != RelationKind.ALLIANCE:
            continue
        for unit, partner in ((rel.subject, rel.object), (rel.object, rel.subject)):
            if ctx.cls(unit) != EntityClass.MILITARY_UNIT:
                continue
            side = {partner, ctx.state_of(partner)}
            for a, b in conflicts:
                for ours, enemy in ((a, b), (b, a)):
                    if ours in side and frozenset((unit, enemy)) not in allied and ctx.sides(unit, enemy) \
                            and enemy not in side:
                        ctx.relation(RelationKind.CONFLICT, unit, enemy, ctx.doc[i], C_CONFLICT.number("allies_at_war"))
