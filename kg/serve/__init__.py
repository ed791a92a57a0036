"""``kg serve``: explore the graph in a browser.

A read-only web application over a store (:func:`create_app`, Starlette on uvicorn):

* ``/sparql`` — the SPARQL 1.1 Protocol (GET, POST form, POST ``application/sparql-query``);
  results as JSON, XML, CSV or TSV and graphs as Turtle, N-Triples or JSON-LD, by ``Accept``;
  the union of the article graphs is the default graph; updates are refused (403), each query
  has a time limit and a row cap (``serve_*`` settings), and ``SERVICE`` needs ``--online``;
* ``/query`` — the bundled queries with their parameters as form fields, and a SPARQL editor
  (YASGUI's YASQE, vendored in ``static/vendor/yasqe`` with its licences, over a plain form);
* ``/entity/…``, ``/article/…``, ``/search``, ``/articles``, ``/timeline``, ``/troops``,
  ``/map`` — pages, each with a JSON twin at the same path plus ``.json``.

Everything the browser loads comes from the server (``kg/serve/static``), drawings are SVG
rendered on the server (:mod:`kg.serve.svg`), and the map's outlines are a file derived from
Natural Earth (``scripts/build_outlines.py``), so it all works offline.
"""

from __future__ import annotations

from kg.serve.app import CSP, LOOPBACK_HOSTS, create_app
from kg.serve.run import is_loopback, serve

__all__ = ["CSP", "LOOPBACK_HOSTS", "create_app", "is_loopback", "serve"]
