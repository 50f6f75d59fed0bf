"""Copy synthesis: a corpus clip's own mel and F0 through a shipped voice's vocoder."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.engine.engine import Engine
from benchmarks.intelligibility import copy_synthesis
from benchmarks.quality import to_16k


def test_copy_synthesis_vocodes_a_clips_own_mel_and_pitch(engine: Engine, tmp_path: Path) -> None:
    # a clip stored as training.corpus stores it (log F0 per phoneme), made from the voice's own acoustic pass
    voice = engine.loaded_voice("slt")
    cfg = voice.bundle.acoustic
    ids = engine.frontend.analyze("The birch canoe slid on the smooth planks.").ids
    prosody = voice.prosody(ids)
    log_f0 = prosody.pitch * cfg.pitch_std[0] + cfg.pitch_mean[0]
    feats = tmp_path / "00000.npz"
    np.savez(feats, mel=prosody.mel, durations=prosody.durations, pitch=log_f0, phones=np.asarray(ids))

    audio = copy_synthesis(engine, "slt", feats)
    served = to_16k(voice.vocode(voice.vocoder_input(prosody, ids)), voice.sample_rate)  # as the engine vocodes it
    assert audio.shape == served.shape
    assert np.sqrt(np.mean(audio**2)) > 0.01  # speech, not silence
    assert np.max(np.abs(audio - served)) < 1e-3  # the stored log F0 comes back as the same harmonic source
