"""OpenAI-compatible speech API: POST /v1/audio/speech, GET /v1/models, GET /v1/audio/voices.

Matches OpenAI's behaviour where clients depend on it: invalid requests are 400 with OpenAI's error
shape, OpenAI voice names map to our default voice, every format is 24 kHz (opus: 48 kHz) and pcm is
raw 24 kHz s16le. Audio is always streamed with chunked transfer as the engine produces it.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import AsyncGenerator, Callable, Coroutine
from contextlib import aclosing
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.responses import Response

from app.api.deps import REQUIRE_API_KEY, EngineDep, MetricsDep, SettingsDep
from app.api.errors import ApiError, error_responses, validation_error
from app.api.pipeline import SpeechResponse, SpeechStream
from app.api.schemas import StrictModel
from app.api.voices import OPENAI_VOICES, openai_alias
from app.api.voices import resolve_voice as resolve_engine_voice
from app.audio.encode import MEDIA_TYPES, output_rate
from app.engine.engine import Engine
from app.engine.types import SPEED_RANGE, SynthesisOptions, UnknownVoice

log = logging.getLogger(__name__)

OPENAI_SAMPLE_RATE = 24000
OPENAI_MAX_INPUT_CHARS = 4096
OPENAI_MODELS = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts")
_DATED_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")  # gpt-4o-mini-tts-2025-12-15


class OpenAIRoute(APIRoute):
    """Request validation errors become 400, as OpenAI answers (its SDKs raise BadRequestError)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                raise validation_error(exc.errors(), status_code=400) from None

        return handle


router = APIRouter(
    prefix="/v1",
    tags=["openai"],
    dependencies=[REQUIRE_API_KEY],
    route_class=OpenAIRoute,
    responses=error_responses(401),
)


class VoiceId(StrictModel):
    id: str  # OpenAI's custom-voice reference: {"id": "voice_1234"}


class SpeechRequest(StrictModel):
    model: str = Field(min_length=1)
    input: str = Field(min_length=1)
    voice: str | VoiceId
    response_format: Literal["mp3", "opus", "aac", "flac", "wav", "pcm"] = "mp3"
    speed: float = Field(default=1.0, ge=SPEED_RANGE[0], le=SPEED_RANGE[1], allow_inf_nan=False)
    instructions: str | None = Field(default=None, max_length=OPENAI_MAX_INPUT_CHARS, description="accepted, ignored")
    stream_format: Literal["audio", "sse"] = "audio"


def model_ids(own_model: str) -> list[str]:
    return [own_model, *OPENAI_MODELS]


def check_model(model: str, own_model: str) -> None:
    if model in model_ids(own_model) or _DATED_SNAPSHOT.sub("", model) in OPENAI_MODELS:
        return
    raise ApiError(
        400,
        f"model {model!r} does not exist; use one of {', '.join(model_ids(own_model))}",
        code="model_not_found",
        param="model",
    )


def resolve_voice(voice: str | VoiceId, engine: Engine) -> str:
    """Our voice names win; OpenAI's names speak with our closest voice so clients work unchanged."""
    try:
        return resolve_engine_voice(engine, voice.id if isinstance(voice, VoiceId) else voice).name
    except UnknownVoice as exc:
        raise ApiError(400, str(exc), code="voice_not_found", param="voice") from None


def _sse(event: dict[str, object]) -> bytes:
    return f"data: {json.dumps(event, separators=(',', ':'))}\n\n".encode()


async def _sse_events(audio: AsyncGenerator[bytes, None]) -> AsyncGenerator[bytes, None]:
    try:
        async with aclosing(audio):  # a client that leaves mid-stream cancels the synthesis now
            async for data in audio:
                yield _sse({"type": "speech.audio.delta", "audio": base64.b64encode(data).decode("ascii")})
    except Exception:
        # Headers are gone: report in-band, so the client does not take a truncated stream as complete.
        log.exception("speech stream failed")
        yield _sse({"type": "error", "error": {"message": "synthesis failed", "type": "server_error"}})
        return
    yield _sse({"type": "speech.audio.done"})


@router.post(
    "/audio/speech",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "the audio, streamed (stream_format sse: Server-Sent Events with base64 audio)",
            "content": {media: {} for media in sorted({*MEDIA_TYPES.values(), "text/event-stream"})},
        },
        **error_responses(400, 413, 422, 503),
    },
)
async def create_speech(
    request: SpeechRequest, engine: EngineDep, settings: SettingsDep, metrics: MetricsDep
) -> StreamingResponse:
    check_model(request.model, settings.model_id)
    limit = min(OPENAI_MAX_INPUT_CHARS, settings.max_text_chars)
    if len(request.input) > limit:  # OpenAI answers 400 (BadRequestError in its SDKs), not 413
        raise ApiError(
            400,
            f"input is {len(request.input)} characters; the limit is {limit}",
            code="string_above_max_length",
            param="input",
        )
    voice = resolve_voice(request.voice, engine)
    stream = await SpeechStream.open(
        engine,
        request.input,
        SynthesisOptions(voice=voice, speed=request.speed),
        ssml=False,
        metrics=metrics,
        endpoint="openai",
        timeout_s=settings.request_timeout_s,
    )
    fmt = request.response_format
    audio = stream.encoded(fmt, output_rate(fmt, OPENAI_SAMPLE_RATE))
    pace = stream.pace(settings.send_timeout_s, settings.min_read_rate)
    if request.stream_format == "sse":
        return SpeechResponse(_sse_events(audio), media_type="text/event-stream", headers={"Cache-Control": "no-cache"},
                              pace=pace, metrics=metrics)  # fmt: skip
    return SpeechResponse(audio, media_type=MEDIA_TYPES[fmt], pace=pace, metrics=metrics)


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "local"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


@router.get("/models")
async def list_models(settings: SettingsDep) -> ModelList:
    return ModelList(data=[ModelCard(id=model) for model in model_ids(settings.model_id)])


class VoiceCard(BaseModel):
    name: str
    language: str
    sample_rate: int
    description: str
    default: bool
    teachers: list[str] = Field(description="teacher voices whose audio trained this voice; its license follows them")


class VoiceList(BaseModel):
    voices: list[VoiceCard]
    default: str
    openai_aliases: dict[str, str] = Field(description="OpenAI voice names accepted here, each with its voice")


@router.get("/audio/voices", responses=error_responses(503))
async def list_voices(engine: EngineDep) -> VoiceList:
    voices = [
        VoiceCard(
            name=info.name,
            language=info.language,
            sample_rate=info.sample_rate,
            description=info.description,
            default=info.name == engine.default_voice,
            teachers=list(info.teachers),
        )
        for info in sorted(engine.voices.values(), key=lambda v: v.name)
    ]
    aliases = {alias: openai_alias(engine, alias).name for alias in OPENAI_VOICES}
    return VoiceList(voices=voices, default=engine.default_voice, openai_aliases=aliases)
