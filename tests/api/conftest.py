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

from app.api.server import server_config

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


@contextmanager
def serve(app: FastAPI, client: TestClient, sock: socket.socket, **overrides: Any) -> Iterator[str]:
    """The shared app behind a real uvicorn configured as `tts-server` runs it (app.api.server), on the
    TestClient's own event loop (so the engine sees one loop) -- real HTTP, real chunked transfer."""
    port = sock.getsockname()[1]
    # lifespan "off": the TestClient already ran it; uvicorn must not load or warm the engine again
    options = {"lifespan": "off", "log_level": "warning", **overrides}
    server = uvicorn.Server(server_config(app, app.state.settings, **options))
    assert client.portal is not None
    future = client.portal.start_task_soon(server.serve, [sock])
    deadline = time.monotonic() + 30
    while not server.started:
        assert not future.done(), future.exception()
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        future.result(timeout=30)
        sock.close()


def listening_socket() -> socket.socket:
    """A socket on 127.0.0.1:<random port>."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


Server = Callable[..., AbstractContextManager[str]]


@pytest.fixture(scope="session")
def live_server(app: FastAPI, client: TestClient) -> Server:
    """`with live_server(http=...) as url:` -- a server of its own for one test (uvicorn.Config overrides)."""

    def start(**overrides: Any) -> AbstractContextManager[str]:
        return serve(app, client, listening_socket(), **overrides)

    return start


@pytest.fixture(scope="session")
def live_url(live_server: Server) -> Iterator[str]:
    with live_server() as url:
        yield url
