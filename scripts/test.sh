#!/usr/bin/env bash
# Set everything up (idempotently) and run the linters, the type checker and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/mypy  # strict on bpcalc/core and bpcalc/numbers (pyproject.toml)
# the tests' oracle: every kind of quantity has its case (numpy's results are Any)
.venv/bin/mypy --no-warn-return-any tests/oracle.py
.venv/bin/python -m pytest "$@"
