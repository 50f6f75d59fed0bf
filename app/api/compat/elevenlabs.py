"""ElevenLabs' input-streaming WebSockets, as Pipecat's `ElevenLabsTTSService` and LiveKit's `elevenlabs.TTS` speak
them: point their `url` / `base_url` at this server and they work unchanged.

* `/v1/text-to-speech/{voice_id}/stream-input`: one utterance per socket. The first message opens it, text
  pieces follow, `flush: true` speaks what is buffered, `{"text": ""}` ends the input; after the last audio
  (`isFinal`) the server closes the socket.
* `/v1/text-to-speech/{voice_id}/multi-stream-input`: contexts on one socket (`context_id`); `{"text": ""}` is a
  keep-alive, `close_context` ends a context's input (what was sent is still spoken, then `isFinal`),
  `close_socket` ends everything.

Audio comes as base64 in the `output_format` of the query, each message with the character alignment of
the words that start in it: times in ms from the end of the previous message's alignment, which is where
that audio starts (clients add the spans up). What is accepted and ignored: docs/COMPATIBILITY.md.
"""

from __future__ import annotations

import base64
import contextlib
import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, WebSocket
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.api.compat.common import engine_of, json_object, key_accepted, key_from_authorization, pcm16_to, refuse, serve
from app.api.voices import resolve_voice
from app.api.ws.messages import ContextId, Outgoing, ProtocolError
from app.api.ws.session import Context, StreamSession
from app.api.ws.wire import CONTEXT_ENDING_ERRORS, ContextEvents, ContextSpec, WireProtocol
from app.engine.types import SPEED_RANGE, SynthesisOptions, UnknownVoice, VoiceInfo, WordTiming
from app.streaming.text_in import Buffering

router = APIRouter(tags=["compatible"])

DEFAULT_OUTPUT_FORMAT = "mp3_44100_128"
DEFAULT_INACTIVITY_TIMEOUT_S = 20
MAX_INACTIVITY_TIMEOUT_S = 180
SINGLE_CONTEXT_ID = "stream"  # stream-input has one context, which its messages do not name
_VOICE_ID = re.compile(r"[A-Za-z0-9]{20}")
_PCM = re.compile(r"pcm_(8000|16000|22050|24000|32000|44100|48000)")
_MP3 = re.compile(r"mp3_(22050|24000|44100)_\d+")
_OPUS = re.compile(r"opus_48000_\d+")
# our error codes -> ElevenLabs' own where it has one
_CODES = {"idle_timeout": "input_timeout_exceeded", "invalid_api_key": "invalid_api_key"}


def is_elevenlabs_voice_id(name: str) -> bool:
    """ElevenLabs' voice ids are 20 letters and digits: they speak with our default voice."""
    return _VOICE_ID.fullmatch(name) is not None


def output_format(name: str) -> tuple[str, int, Callable[[bytes], bytes] | None]:
    """(AudioOut format, sample rate, conversion of its pcm bytes) for an ElevenLabs output_format; ValueError
    for one we do not make. Bit rates in the name are ignored (mp3 is 64 kb/s, opus 32 kb/s)."""
    if match := _PCM.fullmatch(name):
        return "pcm", int(match.group(1)), None
    if name == "ulaw_8000":
        return "pcm", 8000, pcm16_to("mulaw")
    if name == "alaw_8000":
        return "pcm", 8000, pcm16_to("alaw")
    if match := _MP3.fullmatch(name):
        return "mp3", int(match.group(1)), None
    if _OPUS.fullmatch(name):
        return "opus", 48000, None
    raise ValueError(
        f"output_format {name!r} is not supported; use pcm_8000 ... pcm_48000, ulaw_8000, alaw_8000, "
        "mp3_22050_32 / mp3_24000_48 / mp3_44100_*, or opus_48000_*"
    )


def elevenlabs_error(code: str, message: str, context_id: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"error": _CODES.get(code, code), "message": message, "code": 1008}
    if context_id is not None:
        error["contextId"] = context_id
    return error


def http_error(status: int, code: str, message: str) -> JSONResponse:
    """ElevenLabs' HTTP error body, for a refused handshake."""
    return JSONResponse({"detail": {"status": code, "message": message}}, status_code=status)


class _Lenient(BaseModel):
    model_config = ConfigDict(
        extra="ignore"
    )  # their other fields (model ids, voice cloning, ...) are accepted, ignored


class VoiceSettings(_Lenient):
    speed: float | None = Field(default=None, ge=SPEED_RANGE[0], le=SPEED_RANGE[1], allow_inf_nan=False)


class GenerationConfig(_Lenient):
    chunk_length_schedule: list[int] | None = Field(default=None, max_length=8)


class Message(_Lenient):
    generation_config: GenerationConfig | None = None
    text: str | None = None
    context_id: ContextId | None = None
    flush: bool = False
    close_context: bool = False
    close_socket: bool = False
    voice_settings: VoiceSettings | None = None
    xi_api_key: str | None = None
    authorization: str | None = None


# -- a context's events -----------------------------------------------------------------------------


class ElevenLabsEvents(ContextEvents):
    def __init__(self, context_id: str | None, convert: Callable[[bytes], bytes] | None) -> None:
        self._id = context_id  # None on stream-input: its messages carry no context id
        self._convert = convert
        self._sent_ms = 0  # where the alignments sent so far end, as clients add up their spans
        self._cursor_ms = 0  # where the words so far end
        # characters of words not yet sent (times in ms from the context's start)
        self._chars: list[str] = []
        self._starts: list[int] = []
        self._durations: list[int] = []

    def _message(self, **fields: Any) -> dict[str, Any]:
        if self._id is not None:
            fields["contextId"] = self._id
        return fields

    def words(self, words: list[WordTiming]) -> list[Outgoing]:
        """Kept for the next audio message: each word's characters spread over its time, a space for the pause
        before it and a space (of no duration) after it, so the word is complete in that message."""

        def add(char: str, start: int, end: int) -> None:
            self._chars.append(char)
            self._starts.append(start)
            self._durations.append(end - start)

        for word in words:
            start = max(round(word.start * 1000), self._cursor_ms)
            end = max(round(word.end * 1000), start)
            if start > self._cursor_ms:
                add(" ", self._cursor_ms, start)
            text = word.word
            bounds = [start + (end - start) * i // len(text) for i in range(len(text) + 1)]
            for i, char in enumerate(text):
                add(char, bounds[i], bounds[i + 1])
            add(" ", end, end)
            self._cursor_ms = end
        return []

    def _take_alignment(self) -> dict[str, Any]:
        """The pending characters with times from where the previous alignment ended (clients add up the
        spans, last start + last duration, so their clock lands on the end of these words)."""
        if not self._chars:
            return {"alignment": None, "normalizedAlignment": None}
        alignment = {
            "chars": self._chars,
            "charStartTimesMs": [start - self._sent_ms for start in self._starts],
            "charDurationsMs": self._durations,
        }
        self._sent_ms = self._cursor_ms
        self._chars, self._starts, self._durations = [], [], []
        return {"alignment": alignment, "normalizedAlignment": alignment}

    def audio(self, data: bytes) -> list[Outgoing]:
        if self._convert is not None:
            data = self._convert(data)
        audio = base64.b64encode(data).decode("ascii")
        return [self._message(audio=audio, isFinal=False, **self._take_alignment())]

    def _pending(self) -> list[Outgoing]:
        """Timings whose audio never came (a phrase that failed midway): still sent, so clocks stay right."""
        if not self._chars:
            return []
        return [self._message(audio=None, isFinal=False, **self._take_alignment())]

    def flushed(self) -> list[Outgoing]:
        return self._pending()

    def done(self, samples: int, duration: float) -> list[Outgoing]:
        return [*self._pending(), self._message(isFinal=True)]

    def error(self, code: str, message: str) -> list[Outgoing]:
        events: list[Outgoing] = [elevenlabs_error(code, message, self._id)]
        if code in CONTEXT_ENDING_ERRORS:
            events.append(self._message(isFinal=True))  # clients wait for it to end the context
        return events


# -- the protocols ----------------------------------------------------------------------------------


class _ElevenLabsProtocol(WireProtocol):
    multi = False

    def __init__(
        self,
        voice: VoiceInfo,
        fmt: str,
        rate: int,
        convert: Callable[[bytes], bytes] | None,
        inactivity_timeout_s: float,
        needs_key: bool,
    ) -> None:
        self._voice = voice
        self._format = fmt
        self._rate = rate
        self._convert = convert
        self._inactivity_timeout_s = inactivity_timeout_s
        self._needs_key = needs_key  # no key in the handshake: the first message must carry one

    def idle_timeout_s(self, session: StreamSession) -> float:
        return self._inactivity_timeout_s

    def error(self, code: str, message: str, context_id: str | None = None) -> dict[str, Any]:
        return elevenlabs_error(code, message, context_id if self.multi else None)

    def _parse(self, raw: str) -> Message:
        data = json_object(raw)
        try:
            return Message.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            context_id = data.get("context_id") if isinstance(data.get("context_id"), str) else None
            raise ProtocolError("invalid_message", problems, context_id) from None

    async def _accepted(self, session: StreamSession, raw: str) -> Message | None:
        """A parsed, authenticated message; None when the socket closes (a wrong key, `close_socket`)."""
        message = self._parse(raw)
        if not await self._authenticate(session, message):
            return None
        if message.close_socket:
            await session.close_socket()
            return None
        return message

    async def _authenticate(self, session: StreamSession, message: Message) -> bool:
        if not self._needs_key:
            return True
        key = message.xi_api_key or key_from_authorization(message.authorization or "")
        if key_accepted(session.settings, key):
            self._needs_key = False
            return True
        session.metrics.count_error("invalid_api_key")
        await session.reply(self.error("invalid_api_key", "invalid or missing API key (xi-api-key)"))
        await session.close_socket(1008, "invalid API key")
        return False

    def _open(self, session: StreamSession, context_id: str, message: Message) -> Context:
        speed = message.voice_settings.speed if message.voice_settings is not None else None
        options = SynthesisOptions(voice=self._voice.name, speed=speed or 1.0)
        schedule = message.generation_config.chunk_length_schedule if message.generation_config else None
        # the schedule's first step: characters before the first audio (the later steps only matter to them)
        buffering = Buffering(chars=max(20, min(schedule[0], 300))) if schedule else Buffering()
        spec = ContextSpec(context_id, self._voice, options, self._format, self._rate, buffering)
        events = ElevenLabsEvents(context_id if self.multi else None, self._convert)
        return session.open_context(spec, events)


class StreamInputProtocol(_ElevenLabsProtocol):
    """stream-input: the first message opens the one utterance; `{"text": ""}` ends it."""

    _opened = False

    async def on_text(self, session: StreamSession, raw: str) -> bool:
        message = await self._accepted(session, raw)
        if message is None:
            return False
        context = session.find(SINGLE_CONTEXT_ID)
        if context is None:
            if self._opened:
                raise ProtocolError("context_closed", 'the input has ended (text ""); open a new socket')
            context = self._open(session, SINGLE_CONTEXT_ID, message)
            self._opened = True
        if message.text == "":
            context.close()  # end of input
            return True
        if message.text:
            context.add_text(message.text)
        if message.flush:
            context.flush()
        return True

    def retired(self, session: StreamSession, context: Context) -> None:
        session.spawn(_close(session), "elevenlabs-close")  # one utterance per socket: done after isFinal


async def _close(session: StreamSession) -> None:
    with contextlib.suppress(Exception):  # the client may have gone first
        await session.websocket.close(1000, "done")


class MultiStreamInputProtocol(_ElevenLabsProtocol):
    """multi-stream-input: contexts named by `context_id`; `{"text": ""}` keeps them alive."""

    multi = True

    async def on_text(self, session: StreamSession, raw: str) -> bool:
        message = await self._accepted(session, raw)
        if message is None:
            return False
        context_id = message.context_id or "default"
        context = session.find(context_id)
        if message.close_context:
            if context is not None:  # closing a finished context is no error
                context.close()
            return True
        if not message.text and not message.flush:
            return True  # a keep-alive
        if context is None:
            context = self._open(session, context_id, message)
        if message.text:
            context.add_text(message.text)
        if message.flush:
            context.flush()
        return True


# -- routes -------------------------------------------------------------------------------------------


async def _handshake(websocket: WebSocket, voice_id: str) -> _ElevenLabsProtocol | None:
    """The protocol's settings from the path and query, or None after refusing the handshake."""
    settings = websocket.app.state.settings
    metrics = websocket.app.state.metrics
    key = websocket.headers.get("xi-api-key") or key_from_authorization(websocket.headers.get("authorization", ""))
    if key is not None and not key_accepted(settings, key):
        metrics.count_error("invalid_api_key")
        await refuse(websocket, http_error(401, "invalid_api_key", "invalid API key"), 1008, "invalid API key")
        return None
    engine = engine_of(websocket)
    if engine is None:
        await refuse(websocket, http_error(503, "not_ready", "the engine is still loading"), 1013, "loading")
        return None
    query = websocket.query_params
    try:
        voice = resolve_voice(engine, voice_id, is_elevenlabs_voice_id)
        fmt, rate, convert = output_format(query.get("output_format", DEFAULT_OUTPUT_FORMAT))
        timeout = int(query.get("inactivity_timeout", DEFAULT_INACTIVITY_TIMEOUT_S))
        if not 1 <= timeout <= MAX_INACTIVITY_TIMEOUT_S:
            raise ValueError(f"inactivity_timeout must be 1 to {MAX_INACTIVITY_TIMEOUT_S} seconds")
        language = query.get("language_code")
        if language and language.split("-")[0].lower() != voice.language.split("-")[0].lower():
            raise ValueError(f"language_code {language!r}: {voice.name} speaks {voice.language}")
    except UnknownVoice as exc:
        metrics.count_error("voice_not_found")
        await refuse(websocket, http_error(404, "voice_not_found", str(exc)), 1008, "voice not found")
        return None
    except ValueError as exc:
        metrics.count_error("invalid_request")
        await refuse(websocket, http_error(400, "invalid_request", str(exc)), 1008, str(exc))
        return None
    protocol = MultiStreamInputProtocol if websocket.url.path.endswith("/multi-stream-input") else StreamInputProtocol
    return protocol(voice, fmt, rate, convert, float(timeout), needs_key=key is None and bool(settings.api_keys))


@router.websocket("/v1/text-to-speech/{voice_id}/stream-input")
async def elevenlabs_stream_input(websocket: WebSocket, voice_id: str) -> None:
    protocol = await _handshake(websocket, voice_id)
    if protocol is not None:
        await serve(websocket, protocol)


@router.websocket("/v1/text-to-speech/{voice_id}/multi-stream-input")
async def elevenlabs_multi_stream_input(websocket: WebSocket, voice_id: str) -> None:
    protocol = await _handshake(websocket, voice_id)
    if protocol is not None:
        await serve(websocket, protocol)
