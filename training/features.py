"""Audio analysis shared by training and serving: one definition of the mel spectrogram."""

from __future__ import annotations

import functools

import numpy as np
import torch

from app.audio.config import AudioConfig


@functools.lru_cache(maxsize=8)
def _mel_basis(sample_rate: int, n_fft: int, n_mels: int, fmin: float, fmax: float) -> torch.Tensor:
    import librosa  # only needed to build the filterbank once

    basis = librosa.filters.mel(sr=sample_rate, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax)
    return torch.from_numpy(basis).float()


def _stft_magnitude(audio: torch.Tensor, cfg: AudioConfig) -> torch.Tensor:
    # Reflect-pad by (n_fft - hop) / 2 so frame i is centred on sample i * hop + hop / 2:
    # exactly len // hop frames, which is what the vocoder's hop-sized upsampling expects.
    pad = (cfg.n_fft - cfg.hop_length) // 2
    x = torch.nn.functional.pad(audio.unsqueeze(1), (pad, pad), mode="reflect").squeeze(1)
    spec = torch.stft(
        x,
        cfg.n_fft,
        hop_length=cfg.hop_length,
        win_length=cfg.win_length,
        window=torch.hann_window(cfg.win_length, device=audio.device),
        center=False,
        return_complex=True,
    )
    return torch.sqrt(spec.real**2 + spec.imag**2 + 1e-9)


def mel_spectrogram(audio: torch.Tensor, cfg: AudioConfig) -> torch.Tensor:
    """Log-mel spectrogram (natural log, floor 1e-5) of (batch, samples) audio → (batch, n_mels, frames)."""
    mag = _stft_magnitude(audio, cfg)
    basis = _mel_basis(cfg.sample_rate, cfg.n_fft, cfg.n_mels, cfg.fmin, cfg.fmax).to(audio.device)
    return torch.log(torch.clamp(basis @ mag, min=1e-5))


def frame_energy(audio: torch.Tensor, cfg: AudioConfig) -> torch.Tensor:
    """L2 norm of each STFT frame's magnitude (FastSpeech 2's energy), (batch, frames)."""
    return torch.linalg.vector_norm(_stft_magnitude(audio, cfg), dim=1)


PITCH_METHODS = ("praat", "harvest")


def pitch_track(
    audio: np.ndarray, cfg: AudioConfig, f0_range: tuple[float, float] = (60.0, 400.0), method: str = "praat"
) -> np.ndarray:
    """F0 in Hz per mel frame (0 where unvoiced), searched within f0_range.

    "praat" (default): Praat's autocorrelation tracker (praat-parselmouth), whose path search penalises octave
    jumps. On the low Piper joe teacher (85-90 Hz by the harmonic spacing of a narrow-band spectrogram) it reads
    90 Hz where WORLD's Harvest reads 160-200 Hz over whole stretches (30-50 % of voiced frames more than 5
    semitones apart on two test sentences), and it costs 5 ms per 3 s clip against Harvest's 400 ms.
    "harvest": WORLD's Harvest, which labelled the corpora before 2026-12-06 (kept for the label audit).
    """
    period = cfg.hop_length / cfg.sample_rate
    floor, ceil = f0_range
    x = audio.astype(np.float64)
    if method == "praat":
        import parselmouth

        track = parselmouth.Sound(x, cfg.sample_rate).to_pitch_ac(
            time_step=period, pitch_floor=floor, pitch_ceiling=ceil
        )
        t, f0 = np.asarray(track.xs()), np.nan_to_num(track.selected_array["frequency"])
    elif method == "harvest":
        import pyworld

        f0, t = pyworld.harvest(x, cfg.sample_rate, frame_period=1000.0 * period, f0_floor=floor, f0_ceil=ceil)
    else:
        raise ValueError(f"unknown pitch method {method!r}; one of {PITCH_METHODS}")
    n_frames = len(audio) // cfg.hop_length
    # Analysis frame times differ from mel frame centres (half a hop in): interpolate, keeping 0 (unvoiced)
    # where the nearest analysis frames are unvoiced. The values come from voiced analysis frames only:
    # interpolating across the zeros made every voicing edge read half its pitch.
    centres = (np.arange(n_frames) + 0.5) * period
    has_f0 = f0 > 0
    if not has_f0.any():
        return np.zeros(n_frames, dtype=np.float32)
    voiced = np.interp(centres, t, has_f0.astype(np.float64)) >= 0.5
    return np.where(voiced, np.interp(centres, t[has_f0], f0[has_f0]), 0.0).astype(np.float32)
