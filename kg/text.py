"""Folding names into keys: the one place where kg decides when two names are the same name.

Three uses, one folding underneath (:func:`fold`: Unicode compatibility decomposition, accents
dropped, case folded):

* :func:`name_key` — the lookup key of a name, used wherever names are compared: the
  gazetteer, entity lookup (``kg show``, entity parameters of queries) and ``kg eval``.
  Apostrophes and a possessive ``'s`` are dropped, punctuation separates words, and a leading
  ``the`` goes (``The Kyiv’s`` and ``kyiv`` are one key).
* :func:`slug` — the readable key inside an entity's IRI (``Person/volodymyr-zelenskyy``): the
  folded words joined by ``-``. IRIs must stay stable across releases, so it keeps the
  apostrophe as a word break (``Kim Jong-un’s`` -> ``kim-jong-un-s``).
* :func:`fold` itself, for callers that split words their own way.

>>> name_key("  The Kyiv’s ") == name_key("Kyiv")
True
>>> name_key("Orbán"), name_key("Donets'k Oblast")
('orban', 'donetsk oblast')
>>> slug("  Volodymyr Zelenskyy "), slug("Kim Jong-un’s")
('volodymyr-zelenskyy', 'kim-jong-un-s')
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

__all__ = ["fold", "name_key", "slug"]

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})
_POSSESSIVE = re.compile(r"'s\b")
_WORD = re.compile(r"[^\W_]+")
_SLUG_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """``text`` decomposed (NFKD), without combining accents, case-folded.

    Cached: the gazetteer folds each of its ~28,000 names when it is built, and extraction
    folds the same names article after article.

    >>> fold("Orbán Viktor")
    'orban viktor'
    """
    if text.isascii():  # the same answer without the Unicode steps
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The lookup key of a name: folded words without apostrophes, a possessive or a leading
    ``the``, joined by single spaces (empty for a name without letters or digits).

    >>> name_key("Kim Jong-un") == name_key("kim jong un")
    True
    >>> name_key("the North Korean People's Army")
    'north korean people army'
    """
    text = fold(name).translate(_APOSTROPHES)
    text = _POSSESSIVE.sub("", text).replace("'", "")
    words = _WORD.findall(text)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def slug(text: str) -> str:
    """The IRI key of a name: folded words joined by ``-``.

    Characters outside ASCII that have no ASCII decomposition are kept (the IRI minter
    percent-encodes them), so every Unicode name yields a key; a name without any word
    character gets a hash.

    >>> slug("Kursk Oblast")
    'kursk-oblast'
    """
    key = "-".join(_SLUG_WORD.findall(fold(text)))
    if not key:
        key = "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    return key
