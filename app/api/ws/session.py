"""WebSocket streaming sessions: several synthesis contexts multiplexed on one socket (docs/PROTOCOL.md).

Per socket, the route's task reads client messages. Each context has two tasks: a worker (text ->
phrases -> engine -> audio out -> the context's outbox) and a sender (outbox -> socket). Outboxes are
bounded, so a client that stops reading stalls its contexts' synthesis instead of growing server memory; a
context stalled for `send_timeout_s` is dropped with an error, and a socket that cannot take a message for
that long is closed (its client reads nothing at all). Every task belongs to the session, which cancels and
awaits them all when the socket goes away.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Coroutine, MutableMapping
from functools import partial
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from app.api.guards import ClientTooSlow, ReadPace
from app.api.metrics import Metrics
from app.api.ws.messages import Outgoing, ProtocolError
from app.api.ws.outbox import End, Outbox, SlowConsumer
from app.api.ws.wire import ContextEvents, ContextSpec, NativeProtocol, WireProtocol
from app.engine.engine import Engine
from app.engine.types import CancelToken, EngineBusy, SpeechTooLong, SynthesisError
from app.engine.windows import PlaybackClock
from app.settings import Settings
from app.streaming.audio_out import AudioOut, close_stream, shift_words
from app.streaming.text_in import BUFFER_LOW_WATER_S, BUFFER_RECHECK_MS, TextIn, TextLimitExceeded, TextPiece

log = logging.getLogger(__name__)

_RECENTLY_CLOSED_KEPT = 256  # ids remembered so late messages get "context_closed", not "unknown_context"


# -- one synthesis context --------------------------------------------------------------------------


class _Mark(enum.Enum):
    FLUSH = enum.auto()
    CLOSE = enum.auto()


class Context:
    def __init__(self, session: StreamSession, spec: ContextSpec, events: ContextEvents) -> None:
        self.id = spec.context_id
        self._session = session
        self._settings = session.settings
        self._metrics = session.metrics
        self._engine = session.engine
        self._voice = spec.voice
        self._options = spec.options
        self._rate = spec.sample_rate
        self._events = events  # the protocol's messages for this context's events
        self._text = TextIn(max_chars=self._settings.max_text_chars, buffering=spec.buffering)
        self._buffer_timer: asyncio.TimerHandle | None = None  # unpunctuated text has waited long enough
        self._work: asyncio.Queue[TextPiece | _Mark] = asyncio.Queue()
        self._outbox = Outbox(self._settings.ws_send_queue_messages)
        self._cancel = CancelToken()
        self._clock = PlaybackClock()  # one listener across the context's phrases: its audio in hand sets priority
        self._closing = False
        self._speaking = False
        self._voice_samples = 0  # engine samples so far: the time base of word timestamps
        self._audio = AudioOut(self._voice.sample_rate, self._rate, spec.format, self._settings.chunk_ms)
        self._worker: asyncio.Task[None] | None = None
        self._sender: asyncio.Task[None] | None = None

    def start(self) -> None:
        for message in self._events.started():
            self._outbox.put_final(message)
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
        try:
            self._queue(self._text.push(text))
        except TextLimitExceeded as exc:
            raise ProtocolError("text_too_long", str(exc), self.id) from None
        self._arm_buffer_timer()

    def _arm_buffer_timer(self, at_least_ms: float = 0.0) -> None:
        """While text waits for a boundary, a timer (from when it started waiting) cuts it at its best break."""
        delay_ms = self._text.buffering.delay_ms
        if not self._text.pending or delay_ms is None or self._closing:
            self._stop_buffer_timer()
        elif self._buffer_timer is None:
            delay_s = max(delay_ms, at_least_ms) / 1000.0
            self._buffer_timer = asyncio.get_running_loop().call_later(delay_s, self._buffer_timeout)

    def _stop_buffer_timer(self) -> None:
        if self._buffer_timer is not None:
            self._buffer_timer.cancel()
            self._buffer_timer = None

    def _buffer_timeout(self) -> None:
        self._buffer_timer = None
        if self._closing or self._worker is None or self._worker.done():
            return
        if self._work.empty() and self._clock.in_hand() < BUFFER_LOW_WATER_S:  # the listener is about to wait
            self._queue(self._text.force())
        # nothing to cut yet (a word still arriving) or audio still playing: look again, but not in a busy loop
        self._arm_buffer_timer(at_least_ms=BUFFER_RECHECK_MS)

    def flush(self) -> None:
        if self._closing:
            raise ProtocolError("context_closed", "flush after close", self.id)
        self._stop_buffer_timer()
        self._queue(self._text.flush())
        self._work.put_nowait(_Mark.FLUSH)

    def close(self) -> None:
        if self._closing:
            raise ProtocolError("context_closed", "context is already closing", self.id)
        self._closing = True
        self._stop_buffer_timer()
        self._queue(self._text.flush())
        self._work.put_nowait(_Mark.CLOSE)

    async def cancel(self) -> None:
        """Barge-in: stop synthesis now, drop undelivered audio, answer "cancelled"."""
        self._closing = True
        self._stop_buffer_timer()
        self._cancel.cancel()
        if self._worker is not None:
            self._worker.cancel()
            await _wait_for_tasks([self._worker])
        self._outbox.discard()
        for message in self._events.cancelled():
            self._outbox.put_final(message)
        self._outbox.put_final(End.END)

    def abort(self) -> None:
        """The socket is gone: stop both tasks (the session awaits them)."""
        self._stop_buffer_timer()
        self._cancel.cancel()
        for task in (self._worker, self._sender):
            if task is not None:
                task.cancel()

    def _queue(self, pieces: list[TextPiece]) -> None:
        for piece in pieces:
            self._work.put_nowait(piece)

    # Worker: text -> audio ---------------------------------------------------------------------

    async def _work_loop(self) -> None:
        final: list[Outgoing] = []
        try:
            while True:
                item = await self._work.get()
                if isinstance(item, TextPiece):
                    self._speaking = True
                    try:
                        await self._speak(item)
                    finally:
                        self._speaking = False
                        self._text.spoken(item)
                elif item is _Mark.FLUSH:
                    await self._emit_tail(final=False)
                    for message in self._events.flushed():
                        await self._put(message)
                else:
                    await self._emit_tail(final=True)
                    samples = self._audio.samples_out
                    final = self._events.done(samples, round(samples / self._rate, 4))
                    break
        except SlowConsumer:
            self._cancel.cancel()
            self._outbox.discard()
            final = self._error("slow_consumer", "the client did not read audio in time; context dropped")
        except EngineBusy:
            final = self._error("engine_busy", "the engine is busy; context dropped, retry shortly")
        except Exception:
            log.exception("websocket context %r failed", self.id)
            final = self._error("internal_error", "synthesis failed; context dropped")
        finally:
            self._audio.close()
        # Not reached on cancellation: whoever cancelled the worker answers the client.
        for event in final:
            self._outbox.put_final(event)
        self._outbox.put_final(End.END)

    def _error(self, code: str, message: str) -> list[Outgoing]:
        self._metrics.count_error(code)
        return self._events.error(code, message)

    async def _put(self, message: Outgoing) -> None:
        await self._outbox.put(message, self._settings.send_timeout_s)

    async def _speak(self, phrase: TextPiece) -> None:
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
                    for message in self._events.words(shift_words(chunk.words, time_offset, phrase.offset)):
                        await self._put(message)
                produced += chunk.samples.size
                self._session.count_audio(chunk.samples.size / self._voice.sample_rate)
                await self._send_audio(self._audio.push(chunk.samples))
        except SynthesisError as exc:
            code = exc.code if isinstance(exc, SpeechTooLong) else "synthesis_error"
            for message in self._error(code, f"{exc} (in {phrase.text!r})"):
                await self._put(message)
            return
        finally:
            self._voice_samples += produced
            await close_stream(stream)
        seconds = produced / self._voice.sample_rate
        self._metrics.observe_real_time_factor("stream", time.perf_counter() - started, seconds)

    async def _emit_tail(self, *, final: bool) -> None:
        """Everything buffered goes out now (a flush, or the context's end)."""
        await self._send_audio(self._audio.flush(final=final))

    async def _send_audio(self, pieces: list[bytes]) -> None:
        for data in pieces:
            for message in self._events.audio(data):
                await self._put(message)

    # Sender: outbox -> socket --------------------------------------------------------------------

    async def _send_loop(self) -> None:
        try:
            while (message := await self._outbox.get()) is not End.END:
                await self._session.transmit(message)
        except asyncio.CancelledError:
            raise
        except Exception:  # the socket is gone; the reader sees the disconnect and cleans up
            log.debug("websocket send failed for context %r", self.id, exc_info=True)
        finally:
            self._closing = True
            self._stop_buffer_timer()
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
    """One socket's contexts, in the wire format of `protocol` (ours by default: docs/PROTOCOL.md)."""

    def __init__(
        self,
        websocket: WebSocket,
        engine: Engine,
        settings: Settings,
        metrics: Metrics,
        protocol: WireProtocol | None = None,
    ) -> None:
        self.websocket = websocket
        self.engine = engine
        self.settings = settings
        self.metrics = metrics
        self.protocol = protocol or NativeProtocol()
        self._contexts: dict[str, Context] = {}
        self._recently_closed: OrderedDict[str, None] = OrderedDict()
        self._send_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._stalled = asyncio.Event()  # a send waited too long (ReadPace): the socket cannot drain
        self.audio_s = 0.0  # seconds of speech made for this socket's contexts (what ReadPace measures against)
        self._pace = ReadPace(settings.send_timeout_s, settings.min_read_rate, lambda: self.audio_s)

    def count_audio(self, seconds: float) -> None:
        """Speech made for one of this socket's contexts: the read pace owes the client time to hear it."""
        self.audio_s += seconds

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
            self.protocol.retired(self, context)

    async def transmit(self, message: Outgoing) -> None:
        """Send one message; raises _ClientNotReading (and marks the socket stalled) when it cannot go out
        within `send_timeout_s`, or the client has fallen too far behind its audio (ReadPace)."""
        try:
            async with asyncio.timeout(self.settings.send_timeout_s):
                # One lock per socket: contexts take turns (asyncio.Lock is FIFO), whole messages never interleave;
                # the pace counts only time inside it, so contexts waiting side by side do not add up.
                async with self._send_lock:
                    await self._pace.send(partial(self._send, message))
        except (TimeoutError, ClientTooSlow):
            self._stalled.set()
            raise _ClientNotReading from None

    async def _send(self, message: Outgoing) -> None:
        if isinstance(message, bytes):
            await self.websocket.send_bytes(message)
        else:
            await self.websocket.send_text(json.dumps(message, separators=(",", ":")))

    async def reply(self, message: Outgoing) -> None:
        """Socket-level answers from the reader."""
        await self.transmit(message)

    async def _error(self, code: str, message: str, context_id: str | None = None) -> None:
        self.metrics.count_error(code)
        await self.reply(self.protocol.error(code, message, context_id))

    async def run(self) -> None:
        """Read client messages until the socket closes (or stalls); then stop every context's work."""
        idle_timeout = self.protocol.idle_timeout_s(self)
        stalled = asyncio.ensure_future(self._stalled.wait())
        receive: asyncio.Future[MutableMapping[str, Any]] | None = None
        try:
            await self.protocol.on_open(self)
            while True:
                receive = asyncio.ensure_future(self.websocket.receive())
                done, _ = await asyncio.wait({receive, stalled}, timeout=idle_timeout, return_when="FIRST_COMPLETED")
                if receive not in done:
                    receive.cancel()
                    if stalled in done:
                        raise _ClientNotReading
                    if any(context.busy for context in self._contexts.values()):
                        continue  # waiting for audio is not idleness
                    await self._error("idle_timeout", f"no messages for {idle_timeout:g} s; closing")
                    await self.websocket.close(1000, "idle timeout")
                    return
                message = receive.result()
                if message["type"] == "websocket.disconnect":
                    return
                if not await self._on_message(message):
                    return
        except _ClientNotReading:
            await self._close_stalled()
        except (WebSocketDisconnect, OSError):
            return
        finally:
            stalled.cancel()
            if receive is not None:
                receive.cancel()
            await self._shutdown()

    async def _close_stalled(self) -> None:
        """The client reads nothing: its queued audio is dropped, its work stopped, the socket closed. The close
        frame itself may not fit through a full window, so the attempt is bounded; the server then drops the
        connection when the handler returns."""
        self.metrics.count_error("slow_consumer")
        log.info("closing a WebSocket whose client fell behind (%.1f s waited on it)", self._pace.waited_s)
        await self._shutdown()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1.0):
                await self.websocket.close(1008, "client not reading")

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
            refusal = self.protocol.on_binary(self)
            if refusal is not None:
                await self._error(*refusal)
            return True
        raw = message.get("text")
        if raw is None:
            return True
        limit = self.settings.ws_max_message_bytes
        if len(raw) > limit or len(raw.encode()) > limit:
            await self._error("message_too_large", f"messages are limited to {limit} bytes; send text in pieces")
            return True
        try:
            return await self.protocol.on_text(self, raw)
        except ProtocolError as exc:
            await self._error(exc.code, exc.message, exc.context_id)
        return True

    async def close_socket(self, code: int = 1000, reason: str = "close_socket") -> None:
        """Stop every context now (no more of their messages) and close the socket."""
        await self._shutdown()
        await self.websocket.close(code, reason)

    # Operations for protocols ------------------------------------------------------------------

    def find(self, context_id: str) -> Context | None:
        """The open context with that id, if any."""
        return self._contexts.get(context_id)

    def context(self, context_id: str) -> Context:
        context = self._contexts.get(context_id)
        if context is not None:
            return context
        if context_id in self._recently_closed:
            raise ProtocolError("context_closed", f"context {context_id!r} is finished", context_id)
        raise ProtocolError("unknown_context", f"no context {context_id!r}; send a start message first", context_id)

    def check_can_open(self, context_id: str) -> None:
        if context_id in self._contexts:
            raise ProtocolError("context_exists", f"context {context_id!r} is already open", context_id)
        limit = self.settings.ws_max_contexts
        if len(self._contexts) >= limit:
            raise ProtocolError("too_many_contexts", f"at most {limit} contexts per socket", context_id)

    def open_context(self, spec: ContextSpec, events: ContextEvents) -> Context:
        """Open a context (its `started` events go out first); ProtocolError if the id is open or the socket full."""
        self.check_can_open(spec.context_id)
        context = Context(self, spec, events)
        self._contexts[spec.context_id] = context
        self._recently_closed.pop(spec.context_id, None)
        context.start()
        return context
