#!/usr/bin/env bash
# One command: set up and run the server on the embedded default voice (http://127.0.0.1:8000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/tts-server "$@"
