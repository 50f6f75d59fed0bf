"""Audio features: the F0 tracker that labels the corpora."""

from __future__ import annotations

import numpy as np
import pytest

from app.audio.config import AudioConfig
from training.features import pitch_track


def test_pitch_track_reads_a_tone_and_no_half_values_at_voicing_edges() -> None:
    cfg = AudioConfig()
    rate = cfg.sample_rate
    t = np.arange(int(0.6 * rate)) / rate
    tone = 0.5 * np.sign(np.sin(2 * np.pi * 120.0 * t))  # a buzzy 120 Hz source
    rng = np.random.default_rng(0)
    gap = 0.01 * rng.standard_normal(int(0.3 * rate))
    audio = np.concatenate([tone, gap, tone, gap]).astype(np.float32)
    f0 = pitch_track(audio, cfg, (70.0, 300.0))
    assert len(f0) == len(audio) // cfg.hop_length
    voiced = f0[f0 > 0]
    assert len(voiced) > 0.4 * len(f0)
    assert float(np.median(voiced)) == pytest.approx(120.0, rel=0.03)
    # edges included, no voiced frame reads near half of 120 Hz (interpolating across the unvoiced zeros gave 48)
    assert float(voiced.min()) > 80.0


def test_pitch_track_of_silence_is_unvoiced() -> None:
    cfg = AudioConfig()
    assert not pitch_track(np.zeros(cfg.sample_rate // 2, dtype=np.float32), cfg).any()
