"""Request/response pieces shared by the HTTP and WebSocket APIs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.api.errors import ApiError
from app.audio.encode import FIXED_RATES
from app.engine.types import ENERGY_RANGE, PITCH_RANGE, SPEED_RANGE, SynthesisOptions, WordTiming
from app.text.frontend import MAX_PRONUNCIATION_PHONEMES, parse_arpabet

SampleRate = Literal[8000, 16000, 22050, 24000, 48000]
MAX_LEXICON_ENTRIES = 256
# A pronunciation: at least one phone, at most MAX_PRONUNCIATION_PHONEMES of them (parse_arpabet counts them;
# the length bound here only keeps the text small, with room for generous spacing).
Pronunciation = Annotated[str, StringConstraints(min_length=1, max_length=10 * MAX_PRONUNCIATION_PHONEMES,
                                                 pattern=r"\S")]  # fmt: skip


class StrictModel(BaseModel):
    # Unknown fields are errors: a misspelt "sped" must not be silently ignored; and no coercion: `"pitch": false`
    # or `"ssml": 1` is a client bug to report (422), not a 0 to speak with (JSON numbers still fill floats).
    model_config = ConfigDict(extra="forbid", strict=True)


class VoiceParams(StrictModel):
    """How to speak: the controls every synthesis request shares."""

    voice: str | None = Field(default=None, description="voice name; default: the server's default voice")
    speed: float = Field(default=1.0, ge=SPEED_RANGE[0], le=SPEED_RANGE[1], allow_inf_nan=False)
    pitch: float = Field(
        default=0.0, ge=PITCH_RANGE[0], le=PITCH_RANGE[1], allow_inf_nan=False, description="semitones"
    )
    energy: float = Field(default=1.0, ge=ENERGY_RANGE[0], le=ENERGY_RANGE[1], allow_inf_nan=False)
    lexicon: dict[str, Pronunciation] | None = Field(
        default=None,
        max_length=MAX_LEXICON_ENTRIES,
        description='per-request pronunciations, e.g. {"tomato": "T AH0 M EY1 T OW2"}',
    )

    def synthesis_options(self) -> SynthesisOptions:
        lexicon: dict[str, list[str]] | None = None
        if self.lexicon:
            lexicon = {}
            for word, phones in self.lexicon.items():
                try:
                    lexicon[word.lower()] = parse_arpabet(phones)
                except ValueError as exc:
                    raise ApiError(
                        422, f"lexicon entry {word!r}: {exc}", code="invalid_lexicon", param="lexicon"
                    ) from None
        return SynthesisOptions(
            voice=self.voice, speed=self.speed, pitch=self.pitch, energy=self.energy, lexicon=lexicon
        )


class WordTimestamp(BaseModel):
    word: str = Field(description="the input text of the word")
    start: float = Field(description="seconds from the start of the audio")
    end: float
    text_start: int = Field(description="character offset of the word in the input text")
    text_end: int

    @classmethod
    def of(cls, timing: WordTiming, time_offset: float = 0.0, text_offset: int = 0) -> WordTimestamp:
        return cls(
            word=timing.word,
            start=round(timing.start + time_offset, 4),
            end=round(timing.end + time_offset, 4),
            text_start=timing.text_start + text_offset,
            text_end=timing.text_end + text_offset,
        )


def output_sample_rate(fmt: str, requested: int | None, voice_rate: int) -> int:
    """The rate a response will have: fixed for opus/mulaw (asking for another is an error), else the
    requested one, else the voice's own."""
    fixed = FIXED_RATES.get(fmt)
    if fixed is not None:
        if requested is not None and requested != fixed:
            raise ApiError(
                422,
                f"{fmt} audio is always {fixed} Hz; omit sample_rate or use {fixed}",
                code="unsupported_sample_rate",
                param="sample_rate",
            )
        return fixed
    return requested or voice_rate


def check_text_length(text: str, limit: int, param: str = "text") -> None:
    if len(text) > limit:
        raise ApiError(
            413, f"{param} is {len(text)} characters; the limit is {limit}", code="text_too_long", param=param
        )
