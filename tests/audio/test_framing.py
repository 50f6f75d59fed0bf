"""Framer: exact sample accounting, frames on the round(k * rate * ms / 1000) grid, no drift."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.audio.framing import Framer


def grid(k: int, rate: int, frame_ms: float) -> int:
    return math.floor(k * Fraction(rate) * Fraction(frame_ms) / 1000 + Fraction(1, 2))


@pytest.mark.parametrize("rate", [22050, 24000, 8000])
def test_ten_thousand_frames_land_exactly_on_the_grid(rate: int) -> None:
    frames_wanted = 10_000
    total = grid(frames_wanted, rate, 50.0)
    signal = np.arange(total, dtype=np.float32)  # sample values = their index: catches drops and repeats
    framer = Framer(rate, 50.0)
    frames: list[np.ndarray] = []
    rng = np.random.default_rng(0)
    position = 0
    while position < total:  # pieces of random size, like vocoder windows
        size = int(rng.integers(1, 5000))
        frames += framer.push(signal[position : position + size])
        position += size
    assert framer.flush().size == 0
    assert len(frames) == frames_wanted
    boundaries = np.cumsum([frame.size for frame in frames])
    assert boundaries.tolist() == [grid(k, rate, 50.0) for k in range(1, frames_wanted + 1)]
    np.testing.assert_array_equal(np.concatenate(frames), signal)
    if rate == 22050:  # 1102.5 samples per frame: sizes alternate
        assert {frame.size for frame in frames} == {1102, 1103}
        assert [frame.size for frame in frames[:4]] == [1103, 1102, 1103, 1102]
    else:
        assert {frame.size for frame in frames} == {rate // 20}


def test_flush_returns_the_partial_frame_and_the_grid_continues() -> None:
    framer = Framer(22050, 50.0)
    assert framer.push(np.zeros(1500, np.float32))[0].size == 1103
    rest = framer.flush()
    assert rest.size == 397
    # next grid boundary is 2205: the frame after the flush is shortened to get back onto it
    assert [frame.size for frame in framer.push(np.zeros(2000, np.float32))] == [2205 - 1500, 1103]
    assert framer.total_samples == 3500


@settings(max_examples=50, deadline=None)
@given(
    rate=st.sampled_from([8000, 16000, 22050, 24000, 44100, 48000]),
    frame_ms=st.sampled_from([10.0, 20.0, 40.0, 50.0, 60.0]),
    sizes=st.lists(st.integers(0, 3000), max_size=40),
    flush_every=st.integers(0, 10),
)
def test_no_sample_is_lost_or_repeated(rate: int, frame_ms: float, sizes: list[int], flush_every: int) -> None:
    framer = Framer(rate, frame_ms)
    out: list[np.ndarray] = []
    start = 0
    for i, size in enumerate(sizes):
        out += framer.push(np.arange(start, start + size, dtype=np.float64).astype(np.float32))
        start += size
        if flush_every and i % flush_every == 0:
            out.append(framer.flush())
    out.append(framer.flush())
    joined = np.concatenate(out) if out else np.zeros(0, np.float32)
    np.testing.assert_array_equal(joined, np.arange(start, dtype=np.float64).astype(np.float32))


def test_rejects_frames_shorter_than_a_sample() -> None:
    with pytest.raises(ValueError):
        Framer(8000, 0.1)
