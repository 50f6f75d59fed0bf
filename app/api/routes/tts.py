"""Native synthesis API: POST /v1/tts (audio file) and POST /v1/tts/timestamps (audio + word timings)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Annotated, Self

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import WithJsonSchema

from app.api.deps import REQUIRE_API_KEY, EngineDep, MetricsDep, SettingsDep
from app.api.errors import ApiError, error_responses
from app.api.metrics import Metrics
from app.api.pipeline import SpeechStream
from app.api.schemas import SampleRate, VoiceParams, WordTimestamp, check_text_length, output_sample_rate
from app.audio.encode import MEDIA_TYPES, AudioFormat
from app.engine.engine import Engine
from app.engine.types import WordTiming
from app.settings import Settings

router = APIRouter(
    prefix="/v1/tts",
    tags=["tts"],
    dependencies=[REQUIRE_API_KEY],
    responses=error_responses(400, 401, 413, 422, 503),
)


# Optional to leave out, never null: the schema says "string" (the validator below refuses null).
NotNull = Annotated[str | None, WithJsonSchema({"type": "string", "minLength": 1})]


class TTSRequest(VoiceParams):
    # The schema says what the validator checks: exactly one of the two, neither of them null.
    model_config = ConfigDict(json_schema_extra={"oneOf": [{"required": ["text"]}, {"required": ["ssml"]}]})

    text: NotNull = Field(default=None, min_length=1, description="plain text; exactly one of text and ssml")
    ssml: NotNull = Field(default=None, min_length=1, description="an SSML document")

    @field_validator("text", "ssml", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("leave the field out instead of sending null")
        return value

    format: AudioFormat = "wav"
    sample_rate: SampleRate | None = Field(default=None, description="default: the voice's own rate")

    @model_validator(mode="after")
    def _one_input(self) -> Self:
        if (self.text is None) == (self.ssml is None):
            raise ValueError("give exactly one of 'text' and 'ssml'")
        return self

    @property
    def input(self) -> str:
        return self.text if self.text is not None else self.ssml or ""


class TimestampsResponse(BaseModel):
    audio_base64: str
    format: str
    sample_rate: int
    duration: float = Field(description="seconds of audio")
    words: list[WordTimestamp]


@dataclass(frozen=True)
class Utterance:
    audio: bytes
    sample_rate: int
    duration: float
    words: list[WordTimestamp]


async def _synthesize(request: TTSRequest, engine: Engine, settings: Settings, metrics: Metrics) -> Utterance:
    check_text_length(request.input, settings.max_text_chars, "ssml" if request.ssml is not None else "text")
    options = request.synthesis_options()
    if options.voice is not None and options.voice not in engine.voices:
        raise ApiError(
            422,
            f"unknown voice {options.voice!r}; available: {', '.join(sorted(engine.voices))}",
            code="unknown_voice",
            param="voice",
        )
    voice = engine.voice(options.voice)
    rate = output_sample_rate(request.format, request.sample_rate, voice.sample_rate)
    stream = await SpeechStream.open(
        engine,
        request.input,
        options,
        ssml=request.ssml is not None,
        metrics=metrics,
        endpoint="tts",
        timeout_s=settings.request_timeout_s,
        realtime=False,  # the whole file is the response
    )
    audio, timings, duration = await stream.file(request.format, rate, settings.request_timeout_s)
    return Utterance(audio=audio, sample_rate=rate, duration=duration,
                     words=_timestamps(timings))  # fmt: skip


def _timestamps(timings: list[WordTiming]) -> list[WordTimestamp]:
    return [WordTimestamp.of(t) for t in timings]


@router.post(
    "",
    response_class=Response,
    responses={
        200: {"description": "the audio", "content": {media: {} for media in sorted(set(MEDIA_TYPES.values()))}}
    },
)
async def synthesize(request: TTSRequest, engine: EngineDep, settings: SettingsDep, metrics: MetricsDep) -> Response:
    """Synthesize the whole utterance and return it as one audio file."""
    utterance = await _synthesize(request, engine, settings, metrics)
    return Response(
        utterance.audio,
        media_type=MEDIA_TYPES[request.format],
        headers={"X-Sample-Rate": str(utterance.sample_rate), "X-Audio-Duration": f"{utterance.duration:.3f}"},
    )


@router.post("/timestamps")
async def synthesize_with_timestamps(
    request: TTSRequest, engine: EngineDep, settings: SettingsDep, metrics: MetricsDep
) -> TimestampsResponse:
    """Synthesize and return the audio (base64) with the start and end time of every input word."""
    utterance = await _synthesize(request, engine, settings, metrics)
    return TimestampsResponse(
        audio_base64=base64.b64encode(utterance.audio).decode("ascii"),
        format=request.format,
        sample_rate=utterance.sample_rate,
        duration=round(utterance.duration, 4),
        words=utterance.words,
    )
