"""Schemathesis against our own OpenAPI schema: generated requests to every HTTP operation, in-process.

The app under test shares the session's real engine but has a small text limit, so generated texts
stay cheap to synthesize (longer ones must be refused with a clean 413). Every response must be a
documented status with a body that matches the schema, no 5xx, and every 4xx must carry our JSON
error body. The run prints how many requests it made and how long it took (`pytest -s` not needed).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.python import asgi

from app.api import create_app
from app.engine.engine import Engine
from app.settings import Settings

# Hypothesis examples per operation in the fuzzing phase (operations without inputs stop after one);
# the examples and coverage phases add their own deterministic cases (~450 in all, unsupported methods
# included). 5 operations with a body x 200 + those > 1 000 requests. TTS_FUZZ_EXAMPLES=5: a quick run.
DEFAULT_EXAMPLES = 200
MAX_EXAMPLES = int(os.environ.get("TTS_FUZZ_EXAMPLES", str(DEFAULT_EXAMPLES)))
MIN_REQUESTS = 1000
BASE_URL = f"http://{asgi.HOST}"
READY_TIMEOUT_S = 300.0
# Every other built-in check runs: no 5xx, documented status codes, content types and headers, bodies
# that match the response schemas, schema-invalid requests refused. Not this one: a request can match
# the schema and still be refused, rightly, for what no schema expresses -- text with nothing speakable,
# both `text` and `ssml`, an empty lexicon pronunciation, an unknown voice name (4xx with our error body).
EXCLUDED_CHECKS = [checks.positive_data_acceptance]
ERROR_TYPES = {"invalid_request_error", "authentication_error", "permission_error", "not_found_error"}
FUZZ_MAX_TEXT_CHARS = 64  # generated text over this gets a 413 instead of seconds of synthesis


class Tally:
    def __init__(self) -> None:
        self.requests = 0
        self.by_status: dict[int, int] = {}
        self.by_path: dict[str, int] = {}
        self.app_requests = 0  # every HTTP request the app saw, the checks' own included
        self.started = time.perf_counter()

    def add(self, path: str, status: int) -> None:
        self.requests += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1
        self.by_path[path] = self.by_path.get(path, 0) + 1


TALLY = Tally()


def fuzz_settings() -> Settings:
    # any Host: the in-process client's base URL names no real server (the Host check has its own tests)
    return Settings(max_text_chars=FUZZ_MAX_TEXT_CHARS, allowed_hosts=["*"])


# The schema comes from an app that is only built, never started (building loads nothing); requests go
# to `fuzz_app` below, the same routes with the session's engine. (schemathesis' lazy `from_fixture`
# does not work with pytest 9.2, whose nodes no longer have `_nodeid`.)
schema = schemathesis.openapi.from_dict(create_app(fuzz_settings()).openapi())


@pytest.fixture(scope="module")
def fuzz_app(engine: Engine) -> FastAPI:
    return create_app(fuzz_settings(), engine)


@pytest.fixture
def fuzz_client(fuzz_app: FastAPI) -> Iterator[Any]:
    """A requests session that calls the app in-process. Entering it runs the app's lifespan on
    schemathesis' own event loop (its plugin ends the lifespan after every test, hence per test); the
    engine's scheduler answers each job on the loop that submitted it, so sharing the engine is fine."""

    async def counting(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            TALLY.app_requests += 1
        await fuzz_app(scope, receive, send)

    with asgi.get_client(counting) as client:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while (response := client.get(f"{BASE_URL}/ready")).status_code != 200:  # the lifespan warms up
            assert response.json()["status"] == "loading", response.json()
            assert time.monotonic() < deadline, "the app did not become ready"
            time.sleep(0.1)
        yield client


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if TALLY.requests:
        seconds = time.perf_counter() - TALLY.started
        line = (
            f"schemathesis: {TALLY.requests} generated requests ({TALLY.app_requests} reached the app, "
            f"counting the checks' own) in {seconds:.1f} s; statuses {dict(sorted(TALLY.by_status.items()))}; "
            f"per path {TALLY.by_path}"
        )
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled() if capture is not None else contextlib.nullcontext():
            print(f"\n{line}")
        # the whole run's size, checked once it is over (a test after it would depend on the order of tests)
        if MAX_EXAMPLES >= DEFAULT_EXAMPLES and not request.config.option.keyword:
            assert TALLY.requests >= MIN_REQUESTS, TALLY.by_path


def check_error_body(response: Any) -> None:
    """4xx: OpenAI's error shape, as every route promises (app/api/errors.py)."""
    content_type = response.headers.get("content-type", [""])[0]  # schemathesis: header -> list of values
    assert content_type.startswith("application/json"), response.headers
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"message", "type", "param", "code"}, error
    assert isinstance(error["message"], str) and error["message"], error
    assert isinstance(error["code"], str) and error["code"], error
    assert error["param"] is None or isinstance(error["param"], str), error
    assert error["type"] in ERROR_TYPES, error


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_schema(case: Any, fuzz_client: Any) -> None:
    if TALLY.requests == 0:
        TALLY.started = time.perf_counter()
    response = case.call_and_validate(base_url=BASE_URL, session=fuzz_client, excluded_checks=EXCLUDED_CHECKS)
    TALLY.add(case.path, response.status_code)
    assert response.status_code < 500, response.text
    if 400 <= response.status_code < 500:
        check_error_body(response)
