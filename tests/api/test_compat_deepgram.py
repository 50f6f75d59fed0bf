"""The Deepgram-compatible speak WebSocket, driven by Pipecat's DeepgramTTSService and LiveKit's deepgram plugin
against a live server: unchanged but for the address and key."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import numpy as np
import pytest
from livekit.agents import APIConnectionError, APIStatusError
from livekit.plugins import deepgram
from pipecat.frames.frames import TTSStoppedFrame
from pipecat.services.deepgram.tts import DeepgramTTSService

from app.engine.engine import Engine
from tests.api.frameworks import LONG_REPLY, REPLY, Script, livekit_speak, run_pipeline


def pipecat_service(live_url: str, **settings) -> DeepgramTTSService:
    return DeepgramTTSService(
        api_key="unused",
        base_url=live_url.replace("http", "ws", 1),
        settings=DeepgramTTSService.Settings(voice=settings.pop("voice", "aura-2-helena-en")),
        **settings,
    )


def test_pipecat_speaks_an_llm_reply(live_url: str, engine: Engine) -> None:
    async def script(run: Script) -> None:
        await run.reply(REPLY)
        await run.stopped()  # after Flushed

    received = asyncio.run(run_pipeline(pipecat_service(live_url), script))
    audio = received.audio()
    assert audio.size / 24000 > 2.0 and np.abs(audio).max() > 0.05
    assert engine.active_streams() == 0


def test_pipecat_interruption_clears(live_url: str, engine: Engine) -> None:
    async def script(run: Script) -> None:
        await run.reply(LONG_REPLY)
        await run.until(lambda: run.received.audio().size > 0)
        heard = await run.interrupt(engine)  # Pipecat sends Clear
        await asyncio.sleep(1.0)
        assert run.received.audio().size == heard
        await run.reply(REPLY)  # the next utterance on the same socket
        await run.until(lambda: len(run.received.of(TTSStoppedFrame)) >= 1 and run.received.audio().size > heard)

    received = asyncio.run(run_pipeline(pipecat_service(live_url), script))
    assert received.audio().size / 24000 < 20


@pytest.mark.parametrize(("encoding", "rate"), [("linear16", 24000), ("linear16", 16000)])
def test_livekit_stream(live_url: str, encoding: str, rate: int) -> None:
    result = livekit_speak(
        lambda http: deepgram.TTS(
            api_key="unused",
            base_url=live_url + "/v1/speak",
            encoding=encoding,
            sample_rate=rate,
            http_session=http,
        ),
        REPLY,
    )
    assert result.sample_rate == rate and result.audio.size / rate > 2.0 and np.abs(result.audio).max() > 0.05


def test_keys_are_checked(live_url: str, override) -> None:
    def speak(key: str):
        return livekit_speak(
            lambda http: deepgram.TTS(api_key=key, base_url=live_url + "/v1/speak", http_session=http), ["Hi there."]
        )

    with override(api_keys=["right"]):
        with pytest.raises((APIStatusError, APIConnectionError)):
            speak("wrong")
        assert speak("right").audio.size > 0


# The wire itself: refusals with dg-error, G.711, Warnings.


def _url(live_url: str, query: str) -> str:
    return live_url.replace("http", "ws", 1) + "/v1/speak?" + query


@pytest.mark.parametrize(
    "query",
    ["model=aura-2-celeste-es", "model=nobody", "encoding=mp3", "encoding=mulaw&sample_rate=24000", "speed=3"],
)
def test_bad_queries_are_refused_with_dg_error(live_url: str, query: str) -> None:
    async def connect() -> aiohttp.WSServerHandshakeError:
        async with aiohttp.ClientSession() as http:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(_url(live_url, query))
            return refused.value

    refused = asyncio.run(connect())
    assert refused.status == 400 and refused.headers is not None and refused.headers["dg-error"]


@pytest.mark.parametrize("encoding", ["mulaw", "alaw"])
def test_g711_and_warnings(live_url: str, encoding: str) -> None:
    async def run() -> tuple[list[dict[str, Any]], bytes]:
        events: list[dict[str, Any]] = []
        audio = b""
        async with aiohttp.ClientSession() as http, http.ws_connect(_url(live_url, f"encoding={encoding}")) as ws:
            for message in ["nope", {"type": "Shout"}, {"type": "Speak", "text": "Good evening."}, {"type": "Flush"}]:
                await ws.send_str(message if isinstance(message, str) else json.dumps(message))
            while True:
                frame = await ws.receive(timeout=60)
                if frame.type == aiohttp.WSMsgType.BINARY:
                    audio += frame.data
                    continue
                events.append(json.loads(frame.data))
                if events[-1]["type"] == "Flushed":
                    break
            await ws.send_str(json.dumps({"type": "Close"}))
            assert (await ws.receive(timeout=10)).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        return events, audio

    events, audio = asyncio.run(run())
    assert events[0]["type"] == "Metadata" and events[0]["request_id"]
    warnings = [(e["type"], e.get("code")) for e in events[1:3]]
    assert warnings == [("Warning", "invalid_json"), ("Warning", "unknown_type")]
    assert events[-1] == {"type": "Flushed", "sequence_id": 0}
    assert len(audio) / 8000 > 0.5  # one byte a sample at 8 kHz
