"""POST /v1/tts and /v1/tts/timestamps: every format decodes, at the right rate and duration."""

from __future__ import annotations

import base64
import dataclasses
import json
import socket
import time
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.audio.encode import AUDIO_FORMATS, MEDIA_TYPES
from app.engine.engine import Engine

TEXT = "Hello world, this is a test."
RAW = {"pcm", "mulaw"}
# Lossy formats without a length header keep codec priming/padding (see tests/audio/test_encode.py).
SLACK_S = {"aac": 0.15, "mp3": 0.06, "opus": 0.03}


@pytest.fixture(scope="module")
def reference(client: TestClient, engine: Engine) -> tuple[float, int]:
    """(duration, rate) of TEXT as a WAV in the default voice."""
    response = client.post("/v1/tts", json={"text": TEXT})
    assert response.status_code == 200
    return float(response.headers["x-audio-duration"]), engine.voice(None).sample_rate


@pytest.mark.parametrize("fmt", AUDIO_FORMATS)
def test_every_format_decodes_to_the_expected_rate_and_duration(
    client: TestClient, decode, reference: tuple[float, int], fmt: str
) -> None:
    duration, voice_rate = reference
    response = client.post("/v1/tts", json={"text": TEXT, "format": fmt})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(MEDIA_TYPES[fmt].split(";")[0])
    rate = {"opus": 48000, "mulaw": 8000}.get(fmt, voice_rate)
    assert int(response.headers["x-sample-rate"]) == rate
    samples, decoded_rate = decode(response.content, fmt, rate if fmt in RAW else None)
    assert decoded_rate == rate
    assert abs(samples.size / rate - duration) <= SLACK_S.get(fmt, 0.0) + 0.002
    assert samples.std() > 1e-3, "not silence"


@pytest.mark.parametrize("rate", [8000, 16000, 48000])
def test_sample_rate_is_honoured(client: TestClient, decode, reference: tuple[float, int], rate: int) -> None:
    response = client.post("/v1/tts", json={"text": TEXT, "format": "flac", "sample_rate": rate})
    assert response.status_code == 200, response.text
    samples, decoded_rate = decode(response.content, "flac")
    assert decoded_rate == rate
    assert abs(samples.size / rate - reference[0]) < 0.002


def test_duration_grows_with_the_text(client: TestClient, reference: tuple[float, int]) -> None:
    longer = client.post("/v1/tts", json={"text": f"{TEXT} {TEXT} {TEXT}"})
    assert float(longer.headers["x-audio-duration"]) > 2.0 * reference[0]


def test_ssml_input(client: TestClient, reference: tuple[float, int]) -> None:
    ssml = '<speak>Hello world, <break time="500ms"/> this is a test.</speak>'
    response = client.post("/v1/tts", json={"ssml": ssml, "format": "wav"})
    assert response.status_code == 200, response.text
    assert float(response.headers["x-audio-duration"]) > reference[0] + 0.3  # the break is in the audio


def test_lexicon_and_prosody_controls_are_accepted(client: TestClient) -> None:
    body = {"text": "Tomato", "lexicon": {"tomato": "T AH0 M AA1 T OW2"}, "speed": 1.2, "pitch": 2, "energy": 1.1}
    response = client.post("/v1/tts", json=body)
    assert response.status_code == 200, response.text


def test_timestamps(client: TestClient, decode, reference: tuple[float, int]) -> None:
    response = client.post("/v1/tts/timestamps", json={"text": TEXT, "format": "pcm", "sample_rate": 16000})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["sample_rate"] == 16000 and body["format"] == "pcm"
    samples, _ = decode(base64.b64decode(body["audio_base64"]), "pcm", 16000)
    assert abs(samples.size / 16000 - body["duration"]) < 0.001
    words = body["words"]
    assert [w["word"] for w in words] == ["Hello", "world", "this", "is", "a", "test"]
    for word in words:
        assert TEXT[word["text_start"] : word["text_end"]] == word["word"]
        assert 0.0 <= word["start"] < word["end"] <= body["duration"] + 1e-3
    starts = [w["start"] for w in words]
    assert starts == sorted(starts)


# -- errors -------------------------------------------------------------------------------------------


def error_of(response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}, body
    return dict(body["error"])


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"text": "Hi", "ssml": "<speak>Hi</speak>"}, None),
        ({}, None),
        ({"text": ""}, "text"),
        ({"text": "Hi", "sped": 2}, "sped"),
        ({"text": "Hi", "speed": 5}, "speed"),
        ({"text": "Hi", "speed": 0.1}, "speed"),
        ({"text": "Hi", "pitch": 13}, "pitch"),
        ({"text": "Hi", "energy": 0}, "energy"),
        ({"text": "Hi", "format": "ogg"}, "format"),
        ({"text": "Hi", "sample_rate": 44100}, "sample_rate"),
        ({"text": "Hi", "format": "opus", "sample_rate": 16000}, "sample_rate"),
        ({"text": "Hi", "format": "mulaw", "sample_rate": 24000}, "sample_rate"),
        ({"text": "Hi", "voice": "nobody"}, "voice"),
        ({"text": "Hi", "lexicon": {"hi": "HH XX1"}}, "lexicon"),
        ({"text": 5}, "text"),
        ({"text": "Hi", "pitch": False}, "pitch"),  # no coercion: a boolean is not 0 semitones
        ({"text": "Hi", "speed": "2"}, "speed"),
    ],
)
def test_bad_input_is_422_naming_the_problem(client: TestClient, body: dict[str, Any], param: str | None) -> None:
    response = client.post("/v1/tts", json=body)
    assert response.status_code == 422, response.text
    error = error_of(response)
    assert error["type"] == "invalid_request_error"
    if param is not None:
        assert error["param"] == param
        assert param in error["message"] or (param == "voice" and "nobody" in error["message"])


def test_nothing_speakable_is_422(client: TestClient) -> None:
    response = client.post("/v1/tts", json={"text": "... !!!"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "synthesis_error"


def test_bad_ssml_is_422(client: TestClient) -> None:
    response = client.post("/v1/tts", json={"ssml": "<speak>unclosed"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "synthesis_error"


def test_text_over_the_limit_is_413(client: TestClient, override) -> None:
    with override(max_text_chars=20):
        response = client.post("/v1/tts", json={"text": "word " * 5})
    assert response.status_code == 413
    assert error_of(response)["code"] == "text_too_long"


@pytest.mark.parametrize("path", ["/v1/tts", "/v1/audio/speech"])
def test_text_that_reads_out_too_long_is_413_at_once(client: TestClient, path: str) -> None:
    body = {"text": "7" * 4000} if path == "/v1/tts" else {"model": "tts-1", "input": "7" * 4000, "voice": "joe"}
    response = client.post(path, json=body)
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "speech_too_long" and "4000 words" in error["message"]


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post("/v1/tts", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "json_invalid"


def test_unknown_route_and_wrong_method_have_json_errors(client: TestClient) -> None:
    assert error_of(client.get("/v1/nothing"))["code"] == "not_found"
    response = client.get("/v1/tts")
    assert response.status_code == 405 and error_of(response)["code"] == "method_not_allowed"


def test_engine_busy_is_503_with_retry_after(live_url: str, engine: Engine, monkeypatch) -> None:
    """The real limit: a stream held by a client that reads its first bytes and then nothing fills the engine."""
    monkeypatch.setattr(engine, "config", dataclasses.replace(engine.config, max_concurrent_streams=1))
    host, port = live_url.removeprefix("http://").split(":")
    body = json.dumps({"model": "tts-1", "voice": "alloy", "input": "This keeps the engine busy. " * 100,
                       "response_format": "pcm"}).encode()  # fmt: skip
    with socket.socket() as slow:
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a tiny window: the server must wait for it
        slow.connect((host, int(port)))
        slow.sendall(b"POST /v1/audio/speech HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(body), body))  # fmt: skip
        assert slow.recv(64).startswith(b"HTTP/1.1 200")
        with httpx.Client(base_url=live_url, timeout=60) as http:
            response = http.post("/v1/tts", json={"text": "Hi"})
            assert response.status_code == 503
            assert response.headers["retry-after"] == "1"
            assert response.json()["error"]["code"] == "engine_busy"
    deadline = time.monotonic() + 30
    while engine.active_streams() and time.monotonic() < deadline:  # the slow client hung up: its slot returns
        time.sleep(0.05)
    assert engine.active_streams() == 0


def test_a_bug_is_a_500_json_error_not_a_traceback(app, engine: Engine, monkeypatch) -> None:
    async def broken(*args, **kwargs):
        raise RuntimeError("boom")
        yield

    monkeypatch.setattr(engine, "stream", broken)
    client = TestClient(app, raise_server_exceptions=False)
    response = client.post("/v1/tts", json={"text": "Hi"})
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error" and "boom" not in error["message"]


def test_a_wav_file_carries_exact_sizes(client: TestClient) -> None:
    """The file is encoded as it is synthesized (never held as float samples); its header still has sizes."""
    data = client.post("/v1/tts", json={"text": "Sizes matter in a header.", "sample_rate": 16000}).content
    assert data[:4] == b"RIFF" and data[8:16] == b"WAVEfmt "
    assert int.from_bytes(data[4:8], "little") == len(data) - 8
    assert data[36:40] == b"data" and int.from_bytes(data[40:44], "little") == len(data) - 44
    assert int.from_bytes(data[24:28], "little") == 16000
