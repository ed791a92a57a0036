"""The ``kg_entity_ruler`` component: gazetteer and lexicon names that fill the statistical NER's gaps.

It runs after the NER (``data/rules/pipeline.toml``) and only adds to what the model found
(:func:`merge_spans`): a name of its own goes where the NER found nothing, or replaces NER spans
it wholly covers and outgrows ("North Korean" -> "North Korean troops", "Kursk" -> "Kursk
Oblast"). It never cuts, splits or retypes a span of the NER's: a name that crosses one or sits
inside one ("George" in "George W Bush", a city inside a club's or an exchange's name) is
dropped; one with exactly an NER span's boundaries leaves the span as the NER made it, with the
ruler's reading in its id for :mod:`kg.pipeline.entity_types` to weigh against the NER's label in
context (:mod:`kg.pipeline.class_choice`). Spans the ruler adds carry the kb id
:data:`RULER_SOURCE`.

spaCy's ``EntityRuler`` tries every token pattern at every token, so ~120 patterns for a
state's forces ("North Korean special forces", "Kim's troops", "soldiers from the DPRK")
cost as much as a fifth of the model's own time. Every one of those patterns contains a
unit noun ("troops", "forces", ...), so this ruler looks only at the few tokens that are
unit nouns and reads the names around them from dictionaries; names without a unit noun
(gazetteer places and states, outlets, armed forces' names) go through spaCy's
:class:`~spacy.matcher.PhraseMatcher`. Overlaps are settled as the ``EntityRuler`` settles
them: longest match first, then the earliest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg import lexicon
from kg.linking.gazetteer import load_gazetteer
from kg.model import RULER_SOURCE

_OWNERS = lexicon.section("lexicon/relations").table("pronouns").words("possessive")
"""Possessive pronouns: troops with an owner of their own ("its soldiers") are not named by a
"from" phrase after them."""

_MILITARY = lexicon.section("lexicon/military")
MODIFIERS = _MILITARY.words("modifiers")
"""Words allowed between a demonym or a leader's name and the unit noun ("North Korean elite troops")."""
CAPITAL_UNITS = _MILITARY.words("capital_units")
"""Unit nouns after a capital used for its state ("Kyiv forces", "Moscow's troops")."""
POSSESSIVES = _MILITARY.words("possessives")
BODIES_AFTER_UNIT_WORDS = _MILITARY.words("bodies_after_unit_words")
"""Nouns after a unit word that make the phrase a body of its own ("military intelligence")."""
COORDINATORS = _MILITARY.words("coordinators")
"""Words between coordinated demonyms that share one unit noun ("British and American troops")."""
_NAMES = lexicon.section("lexicon/names")
_LEADING = _NAMES.words("leading_determiners")
_TRAILING = frozenset(_NAMES.sequence("trailing_possessives"))
NER_LABELS: dict[str, tuple[str, ...]] = {
    cls: tuple(labels)
    for cls, labels in lexicon.section("rules/entities").mapping("ner_labels_for_class").items()
}
"""For each kg class, labels a statistical NER may know, first choice first (see
:func:`ner_labels`)."""
THING_LABELS = frozenset(lexicon.section("rules/entities").sequence("thing_labels"))
"""NER labels of the names of things (buildings, events, works, products, laws)."""


def lexicon_phrases() -> list[tuple[str, str, str]]:
    """``(text, label, span id)`` verbatim phrases from the lexicon: news outlets, political
    parties by any of their names ("Lib Dems", "Tory": the party's name in the span id) and people
    of a state as an actor ("the Russians"). A state's forces are found around unit nouns by
    :class:`KGEntityRuler` itself."""
    phrases = [(outlet, "Organization", f"Organization:{outlet}") for outlet in lexicon.NEWS_OUTLETS]
    phrases += [(form, "Organization", f"Organization:{party}") for form, party in lexicon.PARTIES.items()]
    phrases += [(plural, "State", f"State:{state}") for plural, state in lexicon.PLURAL_DEMONYMS.items()]
    return phrases


def armed_forces_phrases() -> list[tuple[str, str, str]]:
    """A state's armed forces by name ("Armed Forces of Ukraine"), matched ignoring case."""
    return [(name, "MilitaryUnit", f"MilitaryUnit:{state}") for name, state in lexicon.ARMED_FORCES_NAMES.items()]


def gazetteer_phrases() -> list[tuple[str, str, str]]:
    """The gazetteer's names that are safe in running text, as verbatim phrases. A unit's span id
    holds its state (as :func:`armed_forces_phrases` gives it for any of the unit's names: "KPA"
    is North Korea's), never a gazetteer key: a unit whose state the lexicon does not give is
    left to the NER and the unit rules."""
    phrases = []
    for name, cls, canonical in load_gazetteer().names_for_ruler():
        if cls == "MilitaryUnit":
            entry = next((e for e in load_gazetteer().lookup(name) if e.cls == cls), None)
            state = forces_state(entry.names if entry is not None else (name,))
            if state is None:
                continue
            canonical = state
        phrases.append((name, cls, f"{cls}:{canonical}"))
    return phrases


def forces_state(names: Iterable[str]) -> str | None:
    """The state whose armed forces one of ``names`` names ("KPA", "Korean People's Army" ->
    North Korea: the lexicon's armed-forces names)."""
    return next((lexicon.ARMED_FORCES_NAMES[n] for n in names if n in lexicon.ARMED_FORCES_NAMES), None)


def ner_labels(nlp: Language) -> dict[str, str]:
    """The label each kg class is marked with before the pipeline's NER: one the NER knows.

    spaCy's NER adds every label it finds on preset entities to its own actions and grows its
    output layer to match (``Parser._ensure_labels_are_added``): kg's five class names made
    en_core_web_sm's NER score 94 actions instead of 74 at every token, ~13% of its time, and
    gave it untrained actions it could predict. The class itself stays in the span id
    (``Class:canonical``), which :mod:`kg.entities` reads. Without a NER, or for a class none of
    whose labels it knows, the class is its own label.
    """
    known = set(nlp.get_pipe("ner").labels) if "ner" in nlp.pipe_names else set()
    return {cls: next((label for label in choices if label in known), cls) for cls, choices in NER_LABELS.items()}


def name_tokens(name: str) -> tuple[str, ...]:
    """A name as spaCy's tokenizer splits it in running text ("Kim Jong-un" -> Kim, Jong, -, un)."""
    return tuple(name.replace("-", " - ").split())


@dataclass(frozen=True)
class UnitRules:
    """Names that make a unit noun a state's forces, keyed by their tokens, valued by the state."""

    demonyms: dict[tuple[str, ...], str]  # "North Korean" (+ modifiers) + unit noun
    capitals: dict[tuple[str, ...], str]  # "Kyiv" (+ 's) + forces/troops/army
    states: dict[tuple[str, ...], str]  # unit noun + "from" (+ "the") + "North Korea"; "Russia" + 's + unit noun
    unit_nouns: frozenset[str]

    @classmethod
    def from_lexicon(cls) -> "UnitRules":
        return cls(
            demonyms={name_tokens(a): s for a, s in lexicon.DEMONYMS.items() if a not in lexicon.AMBIGUOUS_DEMONYMS},
            capitals={name_tokens(n): s for n, s in lexicon.CAPITALS.items()},
            states={name_tokens(name): state for name, state in lexicon.STATE_NAMES.items()},
            unit_nouns=frozenset(lexicon.UNIT_NOUNS),
        )

    @property
    def longest(self) -> int:
        return max(len(k) for table in (self.demonyms, self.capitals, self.states) for k in table)


class KGEntityRuler:
    """The ``kg_entity_ruler`` component: phrase names plus the forces of a state (see module)."""

    def __init__(self, nlp: Language, name: str = "kg_entity_ruler", *, kg_names: bool = False) -> None:
        self.nlp = nlp
        self.name = name
        self.phrases = PhraseMatcher(nlp.vocab)  # verbatim: gazetteer names, outlets, "the Russians"
        self.lower_phrases = PhraseMatcher(nlp.vocab, attr="LOWER")  # "Armed Forces of Ukraine"
        self.labels: dict[int, tuple[str, str]] = {}  # match key -> (label the NER knows, span id)
        self.rules = UnitRules.from_lexicon()
        self._longest = self.rules.longest
        self._unit_hashes = numpy.array([nlp.vocab.strings.add(w) for w in self.rules.unit_nouns], dtype="uint64")
        self.ner_labels = ner_labels(nlp)
        if kg_names:
            self.add_phrases(lexicon_phrases() + gazetteer_phrases())
            self.add_phrases(armed_forces_phrases(), ignore_case=True)

    # patterns ---------------------------------------------------------------------------------
    def add_phrases(self, phrases: Iterable[tuple[str, str, str]], *, ignore_case: bool = False) -> None:
        """Add ``(text, kg class, span id)`` phrase patterns, matched verbatim or ignoring case."""
        by_key: dict[str, list[str]] = {}
        for text, label, span_id in phrases:
            key = f"{label}|{span_id}"
            self.labels[self.nlp.vocab.strings.add(key)] = (self.ner_labels.get(label, label), span_id)
            by_key.setdefault(key, []).append(text)
        matcher = self.lower_phrases if ignore_case else self.phrases
        tokenizer = self.nlp.tokenizer
        # spaCy's tokenizer caches its first 10,000 chunks and no more: ~10,000 place names
        # would fill that cache and leave running text uncached (5x slower tokenizing)
        cache_size = getattr(tokenizer, "max_cache_size", None)
        if cache_size is not None:
            tokenizer.max_cache_size = 0
        try:
            for key, texts in by_key.items():
                matcher.add(key, list(tokenizer.pipe(texts)))
        finally:
            if cache_size is not None:
                tokenizer.max_cache_size = cache_size

    # matching ---------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=self.labels[key][0], kb_id=RULER_SOURCE, span_id=self.labels[key][1])
            for matcher in (self.phrases, self.lower_phrases)
            for key, start, end in matcher(doc)
        ]
        spans.extend(self.unit_spans(doc))
        # the EntityRuler's order: longest first, then earliest; of exact duplicates the first by
        # span id (``Class:canonical``, so by class, then name) is kept
        own = filter_spans(sorted(set(spans), key=lambda s: s.id_))
        doc.ents = merge_spans(list(doc.ents), own)
        return doc

    def unit_spans(self, doc: Doc) -> list[Span]:
        """Spans naming a state's forces, found around the doc's unit nouns."""
        if not len(doc):
            return []
        units = numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), self._unit_hashes))
        found: list[tuple[int, int, str]] = []
        for u in units.tolist():
            found.extend(self._around(doc, u))
        label = self.ner_labels["MilitaryUnit"]
        return [Span(doc, start, end, label=label, kb_id=RULER_SOURCE, span_id=f"MilitaryUnit:{state}")
                for start, end, state in found]

    def _around(self, doc: Doc, u: int) -> Iterable[tuple[int, int, str]]:
        rules = self.rules
        if u + 1 < len(doc) and doc[u + 1].lower_ in BODIES_AFTER_UNIT_WORDS:
            return  # a body of its own: "Ukraine's military intelligence", "the army hospital"
        # a demonym or a state's possessive, then any modifiers, then the unit noun
        first = u
        while first > 0 and doc[first - 1].lower_ in MODIFIERS:
            first -= 1
        for end in range(first, u + 1):  # the name ends where the (possibly empty) modifier run begins
            for start, state in self._names_ending(doc, end, rules.demonyms):
                yield start, u + 1, state
                yield from self._coordinated_demonyms(doc, start)
            if end >= 1 and doc[end - 1].text in POSSESSIVES:
                yield from ((start, u + 1, state) for start, state in self._names_ending(doc, end - 1, rules.states))
        # a capital, an optional possessive, then forces/troops/army
        if doc[u].lower_ in CAPITAL_UNITS:
            yield from ((start, u + 1, state) for start, state in self._names_ending(doc, u, rules.capitals))
            if u >= 1 and doc[u - 1].text in POSSESSIVES:
                yield from ((start, u + 1, state) for start, state in self._names_ending(doc, u - 1, rules.capitals))
        # the unit noun, "from", an optional "the", then a state's name; not after an owner of
        # their own ("withdraw its soldiers from Russia": where they leave, not whose they are)
        owned = any(t.lower_ in _OWNERS for t in doc[max(first - 3, 0):u])
        if u + 1 < len(doc) and doc[u + 1].lower_ == "from" and not owned:
            begins = [u + 2] + ([u + 3] if u + 2 < len(doc) and doc[u + 2].lower_ == "the" else [])
            for begin in begins:
                for size in range(1, self._longest + 1):
                    state = rules.states.get(tuple(t.text for t in doc[begin:begin + size]))
                    if state is not None and begin + size <= len(doc):
                        yield u, begin + size, state

    def _coordinated_demonyms(self, doc: Doc, start: int) -> Iterable[tuple[int, int, str]]:
        """The demonyms coordinated before one that qualifies a unit noun share it: "British and
        American troops", "French, German and Dutch soldiers" name the forces of each state
        (each demonym alone is that unit's mention)."""
        while start >= 2 and doc[start - 1].lower_ in COORDINATORS:
            found = list(self._names_ending(doc, start - 1, self.rules.demonyms))
            if not found:
                return
            begin, state = max(found, key=lambda f: start - 1 - f[0])
            yield begin, start - 1, state
            start = begin

    def _names_ending(self, doc: Doc, end: int, table: dict[tuple[str, ...], str]) -> Iterable[tuple[int, str]]:
        for size in range(1, min(self._longest, end) + 1):
            state = table.get(tuple(t.text for t in doc[end - size:end]))
            if state is not None:
                yield end - size, state


def merge_spans(model: list[Span], own: list[Span]) -> list[Span]:
    """The NER's spans (``model``) with the ruler's (``own``, not overlapping each other) added
    where they only fill gaps.

    * A ruler span that overlaps no NER span is added, unless an NER span of a thing's name
      (:data:`THING_LABELS`) starts right after it: it is the first word of that name.
    * One that wholly covers the NER spans it overlaps and is longer than each replaces them
      ("North Korean troops" over "North Korean", "Kursk Oblast" over "Kursk").
    * One with exactly an NER span's boundaries keeps the NER's span and label and leaves its own
      ``Class:canonical`` reading in the span id, to be weighed in context against the NER's label.
    * Any other (inside an NER span, or crossing one) is dropped: the NER's span stays whole.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("George W Bush met troops in Kursk Oblast")
    >>> model = [Span(doc, 0, 3, label="PERSON"), Span(doc, 6, 7, label="GPE")]
    >>> own = [Span(doc, 0, 1, label="GPE"), Span(doc, 6, 8, label="GPE")]
    >>> [(s.text, s.label_) for s in merge_spans(model, own)]
    [('George W Bush', 'PERSON'), ('Kursk Oblast', 'GPE')]
    """
    kept = {(s.start, s.end): s for s in model}
    things = {s.start for s in model if s.label_ in THING_LABELS}
    for span in sorted(own, key=lambda s: (s.start, -len(s))):
        overlapping = [s for s in kept.values() if s.start < span.end and span.start < s.end]
        if not overlapping:
            if span.end not in things:  # "UK" + "Music Hall of Fame": the start of a thing's name
                kept[(span.start, span.end)] = span
            continue
        if len(overlapping) == 1 and _core(overlapping[0]) == (span.start, span.end):
            same = overlapping[0]
            if not same.id_:  # the NER's span, with the ruler's reading beside its label
                kept[(same.start, same.end)] = Span(span.doc, same.start, same.end, label=same.label_,
                                                    kb_id=same.kb_id_, span_id=span.id_)
            continue
        if all(span.start <= s.start and s.end <= span.end and len(s) < len(span) for s in overlapping):
            for s in overlapping:
                del kept[(s.start, s.end)]
            kept[(span.start, span.end)] = span
    return sorted(kept.values(), key=lambda s: s.start)


def _core(span: Span) -> tuple[int, int]:
    """A span's token bounds without a leading determiner or a trailing possessive: the NER's
    "the Ukrainian Defense Forces" and the name "Ukrainian Defense Forces" are one span."""
    start, end = span.start, span.end
    while start < end - 1 and span.doc[start].lower_ in _LEADING:
        start += 1
    while end > start + 1 and span.doc[end - 1].lower_ in _TRAILING:
        end -= 1
    return start, end


@Language.factory("kg_entity_ruler", default_config={"kg_names": True})
def make_entity_ruler(nlp: Language, name: str, kg_names: bool) -> KGEntityRuler:
    """The ruler with the lexicon's and the gazetteer's names (``kg_names``), or an empty one to
    which :meth:`KGEntityRuler.add_phrases` adds others. Add it after the NER: it fills the NER's
    gaps (:func:`merge_spans`) and never overrides it."""
    return KGEntityRuler(nlp, name, kg_names=kg_names)
