"""The OpenAI-compatible API, driven by the real `openai` SDK against a live uvicorn."""

from __future__ import annotations

import base64
import json
import time
from typing import Any, Literal

import httpx
import openai
import pytest
from fastapi.testclient import TestClient

from app.settings import Settings

TEXT = "Hello world, this is a test."
SdkFormat = Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]
SDK_FORMATS: list[SdkFormat] = ["mp3", "opus", "aac", "flac", "wav", "pcm"]
SLACK_S = {"aac": 0.15, "mp3": 0.15, "opus": 0.03}  # streamed lossy formats keep codec priming/padding


@pytest.fixture(scope="module")
def sdk(live_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{live_url}/v1", api_key="unused", max_retries=0, timeout=120)


@pytest.fixture(scope="module")
def duration(client: TestClient) -> float:
    return float(client.post("/v1/tts", json={"text": TEXT}).headers["x-audio-duration"])


@pytest.mark.parametrize("fmt", SDK_FORMATS)
def test_speech_create_every_format(sdk: openai.OpenAI, decode, duration: float, fmt: SdkFormat) -> None:
    response = sdk.audio.speech.create(model="tts-1", voice="alloy", input=TEXT, response_format=fmt)
    rate = 48000 if fmt == "opus" else 24000  # OpenAI's rate; pcm is raw 24 kHz s16le
    samples, decoded_rate = decode(response.content, fmt, rate if fmt == "pcm" else None)
    assert decoded_rate == rate
    assert abs(samples.size / rate - duration) <= SLACK_S.get(fmt, 0.0) + 0.002
    assert samples.std() > 1e-3


def test_streaming_response(sdk: openai.OpenAI, decode, duration: float) -> None:
    with sdk.audio.speech.with_streaming_response.create(
        model="gpt-4o-mini-tts", voice="onyx", input=TEXT, response_format="pcm", instructions="Speak warmly."
    ) as response:
        assert response.headers["content-type"] == "audio/pcm"
        assert response.headers.get("transfer-encoding") == "chunked"
        pieces = list(response.iter_bytes())
    samples, _ = decode(b"".join(pieces), "pcm", 24000)
    assert abs(samples.size / 24000 - duration) < 0.002


def test_sse_stream_format(sdk: openai.OpenAI, decode, duration: float) -> None:
    response = sdk.audio.speech.create(
        model="gpt-4o-mini-tts", voice="echo", input=TEXT, response_format="pcm", stream_format="sse"
    )
    events = [json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: ")]
    assert events[-1] == {"type": "speech.audio.done"}
    assert {event["type"] for event in events[:-1]} == {"speech.audio.delta"}
    audio = b"".join(base64.b64decode(event["audio"]) for event in events[:-1])
    samples, _ = decode(audio, "pcm", 24000)
    assert abs(samples.size / 24000 - duration) < 0.002


def test_our_own_model_and_voice_names(sdk: openai.OpenAI, settings: Settings, engine) -> None:
    response = sdk.audio.speech.create(
        model=settings.model_id, voice=engine.default_voice, input="Hi there.", response_format="wav", speed=1.5
    )
    assert response.content[:4] == b"RIFF"
    response = sdk.audio.speech.create(
        model="tts-1-hd", voice={"id": engine.default_voice}, input="Hi there.", response_format="wav"
    )
    assert response.content[:4] == b"RIFF"


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"voice": "nobody"}, "voice"),
        ({"model": "whisper-1"}, "model"),
        ({"speed": 4.5}, "speed"),
        ({"response_format": "ogg"}, "response_format"),
        ({"input": ""}, "input"),
        ({"extra_body": {"temperature": 0.5}}, "temperature"),
    ],
)
def test_invalid_requests_are_openai_style_400s(sdk: openai.OpenAI, kwargs: dict[str, Any], param: str) -> None:
    arguments = {"model": "tts-1", "voice": "alloy", "input": "Hi.", **kwargs}
    with pytest.raises(openai.BadRequestError) as caught:
        sdk.audio.speech.create(**arguments)
    error = caught.value.body
    assert isinstance(error, dict) and error["param"] == param and error["type"] == "invalid_request_error"


def test_input_over_4096_characters_is_a_bad_request_as_on_openai(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:  # OpenAI answers 400, not 413
        sdk.audio.speech.create(model="tts-1", voice="alloy", input="a " * 2049)
    assert caught.value.status_code == 400
    body = caught.value.body
    assert isinstance(body, dict) and body["code"] == "string_above_max_length" and body["param"] == "input"


def test_nothing_speakable_is_a_client_error(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError):
        sdk.audio.speech.create(model="tts-1", voice="alloy", input="!!! ...")


def test_api_keys(sdk: openai.OpenAI, live_url: str, override) -> None:
    with override(api_keys=["sk-right"]):
        with pytest.raises(openai.AuthenticationError):
            sdk.audio.speech.create(model="tts-1", voice="alloy", input="Hi.")
        keyed = openai.OpenAI(base_url=f"{live_url}/v1", api_key="sk-right", max_retries=0)
        assert keyed.audio.speech.create(model="tts-1", voice="alloy", input="Hi.", response_format="wav").content
        assert [model.id for model in keyed.models.list()]


def test_models_list(sdk: openai.OpenAI, settings: Settings) -> None:
    ids = [model.id for model in sdk.models.list()]
    assert ids[0] == settings.model_id and {"tts-1", "tts-1-hd", "gpt-4o-mini-tts"} <= set(ids)


def test_voices_list(live_url: str, engine) -> None:
    body = httpx.get(f"{live_url}/v1/audio/voices").json()
    assert body["default"] == engine.default_voice
    names = [voice["name"] for voice in body["voices"]]
    assert names == sorted(engine.voices)
    assert all(voice["sample_rate"] > 0 for voice in body["voices"])
    assert body["openai_aliases"]["alloy"] == body["default"]
    assert body["openai_aliases"]["nova"] == body["openai_aliases"]["shimmer"] == "slt"  # the female voice
    teachers = {voice["name"]: voice["teachers"] for voice in body["voices"]}
    assert "piper-joe" in teachers["joe"]  # whose audio trained each voice: what its license follows
    assert teachers["rms"] == ["flite-rms"]


def test_client_leaving_mid_stream_frees_the_engine(live_url: str, engine) -> None:
    body = {
        "model": "tts-1",
        "voice": "alloy",
        "input": "A long answer nobody waits for. " * 10,
        "response_format": "pcm",
    }
    with httpx.stream("POST", f"{live_url}/v1/audio/speech", json=body, timeout=120) as response:
        assert response.status_code == 200
        assert next(response.iter_bytes())
    deadline = time.monotonic() + 60
    while engine.active_streams() != 0:
        assert time.monotonic() < deadline, "the stream kept running after the client left"
        time.sleep(0.02)
