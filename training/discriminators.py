"""Discriminators: the HiFi-GAN paper's multi-period and multi-scale sets (for GPU training) and, for CPU
fine-tuning, a cheap multi-resolution spectrogram discriminator and a slim multi-period one (the spectrogram
one sees magnitudes only; the period one sees the waveform, phase included). Each returns (scores, feature maps)."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.parametrizations import weight_norm

Scores = list[torch.Tensor]
Features = list[list[torch.Tensor]]


PAPER_PERIOD_CHANNELS = (32, 128, 512, 1024, 1024)
SLIM_PERIOD_CHANNELS = (16, 32, 64, 128, 128)  # about 1/60 of the paper's multiply-adds, for a CPU


class PeriodDiscriminator(nn.Module):
    def __init__(self, period: int, channels: tuple[int, ...] = PAPER_PERIOD_CHANNELS) -> None:
        super().__init__()
        self.period = period
        chans = (1, *channels)
        self.convs = nn.ModuleList(
            weight_norm(nn.Conv2d(chans[i], chans[i + 1], (5, 1), (3 if i < 4 else 1, 1), padding=(2, 0)))
            for i in range(len(channels))
        )
        self.post = weight_norm(nn.Conv2d(chans[-1], 1, (3, 1), padding=(1, 0)))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        b, t = x.shape
        if t % self.period:
            x = F.pad(x, (0, self.period - t % self.period), mode="reflect")
        y = x.view(b, 1, -1, self.period)
        feats = []
        for conv in self.convs:
            y = F.leaky_relu(conv(y), 0.1)
            feats.append(y)
        y = self.post(y)
        feats.append(y)
        return y.flatten(1), feats


class ScaleDiscriminator(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        specs = [(1, 128, 15, 1, 1), (128, 128, 41, 2, 4), (128, 256, 41, 2, 16), (256, 512, 41, 4, 16),
                 (512, 1024, 41, 4, 16), (1024, 1024, 41, 1, 16), (1024, 1024, 5, 1, 1)]  # fmt: skip
        self.convs = nn.ModuleList(
            weight_norm(nn.Conv1d(i, o, k, s, groups=g, padding=k // 2)) for i, o, k, s, g in specs
        )
        self.post = weight_norm(nn.Conv1d(1024, 1, 3, padding=1))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        y = x.unsqueeze(1)
        feats = []
        for conv in self.convs:
            y = F.leaky_relu(conv(y), 0.1)
            feats.append(y)
        y = self.post(y)
        feats.append(y)
        return y.flatten(1), feats


class _Ensemble(nn.Module):
    members: nn.ModuleList

    def _inputs(self, x: torch.Tensor, i: int) -> torch.Tensor:
        return x

    def forward(self, real: torch.Tensor, fake: torch.Tensor) -> tuple[Scores, Scores, Features, Features]:
        rs, fs, rf, ff = [], [], [], []
        for i, d in enumerate(self.members):
            r, r_feat = d(self._inputs(real, i))
            f, f_feat = d(self._inputs(fake, i))
            rs.append(r)
            fs.append(f)
            rf.append(r_feat)
            ff.append(f_feat)
        return rs, fs, rf, ff


class MultiPeriodDiscriminator(_Ensemble):
    def __init__(
        self, periods: tuple[int, ...] = (2, 3, 5, 7, 11), channels: tuple[int, ...] = PAPER_PERIOD_CHANNELS
    ) -> None:
        super().__init__()
        self.members = nn.ModuleList(PeriodDiscriminator(p, channels) for p in periods)


class MultiScaleDiscriminator(_Ensemble):
    def __init__(self) -> None:
        super().__init__()
        self.members = nn.ModuleList(ScaleDiscriminator() for _ in range(3))

    def _inputs(self, x: torch.Tensor, i: int) -> torch.Tensor:
        for _ in range(i):  # each member sees the waveform pooled once more
            x = F.avg_pool1d(x.unsqueeze(1), 4, 2, padding=2).squeeze(1)
        return x


class SpectrogramDiscriminator(nn.Module):
    """Small 2-D conv net on one log-magnitude STFT resolution (UnivNet's MRD, trimmed for CPU)."""

    def __init__(self, n_fft: int, hop: int, channels: int = 32) -> None:
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.convs = nn.ModuleList([
            weight_norm(nn.Conv2d(1, channels, (3, 9), padding=(1, 4))),
            weight_norm(nn.Conv2d(channels, channels, (3, 9), stride=(1, 2), padding=(1, 4))),
            weight_norm(nn.Conv2d(channels, channels, (3, 9), stride=(1, 2), padding=(1, 4))),
            weight_norm(nn.Conv2d(channels, channels, (3, 3), padding=(1, 1))),
        ])  # fmt: skip
        self.post = weight_norm(nn.Conv2d(channels, 1, (3, 3), padding=(1, 1)))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        win = torch.hann_window(self.n_fft, device=x.device)
        spec = torch.stft(x, self.n_fft, self.hop, self.n_fft, win, return_complex=True).abs()
        y = torch.log(spec.clamp(min=1e-5)).unsqueeze(1).transpose(2, 3)  # (B, 1, frames, bins)
        feats = []
        for conv in self.convs:
            y = F.leaky_relu(conv(y), 0.1)
            feats.append(y)
        y = self.post(y)
        feats.append(y)
        return y.flatten(1), feats


class MultiResolutionDiscriminator(_Ensemble):
    def __init__(self, resolutions: tuple[tuple[int, int], ...] = ((512, 128), (1024, 256), (256, 64))) -> None:
        super().__init__()
        self.members = nn.ModuleList(SpectrogramDiscriminator(n, h) for n, h in resolutions)
