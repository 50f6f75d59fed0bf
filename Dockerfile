# syntax=docker/dockerfile:1
# CPU image: the HTTP / OpenAI-compatible / WebSocket server with the shipped voices baked in.
#
#   docker build -t speakeasy-tts:0.1.0 .
#   docker run --rm -p 8000:8000 speakeasy-tts:0.1.0
#   docker run --rm -p 10200:10200 speakeasy-tts:0.1.0 tts-wyoming --uri tcp://0.0.0.0:10200   # Home Assistant
#
# Base images are pinned to exact versions; pin them by digest too (python:3.11.14-slim-bookworm@sha256:…)
# where the registry you pull from is trusted to keep it, and let a bot bump both.

ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# ---- builder: a self-contained virtual environment in /opt/venv ------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# torch first, in its own layer: it is by far the largest dependency and changes least often.
# PyPI's torch wheel for x86_64 Linux is the CUDA build (several GB of nvidia-* wheels this image never
# uses), so the same pinned version (pyproject: torch==2.13.0) comes from PyTorch's CPU-only index.
# The project's own CI never uses that index; only image builds do.
ARG TORCH_VERSION=2.13.0
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
RUN pip install --index-url "${TORCH_INDEX_URL}" "torch==${TORCH_VERSION}"

# The package itself (not editable): everything else comes from PyPI. torch==2.13.0+cpu already
# satisfies the torch==2.13.0 pin, so pip keeps it.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install .

# ---- runtime ------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="speakeasy-tts" \
      org.opencontainers.image.description="Streaming neural text-to-speech (CPU)"

# A fixed numeric uid, so Kubernetes can check runAsNonRoot without a user database.
RUN groupadd --system --gid 10001 tts \
 && useradd --system --uid 10001 --gid tts --home-dir /home/tts --create-home --shell /usr/sbin/nologin tts

COPY --from=builder /opt/venv /opt/venv
# Voices are data, not code: installed into site-packages, the settings' default models/ path would
# point there, so they live in /app/models and TTS_VOICES_DIR says so.
COPY --chown=root:root models /app/models

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/home/tts \
    NUMBA_CACHE_DIR=/tmp/numba-cache \
    TTS_HOST=0.0.0.0 \
    TTS_PORT=8000 \
    TTS_VOICES_DIR=/app/models \
    TTS_DEVICE=cpu \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=4194304

WORKDIR /app
USER 10001:10001

# Fail the build, not the first request, if the voices are missing or cannot speak without a network:
# load every voice and synthesize once with networking switched off.
RUN --network=none python -c "import asyncio; from app.engine.engine import Engine; \
from app.engine.types import SynthesisOptions; from app.settings import Settings; \
e = Engine.from_settings(Settings()); a, _ = asyncio.run(e.synthesize('Hello there.', SynthesisOptions())); \
asyncio.run(e.close()); assert a.size > 0, 'no audio'"

EXPOSE 8000

# Liveness only (/health answers while voices still load); orchestrators should gate traffic on /ready.
# No curl in the slim image: the interpreter is already here.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:' + os.environ.get('TTS_PORT', '8000') + '/health', timeout=4)"]

CMD ["tts-server"]
