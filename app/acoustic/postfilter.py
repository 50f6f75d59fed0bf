"""Mel postfilter: formant emphasis against the over-smoothing of a mel regressed with an L1/L2 loss.

A FastSpeech 2 trained on a small corpus predicts the average of plausible spectra, so formant peaks come out
flatter than in real speech and the vocoder renders them muffled. Parametric TTS answered this with a
postfilter that sharpens the spectral envelope; this one does it on the log-mel: each frame's deviation from
its own moving average across mel bins is scaled by ``emphasis``. The average (the spectral tilt and overall
loudness) is left alone, and each frame is filtered on its own, so windowed streaming sees exactly what whole
synthesis sees. Measured on joe (benchmarks/LAB-LOG.md): DNSMOS P808 +0.2 at emphasis 2.0, width 9.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class MelPostfilter:
    emphasis: float = 1.0  # 1.0 leaves the mel untouched
    width: int = 9  # mel bins in the moving average that stands for the envelope (odd)

    def __post_init__(self) -> None:
        if not 1.0 <= self.emphasis <= 4.0:
            raise ValueError(f"postfilter emphasis {self.emphasis} outside [1, 4]")
        if self.width < 3 or self.width % 2 == 0:
            raise ValueError(f"postfilter width {self.width} must be an odd number >= 3")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MelPostfilter:
        return cls(float(data.get("emphasis", 1.0)), int(data.get("width", 9)))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def active(self) -> bool:
        return self.emphasis != 1.0

    def __call__(self, mel: np.ndarray) -> np.ndarray:
        """mel: (n_mels, frames) log-mel; returns a new array of the same shape and dtype."""
        if not self.active or mel.shape[-1] == 0:
            return mel
        half = self.width // 2
        padded = np.pad(mel, ((half, half), (0, 0)), mode="edge")
        csum = np.cumsum(padded, axis=0, dtype=np.float64)
        csum = np.concatenate([np.zeros((1, mel.shape[1])), csum])
        envelope = (csum[self.width :] - csum[: -self.width]) / self.width
        return (mel + (self.emphasis - 1.0) * (mel - envelope)).astype(mel.dtype)
