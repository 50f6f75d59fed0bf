"""Pitch shift on a fixed pitch-mark grid: pitch moves by the asked ratio, formants and duration stay, and the
result does not depend on how the audio was cut into pieces."""

from __future__ import annotations

import numpy as np
import pytest

from app.audio.pitch import GridPitchShifter

RATE = 22050
PERIOD = 256  # the vocoder hop: 86.1 Hz


def shift(x: np.ndarray, semitones: float, pieces: list[int] | None = None, phase: int = 64) -> np.ndarray:
    shifter = GridPitchShifter(PERIOD, semitones, phase)
    out, at = [], 0
    for n in pieces or [len(x)]:
        out.append(shifter.push(x[at : at + n]))
        at += n
    assert at == len(x)
    out.append(shifter.flush())
    return np.concatenate(out)


def voiced(n_periods: int, formant_hz: float = 700.0) -> np.ndarray:
    """A pulse every PERIOD samples, each ringing a resonance at formant_hz (a one-formant vowel)."""
    t = np.arange(PERIOD) / RATE
    pulse = np.exp(-t * 400.0) * np.sin(2 * np.pi * formant_hz * t)
    return np.tile(pulse, n_periods).astype(np.float32)


def period_of(x: np.ndarray) -> int:
    mid = x[len(x) // 4 : 3 * len(x) // 4].astype(np.float64)
    ac = np.correlate(mid, mid, "full")[len(mid) - 1 :]
    return 120 + int(np.argmax(ac[120:450]))


def strongest_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / RATE)[np.argmax(spectrum)])


def random_pieces(total: int, seed: int) -> list[int]:
    rng = np.random.default_rng(seed)
    cuts = np.sort(rng.choice(np.arange(1, total), size=12, replace=False))
    return [int(n) for n in np.diff(np.concatenate([[0], cuts, [total]]))]


def test_no_shift_gives_back_the_input_exactly() -> None:
    x = np.random.default_rng(0).standard_normal(10_000).astype(np.float32)
    assert np.array_equal(shift(x, 0.0, random_pieces(len(x), 1)), x)


@pytest.mark.parametrize("semitones", [-4.0, 4.0, 11.0])
def test_duration_is_kept_and_pieces_do_not_matter(semitones: float) -> None:
    x = voiced(60)
    whole = shift(x, semitones)
    assert len(whole) == len(x)
    for seed in (2, 3):
        assert np.allclose(shift(x, semitones, random_pieces(len(x), seed)), whole, atol=1e-6)
    assert np.allclose(shift(x, semitones, [PERIOD] * 60), whole, atol=1e-6)


@pytest.mark.parametrize("semitones", [-4.0, 4.0])
def test_pitch_moves_and_the_formant_stays(semitones: float) -> None:
    x = voiced(120)
    y = shift(x, semitones)
    assert period_of(x) == PERIOD
    assert period_of(y) == pytest.approx(PERIOD / 2 ** (semitones / 12), abs=2)
    f0 = RATE / period_of(y)
    assert abs(strongest_hz(y) - 700.0) < f0  # the harmonic nearest the formant is still the loudest
    rms = float(np.sqrt(np.mean(y[PERIOD * 10 : -PERIOD * 10] ** 2)))
    assert rms == pytest.approx(float(np.sqrt(np.mean(x**2))), rel=0.25)  # no jump in loudness


def test_output_lags_the_input_by_under_three_periods() -> None:
    shifter = GridPitchShifter(PERIOD, 4.0, 64)
    handed = sum(len(shifter.push(np.ones(PERIOD, np.float32))) for _ in range(20))
    assert 20 * PERIOD - 3 * PERIOD <= handed < 20 * PERIOD
    assert handed + len(shifter.flush()) == 20 * PERIOD


def test_silence_stays_silent() -> None:
    assert not shift(np.zeros(3000, np.float32), -4.0).any()


def test_misuse_is_refused() -> None:
    with pytest.raises(ValueError):
        GridPitchShifter(1, 2.0)
    with pytest.raises(ValueError):
        GridPitchShifter(PERIOD, float("nan"))
    shifter = GridPitchShifter(PERIOD, 2.0)
    shifter.flush()
    with pytest.raises(RuntimeError):
        shifter.push(np.zeros(10, np.float32))
