"""The quality benchmark's pitch measure: median F0 and spread in semitones of voiced frames."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.quality import mean_of_runs, pitch_stats

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


def test_teacher_runs_average_into_one_row() -> None:
    def run(wer: float, p808: float, clips: list[float]) -> dict[str, object]:
        return {"system": "piper-joe", "wer": wer, "ovrl": 3.0, "p808": p808, "f0_median_hz": 120.0,
                "f0_spread_st": 6.0, "hyps": ["a"], "p808_per_clip": clips}  # fmt: skip

    row = mean_of_runs([run(0.4, 3.90, [3.8, 4.0]), run(0.5, 4.00, [4.0, 4.0]), run(0.45, 3.95, [3.9, 4.0])])
    assert row["wer"] == pytest.approx(0.45) and row["p808"] == pytest.approx(3.95)
    assert row["p808_per_clip"] == pytest.approx([3.9, 4.0])
    assert [r["p808"] for r in row["runs"]] == [3.90, 4.00, 3.95]
    assert row["system"] == "piper-joe" and row["hyps"] == ["a"]
