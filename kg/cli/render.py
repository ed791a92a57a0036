"""What the commands print: the library's results as lines of text (or tables) and as JSON.

Plain functions from a result to what is shown, so each command only calls the library and
hands the rendering to :func:`kg.cli.common.emit_lines` or :func:`kg.cli.common.emit_json`.
"""

from __future__ import annotations

import dataclasses
import shlex
from typing import TYPE_CHECKING, Any, Sequence

from rich.console import RenderableType
from rich.table import Table

if TYPE_CHECKING:  # annotations only: the commands import these modules when they need them
    from kg.build import BuildSummary
    from kg.derived.reason import ReasoningResult
    from kg.derived.validate import ValidationReport
    from kg.linking import LinkReport
    from kg.ontology import OntologySummary
    from kg.queries.browse import EntityDescription, EntityRow
    from kg.queries.catalog import QueryInfo
    from kg.store import StoreStats


# build ------------------------------------------------------------------------------------------
def build_json(summary: BuildSummary, store: str) -> dict[str, Any]:
    """``kg build --format json``: the counts, and each failed input and warning with its reason."""
    return {
        "new": summary.new, "updated": summary.updated, "skipped": summary.skipped,
        "failed": summary.failed,
        "failures": [{"path": f.path, "reason": f.reason} for f in summary.failures],
        "warnings": [{"path": w.path, "reason": w.reason} for w in summary.warnings],
        "articles": list(summary.article_ids),
        "entities": summary.entities, "quads": summary.quads,
        "seconds": round(summary.seconds, 2), "store": store,
        "inferred_dropped": summary.inferred_dropped,
        "written": summary.written_ids, "skipped_ids": summary.skipped_ids,
        "refused": [{"source": f.path, "id": f.article_id, "reason": f.reason} for f in summary.failures],
    }


def build_line(summary: BuildSummary, store: str) -> str:
    return (
        f"articles: {summary.new} new, {summary.updated} updated, {summary.skipped} skipped, "
        f"{summary.failed} failed; entities: {summary.entities}; quads written: {summary.quads}; "
        f"{summary.seconds:.1f} s; store: {store}"
    )


# stats ------------------------------------------------------------------------------------------
def stats_json(stats: StoreStats, article_ids: Sequence[str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "articles": stats.articles, "entities": dict(stats.entities_by_class),
        "quads": stats.quads, "graphs": stats.graphs,
    }
    if article_ids is not None:
        data["article_ids"] = list(article_ids)
    return data


def stats_lines(stats: StoreStats, article_ids: Sequence[str] = ()) -> list[str]:
    return [
        f"articles: {stats.articles}",
        "entities: " + ", ".join(f"{k} {v}" for k, v in stats.entities_by_class.items()),
        f"quads: {stats.quads} in {stats.graphs} graphs",
        *(f"  {article_id}" for article_id in article_ids),
    ]


# show / link ------------------------------------------------------------------------------------
def fact_line(fact: Any) -> str:
    """One fact of ``kg show`` in words."""
    text = " ".join(fact.text.split())
    if fact.kind == "claim":
        return f"claim: {fact.date or 'undated'} {fact.cue or 'said'}: {text}  [{fact.article}]"
    if fact.side == "object":
        return f"{fact.kind} (inverse): {text}  [{fact.article}]"
    return f"{fact.kind}: {text}  [{fact.article}]"


def entity_lines(info: EntityDescription) -> list[str]:
    """``kg show``: the entity, its class, aliases and link, its facts, the sentences."""
    lines = [f"{', '.join(info.labels)}  {info.name}", f"  class: {', '.join(info.classes)}"]
    if info.aliases:
        lines.append(f"  aliases: {', '.join(info.aliases)}")
    lines.append(f"  wikidata: {', '.join(info.wikidata) or '(not linked)'}")
    lines += [f"  {fact_line(fact)}" for fact in info.facts]
    lines.append(f"  mentioned in {len(info.mentions)} sentences:")
    lines += [f"    [{m.article}] {' '.join(m.sentence.split())}" for m in info.mentions]
    return lines


def entity_json(info: EntityDescription) -> dict[str, Any]:
    """``kg show --format json``: data only (no sentence made up of the facts)."""
    return {
        "iri": info.iri, "name": info.name, "classes": list(info.classes), "labels": list(info.labels),
        "aliases": list(info.aliases), "wikidata": list(info.wikidata),
        "facts": [dataclasses.asdict(fact) for fact in info.facts],
        "mentions": [dataclasses.asdict(m) for m in info.mentions],
    }


def entities_json(rows: Sequence[EntityRow], prefixes: Any) -> list[dict[str, Any]]:
    """``kg entities --format json``: one record per entity."""
    from_prefix = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    return [
        {"iri": r.iri, "name": _prefixed(r.iri, from_prefix), "label": r.label, "class": r.cls,
         "mentions": r.mentions, "articles": r.articles, "wikidata": r.wikidata}
        for r in rows
    ]


def _prefixed(iri: str, prefixes: Sequence[tuple[str, str]]) -> str:
    for name, namespace in prefixes:
        if iri.startswith(namespace):
            return f"{name}:{iri[len(namespace):]}"
    return f"<{iri}>"


def link_json(report: LinkReport) -> dict[str, Any]:
    return {
        **report.as_dict(),
        "entities": [
            {"name": o.name, "class": o.cls, "status": o.status,
             "wikidata": o.result.qid if o.result else None,
             "confidence": o.result.confidence if o.result else None}
            for o in report.outcomes
        ],
    }


def link_lines(report: LinkReport) -> list[str]:
    counts = report.as_dict()
    lines = [f"linked: {counts['linked']}, ambiguous: {counts['ambiguous']}, unlinked: {counts['unlinked']} "
             f"(of {counts['total']} entities; units are never linked)"]
    lines += [f"  ambiguous: {o.name} ({o.cls})" for o in report.outcomes if o.status == "ambiguous"]
    return lines


def explain_json(name: str, explanations: Sequence[Any], threshold: float) -> dict[str, Any]:
    return {
        "name": name, "threshold": threshold,
        "explanations": [
            {"entity": x.entity, "articles": x.articles, "stored_wikidata": x.stored_qid,
             "class": x.outcome.cls, "status": x.outcome.status,
             "wikidata": x.outcome.result.qid if x.outcome.result else None,
             "label": x.outcome.result.label if x.outcome.result else None,
             "confidence": x.outcome.result.confidence if x.outcome.result else None,
             "reasons": list(x.outcome.reasons),
             "candidates": [{"wikidata": c.qid, "name": c.name, "class": c.cls, "kind": c.kind,
                             "country": c.country_qid, "population": c.population}
                            for c in x.outcome.candidates]}
            for x in explanations
        ],
    }


def explain_lines(name: str, explanations: Sequence[Any], threshold: float) -> list[str]:
    if not explanations:
        return [f"{name}: no stored entity and no gazetteer entry has this name"]
    lines = []
    for x in explanations:
        o = x.outcome
        where = f"stored entity in {x.articles} article(s)" if x.entity else "not in the store; out of context"
        result = (f"{o.result.qid} {o.result.label}, confidence {o.result.confidence:.2f}" if o.result else "-")
        lines.append(f"{o.name} ({o.cls}, {where}): {o.status} {result} (threshold {threshold:.2f})")
        lines += [f"  {reason}" for reason in o.reasons]
    return lines


# queries ----------------------------------------------------------------------------------------
def example_command(q: QueryInfo) -> str:
    """A command line that runs query ``q`` with its parameters' examples: a value as the user
    types it (an IRI as a prefixed name), quoted for the shell."""
    parts = ["kg", "query", q.name]
    for p in q.params:
        if p.example:
            parts += ["--param", f"{p.name}={p.example}"]
    return " ".join(shlex.quote(part) for part in parts)


def queries_json(infos: Sequence[QueryInfo]) -> list[dict[str, Any]]:
    return [
        {"name": q.name, "title": q.title, "description": q.description, "network": q.network,
         "example": example_command(q),
         "params": [{"name": p.name, "kind": p.kind, "example": p.example,
                     "description": p.description, "required": p.required} for p in q.params]}
        for q in infos
    ]


def queries_lines(infos: Sequence[QueryInfo]) -> list[str]:
    lines = []
    for q in infos:
        lines.append(f"{q.name}{'  (needs network)' if q.network else ''}: {q.title}")
        if q.description:
            lines.append(f"    {q.description}")
        lines += [f"    --param {shlex.quote(f'{p.name}={p.example}') if p.example else p.name + '=…'}  "
                  f"[{p.kind}] {p.description}" for p in q.params]
        lines.append(f"    example: {example_command(q)}")
    return lines


def truncation_note(limit: int) -> str:
    shown = "the first row" if limit == 1 else f"the first {limit} rows"
    return f"kg: {shown}; there are more (--limit 0 shows all)"


# validate / ontology / reason -------------------------------------------------------------------
def validation_json(report: ValidationReport) -> dict[str, Any]:
    return {
        "conforms": report.conforms, "articles": report.articles,
        "seconds": round(report.seconds, 3),
        "violations": [dataclasses.asdict(v) for v in report.violations],
    }


def validation_lines(report: ValidationReport) -> list[str]:
    lines = []
    for v in report.violations:
        label = f" ({v.focus_label})" if v.focus_label else ""
        path = f" [{v.path}]" if v.path else ""
        value = f" value {v.value}" if v.value else ""
        lines.append(f"{v.article_id}: {v.severity}: <{v.focus_node}>{label}{path}: {v.message}{value}")
    verdict = "conforms" if report.conforms else f"{len(report.violations)} problems"
    lines.append(f"{report.articles} articles checked in {report.seconds:.1f} s: {verdict}")
    return lines


def ontology_blocks(summary: OntologySummary) -> list[RenderableType]:
    """``kg ontology``: a title line, a table of classes, one of properties, the shape count."""
    classes = Table("class", "subclass of", "aligned to", "comment")
    for term in summary.classes:
        classes.add_row(
            term.name, ", ".join(term.parents),
            ", ".join(target for _, target in term.alignments), term.comment,
        )
    properties = Table("property", "domain → range", "aligned to", "characteristics")
    for term in summary.properties:
        properties.add_row(
            term.name, f"{term.domain or '-'} → {term.range or '-'}",
            ", ".join(f"{rel} {target}" for rel, target in term.alignments),
            ", ".join(term.characteristics),
        )
    return [
        f"{summary.label} {summary.version} <{summary.iri}>",
        classes,
        properties,
        f"{summary.shapes} SHACL node shapes",
    ]


def reasoning_line(result: ReasoningResult) -> str:
    return (
        f"{result.inferred} new triples written to <{result.graph}> in {result.seconds:.1f} s "
        f"({result.articles} articles, {result.read_triples} triples read; the {result.input_triples} "
        "distinct ones a rule can read were closed)"
    )
