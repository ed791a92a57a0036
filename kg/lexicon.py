"""The domain knowledge kg's rules read, loaded from data files.

Word lists, name tables, regular expressions and confidence values live in TOML files under
``data/lexicon/`` (words: what counts as a demonym, a unit noun, a reporting verb …) and
``data/rules/`` (how rules weigh and combine them: patterns, confidence values), each entry or
block with a comment saying why it is there. This module reads them once and hands them out as
typed values; the code that uses them names what it needs at import time, so a missing or
misspelt entry fails at once with the file and key (:class:`LexiconError`).

>>> states = section("lexicon/states")
>>> states.mapping("demonyms")["North Korean"]
'North Korea'
>>> "troops" in section("lexicon/military").words("unit_nouns")
True
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kg.errors import LexiconError
from kg.resources import resource_dir

__all__ = [
    "LexiconError", "Section", "section",
    "DEMONYMS", "DEMONYM_COMPOUNDS", "OFFICES", "PARTIES", "PLURAL_DEMONYMS", "ARMED_FORCES_NAMES", "CAPITALS", "UNIT_LABEL",
    "CANONICAL_DEMONYM", "PEOPLE", "AMBIGUOUS_DEMONYMS", "STATE_NAMES", "UNIT_NOUNS", "TITLE_WORDS", "FORMATION_NOUNS", "HONORIFICS", "PERSONAL_HONORIFICS",
    "NEWS_OUTLETS", "NOT_A_NAME", "ORGANIZATION_ANAPHORS", "ANAPHOR_KINDS", "ANAPHOR_BLOCKERS", "ANAPHOR_REACH",
    "SETTLEMENT_NOUNS", "LOCATIVE_PREPOSITIONS", "ACRONYM_SKIP_WORDS", "BEARINGS", "MARGINS", "GROUND_VERBS", "GROUND_NOUNS", "ORDINAL_IN_FIGURES", "NOISE_LINE", "NOISE_LINE_KEYS", "INLINE_CREDIT",
    "END_NOTICE", "END_SENTENCES",
    "is_noise_line",
]


@dataclass(frozen=True)
class Section:
    """The entries of one data file (or of one table in it), read by key with their type checked."""

    name: str
    entries: Mapping[str, Any]

    def _get(self, key: str, kind: type | tuple[type, ...]) -> Any:
        try:
            value = self.entries[key]
        except KeyError:
            raise LexiconError(f"{self.name}: no entry {key!r}") from None
        if not isinstance(value, kind):
            raise LexiconError(f"{self.name}: {key!r} must be a {getattr(kind, '__name__', kind)}")
        return value

    def words(self, key: str) -> frozenset[str]:
        """A list of words as a set (membership tests)."""
        return frozenset(self.sequence(key))

    def sequence(self, key: str) -> tuple[str, ...]:
        """A list of strings in file order."""
        value = self._get(key, list)
        if not all(isinstance(v, str) for v in value):
            raise LexiconError(f"{self.name}: {key!r} must list strings")
        return tuple(value)

    def mapping(self, key: str) -> dict[str, Any]:
        """A table, in file order."""
        return dict(self._get(key, dict))

    def number(self, key: str) -> float:
        value = self._get(key, (int, float))
        return value

    def integer(self, key: str) -> int:
        return int(self._get(key, int))

    def text(self, key: str) -> str:
        return self._get(key, str)

    def regex(self, key: str, flags: int = 0) -> re.Pattern[str]:
        """A regular expression, or a list of them joined as alternatives."""
        value = self._get(key, (str, list))
        pattern = value if isinstance(value, str) else "(" + "|".join(value) + ")"
        try:
            return re.compile(pattern, flags)
        except re.error as exc:
            raise LexiconError(f"{self.name}: {key!r} is not a valid regular expression: {exc}") from None

    def table(self, key: str) -> "Section":
        """A nested table as a section of its own (``[confidence.role]`` -> ``table("confidence").table("role")``)."""
        return Section(f"{self.name}.{key}", self._get(key, dict))

    def __contains__(self, key: str) -> bool:
        return key in self.entries


@functools.lru_cache(maxsize=64)
def section(name: str) -> Section:
    """The data file ``data/<name>.toml`` (``lexicon/states``, ``rules/relations``), read once.

    Raises:
        LexiconError: the file is missing or is not valid TOML.
    """
    folder, _, stem = name.rpartition("/")
    path = resource_dir("data", *filter(None, folder.split("/"))) / f"{stem}.toml"
    try:
        with path.open("rb") as handle:
            return Section(name, tomllib.load(handle))
    except OSError as exc:
        raise LexiconError(f"cannot read {path}: {exc.strerror or exc}; check the installation") from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{path} is not valid TOML: {exc}") from None


# --- states and the words that stand for them ------------------------------------------------
_STATES = section("lexicon/states")
_WORDNET = section("lexicon/wordnet")
DEMONYMS: dict[str, str] = _STATES.mapping("demonyms") | {
    word: state for word, state in _WORDNET.mapping("demonyms").items() if word not in _STATES.mapping("demonyms")
}
"""Adjectival demonym (as written) -> state: "North Korean" -> "North Korea" (the hand-written
table of ``lexicon/states.toml`` first, then WordNet's pertainyms, ``lexicon/wordnet.toml``)."""
PLURAL_DEMONYMS: dict[str, str] = _STATES.mapping("plural_demonyms")
"""People of a state spoken of as an actor ("the Russians") -> that state, as the entity ruler
marks them."""
PEOPLE: dict[str, str] = _WORDNET.mapping("people") | PLURAL_DEMONYMS
"""The people of a state as a plural noun ("the Iraqis") -> the state (WordNet and the table above)."""
ARMED_FORCES_NAMES: dict[str, str] = _STATES.mapping("armed_forces_names")
"""Proper names of armed forces -> state."""
PARTIES: dict[str, str] = _WORDNET.mapping("parties")
"""A political party's name or its members' noun, as written -> the party's name ("Tories" ->
Conservative Party), from WordNet (``data/lexicon/wordnet.toml``)."""
OFFICES: dict[str, str] = _WORDNET.mapping("offices")
"""Office title (lower case) -> the state it belongs to when the text names none ("prime
minister" -> United Kingdom), as English usage has it (``data/lexicon/wordnet.toml``)."""
BODIES: dict[str, str] = _WORDNET.mapping("bodies")
DEMONYM_COMPOUNDS: dict[str, frozenset[str]] = {
    adjective: frozenset(words) for adjective, words in _WORDNET.mapping("demonym_compounds").items()
}
"""A demonym -> the words that make a noun of it naming no state ("American football")."""
"""A state body's name -> its state ("Royal Air Force" -> United Kingdom), by its WordNet gloss
(``data/lexicon/wordnet.toml``); it holds where the text names that state."""
CAPITALS: dict[str, str] = _STATES.mapping("capitals")
"""Seats of government that stand for their state when used as an actor (metonymy)."""
UNIT_LABEL: str = _STATES.table("forces").text("unit_label")
"""Canonical label of a state's armed forces entity, e.g. "North Korean troops"."""

_FORCES = _STATES.table("forces")
AMBIGUOUS_DEMONYMS = _FORCES.words("ambiguous_demonyms")
"""Demonyms too ambiguous to name or label a state's forces (a bare "Korean")."""
STATE_NAMES: dict[str, str] = {state: state for state in DEMONYMS.values()} | _FORCES.mapping("state_names")
"""Names of states as written ("North Korea", "DPRK") -> the canonical name."""
CANONICAL_DEMONYM: dict[str, str] = {}
"""State -> the demonym its forces are labelled with: the first capitalised, not all-caps,
unabbreviated demonym of :data:`DEMONYMS` ("North Korean", not "DPRK")."""
for _adjective, _state in DEMONYMS.items():
    if (_adjective[0].isupper() and not _adjective.isupper() and "." not in _adjective
            and _adjective not in AMBIGUOUS_DEMONYMS):
        CANONICAL_DEMONYM.setdefault(_state, _adjective)

# --- armed forces -----------------------------------------------------------------------------
UNIT_NOUNS: tuple[str, ...] = section("lexicon/military").sequence("unit_nouns")
"""Nouns that, after a demonym ("North Korean soldiers"), denote a state's armed forces."""

# --- names ------------------------------------------------------------------------------------
_NAMES = section("lexicon/names")
TITLE_WORDS = _NAMES.words("title_words")
"""Words that make a span a title rather than a name ("the president")."""
FORMATION_NOUNS = _WORDNET.table("lists").words("formation_nouns")
"""Nouns ending the name of a military formation ("Parachute Regiment", "Coldstream Guards")."""
HONORIFICS = _NAMES.words("honorifics")
"""Honorifics and ranks before a surname ("Mr Blair", "Gen Pinochet")."""
PERSONAL_HONORIFICS = _NAMES.words("personal_honorifics")
"""Honorifics that only ever stand before a person's name."""
NEWS_OUTLETS: tuple[str, ...] = _NAMES.sequence("news_outlets")
"""News outlets: organizations, often misread by NER as people."""
NOT_A_NAME = _NAMES.words("not_a_name")
"""Single words NER takes for organizations in titles ("Defense Secretary")."""
ORGANIZATION_ANAPHORS = _NAMES.words("organization_anaphors")
ANAPHOR_KINDS: dict[str, frozenset[str]] = {
    noun: frozenset(words) for noun, words in _NAMES.mapping("anaphor_kinds").items()
}
"""Anaphors that refer back only to an organization whose name ends in one of the words."""
"""Nouns that, as "the agency", refer back to the organization named just before."""
ANAPHOR_BLOCKERS = _NAMES.words("anaphor_blockers")
"""Words after the noun that make it a new description ("the alliance between …")."""
ACRONYM_SKIP_WORDS = _NAMES.words("acronym_skip_words")
"""Words an acronym leaves out of the initials of its name ("of", "the")."""
ANAPHOR_REACH: int = _NAMES.integer("anaphor_reach")
"""How far back (characters) a definite description looks for its organization."""
SETTLEMENT_NOUNS = _NAMES.words("settlement_nouns")
""""the village of X": X is a place whatever NER thought it was."""
LOCATIVE_PREPOSITIONS = _NAMES.words("locative_prepositions")
"""A capital governed by one of these is a place ("a summit in Budapest"), not an actor."""
GROUND_VERBS = section("rules/entities").table("place_by_use").words("ground_verbs")
"""Verbs whose object is ground, not a person ("recaptured X", "shelled X")."""
GROUND_NOUNS = section("rules/entities").table("place_by_use").words("ground_nouns")
"""Nouns whose "of" phrase is ground ("the fall of X", "the siege of X")."""
ORDINAL_IN_FIGURES = re.compile(section("lexicon/military").text("ordinal_in_figures"), re.I)
"""An ordinal in figures ("47th"): a formation's number, never a head count."""
_PLACING = section("lexicon/relations").table("parse")
BEARINGS = _PLACING.words("bearings")
"""Words that place by bearing from the place of their "of" phrase ("southeast of X")."""
MARGINS = _PLACING.words("margins")
"""Nouns of the ground at a place's edge ("the outskirts of X", "the approaches to X")."""

# --- boilerplate ------------------------------------------------------------------------------
_BOILERPLATE = section("lexicon/boilerplate")
NOISE_LINE = _BOILERPLATE.regex("noise_line", re.IGNORECASE | re.MULTILINE)
"""Bylines, credits or publisher boilerplate: a segment holding one is boilerplate when it is not
an ordinary sentence (see ``data/lexicon/boilerplate.toml``)."""
NOISE_LINE_KEYS: tuple[str, ...] = _BOILERPLATE.sequence("noise_line_keys")
"""Lower-case text that every match of :data:`NOISE_LINE` but the "By <Name>" byline contains."""
END_NOTICE = _BOILERPLATE.regex("end_notice", re.IGNORECASE)
"""Rights notices that make one of an article's last sentences boilerplate even as a full sentence."""
END_SENTENCES: int = _BOILERPLATE.integer("end_sentences")
"""How many sentences at the end of an article count as its end."""
INLINE_CREDIT = _BOILERPLATE.regex("inline_credit")
"""An inline syndication credit such as ``(MENAFN- UkrinForm)``: its names are the publisher."""


def is_noise_line(line: str) -> bool:
    """``NOISE_LINE.search(line)``, faster on the ASCII lines of most articles: the regex's ~25
    case-insensitive alternatives are tried at every character (~0.1 ms per paragraph), so it
    only runs on lines that hold one of :data:`NOISE_LINE_KEYS` or start with "by". Text with
    other characters (Unicode case folding is wider) or with several lines (``^`` matches at
    each) always runs it."""
    if line.isascii() and "\n" not in line:
        lower = line.lower()
        if not lower.lstrip().startswith("by") and not any(key in lower for key in NOISE_LINE_KEYS):
            return False
    return NOISE_LINE.search(line) is not None
