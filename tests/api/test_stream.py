"""WebSocket /v1/stream: incremental text, flush, cancel, close, several contexts, and every error."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import itertools
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from app.api.ws import StreamSession
from app.engine.engine import Engine

TEXT_PIECES = ["Hel", "lo world", ", this is ", "a streaming", " test. How", " are you", " today?"]
RECEIVE_TIMEOUT_S = 120.0


@dataclass
class Received:
    events: list[dict[str, Any]] = field(default_factory=list)
    frames: dict[str, list[bytes]] = field(default_factory=dict)
    order: list[tuple[str, str]] = field(default_factory=list)  # (context, "audio" or event type)

    def audio(self, context_id: str) -> bytes:
        return b"".join(self.frames.get(context_id, []))

    def of(self, kind: str, context_id: str | None = None) -> list[dict[str, Any]]:
        return [
            e for e in self.events if e["type"] == kind and (context_id is None or e.get("context_id") == context_id)
        ]


def receive(ws, timeout: float = RECEIVE_TIMEOUT_S) -> dict[str, Any]:
    """ws.receive() with a deadline (Starlette's has none, and a missing reply must fail, not hang)."""

    async def get() -> dict[str, Any]:
        with anyio.fail_after(timeout):
            return dict(await ws._send_rx.receive())

    message = ws.portal.call(get)
    if message["type"] == "websocket.close":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
    return dict(message)


def read_one(ws, got: Received) -> dict[str, Any] | None:
    """Read one message into `got`: binary frames are split by their context header; returns the event,
    or None for audio."""
    message = receive(ws)
    if message.get("bytes") is not None:
        payload = message["bytes"]
        context_id = payload[1 : 1 + payload[0]].decode()
        got.frames.setdefault(context_id, []).append(payload[1 + payload[0] :])
        got.order.append((context_id, "audio"))
        return None
    event: dict[str, Any] = json.loads(message["text"])
    got.events.append(event)
    got.order.append((event.get("context_id", ""), event["type"]))
    return event


def collect(ws, until: Callable[[dict[str, Any]], bool], into: Received | None = None) -> Received:
    """Read messages until an event satisfies `until`."""
    got = into if into is not None else Received()
    while (event := read_one(ws, got)) is None or not until(event):
        pass
    return got


def is_event(kind: str, context_id: str | None = None) -> Callable[[dict[str, Any]], bool]:
    return lambda e: e["type"] == kind and (context_id is None or e.get("context_id") == context_id)


def grid_sizes(count: int, rate: int, frame_ms: float) -> list[int]:
    per_frame = Fraction(rate) * Fraction(frame_ms) / 1000
    bounds = [math.floor(k * per_frame + Fraction(1, 2)) for k in range(count + 1)]
    return [b - a for a, b in itertools.pairwise(bounds)]


def check_words(words: list[dict[str, Any]], text: str, duration: float) -> None:
    assert words, "no word timestamps"
    starts = [w["start"] for w in words]
    assert starts == sorted(starts)
    for word in words:
        assert 0.0 <= word["start"] < word["end"] <= duration + 1e-3, word
        assert text[word["text_start"] : word["text_end"]] == word["word"], word


def test_incremental_text_streams_pcm_frames_and_timestamps(client: TestClient, engine: Engine) -> None:
    rate = engine.voice(None).sample_rate
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "c1", "format": "pcm"})
        for piece in TEXT_PIECES:
            ws.send_json({"type": "text", "context_id": "c1", "text": piece})
        ws.send_json({"type": "close", "context_id": "c1"})
        got = collect(ws, is_event("done", "c1"))
    started = got.of("started", "c1")[0]
    assert started["sample_rate"] == rate and started["format"] == "pcm" and started["frame_ms"] == 50.0
    assert got.order[0] == ("c1", "started")
    frames = got.frames["c1"]
    sizes = [len(frame) // 2 for frame in frames]
    assert sizes[:-1] == grid_sizes(len(frames) - 1, rate, 50.0)  # exact 50 ms grid across phrases
    done = got.of("done", "c1")[0]
    assert sum(sizes) == done["samples"]
    duration = done["samples"] / rate
    assert duration > 1.5
    text = "".join(TEXT_PIECES)
    words = [w for e in got.of("words", "c1") for w in e["words"]]
    check_words(words, text, duration)
    assert [w["word"] for w in words] == [
        "Hello",
        "world",
        "this",
        "is",
        "a",
        "streaming",
        "test",
        "How",
        "are",
        "you",
        "today",
    ]


def test_flush_speaks_buffered_text_then_more_text_follows(client: TestClient, engine: Engine) -> None:
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "f", "format": "pcm", "sample_rate": 16000})
        ws.send_json({"type": "text", "context_id": "f", "text": "Good morning my friend"})  # no boundary yet
        ws.send_json({"type": "flush", "context_id": "f"})
        got = collect(ws, is_event("flushed", "f"))
        flushed_bytes = len(got.audio("f"))
        assert flushed_bytes > 16000  # more than half a second of 16-bit audio before "flushed"
        ws.send_json({"type": "text", "context_id": "f", "text": " and goodbye."})
        ws.send_json({"type": "close", "context_id": "f"})
        collect(ws, is_event("done", "f"), got)
    assert len(got.audio("f")) > flushed_bytes
    assert all(len(frame) == 1600 for frame in got.frames["f"][:10])  # 50 ms at 16 kHz
    words = [w for e in got.of("words", "f") for w in e["words"]]
    check_words(words, "Good morning my friend and goodbye.", got.of("done", "f")[0]["duration"])
    assert words[-1]["word"] == "goodbye"


def test_cancel_stops_at_once_and_other_contexts_go_on(client: TestClient, engine: Engine) -> None:
    long_text = "This is a long sentence that keeps on going for quite a while. " * 6
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "a"})
        ws.send_json({"type": "text", "context_id": "a", "text": long_text})
        ws.send_json({"type": "close", "context_id": "a"})
        got = Received()
        while "a" not in got.frames:  # audio is flowing
            read_one(ws, got)
        ws.send_json({"type": "cancel", "context_id": "a"})
        collect(ws, is_event("cancelled", "a"), got)
        after_cancel = len(got.order)
        ws.send_json({"type": "start", "context_id": "b"})
        ws.send_json({"type": "text", "context_id": "b", "text": "Still here."})
        ws.send_json({"type": "close", "context_id": "b"})
        collect(ws, is_event("done", "b"), got)
        ws.send_json({"type": "text", "context_id": "a", "text": "more"})
        error = collect(ws, is_event("error")).events[-1]
    assert not [item for item in got.order[after_cancel:] if item[0] == "a"], "audio after cancelled"
    assert not got.of("done", "a")
    assert got.audio("b")
    assert error["code"] == "context_closed" and error["context_id"] == "a"
    wait_until(lambda: engine.active_streams() == 0)


def test_two_contexts_at_once(client: TestClient, decode, engine: Engine) -> None:
    texts = {"x": "The first voice says hello.", "y": "And the second one answers, loud and clear."}
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "x", "format": "wav"})
        ws.send_json({"type": "start", "context_id": "y", "format": "mulaw"})
        for x_word, y_word in itertools.zip_longest(texts["x"].split(" "), texts["y"].split(" ")):
            for context_id, word in (("x", x_word), ("y", y_word)):
                if word is not None:
                    ws.send_json({"type": "text", "context_id": context_id, "text": word + " "})
        ws.send_json({"type": "close", "context_id": "x"})
        ws.send_json({"type": "close", "context_id": "y"})
        got = collect(ws, is_event("done", "x"))
        if not got.of("done", "y"):
            collect(ws, is_event("done", "y"), got)
    rate = engine.voice(None).sample_rate
    x_audio, x_rate = decode(got.audio("x"), "wav")
    y_audio, y_rate = decode(got.audio("y"), "mulaw", 8000)
    assert (x_rate, y_rate) == (rate, 8000)
    assert x_audio.size == got.of("done", "x")[0]["samples"]
    assert y_audio.size == got.of("done", "y")[0]["samples"]
    assert y_audio.size / 8000 > x_audio.size / rate  # the longer text is the longer audio
    for context_id in texts:
        words = [w for e in got.of("words", context_id) for w in e["words"]]
        check_words(words, texts[context_id] + " ", got.of("done", context_id)[0]["duration"])


@pytest.mark.parametrize(("fmt", "rate"), [("opus", 48000), ("mp3", 24000), ("flac", 22050), ("aac", 16000)])
def test_compressed_formats_stream_as_one_decodable_file(client: TestClient, decode, fmt: str, rate: int) -> None:
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "z", "format": fmt, "sample_rate": rate})
        ws.send_json({"type": "text", "context_id": "z", "text": "Compressed audio, streamed."})
        ws.send_json({"type": "close", "context_id": "z"})
        got = collect(ws, is_event("done", "z"))
    assert got.of("started")[0]["sample_rate"] == rate
    samples, decoded_rate = decode(got.audio("z"), fmt)
    assert decoded_rate == rate
    assert abs(samples.size / rate - got.of("done", "z")[0]["duration"]) < 0.15


def test_json_audio_when_binary_is_off(client: TestClient, decode) -> None:
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "j", "binary": False, "format": "pcm", "sample_rate": 24000})
        ws.send_json({"type": "text", "context_id": "j", "text": "Base sixty four."})
        ws.send_json({"type": "close", "context_id": "j"})
        got = collect(ws, is_event("done", "j"))
    assert not got.frames
    audio = b"".join(base64.b64decode(e["audio"]) for e in got.of("audio", "j"))
    assert len(audio) == 2 * got.of("done", "j")[0]["samples"]
    assert decode(audio, "pcm", 24000)[0].std() > 1e-3


# -- errors are events; the socket survives them ----------------------------------------------------


def expect_error(ws, code: str) -> dict[str, Any]:
    event = collect(ws, is_event("error")).events[-1]
    assert event["code"] == code, event
    assert event["message"]
    return event


def still_works(ws) -> None:
    ws.send_json({"type": "start", "context_id": "ok"})
    collect(ws, is_event("started", "ok"))
    ws.send_json({"type": "cancel", "context_id": "ok"})
    collect(ws, is_event("cancelled", "ok"))


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("{not json", "invalid_json"),
        ("[1, 2]", "invalid_message"),
        ('{"context_id": "c"}', "invalid_message"),
        ('{"type": "sing"}', "unknown_type"),
        ('{"type": "text", "context_id": "nope", "text": "hi"}', "unknown_context"),
        ('{"type": "flush", "context_id": "nope"}', "unknown_context"),
        ('{"type": "start", "speed": 9}', "invalid_message"),
        ('{"type": "start", "colour": "blue"}', "invalid_message"),
        ('{"type": "start", "format": "ogg"}', "invalid_message"),
        ('{"type": "start", "voice": "nobody"}', "unknown_voice"),
        ('{"type": "start", "format": "opus", "sample_rate": 16000}', "unsupported_sample_rate"),
        ('{"type": "start", "lexicon": {"hi": "XX"}}', "invalid_lexicon"),
        ('{"type": "start", "context_id": ""}', "invalid_message"),
    ],
)
def test_bad_messages_get_error_events(client: TestClient, message: str, code: str) -> None:
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_text(message)
        expect_error(ws, code)
        still_works(ws)


def test_binary_frames_from_the_client_are_an_error(client: TestClient) -> None:
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_bytes(b"\x00\x01")
        expect_error(ws, "binary_not_supported")
        still_works(ws)


def test_oversized_message(client: TestClient, settings) -> None:
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "c"})
        ws.send_json({"type": "text", "context_id": "c", "text": "a" * (settings.ws_max_message_bytes + 1)})
        expect_error(ws, "message_too_large")
        still_works(ws)


def test_text_after_close_and_duplicate_start(client: TestClient) -> None:
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "c"})
        ws.send_json({"type": "start", "context_id": "c"})
        assert expect_error(ws, "context_exists")["context_id"] == "c"
        ws.send_json({"type": "close", "context_id": "c"})
        ws.send_json({"type": "text", "context_id": "c", "text": "too late"})
        assert expect_error(ws, "context_closed")["context_id"] == "c"


def test_too_many_contexts(client: TestClient, override) -> None:
    with override(ws_max_contexts=2), client.websocket_connect("/v1/stream") as ws:
        for context_id in ("a", "b", "c"):
            ws.send_json({"type": "start", "context_id": context_id})
        assert expect_error(ws, "too_many_contexts")["context_id"] == "c"


def test_too_much_pending_text(client: TestClient, override) -> None:
    with override(max_text_chars=30), client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "c"})
        ws.send_json({"type": "text", "context_id": "c", "text": "no boundary in this long text at all"})
        expect_error(ws, "text_too_long")


def test_a_phrase_that_reads_out_too_long_is_an_error_event(client: TestClient, engine: Engine, monkeypatch) -> None:
    monkeypatch.setattr(engine, "config", dataclasses.replace(engine.config, max_spoken_words=5))
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "c"})
        ws.send_json({"type": "text", "context_id": "c", "text": "It is 12,345,678 metres away. "})
        ws.send_json({"type": "flush", "context_id": "c"})
        assert "the limit is 5" in expect_error(ws, "speech_too_long")["message"]
        still_works(ws)


def test_idle_socket_is_closed_with_an_error_first(client: TestClient, override) -> None:
    with override(ws_idle_timeout_s=0.3), client.websocket_connect("/v1/stream") as ws:
        expect_error(ws, "idle_timeout")
        with pytest.raises(WebSocketDisconnect) as closed:
            receive(ws)
        assert closed.value.code == 1000


def test_close_socket(client: TestClient) -> None:
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "c"})
        ws.send_json({"type": "close_socket"})
        with pytest.raises(WebSocketDisconnect):
            collect(ws, lambda e: False)


def test_api_keys_on_the_websocket(client: TestClient, override) -> None:
    with override(api_keys=["sk-ws"]):
        with pytest.raises(WebSocketDenialResponse) as denied, client.websocket_connect("/v1/stream"):
            pass
        assert denied.value.status_code == 401
        assert denied.value.json()["error"]["code"] == "invalid_api_key"
        with client.websocket_connect("/v1/stream?api_key=sk-ws") as ws:
            still_works(ws)
        with client.websocket_connect("/v1/stream", subprotocols=["token", "sk-ws"]) as ws:
            assert ws.accepted_subprotocol == "token"
            still_works(ws)
        with client.websocket_connect("/v1/stream", headers={"X-API-Key": "sk-ws"}) as ws:
            still_works(ws)


# -- resources: disconnects and slow readers never leak work ------------------------------------------


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def test_disconnect_cancels_synthesis(client: TestClient, engine: Engine) -> None:
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "d"})
        ws.send_json({"type": "text", "context_id": "d", "text": "A long text that will not be heard. " * 8})
        ws.send_json({"type": "close", "context_id": "d"})
        while receive(ws).get("bytes") is None:
            pass
    wait_until(lambda: engine.active_streams() == 0)


class _StuckSocket:
    """A client that sends messages but never reads: every send blocks."""

    def __init__(self, messages: list[dict[str, Any]]) -> None:
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        for message in messages:
            self.inbox.put_nowait({"type": "websocket.receive", "text": json.dumps(message)})
        self.closed_with: int | None = None

    async def receive(self) -> dict[str, Any]:
        return await self.inbox.get()

    async def send_text(self, data: str) -> None:
        await asyncio.Event().wait()

    send_bytes = send_text

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed_with = code


def test_a_client_that_stops_reading_is_dropped_with_its_work(client: TestClient, app, engine: Engine) -> None:
    """The session ends by itself (no disconnect from the client): queued audio dropped, synthesis stopped,
    a 1008 close attempted. tests/api/test_limits.py shows the same through a real socket."""
    settings = app.state.settings.model_copy(update={"ws_send_queue_messages": 4, "send_timeout_s": 0.3})
    messages = [
        {"type": "start", "context_id": "s"},
        {"type": "text", "context_id": "s", "text": "Nobody is reading this audio at all. " * 4},
        {"type": "close", "context_id": "s"},
    ]
    before = app.state.metrics.registry.get_sample_value("tts_errors_total", {"kind": "slow_consumer"}) or 0

    async def scenario() -> tuple[int | None, int]:
        socket = _StuckSocket(messages)
        session = StreamSession(socket, engine, settings, app.state.metrics)  # type: ignore[arg-type]
        await asyncio.wait_for(session.run(), 60)
        return socket.closed_with, len(session._tasks)

    assert client.portal is not None
    closed_with, tasks_left = client.portal.call(scenario)
    assert closed_with == 1008
    assert tasks_left == 0
    assert engine.active_streams() == 0
    assert app.state.metrics.registry.get_sample_value("tts_errors_total", {"kind": "slow_consumer"}) > before


RUN_ON = (
    "so I was thinking we could take the long way home through the old part of town and stop for coffee at "
    "the little place near the station because they make the best pastries in the whole city"
)


@pytest.mark.parametrize("buffering", [{"buffer_chars": None, "buffer_delay_ms": 300}, {"buffer_delay_ms": None}])
def test_an_unpunctuated_stream_starts_speaking_before_it_ends(client: TestClient, buffering: dict[str, Any]) -> None:
    """An LLM's run-on sentence, token by token, no flush: audio comes once the buffer passes its length (150
    characters by default) or has waited its delay; every word is still spoken once, in order."""
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "r", **buffering})
        collect(ws, is_event("started", "r"))
        for i in range(0, len(RUN_ON), 5):
            ws.send_json({"type": "text", "context_id": "r", "text": RUN_ON[i : i + 5]})
        got = Received()
        while read_one(ws, got) is not None or not got.frames.get("r"):  # audio before we close the context
            pass
        ws.send_json({"type": "close", "context_id": "r"})
        collect(ws, is_event("done", "r"), into=got)
    words = [w["word"] for e in got.of("words", "r") for w in e["words"]]
    assert words == RUN_ON.split()


def test_buffering_off_waits_for_punctuation_or_flush(client: TestClient) -> None:
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "w", "buffer_chars": None, "buffer_delay_ms": None})
        collect(ws, is_event("started", "w"))
        ws.send_json({"type": "text", "context_id": "w", "text": RUN_ON})
        with pytest.raises(TimeoutError):  # nothing is spoken while the sentence may still go on
            receive(ws, timeout=1.5)
        ws.send_json({"type": "flush", "context_id": "w"})
        got = collect(ws, is_event("flushed", "w"))
        assert got.frames["w"] and got.of("words", "w")[0]["words"][0]["word"] == "so"
        ws.send_json({"type": "close", "context_id": "w"})
        collect(ws, is_event("done", "w"))
