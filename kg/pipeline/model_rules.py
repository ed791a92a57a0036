"""The model's own rule components, run the same but faster: its attribute ruler and its rule lemmatizer.

spaCy's ``AttributeRuler`` runs the Matcher over every token of every doc for its patterns (a
tag map of ~60 tags and ~120 exceptions in the English pipelines) and sets each match's
attributes through a new ``Span``; the rule lemmatizer walks every token in Python and looks its
lemma up again. Both take a tenth of the model's time and neither reads anything but a few
attributes of each token, so:

* :class:`CompiledAttributeRuler` files the ruler's patterns under the values their first token
  tests (a tag, a lower-cased word, a dependency), reads those attributes once per doc as arrays,
  checks only the patterns filed under a token's values (and the few that test none), and sets
  what matched in the ruler's own order with the ruler's own setter: later patterns win, as in
  spaCy;
* :class:`MemoLemmatizer` asks the model's lemmatizer once per (word, POS, morphology) — what
  the rule lemmatizer's answer depends on — and sets the remembered lemma for every other token
  with the same three.

Their output is the model's, token for token (``tests/test_model_rules.py`` compares every
attribute on texts of several kinds). A model whose ruler tests anything else, or whose
lemmatizer is not a rule lemmatizer that keeps lemmas already set, keeps its own components
(:func:`compile_component`); the bare model of the benchmarks always does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

__all__ = ["CompiledAttributeRuler", "MemoLemmatizer", "compile_component"]

_COLUMN = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
"""The token attributes a compiled pattern may test, and their columns in the doc's array."""
_READ = [TAG, LOWER, DEP, IS_SPACE, POS, MORPH, LEMMA]
"""The array a doc is read into: the tested attributes, then those set as arrays."""
_SET = {POS: 4, MORPH: 5, LEMMA: 6}
"""The attributes set as arrays, and their columns (any other goes through the ruler's setter)."""
_FILED_BY = ("LOWER", "DEP", "TAG")
"""The attributes a pattern is filed under, the most selective first (its first token's exact values)."""


@dataclass(frozen=True)
class _Test:
    attr: str
    kind: str  # "is", "in", "not_in", "regex"
    value: object

    def passes(self, value: object) -> bool:
        if self.kind == "is":
            return value == self.value
        if self.kind == "in":
            return value in self.value  # type: ignore[operator]
        if self.kind == "not_in":
            return value not in self.value  # type: ignore[operator]
        return isinstance(value, str) and self.value.search(value) is not None  # type: ignore[union-attr]


@dataclass(frozen=True)
class _Rule:
    order: int
    """The pattern's place in the ruler (later ones win)."""
    tokens: tuple[tuple[_Test, ...], ...]
    index: int
    """Which matched token the attributes go to (negative from the end)."""
    attrs: dict


def _tests(spec: dict) -> tuple[_Test, ...] | None:
    """A token spec as tests, or None when it tests what the compiler does not read."""
    out = []
    for attr, value in spec.items():
        if attr not in _COLUMN:
            return None
        if attr == "IS_SPACE":
            if not isinstance(value, bool):
                return None
            out.append(_Test(attr, "is", value))
        elif isinstance(value, str):
            out.append(_Test(attr, "is", value))
        elif isinstance(value, dict) and len(value) == 1:
            (op, arg), = value.items()
            if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
                out.append(_Test(attr, op.lower(), frozenset(arg)))
            elif op == "REGEX" and isinstance(arg, str):
                out.append(_Test(attr, "regex", re.compile(arg)))
            else:
                return None
        else:
            return None
    return tuple(out)


class CompiledAttributeRuler:
    """A model's ``AttributeRuler``, its patterns compiled (see the module docstring)."""

    def __init__(self, rules: Sequence[_Rule]) -> None:
        self.rules = tuple(rules)
        # one-token rules that test the tag alone (the tag map): their attributes are a function
        # of the tag, worked out once per tag
        self._tag_only = [r for r in self.rules if len(r.tokens) == 1 and {t.attr for t in r.tokens[0]} == {"TAG"}]
        self._by_tag: dict[str, tuple[_Rule, ...]] = {}
        # the others are checked only on tokens whose first-token values they are filed under
        self._filed: dict[tuple[str, object], list[_Rule]] = {}
        self._everywhere: list[_Rule] = []
        self._passes: dict[_Test, dict[int, bool]] = {}
        """Per test of a rule filed under no value: its verdict on each value seen (a hash)."""
        self._filed_hashes: dict[str, numpy.ndarray] | None = None
        """Per tested attribute, the hashes of the values rules are filed under (made at the first doc)."""
        for rule in self.rules:
            if rule in self._tag_only:
                continue
            first = {t.attr: t for t in rule.tokens[0]}
            key = next((a for a in (*_FILED_BY, "IS_SPACE") if a in first and first[a].kind in ("is", "in")), None)
            if key is None:
                self._everywhere.append(rule)
                continue
            test = first[key]
            for value in ([test.value] if test.kind == "is" else sorted(test.value)):  # type: ignore[arg-type]
                self._filed.setdefault((key, value), []).append(rule)

    @classmethod
    def from_ruler(cls, ruler) -> CompiledAttributeRuler | None:  # type: ignore[no-untyped-def]
        """The compiled ruler, or None when a pattern tests what the compiler does not read."""
        rules = []
        for order, pattern in enumerate(ruler.patterns):
            for sequence in pattern["patterns"]:
                tokens = tuple(_tests(spec) for spec in sequence)
                if not tokens or any(t is None for t in tokens):
                    return None
                rules.append(_Rule(order, tokens, pattern["index"], dict(ruler.attrs[order])))  # type: ignore[arg-type]
        return cls(rules)

    def _tag_rules(self, tag: str) -> tuple[_Rule, ...]:
        found = self._by_tag.get(tag)
        if found is None:
            found = self._by_tag[tag] = tuple(r for r in self._tag_only if all(t.passes(tag) for t in r.tokens[0]))
        return found

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        strings = doc.vocab.strings
        table = doc.to_array(_READ).astype(numpy.uint64)
        names: dict[int, str] = {0: ""}

        def text(raw: int) -> str:
            found = names.get(raw)
            if found is None:
                found = names[raw] = strings[raw]
            return found

        def value(attr: str, i: int) -> object:
            raw = int(table[i, _COLUMN[attr]])
            return bool(raw) if attr == "IS_SPACE" else text(raw)

        # the tokens a filed rule may match at: those with a value it is filed under
        if self._filed_hashes is None:
            hashes: dict[str, list[int]] = {}
            for attr, val in self._filed:
                hashes.setdefault(attr, []).append(int(val) if attr == "IS_SPACE" else strings[val])  # type: ignore[arg-type]
            self._filed_hashes = {attr: numpy.array(values, dtype=numpy.uint64) for attr, values in hashes.items()}
        starts = numpy.zeros(n, dtype=bool)
        for attr, values in self._filed_hashes.items():
            starts |= numpy.isin(table[:, _COLUMN[attr]], values)
        # a rule filed under no value (a pattern in a regular expression) starts where its first
        # token's tests pass, each test asked once per distinct value
        everywhere = numpy.zeros(n, dtype=bool)
        for rule in self._everywhere:
            mask = numpy.ones(n, dtype=bool)
            for test in rule.tokens[0]:
                column = table[:, _COLUMN[test.attr]]
                distinct, inverse = numpy.unique(column, return_inverse=True)
                cache = self._passes.setdefault(test, {})
                passed = []
                for raw in distinct.tolist():
                    verdict = cache.get(raw)
                    if verdict is None:
                        verdict = cache[raw] = test.passes(bool(raw) if test.attr == "IS_SPACE" else text(raw))
                    passed.append(verdict)
                mask &= numpy.array(passed, dtype=bool)[inverse.reshape(-1)]
            everywhere |= mask
        found: dict[int, list[_Rule]] = {}
        for i in numpy.flatnonzero(starts | everywhere).tolist():
            candidates = [r for a in _COLUMN for r in self._filed.get((a, value(a, i)), ())]
            for rule in candidates + (self._everywhere if everywhere[i] else []):
                if i + len(rule.tokens) <= n and all(
                        t.passes(value(t.attr, i + k)) for k, tests in enumerate(rule.tokens) for t in tests):
                    index = rule.index if rule.index >= 0 else len(rule.tokens) + rule.index
                    if 0 <= index < len(rule.tokens):
                        found.setdefault(i + index, []).append(rule)
        # POS, MORPH and LEMMA go in as arrays, anything else through the ruler's own setter
        def apply(rows: list[int], rules: Sequence[_Rule]) -> None:
            attrs: dict = {}
            for rule in sorted(rules, key=lambda r: r.order):
                attrs.update(rule.attrs)
            rest = {}
            for attr, val in attrs.items():
                if attr in _SET:
                    table[rows, _SET[attr]] = val
                else:
                    rest[attr] = val
            for i in rows if rest else ():
                set_token_attrs(doc[i], rest)

        tags = table[:, 0]
        for raw in numpy.unique(tags).tolist():
            rules = self._tag_rules(text(int(raw)))
            if rules:
                apply(numpy.flatnonzero(tags == raw).tolist(), rules)
        for i, rules in found.items():
            apply([i], (*self._tag_rules(text(int(tags[i]))), *rules))
        doc.from_array(list(_SET), table[:, list(_SET.values())])
        return doc


class MemoLemmatizer:
    """A model's rule lemmatizer, asked once per (word, POS, morphology) (see the module docstring)."""

    def __init__(self, lemmatize: Callable) -> None:  # type: ignore[type-arg]
        self.lemmatize = lemmatize
        self.memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        table = doc.to_array([ORTH, POS, MORPH, LEMMA]).astype(numpy.uint64)
        missing = numpy.flatnonzero(table[:, 3] == 0)
        if not len(missing):
            return doc
        strings = doc.vocab.strings
        memo = self.memo
        for i in missing.tolist():
            key = (int(table[i, 0]), int(table[i, 1]), int(table[i, 2]))
            lemma = memo.get(key)
            if lemma is None:
                lemma = memo[key] = strings.add(self.lemmatize(doc[i])[0])
            table[i, 3] = lemma
        doc.from_array([LEMMA], table[:, 3:4])
        return doc


def compile_component(nlp: Language, name: str) -> Callable[[Doc], Doc] | None:
    """The compiled run of the model component ``name`` of ``nlp``, or None when it cannot run
    compiled: ``attribute_ruler`` whose patterns test only tags, words, dependencies and spaces;
    ``lemmatizer`` in rule mode that keeps lemmas already set."""
    if name not in nlp.component_names:
        return None
    component = nlp.get_pipe(name)
    if name == "attribute_ruler":
        return CompiledAttributeRuler.from_ruler(component)
    if name == "lemmatizer" and getattr(component, "mode", None) == "rule" and not getattr(component, "overwrite", True):
        return MemoLemmatizer(component.rule_lemmatize)
    return None


def _compiled(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    compiled = compile_component(nlp, name)
    if compiled is None:
        raise ValueError(f"the pipeline has no {name} that kg can run compiled")
    return compiled


@Language.factory("kg_attribute_rules")
def make_attribute_rules(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The model's ``attribute_ruler``, compiled (added before it by :func:`kg.pipeline.load_pipeline`,
    which then disables the model's own)."""
    return _compiled(nlp, "attribute_ruler")


@Language.factory("kg_lemmatizer")
def make_lemmatizer(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The model's rule ``lemmatizer``, memoised (added before it by :func:`kg.pipeline.load_pipeline`,
    which then disables the model's own)."""
    return _compiled(nlp, "lemmatizer")
