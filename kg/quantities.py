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

from kg.model import Quantity

__all__ = ["parse_quantity", "HEDGES", "VAGUE_WORDS", "SCALES"]

SCALES: dict[str, int] = {
    "hundred": 100, "hundreds": 100, "thousand": 1_000, "thousands": 1_000,
    "k": 1_000, "million": 1_000_000, "millions": 1_000_000, "mln": 1_000_000,
}  # fmt: skip
UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
HEDGES: tuple[str, ...] = (
    "about", "approximately", "around", "roughly", "some", "nearly", "almost", "up to",
    "more than", "over", "at least", "at most", "fewer than", "less than", "as many as",
    "as few as", "an estimated", "estimated", "close to", "upwards of", "in excess of",
    "approx.", "approx", "circa", "c.", "~", "under", "below", "above", "no more than",
    "no fewer than", "no less than", "tens of", "hundreds of", "thousands of", "several",
)  # fmt: skip
VAGUE_WORDS: frozenset[str] = frozenset(
    {"several", "few", "a few", "many", "some", "dozens", "scores", "numerous", "hundreds",
     "thousands", "millions", "tens", "significant", "large", "number", "handful"}
)  # fmt: skip

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
    if any(w in SCALES for w in words) or any(w in VAGUE_WORDS - {"number"} for w in words):
        if any(w in SCALES or w in {"dozens", "scores", "tens", "handful"} for w in words):
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
        elif tok in {"a", "an"} and i + 1 < len(tokens) and tokens[i + 1] in SCALES:
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
