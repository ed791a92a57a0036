"""The ontology and shapes files: they parse, declare every kg term and align the core classes."""

from __future__ import annotations

import pytest
import rdflib
import rdflib.collection
from rdflib import OWL, RDF, RDFS, URIRef

from kg.ontology import load_ontology, load_shapes, ontology_dir, summarize
from kg.vocab import ENTITY_CLASSES, KG, KG_NS, ONTOLOGY_IRI

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def kg(term: str) -> URIRef:
    return URIRef(KG_NS + term)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return load_ontology()


def test_both_files_parse_as_turtle() -> None:
    for name in ("kg.ttl", "shapes.ttl"):
        graph = rdflib.Graph().parse(ontology_dir() / name, format="turtle")
        assert len(graph) > 100, name


def test_ontology_header(ontology: rdflib.Graph) -> None:
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) is not None
    assert ontology.value(header, RDFS.label) is not None


@pytest.mark.parametrize("term", sorted(KG.terms))
def test_every_vocab_term_is_declared_with_english_label_and_comment(
    ontology: rdflib.Graph, term: str
) -> None:
    iri = kg(term)
    kinds = set(ontology.objects(iri, RDF.type))
    assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, f"kg:{term} undeclared"
    for predicate in (RDFS.label, RDFS.comment):
        values = list(ontology.objects(iri, predicate))
        assert values, f"kg:{term} has no {predicate}"
        assert any(v.language == "en" for v in values)
    comment = str(ontology.value(iri, RDFS.comment))
    assert "\n" not in comment and len(comment) < 200


def test_no_undeclared_kg_terms_are_used(ontology: rdflib.Graph) -> None:
    used = {n for t in ontology for n in t if isinstance(n, URIRef) and str(n).startswith(KG_NS)}
    assert {str(n)[len(KG_NS):] for n in used} <= KG.terms


def test_properties_have_domain_or_range(ontology: rdflib.Graph) -> None:
    for term in KG.terms:
        iri = kg(term)
        if (iri, RDF.type, OWL.Class) in ontology:
            continue
        assert ontology.value(iri, RDFS.range) is not None, f"kg:{term} has no range"


@pytest.mark.parametrize(
    ("cls", "target"),
    [
        ("Person", "Q5"),
        ("State", "Q3624078"),
        ("MilitaryUnit", "Q176799"),
        ("Organization", "Q43229"),
        ("Place", "Q2221906"),
        ("Event", "Q1656682"),
        ("Clash", "Q178561"),
        ("Summit", "Q1072326"),
    ],
)
def test_core_classes_align_to_wikidata(ontology: rdflib.Graph, cls: str, target: str) -> None:
    assert (kg(cls), RDFS.subClassOf, URIRef(WD + target)) in ontology


@pytest.mark.parametrize(
    ("prop", "target"),
    [("partOf", "P361"), ("locatedIn", "P131"), ("place", "P276"), ("date", "P585"), ("participant", "P710")],
)
def test_properties_align_to_wikidata(ontology: rdflib.Graph, prop: str, target: str) -> None:
    assert (kg(prop), RDFS.subPropertyOf, URIRef(WDT + target)) in ontology


def test_class_hierarchy_and_reuse(ontology: rdflib.Graph) -> None:
    assert (kg("Summit"), RDFS.subClassOf, kg("Meeting")) in ontology
    assert (kg("Claim"), RDFS.subClassOf, kg("Statement")) in ontology
    assert (kg("Statement"), RDFS.subClassOf, kg("Event")) in ontology
    prov_activity = URIRef("http://www.w3.org/ns/prov#Activity")
    assert (kg("Event"), RDFS.subClassOf, prov_activity) not in ontology
    assert (kg("Article"), RDFS.subClassOf, URIRef("https://schema.org/NewsArticle")) in ontology
    assert (kg("Article"), RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in ontology
    assert (kg("holdsRole"), OWL.inverseOf, kg("roleHolder")) in ontology


def test_core_classes_are_pairwise_disjoint(ontology: rdflib.Graph) -> None:
    member_lists = [
        set(rdflib.collection.Collection(ontology, ontology.value(node, OWL.members)))
        for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    assert {kg(c) for c in ENTITY_CLASSES} in member_lists
    assert any({kg("Event"), kg("Agent"), kg("Place")} <= members for members in member_lists)


def test_symmetric_properties(ontology: rdflib.Graph) -> None:
    for prop in ("alliedWith", "fightsAgainst"):
        assert (kg(prop), RDF.type, OWL.SymmetricProperty) in ontology


def test_shapes_have_readable_messages() -> None:
    shapes = load_shapes()
    constrained = [
        node for node in shapes.subjects(SH.path, None)
    ] + list(shapes.subjects(RDF.type, SH.SPARQLConstraint))
    assert constrained
    for node in constrained:
        message = shapes.value(node, SH.message)
        assert message is not None and len(str(message)) > 20, node


def test_summarize_lists_classes_properties_and_alignments() -> None:
    summary = summarize()
    assert summary.undeclared == ()
    assert summary.version
    names = {c.name: c for c in summary.classes}
    assert set(f"kg:{c}" for c in ENTITY_CLASSES) <= set(names)
    assert ("rdfs:subClassOf", "wd:Q5") in names["kg:Person"].alignments
    assert "kg:Meeting" in names["kg:Summit"].parents
    props = {p.name: p for p in summary.properties}
    assert "symmetric" in props["kg:fightsAgainst"].characteristics
    assert props["kg:date"].range == "xsd:date or xsd:gYearMonth or xsd:gYear"
    assert len(summary.classes) + len(summary.properties) == len(KG.terms)
    assert summary.shapes > 10
