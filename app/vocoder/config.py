"""HiFi-GAN / iSTFTNet generator hyper-parameters (named sizes for training: training/presets.json).

Kept apart from the network (and from torch) so the serving path reads bundles without importing torch.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class VocoderConfig:
    n_mels: int = 80
    upsample_rates: list[int] = field(default_factory=lambda: [8, 8])
    upsample_kernels: list[int] = field(default_factory=lambda: [16, 16])
    channels: int = 256
    resblock: str = "2"  # "1": three convs per dilation pair (V1/V2), "2": one conv per dilation (V3)
    resblock_kernels: list[int] = field(default_factory=lambda: [3, 5, 7])
    resblock_dilations: list[list[int]] = field(default_factory=lambda: [[1, 2], [2, 6], [3, 12]])
    istft_n_fft: int = 16  # 0: plain HiFi-GAN waveform head
    istft_hop: int = 4
    source: bool = False  # a harmonic source excitation (app.vocoder.source) is added at every stage
    source_noise: bool = False  # the source carries noise too (unvoiced sounds, for linear upsamplers)
    # the first this many upsampling stages are FixedUpsample (no sub-frame phase, so no comb at the mel frame
    # rate) instead of the paper's transposed convolutions, interpolating "linear" or "sinc"
    interp_stages: int = 0
    interp: str = "linear"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VocoderConfig:
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def hop_length(self) -> int:
        return math.prod(self.upsample_rates) * (self.istft_hop if self.istft_n_fft else 1)
