"""API fixtures: settings overrides on the shared app, and a live uvicorn for the OpenAI SDK."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

Override = Callable[..., AbstractContextManager[None]]


@pytest.fixture
def override(app: FastAPI) -> Override:
    """`with override(api_keys=["k"]):` -- the app reads app.state.settings per request/connection."""

    @contextmanager
    def swap(**updates: Any) -> Iterator[None]:
        original = app.state.settings
        app.state.settings = original.model_copy(update=updates)
        try:
            yield
        finally:
            app.state.settings = original

    return swap


@pytest.fixture(scope="session")
def live_url(app: FastAPI, client: TestClient) -> Iterator[str]:
    """The shared app behind a real uvicorn on 127.0.0.1:<random port>, running on the TestClient's own
    event loop (so the engine sees one loop) -- real HTTP, real chunked transfer."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # lifespan "off": the TestClient already ran it; uvicorn must not load or warm the engine again
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    assert client.portal is not None
    future = client.portal.start_task_soon(server.serve, [sock])
    deadline = time.monotonic() + 30
    while not server.started:
        assert not future.done(), future.exception()
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    future.result(timeout=30)
    sock.close()
