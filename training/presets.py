"""Named network sizes for training, as data (presets.json): acoustic (FastSpeech 2) and vocoder side by side.

Each preset overrides the dataclass defaults (AcousticConfig, VocoderConfig); a shipped bundle stores its whole
config, so serving never needs these names.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from app.vocoder.config import VocoderConfig

PRESETS_FILE = Path(__file__).with_name("presets.json")


@cache
def presets() -> dict[str, dict[str, dict[str, Any]]]:
    data: dict[str, dict[str, dict[str, Any]]] = json.loads(PRESETS_FILE.read_text())
    return data


def acoustic_preset(name: str) -> dict[str, Any]:
    """AcousticConfig overrides (the speaker and pitch statistics come from the corpus)."""
    return dict(presets()["acoustic"][name])


def vocoder_preset(name: str) -> VocoderConfig:
    return VocoderConfig(**presets()["vocoder"][name])
