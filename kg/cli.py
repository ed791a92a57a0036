"""The ``kg`` command line: a thin typer layer over the library.

Each command parses its arguments, calls one library function and formats the result.
Library errors (:class:`kg.errors.KGError`) become one line on stderr and a non-zero exit
code; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, Iterator, Optional

import typer
from rich.console import Console
from rich.table import Table

from kg import __version__
from kg.errors import KGError, StoreError
from kg.settings import Settings, load_settings

app = typer.Typer(
    name="kg",
    help=(
        "Build a knowledge graph of who did what, where and when from news articles.\n\n"
        "Examples:\n\n"
        "  kg build data/                 # read articles, extract, store in ./kg-data\n\n"
        "  kg query troop-numbers         # run a bundled query\n\n"
        "  kg export --format turtle -o graph.ttl"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)
out = Console(soft_wrap=True, markup=False, highlight=False)
_state: dict[str, Any] = {"debug": False}

StoreOption = Annotated[
    Optional[str],
    typer.Option("--store", help="Store directory or SPARQL endpoint URL [env: KG_STORE; default: ./kg-data]."),
]
ConfigOption = Annotated[
    Optional[Path], typer.Option("--config", help="TOML settings file [env: KG_CONFIG; default: ./kg.toml].")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")]


def settings_from(config: Path | None = None, **flags: Any) -> Settings:
    return load_settings(config, **flags)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one line on stderr and the error class's exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KGError as exc:
            if _state["debug"]:
                raise
            err.print(f"kg: error: {exc}", markup=False, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("kg: interrupted", markup=False)
            raise typer.Exit(130) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """kg: news articles in, a queryable, linked, provenance-tracked knowledge graph out."""
    _state["debug"] = debug


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


# build ------------------------------------------------------------------------------------------
INFERRED_DROPPED = (
    "kg: note: the inferred graph was dropped, as its inferences could rest on the changed "
    "articles; run 'kg reason' again to restore it"
)


@app.command()
@handle_errors
def build(
    sources: Annotated[list[str], typer.Argument(help="Files, folders (recursive), globs of .txt/.jsonl, or - for stdin.")],
    store: StoreOption = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Extraction processes.")] = None,
    model: Annotated[Optional[str], typer.Option("--model", help="Installed spaCy pipeline [env: KG_MODEL].")] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-extract unchanged articles too.")] = False,
    online: Annotated[bool, typer.Option("--online", help="Also link through the Wikidata API (needs network).")] = False,
    executor: Annotated[str, typer.Option(
        "--executor", help="Where extraction runs: local, dask-local (--jobs workers) or dask://HOST:PORT.",
    )] = "local",
    fmt: Annotated[str, typer.Option("--format", help="Summary format: text or json.")] = "text",
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Read articles, extract entities and facts, and store one named graph per article.

    Unchanged articles (same content hash) are skipped; changed ones are replaced.

    Examples:

      kg build data/articles/ data/feed.jsonl

      kg build '../corpus/**/*.txt' --jobs 2 --store /tmp/kg

      cat article.txt | kg build -

      kg build corpus.jsonl --executor dask-local --jobs 4 --store http://localhost:7878
    """
    from kg.build import build_sources
    from kg.executors import executor_for

    settings = settings_from(config, store=store, jobs=jobs, model=model, online=online or None)
    with _build_progress(quiet or fmt == "json") as progress:
        summary = build_sources(sources, settings, force=force, progress=progress,
                                executor=executor_for(executor))
    for failure in summary.failures:
        err.print(f"kg: failed: {failure.path}: {failure.reason}", markup=False, highlight=False)
    for warning in summary.warnings:
        err.print(f"kg: warning: {warning.path}: {warning.reason}", markup=False, highlight=False)
    result = {
        "new": summary.new, "updated": summary.updated, "skipped": summary.skipped,
        "failed": summary.failed, "warnings": len(summary.warnings),
        "entities": summary.entities, "quads": summary.quads,
        "seconds": round(summary.seconds, 2), "store": settings.store,
        "inferred_dropped": summary.inferred_dropped,
    }
    if summary.inferred_dropped:
        err.print(INFERRED_DROPPED, markup=False, highlight=False)
    if fmt == "json":
        emit_json(result)
    elif not quiet:
        out.print(
            f"articles: {summary.new} new, {summary.updated} updated, {summary.skipped} skipped, "
            f"{summary.failed} failed; entities: {summary.entities}; quads written: {summary.quads}; "
            f"{summary.seconds:.1f} s; store: {settings.store}",
            highlight=False,
        )
    if summary.failed:
        raise typer.Exit(1)


@contextlib.contextmanager
def _live(disabled: bool, *columns: str) -> Iterator[Callable[..., None] | None]:
    """A transient display on stderr of rich progress ``columns`` ("spinner", "bar" or a text
    template), as a function updating its one task (rich's ``Progress.update`` keywords); None
    when disabled or when stderr is not a terminal: a log or a pipe gets the summary only."""
    if disabled or not err.is_terminal:
        yield None
        return
    from rich import progress as rp

    kinds = {"spinner": rp.SpinnerColumn, "bar": rp.BarColumn, "count": rp.MofNCompleteColumn,
             "elapsed": rp.TimeElapsedColumn, "remaining": rp.TimeRemainingColumn}
    shown = [kinds[c]() if c in kinds else rp.TextColumn(c) for c in columns]
    with rp.Progress(*shown, console=err, transient=True) as display:
        task = display.add_task("", total=None, counts="")
        yield lambda **fields: display.update(task, **fields)


@contextlib.contextmanager
def _build_progress(disabled: bool) -> Iterator[Callable[[str, str], None] | None]:
    """The article being built and the counts so far, for :func:`kg.build.build_sources`."""
    with _live(disabled, "spinner", "{task.description}", "{task.fields[counts]}", "elapsed") as show:
        if show is None:
            yield None
            return
        counts = {"new": 0, "updated": 0, "skipped": 0, "failed": 0}

        def update(event: str, name: str) -> None:
            counts[event] = counts.get(event, 0) + 1
            text = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
            show(description=f"building {name[:40]}", counts=text)

        yield update


@contextlib.contextmanager
def _count_progress(verb: str, disabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A bar for a job that knows how many items it has: ``update(done, total)``."""
    with _live(disabled, verb, "bar", "count", "elapsed", "remaining") as show:
        yield None if show is None else (lambda done, total: show(completed=done, total=total))


@contextlib.contextmanager
def _status(disabled: bool) -> Iterator[Callable[[str], None] | None]:
    """A spinner saying which step of a long job runs, and for how long: ``step(what)``."""
    with _live(disabled, "spinner", "{task.description}", "elapsed") as show:
        yield None if show is None else (lambda what: show(description=what))


# remove -----------------------------------------------------------------------------------------
@app.command()
@handle_errors
def remove(
    article_ids: Annotated[list[str], typer.Argument(help="Ids of the articles to drop (see 'kg stats --articles').")],
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Drop articles and everything only they supported (the entity index is refreshed).

    Example:

      kg remove 003_7c537a3c81279077
    """
    from kg.build import inferred_graph_exists, remove_articles
    from kg.store import open_store

    settings = settings_from(config, store=store)
    kg_store = open_store(settings)
    had_inferred = kg_store.exists() and inferred_graph_exists(kg_store)
    missing = remove_articles(article_ids, settings, kg_store)
    for article_id in missing:
        err.print(f"kg: error: no article {article_id!r} in the store", markup=False)
    if had_inferred and len(missing) < len(article_ids):
        err.print(INFERRED_DROPPED, markup=False, highlight=False)
    if missing:
        raise typer.Exit(1)


# stats ------------------------------------------------------------------------------------------
@app.command()
@handle_errors
def stats(
    store: StoreOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    articles: Annotated[bool, typer.Option("--articles", help="Also list article ids.")] = False,
    config: ConfigOption = None,
) -> None:
    """Count articles, entities by class and quads in the store.

    Example:

      kg stats --format json
    """
    from kg.store import open_store

    kg_store = open_store(settings_from(config, store=store))
    result = kg_store.stats()
    data: dict[str, Any] = {
        "articles": result.articles, "entities": dict(result.entities_by_class),
        "quads": result.quads, "graphs": result.graphs,
    }
    if articles:
        data["article_ids"] = kg_store.article_ids()
    if fmt == "json":
        emit_json(data)
        return
    out.print(f"articles: {result.articles}", highlight=False)
    out.print("entities: " + ", ".join(f"{k} {v}" for k, v in result.entities_by_class.items()), highlight=False)
    out.print(f"quads: {result.quads} in {result.graphs} graphs", highlight=False)
    for article_id in data.get("article_ids", []):
        out.print(f"  {article_id}", highlight=False)


# entities / show -------------------------------------------------------------------------------
@app.command()
@handle_errors
def entities(
    entity_type: Annotated[Optional[str], typer.Option("--type", "-t", help="Person, State, MilitaryUnit, Organization or Place.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv or json.")] = "table",
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many (0 = all).")] = 0,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """List entities with their class, mention and article counts and Wikidata link.

    Examples:

      kg entities --type MilitaryUnit

      kg entities --format json --limit 20
    """
    from kg.browse import entities_result, list_entities
    from kg.queries import format_result
    from kg.store import open_store

    rows = list_entities(open_store(settings_from(config, store=store)), entity_type)
    typer.echo(format_result(entities_result(rows[:limit] if limit else rows), fmt), nl=False)


@app.command()
@handle_errors
def show(
    name: Annotated[str, typer.Argument(help="An entity's label, alias or IRI.")],
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Show one entity: types, labels, Wikidata link, relations and the sentences that mention it.

    Examples:

      kg show Zelensky

      kg show "North Korean troops" --format json
    """
    import dataclasses

    from kg.browse import describe_entity
    from kg.store import open_store

    info = describe_entity(open_store(settings_from(config, store=store)), name)
    if fmt == "json":
        emit_json(dataclasses.asdict(info))
        return
    out.print(f"{', '.join(info.labels)}  <{info.iri}>", highlight=False)
    out.print(f"  class: {', '.join(info.classes)}", highlight=False)
    if info.aliases:
        out.print(f"  aliases: {', '.join(info.aliases)}", highlight=False)
    out.print(f"  wikidata: {', '.join(info.wikidata) or '(not linked)'}", highlight=False)
    for kind, text, article_id in info.facts:
        out.print(f"  {kind}: {' '.join(text.split())}  [{article_id}]", highlight=False)
    out.print(f"  mentioned in {len(info.sentences)} sentences:", highlight=False)
    for article_id, sentence in info.sentences:
        out.print(f"    [{article_id}] {' '.join(sentence.split())}", highlight=False)


@app.command()
@handle_errors
def link(
    online: Annotated[bool, typer.Option("--online", help="Ask Wikidata for entities the gazetteer lacks (needs network).")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text or json (with every entity's outcome).")] = "text",
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Link the stored entities to Wikidata and report linked / ambiguous / unlinked counts.

    Offline by default (the bundled gazetteer); with --online, entities the gazetteer lacks
    are looked up through the Wikidata API (cached on disk, rate-limited). Links are written
    by 'kg build' (use 'kg build --online --force' to store online links).

    Examples:

      kg link

      kg link --online --format json
    """
    from kg.browse import link_store_entities
    from kg.store import open_store

    settings = settings_from(config, store=store, online=online or None)
    report = link_store_entities(open_store(settings), settings)
    if fmt == "json":
        emit_json({
            **report.as_dict(),
            "entities": [
                {"name": o.name, "class": o.cls, "status": o.status,
                 "wikidata": o.result.qid if o.result else None,
                 "confidence": o.result.confidence if o.result else None}
                for o in report.outcomes
            ],
        })
        return
    counts = report.as_dict()
    out.print(f"linked: {counts['linked']}, ambiguous: {counts['ambiguous']}, unlinked: {counts['unlinked']} "
              f"(of {counts['total']} entities; units are never linked)", highlight=False)
    for outcome in report.outcomes:
        if outcome.status == "ambiguous":
            out.print(f"  ambiguous: {outcome.name} ({outcome.cls})", highlight=False)


# export / import --------------------------------------------------------------------------------
@app.command()
@handle_errors
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="turtle, trig, ntriples, nquads, jsonld or rdfxml.")] = "turtle",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    graph: Annotated[Optional[str], typer.Option("--graph", help="Only this article's graph.")] = None,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Export the graph. Turtle, N-Triples and RDF/XML merge the article graphs; TriG, N-Quads
    and JSON-LD keep one named graph per article.

    Examples:

      kg export > graph.ttl

      kg export --format trig -o dataset.trig

      kg export --graph 003_7c537a3c81279077 --format ntriples
    """
    from kg.store import open_store

    kg_store = open_store(settings_from(config, store=store))
    if output is None:
        buffer = io.BytesIO()
        kg_store.export(fmt, buffer, article_id=graph)
        sys.stdout.flush()
        sys.stdout.buffer.write(buffer.getvalue())
        sys.stdout.buffer.flush()
        return
    tmp = output.with_name(output.name + ".part")
    with tmp.open("wb") as handle:
        count = kg_store.export(fmt, handle, article_id=graph)
    tmp.replace(output)
    err.print(f"wrote {count} statements to {output}", highlight=False)


@app.command(name="import")
@handle_errors
def import_(
    path: Annotated[Path, typer.Argument(help="An N-Quads or TriG file (as written by 'kg export').")],
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Load an exported dataset into a store (graphs kept as they are) and index its entities.

    Example:

      kg import dataset.nq --store /tmp/copy
    """
    from kg.store import import_dataset

    count = import_dataset(path, settings_from(config, store=store))
    err.print(f"imported {count} quads into {store or 'the store'}", highlight=False)


# query / queries / eval -------------------------------------------------------------------------
@app.command()
@handle_errors
def query(
    source: Annotated[str, typer.Argument(help="A bundled query name (see 'kg queries'), a .rq file, or - for stdin.")],
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="name=value; repeatable. <iri>, prefix:local, a number or text.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv or json (SPARQL 1.1 results formats).")] = "table",
    update: Annotated[bool, typer.Option("--update", help="Allow a SPARQL UPDATE (queries are read-only otherwise).")] = False,
    timeout: Annotated[Optional[float], typer.Option("--timeout", help="Seconds before giving up [default: query_timeout setting].")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show the first N rows only (0 = all); the rest are not read.", min=0)] = 0,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Run a SPARQL query over the union of the article graphs.

    Parameters are bound as RDF terms, never pasted into the query text. With --limit, reading
    stops after N rows, and stderr says when there were more.

    Examples:

      kg query troop-numbers --param state=entity:Q423

      kg query claims-by-speaker --limit 20

      kg query mentions -p entity=Zelensky --format json

      echo 'SELECT * WHERE { ?s a kg:Clash }' | kg query -
    """
    from kg.queries import format_result, load_query, parse_params, run_query
    from kg.store import open_store

    settings = settings_from(config, store=store)
    loaded = load_query(source)
    bindings = parse_params(param or [], loaded, base_iri=settings.base_iri)
    result = run_query(open_store(settings), loaded, bindings,
                       timeout if timeout is not None else settings.query_timeout, allow_update=update,
                       limit=limit or None)
    if update and result.kind == "select" and not result.columns:
        err.print("update applied", highlight=False)
        return
    options = {"base_iri": settings.base_iri} if fmt == "table" else {}
    typer.echo(format_result(result, fmt, **options), nl=False)
    if result.truncated:
        shown = "the first row" if limit == 1 else f"the first {limit} rows"
        err.print(f"kg: {shown}; there are more (--limit 0 shows all)", highlight=False, markup=False)


@app.command()
@handle_errors
def queries(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """List the bundled queries with their parameters.

    Example:

      kg queries --format json
    """
    from kg.queries import list_queries

    infos = list_queries()
    if fmt == "json":
        emit_json([
            {"name": q.name, "title": q.title, "description": q.description, "network": q.network,
             "params": [{"name": p.name, "kind": p.kind, "example": p.example,
                         "description": p.description, "required": p.required} for p in q.params]}
            for q in infos
        ])
        return
    for q in infos:
        out.print(f"{q.name}{'  (needs network)' if q.network else ''}: {q.title}", highlight=False, markup=False)
        if q.description:
            out.print(f"    {q.description}", highlight=False, markup=False)
        for p in q.params:
            out.print(f"    --param {p.name}={p.example or '…'}  [{p.kind}] {p.description}", highlight=False, markup=False)


@app.command(name="eval")
@handle_errors
def eval_(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold *.json annotations (see gold/FORMAT.md).")],
    texts: Annotated[Optional[Path], typer.Option("--texts", help="Folder of the annotated texts [default: GOLD_DIR/../seeds].")] = None,
    store: Annotated[Optional[str], typer.Option("--store", help="Score this existing store instead of building the texts.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    config: ConfigOption = None,
) -> None:
    """Score extraction against gold annotations: entities, types, Wikidata links, relations.

    Without --store the gold texts are built into a temporary store first.

    Examples:

      kg eval ../shared/gold

      kg eval ../shared/gold --format json

      kg eval gold/ --store ./kg-data
    """
    from kg.evaluate import evaluate_texts, format_report
    from kg.store import open_store

    settings = settings_from(config, store=store)
    existing = open_store(settings) if store is not None else None
    report = evaluate_texts(gold_dir, settings, texts_dir=texts, store=existing)
    typer.echo(format_report(report, fmt), nl=False)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    try:
        app()
    except StoreError as exc:  # raised outside a command body (e.g. while closing)
        err.print(f"kg: error: {exc}", markup=False)
        sys.exit(exc.exit_code)


# validate / ontology / reason -------------------------------------------------------------------
@app.command()
@handle_errors
def validate(
    article_ids: Annotated[Optional[list[str]], typer.Argument(help="Article ids to check (default: all).")] = None,
    store: StoreOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    inference: Annotated[str, typer.Option("--inference", help="SHACL pre-inference: none, rdfs, owlrl or both.")] = "none",
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Validation processes (default: the build's jobs).")] = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Check the article graphs against the SHACL shapes; exit 1 if any violation is found.

    Examples:

      kg validate --format json

      kg validate --jobs 2
    """
    import dataclasses

    from kg.store import open_store
    from kg.validate import validate_store

    settings = settings_from(config, store=store, jobs=jobs)
    with _count_progress("validating", quiet or fmt == "json") as progress:
        report = validate_store(open_store(settings), settings, article_ids or None, inference=inference,
                                jobs=settings.jobs, progress=progress)
    if fmt == "json":
        emit_json({
            "conforms": report.conforms, "articles": report.articles,
            "seconds": round(report.seconds, 3),
            "violations": [dataclasses.asdict(v) for v in report.violations],
        })
    else:
        for v in report.violations:
            label = f" ({v.focus_label})" if v.focus_label else ""
            path = f" [{v.path}]" if v.path else ""
            value = f" value {v.value}" if v.value else ""
            out.print(
                f"{v.article_id}: {v.severity}: <{v.focus_node}>{label}{path}: {v.message}{value}",
                highlight=False, markup=False,
            )
        verdict = "conforms" if report.conforms else f"{len(report.violations)} problems"
        out.print(f"{report.articles} articles checked in {report.seconds:.1f} s: {verdict}", highlight=False)
    if not report.conforms:
        raise typer.Exit(1)


@app.command()
@handle_errors
def ontology(
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Show the ontology's classes, properties and their alignments (Wikidata, PROV, schema.org).

    Example:

      kg ontology --format json
    """
    import dataclasses

    from kg.ontology import summarize

    summary = summarize()
    if fmt == "json":
        emit_json(dataclasses.asdict(summary))
        return
    out.print(f"{summary.label} {summary.version} <{summary.iri}>", highlight=False, markup=False)
    table = Table("class", "subclass of", "aligned to", "comment")
    for term in summary.classes:
        table.add_row(
            term.name, ", ".join(term.parents),
            ", ".join(target for _, target in term.alignments), term.comment,
        )
    out.print(table)
    table = Table("property", "domain → range", "aligned to", "characteristics")
    for term in summary.properties:
        table.add_row(
            term.name, f"{term.domain or '-'} → {term.range or '-'}",
            ", ".join(f"{rel} {target}" for rel, target in term.alignments),
            ", ".join(term.characteristics),
        )
    out.print(table)
    out.print(f"{summary.shapes} SHACL node shapes", highlight=False)


@app.command()
@handle_errors
def reason(
    article_ids: Annotated[Optional[list[str]], typer.Argument(help="Article ids to reason over (default: all).")] = None,
    store: StoreOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Materialise OWL RL consequences into the graph <{base}graph/_inferred> (replacing it),
    then refresh the entity index, which inferred classes and labels can change. The closure is
    computed in memory over all the articles, over the triples an OWL RL rule can read (about a
    third of them; ~0.1 s per BBC article).

    Example:

      kg reason && kg query ... # queries see the inferred triples in the union graph
    """
    import dataclasses

    from kg.reason import reason as run_reasoner
    from kg.store import open_store

    settings = settings_from(config, store=store)
    kg_store = open_store(settings)
    with kg_store.writer(), _status(quiet or fmt == "json") as step:
        result = run_reasoner(kg_store, settings, article_ids or None, progress=step)
    if fmt == "json":
        emit_json(dataclasses.asdict(result))
    else:
        out.print(
            f"{result.inferred} new triples written to <{result.graph}> in {result.seconds:.1f} s "
            f"({result.articles} articles, {result.read_triples} triples read; the {result.input_triples} "
            "distinct ones a rule can read were closed)",
            highlight=False, markup=False,
        )
    for message in result.inconsistencies:
        err.print(f"kg: warning: inconsistency: {message}", markup=False, highlight=False)
