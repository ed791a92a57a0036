"""One SPARQL query in a process of its own, so it can be stopped: run as a script by
:class:`kg.store.local.LocalStore` (``python -I -S query_process.py SITE``), never imported by kg.

Oxigraph cannot cancel a running query, and a query that sorts or groups a huge intermediate
answer (an ``ORDER BY`` over a cartesian product) allocates gigabytes before its first row. In
a process of its own such a query is killed when it outgrows the ``query_max_memory`` setting
or outlasts its timeout, and the caller gets a clear error instead of a machine out of memory.

The protocol, over pipes: the parent writes one pickled request on stdin (the store path,
whether to open it read-only, the query, its prefixes, substitutions and dataset, and the
most rows to write, or None); the child writes the kind of answer on the first line of stdout (``select``,
``graph``, ``ask true`` / ``ask false``), then the answer as SPARQL TSV results (select) or
N-Triples (graph), serialised by Oxigraph, at most ``rows`` rows (one more tells the parent
there were more). Errors are one line on stderr and an exit code of :data:`EXIT_CODES`.

This file imports only the standard library and pyoxigraph (from the folder its parent names),
so the child starts in a few tens of milliseconds; kg imports it for :data:`EXIT_CODES` only.
"""

import os
import sys

if __name__ == "__main__":
    # started as ``python -I -S query_process.py SITE``: no site-packages processing (a tenth of
    # a second with an editable install), pyoxigraph from SITE, and never this file's folder,
    # which holds kg.store's other modules, on the path
    _here = os.path.dirname(os.path.abspath(__file__))
    sys.path = [p for p in sys.path if os.path.abspath(p) != _here]
    if len(sys.argv) > 1:
        sys.path.insert(0, sys.argv[1])

import pickle  # noqa: E402
import time  # noqa: E402

import pyoxigraph as ox  # noqa: E402

EXIT_CODES = {"syntax": 3, "corrupt": 4, "locked": 5, "failed": 6, "missing": 7}
"""Exit code of each kind of failure (0 for an answer)."""


class _Enough(Exception):
    """Raised by :class:`_LineLimit` to stop a serialisation after the rows wanted."""


class _LineLimit:
    """A binary writer passing on at most ``lines`` lines, then stopping the serialiser."""

    def __init__(self, output, lines: int) -> None:
        self.output, self.left = output, lines

    def write(self, data) -> int:
        data = bytes(data)
        cut = 0
        while self.left > 0:
            found = data.find(b"\n", cut)
            if found < 0:
                self.output.write(data)
                return len(data)
            cut = found + 1
            self.left -= 1
        self.output.write(data[:cut])
        raise _Enough()

    def flush(self) -> None:
        self.output.flush()


def _fail(kind: str, message: str) -> None:
    sys.stderr.write(" ".join(str(message).split()) + "\n")
    sys.stderr.flush()
    os._exit(EXIT_CODES[kind])


def _open(path: str, read_only: bool, wait: float) -> "ox.Store":
    if not os.path.exists(os.path.join(path, "CURRENT")):
        _fail("missing", f"no store at {path}")
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            return ox.Store.read_only(path) if read_only else ox.Store(path)
        except OSError as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                _fail("locked" if "lock" in str(exc).lower() else "failed", str(exc))
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        except RuntimeError as exc:
            _fail("corrupt" if "corruption" in str(exc).lower() else "failed", str(exc))


def main() -> None:
    request = pickle.load(sys.stdin.buffer)
    db = _open(request["path"], request["read_only"], request["wait"])
    output = sys.stdout.buffer
    try:
        answer = db.query(
            request["sparql"],
            prefixes=request["prefixes"],
            substitutions={ox.Variable(k): v for k, v in request["substitutions"].items()} or None,
            **request["dataset"],
        )
        if isinstance(answer, (bool, ox.QueryBoolean)):
            output.write(b"ask true\n" if bool(answer) else b"ask false\n")
        elif isinstance(answer, ox.QuerySolutions):
            output.write(b"select\n")  # then the TSV header line and the rows
            header = 1
            rows = request["rows"]
            answer.serialize(output if rows is None else _LineLimit(output, rows + header),
                             format=ox.QueryResultsFormat.TSV)
        else:
            output.write(b"graph\n")
            rows = request["rows"]
            answer.serialize(output if rows is None else _LineLimit(output, rows), format=ox.RdfFormat.N_TRIPLES)
    except _Enough:
        pass
    except SyntaxError as exc:
        _fail("syntax", str(exc))
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        _fail("corrupt" if "corruption" in str(exc).lower() else "failed", str(exc))
    output.flush()
    os._exit(0)  # no clean-up of the database handle needed for a read


if __name__ == "__main__":
    main()
