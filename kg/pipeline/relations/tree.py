"""Walking the dependency tree: the small helpers every relation rule uses."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg.model import DateValue

__all__ = ["governor", "governing_verb", "root_of", "most_precise"]

_PASS_THROUGH = frozenset({"pobj", "pcomp", "conj"})
"""Dependencies a modifier's governor is looked for above: prepositional objects, conjuncts."""
_ATTACHMENTS = frozenset(
    {"prep", "agent", "npadvmod", "compound", "appos", "tmod", "nmod", "amod", "advmod", "nummod", "dobj", "poss"}
)
"""Dependencies through which a modifier (a date) attaches to the word it modifies ("poss":
"next Sunday's elections")."""
_VERBAL = frozenset({"VERB", "AUX"})
_PRECISION_ORDER = {"day": 0, "month": 1, "year": 2}


def governor(tok: Token) -> Token | None:
    """The verb or noun a modifier (a date) attaches to, past prepositions and conjunctions."""
    t = tok
    for _ in range(6):
        if t.head == t:
            return None
        if t.dep_ in _PASS_THROUGH:
            t = t.head
            continue
        if t.dep_ in _ATTACHMENTS:
            return t.head
        return None
    return None


def governing_verb(tok: Token) -> Token | None:
    """The nearest verb above ``tok`` (``tok`` itself when it is the root verb)."""
    t = tok
    for _ in range(6):
        if t.head == t:
            return t if t.pos_ in _VERBAL else None
        t = t.head
        if t.pos_ in _VERBAL:
            return t
    return None


def root_of(span: SpacySpan) -> Token | None:
    """The syntactic root of a span, None for an empty one."""
    if len(span) == 0:
        return None
    return span.root


def most_precise(dates: Sequence[DateValue]) -> DateValue | None:
    """The most precise of several dates (a day before a month before a year), first on ties."""
    if not dates:
        return None
    return min(dates, key=lambda d: _PRECISION_ORDER[d.precision])
