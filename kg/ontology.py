"""The kg ontology and SHACL shapes: locating, loading and summarising ``ontology/*.ttl``.

The files live in the repository's ``ontology/`` directory, next to the ``kg`` package, and are
installed beside it by the wheel (``[tool.setuptools.data-files]``), so the same relative
lookup works from a checkout and from an installed package.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import rdflib
import rdflib.collection
from rdflib import OWL, RDF, RDFS, URIRef

from kg.errors import OntologyError
from kg.vocab import KG, KG_NS, ONTOLOGY_IRI, PREFIXES

ONTOLOGY_FILE = "kg.ttl"
SHAPES_FILE = "shapes.ttl"

_ALIGNMENT_PREDICATES = (
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.inverseOf,
    RDFS.seeAlso,
)


def ontology_dir() -> Path:
    """The directory holding ``kg.ttl`` and ``shapes.ttl``.

    Looked up next to the package (``<repo>/ontology`` in a checkout), then as package data
    (``kg/data/ontology``), then in the installation's data directory
    (``<prefix>/share/kg/ontology``, where ``[tool.setuptools.data-files]`` puts them).

    Raises:
        OntologyError: if neither place has the files.
    """
    candidates = [
        Path(__file__).resolve().parent.parent / "ontology",
        Path(__file__).resolve().parent / "data" / "ontology",
        Path(sys.prefix) / "share" / "kg" / "ontology",
    ]
    for candidate in candidates:
        if (candidate / ONTOLOGY_FILE).is_file():
            return candidate
    raise OntologyError(
        "cannot find the kg ontology (ontology/kg.ttl); looked in "
        + ", ".join(str(c) for c in candidates)
        + "; reinstall kg"
    )


def _parse(path: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise OntologyError(f"{path} does not exist; reinstall kg") from None
    except Exception as exc:  # rdflib raises assorted parser errors
        raise OntologyError(f"{path} is not valid Turtle: {exc}") from None
    return graph


@functools.lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> rdflib.Graph:
    return _parse(Path(path))


def _load(name: str, directory: str | os.PathLike[str] | None) -> rdflib.Graph:
    path = Path(directory) / name if directory is not None else ontology_dir() / name
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise OntologyError(f"{path} does not exist; reinstall kg") from None
    return _cached(str(path), mtime)


def load_ontology(directory: str | os.PathLike[str] | None = None) -> rdflib.Graph:
    """The ontology (``kg.ttl``) as an rdflib graph; cached, so treat it as read-only."""
    return _load(ONTOLOGY_FILE, directory)


def load_shapes(directory: str | os.PathLike[str] | None = None) -> rdflib.Graph:
    """The SHACL shapes (``shapes.ttl``) as an rdflib graph; cached, so treat it as read-only."""
    return _load(SHAPES_FILE, directory)


@dataclass(frozen=True)
class Term:
    """One declared term: its compact name, kind, label, comment and outside alignments."""

    name: str
    iri: str
    kind: str
    """``class``, ``object property``, ``datatype property`` or ``property``."""
    label: str
    comment: str
    parents: tuple[str, ...] = ()
    """kg super-classes or super-properties (compact names)."""
    alignments: tuple[tuple[str, str], ...] = ()
    """``(relation, target)`` pairs to terms outside kg, e.g. ``("rdfs:subClassOf", "wd:Q5")``."""
    domain: str | None = None
    range: str | None = None
    characteristics: tuple[str, ...] = ()
    """``symmetric``, ``transitive``, ``functional``…"""


@dataclass(frozen=True)
class OntologySummary:
    """What ``kg ontology`` prints: the ontology header and its classes and properties."""

    iri: str
    version: str
    label: str
    classes: tuple[Term, ...]
    properties: tuple[Term, ...]
    shapes: int
    """Number of SHACL node shapes in ``shapes.ttl``."""
    undeclared: tuple[str, ...] = ()
    """Terms of :data:`kg.vocab.KG` that the ontology does not declare (should be empty)."""


_KINDS = {
    OWL.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    RDF.Property: "property",
}
_CHARACTERISTICS = {
    OWL.SymmetricProperty: "symmetric",
    OWL.TransitiveProperty: "transitive",
    OWL.FunctionalProperty: "functional",
    OWL.InverseFunctionalProperty: "inverse functional",
}


def compact(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    """``node`` as a prefixed name if a prefix fits, a description for blank-node classes."""
    if isinstance(node, URIRef):
        for prefix, namespace in PREFIXES.items():
            if str(node).startswith(namespace) and len(str(node)) > len(namespace):
                return f"{prefix}:{str(node)[len(namespace):]}"
        return str(node)
    if isinstance(node, rdflib.BNode):
        members = graph.value(node, OWL.unionOf)
        if members is not None:
            items = rdflib.collection.Collection(graph, members)
            return " or ".join(compact(graph, m) for m in items)
    return str(node)


def _describe(graph: rdflib.Graph, iri: URIRef) -> Term:
    types = set(graph.objects(iri, RDF.type))
    kind = next((k for t, k in _KINDS.items() if t in types), "term")
    parents: list[str] = []
    alignments: list[tuple[str, str]] = []
    for predicate in _ALIGNMENT_PREDICATES:
        for target in sorted(graph.objects(iri, predicate), key=str):
            if not isinstance(target, URIRef):
                continue
            if str(target).startswith(KG_NS) and predicate in (RDFS.subClassOf, RDFS.subPropertyOf):
                parents.append(compact(graph, target))
            elif not str(target).startswith(KG_NS):
                alignments.append((compact(graph, predicate), compact(graph, target)))
    domain = graph.value(iri, RDFS.domain)
    range_ = graph.value(iri, RDFS.range)
    return Term(
        name=compact(graph, iri),
        iri=str(iri),
        kind=kind,
        label=str(graph.value(iri, RDFS.label) or ""),
        comment=str(graph.value(iri, RDFS.comment) or ""),
        parents=tuple(parents),
        alignments=tuple(alignments),
        domain=compact(graph, domain) if domain is not None else None,
        range=compact(graph, range_) if range_ is not None else None,
        characteristics=tuple(v for t, v in _CHARACTERISTICS.items() if t in types),
    )


def summarize(directory: str | os.PathLike[str] | None = None) -> OntologySummary:
    """Summarise the ontology: every kg class and property with its label and alignments.

    >>> summary = summarize()
    >>> "kg:Person" in [c.name for c in summary.classes]
    True
    """
    graph = load_ontology(directory)
    shapes = load_shapes(directory)
    header = URIRef(ONTOLOGY_IRI)
    if (header, RDF.type, OWL.Ontology) not in graph:
        raise OntologyError(f"{ONTOLOGY_FILE} does not declare <{ONTOLOGY_IRI}> as an owl:Ontology")
    declared = {
        s
        for s in graph.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(KG_NS)
    }
    terms = [_describe(graph, iri) for iri in sorted(declared, key=str)]
    undeclared = tuple(sorted(t for t in KG.terms if URIRef(KG_NS + t) not in declared))
    return OntologySummary(
        iri=ONTOLOGY_IRI,
        version=str(graph.value(header, OWL.versionInfo) or ""),
        label=str(graph.value(header, RDFS.label) or ""),
        classes=tuple(t for t in terms if t.kind == "class"),
        properties=tuple(t for t in terms if t.kind != "class"),
        shapes=len(set(shapes.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))),
        undeclared=undeclared,
    )
