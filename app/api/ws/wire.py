"""Wire formats over the one streaming session: how a protocol reads client messages and writes a context's events.

The session (session.py) owns contexts, synthesis, bounded outboxes, cancellation and idle handling. A
protocol only translates: its client messages into the session's operations (open a context, add text,
flush, close, cancel, close the socket), and each context's events (started, words, audio, flushed, done,
cancelled, error) into its own messages. Our protocol (docs/PROTOCOL.md) is `NativeProtocol`; the
Cartesia, ElevenLabs and Deepgram ones live in app/api/compat/.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from app.api.errors import ApiError
from app.api.schemas import output_sample_rate
from app.api.voices import resolve_voice
from app.api.ws.messages import (
    CancelMessage,
    CloseSocketMessage,
    FlushMessage,
    Outgoing,
    ProtocolError,
    StartMessage,
    TextMessage,
    error_event,
    frame_prefix,
    parse_message,
)
from app.engine.types import SynthesisOptions, UnknownVoice, VoiceInfo, WordTiming
from app.streaming.text_in import Buffering

if TYPE_CHECKING:
    from app.api.ws.session import Context, StreamSession


# Errors after which a context sends nothing more (the others skip a phrase or a message, and it goes on).
CONTEXT_ENDING_ERRORS = frozenset({"slow_consumer", "engine_busy", "internal_error"})


@dataclass(frozen=True)
class ContextSpec:
    """What a context speaks with; decided (and validated) by the protocol before the context opens."""

    context_id: str
    voice: VoiceInfo
    options: SynthesisOptions
    format: str  # an AudioFormat of app.audio.encode: what AudioOut makes
    sample_rate: int
    buffering: Buffering = field(default_factory=Buffering)  # how long unpunctuated text waits for a boundary


class ContextEvents:
    """One context's events in a protocol's messages. Each method returns the messages to send, in order
    (none: the protocol has no such event). `words` come just before the audio they describe, with times
    in seconds from the context's first sample and offsets into all text the client sent to it."""

    def started(self) -> list[Outgoing]:
        return []

    def words(self, words: list[WordTiming]) -> list[Outgoing]:
        return []

    def audio(self, data: bytes) -> list[Outgoing]:
        raise NotImplementedError

    def flushed(self) -> list[Outgoing]:
        return []

    def done(self, samples: int, duration: float) -> list[Outgoing]:
        return []

    def cancelled(self) -> list[Outgoing]:
        return []

    def error(self, code: str, message: str) -> list[Outgoing]:
        raise NotImplementedError


class WireProtocol:
    """How one socket's client messages become session operations. `on_text` raises ProtocolError for a
    client mistake (answered with `error`, the socket stays open) and returns False to end the session."""

    def idle_timeout_s(self, session: StreamSession) -> float:
        return session.settings.ws_idle_timeout_s

    async def on_open(self, session: StreamSession) -> None:
        """Right after the handshake, before any client message."""

    async def on_text(self, session: StreamSession, raw: str) -> bool:
        raise NotImplementedError

    def on_binary(self, session: StreamSession) -> tuple[str, str] | None:
        """(code, message) of the error a binary client message gets; None: ignore it."""
        return "binary_not_supported", "send JSON text messages; only the server sends binary frames"

    def error(self, code: str, message: str, context_id: str | None = None) -> Outgoing:
        """A socket-level error (or a refused request about a context that is not open)."""
        raise NotImplementedError

    def retired(self, session: StreamSession, context: Context) -> None:
        """A context has sent its last message (done, cancelled or a fatal error)."""


# -- our own protocol -------------------------------------------------------------------------------


class NativeEvents(ContextEvents):
    def __init__(self, spec: ContextSpec, frame_ms: float, binary: bool) -> None:
        self._spec = spec
        self._frame_ms = frame_ms
        self._binary = binary
        self._id = spec.context_id
        self._prefix = frame_prefix(spec.context_id)

    def started(self) -> list[Outgoing]:
        return [
            {
                "type": "started",
                "context_id": self._id,
                "voice": self._spec.voice.name,
                "format": self._spec.format,
                "sample_rate": self._spec.sample_rate,
                "frame_ms": self._frame_ms,
                "binary": self._binary,
            }
        ]

    def words(self, words: list[WordTiming]) -> list[Outgoing]:
        timings = [
            {"word": w.word, "start": round(w.start, 4), "end": round(w.end, 4),
             "text_start": w.text_start, "text_end": w.text_end}
            for w in words
        ]  # fmt: skip
        return [{"type": "words", "context_id": self._id, "words": timings}]

    def audio(self, data: bytes) -> list[Outgoing]:
        if self._binary:
            return [self._prefix + data]
        return [{"type": "audio", "context_id": self._id, "audio": base64.b64encode(data).decode("ascii")}]

    def flushed(self) -> list[Outgoing]:
        return [{"type": "flushed", "context_id": self._id}]

    def done(self, samples: int, duration: float) -> list[Outgoing]:
        return [{"type": "done", "context_id": self._id, "samples": samples, "duration": duration}]

    def cancelled(self) -> list[Outgoing]:
        return [{"type": "cancelled", "context_id": self._id}]

    def error(self, code: str, message: str) -> list[Outgoing]:
        return [error_event(code, message, self._id)]


class NativeProtocol(WireProtocol):
    """/v1/stream: JSON messages with a `type`, binary audio frames prefixed with their context id."""

    async def on_text(self, session: StreamSession, raw: str) -> bool:
        message = parse_message(raw)
        if isinstance(message, CloseSocketMessage):
            await session.close_socket()
            return False
        if isinstance(message, StartMessage):
            self._start(session, message)
            return True
        context = session.context(message.context_id)
        if isinstance(message, TextMessage):
            context.add_text(message.text)
        elif isinstance(message, FlushMessage):
            context.flush()
        elif isinstance(message, CancelMessage):
            await context.cancel()
        else:
            context.close()
        return True

    def error(self, code: str, message: str, context_id: str | None = None) -> dict[str, Any]:
        return error_event(code, message, context_id)

    @staticmethod
    def _start(session: StreamSession, message: StartMessage) -> None:
        context_id = message.context_id
        session.check_can_open(context_id)
        try:
            voice = resolve_voice(session.engine, message.voice)  # OpenAI's names too, as on the HTTP API
        except UnknownVoice as exc:
            raise ProtocolError("unknown_voice", str(exc), context_id) from None
        try:  # option checks shared with the HTTP API
            options = message.synthesis_options()
            rate = output_sample_rate(message.format, message.sample_rate, voice.sample_rate)
        except ApiError as exc:
            raise ProtocolError(exc.code, exc.message, context_id) from None
        buffering = Buffering(message.buffer_chars, message.buffer_delay_ms)
        spec = ContextSpec(context_id, voice, replace(options, voice=voice.name), message.format, rate, buffering)
        session.open_context(spec, NativeEvents(spec, session.settings.chunk_ms, message.binary))
