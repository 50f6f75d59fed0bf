"""Cartesia's TTS WebSocket (`/tts/websocket`), as Pipecat's `CartesiaTTSService` and LiveKit's `cartesia.TTS`
speak it: point their `url` / `base_url` at this server and they work unchanged.

Client messages are JSON generation requests: the first one with a new `context_id` opens a context with its
voice and `output_format`; `transcript` text is appended, `continue: false` ends the context's input, `flush:
true` speaks what is buffered (answered `flush_done`), and `{"context_id", "cancel": true}` stops the context at
once. The server answers `chunk` (base64 audio), `timestamps` (with `add_timestamps`), `flush_done`, `done` and
`error`. What is supported and what is accepted and ignored: docs/COMPATIBILITY.md.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, WebSocket
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.api.compat.common import engine_of, json_object, key_accepted, key_from_authorization, pcm16_to, refuse, serve
from app.api.errors import error_body
from app.api.voices import resolve_voice
from app.api.ws.messages import ContextId, Outgoing, ProtocolError
from app.api.ws.session import StreamSession
from app.api.ws.wire import ContextEvents, ContextSpec, WireProtocol
from app.engine.types import SPEED_RANGE, SynthesisOptions, UnknownVoice, WordTiming
from app.streaming.text_in import Buffering

router = APIRouter(tags=["compatible"])

PATH = "/tts/websocket"
IDLE_TIMEOUT_S = 300.0  # Cartesia closes a socket after 5 minutes without a message (clients reconnect)
SAMPLE_RATES = (8000, 16000, 22050, 24000, 32000, 44100, 48000)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def is_cartesia_voice_id(name: str) -> bool:
    """Cartesia's voice ids are UUIDs: they speak with our default voice."""
    return _UUID.fullmatch(name) is not None


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")  # their other fields (model_id, emotion, ...) are accepted, ignored


class Voice(_Lenient):
    mode: Literal["id", "embedding"] = "id"
    id: str | None = None  # mode "embedding" (a cloned voice) speaks with the default voice


class OutputFormat(_Lenient):
    container: Literal["raw", "wav", "mp3"] = "raw"
    encoding: Literal["pcm_s16le", "pcm_f32le", "pcm_mulaw", "pcm_alaw"] | None = None
    sample_rate: int = 24000


class GenerationConfig(_Lenient):
    speed: float | None = Field(default=None, ge=SPEED_RANGE[0], le=SPEED_RANGE[1], allow_inf_nan=False)


class Request(_Lenient):
    max_buffer_delay_ms: float | None = Field(default=None, ge=0, le=10000)
    context_id: ContextId = "default"
    cancel: bool = False
    transcript: str = ""
    continue_: bool = Field(default=False, alias="continue")
    flush: bool = False
    voice: Voice | None = None
    output_format: OutputFormat = OutputFormat()
    add_timestamps: bool = False
    language: str | None = None
    generation_config: GenerationConfig | None = None


class CartesiaEvents(ContextEvents):
    def __init__(self, context_id: str, convert: Callable[[bytes], bytes] | None, timestamps: bool) -> None:
        self._id = context_id
        self._convert = convert
        self._timestamps = timestamps
        self._flushes = 0

    def _event(self, kind: str, **fields: Any) -> dict[str, Any]:
        return {"type": kind, "context_id": self._id, "status_code": 206, "done": False, **fields}

    def words(self, words: list[WordTiming]) -> list[Outgoing]:
        if not self._timestamps:
            return []
        stamps = {
            "words": [w.word for w in words],
            "start": [round(w.start, 4) for w in words],
            "end": [round(w.end, 4) for w in words],
        }
        return [self._event("timestamps", word_timestamps=stamps)]

    def audio(self, data: bytes) -> list[Outgoing]:
        if self._convert is not None:
            data = self._convert(data)
        return [self._event("chunk", data=base64.b64encode(data).decode("ascii"), step_time=0)]

    def flushed(self) -> list[Outgoing]:
        self._flushes += 1
        return [self._event("flush_done", flush_done=True, flush_id=self._flushes)]

    def done(self, samples: int, duration: float) -> list[Outgoing]:
        return [{"type": "done", "context_id": self._id, "status_code": 200, "done": True}]

    def error(self, code: str, message: str) -> list[Outgoing]:
        return [cartesia_error(code, message, self._id)]


def cartesia_error(code: str, message: str, context_id: str | None, status: int = 400) -> dict[str, Any]:
    """Cartesia's error message. Clients index `context_id`, so it is always there (null: no context)."""
    title = code.replace("_", " ").capitalize()
    return {
        "type": "error",
        "context_id": context_id,
        "status_code": 500 if code in ("internal_error", "engine_busy") else status,
        "done": True,
        "title": title,
        "message": message,
        "error_code": code,
        "error": f"{title}: {message}",
    }


def _output(fmt: OutputFormat) -> tuple[str, Callable[[bytes], bytes] | None]:
    """(AudioOut format, conversion of its pcm bytes) for a Cartesia output_format."""
    if fmt.sample_rate not in SAMPLE_RATES:
        rates = ", ".join(map(str, SAMPLE_RATES))
        raise ValueError(f"output_format.sample_rate {fmt.sample_rate} is not supported; use one of {rates}")
    if fmt.container == "mp3":
        return "mp3", None
    encoding = fmt.encoding or "pcm_s16le"
    if fmt.container == "wav":
        if encoding != "pcm_s16le":
            raise ValueError("the wav container carries pcm_s16le only here")
        return "wav", None
    if encoding == "pcm_s16le":
        return "pcm", None
    return "pcm", pcm16_to({"pcm_f32le": "pcm_f32le", "pcm_mulaw": "mulaw", "pcm_alaw": "alaw"}[encoding])


class CartesiaProtocol(WireProtocol):
    def idle_timeout_s(self, session: StreamSession) -> float:
        return IDLE_TIMEOUT_S

    def error(self, code: str, message: str, context_id: str | None = None) -> dict[str, Any]:
        return cartesia_error(code, message, context_id)

    async def on_text(self, session: StreamSession, raw: str) -> bool:
        data = json_object(raw)
        context_id = data.get("context_id") if isinstance(data.get("context_id"), str) else None
        try:
            request = Request.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise ProtocolError("invalid_message", problems, context_id) from None
        context = session.find(request.context_id)
        if request.cancel:
            if context is not None:  # cancelling a finished context is no error: its audio is all out
                await context.cancel()
            return True
        if context is None:
            context = session.open_context(*self._open(session, request))
        if request.transcript:
            context.add_text(request.transcript)
        if request.flush:
            context.flush()
        if not request.continue_:
            context.close()
        return True

    @staticmethod
    def _open(session: StreamSession, request: Request) -> tuple[ContextSpec, CartesiaEvents]:
        context_id = request.context_id
        session.check_can_open(context_id)
        voice_id = request.voice.id if request.voice is not None and request.voice.mode == "id" else None
        try:
            voice = resolve_voice(session.engine, voice_id, is_cartesia_voice_id)
        except UnknownVoice as exc:
            raise ProtocolError("voice_not_found", str(exc), context_id) from None
        if request.language and request.language.split("-")[0].lower() != voice.language.split("-")[0].lower():
            message = f"language {request.language!r}: {voice.name} speaks {voice.language}"
            raise ProtocolError("unsupported_language", message, context_id)
        try:
            fmt, convert = _output(request.output_format)
        except ValueError as exc:
            raise ProtocolError("unsupported_output_format", str(exc), context_id) from None
        speed = request.generation_config.speed if request.generation_config is not None else None
        options = SynthesisOptions(voice=voice.name, speed=speed or 1.0)
        buffering = (
            Buffering(delay_ms=request.max_buffer_delay_ms) if request.max_buffer_delay_ms is not None else Buffering()
        )
        spec = ContextSpec(context_id, voice, options, fmt, request.output_format.sample_rate, buffering)
        return spec, CartesiaEvents(context_id, convert, request.add_timestamps)


@router.websocket(PATH)
async def cartesia_websocket(websocket: WebSocket) -> None:
    settings = websocket.app.state.settings
    key = (
        websocket.headers.get("x-api-key")
        or key_from_authorization(websocket.headers.get("authorization", ""))
        or websocket.query_params.get("api_key")
        or websocket.query_params.get("access_token")
    )
    if not key_accepted(settings, key):
        websocket.app.state.metrics.count_error("invalid_api_key")
        body = error_body(401, "invalid or missing API key", code="invalid_api_key")
        await refuse(websocket, JSONResponse(body, status_code=401), 1008, "invalid API key")
        return
    if engine_of(websocket) is None:
        body = error_body(503, "the engine is still loading; retry shortly", code="not_ready")
        await refuse(websocket, JSONResponse(body, status_code=503, headers={"Retry-After": "1"}), 1013, "loading")
        return
    await serve(websocket, CartesiaProtocol())
