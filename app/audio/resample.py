"""Sample-rate conversion with soxr (the engine speaks at the voice's rate; clients ask for others)."""

from __future__ import annotations

import numpy as np
import soxr

_QUALITY = "HQ"  # soxr's high quality: inaudible passband ripple, cheap enough for real time


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resample a whole float32 mono signal; the result has round(len * to_rate / from_rate) samples."""
    samples = np.asarray(samples, dtype=np.float32)
    if from_rate == to_rate or samples.size == 0:
        return samples
    out: np.ndarray = soxr.resample(samples, from_rate, to_rate, quality=_QUALITY)
    return out.astype(np.float32, copy=False)


class StreamResampler:
    """Resample a signal that arrives in pieces; the joined output equals a one-shot resample in length.

    soxr keeps a filter's worth of history between pieces, so there are no seams at piece boundaries.
    `flush()` drains that history (end of stream, or a point where all audio must go out now) and
    starts a fresh stream, so the object can be reused after it.
    """

    def __init__(self, from_rate: int, to_rate: int) -> None:
        self.from_rate = from_rate
        self.to_rate = to_rate
        self._stream = (
            None
            if from_rate == to_rate
            else soxr.ResampleStream(from_rate, to_rate, 1, dtype="float32", quality=_QUALITY)
        )

    def push(self, samples: np.ndarray) -> np.ndarray:
        samples = np.asarray(samples, dtype=np.float32)
        if self._stream is None:
            return samples
        out: np.ndarray = self._stream.resample_chunk(samples, last=False)
        return out

    def flush(self) -> np.ndarray:
        if self._stream is None:
            return np.zeros(0, dtype=np.float32)
        out: np.ndarray = self._stream.resample_chunk(np.zeros(0, dtype=np.float32), last=True)
        self._stream.clear()
        return out
