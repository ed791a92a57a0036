"""Parse troop figures ("about 10,000", "several thousand", "1.5 million") into :class:`Quantity`.

A figure is *exact* (``3,000 troops``), *approximate* (a hedge such as ``about``, ``up to``,
``more than``, ``nearly``) or *vague* (no number at all: ``thousands of soldiers``,
``several thousand``, ``a few hundred``; ``value`` is ``None``). Vague figures are also
approximate. ``text`` keeps the words unchanged.

>>> parse_quantity("about 10,000")
Quantity(text='about 10,000', value=10000, approximate=True, vague=False)
>>> parse_quantity("thousands of soldiers").vague
True
"""

from __future__ import annotations

import re

from kg.lexicon import section
from kg.model import Quantity

__all__ = ["parse_quantity", "HEDGES", "VAGUE_WORDS", "SCALES"]

_WORDS = section("lexicon/quantities")
SCALES: dict[str, int] = _WORDS.mapping("scales")
"""Words that scale a number ("1.5 million")."""
UNITS: dict[str, int] = _WORDS.mapping("units")
"""Number words."""
HEDGES: tuple[str, ...] = _WORDS.table("words").sequence("hedges")
"""Words that make a figure approximate."""
VAGUE_WORDS: frozenset[str] = _WORDS.table("words").words("vague")
"""Words of a figure without a number."""
_VAGUE_HEADS = _WORDS.table("words").words("vague_heads")
_NOT_A_FIGURE = _WORDS.table("words").words("not_a_figure")
_ONE_ARTICLES = _WORDS.table("words").words("one_articles")

_HEDGE_RE = re.compile(
    r"(?<![\w])(?:" + "|".join(re.escape(h) for h in sorted(HEDGES, key=len, reverse=True)) + r")(?![\w])"
)
_NUMBER_RE = re.compile(r"(?<![\w.])(\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+|\d+(?:\.\d+)?)(?:\s*(k)\b)?")


def parse_quantity(text: str) -> Quantity | None:
    """Read the number of people in ``text`` (a short phrase, not a whole sentence).

    Args:
        text: the figure with its hedges and, optionally, its noun:
            ``"up to 12,000"``, ``"ten thousand soldiers"``, ``"a few hundred"``.

    Returns:
        The :class:`Quantity`, or ``None`` when the phrase holds no figure at all.
    """
    low = " ".join(text.lower().replace("\u2013", "-").split())
    approximate = _HEDGE_RE.search(low) is not None or re.search(r"\d\s*(?:-|to)\s*\d", low) is not None
    value = _digits_value(low)
    if value is None:
        value = _words_value(low)
    if value is not None:
        return Quantity(text=text, value=value, approximate=approximate, vague=False)
    words = re.findall(r"[a-z]+", low)
    if any(w in SCALES for w in words) or any(w in VAGUE_WORDS - _NOT_A_FIGURE for w in words):
        if any(w in SCALES or w in _VAGUE_HEADS for w in words):
            return Quantity(text=text, value=None, approximate=True, vague=True)
    return None


def _digits_value(low: str) -> int | None:
    m = _NUMBER_RE.search(low)
    if m is None:
        return None
    raw = re.sub(r"[,\u202f\u00a0 ]", "", m.group(1))
    number = float(raw)
    rest = low[m.end() :].split()
    scale = 1_000 if m.group(2) else 1
    if rest and rest[0] in SCALES and not rest[0].endswith("s"):
        scale = SCALES[rest[0]]
    value = number * scale
    if value != int(value) and scale == 1:
        return None
    return int(round(value))


def _words_value(low: str) -> int | None:
    """``ten thousand``, ``twenty-five hundred``, ``a thousand``; ``None`` for ``a few hundred``."""
    tokens = re.findall(r"[a-z]+", low)
    total, current, seen = 0, 0, False
    for i, tok in enumerate(tokens):
        if tok in UNITS:
            current += UNITS[tok]
            seen = True
        elif tok in _ONE_ARTICLES and i + 1 < len(tokens) and tokens[i + 1] in SCALES:
            current += 1
            seen = True
        elif tok in SCALES and not tok.endswith("s"):
            if not seen:
                return None  # "few hundred", "several thousand": vague
            scale = SCALES[tok]
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
        elif seen:
            break
    if not seen:
        return None
    return total + current
