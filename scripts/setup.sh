#!/usr/bin/env bash
# Create .venv and install the project with the given extras (default: none). Idempotent and offline-safe:
# everything comes from the package registries (PyPI, Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python3 -m venv .venv
# torch is pinned to the CPU build (2.13.0); an unpinned torch would pull a multi-GB CUDA build.
.venv/bin/python -m pip install -q --upgrade pip
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q -e ".[${extras}]"
else
  .venv/bin/python -m pip install -q -e .
fi
