"""The ``kg`` application: the command table, and a click group that loads a command's module
only when that command runs.

Each command module imports what its commands need (spaCy's pipeline for ``build``, pySHACL for
``validate``…) at its top, so ``kg --help`` and a quick ``kg stats`` must not import them all:
:class:`LazyGroup` (the pattern click documents for lazy-loading subcommands) imports a module
when one of its commands is invoked or asked for its help, and lists the commands in ``kg --help``
from :data:`COMMANDS`, whose one-line summaries are the first paragraphs of the commands'
docstrings (a test keeps them equal).
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.main import get_command_from_info
from typer.models import CommandInfo

from kg import __version__
from kg.cli.common import err, guard_memory, state
from kg.errors import StoreError

MARKUP_MODE = None
"""Help texts are plain text (no rich markup)."""

COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("kg.cli.build:build",
              "Read articles, extract entities and facts, and store one named graph per article."),
    "remove": ("kg.cli.build:remove",
               "Drop articles and everything only they supported (the entity index is refreshed)."),
    "stats": ("kg.cli.store:stats", "Count articles, entities by class and quads in the store."),
    "entities": ("kg.cli.browse:entities",
                 "List entities with their class, mention and article counts and Wikidata link."),
    "show": ("kg.cli.browse:show",
             "Show one entity: types, labels, Wikidata link, relations and the sentences that mention it."),
    "link": ("kg.cli.link:link",
             "Link the stored entities to Wikidata and report linked / ambiguous / unlinked counts."),
    "export": ("kg.cli.store:export",
               "Export the graph. Turtle, N-Triples and RDF/XML merge the article graphs; TriG, N-Quads "
               "and JSON-LD keep one named graph per article."),
    "import": ("kg.cli.build:import_",
               "Load an exported dataset into a store (graphs kept as they are) and index its entities."),
    "query": ("kg.cli.query:query", "Run a SPARQL query over the union of the article graphs."),
    "queries": ("kg.cli.query:queries", "List the bundled queries with their parameters."),
    "eval": ("kg.cli.evaluate:eval_",
             "Score extraction against gold annotations: entities, types, Wikidata links, relations."),
    "validate": ("kg.cli.check:validate",
                 "Check the article graphs against the SHACL shapes; exit 1 if any violation is found."),
    "ontology": ("kg.cli.ontology:ontology",
                 "Show the ontology's classes, properties and their alignments (Wikidata, PROV, schema.org)."),
    "reason": ("kg.cli.check:reason",
               "Materialise OWL RL consequences into the graph graph:_inferred (replacing it), then "
               "refresh the entity index, which inferred classes and labels can change. The closure "
               "is computed in memory over all the articles, over the triples an OWL RL rule can read "
               "(about a third of them; ~0.1 s per BBC article)."),
}
"""Command name -> (``module:function`` of its implementation, its one-line summary for ``kg --help``)."""


def command_function(name: str) -> Any:
    """The function implementing command ``name``, its module imported on demand."""
    module, _, function = COMMANDS[name][0].partition(":")
    return getattr(importlib.import_module(module), function)


class PlainArgument(TyperArgument):
    """An argument shown as click shows one (``SOURCE...``, ``[ARTICLE_ID]...``), without the
    Python type typer adds (``<list[str]>``) or braces around a required one."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")

    def _rich_display_name(self) -> str:
        return self.display_name_raw + ("..." if self.nargs != 1 else "")


class LazyGroup(TyperGroup):
    """A typer group whose commands are built from :data:`COMMANDS` when first needed."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            info = CommandInfo(name=cmd_name, callback=command_function(cmd_name))
            command = get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode=MARKUP_MODE)
            for param in command.params:
                if isinstance(param, TyperArgument):
                    param.__class__ = PlainArgument
            self.commands[cmd_name] = command
        return self.commands[cmd_name]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list of ``kg --help``, shortened as click shortens a docstring, without
        importing any command's module."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, TyperCommand(name, help=summary).get_short_help_str(limit))
            for name, (_, summary) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    name="kg",
    cls=LazyGroup,
    help=(
        "Build a knowledge graph of who did what, where and when from news articles.\n\n"
        "Examples:\n\n"
        "  kg build data/                 # read articles, extract, store in ./kg-data\n\n"
        "  kg query troop-numbers         # run a bundled query\n\n"
        "  kg export --format turtle -o graph.ttl\n\n"
        "Exit codes: 0 done; 1 something failed or was found wrong (an article not built, a SHACL "
        "violation, a failed look-up); 2 usage error; 3 model missing; 4 store error; 5 query error; "
        "130 interrupted.\n\n"
        "Shell completion: kg --install-completion (bash, zsh, fish or PowerShell)."
    ),
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=MARKUP_MODE,
    pretty_exceptions_enable=False,
)


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
    state["debug"] = debug


def _unraisable(hook: Any) -> Any:
    """``sys.unraisablehook`` that drops pyoxigraph's note about an answer object released on
    another thread than the one that made it (a query given up on at its timeout, left to end
    with the process): nothing is lost, and it is not the user's to act on."""

    def unraisable(info: Any) -> None:
        if "unsendable" in str(info.exc_value):
            return
        hook(info)

    return unraisable


def main() -> None:
    """Entry point of the ``kg`` console script."""
    sys.unraisablehook = _unraisable(sys.unraisablehook)
    guard_memory()
    try:
        app()
    except StoreError as exc:  # raised outside a command body (e.g. while closing)
        err.print(f"kg: error: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except Exception as exc:  # a bug: one line, the traceback with --debug
        if state["debug"]:
            raise
        message = " ".join(str(exc).split())
        err.print(f"kg: internal error: {type(exc).__name__}: {message} (run 'kg --debug …' for the traceback)",
                  markup=False)
        sys.exit(1)
