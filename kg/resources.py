"""Where kg's bundled files live: ``ontology/``, ``queries/`` and ``data/``.

In a source checkout (or an editable install) they sit next to the ``kg`` package; a wheel
installs them under ``<prefix>/share/kg/`` (``[tool.setuptools.data-files]``).

Every SPARQL text kg runs is a file under ``queries/``: the bundled queries users run by name
(``queries/*.rq``), the queries kg runs for itself (``queries/internal/*.rq``: the store's
bookkeeping, the entity index, browsing) and the evaluation's (``queries/eval/*.rq``).
:func:`sparql` reads one of them.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def resource_dir(*parts: str) -> Path:
    """The first existing ``ROOT/parts`` or ``<prefix>/share/kg/parts`` directory."""
    candidates = [ROOT.joinpath(*parts), Path(sys.prefix, "share", "kg", *parts)]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


@functools.lru_cache(maxsize=128)
def sparql(name: str) -> str:
    """The text of ``queries/<name>.rq`` (``internal/article-hashes``, ``eval/roles``…).

    Raises:
        FileNotFoundError: no such bundled file (a broken installation).
    """
    folder, _, stem = name.rpartition("/")
    path = resource_dir("queries", *filter(None, folder.split("/"))) / f"{stem}.rq"
    return path.read_text(encoding="utf-8")
