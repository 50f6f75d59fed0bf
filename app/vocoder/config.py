"""HiFi-GAN / iSTFTNet generator hyper-parameters and the named presets (V1, V2, V3, iSTFT and NSF variants).

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
    def preset(cls, name: str) -> VocoderConfig:
        v1_res = {"resblock": "1", "resblock_kernels": [3, 7, 11], "resblock_dilations": [[1, 3, 5]] * 3}
        presets: dict[str, dict[str, Any]] = {
            "v1": {"upsample_rates": [8, 8, 2, 2], "upsample_kernels": [16, 16, 4, 4], "channels": 512, **v1_res},
            "v2": {"upsample_rates": [8, 8, 2, 2], "upsample_kernels": [16, 16, 4, 4], "channels": 128, **v1_res},
            "v3": {"upsample_rates": [8, 8, 4], "upsample_kernels": [16, 16, 8], "channels": 256},
            "istft-v2": {"upsample_rates": [8, 8], "upsample_kernels": [16, 16], "channels": 128, **v1_res},
            "istft-v3": {},
            "nsf-istft-v3": {"source": True},
            "nsf-istft-v3-linear1": {"source": True, "interp_stages": 1, "upsample_kernels": [5, 16]},
            "nsf-istft-v3-linear": {
                "source": True,
                "source_noise": True,
                "interp_stages": 2,
                "upsample_kernels": [5, 5],
            },
            "nsf-istft-v3-sinc": {
                "source": True,
                "source_noise": True,
                "interp_stages": 2,
                "interp": "sinc",
                "upsample_kernels": [5, 5],
            },
        }
        cfg = cls(**presets[name])
        if "istft" not in name:
            cfg.istft_n_fft = 0
        return cfg

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VocoderConfig:
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def hop_length(self) -> int:
        return math.prod(self.upsample_rates) * (self.istft_hop if self.istft_n_fft else 1)
