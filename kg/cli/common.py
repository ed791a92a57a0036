"""What every command shares: options and their choices, settings, error handling and output
(text, JSON, progress on stderr).

Exit codes (documented in the README): 0 success; 1 something was lost or found wrong (an
article that could not be built, a SHACL violation, a failed Wikidata look-up); 2 a usage error
(an unknown option value, a bad setting, unreadable input); 3 the spaCy pipeline cannot be
loaded; 4 the store cannot be opened, read or written; 5 a query error (unknown query or
entity, a syntax error, a bad parameter, a timeout); 130 interrupted.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import importlib
import json
import os
import re
import threading
import time
import warnings
from pathlib import Path
from typing import Annotated, Any, Callable, Iterable, Iterator, Optional

import typer
from typer.exceptions import TyperException
from rich import progress as rp
from rich.console import Console, RenderableType

from kg.errors import KGError
from kg.settings import Settings, load_settings

err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)
out = Console(soft_wrap=True, markup=False, highlight=False)
state: dict[str, Any] = {"debug": False}
"""Set by the main callback: ``debug`` (``kg --debug``) shows tracebacks instead of one line."""

EXIT_USAGE = 2
"""The exit code of a usage error (click's own for a bad option)."""

PROGRESS_SECONDS = 5.0
"""Off a terminal (a log, a pipe, a notebook's ``!kg build``), a long job prints one progress
line on stderr this often."""


# choices -------------------------------------------------------------------------------------
class TableFormat(str, enum.Enum):
    """Output of a command that answers rows."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


class TextFormat(str, enum.Enum):
    """Output of a command that answers a report."""

    text = "text"
    json = "json"


class EvalFormat(str, enum.Enum):
    table = "table"
    json = "json"


class Inference(str, enum.Enum):
    none = "none"
    rdfs = "rdfs"
    owlrl = "owlrl"
    both = "both"


StoreOption = Annotated[
    Optional[str],
    typer.Option("--store", metavar="DIR|URL",
                 help="Store directory or SPARQL endpoint URL [env: KG_STORE; default: ./kg-data]."),
]
ConfigOption = Annotated[
    Optional[Path], typer.Option("--config", metavar="FILE",
                                 help="TOML settings file [env: KG_CONFIG; default: ./kg.toml].")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")]
IrisOption = Annotated[bool, typer.Option("--iris", help="Show entities as IRIs (prefixed names) instead of labels in a table.")]
ColumnsOption = Annotated[
    Optional[str],
    typer.Option("--columns", "-c", metavar="COL,COL…", help="Only these columns, in this order (comma-separated)."),
]
LimitOption = Annotated[int, typer.Option("--limit", min=0, metavar="N", help="Show the first N rows only (0 = all).")]


def settings_from(config: Path | None = None, **flags: Any) -> Settings:
    settings = load_settings(config, **flags)
    state["max_memory"] = settings.max_memory
    state["settings"] = settings
    return settings


MEMORY_EXIT = 1
MEMORY_POLL_SECONDS = 0.1


def memory_cap_mib(setting: int) -> int:
    """The ``max_memory`` setting in MiB, 0 meaning three quarters of the machine's memory (0 if
    the machine cannot tell)."""
    if setting:
        return setting
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") * 3 // 4 // (1024 * 1024)
    except (ValueError, OSError):
        return 0


def _damage(settings: Settings | None) -> KGError | None:
    """Why the store of ``settings`` is damaged, if it is an on-disk store and it is."""
    if settings is None or settings.store_is_remote:
        return None
    # loaded by name, as the command table loads a command's module: every command module
    # imports the store already, but kg --help must not pay for it
    local = importlib.import_module("kg.store.local")
    return local.LocalStore(settings).find_damage()


def guard_memory() -> None:
    """Stop this process with one line when its resident memory passes the ``max_memory``
    setting: a thread reads it from ``/proc`` ten times a second (Oxigraph releases Python's
    lock while it evaluates, so the thread runs while a query grows), and ends the process,
    since nothing can interrupt a query inside the store. A query over damaged files can grow so
    (Oxigraph aggregates the read errors): the on-disk store is then read quad by quad, which
    reports the damage, and that is the line shown. Started by the ``kg`` command only
    (:func:`kg.cli.app.main`), never in a library caller's process."""
    if state.get("memory_guard") or not os.path.exists("/proc/self/statm"):
        return
    page = os.sysconf("SC_PAGE_SIZE")

    def watch() -> None:
        while True:
            time.sleep(MEMORY_POLL_SECONDS)
            cap = memory_cap_mib(state.get("max_memory", 0))
            try:
                with open("/proc/self/statm", "rb") as handle:
                    used = int(handle.read().split()[1]) * page // (1024 * 1024)
            except (OSError, ValueError, IndexError):
                return
            if cap and used > cap:
                damage = _damage(state.get("settings"))
                if damage is not None:  # reads of damaged files can grow without bound
                    err.print(f"kg: error: {printable(str(damage))}", markup=False, highlight=False)
                    os._exit(damage.exit_code)
                err.print(
                    f"kg: error: stopped at {used:,} MiB of memory, over the max_memory setting "
                    f"({cap:,} MiB; KG_MAX_MEMORY); narrow the query, or raise the setting",
                    markup=False, highlight=False,
                )
                os._exit(MEMORY_EXIT)

    state["memory_guard"] = threading.Thread(target=watch, name="kg-memory-guard", daemon=True)
    state["memory_guard"].start()


INTERNAL_ERROR_EXIT = 70
"""Exit code of an error kg did not foresee (``EX_SOFTWARE``): still one line, no traceback."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with control characters (a line break in a file name or an id) escaped, so a
    message stays one line and cannot move the terminal's cursor.

    >>> printable("two\\nlines")
    'two\\\\nlines'
    """
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def columns_list(columns: str | None) -> list[str] | None:
    """``--columns a,b`` as a list (None when not given)."""
    if columns is None:
        return None
    names = [c.strip() for c in columns.split(",") if c.strip()]
    if not names:
        raise typer.BadParameter("name at least one column", param_hint="--columns")
    return names


def _one_line(message: Warning | str, category: type[Warning], filename: str, lineno: int,
              file: Any = None, line: str | None = None) -> None:
    """Warnings (kg's and libraries') as one line on stderr, without a source line."""
    text = " ".join(str(message).split())
    err.print(f"kg: warning: {text}", markup=False, highlight=False)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn errors into one line on stderr and an exit code: a library error's own, 74 for an
    operating system error (``EX_IOERR``), :data:`INTERNAL_ERROR_EXIT` for anything else;
    tracebacks only with ``kg --debug``. Warnings are shown as one line each."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        shown = warnings.showwarning
        if not state["debug"]:
            warnings.showwarning = _one_line
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, TyperException):  # typer's own exits and usage errors
            raise
        except KGError as exc:
            if state["debug"]:
                raise
            err.print(f"kg: error: {printable(str(exc))}", markup=False, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("kg: interrupted", markup=False)
            raise typer.Exit(130) from None
        except OSError as exc:
            if state["debug"]:
                raise
            where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
            err.print(f"kg: error: {printable(exc.strerror or str(exc))}{printable(where)}", markup=False, highlight=False)
            raise typer.Exit(74) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, never a traceback
            if state["debug"]:
                raise
            detail = printable(" ".join(str(exc).split()))[:300]
            err.print(f"kg: internal error: {type(exc).__name__}: {detail} (run 'kg --debug …' for "
                      "the traceback, and please report it)", markup=False, highlight=False)
            raise typer.Exit(INTERNAL_ERROR_EXIT) from None
        finally:
            warnings.showwarning = shown

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
def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class ProgressLines:
    """Progress off a terminal: one line on stderr every :data:`PROGRESS_SECONDS` (and none for
    a job that ends sooner): what runs, done/total, the rate and the time left."""

    def __init__(self, verb: str, unit: str) -> None:
        self.verb, self.unit = verb, unit
        self.started = time.monotonic()
        self.last = self.started
        self.done, self.total, self.counts, self.description = 0, None, "", ""
        self.first: tuple[float, int] | None = None
        """When the first item was done, and how many were: the rate is measured from there,
        as what comes before it (loading the model) says nothing of the pace."""

    def update(self, *, completed: int | None = None, total: int | None = None, counts: str | None = None,
               description: str | None = None) -> None:
        if completed is not None:
            self.done = completed
            if self.first is None and completed > 0:
                self.first = (time.monotonic(), completed)
        if total is not None:
            self.total = total
        if counts is not None:
            self.counts = counts
        if description is not None:
            self.description = description
        now = time.monotonic()
        if now - self.last >= PROGRESS_SECONDS:
            self.last = now
            warn(self.line(now))

    def line(self, now: float) -> str:
        elapsed = now - self.started
        if self.total is None and not self.counts and self.description:  # a job of steps
            return f"kg: {self.description}, {_clock(elapsed)} elapsed"
        done = f"{self.done}/{self.total}" if self.total else str(self.done)
        head = f"kg: {self.verb} {done} {self.unit}" + (f" ({self.counts})" if self.counts else "")
        parts = [head, f"{_clock(elapsed)} elapsed"]
        if self.first is not None and self.done > self.first[1] and now > self.first[0]:
            rate = (self.done - self.first[1]) / (now - self.first[0])
            parts.append(f"{rate:.1f} {self.unit}/s")
            if self.total and self.total >= self.done:
                parts.append(f"ETA {_clock((self.total - self.done) / rate)}")
        return ", ".join(parts)


@contextlib.contextmanager
def live(disabled: bool, verb: str, unit: str, *columns: str) -> Iterator[Callable[..., None] | None]:
    """A display on stderr as a function updating its one task (rich's ``Progress.update``
    keywords ``completed``, ``total``, ``description`` and the field ``counts``); None when
    disabled. In a terminal it is a transient rich display of ``columns`` ("spinner", "bar",
    "count", "elapsed", "remaining" or a text template); off one, :class:`ProgressLines`."""
    if disabled:
        yield None
        return
    if not err.is_terminal:
        lines = ProgressLines(verb, unit)
        yield lines.update
        return
    kinds = {"spinner": rp.SpinnerColumn, "bar": rp.BarColumn, "count": rp.MofNCompleteColumn,
             "elapsed": rp.TimeElapsedColumn, "remaining": rp.TimeRemainingColumn}
    shown = [kinds[c]() if c in kinds else rp.TextColumn(c) for c in columns]
    with rp.Progress(*shown, console=err, transient=True) as display:
        task = display.add_task(verb, total=None, counts="")
        yield lambda **fields: display.update(task, **fields)


@contextlib.contextmanager
def build_progress(disabled: bool, total: int | None = None) -> Iterator[Callable[[str, str], None] | None]:
    """Articles done of ``total`` (when known), the counts so far, the time left, for
    :func:`kg.build.build_sources`."""
    with live(disabled, "building", "articles", "spinner", "{task.description}", "bar", "count",
              "{task.fields[counts]}", "elapsed", "remaining") as show:
        if show is None:
            yield None
            return
        counts = {"new": 0, "updated": 0, "skipped": 0, "failed": 0}
        show(total=total, completed=0)

        def update(event: str, name: str) -> None:
            counts[event] = counts.get(event, 0) + 1
            done = sum(counts.values())
            text = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
            show(description=f"building {name[:30]}", counts=text, completed=done,
                 total=max(total, done) if total else None)

        yield update


@contextlib.contextmanager
def count_progress(verb: str, unit: str, disabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A bar for a job that knows how many items it has: ``update(done, total)``."""
    with live(disabled, verb, unit, verb, "bar", "count", "elapsed", "remaining") as show:
        yield None if show is None else (lambda done, total: show(completed=done, total=total))


@contextlib.contextmanager
def status(disabled: bool) -> Iterator[Callable[[str], None] | None]:
    """A spinner saying which step of a long job runs, and for how long: ``step(what)``."""
    with live(disabled, "running", "steps", "spinner", "{task.description}", "elapsed") as show:
        if show is None:
            yield None
            return
        steps = [0]

        def step(what: str) -> None:
            steps[0] += 1
            show(description=what, completed=steps[0])

        yield step
