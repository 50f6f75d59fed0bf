"""Transformer building blocks for FastSpeech 2, written with plain ops so ONNX export stays simple."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn


def sinusoid_positions(length: int, dim: int, device: torch.device) -> torch.Tensor:
    """(length, dim) sinusoidal position table, computed on the fly so any length works."""
    pos = torch.arange(length, device=device, dtype=torch.float32).unsqueeze(1)
    freq = torch.exp(torch.arange(0, dim, 2, device=device, dtype=torch.float32) * (-math.log(10000.0) / dim))
    table = torch.zeros(pos.shape[0], dim, device=device)
    table[:, 0::2] = torch.sin(pos * freq)
    table[:, 1::2] = torch.cos(pos * freq)
    return table


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, pad_mask: torch.Tensor) -> torch.Tensor:
        """x: (B, T, D); pad_mask: (B, T) True at padding."""
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // self.heads)
        scores = scores.masked_fill(pad_mask[:, None, None, :], -1e4)
        attn = self.drop(torch.softmax(scores, dim=-1))
        y = (attn @ v).transpose(1, 2).reshape(b, t, d)
        return self.out(y)


class ConvFeedForward(nn.Module):
    """FastSpeech's position-wise feed-forward made of two 1-D convolutions."""

    def __init__(self, dim: int, hidden: int, kernels: tuple[int, int], dropout: float) -> None:
        super().__init__()
        self.conv1 = nn.Conv1d(dim, hidden, kernels[0], padding=kernels[0] // 2)
        self.conv2 = nn.Conv1d(hidden, dim, kernels[1], padding=kernels[1] // 2)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.relu(self.conv1(x.transpose(1, 2)))
        return self.drop(self.conv2(self.drop(y)).transpose(1, 2))


class FFTBlock(nn.Module):
    """Feed-forward Transformer block: self-attention then conv feed-forward, post-norm as in the paper."""

    def __init__(self, dim: int, heads: int, hidden: int, kernels: tuple[int, int], dropout: float) -> None:
        super().__init__()
        self.attn = MultiHeadSelfAttention(dim, heads, dropout)
        self.norm1 = nn.LayerNorm(dim)
        self.ff = ConvFeedForward(dim, hidden, kernels, dropout)
        self.norm2 = nn.LayerNorm(dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, pad_mask: torch.Tensor) -> torch.Tensor:
        keep = (~pad_mask).unsqueeze(-1).to(x.dtype)
        x = self.norm1(x + self.drop(self.attn(x, pad_mask))) * keep
        return self.norm2(x + self.ff(x)) * keep


class FFTStack(nn.Module):
    def __init__(
        self, layers: int, dim: int, heads: int, hidden: int, kernels: tuple[int, int], dropout: float
    ) -> None:
        super().__init__()
        self.dim = dim
        self.blocks = nn.ModuleList(FFTBlock(dim, heads, hidden, kernels, dropout) for _ in range(layers))

    def forward(self, x: torch.Tensor, pad_mask: torch.Tensor) -> torch.Tensor:
        x = x + sinusoid_positions(x.shape[1], self.dim, x.device).unsqueeze(0)
        # zero the padding so convolutions at a sequence's edge see what they would see unbatched
        x = x * (~pad_mask).unsqueeze(-1).to(x.dtype)
        for block in self.blocks:
            x = block(x, pad_mask)
        return x


class VariancePredictor(nn.Module):
    """Two conv-ReLU-LayerNorm layers and a projection: one scalar per position (duration, pitch or energy)."""

    def __init__(self, dim: int, hidden: int, kernel: int, dropout: float) -> None:
        super().__init__()
        self.conv1 = nn.Conv1d(dim, hidden, kernel, padding=kernel // 2)
        self.norm1 = nn.LayerNorm(hidden)
        self.conv2 = nn.Conv1d(hidden, hidden, kernel, padding=kernel // 2)
        self.norm2 = nn.LayerNorm(hidden)
        self.proj = nn.Linear(hidden, 1)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, pad_mask: torch.Tensor) -> torch.Tensor:
        keep = (~pad_mask).unsqueeze(-1).to(x.dtype)  # padding stays zero between the convolutions
        y = self.drop(self.norm1(torch.relu(self.conv1((x * keep).transpose(1, 2))).transpose(1, 2)))
        y = self.drop(self.norm2(torch.relu(self.conv2((y * keep).transpose(1, 2))).transpose(1, 2)))
        return self.proj(y).squeeze(-1).masked_fill(pad_mask, 0.0)


def length_regulate(x: torch.Tensor, durations: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Repeat each phoneme vector durations[b, i] times.

    Uses a cumulative-sum comparison instead of repeat_interleave so it exports to ONNX with dynamic
    shapes and works on padded batches. Returns (B, F, D) frames and (B,) frame counts.
    """
    ends = torch.cumsum(durations, dim=1)  # (B, T)
    lengths = ends[:, -1]
    # while tracing for ONNX export the frame count must stay a tensor so the graph keeps it dynamic
    n_frames: Any = lengths.max() if torch.jit.is_tracing() else int(lengths.max())  # type: ignore[attr-defined,no-untyped-call]
    frames = torch.arange(n_frames, device=x.device)
    # index of the phoneme covering each frame = number of phoneme ends at or before it
    index = (frames.view(1, -1, 1) >= ends.unsqueeze(1)).sum(dim=2)  # (B, F)
    index = torch.clamp(index, max=x.shape[1] - 1)
    out = torch.gather(x, 1, index.unsqueeze(-1).expand(-1, -1, x.shape[2]))
    valid = frames.view(1, -1) < lengths.view(-1, 1)
    return out * valid.unsqueeze(-1).to(x.dtype), lengths
