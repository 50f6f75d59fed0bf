"""Hostile clients (issue 25): bounded work per request, slow readers and senders cut off, keys kept secret.

Real uvicorn servers configured as `tts-server` runs them (app.api.server), real sockets, real synthesis.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import httpx
import psutil
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from app.api import create_app
from app.api.guards import RedactCredentials, host_allowed, origin_allowed, redact
from app.api.server import header_timeout_protocol
from app.engine.engine import Engine
from app.settings import Settings

Override = Callable[..., AbstractContextManager[None]]
Server = Callable[..., AbstractContextManager[str]]

LONG_TEXT = "Nobody is reading any of this audio, sentence after sentence after sentence. " * 40


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture(scope="module")
def tight_url(live_server: Server) -> Iterator[str]:
    """A live server whose connections have a fixed 4 KiB send buffer: a client that stops reading fills the
    path in about a second of audio instead of the megabytes loopback autotuning allows."""
    with live_server(http=header_timeout_protocol(10.0, close_grace_s=1.0, send_buffer=4096)) as url:
        yield url


def _address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").split(":")
    return host, int(port)


def _client_socket(url: str, receive_buffer: int) -> socket.socket:
    """A connected socket with a fixed receive window. A non-reader takes a tiny one (4 KiB); a steady reader a
    modest one (32 KiB): loopback's 64 KiB segments and an autotuned window would otherwise let the server's
    sends wait seconds between window updates, however steadily it is read."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.settimeout(10)
    sock.connect(_address(url))
    return sock


def _non_reader(url: str) -> socket.socket:
    return _client_socket(url, 4096)


def _reader(url: str) -> socket.socket:
    return _client_socket(url, 32768)


@pytest.fixture
def engine_limits(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """engine_limits(max_spoken_words=100): the engine's own limits (EngineConfig), for one test."""

    def set_limits(**limits: Any) -> None:
        monkeypatch.setattr(engine, "config", dataclasses.replace(engine.config, **limits))

    return set_limits


def _server_side_open(client: socket.socket) -> bool:
    """Is the server's end of this connection still open (in this process: the live servers run here)?"""
    peer = client.getsockname()
    return any(c.raddr and tuple(c.raddr) == peer for c in psutil.Process().net_connections(kind="tcp"))


def _errors(app: FastAPI, kind: str) -> float:
    return app.state.metrics.registry.get_sample_value("tts_errors_total", {"kind": kind}) or 0.0


# -- 1, 2: clients that stop reading --------------------------------------------------------------------


@pytest.mark.parametrize("stream_format", ["audio", "sse"])
def test_an_http_stream_nobody_reads_gives_its_engine_slot_back(
    tight_url: str, app: FastAPI, engine: Engine, override: Override, stream_format: str
) -> None:
    before = _errors(app, "slow_consumer")
    body = json.dumps({"model": "tts-1", "voice": "alloy", "input": LONG_TEXT[:4000], "response_format": "pcm",
                       "stream_format": stream_format}).encode()  # fmt: skip
    with override(send_timeout_s=1.0), _non_reader(tight_url) as sock:
        sock.sendall(b"POST /v1/audio/speech HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(body), body))  # fmt: skip
        assert sock.recv(12) == b"HTTP/1.1 200"
        assert wait_until(lambda: engine.active_streams() == 0), "the stalled stream kept its engine slot"
        assert _errors(app, "slow_consumer") == before + 1
        # our end is still open and unread: the server gave up on it, and its socket goes too
        assert wait_until(lambda: not _server_side_open(sock)), "the server kept the connection"


def _read_paced(sock: socket.socket, bytes_per_s: float, until: Callable[[], bool], limit_s: float) -> bytes:
    """Read `bytes_per_s` in small, steady sips until `until()`, the response's last chunk or the connection's
    end; what was read."""
    got, started = bytearray(), time.monotonic()
    while not until() and time.monotonic() - started < limit_s and not got.endswith(b"\r\n0\r\n\r\n"):
        data = sock.recv(max(1, int(bytes_per_s / 20)))
        if not data:
            break
        got += data
        time.sleep(max(0.0, len(got) / bytes_per_s - (time.monotonic() - started)))
    return bytes(got)


def _openai_request(text: str) -> bytes:
    body = json.dumps({"model": "tts-1", "voice": "alloy", "input": text, "response_format": "pcm"}).encode()
    return (b"POST /v1/audio/speech HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body))  # fmt: skip


PCM_BYTES_PER_S = 24_000 * 2  # the OpenAI route's pcm: 24 kHz, 16 bit


def test_a_client_that_reads_a_steady_trickle_gives_its_engine_slot_back(
    tight_url: str, app: FastAPI, engine: Engine, override: Override
) -> None:
    # Every single send goes out within send_timeout_s (a message holds at most 1.5 s of audio; with the one
    # queued before it, read in 6 s at this pace), but at half real time 40 sentences would hold the slot for
    # minutes. Waited on the client: about t; allowed: 9 + 0.5 t / 2.0, so it is cut off after about 12 s.
    before = _errors(app, "slow_consumer")
    with override(send_timeout_s=9.0, min_read_rate=2.0), _reader(tight_url) as sock:
        sock.sendall(_openai_request(LONG_TEXT[:4000]))
        assert sock.recv(12) == b"HTTP/1.1 200"
        started = time.monotonic()
        got = _read_paced(sock, 0.5 * PCM_BYTES_PER_S, until=lambda: engine.active_streams() == 0, limit_s=40)
        assert engine.active_streams() == 0, "the trickling client kept its engine slot"
        assert 4 < time.monotonic() - started < 20
        assert len(got) > 2 * PCM_BYTES_PER_S  # it did read, steadily
        assert wait_until(lambda: _errors(app, "slow_consumer") == before + 1)


def test_a_client_that_reads_in_real_time_gets_all_its_audio(
    tight_url: str, app: FastAPI, engine: Engine, override: Override
) -> None:
    before = _errors(app, "slow_consumer")
    with override(send_timeout_s=4.0, min_read_rate=1.0), _reader(tight_url) as sock:
        sock.sendall(_openai_request("A player reads this as it plays it, no faster. " * 3))
        got = _read_paced(sock, PCM_BYTES_PER_S, until=lambda: False, limit_s=60)
    assert got.startswith(b"HTTP/1.1 200") and got.endswith(b"\r\n0\r\n\r\n")  # the whole response
    assert len(got) > 3 * PCM_BYTES_PER_S  # more than three seconds of speech
    assert _errors(app, "slow_consumer") == before


def test_a_websocket_nobody_reads_is_closed(tight_url: str, app: FastAPI, engine: Engine, override: Override) -> None:
    gauge = app.state.metrics.websocket_connections
    sock = _non_reader(tight_url)
    ws_url = tight_url.replace("http://", "ws://") + "/v1/stream"
    with override(send_timeout_s=1.0), connect(ws_url, sock=sock, max_queue=1) as ws:
        ws.send(json.dumps({"type": "start", "context_id": "a"}))
        ws.send(json.dumps({"type": "start", "context_id": "b"}))
        for context in "ab":
            ws.send(json.dumps({"type": "text", "context_id": context, "text": LONG_TEXT}))
            ws.send(json.dumps({"type": "close", "context_id": context}))
        assert wait_until(lambda: gauge._value.get() == 0), "the socket stayed open"
        assert engine.active_streams() == 0
        assert wait_until(lambda: not _server_side_open(sock)), "the server kept the connection"
        deadline = time.monotonic() + 30
        with pytest.raises(ConnectionClosed):  # what was in flight drains, then the connection ends
            while time.monotonic() < deadline:
                ws.recv(timeout=10)


def test_a_websocket_that_reads_a_steady_trickle_is_closed(
    tight_url: str, app: FastAPI, engine: Engine, override: Override
) -> None:
    # one 50 ms audio message every 0.1 s: half real time, every single send in time. Made for it: about
    # 0.5 t plus the outbox (10 s); allowed to wait: 4 + that / 2.0, so it is cut off after about 12 s.
    gauge = app.state.metrics.websocket_connections
    ws_url = tight_url.replace("http://", "ws://") + "/v1/stream"
    received, started = 0, time.monotonic()
    with override(send_timeout_s=4.0, min_read_rate=2.0), connect(ws_url, sock=_reader(tight_url), max_queue=1) as ws:
        ws.send(json.dumps({"type": "start", "context_id": "a"}))
        ws.send(json.dumps({"type": "text", "context_id": "a", "text": LONG_TEXT}))
        ws.send(json.dumps({"type": "close", "context_id": "a"}))
        with pytest.raises(ConnectionClosed):
            while time.monotonic() - started < 40:
                ws.recv(timeout=10)
                received += 1
                time.sleep(0.1)
    assert time.monotonic() - started < 30, "the trickling client kept its socket"
    assert received > 50  # it did read, steadily
    assert wait_until(lambda: gauge._value.get() == 0 and engine.active_streams() == 0)


# -- 3-6: work bounded per request ---------------------------------------------------------------------


def test_an_overlong_lexicon_pronunciation_is_refused(client: TestClient) -> None:
    response = client.post("/v1/tts", json={"text": "a.", "lexicon": {"a": "AA1 " * 1200}})
    assert response.status_code == 422
    assert response.json()["error"]["param"].startswith("lexicon")
    response = client.post("/v1/tts", json={"text": "a.", "lexicon": {"a": " "}})
    assert response.status_code == 422  # an empty pronunciation, refused by the schema as documented


def test_lexicon_phonemes_count_toward_the_spoken_length_limit(client: TestClient, engine_limits) -> None:
    text = "a " * 30 + "."
    long_a = " ".join(["AA1", "B", "K"] * 13)  # 39 phonemes: about 10 words' worth each time it is read
    engine_limits(max_spoken_words=100)
    assert client.post("/v1/tts", json={"text": text, "format": "pcm"}).status_code == 200
    response = client.post("/v1/tts", json={"text": text, "lexicon": {"a": long_a}})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "speech_too_long"


def test_ssml_is_bounded_like_text(client: TestClient, engine_limits) -> None:
    engine_limits(max_spoken_words=500)
    many = "<speak>" + '<sub alias="999999999999999">x</sub> ' * 100 + "</speak>"
    response = client.post("/v1/tts", json={"ssml": many})
    assert response.status_code == 413  # 100 x 15 digits read out is more than the limit
    assert response.json()["error"]["code"] == "speech_too_long"
    assert client.post("/v1/tts", json={"text": "999999999999999 " * 100}).status_code == 413  # as text
    assert client.post("/v1/tts", json={"ssml": "<speak>" + "word " * 600 + "</speak>"}).status_code == 413


def test_deep_ssml_nesting_is_a_clear_4xx(client: TestClient) -> None:
    deep = "<speak>" + "<s>" * 580 + "hi" + "</s>" * 580 + "</speak>"
    response = client.post("/v1/tts", json={"ssml": deep})
    assert response.status_code == 422
    assert "nest" in response.json()["error"]["message"]


def test_ssml_silence_counts_toward_the_audio_duration_limit(client: TestClient, engine_limits) -> None:
    breaks = "<speak>hello" + '<break time="10s"/>' * 200 + "</speak>"
    response = client.post("/v1/tts/timestamps", json={"ssml": breaks, "sample_rate": 48000})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "audio_too_long"
    engine_limits(max_audio_s=25.0)  # under the limit, the same markup is spoken, silence included
    ok = client.post("/v1/tts", json={"ssml": "<speak>hello" + '<break time="10s"/>' * 2 + "</speak>"})
    assert ok.status_code == 200
    assert float(ok.headers["x-audio-duration"]) > 20.0
    refused = client.post("/v1/tts", json={"ssml": "<speak>hello" + '<break time="10s"/>' * 3 + "</speak>"})
    assert refused.status_code == 413


# -- 7: headers and bodies ---------------------------------------------------------------------------


def test_an_oversized_header_is_refused(live_url: str) -> None:
    with httpx.Client(base_url=live_url, timeout=30) as http:
        response = http.get("/health", headers={"x-padding": "a" * 64 * 1024})
        assert response.status_code == 431 and response.json()["error"]["code"] == "headers_too_large"
        assert http.get("/health").status_code == 200
    with socket.create_connection(_address(live_url), timeout=10) as sock:  # more than h11 buffers: refused
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 1024 * 1024 + b"\r\n\r\n")
        assert sock.recv(64).startswith(b"HTTP/1.1 4")


def test_a_client_trickling_its_headers_is_disconnected(live_server: Server) -> None:
    with live_server(http=header_timeout_protocol(0.5)) as url:
        with socket.create_connection(_address(url), timeout=10) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
            started = time.monotonic()
            assert sock.recv(1024) == b""  # closed by the server
            assert time.monotonic() - started < 8
        with socket.create_connection(_address(url), timeout=10) as sock:  # one that says nothing at all
            assert sock.recv(1024) == b""


def test_slow_and_oversized_bodies(live_url: str, override: Override) -> None:
    with override(body_timeout_s=0.5), socket.create_connection(_address(live_url), timeout=10) as sock:
        sock.sendall(b"POST /v1/tts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"text\": ")  # fmt: skip
        reply = b""
        while chunk := sock.recv(4096):  # the server answers and closes
            reply += chunk
        assert reply.startswith(b"HTTP/1.1 408")
        assert b'"body_timeout"' in reply
    with httpx.Client(base_url=live_url, timeout=30) as http, override(max_body_bytes=2048):
        response = http.post("/v1/tts", content=b"x" * 4096, headers={"content-type": "application/json"})
        assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"

        def chunks() -> Iterator[bytes]:  # chunked: no Content-Length to refuse up front
            for _ in range(4):
                yield b"y" * 1024

        response = http.post("/v1/tts", content=chunks(), headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert http.post("/v1/tts", json={"text": "Fine."}).status_code == 200


# -- 8: credentials out of the logs -------------------------------------------------------------------


def test_api_keys_in_query_strings_never_reach_the_log(
    live_url: str, override: Override, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "sk-very-secret-key-123"
    access = logging.getLogger("uvicorn.access")
    access.addHandler(caplog.handler)  # uvicorn's access logger does not propagate to the root
    try:
        with caplog.at_level(logging.INFO, logger="uvicorn.access"), caplog.at_level(logging.INFO, "uvicorn.error"):
            with override(api_keys=[secret]):
                ws_url = live_url.replace("http://", "ws://") + f"/v1/stream?api_key={secret}"
                with connect(ws_url) as ws:
                    ws.send(json.dumps({"type": "close_socket"}))
                httpx.get(f"{live_url}/v1/voices?api_key={secret}&x=1", timeout=30)
            time.sleep(0.2)
    finally:
        access.removeHandler(caplog.handler)
    lines = [record.getMessage() for record in caplog.records]
    assert any("api_key=[redacted]" in line for line in lines), lines
    assert not any(secret in line for line in lines)


def test_redaction_of_every_credential_parameter() -> None:
    assert redact("GET /v1/stream?api_key=abc&voice=joe") == "GET /v1/stream?api_key=[redacted]&voice=joe"
    assert redact("/ws?token=t0k&xi-api-key=k&x=1") == "/ws?token=[redacted]&xi-api-key=[redacted]&x=1"
    # percent-encoded names reach the same parameter (the server decodes them before it reads the key)
    assert redact("/v1/stream?api%5Fkey=s3&API%5FKEY=s4&monkey=ok") == (
        "/v1/stream?api%5Fkey=[redacted]&API%5FKEY=[redacted]&monkey=ok"
    )
    assert redact("/v1/stream?%61pi_key=s5") == "/v1/stream?%61pi_key=[redacted]"
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("1.2.3.4:5", "GET", "/v1/stream?api_key=zz", "1.1", 101), None)  # fmt: skip
    RedactCredentials().filter(record)
    assert "zz" not in record.getMessage()


# -- 9: Origin and Host ------------------------------------------------------------------------------


def test_websocket_origin_must_be_same_origin_or_allowed(client: TestClient, override: Override) -> None:
    origin = {"origin": "https://evil.example"}
    with pytest.raises(WebSocketDenialResponse) as refused, client.websocket_connect("/v1/stream", headers=origin):
        pass
    assert refused.value.status_code == 403
    assert refused.value.json()["error"]["code"] == "origin_not_allowed"
    with client.websocket_connect("/v1/stream", headers={"origin": "http://testserver"}) as ws:
        ws.send_json({"type": "close_socket"})
    allowed = {"origin": "https://app.example"}
    with override(cors_origins=["https://app.example"]), client.websocket_connect("/v1/stream", headers=allowed) as ws:
        ws.send_json({"type": "close_socket"})
    with client.websocket_connect("/v1/stream") as ws:  # no Origin: not a browser
        ws.send_json({"type": "close_socket"})
    with override(api_keys=["k"]), client.websocket_connect("/v1/stream?api_key=k", headers=origin) as ws:
        ws.send_json({"type": "close_socket"})  # with keys set, the key decides, not the page's origin


def test_foreign_host_names_are_refused(client: TestClient) -> None:
    response = client.get("/health", headers={"host": "rebound.attacker.example"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_host"
    rebound = {"host": "rebound.attacker.example"}
    with pytest.raises(WebSocketDenialResponse), client.websocket_connect("/v1/stream", headers=rebound):
        pass


def test_host_defaults_follow_the_bind_address() -> None:
    local = Settings(host="127.0.0.1").trusted_hosts()
    assert host_allowed("localhost:8000", local) and host_allowed("127.0.0.1:8000", local)
    assert host_allowed("[::1]:8000", local)
    assert not host_allowed("attacker.example:8000", local)
    assert host_allowed("tts.internal:8000", Settings(host="0.0.0.0").trusted_hosts())
    assert host_allowed("a.example.com", ["*.example.com"]) and not host_allowed("example.org", ["*.example.com"])
    assert origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000", [])
    assert not origin_allowed("http://127.0.0.1:9999", "127.0.0.1:8000", [])
    assert origin_allowed("http://localhost:80", "localhost", []) and origin_allowed("https://a.b", "a.b:443", [])


# -- 10, 11: capacity defaults and a schema that says what the server checks ----------------------------


def test_stream_limit_defaults_to_measured_capacity() -> None:
    assert Settings(device="cpu", threads=2).engine_config().stream_limit == 16
    assert Settings(device="cuda").engine_config().stream_limit == 64
    assert Settings(max_concurrent_streams=5).engine_config().stream_limit == 5


def test_schema_declares_auth_and_the_rules_the_server_applies(client: TestClient, engine: Engine) -> None:
    keyed = create_app(Settings(api_keys=["k"]), engine).openapi()
    schemes = keyed["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    assert keyed["paths"]["/v1/tts"]["post"]["security"]
    schema = client.get("/openapi.json").json()  # the shared app has no keys: no authentication to declare
    assert "securitySchemes" not in schema["components"] and "security" not in schema["paths"]["/v1/tts"]["post"]
    tts = schema["components"]["schemas"]["TTSRequest"]
    assert tts["oneOf"] == [{"required": ["text"]}, {"required": ["ssml"]}]
    assert tts["properties"]["text"]["type"] == "string" and tts["properties"]["text"]["minLength"] == 1
    for body in ({"text": "a", "ssml": "<speak>a</speak>"}, {"text": None, "ssml": "<speak>a</speak>"}):
        assert client.post("/v1/tts", json=body).status_code == 422
    speech = schema["components"]["schemas"]["SpeechRequest"]
    assert speech["properties"]["model"]["minLength"] == 1
    response = client.post("/v1/audio/speech", json={"model": "", "input": "hi", "voice": "alloy"})
    assert response.status_code == 400
