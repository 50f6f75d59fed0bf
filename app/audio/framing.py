"""Cut a stream of samples into fixed-duration transport frames with exact sample accounting."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np


class Framer:
    """Push pieces of any size, get back frames of `frame_ms` each.

    Frame k ends at sample floor(k * sample_rate * frame_ms / 1000 + 1/2) (round half up), computed in
    exact rational arithmetic: when a frame is not a whole number of samples (22050 Hz x 50 ms =
    1102.5) sizes alternate (1103, 1102, ...) and the grid never drifts, however long the stream.
    `flush()` returns the partial frame buffered so far; later frames still end on the same grid, so the
    frame after a flush is shortened to get back onto it.
    """

    def __init__(self, sample_rate: int, frame_ms: float = 50.0) -> None:
        if sample_rate <= 0 or frame_ms <= 0:
            raise ValueError("sample_rate and frame_ms must be positive")
        self.sample_rate = sample_rate
        self.frame_ms = frame_ms
        # Fraction(float) is exact, so 50.0 ms or 20.0 ms give an exact samples-per-frame ratio.
        self._samples_per_frame = Fraction(sample_rate) * Fraction(frame_ms) / 1000
        if self._samples_per_frame < 1:
            raise ValueError("a frame must hold at least one sample")
        self._frames_done = 0  # index of the grid frame being filled
        self._emitted = 0  # samples handed out so far (frames + flushes)
        self._pending: list[np.ndarray] = []
        self._pending_len = 0

    @property
    def samples_per_frame(self) -> Fraction:
        return self._samples_per_frame

    @property
    def total_samples(self) -> int:
        """All samples pushed so far (emitted or buffered)."""
        return self._emitted + self._pending_len

    def boundary(self, k: int) -> int:
        """Sample index where grid frame k ends (k >= 0; boundary(0) == 0)."""
        return math.floor(k * self._samples_per_frame + Fraction(1, 2))

    def push(self, samples: np.ndarray) -> list[np.ndarray]:
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        if samples.size:
            self._pending.append(samples)
            self._pending_len += samples.size
        end = self._emitted + self._pending_len
        if end < self.boundary(self._frames_done + 1):
            return []
        buffered = np.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0]
        frames: list[np.ndarray] = []
        offset = 0
        while end >= (stop := self.boundary(self._frames_done + 1)):
            size = stop - (self._emitted + offset)
            frames.append(buffered[offset : offset + size])
            offset += size
            self._frames_done += 1
        rest = buffered[offset:]
        self._emitted += offset
        self._pending = [rest] if rest.size else []
        self._pending_len = rest.size
        return frames

    def flush(self) -> np.ndarray:
        """The buffered partial frame (possibly empty)."""
        if not self._pending:
            return np.zeros(0, dtype=np.float32)
        rest = np.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0]
        self._emitted += rest.size
        self._pending = []
        self._pending_len = 0
        return rest
