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


def lexicon_phrases() -> list[tuple[str, str, str]]:
    """``(text, label, span id)`` verbatim phrases from :mod:`kg.lexicon`: news outlets and
    people of a state as an actor ("the Russians"). A state's forces are found around unit
    nouns by :class:`kg.ruler.KGEntityRuler`."""
    phrases = [(outlet, "Organization", f"Organization:{outlet}") for outlet in lexicon.NEWS_OUTLETS]
    phrases += [(plural, "State", f"State:{state}") for plural, state in lexicon.PLURAL_DEMONYMS.items()]
    return phrases


def armed_forces_phrases() -> list[tuple[str, str, str]]:
    """A state's armed forces by name ("Armed Forces of Ukraine"), matched ignoring case."""
    return [(name, "MilitaryUnit", f"MilitaryUnit:{state}") for name, state in lexicon.ARMED_FORCES_NAMES.items()]


def gazetteer_phrases() -> list[tuple[str, str, str]]:
    """The gazetteer's names that are safe in running text, as verbatim phrases."""
    from kg.gazetteer import load_gazetteer

    return [(name, cls, f"{cls}:{canonical}") for name, cls, canonical in load_gazetteer().names_for_ruler()]


_LINE_BREAK = re.compile(r"\n\s*")
_TEXT_KEY = "kg:text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, rebuilt from the tokens once per doc and kept in ``doc.user_data``: kg's
    components all read it, and ``Doc.text`` joins every token's text at each call (a doc's
    text never changes; retokenizing moves token boundaries only)."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headlines, bylines and headings such as
    "Background:" never merge into the next sentence's parse."""
    text = doc_text(doc)
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
        import kg.ruler  # noqa: F401  registers the kg_entity_ruler factory

        if "parser" in nlp.pipe_names:
            nlp.add_pipe("kg_line_breaks", before="parser")
        ruler_position = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        ruler = nlp.add_pipe("kg_entity_ruler", **ruler_position)
        ruler.add_phrases(lexicon_phrases() + gazetteer_phrases())
        ruler.add_phrases(armed_forces_phrases(), ignore_case=True)
        nlp.add_pipe("kg_entities", last=True)
    return nlp


def model_description(nlp: Language) -> str:
    """``name version`` of a loaded pipeline, recorded in each article's provenance."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')} {meta.get('version', '?')}"
