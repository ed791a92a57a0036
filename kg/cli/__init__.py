"""The ``kg`` command line: a thin typer layer over the library.

Each command parses its arguments, calls one library function and prints the result
(:mod:`kg.cli.render`). Library errors (:class:`kg.errors.KGError`) become one line on stderr
and the exit code the README lists (2 for a usage error); ``--debug`` shows the traceback
instead (:mod:`kg.cli.common`). Option values with a fixed set of choices are enums, so
``--help`` lists them and shell completion offers them.

One module per command group, loaded only when one of its commands runs (:mod:`kg.cli.app`):

* :mod:`kg.cli.build` — ``build``, ``remove``, ``import``;
* :mod:`kg.cli.store` — ``stats``, ``export`` (RDF formats, and :mod:`kg.export`'s views);
* :mod:`kg.cli.browse` — ``entities``, ``show``;
* :mod:`kg.cli.link` — ``link``;
* :mod:`kg.cli.query` — ``query``, ``queries``;
* :mod:`kg.cli.check` — ``validate``, ``reason``;
* :mod:`kg.cli.ontology` — ``ontology``;
* :mod:`kg.cli.evaluate` — ``eval``.

A command group's module imports what its commands need, so commands that need different heavy
libraries (the linker, pySHACL and owlrl, rdflib) live in different modules.
"""

from __future__ import annotations

from kg.cli.app import app, main

__all__ = ["app", "main"]
