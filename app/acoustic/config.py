"""FastSpeech 2 hyper-parameters and the training data's normalisation statistics.

Kept apart from the network (and from torch) so the serving path reads bundles without importing torch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class AcousticConfig:
    n_symbols: int
    n_speakers: int = 1
    n_mels: int = 80
    d_model: int = 192
    heads: int = 2
    encoder_layers: int = 4
    decoder_layers: int = 4
    ff_hidden: int = 768
    ff_kernels: tuple[int, int] = (9, 1)
    predictor_hidden: int = 256
    predictor_kernel: int = 3
    dropout: float = 0.1
    postnet_layers: int = 0
    # Normalisation statistics of the training data, per speaker, so controls work in natural units.
    pitch_mean: list[float] = field(default_factory=lambda: [0.0])  # of log F0
    pitch_std: list[float] = field(default_factory=lambda: [1.0])
    energy_mean: list[float] = field(default_factory=lambda: [0.0])  # of frame energy (linear)
    energy_std: list[float] = field(default_factory=lambda: [1.0])
    # At inference the predicted pitch's deviation from the speaker's mean is multiplied by this: a model trained
    # with a squared loss predicts a flatter contour than its data (global variance compensation, measured on
    # held-out utterances by training.variance; 1.0 leaves the prediction as it is).
    pitch_variance: float = 1.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AcousticConfig:
        data = dict(data)
        if "ff_kernels" in data:
            data["ff_kernels"] = tuple(data["ff_kernels"])
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["ff_kernels"] = list(self.ff_kernels)
        return out
