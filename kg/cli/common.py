"""What every command shares: options, settings, error handling and output (text, JSON,
progress on stderr)."""

from __future__ import annotations

import contextlib
import functools
import json
from pathlib import Path
from typing import Annotated, Any, Callable, Iterable, Iterator, Optional

import typer
from rich import progress as rp
from rich.console import Console, RenderableType

from kg.errors import KGError
from kg.settings import Settings, load_settings

err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)
out = Console(soft_wrap=True, markup=False, highlight=False)
state: dict[str, Any] = {"debug": False}
"""Set by the main callback: ``debug`` (``kg --debug``) shows tracebacks instead of one line."""

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
            if state["debug"]:
                raise
            err.print(f"kg: error: {exc}", markup=False, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("kg: interrupted", markup=False)
            raise typer.Exit(130) from None

    return wrapper


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def emit_lines(lines: Iterable[RenderableType]) -> None:
    """Print text lines (or rich tables) on stdout, as they are: no markup, no highlighting."""
    for line in lines:
        out.print(line, highlight=False)


def warn(message: str) -> None:
    """One line on stderr, as it is."""
    err.print(message, markup=False, highlight=False)


# progress on stderr ----------------------------------------------------------------------------------
@contextlib.contextmanager
def live(disabled: bool, *columns: str) -> Iterator[Callable[..., None] | None]:
    """A transient display on stderr of rich progress ``columns`` ("spinner", "bar" or a text
    template), as a function updating its one task (rich's ``Progress.update`` keywords); None
    when disabled or when stderr is not a terminal: a log or a pipe gets the summary only."""
    if disabled or not err.is_terminal:
        yield None
        return
    kinds = {"spinner": rp.SpinnerColumn, "bar": rp.BarColumn, "count": rp.MofNCompleteColumn,
             "elapsed": rp.TimeElapsedColumn, "remaining": rp.TimeRemainingColumn}
    shown = [kinds[c]() if c in kinds else rp.TextColumn(c) for c in columns]
    with rp.Progress(*shown, console=err, transient=True) as display:
        task = display.add_task("", total=None, counts="")
        yield lambda **fields: display.update(task, **fields)


@contextlib.contextmanager
def build_progress(disabled: bool) -> Iterator[Callable[[str, str], None] | None]:
    """The article being built and the counts so far, for :func:`kg.build.build_sources`."""
    with live(disabled, "spinner", "{task.description}", "{task.fields[counts]}", "elapsed") as show:
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
def count_progress(verb: str, disabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A bar for a job that knows how many items it has: ``update(done, total)``."""
    with live(disabled, verb, "bar", "count", "elapsed", "remaining") as show:
        yield None if show is None else (lambda done, total: show(completed=done, total=total))


@contextlib.contextmanager
def status(disabled: bool) -> Iterator[Callable[[str], None] | None]:
    """A spinner saying which step of a long job runs, and for how long: ``step(what)``."""
    with live(disabled, "spinner", "{task.description}", "elapsed") as show:
        yield None if show is None else (lambda what: show(description=what))
