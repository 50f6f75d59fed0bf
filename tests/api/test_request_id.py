"""Every answer carries x-request-id: a sane id the client sent, else a new one."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_http_answers_carry_a_request_id(client: TestClient) -> None:
    first = client.get("/health").headers["x-request-id"]
    second = client.get("/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second
    assert client.get("/nowhere").headers["x-request-id"]  # errors too
    assert client.get("/health", headers={"x-request-id": "trace-42"}).headers["x-request-id"] == "trace-42"
    assert client.get("/health", headers={"x-request-id": "bad id\x01"}).headers["x-request-id"] != "bad id\x01"


def test_openai_sdk_sees_the_request_id(live_url: str) -> None:
    import openai

    sdk = openai.OpenAI(base_url=f"{live_url}/v1", api_key="unused", max_retries=0)
    models = sdk.models.with_raw_response.list()
    assert models.request_id and re.fullmatch(r"[0-9a-f]{32}", models.request_id)


def test_websocket_handshakes_carry_a_request_id(live_url: str) -> None:
    import asyncio

    import aiohttp

    async def handshake() -> str:
        async with aiohttp.ClientSession() as http, http.ws_connect(live_url + "/v1/stream") as ws:
            assert ws._response is not None
            return ws._response.headers["x-request-id"]

    assert re.fullmatch(r"[0-9a-f]{32}", asyncio.run(handshake()))
