"""The audio front end's parameters (sample rate, STFT, mel filterbank), free of torch for the serving path."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class AudioConfig:
    """The field's standard TTS front end (HiFi-GAN / FastSpeech 2 recipes)."""

    sample_rate: int = 22050
    n_fft: int = 1024
    hop_length: int = 256
    win_length: int = 1024
    n_mels: int = 80
    fmin: float = 0.0
    fmax: float = 8000.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AudioConfig:
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def frame_seconds(self) -> float:
        return self.hop_length / self.sample_rate
