"""Streaming pitch shift for audio whose voicing repeats on a fixed period (pitch-synchronous overlap-add).

Some vocoders (joe's, with transposed-convolution upsampling) put out one glottal-like pulse pattern per mel
frame whatever F0 they are given: their pitch marks are the frame grid, known in advance, so no pitch tracker
is needed. Moving those marks closer together (higher) or further apart (lower) while each two-period grain
keeps its shape moves the pitch and leaves the formants and the duration where they were (TD-PSOLA).
"""

from __future__ import annotations

import math

import numpy as np


class GridPitchShifter:
    """Shift by `semitones` audio pushed piece by piece; out comes the same number of samples in total.

    period: samples between pitch marks (the vocoder's hop); phase: where in each period a grain is centred.
    Output lags input by about 2.5 periods (a grain needs a period of input past its centre); `flush()`
    returns the rest once the input has ended.
    """

    def __init__(self, period: int, semitones: float, phase: int = 0) -> None:
        if period < 2:
            raise ValueError("period must be at least 2 samples")
        if not math.isfinite(semitones):
            raise ValueError("semitones must be finite")
        self.period = period
        self.ratio = 2.0 ** (semitones / 12.0)
        self.phase = phase % period
        self._window = np.hanning(2 * period + 1)  # sums to exactly 1 at one-period spacing: ratio 1 is identity
        self._spacing = period / self.ratio
        self._gain = self._spacing / float(self._window.sum())  # grains overlap `ratio` times as often
        self._in = np.zeros(0, dtype=np.float64)  # input from sample `_in_start` on
        self._in_start = 0
        self._in_end = 0  # input samples pushed so far
        self._out = np.zeros(0, dtype=np.float64)  # output accumulator from sample `_out_start` on
        self._out_start = 0
        self._mark = float(self.phase - period)  # next synthesis mark; the first grain reaches back to sample 0
        self._done = False

    def push(self, samples: np.ndarray) -> np.ndarray:
        """Add input; returns the output samples that no later grain can change any more."""
        if self._done:
            raise RuntimeError("push after flush")
        samples = np.asarray(samples, dtype=np.float64).reshape(-1)
        self._in = np.concatenate([self._in, samples])
        self._in_end += samples.size
        self._place(final=False)
        return self._take(min(round(self._mark) - self.period, self._in_end))

    def flush(self) -> np.ndarray:
        """The input has ended: place the remaining grains (silence past the end) and return the rest."""
        if self._done:
            return np.zeros(0, dtype=np.float32)
        self._done = True
        self._place(final=True)
        return self._take(self._in_end)

    def _place(self, final: bool) -> None:
        p = self.period
        while True:
            centre = self.phase + round((self._mark - self.phase) / p) * p  # analysis mark nearest the synthesis mark
            if not final and centre + p >= self._in_end:
                break  # its grain needs input that has not arrived
            at = round(self._mark)
            if at - p >= self._in_end:
                break
            grain = self._input(centre - p, centre + p + 1) * self._window
            self._add(at - p, grain)
            self._mark += self._spacing
        # input before the earliest grain any later mark can reach is no longer needed
        keep_from = min(self.phase + math.floor((self._mark - self.phase) / p - 1) * p, self._in_end) - p
        if keep_from > self._in_start:
            self._in = self._in[keep_from - self._in_start :]
            self._in_start = keep_from

    def _input(self, a: int, b: int) -> np.ndarray:
        """Input samples [a, b), zeros outside what was pushed."""
        out = np.zeros(b - a, dtype=np.float64)
        lo, hi = max(a, self._in_start), min(b, self._in_end)
        if hi > lo:
            out[lo - a : hi - a] = self._in[lo - self._in_start : hi - self._in_start]
        return out

    def _add(self, start: int, grain: np.ndarray) -> None:
        lo = max(start, self._out_start)
        end = start + grain.size
        if end <= lo:
            return
        need = end - self._out_start
        if need > self._out.size:
            self._out = np.concatenate([self._out, np.zeros(need - self._out.size)])
        self._out[lo - self._out_start : end - self._out_start] += grain[lo - start :]

    def _take(self, upto: int) -> np.ndarray:
        n = max(0, upto - self._out_start)
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        if n > self._out.size:
            self._out = np.concatenate([self._out, np.zeros(n - self._out.size)])
        out: np.ndarray = (self._out[:n] * self._gain).astype(np.float32)
        self._out = self._out[n:]
        self._out_start += n
        return out
