#!/usr/bin/env bash
# One command: set up and run the whole test suite, lint and type checks (CI runs exactly this).
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ] && ! command -v chromium >/dev/null; then
  # Debian programs the tests use: chromium drives the web page end to end
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; its test will be skipped"
fi
bash scripts/setup.sh dev,train
.venv/bin/ruff check app tests training benchmarks
.venv/bin/ruff format --check app tests training benchmarks
.venv/bin/mypy app training benchmarks
.venv/bin/mypy --explicit-package-bases tests  # no __init__.py there, and two conftest.py
.venv/bin/python -m pytest -q --cov=app --cov-report=term:skip-covered "$@"
