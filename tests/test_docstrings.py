"""The examples in kg's docstrings run and give what they show, so the documentation stays true."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

KG_DIR = Path(__file__).resolve().parent.parent / "kg"
DOCUMENTED = sorted(
    ".".join(part for part in p.relative_to(KG_DIR).with_suffix("").parts if part != "__init__")
    for p in KG_DIR.rglob("*.py")
    if ">>> " in p.read_text(encoding="utf-8")
)


def test_some_modules_have_examples() -> None:
    assert {"iri", "queries.catalog", "queries.params", "store.base", "linking", "pipeline.dates", "text", "lexicon"} <= set(DOCUMENTED)


@pytest.mark.parametrize("module", DOCUMENTED)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"kg.{module}"), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
