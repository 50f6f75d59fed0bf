"""The ElevenLabs-compatible WebSockets, driven by Pipecat's ElevenLabsTTSService and LiveKit's elevenlabs plugin
against a live server: unchanged but for the address and key."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import aiohttp
import numpy as np
import pytest
from livekit.agents import APIStatusError
from livekit.plugins import elevenlabs
from pipecat.services.elevenlabs.tts import ElevenLabsTTSService

from app.engine.engine import Engine
from tests.api.frameworks import LONG_REPLY, REPLY, Script, livekit_speak, run_pipeline

VOICE_ID = "21m00Tcm4TlvDq8ikWAM"  # an ElevenLabs voice id: speaks with our default voice


def reply_words() -> list[str]:
    return [word.strip("!,.") for word in "".join(REPLY).split()]


def pipecat_service(live_url: str, voice: str = VOICE_ID) -> ElevenLabsTTSService:
    return ElevenLabsTTSService(
        api_key="unused",
        url=live_url.replace("http", "ws", 1),
        settings=ElevenLabsTTSService.Settings(voice=voice),
    )


def test_pipecat_speaks_an_llm_reply_with_word_timestamps(live_url: str, client, engine: Engine) -> None:
    async def script(run: Script) -> None:
        await run.reply(REPLY)
        await run.until(lambda: len(run.received.words()) >= len(reply_words()))

    received = asyncio.run(run_pipeline(pipecat_service(live_url), script))
    audio = received.audio()
    assert audio.size / 24000 > 2.0 and np.abs(audio).max() > 0.05
    words = received.words()
    assert [w.text.strip(" !,.") for w in words] == reply_words()
    # Pipecat adds up the alignment spans into a clock: its word times must follow ours for the same reply (the
    # HTTP API phrases it in one piece, Pipecat sentence by sentence, so prosody may differ a little; a clock
    # that drifted by a message's length would be off by far more).
    ours = client.post("/v1/tts/timestamps", json={"text": "".join(REPLY), "format": "pcm"}).json()
    heard = np.array([w.pts for w in words]) / 1e9
    expected = np.array([w["start"] for w in ours["words"]])
    assert np.allclose(heard - heard[0], expected - expected[0], atol=0.15)
    assert engine.active_streams() == 0


def test_pipecat_interruption(live_url: str, engine: Engine) -> None:
    async def script(run: Script) -> None:
        await run.reply(LONG_REPLY)
        await run.until(lambda: run.received.audio().size > 0)
        heard = await run.interrupt(engine)  # Pipecat closes the context and drops its audio
        await asyncio.sleep(1.0)
        assert run.received.audio().size == heard
        await run.reply(REPLY)
        await run.until(lambda: len(run.received.words()) >= len(reply_words()))

    received = asyncio.run(run_pipeline(pipecat_service(live_url), script))
    assert received.audio().size / 24000 < 20


@pytest.mark.parametrize("encoding", ["pcm_24000", "mp3_22050_32"])
def test_livekit_stream(live_url: str, encoding: Any) -> None:
    result = livekit_speak(
        lambda http: elevenlabs.TTS(
            api_key="unused", base_url=live_url + "/v1", voice_id=VOICE_ID, encoding=encoding, http_session=http
        ),
        REPLY,
    )
    rate = int(encoding.split("_")[1])
    assert result.sample_rate == rate and result.audio.size / rate > 2.0 and np.abs(result.audio).max() > 0.05
    assert [w.strip(" !,.") for w in result.words if w.strip(" !,.")] == reply_words()


def test_keys_are_checked(live_url: str, override) -> None:
    def speak(key: str):
        return livekit_speak(
            lambda http: elevenlabs.TTS(api_key=key, base_url=live_url + "/v1", voice_id=VOICE_ID, http_session=http),
            ["Hi there."],
        )

    with override(api_keys=["right"]):
        with pytest.raises(APIStatusError) as refused:
            speak("wrong")
        assert refused.value.status_code == 401
        assert speak("right").audio.size > 0


# The wire itself: stream-input (no framework uses it any more), errors, keep-alive and inactivity.


async def _session(url: str, messages: list[Any]) -> tuple[list[dict[str, Any]], int | None]:
    events: list[dict[str, Any]] = []
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        for message in messages:
            await ws.send_str(json.dumps(message))
        while (frame := await ws.receive(timeout=60)).type == aiohttp.WSMsgType.TEXT:
            events.append(json.loads(frame.data))
        return events, ws.close_code


def test_stream_input_speaks_then_closes(live_url: str, decode) -> None:
    url = live_url.replace("http", "ws", 1) + f"/v1/text-to-speech/{VOICE_ID}/stream-input?output_format=ulaw_8000"
    messages = [{"text": " ", "voice_settings": {"stability": 0.5, "speed": 1.1}}, {"text": "Hello there, "},
                {"text": "friend."}, {"text": ""}]  # fmt: skip
    events, close_code = asyncio.run(_session(url, messages))
    assert events[-1] == {"isFinal": True} and close_code == 1000
    audio = b"".join(base64.b64decode(e["audio"]) for e in events if e.get("audio"))
    samples, _ = decode(audio, "mulaw", 8000)
    assert samples.size / 8000 > 0.8
    chars = "".join(c for e in events if e.get("alignment") for c in e["alignment"]["chars"])
    assert chars.split() == ["Hello", "there", "friend"]


def test_first_message_key_when_the_handshake_has_none(live_url: str, override) -> None:
    url = live_url.replace("http", "ws", 1) + f"/v1/text-to-speech/{VOICE_ID}/stream-input?output_format=pcm_16000"
    with override(api_keys=["right"]):
        events, code = asyncio.run(_session(url, [{"text": " ", "xi_api_key": "wrong"}]))
        assert events == [{"error": "invalid_api_key", "message": events[0]["message"], "code": 1008}] and code == 1008
        events, code = asyncio.run(_session(url, [{"text": "Hi. ", "xi_api_key": "right"}, {"text": ""}]))
        assert events[-1] == {"isFinal": True}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/text-to-speech/nobody/multi-stream-input", 404),
        (f"/v1/text-to-speech/{VOICE_ID}/multi-stream-input?output_format=wav_44100", 400),
        (f"/v1/text-to-speech/{VOICE_ID}/multi-stream-input?inactivity_timeout=999", 400),
        (f"/v1/text-to-speech/{VOICE_ID}/multi-stream-input?language_code=de", 400),
    ],
)
def test_bad_handshakes_get_elevenlabs_errors(live_url: str, path: str, status: int) -> None:
    async def connect() -> aiohttp.WSServerHandshakeError:
        async with aiohttp.ClientSession() as http:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(live_url.replace("http", "ws", 1) + path)
            return refused.value

    assert asyncio.run(connect()).status == status


def test_multi_stream_keepalive_close_context_and_bad_messages(live_url: str) -> None:
    base = live_url.replace("http", "ws", 1) + f"/v1/text-to-speech/{VOICE_ID}/multi-stream-input"
    url = base + "?output_format=pcm_22050&inactivity_timeout=1"
    messages = [
        {"text": ""},  # keep-alive, no context
        "not json",
        {"text": " ", "context_id": "a"},
        {"text": "One two three.", "context_id": "a"},
        {"context_id": "nope", "close_context": True},  # a context that is not open: quietly nothing
        {"context_id": "a", "close_context": True},
    ]

    async def run() -> tuple[list[dict[str, Any]], int | None]:
        events: list[dict[str, Any]] = []
        async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
            for message in messages:
                await ws.send_str(message if isinstance(message, str) else json.dumps(message))
            while (frame := await ws.receive(timeout=60)).type == aiohttp.WSMsgType.TEXT:
                events.append(json.loads(frame.data))  # until the idle close, a second after isFinal
            return events, ws.close_code

    events, close_code = asyncio.run(run())
    assert events[0]["error"] == "invalid_json" and "contextId" not in events[0]
    finals = [e for e in events if e.get("isFinal")]
    assert finals == [{"isFinal": True, "contextId": "a"}]
    assert events[-1]["error"] == "input_timeout_exceeded" and close_code == 1000
    audio = b"".join(base64.b64decode(e["audio"]) for e in events if e.get("audio"))
    assert len(audio) / 2 / 22050 > 0.5
