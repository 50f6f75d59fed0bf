"""Typed values that cross the engine boundary (the API layer depends on these, never on the networks)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SPEED_RANGE = (0.25, 4.0)
PITCH_RANGE = (-12.0, 12.0)  # semitones
ENERGY_RANGE = (0.25, 4.0)


class SynthesisError(ValueError):
    """Input the engine cannot speak (unknown voice, nothing speakable, bad SSML): a client error."""


class UnknownVoice(SynthesisError):
    """A request names a voice that is not loaded (each protocol answers with its own error shape)."""


class SpeechTooLong(SynthesisError):
    """The text reads out as more words than one request may speak (a 4 000-digit number is 4 000 words), or as
    more audio than it may produce (`code` says which)."""

    def __init__(self, message: str, code: str = "speech_too_long") -> None:
        super().__init__(message)
        self.code = code


class EngineBusy(RuntimeError):
    """The engine's queue is full: the client should retry later (HTTP 503 with Retry-After)."""


@dataclass(frozen=True)
class VoiceInfo:
    name: str
    sample_rate: int
    language: str
    speaker_id: int
    description: str = ""
    teachers: tuple[str, ...] = ()  # the teacher voices whose audio trained it (its license follows them)


@dataclass(frozen=True)
class SynthesisOptions:
    voice: str | None = None  # None: the default voice
    speed: float = 1.0  # 2.0 speaks twice as fast
    pitch: float = 0.0  # semitones
    energy: float = 1.0  # loudness of prosody, 1.0 as trained
    lexicon: dict[str, list[str]] | None = None  # per-request pronunciations, word -> ARPAbet


@dataclass(frozen=True)
class WordTiming:
    word: str  # the original input text of this word
    start: float  # seconds from the start of the stream
    end: float
    text_start: int  # character offsets in the input text
    text_end: int


@dataclass
class AudioChunk:
    samples: np.ndarray  # float32 mono in [-1, 1] at the voice's sample rate
    words: list[WordTiming] = field(default_factory=list)  # words that start inside this chunk


@dataclass
class CancelToken:
    """Set by the caller (cancel, disconnect, timeout); the engine stops at the next window boundary."""

    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True
