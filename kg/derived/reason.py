"""Materialising OWL RL consequences of the article graphs into ``<{base}graph/_inferred>``.

The union of the article graphs and the ontology is closed under the OWL 2 RL rules (owlrl);
only triples that are new about the data are kept: not the inputs, not what the ontology
entails on its own, and not the bookkeeping OWL RL adds (``x owl:sameAs x``, blank-node union
classes, facts about the RDF/OWL/XSD vocabularies). The result replaces the previous inferred
graph in one SPARQL update, so readers see the old graph or the new one, never half of it. The
entity index is refreshed afterwards, since inferred triples can type or name an entity.

owlrl applies every rule to every triple in each round, so its time and memory grow with the
triples it is given. Most of an article's triples are text anchoring (NIF offsets, strings,
mention links) and provenance, whose properties and classes no axiom of the ontology names:
no OWL RL rule but the equality rules (``eq-*``) can read them. Only the triples a rule can read
are closed (:func:`rule_reads`); the others are read again only if the closure makes two nodes
``owl:sameAs``, to copy them onto their equals as ``eq-rep-*`` would have, and their literals are
checked against their datatypes as ``dt-not-type`` would have. The result is the closure of all
the triples (tests/test_reason.py compares the two).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

import owlrl
import pyoxigraph as ox
import rdflib
from owlrl.DatatypeHandling import AltXSDToPYTHON
from owlrl.XsdDatatypes import OWL_RL_Datatypes
from rdflib import OWL, RDF, RDFS

from kg.derived.entity_index import refresh_entity_index
from kg.derived.validate import article_graphs, to_rdflib, to_rdflib_triple
from kg.errors import OntologyError, StoreError
from kg.iri import INFERRED_GRAPH_ID
from kg.ontology import load_ontology
from kg.store import KGStore, bundled_sparql

STAGING_GRAPH_ID = "_inferred-staging"
"""Id of the graph the inferred triples are loaded into before they replace the inferred graph
(``queries/internal/inferred-*.rq`` name both graphs)."""
_ERROR_NS = "http://www.daml.org/2002/03/agents/agent-ont#"
_VOCABULARY_NAMESPACES = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")
_REFLEXIVE = {
    OWL.sameAs,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
}


@dataclass(frozen=True)
class ReasoningResult:
    """What :func:`reason` did."""

    articles: int
    input_triples: int
    """Distinct triples in the article graphs that were reasoned over."""
    inferred: int
    """Triples written to the inferred graph."""
    graph: str
    """IRI of the inferred graph."""
    seconds: float
    read_triples: int = 0
    """Triples read from the article graphs, counted once per graph: ``input_triples`` are the
    distinct ones among them that a rule can read (see the module docstring)."""
    inconsistencies: tuple[str, ...] = ()
    """OWL RL clashes found (e.g. a node typed with two disjoint classes)."""


def _closure(graph: rdflib.Graph) -> list[str]:
    """Close ``graph`` in place under OWL RL; return the inconsistency messages it reports."""
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    messages = []
    error_type = rdflib.URIRef(_ERROR_NS + "ErrorMessage")
    for node in list(graph.subjects(RDF.type, error_type)):
        for message in graph.objects(node, rdflib.URIRef(_ERROR_NS + "error")):
            messages.append(" ".join(str(message).split()))
        graph.remove((node, None, None))
    return sorted(set(messages))


_ONTOLOGY_CLOSURES: dict[int, tuple[rdflib.Graph, rdflib.Graph]] = {}


def _ontology_closure(ontology: rdflib.Graph) -> rdflib.Graph:
    """What the ontology entails on its own (computed once per ontology graph)."""
    cached = _ONTOLOGY_CLOSURES.get(id(ontology))
    if cached is None or cached[0] is not ontology:
        closed = rdflib.Graph()
        closed += ontology
        _closure(closed)
        cached = _ONTOLOGY_CLOSURES[id(ontology)] = (ontology, closed)
    return cached[1]


def _keep(triple: tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]) -> bool:
    subject, predicate, obj = triple
    if not isinstance(subject, rdflib.URIRef) or isinstance(obj, rdflib.BNode):
        return False  # literal proxies and anonymous (union/restriction) classes
    if predicate in _REFLEXIVE and subject == obj:
        return False
    if predicate == RDF.type and obj == OWL.Thing:
        return False
    return not str(subject).startswith(_VOCABULARY_NAMESPACES)


def _to_oxigraph(node: rdflib.term.Node) -> ox.NamedNode | ox.Literal:
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise OntologyError(f"unexpected node {node!r} in reasoner output")


Triple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]


_RDF_TYPE = str(RDF.type)
_RULE_NAMESPACES = (str(RDF), str(RDFS), str(OWL))
_AXIOM_NAMESPACES = (str(RDFS), str(OWL))
_ANNOTATIONS = frozenset(str(term) for term in (RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo))
_NOT_TYPE = "Lexical value of the literal '%s' does not match its datatype (%s)"
"""owlrl's message for rule dt-not-type, repeated for the literals it is not given."""


def _triples_graph() -> rdflib.Graph:
    """An rdflib graph on the context-free in-memory store: the default store keeps, for every
    triple, the contexts it is in, which the closure never asks for; owlrl runs ~30% faster
    without that bookkeeping (same triples)."""
    return rdflib.Graph(store="SimpleMemory")


def rule_terms(ontology: rdflib.Graph) -> frozenset[str]:
    """The IRIs of the ontology and of what it entails: besides the RDF, RDFS and OWL
    vocabulary, the only properties and classes an OWL RL rule other than equality can key on."""
    closed = _ontology_closure(ontology)
    return frozenset(str(node) for triple in closed for node in triple if isinstance(node, rdflib.URIRef))


def rule_reads(predicate: str, type_object: str | None, terms: frozenset[str]) -> bool:
    """Whether an OWL RL rule other than ``eq-*`` can read a triple: its predicate, or for
    ``rdf:type`` the class (``type_object``, None for a blank node or a literal), is in ``terms``
    (see :func:`rule_terms`) or is RDF, RDFS or OWL vocabulary.

    >>> terms = frozenset({"https://w3id.org/kg-news/ontology#partOf"})
    >>> rule_reads("https://w3id.org/kg-news/ontology#partOf", None, terms)
    True
    >>> rule_reads("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex", None, terms)
    False
    >>> rule_reads(str(RDF.type), str(OWL.Class), terms)
    True
    """
    key = predicate
    if predicate == _RDF_TYPE:
        if type_object is None:  # an anonymous class (a restriction) or a malformed type
            return True
        key = type_object
    return key in terms or key.startswith(_RULE_NAMESPACES)


def axiom_terms(subject: str | None, predicate: str, obj: str | None) -> tuple[str, ...]:
    """The IRIs a triple adds to the rule terms when it is an axiom stated in the data
    ("ex:p a owl:TransitiveProperty", "ex:a rdfs:subClassOf ex:b", "ex:a owl:sameAs ex:b"):
    rules can key on them as on the ontology's. ``subject`` and ``obj`` are None unless IRIs."""
    if predicate == _RDF_TYPE:
        axiom = obj is not None and obj.startswith(_AXIOM_NAMESPACES)
    else:
        axiom = predicate.startswith(_AXIOM_NAMESPACES) and predicate not in _ANNOTATIONS
    return tuple(term for term in (subject, obj) if term is not None) if axiom else ()


def _iri(node: rdflib.term.Node) -> str | None:
    return str(node) if isinstance(node, rdflib.URIRef) else None


def _reads(triple: Triple, terms: frozenset[str]) -> bool:
    return rule_reads(str(triple[1]), _iri(triple[2]), terms)


class _LiteralCheck:
    """owlrl's dt-not-type for literals left out of the closure: the lexical form must map to
    the datatype's value space (same converters, same message)."""

    def __init__(self) -> None:
        self._converters = {str(dt): AltXSDToPYTHON.get(dt) for dt in OWL_RL_Datatypes}
        self._seen: set[tuple[str, str]] = set()
        self.messages: set[str] = set()

    def check_term(self, literal: ox.Literal) -> None:
        """:meth:`check` for a literal as the store gives it: converted, and checked, once per
        lexical form and datatype (offsets repeat)."""
        key = (literal.value, literal.datatype.value)
        if self._converters.get(key[1]) is not None and key not in self._seen:
            self._seen.add(key)
            converted = to_rdflib(literal)
            if isinstance(converted, rdflib.Literal):
                self.check(converted)

    def check(self, literal: rdflib.Literal) -> None:
        converter = self._converters.get(str(literal.datatype)) if literal.datatype is not None else None
        if converter is None:
            return
        try:
            converter(str(literal))
        except ValueError:
            self.messages.add(_NOT_TYPE % (literal, literal.datatype))


def _equals(closed: rdflib.Graph) -> dict[rdflib.term.Node, set[rdflib.term.Node]]:
    """Each node the closure makes ``owl:sameAs`` another, with all its equals (itself included)."""
    equals: dict[rdflib.term.Node, set[rdflib.term.Node]] = {}
    for a, b in closed.subject_objects(OWL.sameAs):
        if a != b:
            equals.setdefault(a, {a}).add(b)
    return equals


def _copies(triples: Iterable[Triple], equals: dict[rdflib.term.Node, set[rdflib.term.Node]]) -> set[Triple]:
    """eq-rep-s/p/o on ``triples``: every triple with a node replaced by one of its equals."""
    copies: set[Triple] = set()
    for s, p, o in triples:
        for s2 in equals.get(s, (s,)):
            for p2 in equals.get(p, (p,)):
                for o2 in equals.get(o, (o,)):
                    copies.add((s2, p2, o2))
    return copies


def _close(
    selected: rdflib.Graph,
    ontology: rdflib.Graph,
    terms: frozenset[str],
    mentioning: Callable[[set[rdflib.term.Node]], Iterable[Triple]],
) -> tuple[rdflib.Graph, list[str]] | None:
    """The consequences of ``selected`` plus the ontology that are new, with the equality
    copies of the triples left out (``mentioning(nodes)`` gives those that name any of the
    nodes). None when such a copy could itself feed a rule: then only a closure over every
    triple is exact."""
    closed = _triples_graph()
    closed += selected
    closed += ontology
    messages = _closure(closed)
    known = _ontology_closure(ontology)
    equals = _equals(closed)
    left_out: set[Triple] = set()
    copies: set[Triple] = set()
    if equals:
        left_out = set(mentioning(set(equals)))
        copies = _copies(left_out, equals) - left_out
        if any(_reads(triple, terms) for triple in copies):
            return None
    inferred = rdflib.Graph()
    for triple in closed:
        if triple not in selected and triple not in known and triple not in left_out and _keep(triple):
            inferred.add(triple)
    for triple in copies:
        if triple not in known and _keep(triple):
            inferred.add(triple)
    return inferred, messages


def _full(data: Iterable[Triple], ontology: rdflib.Graph) -> tuple[rdflib.Graph, list[str]]:
    """The closure over every triple: what the selection stands in for."""
    graph = _triples_graph()
    for triple in data:
        graph.add(triple)
    result = _close(graph, ontology, frozenset(), lambda nodes: ())  # nothing is left out
    assert result is not None
    return result


def _infer_selected(
    selected: rdflib.Graph,
    ontology: rdflib.Graph,
    terms: frozenset[str],
    mentioning: Callable[[set[rdflib.term.Node]], Iterable[Triple]],
    every_triple: Callable[[], Iterable[Triple]],
    literals: _LiteralCheck,
) -> tuple[rdflib.Graph, list[str]]:
    """:func:`_close` over the selected triples, or :func:`_full` over ``every_triple()`` when
    only that is exact; with the datatype messages of the left-out literals."""
    result = _close(selected, ontology, terms, mentioning)
    inferred, messages = result if result is not None else _full(every_triple(), ontology)
    return inferred, sorted(set(messages) | literals.messages)


def _data_terms(triples: Iterable[Triple]) -> set[str]:
    return {
        term for s, p, o in triples for term in axiom_terms(_iri(s), str(p), _iri(o))
    }


def infer(
    data: rdflib.Graph, ontology: rdflib.Graph | None = None, *, every_triple: bool = False
) -> tuple[rdflib.Graph, list[str]]:
    """The OWL RL consequences of ``data`` plus the ontology that are new about the data.

    Only the triples a rule can read are closed (see the module docstring); ``every_triple``
    closes them all instead, which gives the same answer slower. Returns the new triples and
    the inconsistency messages of the reasoner.
    """
    ontology = load_ontology() if ontology is None else ontology
    if every_triple:
        return _full(data, ontology)
    terms = rule_terms(ontology) | _data_terms(data)
    selected = _triples_graph()
    literals = _LiteralCheck()
    for triple in data:
        if _reads(triple, terms):
            selected.add(triple)
        elif isinstance(triple[2], rdflib.Literal):
            literals.check(triple[2])

    def mentioning(nodes: set[rdflib.term.Node]) -> Iterator[Triple]:
        return (t for t in data if not _reads(t, terms) and (t[0] in nodes or t[1] in nodes or t[2] in nodes))

    return _infer_selected(selected, ontology, terms, mentioning, lambda: data, literals)


def _replace_graph(store: KGStore, quads: Sequence[ox.Quad]) -> None:
    """Replace the inferred graph with ``quads`` (in the staging graph): loaded beside it, then
    moved over it in one update. SPARQL UPDATE cannot bind graph names as parameters, so the
    updates name both graphs with the store's ``graph:`` prefix."""
    try:
        store.update(bundled_sparql("internal/inferred-staging-drop"))
        if quads:
            store.load_quads(quads)
        store.update(bundled_sparql("internal/inferred-replace" if quads else "internal/inferred-drop"))
    except OSError as exc:
        raise StoreError(f"cannot write the inferred graph: {exc}") from None


@dataclass
class _Reading:
    selected: rdflib.Graph
    """The triples a rule can read."""
    read: int
    literals: _LiteralCheck
    axiom_terms: set[str]
    """IRIs named by axioms stated in the data (see :func:`axiom_terms`)."""


def _ox_iri(term: object) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None


def _quad_read(quad: ox.Quad, terms: frozenset[str]) -> bool:
    return rule_reads(quad.predicate.value, _ox_iri(quad.object), terms)


def _read(store: KGStore, graphs: Sequence[tuple[str, ox.NamedNode]], terms: frozenset[str]) -> _Reading:
    """One pass over the article graphs: the triples a rule can read, converted for owlrl; of
    the others only their literals' datatype check."""
    reading = _Reading(_triples_graph(), 0, _LiteralCheck(), set())
    for _article_id, graph in graphs:
        for quad in store.quads(graph):
            reading.read += 1
            if _quad_read(quad, terms):
                reading.axiom_terms.update(axiom_terms(_ox_iri(quad.subject), quad.predicate.value, _ox_iri(quad.object)))
                reading.selected.add(to_rdflib_triple(quad))
            elif isinstance(quad.object, ox.Literal):
                reading.literals.check_term(quad.object)
    return reading


def _left_out_mentioning(
    store: KGStore, graphs: Sequence[tuple[str, ox.NamedNode]], terms: frozenset[str], nodes: set[rdflib.term.Node]
) -> Iterator[Triple]:
    """The triples :func:`_read` left out that name one of ``nodes``, read again."""
    wanted = {_to_oxigraph(node) for node in nodes if not isinstance(node, rdflib.BNode)}
    for _article_id, graph in graphs:
        for quad in store.quads(graph):
            named = quad.subject in wanted or quad.predicate in wanted or quad.object in wanted
            if named and not _quad_read(quad, terms):
                yield to_rdflib_triple(quad)


def _all_triples(store: KGStore, graphs: Sequence[tuple[str, ox.NamedNode]]) -> Iterator[Triple]:
    for _article_id, graph in graphs:
        yield from map(to_rdflib_triple, store.quads(graph))


def reason(
    store: KGStore,
    article_ids: Sequence[str] | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> ReasoningResult:
    """Materialise OWL RL consequences of the article graphs into the inferred graph.

    The closure runs over all the selected graphs at once, in memory (inferences can join facts
    of several articles), over the triples a rule can read (about a third of them).

    Args:
        store: the store, held by the caller's writer; its settings give the base IRI the
            graphs are named under.
        article_ids: reason over these articles only (all of them when None); the inferred
            graph is replaced either way.
        progress: called with what is being done as each step starts (reading, closing,
            writing, indexing), for a long run to say where it is.

    Raises:
        StoreError: if a requested article is missing or the store cannot be written.
        OntologyError: if the ontology cannot be loaded.
    """
    started = time.perf_counter()
    target = store.iris.kg_graph(INFERRED_GRAPH_ID)
    staging = store.iris.kg_graph(STAGING_GRAPH_ID)
    step = progress or (lambda what: None)
    ontology = load_ontology()
    with store.session():  # the passes over the article graphs share one open database
        graphs = article_graphs(store, article_ids)
        step(f"reading {len(graphs):,} articles")
        terms = rule_terms(ontology)
        while True:  # again if the data states axioms naming terms of its own (rare)
            reading = _read(store, graphs, terms)
            if reading.axiom_terms <= terms:
                break
            terms = terms | reading.axiom_terms
        step(f"closing the {len(reading.selected):,} distinct triples a rule can read, of {reading.read:,}, under OWL RL")

        inferred, messages = _infer_selected(
            reading.selected, ontology, terms,
            lambda nodes: _left_out_mentioning(store, graphs, terms, nodes),
            lambda: _all_triples(store, graphs),
            reading.literals,
        )
        quads = [
            ox.Quad(_to_oxigraph(s), _to_oxigraph(p), _to_oxigraph(o), staging)
            for s, p, o in _sorted(inferred)
        ]
        step(f"writing {len(quads):,} inferred triples")
        _replace_graph(store, quads)
        step("refreshing the entity index")
        refresh_entity_index(store)
    return ReasoningResult(
        articles=len(graphs),
        input_triples=len(reading.selected),
        read_triples=reading.read,
        inferred=len(quads),
        graph=target.value,
        seconds=time.perf_counter() - started,
        inconsistencies=tuple(messages),
    )


def _sorted(graph: rdflib.Graph) -> Iterable[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]:
    return sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
