"""soxr resampling: one-shot and streamed lengths agree with the rate ratio; the signal survives."""

from __future__ import annotations

import numpy as np
import pytest

from app.audio.resample import StreamResampler, resample

RATES = [8000, 16000, 22050, 24000, 48000]


def tone(n: int, rate: int, hz: float = 440.0) -> np.ndarray:
    return (0.5 * np.sin(2 * np.pi * hz * np.arange(n) / rate)).astype(np.float32)


@pytest.mark.parametrize("to_rate", RATES)
@pytest.mark.parametrize("from_rate", [22050, 24000])
def test_one_shot_length(from_rate: int, to_rate: int) -> None:
    n = 12345
    out = resample(tone(n, from_rate), from_rate, to_rate)
    assert out.dtype == np.float32
    assert abs(out.size - n * to_rate / from_rate) <= 1


@pytest.mark.parametrize("to_rate", RATES)
def test_streamed_length_matches_one_shot(to_rate: int) -> None:
    from_rate = 22050
    audio = tone(2 * from_rate + 17, from_rate)
    resampler = StreamResampler(from_rate, to_rate)
    rng = np.random.default_rng(1)
    pieces, position = [], 0
    while position < audio.size:
        size = int(rng.integers(1, 4000))
        pieces.append(resampler.push(audio[position : position + size]))
        position += size
    pieces.append(resampler.flush())
    streamed = np.concatenate(pieces)
    one_shot = resample(audio, from_rate, to_rate)
    assert abs(streamed.size - one_shot.size) <= 1
    # same signal away from the edges (seamless across piece boundaries)
    middle = slice(to_rate // 10, min(streamed.size, one_shot.size) - to_rate // 10)
    assert np.max(np.abs(streamed[middle] - one_shot[middle])) < 1e-3


def test_tone_keeps_its_frequency() -> None:
    out = resample(tone(22050, 22050, hz=1000.0), 22050, 16000)
    spectrum = np.abs(np.fft.rfft(out))
    assert abs(np.argmax(spectrum) * 16000 / out.size - 1000.0) < 2.0


def test_flush_lets_the_stream_be_reused() -> None:
    resampler = StreamResampler(24000, 8000)
    first = np.concatenate([resampler.push(tone(2400, 24000)), resampler.flush()])
    second = np.concatenate([resampler.push(tone(2400, 24000)), resampler.flush()])
    assert abs(first.size - 800) <= 1 and abs(second.size - 800) <= 1


def test_same_rate_is_a_no_op() -> None:
    audio = tone(1000, 24000)
    assert resample(audio, 24000, 24000) is audio or np.array_equal(resample(audio, 24000, 24000), audio)
    assert StreamResampler(24000, 24000).push(audio).size == 1000
