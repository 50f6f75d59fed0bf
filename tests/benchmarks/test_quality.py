"""The quality benchmark's pitch measure: median F0 and spread in semitones of voiced frames."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.quality import pitch_stats

RATE = 22050


def _tone(hz_start: float, hz_end: float, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    hz = np.geomspace(hz_start, hz_end, t.size)
    phase = 2 * np.pi * np.cumsum(hz) / RATE
    # a few harmonics, like a voice's excitation
    wave = np.zeros_like(phase)
    for k in range(1, 5):
        wave += np.sin(k * phase) / k
    return (0.3 * wave).astype(np.float32)


def test_a_steady_tone_has_its_pitch_and_no_spread() -> None:
    median, spread = pitch_stats([(_tone(120.0, 120.0), RATE)])
    assert median == pytest.approx(120.0, rel=0.03)
    assert spread < 0.3


def test_an_octave_glide_spreads_and_clips_pool() -> None:
    median, spread = pitch_stats([(_tone(100.0, 200.0), RATE), (_tone(141.0, 141.0, 0.2), RATE)])
    assert median == pytest.approx(141.0, rel=0.08)
    assert 2.5 < spread < 4.5  # an even octave glide: 12 / sqrt(12) = 3.46 semitones


def test_silence_has_no_pitch() -> None:
    assert pitch_stats([(np.zeros(RATE, dtype=np.float32), RATE)]) == (0.0, 0.0)
