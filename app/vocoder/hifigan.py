"""HiFi-GAN generator (Kong et al., 2020) with V1/V2/V3 sizes and an iSTFTNet-style head.

The iSTFT head (Kaneko et al., 2022) stops upsampling early and predicts magnitude and phase of a
small STFT, which an inverse STFT turns into samples; on a CPU that removes the most expensive,
highest-rate convolutions. The inverse STFT is written as a matrix product plus an overlap-add
transposed convolution so the whole generator exports to ONNX and vocodes in windows.

`Generator.to_planar()` runs the learned convolutions as 2-D ones on (batch, channels, 1, time) tensors, for
export: onnxruntime's blocked-layout (NCHWc) CPU kernels take 2-D convolutions and the sums between them, not 1-D
ones (measured on joe's vocoder: 12 % less time, same output to float rounding). The fixed sinc filters and the
inverse STFT stay 1-D.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import weight_norm

from app.vocoder.config import VocoderConfig

LRELU_SLOPE = 0.1


def _conv(c_in: int, c_out: int, kernel: int, dilation: int = 1) -> nn.Conv1d:
    return weight_norm(nn.Conv1d(c_in, c_out, kernel, dilation=dilation, padding=dilation * (kernel - 1) // 2))


def _planar_conv(conv: nn.Conv1d | nn.ConvTranspose1d) -> nn.Conv2d | nn.ConvTranspose2d:
    """A (1 x k) 2-D convolution computing what conv does along the last axis of height-1 planes."""
    if not isinstance(conv.padding, tuple) or conv.padding_mode != "zeros" or any(conv.output_padding):
        raise ValueError(f"{conv}: only explicit zero padding without output padding has a planar form")
    kind = nn.ConvTranspose2d if isinstance(conv, nn.ConvTranspose1d) else nn.Conv2d
    planar = kind(
        conv.in_channels, conv.out_channels, (1, conv.kernel_size[0]), stride=(1, conv.stride[0]),
        padding=(0, conv.padding[0]), dilation=(1, conv.dilation[0]), groups=conv.groups, bias=conv.bias is not None,
    )  # fmt: skip
    with torch.no_grad():
        planar.weight.copy_(conv.weight.unsqueeze(2))
        if conv.bias is not None and planar.bias is not None:
            planar.bias.copy_(conv.bias)
    return planar


class ResBlock1(nn.Module):
    def __init__(self, channels: int, kernel: int, dilations: list[int]) -> None:
        super().__init__()
        self.convs1 = nn.ModuleList(_conv(channels, channels, kernel, d) for d in dilations)
        self.convs2 = nn.ModuleList(_conv(channels, channels, kernel, 1) for _ in dilations)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for c1, c2 in zip(self.convs1, self.convs2, strict=True):
            y = c1(nn.functional.leaky_relu(x, LRELU_SLOPE))
            x = x + c2(nn.functional.leaky_relu(y, LRELU_SLOPE))
        return x


class ResBlock2(nn.Module):
    def __init__(self, channels: int, kernel: int, dilations: list[int]) -> None:
        super().__init__()
        self.convs = nn.ModuleList(_conv(channels, channels, kernel, d) for d in dilations)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for conv in self.convs:
            x = x + conv(nn.functional.leaky_relu(x, LRELU_SLOPE))
        return x


class InverseSTFT(nn.Module):
    """Inverse real STFT (Hann window, weighted overlap-add) from magnitude and phase frames."""

    def __init__(self, n_fft: int, hop: int) -> None:
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        bins = n_fft // 2 + 1
        n = np.arange(n_fft)[:, None]
        k = np.arange(bins)[None, :]
        weight = np.full(bins, 2.0)
        weight[0] = 1.0
        if n_fft % 2 == 0:
            weight[-1] = 1.0
        window = np.hanning(n_fft + 1)[:-1]  # periodic Hann
        # real inverse DFT as two matrices, with the synthesis window folded in
        cos = (weight * np.cos(2 * np.pi * n * k / n_fft) / n_fft) * window[:, None]
        sin = (-weight * np.sin(2 * np.pi * n * k / n_fft) / n_fft) * window[:, None]
        self.register_buffer("cos_basis", torch.tensor(cos, dtype=torch.float32))
        self.register_buffer("sin_basis", torch.tensor(sin, dtype=torch.float32))
        self.register_buffer("ola", torch.eye(n_fft, dtype=torch.float32).unsqueeze(1))
        # steady-state window-squared sum: constant for Hann at hop <= n_fft / 2
        env = np.zeros(n_fft + hop * 8)
        for start in range(0, len(env) - n_fft + 1, hop):
            env[start : start + n_fft] += window**2
        self.norm = float(env[n_fft : n_fft + hop].mean())

    def forward(self, magnitude: torch.Tensor, phase: torch.Tensor) -> torch.Tensor:
        """(B, bins, T) each → (B, T * hop) samples."""
        real = magnitude * torch.cos(phase)
        imag = magnitude * torch.sin(phase)
        cos_b: torch.Tensor = self.cos_basis  # type: ignore[assignment]
        sin_b: torch.Tensor = self.sin_basis  # type: ignore[assignment]
        frames = torch.einsum("nk,bkt->bnt", cos_b, real) + torch.einsum("nk,bkt->bnt", sin_b, imag)
        ola: torch.Tensor = self.ola  # type: ignore[assignment]
        audio = nn.functional.conv_transpose1d(frames, ola, stride=self.hop).squeeze(1) / self.norm
        trim = (self.n_fft - self.hop) // 2
        return audio[:, trim : trim + frames.shape[2] * self.hop]


class FixedUpsample(nn.Module):
    """Convolution at the input rate, then a fixed interpolation by `rate`: every output sample is treated alike.

    A transposed convolution gives each of its `rate` output phases its own kernel taps. Trained without a
    strong discriminator, those per-phase differences survive as a pattern that repeats every input step,
    which after the first stage is every mel frame: an 86 Hz comb over the voice (measured on the shipped
    transposed-conv vocoder: the first stage's per-phase mean was 0.57 of its channel spread).
    "linear" interpolation has no phase but still has a kink at every input sample, and a generator learns to
    use those (a pattern at the input rate again); "sinc" (Kaiser-windowed, 8 zero crossings a side) is band
    limited, so nothing at the input rate survives. Both are cheaper: the learned convolution runs at the
    lower rate and the interpolation is a fixed depthwise filter.
    """

    ZERO_CROSSINGS = 8
    KAISER_BETA = 8.0

    def __init__(self, c_in: int, c_out: int, kernel: int, rate: int, interp: str = "linear") -> None:
        super().__init__()
        if interp not in ("linear", "sinc"):
            raise ValueError(f"unknown interpolation {interp!r}: use 'linear' or 'sinc'")
        self.rate, self.interp = rate, interp
        self.conv = weight_norm(nn.Conv1d(c_in, c_out, kernel, padding=kernel // 2))
        # the Kaiser-windowed sinc sampled at the output rate, split into its `rate` phases: output sample
        # j * rate + p is input samples j - Z .. j + Z weighted by taps[p] (Z zero crossings a side)
        z, half = self.ZERO_CROSSINGS, self.ZERO_CROSSINGS * rate
        t = np.arange(-half, half + 1) / rate
        sinc = np.sinc(t) * np.kaiser(2 * half + 1, self.KAISER_BETA)
        phases = np.zeros((rate, 1, 2 * z + 1))
        for p in range(rate):
            for i in range(2 * z + 1):
                k = (2 * z - i) * rate + p
                phases[p, 0, i] = sinc[k] if k <= 2 * half else 0.0
        self.register_buffer("taps", torch.tensor(phases, dtype=torch.float32), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C_in, [1,] N) → (B, C_out, [1,] N * rate)."""
        y = self.conv(x)
        if self.interp == "linear":
            flat = y.squeeze(2) if y.dim() == 4 else y
            z = nn.functional.interpolate(flat, scale_factor=float(self.rate), mode="linear", align_corners=False)
            return z.unsqueeze(2) if y.dim() == 4 else z
        # polyphase: every channel through one shared (rate x taps) filter at the input rate, phases then
        # interleaved. Equal to zero-stuffing and low-pass filtering at the output rate (a depthwise transposed
        # convolution, as first trained), at a sixth of its cost in onnxruntime (one GEMM instead of one per channel)
        b, c, n = y.shape[0], y.shape[1], y.shape[-1]
        taps: torch.Tensor = self.taps  # type: ignore[assignment]
        z = nn.functional.conv1d(y.reshape(b * c, 1, n), taps, padding=self.ZERO_CROSSINGS)
        return z.transpose(1, 2).reshape(*y.shape[:-1], n * self.rate)


class Generator(nn.Module):
    def __init__(self, cfg: VocoderConfig) -> None:
        super().__init__()
        self.cfg = cfg
        ch = cfg.channels
        if not 0 <= cfg.interp_stages <= len(cfg.upsample_rates):
            raise ValueError(f"interp_stages {cfg.interp_stages} outside 0..{len(cfg.upsample_rates)}")
        self.conv_pre = weight_norm(nn.Conv1d(cfg.n_mels, ch, 7, padding=3))
        self.ups = nn.ModuleList()
        self.resblocks = nn.ModuleList()
        block = ResBlock1 if cfg.resblock == "1" else ResBlock2
        self.source_convs = nn.ModuleList()
        upsampled = 1
        for i, (rate, kernel) in enumerate(zip(cfg.upsample_rates, cfg.upsample_kernels, strict=True)):
            c_in, c_out = ch // 2**i, ch // 2 ** (i + 1)
            if i < cfg.interp_stages:
                self.ups.append(FixedUpsample(c_in, c_out, kernel, rate, cfg.interp))
            else:
                pad = (kernel - rate) // 2
                self.ups.append(weight_norm(nn.ConvTranspose1d(c_in, c_out, kernel, rate, padding=pad)))
            upsampled *= rate
            if cfg.source:
                # bring the sample-rate source down to this stage's rate; zero init keeps a warm start intact
                down = cfg.hop_length // upsampled
                conv = nn.Conv1d(1, c_out, 2 * down if down > 1 else 1, down, padding=down // 2, bias=False)
                nn.init.zeros_(conv.weight)
                self.source_convs.append(conv)
            for k, dil in zip(cfg.resblock_kernels, cfg.resblock_dilations, strict=True):
                self.resblocks.append(block(c_out, k, dil))
        c_last = ch // 2 ** len(cfg.upsample_rates)
        if cfg.istft_n_fft:
            self.bins = cfg.istft_n_fft // 2 + 1
            self.conv_post = weight_norm(nn.Conv1d(c_last, 2 * self.bins, 7, padding=3))
            self.istft: InverseSTFT | None = InverseSTFT(cfg.istft_n_fft, cfg.istft_hop)
        else:
            self.conv_post = weight_norm(nn.Conv1d(c_last, 1, 7, padding=3))
            self.istft = None
        self.n_kernels = len(cfg.resblock_kernels)
        self.planar = False

    def forward(self, mel: torch.Tensor, source: torch.Tensor | None = None) -> torch.Tensor:
        """(B, n_mels, F) log-mel [+ (B, F * hop_length) source] → (B, F * hop_length) audio in [-1, 1]."""
        if self.planar:  # height-1 planes (to_planar)
            mel = mel.unsqueeze(2)
            source = None if source is None else source.unsqueeze(1)
        x = self.conv_pre(mel)
        for i, up in enumerate(self.ups):
            x = up(nn.functional.leaky_relu(x, LRELU_SLOPE))
            if self.source_convs and source is not None:
                x = x + self.source_convs[i](source.unsqueeze(1))
            acc = self.resblocks[i * self.n_kernels](x)
            for j in range(1, self.n_kernels):
                acc = acc + self.resblocks[i * self.n_kernels + j](x)
            x = acc / self.n_kernels
        x = self.conv_post(nn.functional.leaky_relu(x))
        if self.planar:
            x = x.squeeze(2)
        if self.istft is None:
            return torch.tanh(x).squeeze(1)
        magnitude = torch.exp(torch.clamp(x[:, : self.bins], max=8.0))
        phase = torch.pi * torch.sin(x[:, self.bins :])
        return torch.clamp(self.istft(magnitude, phase), -1.0, 1.0)

    def to_planar(self) -> Generator:
        """The same function on height-1 planes: every learned Conv1d (ConvTranspose1d) becomes a (1 x k) Conv2d
        (ConvTranspose2d) with the same weights (see the module docstring). For export, after remove_weight_norm;
        the generator still takes and returns the same tensors."""
        if self.planar:
            return self
        if any(parametrize.is_parametrized(m, "weight") for m in self.modules()):
            raise ValueError("remove_weight_norm() before to_planar()")
        for parent in list(self.modules()):
            for name, child in list(parent.named_children()):
                if isinstance(child, (nn.Conv1d, nn.ConvTranspose1d)):
                    setattr(parent, name, _planar_conv(child))
        self.planar = True
        return self

    def remove_weight_norm(self) -> None:
        """Fold weight norm into plain weights for inference and export."""
        for module in self.modules():
            if parametrize.is_parametrized(module, "weight"):
                parametrize.remove_parametrizations(module, "weight", leave_parametrized=True)
