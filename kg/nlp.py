"""The NLP stage: the configured spaCy pipeline with kg's entity components added.

The statistical model is loaded once per process (:func:`load_pipeline` is cached); kg adds
an entity ruler (gazetteer names, demonym units, armed-forces names) before the model's NER,
and the ``kg_entities`` component after it, which types, trims and filters entity spans.
"""

from __future__ import annotations

import functools
import re
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg import lexicon
from kg.errors import ModelError

NEEDED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
"""Everything extraction reads: POS and lemmas (patterns), the parse (relations), NER."""


def lexicon_patterns() -> list[dict]:
    """EntityRuler patterns from :mod:`kg.lexicon`: a state's forces ("North Korean special
    forces", "Kim's troops", "Kyiv forces", "soldiers from North Korea", "Armed Forces of
    Ukraine"), news outlets, and people of a state as an actor ("the Russians")."""
    unit = {"LOWER": {"IN": lexicon.UNIT_NOUNS}}
    modifier = {"LOWER": {"IN": ["special", "army", "military", "elite", "regular", "combat", "ground"]}, "OP": "*"}
    patterns: list[dict] = []

    def tokens(name: str) -> list[dict]:
        return [{"TEXT": part} for part in name.replace("-", " - ").split()]

    for adjective, state in lexicon.DEMONYMS.items():
        if adjective == "Korean":
            continue
        patterns.append({"label": "MilitaryUnit", "id": f"MilitaryUnit:{state}",
                         "pattern": tokens(adjective) + [modifier, unit]})
    for leader, state in lexicon.LEADERS.items():
        patterns.append({"label": "MilitaryUnit", "id": f"MilitaryUnit:{state}",
                         "pattern": tokens(leader) + [{"ORTH": {"IN": ["'s", "’s"]}}, modifier, unit]})
    for capital, state in lexicon.CAPITALS.items():
        patterns.append({"label": "MilitaryUnit", "id": f"MilitaryUnit:{state}",
                         "pattern": tokens(capital) + [{"ORTH": {"IN": ["'s", "’s"]}, "OP": "?"},
                                                       {"LOWER": {"IN": ["forces", "troops", "army"]}}]})
    states = sorted(set(lexicon.DEMONYMS.values()) | {"DPRK"})
    for state in states:
        target = "North Korea" if state == "DPRK" else state
        patterns.append({"label": "MilitaryUnit", "id": f"MilitaryUnit:{target}",
                         "pattern": [unit, {"LOWER": "from"}, {"LOWER": "the", "OP": "?"}] + tokens(state)})
    for name, state in lexicon.ARMED_FORCES_NAMES.items():
        patterns.append({"label": "MilitaryUnit", "id": f"MilitaryUnit:{state}",
                         "pattern": [{"LOWER": t["TEXT"].lower()} for t in tokens(name)]})
    for outlet in lexicon.NEWS_OUTLETS:
        patterns.append({"label": "Organization", "id": f"Organization:{outlet}", "pattern": outlet})
    for plural, state in lexicon.PLURAL_DEMONYMS.items():
        patterns.append({"label": "State", "id": f"State:{state}", "pattern": plural})
    return patterns


def gazetteer_patterns() -> list[dict]:
    """EntityRuler phrase patterns for the gazetteer's names that are safe in running text."""
    from kg.gazetteer import load_gazetteer

    patterns = []
    for name, cls, canonical in load_gazetteer().names_for_ruler():
        patterns.append({"label": cls, "id": f"{cls}:{canonical}", "pattern": name})
    return patterns


_LINE_BREAK = re.compile(r"\n\s*")


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headlines, bylines and headings such as
    "Background:" never merge into the next sentence's parse."""
    text = doc.text
    for newline in _LINE_BREAK.finditer(text):
        span = doc.char_span(newline.start(), newline.end(), alignment_mode="expand")
        if span is not None and span[-1].is_space and span[-1].i + 1 < len(doc):
            doc[span[-1].i + 1].is_sent_start = True
    return doc


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str, *, with_rules: bool = True) -> Language:
    """Load ``model`` (an installed package name or a path) once, with kg's components.

    Components extraction does not read are disabled. Raises :class:`ModelError` with the fix
    when the model is not installed; nothing is ever downloaded.
    """
    try:
        nlp = spacy.load(model, exclude=[])
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy pipeline {model!r}: it is not installed "
            f"(install its package, or set KG_MODEL / --model to an installed pipeline): {exc}"
        ) from None
    unused = [name for name in nlp.pipe_names if name not in NEEDED_COMPONENTS]
    for name in unused:
        nlp.disable_pipe(name)
    if with_rules:
        import kg.entities  # noqa: F401  registers the kg_entities factory

        if "parser" in nlp.pipe_names:
            nlp.add_pipe("kg_line_breaks", before="parser")
        ruler_position = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        ruler = nlp.add_pipe(
            "entity_ruler", name="kg_entity_ruler", config={"overwrite_ents": True, "validate": False},
            **ruler_position,
        )
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(lexicon_patterns() + gazetteer_patterns())
        nlp.add_pipe("kg_entities", last=True)
    return nlp


def model_description(nlp: Language) -> str:
    """``name version`` of a loaded pipeline, recorded in each article's provenance."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')} {meta.get('version', '?')}"
