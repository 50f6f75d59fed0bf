"""WebSocket /v1/stream under generated message sequences (Hypothesis).

Each example opens one socket and sends a random mix of valid and invalid client messages -- start /
text / flush / cancel / close for several context ids (good and bad options), broken JSON, non-objects,
unknown types and fields, bad ids, binary frames, oversized messages, text after close -- then ends in
one of three ways: drain (cancel everything and read until every context has finished), close_socket,
or an abrupt disconnect. Throughout, every receive has a deadline and every server message must be
either a binary frame for an open context or a documented JSON event (docs/PROTOCOL.md), with errors
shaped {"type": "error", "code", "message"[, "context_id"]} and never an internal_error. Afterwards the
engine has no active streams left and a fresh socket still speaks.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from starlette.websockets import WebSocketDisconnect

from app.engine.engine import Engine

RECEIVE_TIMEOUT_S = 60.0  # no reply within this is a hang, and fails the example
QUIET_S = 0.3  # after everything finished: nothing more may arrive, checked for this long
EXAMPLES = int(os.environ.get("TTS_WS_EXAMPLES", "50"))  # fewer for a quick development run

# Small limits, so generated messages reach them cheaply and synthesis stays short on a busy CPU.
LIMITS = {"max_text_chars": 120, "ws_max_contexts": 2, "ws_max_message_bytes": 1024}

IDS = ["a", "b", "default"]  # "default" is also what a message without context_id means
BAD_IDS: list[Any] = ["", "x" * 65, "😀" * 64, 7, None, ["a"]]  # too short, too long, > 255 bytes, not str
FORMATS = ("pcm", "wav", "mulaw", "opus", "mp3", "aac", "flac")
RATES = (8000, 16000, 22050, 24000, 48000)
SPEAKABLE = ["Hello", " world.", " How are you?", "Yes, ", "no.", "It costs $5", " at 3:45 pm."]
ODD_TEXTS = ["😀", "你好", "...", " ", "", "word " * 30]  # silence, unspeakable, empty, over max_text_chars
texts = st.one_of(st.sampled_from(SPEAKABLE), st.sampled_from(SPEAKABLE), st.sampled_from(ODD_TEXTS))
RAW_MESSAGES = [
    "",
    "{not json",
    "null",
    "42",
    '"start"',
    "[1, 2]",
    "{}",
    '{"type": 5}',
    '{"type": "speak"}',
    '{"type": "START"}',
    '{"type": "text", "context_id": "a"}',
    '{"type": "text", "context_id": "a", "text": 5}',
    '{"type": "text", "context_id": "a", "text": "hi", "extra": 1}',
    '{"type": "close_socket", "context_id": "a"}',
    '{"type": "start", "speed": "fast"}',
    '{"type": "start", "speed": 1e999}',
    '{"type": "flush", "context_id": "a", "text": "x"}',
]

# -- what the server may send (docs/PROTOCOL.md) --------------------------------------------------------

EVENT_KEYS = {
    "started": {"type", "context_id", "voice", "format", "sample_rate", "frame_ms", "binary"},
    "words": {"type", "context_id", "words"},
    "audio": {"type", "context_id", "audio"},
    "flushed": {"type", "context_id"},
    "done": {"type", "context_id", "samples", "duration"},
    "cancelled": {"type", "context_id"},
}
WORD_KEYS = {"word", "start", "end", "text_start", "text_end"}
ERROR_CODES = {
    "invalid_json",
    "invalid_message",
    "unknown_type",
    "message_too_large",
    "binary_not_supported",
    "unknown_context",
    "context_closed",
    "context_exists",
    "too_many_contexts",
    "unknown_voice",
    "invalid_lexicon",
    "unsupported_sample_rate",
    "text_too_long",
    "synthesis_error",
    "engine_busy",
    "slow_consumer",
    "internal_error",  # documented, but a server bug: never acceptable here
    "idle_timeout",
}
CONTEXT_ENDING_ERRORS = {"engine_busy", "slow_consumer", "internal_error"}  # "context dropped"


# -- generated client messages ------------------------------------------------------------------------


@dataclass(frozen=True)
class Send:
    kind: str  # "json" (payload is an object), "text" (a raw text frame), "bytes" (a binary frame)
    payload: Any

    def __repr__(self) -> str:
        return f"{self.kind}:{self.payload!r}"[:160]


def with_id(message: dict[str, Any], context_id: str, omit_default: bool) -> dict[str, Any]:
    if not (omit_default and context_id == "default"):
        message["context_id"] = context_id
    return message


context_ids = st.sampled_from(IDS)
good_start_options = st.fixed_dictionaries(
    {},
    optional={
        "voice": st.sampled_from([None, "joe"]),
        "format": st.sampled_from(FORMATS),
        "sample_rate": st.sampled_from([None, *RATES]),  # opus and mulaw refuse all but their own
        "speed": st.sampled_from([1.0, 1.5, 0.5]),
        "pitch": st.sampled_from([0.0, 2.0]),
        "energy": st.sampled_from([1.0, 0.5]),
        "binary": st.booleans(),
        "lexicon": st.just({"tomato": "T AH0 M EY1 T OW2"}),
    },
)
BAD_START_OPTIONS: list[dict[str, Any]] = [
    {"voice": "nobody"},
    {"format": "ogg"},
    {"sample_rate": 44100},
    {"speed": 0.1},
    {"pitch": 99.0},
    {"lexicon": {"hi": "XX"}},
    {"colour": "blue"},  # an unknown field
    {"binary": "yes"},
]
start_options = st.one_of(
    good_start_options,
    good_start_options,
    good_start_options,
    st.builds(lambda good, bad: {**good, **bad}, good_start_options, st.sampled_from(BAD_START_OPTIONS)),
)


@st.composite
def context_messages(draw: st.DrawFn) -> Send:
    kind = draw(st.sampled_from(["start", "start", "text", "text", "text", "flush", "cancel", "close"]))
    message: dict[str, Any] = {"type": kind}
    if kind == "start":
        message.update(draw(start_options))
    elif kind == "text":
        message["text"] = draw(texts | st.text(max_size=12))
    return Send("json", with_id(message, draw(context_ids), draw(st.booleans())))


def bad_id_message(kind: str, bad_id: Any) -> Send:
    message = {"type": kind, "context_id": bad_id}
    if kind == "text":
        message["text"] = "hi"
    return Send("json", message)


def oversized_message(context_id: str) -> Send:
    """A valid message, a few bytes over the size limit."""
    return Send("json", {"type": "text", "context_id": context_id, "text": "a" * LIMITS["ws_max_message_bytes"]})


bad_messages = st.one_of(
    st.sampled_from(RAW_MESSAGES).map(lambda raw: Send("text", raw)),
    st.text(max_size=24).map(lambda raw: Send("text", raw)),
    st.binary(max_size=24).map(lambda data: Send("bytes", data)),
    st.builds(bad_id_message, st.sampled_from(["start", "text", "flush", "cancel", "close"]), st.sampled_from(BAD_IDS)),
    st.builds(oversized_message, context_ids),
)
client_messages = st.one_of(context_messages(), context_messages(), bad_messages)


@st.composite
def context_scripts(draw: st.DrawFn) -> list[Send]:
    """One utterance the way a client would send it: start, text pieces (and flushes), then close,
    cancel, close followed by more text, or nothing (left open)."""
    context_id = draw(context_ids)
    omit = draw(st.booleans())
    script = [Send("json", with_id({"type": "start", **draw(start_options)}, context_id, omit))]
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 4)) == 4:  # (the simplest example is text, not flush)
            script.append(Send("json", with_id({"type": "flush"}, context_id, omit)))
        else:
            text = draw(texts)
            script.append(Send("json", with_id({"type": "text", "text": text}, context_id, omit)))
    endings = [["close"], ["close"], ["close"], ["cancel"], [], ["close", "text"], ["cancel", "close"]]
    for kind in draw(st.sampled_from(endings)):
        message = {"type": kind, "text": "late"} if kind == "text" else {"type": kind}
        script.append(Send("json", with_id(message, context_id, omit)))
    return script


@st.composite
def sequences(draw: st.DrawFn) -> list[Send]:
    """Up to three scripts (ids may repeat: duplicate starts, reuse after finishing) and random messages,
    interleaved at random."""
    queues = [*draw(st.lists(context_scripts(), min_size=1, max_size=3)), draw(st.lists(client_messages, max_size=10))]
    sequence: list[Send] = []
    while pending := [queue for queue in queues if queue]:
        sequence.append(draw(st.sampled_from(pending)).pop(0))
    return sequence


endings = st.sampled_from(["finish", "finish", "finish", "cancel", "close_socket", "disconnect"])


# -- the client side: bounded receives and a checker of every server message -------------------------


def receive(ws: Any, timeout: float = RECEIVE_TIMEOUT_S) -> dict[str, Any]:
    """ws.receive() with a deadline (Starlette's has none): a missing reply fails, it does not hang."""

    async def get() -> dict[str, Any]:
        with anyio.fail_after(timeout):
            message: dict[str, Any] = await ws._send_rx.receive()
            return message

    message: dict[str, Any] = ws.portal.call(get)
    if message["type"] == "websocket.close":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
    return message


@dataclass
class Context:
    started: dict[str, Any]
    audio_bytes: int = 0


@dataclass
class Checker:
    """Checks each server message against the protocol, tracking contexts as the client sees them:
    open from "started" until "done", "cancelled" or an error that drops the context."""

    open: dict[str, Context] = field(default_factory=dict)
    finished: list[str] = field(default_factory=list)
    audio_bytes: dict[str, int] = field(default_factory=dict)  # of finished contexts, by id (the last one)
    errors: list[dict[str, Any]] = field(default_factory=list)
    received: int = 0

    def feed(self, message: dict[str, Any]) -> dict[str, Any] | None:
        self.received += 1
        if message.get("bytes") is not None:
            self.frame(message["bytes"])
            return None
        event: dict[str, Any] = json.loads(message["text"])
        self.event(event)
        return event

    def frame(self, payload: bytes) -> None:
        assert len(payload) >= 2, payload
        size = payload[0]
        context_id = payload[1 : 1 + size].decode()
        audio = payload[1 + size :]
        context = self.open.get(context_id)
        assert context is not None, f"audio for {context_id!r}, which is not open"
        assert context.started["binary"], "binary frame for a context that asked for JSON audio"
        assert audio, "empty audio frame"
        if context.started["format"] in ("pcm", "wav"):  # 16-bit samples (and wav's 44-byte header)
            assert len(audio) % 2 == 0, len(audio)
        context.audio_bytes += len(audio)

    def event(self, event: dict[str, Any]) -> None:
        assert isinstance(event, dict), event
        kind = event.get("type")
        if kind == "error":
            self.error(event)
            return
        assert kind in EVENT_KEYS, f"undocumented event {event}"
        assert set(event) == EVENT_KEYS[kind], event
        context_id = event["context_id"]
        assert isinstance(context_id, str) and 1 <= len(context_id) <= 64, event
        if kind == "started":
            assert context_id not in self.open, f"started twice without finishing: {event}"
            assert isinstance(event["voice"], str) and event["format"] in FORMATS, event
            assert event["sample_rate"] in RATES and event["frame_ms"] > 0, event
            assert isinstance(event["binary"], bool), event
            self.open[context_id] = Context(event)
            return
        context = self.open.get(context_id)
        assert context is not None, f"{kind} for {context_id!r}, which is not open: {event}"
        if kind == "words":
            assert event["words"], event
            for word in event["words"]:
                assert set(word) == WORD_KEYS, word
                assert 0 <= word["start"] <= word["end"], word
                assert 0 <= word["text_start"] <= word["text_end"], word
        elif kind == "audio":
            assert not context.started["binary"], "JSON audio for a context that asked for binary frames"
            data = base64.b64decode(event["audio"], validate=True)
            assert data, event
            context.audio_bytes += len(data)
        elif kind == "done":
            samples = event["samples"]
            rate = context.started["sample_rate"]
            assert isinstance(samples, int) and samples >= 0, event
            assert event["duration"] == pytest.approx(samples / rate, abs=1e-4), event
            header = 44 if context.started["format"] == "wav" and context.audio_bytes else 0
            per_sample = {"pcm": 2, "wav": 2, "mulaw": 1}.get(context.started["format"])
            if per_sample is not None:  # raw formats: every sample arrived, nothing more
                assert context.audio_bytes == header + per_sample * samples, (context, event)
            self.end(context_id)
        elif kind == "cancelled":
            self.end(context_id)

    def error(self, event: dict[str, Any]) -> None:
        assert set(event) in ({"type", "code", "message"}, {"type", "code", "message", "context_id"}), event
        assert event["code"] in ERROR_CODES, event
        assert event["code"] != "internal_error", f"server bug: {event}"
        assert isinstance(event["message"], str) and event["message"], event
        if "context_id" in event:
            assert isinstance(event["context_id"], str) and len(event["context_id"]) <= 64, event
        self.errors.append(event)
        if event["code"] in CONTEXT_ENDING_ERRORS and event.get("context_id") in self.open:
            self.end(event["context_id"])

    def end(self, context_id: str) -> None:
        self.audio_bytes[context_id] = self.open.pop(context_id).audio_bytes
        self.finished.append(context_id)


def read_until(ws: Any, checker: Checker, done: Callable[[dict[str, Any] | None], bool]) -> None:
    while not done(checker.feed(receive(ws))):
        pass


def settle(ws: Any, checker: Checker) -> None:
    """Read (and check) until every context that started has finished and nothing more arrives."""
    while True:
        while checker.open:
            checker.feed(receive(ws))
        try:
            message = receive(ws, QUIET_S)
        except TimeoutError:
            return
        checker.feed(message)  # a late "started": wait for that context too


def sentinel(ws: Any, name: str) -> Callable[[dict[str, Any] | None], bool]:
    """The reader answers an unknown type itself, after everything sent before it."""
    ws.send_text(json.dumps({"type": name}))
    return lambda e: e is not None and e["type"] == "error" and e["code"] == "unknown_type" and name in e["message"]


def send(ws: Any, item: Send) -> None:
    if item.kind == "json":
        ws.send_text(json.dumps(item.payload, ensure_ascii=False))
    elif item.kind == "text":
        ws.send_text(item.payload)
    else:
        ws.send_bytes(item.payload)


def close_bounded(ws: Any, timeout: float = RECEIVE_TIMEOUT_S) -> None:
    """Leave the `with` block of a TestClient socket, failing (not hanging) if the server never stops."""
    failure: list[BaseException] = []

    def leave() -> None:
        try:
            ws.__exit__(None, None, None)
        except BaseException as exc:  # reported below
            failure.append(exc)

    thread = threading.Thread(target=leave, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "the server did not finish the socket"
    if failure and not isinstance(failure[0], WebSocketDisconnect):
        raise failure[0]


def wait_until(condition: Callable[[], bool], timeout: float = RECEIVE_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def open_sockets(app: FastAPI) -> float:
    """The route's own count of sessions still running (it drops when StreamSession.run returns)."""
    value = app.state.metrics.registry.get_sample_value("tts_websocket_connections")
    return float(value or 0.0)


def speaks(client: TestClient) -> int:
    ws = client.websocket_connect("/v1/stream").__enter__()
    try:
        ws.send_text(json.dumps({"type": "start", "context_id": "fresh"}))
        ws.send_text(json.dumps({"type": "text", "context_id": "fresh", "text": "Yes."}))
        ws.send_text(json.dumps({"type": "close", "context_id": "fresh"}))
        checker = Checker()
        read_until(ws, checker, lambda e: e is not None and e["type"] == "done")
        assert not checker.errors, checker.errors
        return checker.audio_bytes["fresh"]
    finally:
        close_bounded(ws)


# -- the property -------------------------------------------------------------------------------------


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(messages=sequences(), ending=endings)
def test_any_message_sequence_keeps_the_protocol_and_the_server_healthy(
    client: TestClient,
    app: FastAPI,
    engine: Engine,
    override: Callable[..., AbstractContextManager[None]],
    messages: list[Send],
    ending: str,
) -> None:
    sockets_before = open_sockets(app)
    with override(**LIMITS):
        ws = client.websocket_connect("/v1/stream").__enter__()
        checker = Checker()
        try:
            for item in messages:
                send(ws, item)
            if ending in ("finish", "cancel"):
                # Once everything sent is handled, close (finish speaking) or cancel every id -- each
                # answers done / cancelled or an error -- and read until every started context has ended.
                read_until(ws, checker, sentinel(ws, "sentinel-one"))
                kind = "close" if ending == "finish" else "cancel"
                for context_id in IDS:
                    ws.send_text(json.dumps({"type": kind, "context_id": context_id}))
                read_until(ws, checker, sentinel(ws, "sentinel-two"))
                settle(ws, checker)
            elif ending == "close_socket":
                ws.send_text(json.dumps({"type": "close_socket"}))
                with pytest.raises(WebSocketDisconnect) as closed:
                    while True:
                        checker.feed(receive(ws))
                assert closed.value.code == 1000
            else:  # the client goes away: the server must end the session by itself, promptly
                ws.close(1000)
                wait_until(lambda: open_sockets(app) == sockets_before)
        finally:
            close_bounded(ws)
        event(f"ending: {ending}")
        event(f"contexts finished: {min(len(checker.finished), 3)}")
        audio = any(checker.audio_bytes.values()) or any(c.audio_bytes for c in checker.open.values())
        event(f"audio received: {audio}")
        for code in sorted({e["code"] for e in checker.errors}):
            event(f"error: {code}")
        # every stream the socket started has ended, and the inference thread has dropped their jobs
        wait_until(lambda: engine.active_streams() == 0 and engine.queue_depth() == 0)
    assert speaks(client) > 0
