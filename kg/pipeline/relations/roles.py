"""``role``: a person holds a title in an organisation or state.

Title words between an organisation/state (or its demonym) and a person (``NATO Secretary
General Mark Rutte``, ``Ukrainian President …``), ``President of Ukraine …``, and appositions
(``X, the defence minister of Y``).
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg.lexicon import LEADERS
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.words import (
    ACTOR_CLASSES,
    CAPITALISED_TITLES,
    CONFIDENCE,
    HEAD_OF_STATE_TITLES,
    OF_PREPOSITIONS,
    ROLE_HEADS,
    ROLE_WORDS,
)

C_ROLE = CONFIDENCE.table("role")



def find_roles(ctx: Context, sent: SpacySpan) -> None:
    doc = ctx.doc
    for span, m in ctx.by_sentence.get(sent.start, ()):
        if ctx.cls(m.entity) != "Person":
            continue
        person = m.entity
        # Titles before the name: "[Org] [title words] Name", "[title] of [Org] Name".
        j = span.start - 1
        org_key: str | None = None
        title_end = span.start
        if j >= sent.start and ctx.entity(doc[j]) and ctx.cls(ctx.entity(doc[j])) in ACTOR_CLASSES:
            # "President of Ukraine Volodymyr Zelenskyy"
            bounds = ctx.mention_tokens(doc[j])
            if bounds and bounds[0] - 1 > sent.start and doc[bounds[0] - 1].lower_ == "of":
                org_key = ctx.entity(doc[j])
                j = bounds[0] - 2
                title_end = bounds[0] - 1
        k = j
        while k >= sent.start and doc[k].lower_ in ROLE_WORDS and ctx.entity(doc[k]) is None:
            k -= 1
        title_toks = doc[k + 1 : title_end] if org_key else doc[k + 1 : j + 1]
        if not any(t.lower_ in ROLE_HEADS for t in title_toks):
            _apposition_role(ctx, span, person)
            continue
        if org_key is None and k >= sent.start:
            org_key = ctx.entity(doc[k]) or ctx.demonym(doc[k])
            if org_key and ctx.cls(org_key) not in ACTOR_CLASSES:
                org_key = None
        confidence = C_ROLE.number("title_before_name")
        if org_key is None:
            # A known head of state named with a bare title ("President X"): the lexicon
            # says which state.
            org_key = _leader_state(ctx, person) if any(t.lower_ in HEAD_OF_STATE_TITLES for t in title_toks) else None
            confidence = C_ROLE.number("leader_title")
        if org_key is None:
            _apposition_role(ctx, span, person)
            continue
        ctx.relation("role", person, org_key, span.root, confidence, title=title_of(title_toks))


def _leader_state(ctx: Context, person: str) -> str | None:
    ent = ctx.entities[person]
    for name in (ent.label, *ent.aliases):
        for part in (name, name.split()[-1]):
            state = LEADERS.get(part)
            if state and state.lower() in ctx.state_names:
                return ctx.state_names[state.lower()]
    return None


def _apposition_role(ctx: Context, span: SpacySpan, person: str) -> None:
    """``X, the defence minister of Y`` / ``X, Y's defence minister``."""
    for child in span.root.children:
        if child.dep_ != "appos" or child.lower_ not in ROLE_HEADS:
            continue
        org = None
        title = [t for t in child.subtree if t.i <= child.i and t.lower_ in ROLE_WORDS]
        for sub in child.children:
            if sub.dep_ == "prep" and sub.lower_ in OF_PREPOSITIONS:
                pobj = next((p for p in sub.children if p.dep_ == "pobj"), None)
                org = ctx.actor(pobj)
                if org is None and pobj is not None:
                    org = next((ctx.entity(t) for t in pobj.subtree if ctx.entity(t)), None)
            elif sub.dep_ in {"poss", "compound", "amod"} and org is None:
                org = ctx.entity(sub) or ctx.demonym(sub)
        if org and ctx.cls(org) in ACTOR_CLASSES:
            ctx.relation("role", person, org, span.root, C_ROLE.number("apposition"), title=title_of(title))


def title_of(tokens: Iterable[Token]) -> str | None:
    """The title the title words among ``tokens`` spell ("defence minister"); one that opens
    with a head-of-government word is capitalised ("President")."""
    words = [t.text for t in tokens if t.lower_ in ROLE_WORDS]
    if not words:
        return None
    text = " ".join(words)
    if text[0].islower() and text.split()[0].lower() in CAPITALISED_TITLES:
        return text[0].upper() + text[1:]
    return text
