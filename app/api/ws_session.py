"""WebSocket streaming sessions: several synthesis contexts multiplexed on one socket (docs/PROTOCOL.md).

Per socket, the route's task reads client messages. Each context has two tasks: a worker (text ->
phrases -> engine -> resampler -> framer -> encoder -> the context's outbox) and a sender (outbox ->
socket). Outboxes are bounded, so a client that stops reading stalls its contexts' synthesis instead of
growing server memory; a context stalled for `ws_send_timeout_s` is dropped with an error. Every task
belongs to the session, which cancels and awaits them all when the socket goes away.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import enum
import json
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Coroutine, MutableMapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import AfterValidator, Field, TypeAdapter, ValidationError
from starlette.websockets import WebSocket, WebSocketDisconnect

from app.api.errors import ApiError, validation_error
from app.api.metrics import Metrics
from app.api.pipeline import close_iterator
from app.api.schemas import SampleRate, StrictModel, VoiceParams, output_sample_rate
from app.audio.encode import AudioFormat, StreamEncoder
from app.audio.framing import Framer
from app.audio.resample import StreamResampler
from app.engine.engine import Engine
from app.engine.types import CancelToken, EngineBusy, SpeechTooLong, SynthesisError, SynthesisOptions, VoiceInfo
from app.engine.windows import PlaybackClock
from app.settings import Settings
from app.text.segment import IncrementalSegmenter

log = logging.getLogger(__name__)

DEFAULT_CONTEXT_ID = "default"
_RECENTLY_CLOSED_KEPT = 256  # ids remembered so late messages get "context_closed", not "unknown_context"


# -- client messages --------------------------------------------------------------------------------


def _fits_frame_header(context_id: str) -> str:
    if len(context_id.encode()) > 255:
        raise ValueError("context_id must be at most 255 bytes of UTF-8")
    return context_id


ContextId = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_fits_frame_header)]


class StartMessage(VoiceParams):
    type: Literal["start"]
    context_id: ContextId = DEFAULT_CONTEXT_ID
    format: AudioFormat = "pcm"
    sample_rate: SampleRate | None = None
    binary: bool = Field(default=True, description="false: audio as JSON events with base64 instead of binary frames")


class TextMessage(StrictModel):
    type: Literal["text"]
    context_id: ContextId = DEFAULT_CONTEXT_ID
    text: str


class FlushMessage(StrictModel):
    type: Literal["flush"]
    context_id: ContextId = DEFAULT_CONTEXT_ID


class CancelMessage(StrictModel):
    type: Literal["cancel"]
    context_id: ContextId = DEFAULT_CONTEXT_ID


class CloseMessage(StrictModel):
    type: Literal["close"]
    context_id: ContextId = DEFAULT_CONTEXT_ID


class CloseSocketMessage(StrictModel):
    type: Literal["close_socket"]


ClientMessage = Annotated[
    StartMessage | TextMessage | FlushMessage | CancelMessage | CloseMessage | CloseSocketMessage,
    Field(discriminator="type"),
]
_CLIENT_MESSAGE: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
MESSAGE_TYPES = ("start", "text", "flush", "cancel", "close", "close_socket")


class ProtocolError(Exception):
    """A client mistake, answered with an error event; the socket stays open."""

    def __init__(self, code: str, message: str, context_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.context_id = context_id


def _context_id_of(raw: str) -> str | None:
    """Best effort, for error events about a message that failed validation."""
    with contextlib.suppress(ValueError):
        data = json.loads(raw)
        if isinstance(data, dict) and isinstance(data.get("context_id"), str):
            return str(data["context_id"])[:64]
    return None


def parse_message(raw: str) -> ClientMessage:
    try:
        return _CLIENT_MESSAGE.validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors()
        kind = errors[0]["type"] if errors else ""
        if kind == "json_invalid":
            raise ProtocolError("invalid_json", f"message is not valid JSON: {errors[0]['msg']}") from None
        if kind in ("model_attributes_type", "model_type", "dict_type"):
            raise ProtocolError("invalid_message", "a message must be a JSON object") from None
        if kind == "union_tag_not_found":
            raise ProtocolError("invalid_message", "message has no 'type'", _context_id_of(raw)) from None
        if kind == "union_tag_invalid":
            tag = errors[0].get("ctx", {}).get("tag", "")
            expected = ", ".join(MESSAGE_TYPES)
            raise ProtocolError("unknown_type", f"unknown message type {tag!r}; expected one of {expected}") from None
        # loc starts with the message type (the union member): drop it, keep the field path
        fields = [{**error, "loc": tuple(error["loc"][1:])} for error in errors]
        summary = validation_error(fields)
        raise ProtocolError("invalid_message", summary.message, _context_id_of(raw)) from None


# -- server messages --------------------------------------------------------------------------------

Outgoing = bytes | dict[str, Any]


def error_event(code: str, message: str, context_id: str | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if context_id is not None:
        event["context_id"] = context_id
    return event


def frame_prefix(context_id: str) -> bytes:
    """Binary audio frames start with: 1 byte N, then N bytes of the context id in UTF-8."""
    encoded = context_id.encode()
    return bytes([len(encoded)]) + encoded


# -- phrase segmentation ------------------------------------------------------------------------------

# The first phrase of a context (and after each flush) may be a short clause, so audio starts early;
# later clause cuts wait for this many characters, so a chatty LLM does not cost one engine pass per comma.
PHRASE_MIN_CHARS = 20


# -- a context's bounded outbox ---------------------------------------------------------------------


class _End(enum.Enum):
    END = enum.auto()  # the sender stops after this


class _SlowConsumer(Exception):
    pass


class _Outbox:
    """FIFO of messages for one context. `put` waits while `limit` messages are queued (at most
    `timeout` seconds, then raises _SlowConsumer); `put_final` always fits, so a context's last words
    (done, cancelled, an error) and the end marker are never lost to a full box."""

    def __init__(self, limit: int) -> None:
        self._items: deque[Outgoing | _End] = deque()
        self._limit = limit
        self._readable = asyncio.Event()
        self._writable = asyncio.Event()
        self._writable.set()

    def __len__(self) -> int:
        return len(self._items)

    async def put(self, item: Outgoing, timeout: float) -> None:
        if len(self._items) >= self._limit:
            try:
                async with asyncio.timeout(timeout):
                    while len(self._items) >= self._limit:
                        self._writable.clear()
                        await self._writable.wait()
            except TimeoutError:
                raise _SlowConsumer from None
        self.put_final(item)

    def put_final(self, item: Outgoing | _End) -> None:
        self._items.append(item)
        self._readable.set()

    def discard(self) -> None:
        self._items.clear()
        self._writable.set()

    async def get(self) -> Outgoing | _End:
        while not self._items:
            self._readable.clear()
            await self._readable.wait()
        item = self._items.popleft()
        if len(self._items) < self._limit:
            self._writable.set()
        return item


# -- one synthesis context --------------------------------------------------------------------------


class _Mark(enum.Enum):
    FLUSH = enum.auto()
    CLOSE = enum.auto()


@dataclass(frozen=True)
class _Phrase:
    text: str
    text_offset: int  # where it starts in everything the client sent to this context


class Context:
    def __init__(
        self, session: StreamSession, start: StartMessage, voice: VoiceInfo, options: SynthesisOptions, rate: int
    ) -> None:
        self.id = start.context_id
        self._session = session
        self._settings = session.settings
        self._metrics = session.metrics
        self._engine = session.engine
        self._voice = voice
        self._options = options
        self._format = start.format
        self._binary = start.binary
        self._rate = rate
        self._prefix = frame_prefix(self.id)
        self._segmenter = IncrementalSegmenter(min_chars=PHRASE_MIN_CHARS)
        self._unphrased = ""  # text received but not yet part of a phrase ...
        self._unphrased_offset = 0  # ... and where it starts in the context's text
        self._queued_chars = 0
        self._work: asyncio.Queue[_Phrase | _Mark] = asyncio.Queue()
        self._outbox = _Outbox(self._settings.ws_send_queue_messages)
        self._cancel = CancelToken()
        self._clock = PlaybackClock()  # one listener across the context's phrases: its audio in hand sets priority
        self._closing = False
        self._speaking = False
        self._voice_samples = 0  # engine samples so far: the time base of word timestamps
        self._resampler = StreamResampler(voice.sample_rate, rate)
        self._framer = Framer(rate, self._settings.chunk_ms)
        self._encoder = StreamEncoder(self._format, rate)
        self._worker: asyncio.Task[None] | None = None
        self._sender: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._outbox.put_final(
            {
                "type": "started",
                "context_id": self.id,
                "voice": self._voice.name,
                "format": self._format,
                "sample_rate": self._rate,
                "frame_ms": self._settings.chunk_ms,
                "binary": self._binary,
            }
        )
        self._worker = self._session.spawn(self._work_loop(), f"ws-context-{self.id}-worker")
        self._sender = self._session.spawn(self._send_loop(), f"ws-context-{self.id}-sender")

    @property
    def busy(self) -> bool:
        """Audio still to make or deliver (a socket is not idle while this is true)."""
        return self._speaking or not self._work.empty() or len(self._outbox) > 0

    # Client requests, called by the session's reader --------------------------------------------

    def add_text(self, text: str) -> None:
        if self._closing:
            raise ProtocolError("context_closed", "text after close", self.id)
        limit = self._settings.max_text_chars
        if self._queued_chars + len(self._unphrased) + len(text) > limit:
            raise ProtocolError(
                "text_too_long", f"more than {limit} characters waiting to be spoken; wait for audio or flush", self.id
            )
        self._unphrased += text
        self._queue_phrases(self._segmenter.push(text))

    def flush(self) -> None:
        if self._closing:
            raise ProtocolError("context_closed", "flush after close", self.id)
        self._queue_phrases(self._segmenter.flush())
        self._work.put_nowait(_Mark.FLUSH)

    def close(self) -> None:
        if self._closing:
            raise ProtocolError("context_closed", "context is already closing", self.id)
        self._closing = True
        self._queue_phrases(self._segmenter.flush())
        self._work.put_nowait(_Mark.CLOSE)

    async def cancel(self) -> None:
        """Barge-in: stop synthesis now, drop undelivered audio, answer "cancelled"."""
        self._closing = True
        self._cancel.cancel()
        if self._worker is not None:
            self._worker.cancel()
            await _wait_for_tasks([self._worker])
        self._outbox.discard()
        self._outbox.put_final({"type": "cancelled", "context_id": self.id})
        self._outbox.put_final(_End.END)

    def abort(self) -> None:
        """The socket is gone: stop both tasks (the session awaits them)."""
        self._cancel.cancel()
        for task in (self._worker, self._sender):
            if task is not None:
                task.cancel()

    def _queue_phrases(self, phrases: list[str]) -> None:
        for phrase in phrases:
            # Locate the phrase in the received text, so word offsets point into what the client sent
            # (the segmenter may trim whitespace). If it rewrote the text, offsets are approximate.
            found = self._unphrased.find(phrase)
            start = max(found, 0)
            consumed = min(len(self._unphrased), start + len(phrase))
            self._work.put_nowait(_Phrase(phrase, self._unphrased_offset + start))
            self._queued_chars += len(phrase)
            self._unphrased = self._unphrased[consumed:]
            self._unphrased_offset += consumed

    # Worker: text -> audio ---------------------------------------------------------------------

    async def _work_loop(self) -> None:
        final: list[dict[str, Any]] = []
        try:
            while True:
                item = await self._work.get()
                if isinstance(item, _Phrase):
                    self._speaking = True
                    try:
                        await self._speak(item)
                    finally:
                        self._speaking = False
                        self._queued_chars -= len(item.text)
                elif item is _Mark.FLUSH:
                    await self._emit_tail(final=False)
                    await self._put({"type": "flushed", "context_id": self.id})
                else:
                    await self._emit_tail(final=True)
                    samples = self._framer.total_samples
                    final = [
                        {
                            "type": "done",
                            "context_id": self.id,
                            "samples": samples,
                            "duration": round(samples / self._rate, 4),
                        }
                    ]
                    break
        except _SlowConsumer:
            self._cancel.cancel()
            self._outbox.discard()
            final = [self._error("slow_consumer", "the client did not read audio in time; context dropped")]
        except EngineBusy:
            final = [self._error("engine_busy", "the engine is busy; context dropped, retry shortly")]
        except Exception:
            log.exception("websocket context %r failed", self.id)
            final = [self._error("internal_error", "synthesis failed; context dropped")]
        finally:
            self._encoder.close()
        # Not reached on cancellation: whoever cancelled the worker answers the client.
        for event in final:
            self._outbox.put_final(event)
        self._outbox.put_final(_End.END)

    def _error(self, code: str, message: str) -> dict[str, Any]:
        self._metrics.count_error(code)
        return error_event(code, message, self.id)

    async def _put(self, message: Outgoing) -> None:
        await self._outbox.put(message, self._settings.ws_send_timeout_s)

    async def _speak(self, phrase: _Phrase) -> None:
        if not any(char.isalnum() for char in phrase.text):
            return  # punctuation-only pieces of a token stream ("...", "—") are silence, not errors
        time_offset = self._voice_samples / self._voice.sample_rate
        started = time.perf_counter()
        produced = 0
        first = True
        stream = self._engine.stream(phrase.text, self._options, self._cancel, clock=self._clock)
        try:
            async for chunk in stream:
                if first:
                    first = False
                    self._metrics.observe_first_chunk("stream", time.perf_counter() - started)
                if chunk.words:
                    words = [
                        {
                            "word": w.word,
                            "start": round(w.start + time_offset, 4),
                            "end": round(w.end + time_offset, 4),
                            "text_start": w.text_start + phrase.text_offset,
                            "text_end": w.text_end + phrase.text_offset,
                        }
                        for w in chunk.words
                    ]
                    await self._put({"type": "words", "context_id": self.id, "words": words})
                produced += chunk.samples.size
                await self._emit(self._resampler.push(chunk.samples))
        except SynthesisError as exc:
            code = "speech_too_long" if isinstance(exc, SpeechTooLong) else "synthesis_error"
            await self._put(self._error(code, f"{exc} (in {phrase.text!r})"))
            return
        finally:
            self._voice_samples += produced
            await close_iterator(stream)
        seconds = produced / self._voice.sample_rate
        self._metrics.observe_real_time_factor("stream", time.perf_counter() - started, seconds)

    async def _emit(self, samples: np.ndarray) -> None:
        for frame in self._framer.push(samples):
            await self._send_audio(self._encoder.push(frame))

    async def _emit_tail(self, *, final: bool) -> None:
        """Everything buffered goes out now: resampler history, the partial frame, and at the end the
        encoder's tail (mp3/aac/opus keep up to a codec frame until then)."""
        await self._emit(self._resampler.flush())
        rest = self._framer.flush()
        if rest.size:
            await self._send_audio(self._encoder.push(rest))
        if final:
            await self._send_audio(self._encoder.finish())

    async def _send_audio(self, data: bytes) -> None:
        if not data:
            return
        if self._binary:
            await self._put(self._prefix + data)
        else:
            await self._put({"type": "audio", "context_id": self.id, "audio": base64.b64encode(data).decode("ascii")})

    # Sender: outbox -> socket --------------------------------------------------------------------

    async def _send_loop(self) -> None:
        try:
            while (message := await self._outbox.get()) is not _End.END:
                await self._session.transmit(message)
        except asyncio.CancelledError:
            raise
        except Exception:  # the socket is gone; the reader sees the disconnect and cleans up
            log.debug("websocket send failed for context %r", self.id, exc_info=True)
        finally:
            self._session.retire(self)
            if self._worker is not None and not self._worker.done():
                self._cancel.cancel()
                self._worker.cancel()


# -- one socket -------------------------------------------------------------------------------------


async def _wait_for_tasks(tasks: list[asyncio.Task[None]]) -> None:
    """Wait until `tasks` (already cancelled) have ended. Not asyncio.gather: if the waiting task is
    cancelled meanwhile, gather raises a child's CancelledError instead of the waiter's own, and
    whoever cancelled the waiter (an anyio cancel scope: Starlette's TestClient, anyio-based servers)
    no longer recognises it, so the cancellation escapes as an error."""
    if not tasks:
        return
    await asyncio.wait(tasks)
    for task in tasks:
        if not task.cancelled():
            task.exception()  # retrieved: a failure was logged by the task itself


class _ClientNotReading(Exception):
    pass


class StreamSession:
    def __init__(self, websocket: WebSocket, engine: Engine, settings: Settings, metrics: Metrics) -> None:
        self.websocket = websocket
        self.engine = engine
        self.settings = settings
        self.metrics = metrics
        self._contexts: dict[str, Context] = {}
        self._recently_closed: OrderedDict[str, None] = OrderedDict()
        self._send_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coroutine: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        task = asyncio.create_task(coroutine, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def retire(self, context: Context) -> None:
        if self._contexts.get(context.id) is context:
            del self._contexts[context.id]
            self._recently_closed[context.id] = None
            while len(self._recently_closed) > _RECENTLY_CLOSED_KEPT:
                self._recently_closed.popitem(last=False)

    async def transmit(self, message: Outgoing) -> None:
        # One lock per socket: contexts take turns (asyncio.Lock is FIFO), whole messages never interleave.
        async with self._send_lock:
            if isinstance(message, bytes):
                await self.websocket.send_bytes(message)
            else:
                await self.websocket.send_text(json.dumps(message, separators=(",", ":")))

    async def _reply(self, event: dict[str, Any]) -> None:
        """Socket-level answers from the reader; a client that reads nothing for too long is dropped."""
        try:
            async with asyncio.timeout(self.settings.ws_send_timeout_s):
                await self.transmit(event)
        except TimeoutError:
            raise _ClientNotReading from None

    async def _error(self, code: str, message: str, context_id: str | None = None) -> None:
        self.metrics.count_error(code)
        await self._reply(error_event(code, message, context_id))

    async def run(self) -> None:
        """Read client messages until the socket closes; then stop every context's work."""
        idle_timeout = self.settings.ws_idle_timeout_s
        try:
            while True:
                try:
                    async with asyncio.timeout(idle_timeout):
                        message = await self.websocket.receive()
                except TimeoutError:
                    if any(context.busy for context in self._contexts.values()):
                        continue  # waiting for audio is not idleness
                    await self._error("idle_timeout", f"no messages for {idle_timeout:g} s; closing")
                    await self.websocket.close(1000, "idle timeout")
                    return
                if message["type"] == "websocket.disconnect":
                    return
                if not await self._on_message(message):
                    return
        except (WebSocketDisconnect, _ClientNotReading, OSError):
            return
        finally:
            await self._shutdown()

    async def _shutdown(self) -> None:
        for context in list(self._contexts.values()):
            context.abort()
        for task in list(self._tasks):
            task.cancel()
        await _wait_for_tasks(list(self._tasks))
        self._contexts.clear()

    async def _on_message(self, message: MutableMapping[str, Any]) -> bool:
        """Handle one client message; False when the socket should close."""
        if message.get("bytes") is not None:
            await self._error("binary_not_supported", "send JSON text messages; only the server sends binary frames")
            return True
        raw = message.get("text")
        if raw is None:
            return True
        limit = self.settings.ws_max_message_bytes
        if len(raw) > limit or len(raw.encode()) > limit:
            await self._error("message_too_large", f"messages are limited to {limit} bytes; send text in pieces")
            return True
        try:
            parsed = parse_message(raw)
            if isinstance(parsed, CloseSocketMessage):
                await self._shutdown()
                await self.websocket.close(1000, "close_socket")
                return False
            await self._dispatch(parsed)
        except ProtocolError as exc:
            await self._error(exc.code, exc.message, exc.context_id)
        return True

    async def _dispatch(self, message: ClientMessage) -> None:
        if isinstance(message, StartMessage):
            self._start(message)
            return
        assert not isinstance(message, CloseSocketMessage)
        context = self._context(message.context_id)
        if isinstance(message, TextMessage):
            context.add_text(message.text)
        elif isinstance(message, FlushMessage):
            context.flush()
        elif isinstance(message, CancelMessage):
            await context.cancel()
        else:
            context.close()

    def _context(self, context_id: str) -> Context:
        context = self._contexts.get(context_id)
        if context is not None:
            return context
        if context_id in self._recently_closed:
            raise ProtocolError("context_closed", f"context {context_id!r} is finished", context_id)
        raise ProtocolError("unknown_context", f"no context {context_id!r}; send a start message first", context_id)

    def _start(self, message: StartMessage) -> None:
        context_id = message.context_id
        if context_id in self._contexts:
            raise ProtocolError("context_exists", f"context {context_id!r} is already open", context_id)
        limit = self.settings.ws_max_contexts
        if len(self._contexts) >= limit:
            raise ProtocolError("too_many_contexts", f"at most {limit} contexts per socket", context_id)
        if message.voice is not None and message.voice not in self.engine.voices:
            available = ", ".join(sorted(self.engine.voices))
            raise ProtocolError("unknown_voice", f"unknown voice {message.voice!r}; available: {available}", context_id)
        voice = self.engine.voice(message.voice)
        try:  # option checks shared with the HTTP API
            options = message.synthesis_options()
            rate = output_sample_rate(message.format, message.sample_rate, voice.sample_rate)
        except ApiError as exc:
            raise ProtocolError(exc.code, exc.message, context_id) from None
        context = Context(self, message, voice, options, rate)
        self._contexts[context_id] = context
        self._recently_closed.pop(context_id, None)
        context.start()
