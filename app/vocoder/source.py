"""Harmonic source excitation for the vocoder (the neural source-filter idea, NSF / NSF-HiFiGAN).

A band of harmonics of the speaker's F0 (the fundamental and HARMONICS - 1 overtones at 1/k amplitude, a
smoothed sawtooth like a glottal pulse train), gated by voicing, is given to the generator next to the mel.
A HiFi-GAN trained briefly without a discriminator locks onto the mel frame rate (an 86 Hz comb); the
source offers it the speaker's pitch instead, so that pitch control can reach the waveform. Measured here:
generator-only losses alone do not make it switch (after 3 500 warm-started or 1 000 fresh steps the
output's F0 was still 86 Hz); that takes adversarial training.

F0 comes per phoneme (FastSpeech 2's pitch predictor); frames get it by interpolating between the
centres of voiced phonemes, and voicing comes from the phoneme class, so training (corpus values) and
inference (predicted values) build the source the same way. Everything here is numpy and deterministic:
the engine builds a phrase's source as its vocoder windows reach it (SourceBuilder), so windowed vocoding still
equals whole-utterance vocoding.
"""

from __future__ import annotations

import numpy as np

from app.text.phonemes import SYMBOLS, VOWELS

VOICED_CONSONANTS = {"B", "D", "DH", "G", "JH", "L", "M", "N", "NG", "R", "V", "W", "Y", "Z", "ZH"}
SOURCE_AMPLITUDE = 0.1
# noise as NSF-HiFiGAN's source: a third of the harmonic amplitude where unvoiced, a trace where voiced
UNVOICED_NOISE = SOURCE_AMPLITUDE / 3
VOICED_NOISE = 0.003
HARMONICS = 8  # as NSF-HiFiGAN's source module; a lone sine left a warm-started generator on its frame buzz
VOICED_IDS = np.array(
    [s.rstrip("012") in VOWELS or s in VOICED_CONSONANTS for s in SYMBOLS], dtype=bool
)  # indexed by phoneme id


def frame_f0(log_f0: np.ndarray, durations: np.ndarray, phone_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-phoneme log F0, durations (frames) and ids → per-frame F0 in Hz and voicing (0/1)."""
    durations = durations.astype(np.int64)
    n_frames = int(durations.sum())
    voiced_phone = VOICED_IDS[np.clip(phone_ids, 0, len(VOICED_IDS) - 1)] & (durations > 0)
    ends = np.cumsum(durations)
    centres = ends - durations / 2.0
    frames = np.arange(n_frames) + 0.5
    if voiced_phone.any():
        contour = np.interp(frames, centres[voiced_phone], log_f0[voiced_phone])
    else:
        contour = np.full(n_frames, float(np.mean(log_f0)) if len(log_f0) else np.log(120.0))
    voiced = np.repeat(voiced_phone.astype(np.float32), durations)
    return np.exp(contour).astype(np.float32), voiced


def harmonic_source(
    f0: np.ndarray, voiced: np.ndarray, hop: int, sample_rate: int, phase: float = 0.0, noise_seed: int | None = None
) -> np.ndarray:
    """Harmonics of F0 (interpolated to samples), scaled by SOURCE_AMPLITUDE where voiced: (frames * hop,) float32.

    With noise_seed, Gaussian noise is added (seeded, so the same phrase gets the same source every time):
    without it a generator whose upsamplers have no sub-frame phase has nothing to make fricatives from.
    """
    source = SourceBuilder(f0, voiced, hop, sample_rate, phase, noise_seed)
    return source.slice(0, source.n)  # the builder's own buffer, which nothing else holds


class SourceBuilder:
    """One phrase's harmonic source, built in order only as far as it is asked for.

    A stream's first vocoder window needs a few thousand samples of a phrase that may run to seconds: building
    the whole at once cost 5.6 ms per 5 s of audio on a core, before the first window could start (and one
    stream after another, under load). The pieces are the same sums in the same order and the same noise
    draws, so any prefix equals harmonic_source's output to the bit.
    """

    def __init__(
        self,
        f0: np.ndarray,
        voiced: np.ndarray,
        hop: int,
        sample_rate: int,
        phase: float = 0.0,
        noise_seed: int | None = None,
    ) -> None:
        self.f0, self.voiced, self.hop, self.sample_rate, self.phase = f0, voiced, hop, sample_rate, phase
        self.n = len(f0) * hop
        self._centres = np.arange(len(f0)) + 0.5
        self._rng = np.random.default_rng(noise_seed) if noise_seed is not None else None
        self._out = np.zeros(self.n, dtype=np.float32)
        self._built = 0
        self._cycles = 0.0  # running sum of f0 / sample_rate over the samples built (float64)

    def slice(self, start: int, end: int) -> np.ndarray:
        """Samples [start, end) of the source (a view: do not write to it)."""
        self._extend(min(end, self.n))
        return self._out[start:end]

    def _extend(self, end: int) -> None:
        if end <= self._built:
            return
        t = (np.arange(self._built, end) + 0.5) / self.hop  # sample positions in frame units
        f0_s = np.interp(t, self._centres, self.f0)
        gate = np.interp(t, self._centres, self.voiced)  # linear ramps at voicing changes: no clicks
        steps = f0_s / self.sample_rate
        steps[0] += self._cycles  # cumsum carries on from where the last piece ended, exactly
        cycles = np.cumsum(steps)
        self._cycles = float(cycles[-1])
        angle = self.phase + 2.0 * np.pi * cycles
        # sin(k a) by the Chebyshev recurrence: two transcendental calls for any number of harmonics
        sin1, two_cos = np.sin(angle).astype(np.float32), (2.0 * np.cos(angle)).astype(np.float32)
        prev, cur = np.zeros_like(sin1), sin1
        total = sin1.copy()
        for k in range(2, HARMONICS + 1):
            prev, cur = cur, two_cos * cur - prev
            total += cur / k
        out = SOURCE_AMPLITUDE * gate * total
        if self._rng is not None:
            noise = self._rng.standard_normal(end - self._built).astype(np.float32)
            out += (VOICED_NOISE * gate + UNVOICED_NOISE * (1.0 - gate)) * noise
        self._out[self._built : end] = out
        self._built = end
