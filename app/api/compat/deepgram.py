"""Deepgram Aura's speak WebSocket (`/v1/speak`), as Pipecat's `DeepgramTTSService` and LiveKit's `deepgram.TTS`
speak it: point their `base_url` at this server and they work unchanged.

One stream of raw audio per socket, in the `encoding` and `sample_rate` of the query. `Speak` appends text,
`Flush` speaks what is buffered and answers `Flushed` after its audio, `Clear` drops what has not been sent
(barge-in) and answers `Cleared`, `Close` closes the socket. The server sends `Metadata` first; problems come
as `Warning` (the message is ignored) or `Error` (the utterance is dropped). Deepgram has no word timings.
What is accepted and ignored: docs/COMPATIBILITY.md.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, WebSocket
from fastapi.responses import JSONResponse

from app.api.compat.common import engine_of, json_object, key_accepted, key_from_authorization, pcm16_to, refuse, serve
from app.api.deps import API_KEY_SUBPROTOCOL
from app.api.request_id import request_id
from app.api.voices import resolve_voice
from app.api.ws.messages import Outgoing, ProtocolError
from app.api.ws.session import Context, StreamSession
from app.api.ws.wire import CONTEXT_ENDING_ERRORS, ContextEvents, ContextSpec, WireProtocol
from app.engine.engine import Engine
from app.engine.types import SynthesisOptions, UnknownVoice, VoiceInfo

router = APIRouter(tags=["compatible"])

DEFAULT_MODEL = "aura-asteria-en"
SPEED_RANGE = (0.7, 1.5)  # what Deepgram accepts (ours is wider)
LINEAR16_RATES = (8000, 16000, 22050, 24000, 32000, 44100, 48000)
G711_RATES = (8000, 16000)
_ENGLISH_AURA = re.compile(r"aura(-2)?-[a-z]+-en")


def is_deepgram_voice_id(name: str) -> bool:
    """Deepgram's English Aura models (`aura-asteria-en`, `aura-2-thalia-en`) speak with our default voice."""
    return _ENGLISH_AURA.fullmatch(name) is not None


class DeepgramEvents(ContextEvents):
    def __init__(self, protocol: DeepgramProtocol, convert: Callable[[bytes], bytes] | None) -> None:
        self._protocol = protocol
        self._convert = convert

    def audio(self, data: bytes) -> list[Outgoing]:
        return [self._convert(data) if self._convert is not None else data]

    def flushed(self) -> list[Outgoing]:
        return [self._protocol.sequenced("Flushed")]

    def done(self, samples: int, duration: float) -> list[Outgoing]:
        return [self._protocol.sequenced("Flushed")]  # a context ends only by Close, which sends nothing more

    def cancelled(self) -> list[Outgoing]:
        return [self._protocol.sequenced("Cleared")]

    def error(self, code: str, message: str) -> list[Outgoing]:
        return [self._protocol.error(code, message)]


class DeepgramProtocol(WireProtocol):
    def __init__(self, voice: VoiceInfo, model: str, spec_format: str, rate: int, speed: float, encoding: str) -> None:
        self._voice = voice
        self._model = model
        self._format = spec_format
        self._rate = rate
        self._speed = speed
        self._convert = pcm16_to(encoding) if encoding in ("mulaw", "alaw") else None
        self._sequence = itertools.count()
        self._utterances = itertools.count(1)
        self._context_id: str | None = None  # the utterance being spoken, while one is open

    def sequenced(self, kind: str) -> dict[str, Any]:
        return {"type": kind, "sequence_id": next(self._sequence)}

    def error(self, code: str, message: str, context_id: str | None = None) -> dict[str, Any]:
        kind = "Error" if code in CONTEXT_ENDING_ERRORS else "Warning"
        return {"type": kind, "code": code, "description": message}

    def on_binary(self, session: StreamSession) -> tuple[str, str] | None:
        return "binary_not_supported", "send JSON text messages (Speak, Flush, Clear, Close)"

    async def on_open(self, session: StreamSession) -> None:
        await session.reply(
            {
                "type": "Metadata",
                "request_id": request_id(session.websocket.scope) or str(uuid.uuid4()),
                "model_name": self._model,
                "model_version": self._voice.name,
                "model_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"speakeasy-tts/{self._voice.name}")),
            }
        )

    async def on_text(self, session: StreamSession, raw: str) -> bool:
        data = json_object(raw)
        kind = data.get("type")
        context = session.find(self._context_id) if self._context_id is not None else None
        if kind == "Speak":
            text = data.get("text")
            if not isinstance(text, str):
                raise ProtocolError("invalid_message", "Speak needs a 'text' string")
            if context is None:
                context = self._open(session)
            context.add_text(text)
        elif kind == "Flush":
            if context is not None:
                context.flush()
            else:
                await session.reply(self.sequenced("Flushed"))
        elif kind == "Clear":
            if context is not None:
                await context.cancel()  # its Cleared follows the last audio that went out
            else:
                await session.reply(self.sequenced("Cleared"))
        elif kind == "Close":
            await session.close_socket()
            return False
        else:
            raise ProtocolError("unknown_type", f"unknown message type {kind!r}; expected Speak, Flush, Clear or Close")
        return True

    def _open(self, session: StreamSession) -> Context:
        self._context_id = f"utterance-{next(self._utterances)}"
        options = SynthesisOptions(voice=self._voice.name, speed=self._speed)
        spec = ContextSpec(self._context_id, self._voice, options, self._format, self._rate)
        return session.open_context(spec, DeepgramEvents(self, self._convert))


def _refusal(websocket: WebSocket, status: int, code: str, message: str) -> JSONResponse:
    """Deepgram refuses a handshake with its reason in the `dg-error` header (what clients show)."""
    rid = request_id(websocket.scope) or str(uuid.uuid4())
    body = {"err_code": code, "err_msg": message, "request_id": rid}
    return JSONResponse(body, status_code=status, headers={"dg-error": message})


def _query(websocket: WebSocket, engine: Engine) -> DeepgramProtocol:
    """The protocol's settings from the query; ValueError or UnknownVoice for a bad one."""
    query = websocket.query_params
    model = query.get("model", DEFAULT_MODEL)
    voice = resolve_voice(engine, model, is_deepgram_voice_id)
    encoding = query.get("encoding", "linear16")
    if encoding not in ("linear16", "mulaw", "alaw"):
        raise ValueError(f"encoding {encoding!r} is not supported on the WebSocket; use linear16, mulaw or alaw")
    rates = LINEAR16_RATES if encoding == "linear16" else G711_RATES
    try:
        rate = int(query.get("sample_rate", "24000" if encoding == "linear16" else "8000"))
        speed = float(query.get("speed", "1.0"))
    except ValueError:
        raise ValueError("sample_rate must be an integer and speed a number") from None
    if rate not in rates:
        raise ValueError(f"sample_rate {rate} is not supported for {encoding}; use one of {', '.join(map(str, rates))}")
    if not SPEED_RANGE[0] <= speed <= SPEED_RANGE[1]:
        raise ValueError(f"speed must be {SPEED_RANGE[0]} to {SPEED_RANGE[1]}")
    return DeepgramProtocol(voice, model, "pcm", rate, speed, encoding)


@router.websocket("/v1/speak")
async def deepgram_speak(websocket: WebSocket) -> None:
    settings = websocket.app.state.settings
    metrics = websocket.app.state.metrics
    authorization = websocket.headers.get("authorization", "")
    key = key_from_authorization(authorization, ("token", "bearer"))
    offered = [p.strip() for p in websocket.headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
    subprotocol = None
    if API_KEY_SUBPROTOCOL in offered:  # browsers: new WebSocket(url, ["token", KEY])
        subprotocol = API_KEY_SUBPROTOCOL
        index = offered.index(API_KEY_SUBPROTOCOL)
        if key is None and index + 1 < len(offered):
            key = offered[index + 1]
    if not key_accepted(settings, key):
        metrics.count_error("invalid_api_key")
        message = "Invalid credentials."
        await refuse(websocket, _refusal(websocket, 401, "INVALID_AUTH", message), 1008, message)
        return
    engine = engine_of(websocket)
    if engine is None:
        message = "the engine is still loading; retry shortly"
        await refuse(websocket, _refusal(websocket, 503, "NOT_READY", message), 1013, message)
        return
    try:
        protocol = _query(websocket, engine)
    except (ValueError, UnknownVoice) as exc:
        metrics.count_error("invalid_request")
        await refuse(websocket, _refusal(websocket, 400, "Bad Request", str(exc)), 1008, str(exc))
        return
    await serve(websocket, protocol, subprotocol=subprotocol)
