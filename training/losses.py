"""Vocoder training losses: mel L1, multi-resolution STFT, and the GAN terms (least squares, feature matching)."""

from __future__ import annotations

import torch
from torch.nn import functional as F

RESOLUTIONS = ((512, 128), (1024, 256), (2048, 512))


def _log_magnitude(x: torch.Tensor, n_fft: int, hop: int) -> torch.Tensor:
    spec = torch.stft(x, n_fft, hop, n_fft, torch.hann_window(n_fft, device=x.device), return_complex=True)
    return torch.sqrt(spec.real**2 + spec.imag**2 + 1e-7)


def multi_resolution_stft_loss(fake: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """Spectral convergence + log-magnitude L1, averaged over three resolutions (Parallel WaveGAN)."""
    total = fake.new_zeros(())
    for n_fft, hop in RESOLUTIONS:
        f, r = _log_magnitude(fake, n_fft, hop), _log_magnitude(real, n_fft, hop)
        sc = torch.linalg.norm(r - f) / torch.linalg.norm(r).clamp(min=1e-7)
        total = total + sc + F.l1_loss(torch.log(f), torch.log(r))
    return total / len(RESOLUTIONS)


def discriminator_loss(real_scores: list[torch.Tensor], fake_scores: list[torch.Tensor]) -> torch.Tensor:
    return sum(
        (torch.mean((1 - r) ** 2) + torch.mean(f**2) for r, f in zip(real_scores, fake_scores, strict=True)),
        torch.zeros(()),
    )


def generator_adversarial_loss(fake_scores: list[torch.Tensor]) -> torch.Tensor:
    return sum((torch.mean((1 - f) ** 2) for f in fake_scores), torch.zeros(()))


def feature_matching_loss(real_feats: list[list[torch.Tensor]], fake_feats: list[list[torch.Tensor]]) -> torch.Tensor:
    total = torch.zeros(())
    for rs, fs in zip(real_feats, fake_feats, strict=True):
        for r, f in zip(rs, fs, strict=True):
            total = total + F.l1_loss(f, r.detach())
    return 2.0 * total
