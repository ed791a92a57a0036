"""Validating the store against the SHACL shapes, one article graph at a time.

Each article's named graph is copied into an in-memory rdflib graph, the ontology's class
hierarchy is mixed in (so ``sh:class kg:Agent`` accepts a ``kg:Person`` through
``rdfs:subClassOf``) and pySHACL runs the shapes of ``ontology/shapes.ttl`` on it, without
inference: what is checked is what kg wrote, not what a reasoner could add. Validating per
graph keeps memory flat and each run small; one SPARQL query over the union then catches an
entity that two articles type with different core classes, which no single graph can show.
"""

from __future__ import annotations

import collections
import functools
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery

from kg.errors import OntologyError, SettingsError, StoreError
from kg.iri import IRIMinter
from kg.ontology import compact, load_ontology, load_shapes
from kg.store import KGStore, bundled_sparql
from kg.vocab import DCTERMS, KG, NIF

INFERENCE_OPTIONS = ("none", "rdfs", "owlrl", "both")
"""pySHACL pre-inference modes accepted by :func:`validate_store`."""

SHAPES_NS = "https://w3id.org/kg-news/shapes#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LABEL_PREDICATES = (
    RDFS.label,
    URIRef(NIF.anchorOf.value),
    URIRef(DCTERMS.identifier.value),
    URIRef(KG.roleTitle.value),
    URIRef(KG.quantityText.value),
    URIRef(KG.content.value),
)


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node of which article breaks which constraint, and why."""

    article_id: str
    focus_node: str
    """IRI (or blank node id) of the offending node."""
    focus_label: str | None
    """Its ``rdfs:label`` (or anchor, identifier, title) when it has one."""
    path: str | None
    """The property path, as a prefixed name (``^kg:holdsRole`` for an inverse path)."""
    message: str
    severity: str
    """``Violation``, ``Warning`` or ``Info``."""
    value: str | None = None
    """The offending value, when the constraint is about one."""
    shape: str | None = None
    """The shape that produced the result (a prefixed name, or None for anonymous shapes)."""


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate_store`."""

    articles: int
    """Number of article graphs validated."""
    violations: tuple[Violation, ...]
    seconds: float

    @property
    def conforms(self) -> bool:
        """True when no result has severity ``Violation`` (warnings are allowed)."""
        return not any(v.severity == "Violation" for v in self.violations)

    def by_article(self) -> dict[str, tuple[Violation, ...]]:
        grouped: dict[str, list[Violation]] = {}
        for violation in self.violations:
            grouped.setdefault(violation.article_id, []).append(violation)
        return {k: tuple(v) for k, v in grouped.items()}


# -- reading the store ---------------------------------------------------------------------------
def article_graphs(store: KGStore, article_ids: Sequence[str] | None = None) -> list[tuple[str, ox.NamedNode]]:
    """``(article_id, graph)`` for the requested articles, or for every article graph.

    Raises:
        StoreError: if a requested article has no graph in the store.
    """
    iris = store.iris
    present = store.graph_names()
    if article_ids is None:
        found = []
        for graph in present:
            article_id = iris.article_id_from_graph(graph)  # None for kg's own graphs
            if article_id is not None:
                found.append((article_id, graph))
        return sorted(found, key=lambda pair: pair[0])
    wanted = [(article_id, iris.graph(article_id)) for article_id in article_ids]
    missing = [article_id for article_id, graph in wanted if graph not in present]
    if missing:
        raise StoreError(f"no article {', '.join(map(repr, missing))} in the store; check the id")
    return wanted


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    """Convert one pyoxigraph term to rdflib (``xsd:string`` literals become plain ones)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return rdflib.Literal(term.value, datatype=None if datatype == _XSD_STRING else datatype)
    raise StoreError(f"cannot validate RDF-star term {term}")


def to_rdflib_triple(quad: ox.Quad) -> tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]:
    """A quad's triple as rdflib terms (see :func:`to_rdflib`)."""
    return to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)


# -- pySHACL with prepared SPARQL ----------------------------------------------------------------
@functools.lru_cache(maxsize=64)
def _prepared(text: str) -> object:
    return prepareQuery(text)


class _DataGraph(rdflib.Graph):
    """An rdflib graph that parses each SPARQL text once.

    pySHACL sends the same SPARQL constraint text for every focus node (binding ``$this``
    separately); parsing it dominated validation time, so parsed queries are reused.
    """

    def query(self, query_object, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@functools.lru_cache(maxsize=8)  # an rdflib graph hashes and compares by its own identifier
def class_hierarchy(ontology: rdflib.Graph) -> rdflib.Graph:
    """The ontology's ``rdfs:subClassOf`` triples, the only part of it SHACL reads (a value is
    an instance of a class through ``rdf:type/rdfs:subClassOf*``): each article's graph copies
    these (31 of the ontology's 488 triples) rather than the whole ontology."""
    hierarchy = rdflib.Graph()
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        hierarchy.add(triple)
    return hierarchy


def _data_graph(quads: Iterable[ox.Quad], ontology: rdflib.Graph) -> _DataGraph:
    graph = _DataGraph()
    for quad in quads:
        graph.add(to_rdflib_triple(quad))
    graph += class_hierarchy(ontology)
    return graph


def _label(graph: rdflib.Graph, node: rdflib.term.Node) -> str | None:
    for predicate in _LABEL_PREDICATES:
        value = graph.value(node, predicate)
        if value is not None:
            return str(value)
    return None


def _path_text(shapes: rdflib.Graph, report: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return compact(report, path)
    inverse = report.value(path, SH.inversePath) or shapes.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + compact(report, inverse)
    return str(path)


def _term_text(graph: rdflib.Graph, node: rdflib.term.Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, rdflib.Literal):
        if node.datatype is not None:
            return f'"{node}"^^{compact(graph, node.datatype)}'
        return f'"{node}"'
    return compact(graph, node)


def _shape_name(shape: rdflib.term.Node | None) -> str | None:
    if not isinstance(shape, URIRef):
        return None
    text = str(shape)
    return "kgsh:" + text[len(SHAPES_NS):] if text.startswith(SHAPES_NS) else text


def _results(
    article_id: str, data: rdflib.Graph, shapes: rdflib.Graph, report: rdflib.Graph
) -> Iterator[Violation]:
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        severity = report.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        component = report.value(result, SH.sourceConstraintComponent)
        shape = report.value(result, SH.sourceShape)
        value = report.value(result, SH.value)
        yield Violation(
            article_id=article_id,
            focus_node=str(focus),
            focus_label=_label(data, focus) if focus is not None else None,
            path=_path_text(shapes, report, report.value(result, SH.resultPath)),
            message=messages[0] if messages else f"fails {compact(report, component)}",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            value=None if value == focus else _term_text(report, value),
            shape=_shape_name(shape),
        )


def validate_graph(
    article_id: str,
    quads: Iterable[ox.Quad],
    *,
    inference: str = "none",
    ontology: rdflib.Graph | None = None,
    shapes: rdflib.Graph | None = None,
) -> tuple[Violation, ...]:
    """Validate one article's quads against the shapes; return its SHACL results."""
    ontology = load_ontology() if ontology is None else ontology
    shapes = load_shapes() if shapes is None else shapes
    data = _data_graph(quads, ontology)
    try:
        _conforms, report, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference=inference,
            inplace=True,
            allow_warnings=True,
        )
    except Exception as exc:  # pySHACL's own errors mean the shapes are broken
        raise OntologyError(f"SHACL validation could not run on {article_id!r}: {exc}") from None
    return _dedupe(_results(article_id, data, shapes, report))


def _dedupe(results: Iterable[Violation]) -> tuple[Violation, ...]:
    """One result per (node, path, message): a property shape that fails both its count and
    its datatype would otherwise say the same thing twice; the one naming a value wins."""
    best: dict[tuple[str, str, str], Violation] = {}
    for violation in results:
        key = (violation.focus_node, violation.path or "", violation.message)
        if key not in best or (best[key].value is None and violation.value is not None):
            best[key] = violation
    return tuple(best[key] for key in sorted(best))


def _class_conflicts(
    store: KGStore, iris: IRIMinter, selected: dict[ox.NamedNode, str]
) -> list[Violation]:
    found = []
    for graph, entity, first, other, other_graph in store.query(bundled_sparql("internal/class-conflicts")).rows:
        if graph not in selected:
            continue
        if iris.is_kg_graph(other_graph):
            continue
        other_id = iris.article_id_from_graph(other_graph) or other_graph.value
        first_name = "kg:" + first.value.rsplit("#", 1)[-1]
        other_name = "kg:" + other.value.rsplit("#", 1)[-1]
        found.append(
            Violation(
                article_id=selected[graph],
                focus_node=entity.value,
                focus_label=None,
                path="rdf:type",
                message=(
                    f"Entity is typed {first_name} here but {other_name} in article {other_id!r}; "
                    "an entity has one core class across the whole graph."
                ),
                severity="Violation",
                value=first_name,
                shape=None,
            )
        )
    return found


ValidationProgress = Callable[[int, int], None]
"""Called with ``(articles checked, articles to check)`` as validation goes."""

GRAPHS_PER_TASK = 8
"""Article graphs sent to a worker process at a time (``jobs`` > 1)."""


def validate_store(
    store: KGStore,
    article_ids: Sequence[str] | None = None,
    *,
    inference: str = "none",
    jobs: int = 1,
    progress: ValidationProgress | None = None,
) -> ValidationReport:
    """Validate every article graph (or those of ``article_ids``) against ``shapes.ttl``.

    Args:
        store: the store; its settings give the base IRI the article graphs are named under.
        article_ids: validate only these articles (all of them when None).
        inference: pySHACL pre-inference (``none``, ``rdfs``, ``owlrl``); ``none`` checks what
            was written and is about twice as fast as ``rdfs``.
        jobs: worker processes running pySHACL (pure Python, ~0.2 s per article): graphs are
            read here and sent as N-Quads, a few in flight per worker, and the report is the
            same as with one process.
        progress: called with (0, total) first, then after each article.

    Raises:
        StoreError: if a requested article is not in the store.
        OntologyError: if the shapes cannot be loaded or run.
        SettingsError: if ``inference`` is not one of :data:`INFERENCE_OPTIONS`, or ``jobs`` < 1.
    """
    if inference not in INFERENCE_OPTIONS:
        raise SettingsError(
            f"inference must be one of {', '.join(INFERENCE_OPTIONS)}, got {inference!r}"
        )
    if jobs < 1:
        raise SettingsError(f"jobs must be at least 1, got {jobs}")
    started = time.perf_counter()
    violations: list[Violation] = []
    with store.session():  # the per-article reads share one open database
        graphs = article_graphs(store, article_ids)
        if progress is not None:
            progress(0, len(graphs))
        if jobs == 1 or len(graphs) <= 1:
            results = _validate_here(store, graphs, inference)
        else:
            results = _validate_in_workers(store, graphs, inference, jobs)
        for done, found in enumerate(results, 1):
            violations.extend(found)
            if progress is not None:
                progress(done, len(graphs))
        if graphs:
            violations.extend(
                _class_conflicts(store, store.iris, {graph: article_id for article_id, graph in graphs})
            )
    return ValidationReport(
        articles=len(graphs),
        violations=tuple(violations),
        seconds=time.perf_counter() - started,
    )


def _validate_here(
    store: KGStore, graphs: list[tuple[str, ox.NamedNode]], inference: str
) -> Iterator[tuple[Violation, ...]]:
    ontology, shapes = load_ontology(), load_shapes()
    for article_id, graph in graphs:
        yield validate_graph(article_id, store.quads(graph), inference=inference,
                             ontology=ontology, shapes=shapes)


def _validate_in_workers(
    store: KGStore, graphs: list[tuple[str, ox.NamedNode]], inference: str, jobs: int
) -> Iterator[tuple[Violation, ...]]:
    """Results in the order of ``graphs``, with at most two tasks per worker in flight, so
    memory does not grow with the store."""
    tasks = (
        [(article_id, ox.serialize(store.quads(graph), format=ox.RdfFormat.N_QUADS), inference)
         for article_id, graph in graphs[i:i + GRAPHS_PER_TASK]]
        for i in range(0, len(graphs), GRAPHS_PER_TASK)
    )
    context = multiprocessing.get_context("spawn")  # no fork of a process holding the store
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        pending: collections.deque = collections.deque()
        for task in tasks:
            pending.append(pool.submit(_validate_task, task))
            if len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _validate_task(task: list[tuple[str, bytes, str]]) -> list[tuple[Violation, ...]]:
    """Validate a few graphs given as N-Quads, in a worker process (its ontology and shapes
    are loaded once: both loaders are cached)."""
    ontology, shapes = load_ontology(), load_shapes()
    return [
        validate_graph(article_id, ox.parse(text, format=ox.RdfFormat.N_QUADS), inference=inference,
                       ontology=ontology, shapes=shapes)
        for article_id, text, inference in task
    ]


__all__ = [
    "INFERENCE_OPTIONS",
    "class_hierarchy",
    "to_rdflib",
    "to_rdflib_triple",
    "ValidationProgress",
    "ValidationReport",
    "Violation",
    "article_graphs",
    "validate_graph",
    "validate_store",
]
