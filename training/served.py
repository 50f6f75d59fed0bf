"""What a voice feeds its vocoder, phrase by phrase, exactly as the engine serves it: for the stages that work
on a shipped vocoder (int8 calibration, distillation)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.engine.bundle import VoiceBundle
from app.engine.config import EngineConfig
from app.engine.engine import Engine
from app.engine.types import SynthesisOptions


def served_phrases(voice: Path, sentences: list[str]) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """(mel, source) of every speakable phrase of these sentences: the voice's acoustic model, its mel
    postfilter and its harmonic source (None for a vocoder without one), float vocoder graph."""
    bundle = VoiceBundle.load(voice)
    config = EngineConfig(
        voices_dir=voice.parent, default_voice=bundle.name, int8_vocoder=False, threads=1, inference_workers=1
    )  # one session per model: these stages run one job at a time
    engine = Engine.load(config)
    served = engine.loaded_voice(bundle.name)
    out = []
    for text in sentences:
        for phrase in engine.plan(text, SynthesisOptions(voice=bundle.name)):
            if not phrase.speakable:
                continue
            ids = phrase.analyze(engine.frontend).ids
            inputs = served.vocoder_input(served.prosody(ids), ids)
            mel, source = inputs.window(0, inputs.n_frames)
            out.append((
                np.ascontiguousarray(mel, dtype=np.float32),
                None if source is None else np.ascontiguousarray(source, dtype=np.float32),
            ))  # fmt: skip
    return out
