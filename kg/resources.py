"""Where kg's bundled files live: ``ontology/``, ``queries/`` and ``data/gazetteer/``.

In a source checkout (or an editable install) they sit next to the ``kg`` package; a wheel
installs them under ``<prefix>/share/kg/`` (``[tool.setuptools.data-files]``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def resource_dir(*parts: str) -> Path:
    """The first existing ``ROOT/parts`` or ``<prefix>/share/kg/<last part>`` directory."""
    candidates = [ROOT.joinpath(*parts), Path(sys.prefix, "share", "kg", parts[-1])]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]
