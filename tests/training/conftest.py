"""A small corpus in training.corpus's layout, of our own voice's real audio, for the training stages' tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from app.engine.engine import Engine
from app.engine.types import SynthesisOptions
from training.provenance import write_corpus_card

SENTENCES = ["The birch canoe slid on the smooth planks.", "Rice is often served in round bowls.", "Turn left."]

MakeCorpus = Callable[[Path], Path]


@pytest.fixture
def make_corpus(engine: Engine) -> MakeCorpus:
    """Writes a corpus of SENTENCES under the given folder: wavs, phone features (even durations, a pitch ramp)."""

    def make(root: Path) -> Path:
        (root / "wavs").mkdir(parents=True)
        (root / "feats").mkdir()
        write_corpus_card(root, "piper-joe")
        for i, text in enumerate(SENTENCES):
            audio, _ = asyncio.run(engine.synthesize(text, SynthesisOptions()))
            audio = audio[: len(audio) // 256 * 256]
            sf.write(root / "wavs" / f"{i:05d}.wav", (audio * 32767).astype(np.int16), 22050, subtype="PCM_16")
            ids = engine.frontend.analyze(text).ids
            frames = len(audio) // 256
            durations = np.full(len(ids), frames // len(ids), np.int16)
            durations[-1] += frames - int(durations.sum())
            pitch = np.linspace(-0.5, 0.5, len(ids)).astype(np.float32)
            mel = np.zeros((80, frames), np.float16)
            np.savez(root / "feats" / f"{i:05d}.npz", phones=np.asarray(ids, np.int16), durations=durations,
                     pitch=pitch, energy=np.ones(len(ids), np.float32), mel=mel)  # fmt: skip
        return root

    return make
