"""Intonation and closeness to a teacher: what a listener hears and DNSMOS does not.

For one system's clips and the teacher's clips of the same sentences:
- median F0 over every voiced frame, F0 spread (standard deviation of voiced log F0 within an utterance, in
  semitones) and F0 range (p5-p95 within an utterance, semitones), both averaged over utterances;
- along a DTW path between the two renderings (on mel cepstra): the Pearson correlation of log F0 where both
  are voiced, and the mel-cepstral distortion (WORLD envelope coded to 25 coefficients, c1..c24, in dB).

Pitch comes from Praat's autocorrelation tracker (praat-parselmouth), the method of the independent measurement
that found joe's monotone, so figures compare with it. Since 2026-12-06 the same tracker labels the corpora:
`training.pitch_audit` checks it against CREPE (a learned tracker), and the pictures `spectrogram_figure` draws
put the track on the first harmonic of narrow-band spectrograms; WORLD's Harvest and DIO read the low joe
teacher an octave high over whole stretches.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr

RATE = 16000
PERIOD_S = 0.005
F0_FLOOR, F0_CEIL = 60.0, 400.0
MCEP_ORDER = 24  # c1..c24: c0 (level) left out, as usual for MCD
MCD_SCALE = 10.0 / np.log(10.0) * np.sqrt(2.0)


@dataclass
class Analysis:
    """One clip at 16 kHz, 5 ms frames: F0 in Hz (0 unvoiced) and mel cepstra c1..c24."""

    f0: np.ndarray
    mcep: np.ndarray


def _to_rate(audio: np.ndarray, rate: int) -> np.ndarray:
    x = audio.astype(np.float64)
    return x if rate == RATE else soxr.resample(x, rate, RATE)


def f0_track(audio: np.ndarray, rate: int) -> np.ndarray:
    """Praat autocorrelation F0 per 5 ms frame (frame k centred at k * 5 ms), 0 where unvoiced."""
    import parselmouth

    x = _to_rate(audio, rate)
    pitch = parselmouth.Sound(x, RATE).to_pitch_ac(time_step=PERIOD_S, pitch_floor=F0_FLOOR, pitch_ceiling=F0_CEIL)
    n = int(len(x) / RATE / PERIOD_S) + 1
    times = np.arange(n) * PERIOD_S
    f0: np.ndarray = np.nan_to_num(np.array([pitch.get_value_at_time(t) for t in times]))
    return f0


def analyse(audio: np.ndarray, rate: int) -> Analysis:
    import pyworld

    x = _to_rate(audio, rate)
    f0 = f0_track(x, RATE)  # already at the analysis rate: resampled once
    times = np.arange(len(f0)) * PERIOD_S
    envelope = pyworld.cheaptrick(x, f0, times, RATE)
    mcep = pyworld.code_spectral_envelope(envelope, RATE, MCEP_ORDER + 1)[:, 1:]
    return Analysis(f0=f0, mcep=mcep)


def utterance_spread(f0: np.ndarray) -> tuple[float, float]:
    """(standard deviation, p95 - p5) of voiced log F0 within one utterance, in semitones."""
    st = 12.0 * np.log2(f0[f0 > 0])
    if st.size < 2:
        return 0.0, 0.0
    return float(np.std(st)), float(np.percentile(st, 95) - np.percentile(st, 5))


def dtw_path(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs of the cheapest monotonic alignment of two cepstrum sequences (Euclidean frame cost)."""
    import librosa

    cost = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    _, path = librosa.sequence.dtw(C=cost, backtrack=True)
    path = path[::-1]
    return path[:, 0], path[:, 1]


def closeness(ours: Analysis, teacher: Analysis) -> tuple[float, float]:
    """(log-F0 Pearson correlation where both are voiced, MCD in dB) along the DTW path from ours to teacher."""
    i, j = dtw_path(ours.mcep, teacher.mcep)
    mcd = float(np.mean(MCD_SCALE * np.sqrt(((ours.mcep[i] - teacher.mcep[j]) ** 2).sum(-1))))
    both = (ours.f0[i] > 0) & (teacher.f0[j] > 0)
    if both.sum() < 3:
        return float("nan"), mcd
    corr = float(np.corrcoef(np.log(ours.f0[i][both]), np.log(teacher.f0[j][both]))[0, 1])
    return corr, mcd


def intonation_scores(clips: list[Analysis], references: list[list[Analysis]] | None) -> dict[str, float]:
    """The figures of one system: pitch level and movement, and (given the teacher's renderings of the same
    sentences, one list per rendering) closeness to the teacher, averaged over its renderings: a teacher that
    samples noise (Piper) says a sentence differently each time, and one rendering is a noisy reference."""
    voiced = np.concatenate([c.f0[c.f0 > 0] for c in clips])
    spreads = [utterance_spread(c.f0) for c in clips]
    out = {
        "f0_median_hz": float(np.median(voiced)) if voiced.size else 0.0,
        "f0_spread_st": float(np.mean([s[0] for s in spreads])),
        "f0_range_st": float(np.mean([s[1] for s in spreads])),
    }
    if references:
        pairs = [[closeness(c, r) for c, r in zip(clips, ref, strict=True)] for ref in references]
        per_clip = np.nanmean(np.array([[p[0] for p in run] for run in pairs]), axis=0)
        out["f0_corr"] = float(np.nanmean(per_clip))
        out["mcd_db"] = float(np.mean([[p[1] for p in run] for run in pairs]))
        out["f0_corr_per_clip"] = [round(float(c), 3) for c in per_clip]  # type: ignore[assignment]
    return out


def spectrogram_figure(rows: list[tuple[str, np.ndarray, int]], title: str, path: Path) -> None:
    """Narrow-band spectrograms (0-1 kHz, where the harmonics of a speaking voice are resolved) with the Praat F0
    track drawn over each, one row per system (teacher first), saved as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(rows), 1, figsize=(10, 2.6 * len(rows)), squeeze=False)
    n_fft, hop = 2048, 80
    for ax, (label, audio, rate) in zip(axes[:, 0], rows, strict=True):
        x = _to_rate(audio, rate)
        window = np.hanning(n_fft)
        frames = np.lib.stride_tricks.sliding_window_view(np.pad(x, n_fft // 2), n_fft)[::hop] * window
        spec = 20 * np.log10(np.abs(np.fft.rfft(frames, axis=1)).T + 1e-6)
        top = int(1000 * n_fft / RATE)
        ax.imshow(
            spec[:top],
            origin="lower",
            aspect="auto",
            cmap="magma",
            vmin=spec.max() - 70,
            extent=(0, len(x) / RATE, 0, 1000),
        )
        f0 = f0_track(audio, rate)
        t = np.arange(len(f0)) * PERIOD_S
        ax.plot(t, np.where(f0 > 0, f0, np.nan), color="cyan", linewidth=1.5)
        st = utterance_spread(f0)
        ax.set_title(f"{label}: F0 spread {st[0]:.2f} st, range {st[1]:.1f} st", fontsize=9, loc="left")
        ax.set_ylabel("Hz")
    axes[-1, 0].set_xlabel("seconds")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
