"""kg: build a knowledge graph of who did what, where and when from news articles.

The package is a library first; ``kg.cli`` is a thin command-line layer over it. The facade for
notebooks and scripts (:mod:`kg.api`, ``docs/api.md``) is loaded on first use, so ``import kg``
stays cheap:

* ``kg.open(store)`` -> a :class:`~kg.api.KnowledgeGraph` (``.build``, ``.query``,
  ``.entities``, ``.show``, ``.export``);
* ``kg.extract(text, date=…)`` -> the :class:`~kg.model.Extraction` of one text, no store.
"""

from __future__ import annotations

import sys
import types
from typing import Any

__version__ = "0.1.0"

from kg.errors import KGError  # noqa: E402

__all__ = ["KGError", "KnowledgeGraph", "__version__", "extract", "open"]

_FACADE = ("KnowledgeGraph", "open")


class _Package(types.ModuleType):
    """The ``kg`` package, whose ``extract`` is the facade function although ``kg.extract`` is
    also the module of the extraction stage: the import system records that submodule here when
    it loads it (the setter keeps nothing), and ``from kg.extract import …`` still reaches the
    module through ``sys.modules``."""

    @property
    def extract(self) -> Any:
        """:func:`kg.api.extract`, imported on first use."""
        from kg import api

        return api.extract

    @extract.setter
    def extract(self, module: Any) -> None:
        pass


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    """``kg.open``, ``kg.extract`` and ``kg.KnowledgeGraph`` from :mod:`kg.api`, imported on
    first use (it loads spaCy, the store and the queries)."""
    if name in _FACADE:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_FACADE, "extract"})
