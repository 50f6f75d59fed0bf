"""The Wyoming server (Home Assistant) over real TCP, driven by the wyoming package's own client."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np
import pytest
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.event import Event
from wyoming.info import Describe, Info
from wyoming.ping import Ping, Pong
from wyoming.server import AsyncTcpServer
from wyoming.tts import (
    Synthesize,
    SynthesizeChunk,
    SynthesizeStart,
    SynthesizeStop,
    SynthesizeStopped,
    SynthesizeTextFormat,
    SynthesizeVoice,
)

from app.audio.encode import to_pcm16
from app.engine.engine import Engine
from app.engine.types import SynthesisOptions
from app.integrations.wyoming_server import build_info, handler_factory
from app.settings import Settings

SHORT = "The weather is nice today."
LONG = (
    "The weather is nice today. Tomorrow the clouds come back, and by the evening a steady rain will "
    "fall over the whole valley until the morning after."
)
READ_TIMEOUT_S = 120.0  # per event, generous for two busy cores; a hang fails instead of blocking CI


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def with_server(engine: Engine, settings: Settings, scenario: Callable[[AsyncTcpClient], Awaitable[Any]]) -> Any:
    """Start the server on a free 127.0.0.1 port, run `scenario` with one connected client, stop."""

    async def main() -> Any:
        port = free_port()
        server = AsyncTcpServer("127.0.0.1", port)
        await server.start(handler_factory(engine, settings))
        try:
            client = AsyncTcpClient("127.0.0.1", port, connect_timeout=10, read_timeout=READ_TIMEOUT_S)
            await client.connect()
            try:
                return await scenario(client)
            finally:
                await client.disconnect()
        finally:
            await server.stop()

    return asyncio.run(main())


async def read(client: AsyncTcpClient) -> Event:
    event = await client.read_event()
    assert event is not None, "the server closed the connection"
    return event


async def read_until(client: AsyncTcpClient, last: str) -> list[Event]:
    events = []
    while True:
        events.append(await read(client))
        if events[-1].type == last:
            return events


def pcm(events: list[Event], rate: int) -> np.ndarray:
    """The samples of the audio-chunk events, checking each one's format and timestamp."""
    pieces, total = [], 0
    for event in events:
        if AudioChunk.is_type(event.type):
            chunk = AudioChunk.from_event(event)
            assert (chunk.rate, chunk.width, chunk.channels) == (rate, 2, 1)
            assert chunk.timestamp == total * 1000 // rate
            pieces.append(np.frombuffer(chunk.audio, dtype="<i2"))
            total += chunk.samples
    return np.concatenate(pieces) if pieces else np.zeros(0, np.int16)


def sdr_db(reference: np.ndarray, estimate: np.ndarray) -> float:
    reference, estimate = reference.astype(np.float64), estimate.astype(np.float64)
    return float(10 * np.log10(np.sum(reference**2) / max(np.sum((reference - estimate) ** 2), 1e-20)))


@pytest.fixture(scope="module")
def rate(engine: Engine) -> int:
    return engine.voice(None).sample_rate


def test_describe_lists_our_voices(engine: Engine, settings: Settings) -> None:
    async def scenario(client: AsyncTcpClient) -> Info:
        await client.write_event(Describe().event())
        return Info.from_event(await read(client))

    info = with_server(engine, settings, scenario)
    assert len(info.tts) == 1
    program = info.tts[0]
    assert program.installed and program.attribution.name == "ours"
    assert program.supports_synthesize_streaming
    names = [voice.name for voice in program.voices]
    assert "joe" in names and set(names) == set(engine.voices)
    assert names[0] == engine.default_voice  # Home Assistant takes the first voice as the default
    for voice in program.voices:
        assert voice.installed and voice.attribution.name == "ours" and voice.description
        assert voice.languages == [engine.voices[voice.name].language]


def test_synthesize_streams_50ms_pcm_equal_to_the_engine(engine: Engine, settings: Settings, rate: int) -> None:
    async def scenario(client: AsyncTcpClient) -> dict[str, list[Event]]:
        out = {}
        for text in (SHORT, LONG):
            await client.write_event(Synthesize(text=text, voice=SynthesizeVoice(name="joe")).event())
            out[text] = await read_until(client, AudioStop().event().type)
        return out

    results = with_server(engine, settings, scenario)
    seconds = {}
    for text, events in results.items():
        assert AudioStart.is_type(events[0].type) and AudioStop.is_type(events[-1].type)
        start = AudioStart.from_event(events[0])
        assert (start.rate, start.width, start.channels) == (rate, 2, 1)
        assert all(AudioChunk.is_type(e.type) for e in events[1:-1])
        sizes = [AudioChunk.from_event(e).samples for e in events[1:-1]]
        assert set(sizes[:-1]) <= {rate // 20, rate // 20 + 1}  # 50 ms on an exact grid: 1102/1103 at 22050
        assert 0 < sizes[-1] <= rate // 20 + 1
        samples = pcm(events, rate)
        assert AudioStop.from_event(events[-1]).timestamp == samples.size * 1000 // rate
        expected, _ = asyncio.run(engine.synthesize(text, SynthesisOptions(voice="joe")))
        assert samples.size == expected.size  # the same utterance, losslessly chunked
        assert sdr_db(to_pcm16(expected), samples) >= 40.0
        seconds[text] = samples.size / rate
    assert seconds[SHORT] > 0.5
    for text, duration in seconds.items():
        assert 0.03 <= duration / len(text) <= 0.15, (text, duration)  # speech is ~10-20 characters a second
    ratio = seconds[LONG] / seconds[SHORT]
    assert 0.6 * len(LONG) / len(SHORT) <= ratio <= 1.6 * len(LONG) / len(SHORT)


def test_streaming_synthesis_speaks_while_text_arrives(engine: Engine, settings: Settings, rate: int) -> None:
    words = LONG.split(" ")
    first_sentence = words.index("Tomorrow")  # LONG starts with a whole sentence

    async def scenario(client: AsyncTcpClient) -> tuple[list[Event], list[Event]]:
        voice = SynthesizeVoice(name="joe")
        await client.write_event(SynthesizeStart(voice=voice).event())
        for word in words[: first_sentence + 1]:  # one sentence, and the start of the next one
            await client.write_event(SynthesizeChunk(text=word + " ").event())
        early: list[Event] = []  # audio must come before the text is complete
        while not early or not AudioChunk.is_type(early[-1].type):
            early.append(await read(client))
        for word in words[first_sentence + 1 :]:
            await client.write_event(SynthesizeChunk(text=word + " ").event())
        await client.write_event(Synthesize(text=LONG, voice=voice).event())  # Home Assistant's compat copy
        await client.write_event(SynthesizeStop().event())
        rest = await read_until(client, SynthesizeStopped().event().type)
        return early, rest

    early, rest = with_server(engine, settings, scenario)
    events = early + rest
    types = [event.type for event in events]
    assert "error" not in types, [Error.from_event(e) for e in events if Error.is_type(e.type)]
    assert AudioStart.is_type(types[0]) and types.count(AudioStart(rate, 2, 1).event().type) == 1
    assert AudioStop.is_type(types[-2]) and SynthesizeStopped.is_type(types[-1])
    assert types.count(AudioStop().event().type) == 1
    streamed = pcm(events, rate).size / rate
    whole, _ = asyncio.run(engine.synthesize(LONG, SynthesisOptions(voice="joe")))
    # phrases are cut where the text arrives rather than where the whole text would be cut: close, not equal
    assert streamed > 0.5
    assert 0.8 <= streamed / (whole.size / rate) <= 1.25  # spoken once: the compat `synthesize` was ignored


def test_errors_are_events_and_the_connection_goes_on(engine: Engine, settings: Settings, rate: int) -> None:
    async def scenario(client: AsyncTcpClient) -> dict[str, Any]:
        out: dict[str, Any] = {}
        await client.write_event(Synthesize(text=SHORT, voice=SynthesizeVoice(name="nobody")).event())
        out["unknown"] = await read(client)
        await client.write_event(Describe().event())
        out["describe"] = await read(client)
        await client.write_event(Synthesize(text="").event())
        out["empty"] = await read(client)
        await client.write_event(Synthesize(text="x" * (settings.max_text_chars + 1)).event())
        out["too_long"] = await read(client)
        await client.write_event(SynthesizeChunk(text="stray").event())
        out["stray_chunk"] = await read(client)
        await client.write_event(Event(type="synthesize", data={"text": SHORT, "voice": "joe"}))  # not an object
        out["bad_voice"] = await read(client)
        await client.write_event(Synthesize(text=SHORT, voice=SynthesizeVoice(language="fr_FR")).event())
        out["french"] = await read(client)
        # a refused stream still ends with synthesize-stopped, so a client waiting for it is released
        await client.write_event(SynthesizeStart(voice=SynthesizeVoice(name="nobody")).event())
        await client.write_event(SynthesizeChunk(text=SHORT).event())
        await client.write_event(SynthesizeStop().event())
        out["stream"] = await read_until(client, SynthesizeStopped().event().type)
        await client.write_event(Ping(text="still there").event())
        out["ping"] = await read(client)
        await client.write_event(Synthesize(text=SHORT, voice=SynthesizeVoice(language="en_US")).event())
        out["after"] = await read_until(client, AudioStop().event().type)
        return out

    out = with_server(engine, settings, scenario)
    for key, code in [("unknown", "synthesis-error"), ("empty", "synthesis-error"), ("too_long", "synthesis-error"),
                      ("stray_chunk", "invalid-event"), ("bad_voice", "invalid-event"),
                      ("french", "synthesis-error")]:  # fmt: skip
        assert Error.is_type(out[key].type), (key, out[key])
        assert Error.from_event(out[key]).code == code, (key, out[key])
    assert "nobody" in Error.from_event(out["unknown"]).text
    assert Info.is_type(out["describe"].type)
    assert [e.type for e in out["stream"]] == ["error", "synthesize-stopped"]
    assert Pong.from_event(out["ping"]).text == "still there"
    assert AudioStart.from_event(out["after"][0]).rate == rate
    assert pcm(out["after"], rate).size / rate > 0.5


def test_info_without_a_server(engine: Engine) -> None:
    info = build_info(engine)
    assert info.event().data["tts"][0]["voices"][0]["name"] == engine.default_voice


def test_ssml_and_a_client_that_leaves_mid_utterance(engine: Engine, settings: Settings, rate: int) -> None:
    baseline = engine.active_streams()  # the session's engine may still be finishing other tests' streams

    async def scenario(client: AsyncTcpClient) -> tuple[list[Event], int]:
        ssml = '<speak>Hello there. <break time="500ms"/> Goodbye now.</speak>'
        await client.write_event(Synthesize(text=ssml, text_format=SynthesizeTextFormat.SSML).event())
        events = await read_until(client, AudioStop().event().type)
        await client.write_event(Synthesize(text=LONG * 3).event())
        while not AudioChunk.is_type((await read(client)).type):
            pass
        await client.disconnect()  # gone mid-utterance: the engine must stop and free the stream's slot
        for _ in range(200):
            if engine.active_streams() <= baseline:
                break
            await asyncio.sleep(0.05)
        return events, engine.active_streams()

    events, active = with_server(engine, settings, scenario)
    assert pcm(events, rate).size / rate > 1.0  # two sentences and half a second of silence
    assert active <= baseline
