#!/usr/bin/env bash
# One command: set up and run the server on the embedded default voice (http://127.0.0.1:8000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# two malloc arenas instead of glibc's 8 per core: with two inference workers RSS 740 -> 576-590 MiB
# (benchmarks/LAB-LOG.md); read only at process start, hence here and in the Dockerfile
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-4194304}"  # see app/cli.py MALLOC_SETTINGS
exec .venv/bin/tts-server "$@"
