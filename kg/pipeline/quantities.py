"""Parse troop figures ("about 10,000", "several thousand", "1.5 million") into :class:`Quantity`.

A figure is *exact* (``3,000 troops``), *approximate* (a hedge such as ``about``, ``up to``,
``more than``, ``nearly``, or a range) or *vague* (no number at all: ``thousands of soldiers``,
``several thousand``, ``a few hundred``; ``value`` is ``None``). Vague figures are also
approximate. ``text`` keeps the words unchanged.

Numbers written in words ("one hundred and twenty", "a hundred and fifty thousand") are read by
text2num, a maintained parser of number words, under kg's own layer of hedges, vague words,
"a"/"an" before a scale and "dozen". A range keeps both ends: ``value`` is the lower one and
``upper`` the higher ("10-12,000": 10,000 to 12,000; the first number borrows the second's
thousands). A dot between groups of three digits is a thousands separator ("10.000").

>>> parse_quantity("about 10,000")
Quantity(text='about 10,000', value=10000, approximate=True, vague=False, upper=None, of=None)
>>> parse_quantity("thousands of soldiers").vague
True
>>> parse_quantity("10-12,000").value, parse_quantity("10-12,000").upper
(10000, 12000)
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit

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
_NUMBER = r"\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+|\d{1,3}(?:\.\d{3})+(?![\d,])|\d+(?:\.\d+)?"
_NUMBER_RE = re.compile(rf"(?<![\w.])({_NUMBER})(?:\s*(k)\b)?")
_RANGE_RE = re.compile(
    rf"(?<![\w.])(?:between\s+)?({_NUMBER})\s*(?:-|to|and)\s*({_NUMBER})(?![\w.])(?:\s*(k)\b)?"
)
_ARTICLE_SCALE = re.compile(r"\b(?:" + "|".join(_ONE_ARTICLES) + r")\s+(?=(?:"
                            + "|".join(w for w in SCALES if not w.endswith("s")) + r")\b)")


def parse_quantity(text: str) -> Quantity | None:
    """Read the number of people in ``text`` (a short phrase, not a whole sentence).

    Args:
        text: the figure with its hedges and, optionally, its noun:
            ``"up to 12,000"``, ``"ten thousand soldiers"``, ``"a few hundred"``, ``"10-12,000"``.

    Returns:
        The :class:`Quantity`, or ``None`` when the phrase holds no figure at all.
    """
    low = " ".join(text.lower().replace("\u2013", "-").replace("\u2014", "-").split())
    hedged = _HEDGE_RE.search(low) is not None
    digits = low if re.search(r"\d", low) else _words_to_digits(low)
    if digits is not None:
        bounds = _range_value(digits)
        if bounds is not None:
            return Quantity(text=text, value=bounds[0], approximate=True, vague=False, upper=bounds[1])
        value = _digits_value(digits)
        if value is not None:
            return Quantity(text=text, value=value, approximate=hedged, vague=False)
    words = re.findall(r"[a-z]+", low)
    if any(w in SCALES for w in words) or any(w in VAGUE_WORDS - _NOT_A_FIGURE for w in words):
        if any(w in SCALES or w in _VAGUE_HEADS for w in words):
            return Quantity(text=text, value=None, approximate=True, vague=True)
    return None


def _words_to_digits(low: str) -> str | None:
    """A phrase whose number is spelt out with its number written in digits ("one hundred and
    twenty" -> "120", "a thousand" -> "1000", "two dozen" -> "2 dozen"); None when it names no
    number ("a few hundred", "several thousand": vague)."""
    tokens = re.findall(r"[a-z]+", low)
    spelt = any(t in UNITS for t in tokens) or _ARTICLE_SCALE.search(low) is not None
    if not spelt:
        return None
    converted = alpha2digit(_ARTICLE_SCALE.sub("one ", low), "en", threshold=0)
    return converted if re.search(r"\d", converted) else None


def _number(raw: str, scaled: bool) -> float:
    """A number as written: ``,``/spaces group thousands; a dot does too between groups of three
    digits (``10.000``) unless a scale follows (``1.500 million``)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw) and not scaled:
        raw = raw.replace(".", "")
    return float(re.sub(r"[,\u202f\u00a0 ]", "", raw))


def _scale_after(low: str, end: int, k: str | None) -> int:
    rest = low[end:].split()
    if k:
        return 1_000
    if rest and rest[0] in SCALES and not rest[0].endswith("s"):
        return SCALES[rest[0]]
    return 1


def _digits_value(low: str) -> int | None:
    m = _NUMBER_RE.search(low)
    if m is None:
        return None
    scale = _scale_after(low, m.end(), m.group(2))
    value = _number(m.group(1), scale > 1) * scale
    if value != int(value) and scale == 1:
        return None
    return int(round(value))


def _range_value(low: str) -> tuple[int, int] | None:
    """``(lower, upper)`` of a range ("10,000-12,000", "10-12,000", "5 to 7 thousand",
    "between 8,000 and 10,000"); the lower end borrows the upper's scale and thousands."""
    m = _RANGE_RE.search(low)
    if m is None or (" and " in m.group(0) and not m.group(0).startswith("between")):
        return None
    scale = _scale_after(low, m.end(), m.group(3))
    upper = _number(m.group(2), scale > 1) * scale
    lower = _number(m.group(1), scale > 1) * (scale if _number(m.group(1), True) < upper / scale + 1 else 1)
    while lower and lower * 1000 <= upper:
        lower *= 1000
    if lower >= upper or lower != int(lower) or upper != int(upper):
        return None
    return int(lower), int(upper)
