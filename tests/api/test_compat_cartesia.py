"""The Cartesia-compatible WebSocket, driven by Pipecat's CartesiaTTSService and LiveKit's cartesia plugin against a
live server: unchanged but for the address and key."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time
from typing import Any

import aiohttp
import numpy as np
import pytest
from livekit.agents import APIStatusError
from livekit.plugins import cartesia
from pipecat.services.cartesia.tts import CartesiaTTSService

from app.api.compat.common import alaw_encode
from app.engine.engine import Engine
from tests.api.frameworks import LONG_REPLY, REPLY, Script, livekit_speak, run_pipeline

VOICE_ID = "f786b574-daa5-4673-aa0c-cbe3e8534c02"  # a Cartesia voice id: speaks with our default voice


def reply_words() -> list[str]:
    """The reply's words as timestamps name them: Cartesia's (and ours) leave out the punctuation around a word."""
    return [word.strip("!,.") for word in "".join(REPLY).split()]


def pipecat_service(live_url: str, **kwargs) -> CartesiaTTSService:
    return CartesiaTTSService(
        api_key=kwargs.pop("api_key", "unused"),
        url=live_url.replace("http", "ws", 1) + "/tts/websocket",
        settings=CartesiaTTSService.Settings(voice=kwargs.pop("voice", VOICE_ID)),
        **kwargs,
    )


def test_pipecat_speaks_an_llm_reply_with_word_timestamps(live_url: str, engine: Engine) -> None:
    async def script(run: Script) -> None:
        await run.reply(REPLY)
        await run.stopped()

    received = asyncio.run(run_pipeline(pipecat_service(live_url), script))
    audio = received.audio()
    assert audio.size / 24000 > 2.0 and np.abs(audio).max() > 0.05  # pipeline rate 24 kHz, real speech
    words = received.words()
    assert [w.text.strip() for w in words] == reply_words()  # every word, in order, from Cartesia timestamps
    times = [w.pts or 0 for w in words]
    assert times == sorted(times) and len(set(times)) == len(times)  # presentation times from the word timings
    assert engine.active_streams() == 0


def test_pipecat_interruption_cancels_the_context(live_url: str, engine: Engine) -> None:
    full_s = 12 * 3.0  # the long reply runs well over 30 s of speech

    async def script(run: Script) -> None:
        await run.reply(LONG_REPLY)
        await run.until(lambda: run.received.audio().size > 0)
        heard = await run.interrupt(engine)
        await asyncio.sleep(1.0)
        assert run.received.audio().size == heard  # nothing of the cancelled context arrives later
        await run.reply(REPLY)  # the next turn speaks on a fresh context
        await run.until(lambda: len(run.received.words()) >= len(reply_words()))

    received = asyncio.run(run_pipeline(pipecat_service(live_url), script))
    assert received.audio().size / 24000 < full_s / 2


def test_livekit_stream_with_word_timestamps(live_url: str) -> None:
    result = livekit_speak(
        lambda http: cartesia.TTS(api_key="unused", base_url=live_url, voice=VOICE_ID, http_session=http), REPLY
    )
    assert result.sample_rate == 24000 and result.audio.size / 24000 > 2.0
    assert [w.strip(" !,.") for w in result.words] == reply_words()  # LiveKit keeps the text between words
    starts = [w.start_time for w in result.words]
    assert starts == sorted(starts) and result.words[-1].end_time <= result.audio.size / 24000 + 0.05


def test_keys_are_checked(live_url: str, override) -> None:
    def speak(key: str):
        return livekit_speak(
            lambda http: cartesia.TTS(api_key=key, base_url=live_url, voice=VOICE_ID, http_session=http), ["Hi there."]
        )

    with override(api_keys=["right"]):
        with pytest.raises(APIStatusError) as refused:
            speak("wrong")
        assert refused.value.status_code == 401
        assert speak("right").audio.size > 0


def test_unknown_voice_gets_cartesia_error(live_url: str) -> None:
    async def script(run: Script) -> None:
        await run.reply(["Hi there."])
        await run.until(lambda: bool(run.received.errors), timeout_s=30, errors_ok=True)

    received = asyncio.run(run_pipeline(pipecat_service(live_url, voice="nobody"), script))
    assert "voice_not_found" in received.errors[0].error and received.audio().size == 0


# The wire itself, for what the frameworks never send: other output formats, bad messages.


async def _exchange(live_url: str, messages: list[Any], until: str = "done") -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    async with aiohttp.ClientSession() as http, http.ws_connect(live_url + "/tts/websocket") as ws:
        for message in messages:
            await ws.send_str(json.dumps(message) if isinstance(message, dict) else message)
        while True:
            event = json.loads((await ws.receive(timeout=60)).data)
            events.append(event)
            if event["type"] in (until, "error") and event.get("done", True):
                return events


def _request(fmt: dict[str, Any], transcript: str = "Hello there.", **extra: Any) -> dict[str, Any]:
    return {"context_id": "c", "transcript": transcript, "continue": False, "voice": {"mode": "id", "id": VOICE_ID},
            "model_id": "sonic-3", "output_format": fmt, **extra}  # fmt: skip


@pytest.mark.parametrize("encoding", ["pcm_s16le", "pcm_f32le", "pcm_mulaw", "pcm_alaw"])
def test_raw_encodings_carry_the_same_speech(live_url: str, encoding: str) -> None:
    fmt = {"container": "raw", "encoding": encoding, "sample_rate": 8000}
    events = asyncio.run(_exchange(live_url, [_request(fmt)]))
    data = b"".join(base64.b64decode(e["data"]) for e in events if e["type"] == "chunk")
    reference = asyncio.run(_exchange(live_url, [_request({**fmt, "encoding": "pcm_s16le"})]))
    pcm = b"".join(base64.b64decode(e["data"]) for e in reference if e["type"] == "chunk")
    samples = np.frombuffer(pcm, "<i2")
    expected = {
        "pcm_s16le": pcm,
        "pcm_f32le": (samples.astype("<f4") / 32768.0).astype("<f4").tobytes(),
        "pcm_mulaw": None,
        "pcm_alaw": alaw_encode(samples).tobytes(),
    }[encoding]
    assert len(data) == samples.size * {"pcm_s16le": 2, "pcm_f32le": 4}.get(encoding, 1)
    if expected is not None:
        assert data == expected
    assert events[-1] == {"type": "done", "context_id": "c", "status_code": 200, "done": True}


def test_alaw_matches_the_g711_reference() -> None:
    audioop = pytest.importorskip("audioop")
    pcm = np.concatenate([np.arange(-32768, 32768, 7, dtype=np.int32), [32767]]).astype("<i2")
    assert alaw_encode(pcm).tobytes() == audioop.lin2alaw(pcm.tobytes(), 2)


def test_wav_and_mp3_containers(live_url: str, decode) -> None:
    for container, fmt in (("wav", "wav"), ("mp3", "mp3")):
        output = {"container": container, "encoding": "pcm_s16le", "sample_rate": 22050}
        events = asyncio.run(_exchange(live_url, [_request(output)]))
        data = b"".join(base64.b64decode(e["data"]) for e in events if e["type"] == "chunk")
        samples, rate = decode(data, fmt)
        assert rate == 22050 and samples.size / rate > 0.5


def test_flush_and_timestamps_on_one_context(live_url: str) -> None:
    fmt = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000}
    messages = [
        _request(fmt, "Good morning", **{"continue": True, "add_timestamps": True}),
        _request(fmt, "", **{"continue": True, "flush": True}),
        _request(fmt, ", everyone.", **{"continue": False}),
    ]
    events = asyncio.run(_exchange(live_url, messages))
    kinds = [e["type"] for e in events]
    assert kinds.count("flush_done") == 1 and kinds[-1] == "done"
    flush = kinds.index("flush_done")
    assert "chunk" in kinds[:flush] and "chunk" in kinds[flush:]  # audio before the flush answer, and after
    words = [w for e in events if e["type"] == "timestamps" for w in e["word_timestamps"]["words"]]
    assert words == ["Good", "morning", "everyone"]


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("not json", "invalid_json"),
        ("[1]", "invalid_message"),
        (json.dumps({"context_id": "c", "transcript": 5}), "invalid_message"),
        (json.dumps(_request({"container": "raw", "encoding": "pcm_s16le", "sample_rate": 12345})),
         "unsupported_output_format"),
        (json.dumps(_request({"container": "wav", "encoding": "pcm_alaw", "sample_rate": 8000})),
         "unsupported_output_format"),
        (json.dumps(_request({"container": "raw", "sample_rate": 8000}, language="de")), "unsupported_language"),
        (json.dumps({**_request({"sample_rate": 8000}), "voice": {"mode": "id", "id": "nobody"}}), "voice_not_found"),
    ],
)  # fmt: skip
def test_bad_messages_get_cartesia_errors(live_url: str, message: str, code: str) -> None:
    events = asyncio.run(_exchange(live_url, [message]))
    error = events[-1]
    assert error["type"] == "error" and error["error_code"] == code and error["done"] is True
    assert "context_id" in error and error["status_code"] == 400 and error["message"]


def test_cancel_of_a_finished_context_is_quiet(live_url: str) -> None:
    fmt = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 8000}
    started = time.perf_counter()
    events = asyncio.run(_exchange(live_url, [{"context_id": "gone", "cancel": True}, _request(fmt, "Hi.")]))
    assert [e["type"] for e in events if e["type"] != "chunk"] == ["done"]
    assert re.fullmatch(r"c", events[-1]["context_id"]) and time.perf_counter() - started < 60
