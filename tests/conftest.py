"""Session-wide fixtures: one real engine (loading voices is the slow part) and one app serving it.

The app runs in one TestClient for the whole session, so every HTTP request, WebSocket and live server
shares one event loop with the engine.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import av
import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.api import create_app
from app.engine.engine import Engine
from app.settings import Settings

READY_TIMEOUT_S = 300.0  # warm-up on two busy cores; polled, not asserted as a timing

Decoder = Callable[..., tuple[np.ndarray, int]]


# End-to-end and training tests: `-m "not slow"` leaves them out of a quick run (CI runs everything).
SLOW = (
    "training/",  # training loops, export, quantization
    "api/test_fuzz_schema.py",  # schemathesis: thousands of generated requests
    "api/test_stream_properties.py",  # hypothesis over WebSocket message sequences
    "api/test_web_page.py",  # a real chromium
    "api/test_cli.py",  # subprocesses that load the engine
)
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.relative_to(TESTS).as_posix().startswith(SLOW):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def settings() -> Settings:
    # "testserver": the TestClient's Host; live servers are reached as 127.0.0.1 (allowed by default)
    return Settings(allowed_hosts=["testserver", *Settings().trusted_hosts()])


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = Engine.load(settings.engine_config())
    yield engine
    asyncio.run(engine.close())


@pytest.fixture(scope="session")
def app(settings: Settings, engine: Engine) -> FastAPI:
    return create_app(settings, engine)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while (response := client.get("/ready")).status_code != 200:
            assert response.json()["status"] == "loading", response.json()
            assert time.monotonic() < deadline, "the engine did not become ready"
            time.sleep(0.1)
        yield client


def decode_audio(data: bytes, fmt: str, sample_rate: int | None = None) -> tuple[np.ndarray, int]:
    """Decode with FFmpeg (PyAV), independently of our encoders: (mono float32 samples, sample rate).
    Headerless formats need `sample_rate`: pcm (s16le) and mulaw."""
    options: dict[str, str] = {}
    container_format: str | None = None
    if fmt in ("pcm", "mulaw"):
        assert sample_rate is not None, "raw formats carry no rate"
        container_format = "s16le" if fmt == "pcm" else "mulaw"
        options = {"sample_rate": str(sample_rate), "ch_layout": "mono"}
    with av.open(io.BytesIO(data), "r", format=container_format, options=options) as container:
        stream = container.streams.audio[0]
        pieces = [_as_float(frame.to_ndarray()) for frame in container.decode(stream)]
        rate = stream.codec_context.sample_rate
    return (np.concatenate(pieces) if pieces else np.zeros(0, np.float32)), rate


def _as_float(samples: np.ndarray) -> np.ndarray:
    if np.issubdtype(samples.dtype, np.integer):
        return (samples.astype(np.float32) / -np.iinfo(samples.dtype).min).reshape(-1)
    return samples.astype(np.float32).reshape(-1)


@pytest.fixture(scope="session")
def decode() -> Decoder:
    return decode_audio
