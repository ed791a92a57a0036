"""kg: build a knowledge graph of who did what, where and when from news articles.

The package is a library first; ``kg.cli`` is a thin command-line layer over it.
"""

from __future__ import annotations

__version__ = "0.1.0"

from kg.errors import KGError  # noqa: E402

__all__ = ["KGError", "__version__"]
