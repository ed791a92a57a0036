"""The Python facade, for notebooks and scripts: :func:`open` a store, :func:`extract` a text.

``import kg`` stays cheap: ``kg.open``, ``kg.extract`` and ``kg.KnowledgeGraph`` are looked up
here only when first used (``kg.__getattr__``). See ``docs/api.md`` for examples (they run as
doctests).

>>> graph = open("kg-data")          # doctest: +SKIP
>>> graph.query("troop-numbers", state="entity:Q423").rows[0]["value"]  # doctest: +SKIP
1500
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import pyoxigraph as ox
import rdflib
from rdflib.query import Result as RdflibResult

from kg.build import BuildSummary, build_sources
from kg.errors import KGError
from kg.export import export_view
from kg.extract import extract_articles
from kg.model import Extraction
from kg.pipeline import load_pipeline, model_description
from kg.queries import load_query, parse_params, run_query
from kg.queries.browse import EntityDescription, EntityRow, describe_entity, list_entities
from kg.settings import Settings, load_settings
from kg.sources import article_from_text
from kg.store import KGStore, QueryResult, StoreStats, Term, open_store

__all__ = ["KnowledgeGraph", "Result", "extract", "open"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {_XSD + "integer": int, _XSD + "nonNegativeInteger": int, _XSD + "decimal": float,
            _XSD + "double": float, _XSD + "float": float}


def python_value(term: Term | None) -> Any:
    """A term as a plain Python value: an IRI or a string as ``str``, numbers as ``int`` or
    ``float``, booleans as ``bool``, anything else as its lexical form.

    >>> python_value(ox.Literal("3000", datatype=ox.NamedNode(_XSD + "integer"))), python_value(ox.NamedNode("urn:x"))
    (3000, 'urn:x')
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        kind = term.datatype.value
        if kind in _NUMBERS:
            try:
                return _NUMBERS[kind](term.value)
            except ValueError:
                return term.value
        if kind == _XSD + "boolean":
            return term.value in ("true", "1")
    return term.value


@dataclass(frozen=True)
class Result:
    """A query's answer: :attr:`rows` as dicts of Python values, the raw :attr:`answer`
    (pyoxigraph terms), and conversions to pandas and rdflib."""

    answer: QueryResult

    @property
    def columns(self) -> tuple[str, ...]:
        return self.answer.columns if self.answer.kind == "select" else ("subject", "predicate", "object")

    @property
    def rows(self) -> list[dict[str, Any]]:
        """One dict per row, ``{column: value}``; for a CONSTRUCT, one per triple."""
        if self.answer.kind == "ask":
            return [{"boolean": self.answer.boolean}]
        if self.answer.kind == "graph":
            return [{"subject": t.subject.value, "predicate": t.predicate.value, "object": python_value(t.object)}
                    for t in self.answer.triples]
        return [{c: python_value(t) for c, t in zip(self.answer.columns, row)} for row in self.answer.rows]

    @property
    def truncated(self) -> bool:
        return self.answer.truncated

    def __len__(self) -> int:
        return len(self.answer.triples) if self.answer.kind == "graph" else len(self.answer.rows)

    def to_df(self) -> Any:
        """The rows as a ``pandas.DataFrame`` (needs pandas installed).

        Raises:
            KGError: pandas is not installed.
        """
        try:
            import pandas  # optional: only this method needs it
        except ImportError:
            raise KGError("Result.to_df needs pandas: pip install pandas") from None
        return pandas.DataFrame(self.rows, columns=list(self.columns))

    def to_rdflib(self) -> Any:
        """A CONSTRUCT's triples as an ``rdflib.Graph``; a SELECT's rows as an rdflib
        ``Result`` (``.vars``, ``.bindings``), as rdflib's own queries answer."""
        def convert(term: Term | None) -> Any:
            if term is None:
                return None
            if isinstance(term, ox.NamedNode):
                return rdflib.URIRef(term.value)
            if isinstance(term, ox.BlankNode):
                return rdflib.BNode(term.value)
            if term.language:
                return rdflib.Literal(term.value, lang=term.language)
            return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))

        if self.answer.kind == "graph":
            graph = rdflib.Graph()
            for t in self.answer.triples:
                graph.add((convert(t.subject), convert(t.predicate), convert(t.object)))
            return graph
        if self.answer.kind == "ask":
            result = RdflibResult("ASK")
            result.askAnswer = bool(self.answer.boolean)
            return result
        result = RdflibResult("SELECT")
        result.vars = [rdflib.Variable(c) for c in self.answer.columns]
        result.bindings = [
            {rdflib.Variable(c): convert(t) for c, t in zip(self.answer.columns, row) if t is not None}
            for row in self.answer.rows
        ]
        return result


class KnowledgeGraph:
    """A store opened for reading and building: what ``kg.open`` returns."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store: KGStore = open_store(settings)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.settings.store!r}>"

    def build(self, sources: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *, force: bool = False,
              progress: Callable[[str, str], None] | None = None) -> BuildSummary:
        """Read, extract and store ``sources`` (files, folders, globs, as ``kg build`` takes them)."""
        specs = [os.fspath(sources)] if isinstance(sources, (str, os.PathLike)) else [os.fspath(s) for s in sources]
        return build_sources(specs, self.settings, store=self.store, force=force, progress=progress)

    def query(self, name_or_text: str, /, *, limit: int | None = None, timeout: float | None = None,
              **params: Any) -> Result:
        """Run a bundled query by name, a ``.rq`` file or SPARQL text; keyword arguments bind
        its parameters as ``kg query --param`` does (``state="entity:Q423"``, ``speaker="Rutte"``)."""
        query = load_query(name_or_text)
        bindings = parse_params({k: v for k, v in params.items()}, query, base_iri=self.settings.base_iri)
        timeout = self.settings.query_timeout if timeout is None else timeout
        return Result(run_query(self.store, query, bindings, timeout, limit=limit))

    def entities(self, type: str | None = None) -> list[EntityRow]:  # noqa: A002 - as kg entities --type
        """The entities with their class, counts and Wikidata link, most mentioned first."""
        return list_entities(self.store, type)

    def show(self, name: str) -> EntityDescription:
        """One entity by any name kg prints (label, alias, prefixed name, IRI)."""
        return describe_entity(self.store, name)

    def stats(self) -> StoreStats:
        return self.store.stats()

    def export(self, path: str | os.PathLike[str], format: str = "turtle") -> None:  # noqa: A002
        """Write the graph (an RDF format of ``kg export``, or geojson, graphml, gexf, csv)."""
        target = Path(path)
        if format in ("geojson", "graphml", "gexf", "csv", "jsonld"):
            export_view(self.store, format, target)
            return
        with target.open("wb") as handle:
            self.store.export(format, handle)


def open(store: str | os.PathLike[str] = "kg-data", **settings: Any) -> KnowledgeGraph:  # noqa: A001
    """Open the store at ``store`` (a directory, or an ``http(s)://`` SPARQL endpoint) with the
    settings of ``kg.toml`` and ``KG_*`` variables, overridden by ``settings`` (``model=``,
    ``base_iri=``…)."""
    return KnowledgeGraph(load_settings(None, store=os.fspath(store), **settings))


def extract(text: str, *, date: str | dt.date | None = None, title: str | None = None,
            model: str | None = None) -> Extraction:
    """Extract entities and facts from one text, without a store.

    Args:
        date: the article's date (anchors "on Monday", "last week"), ISO text or a ``date``.
        model: a spaCy pipeline other than the settings' one.
    """
    settings = load_settings(None, model=model)
    iso = date.isoformat() if isinstance(date, dt.date) else date
    article = article_from_text(text, date=iso, title=title)
    nlp = load_pipeline(settings.model, settings=settings)
    (extraction,) = extract_articles(nlp, [article], model=model_description(nlp), batch_size=settings.batch_size,
                                     max_chunk_chars=settings.max_chunk_chars)
    return extraction
