"""FastSpeech 2 (Ren et al., 2020): phonemes → mel spectrogram with explicit duration, pitch and energy.

Pitch and energy are predicted per phoneme (averaged over the phoneme's frames, as in the paper's
phoneme-level variant) and embedded with a 1-D convolution of the value (FastPitch style), which keeps
the model export-friendly and makes pitch shift and energy scaling a simple offset at inference.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from app.acoustic.config import AcousticConfig
from app.acoustic.layers import FFTStack, VariancePredictor, length_regulate


class Postnet(nn.Module):
    def __init__(self, n_mels: int, layers: int, channels: int = 256, kernel: int = 5) -> None:
        super().__init__()
        convs: list[nn.Module] = []
        for i in range(layers):
            c_in = n_mels if i == 0 else channels
            c_out = n_mels if i == layers - 1 else channels
            convs.append(nn.Conv1d(c_in, c_out, kernel, padding=kernel // 2))
            convs.append(nn.Tanh() if i < layers - 1 else nn.Identity())
        self.net = nn.Sequential(*convs)

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        return mel + self.net(mel)


@dataclass
class AcousticOutput:
    mel: torch.Tensor  # (B, n_mels, F)
    mel_lengths: torch.Tensor  # (B,)
    log_durations: torch.Tensor  # (B, T) predicted log(1 + frames)
    durations: torch.Tensor  # (B, T) frames used to expand (targets in training, predicted at inference)
    pitch: torch.Tensor  # (B, T) predicted normalised log F0 per phoneme
    energy: torch.Tensor  # (B, T) predicted normalised energy per phoneme
    mel_before_postnet: torch.Tensor
    pitch_used: torch.Tensor  # (B, T) the pitch the decoder was given (target, or prediction with controls)


class FastSpeech2(nn.Module):
    def __init__(self, cfg: AcousticConfig) -> None:
        super().__init__()
        self.cfg = cfg
        d = cfg.d_model
        self.embed = nn.Embedding(cfg.n_symbols, d, padding_idx=0)
        self.speaker = nn.Embedding(cfg.n_speakers, d)
        self.encoder = FFTStack(cfg.encoder_layers, d, cfg.heads, cfg.ff_hidden, cfg.ff_kernels, cfg.dropout)
        self.duration = VariancePredictor(d, cfg.predictor_hidden, cfg.predictor_kernel, cfg.dropout)
        self.pitch = VariancePredictor(d, cfg.predictor_hidden, cfg.predictor_kernel, cfg.dropout)
        self.energy = VariancePredictor(d, cfg.predictor_hidden, cfg.predictor_kernel, cfg.dropout)
        self.pitch_embed = nn.Conv1d(1, d, 3, padding=1)
        self.energy_embed = nn.Conv1d(1, d, 3, padding=1)
        self.decoder = FFTStack(cfg.decoder_layers, d, cfg.heads, cfg.ff_hidden, cfg.ff_kernels, cfg.dropout)
        self.to_mel = nn.Linear(d, cfg.n_mels)
        self.postnet = Postnet(cfg.n_mels, cfg.postnet_layers) if cfg.postnet_layers > 0 else None
        # per-speaker energy statistics, so energy_scale multiplies energy in natural (linear) units
        self.register_buffer("energy_mean", torch.tensor(cfg.energy_mean, dtype=torch.float32), persistent=False)
        self.register_buffer("energy_std", torch.tensor(cfg.energy_std, dtype=torch.float32), persistent=False)

    def forward(
        self,
        phonemes: torch.Tensor,
        speakers: torch.Tensor,
        duration_scale: torch.Tensor | float = 1.0,
        pitch_shift: torch.Tensor | float = 0.0,
        energy_scale: torch.Tensor | float = 1.0,
        target_durations: torch.Tensor | None = None,
        target_pitch: torch.Tensor | None = None,
        target_energy: torch.Tensor | None = None,
    ) -> AcousticOutput:
        """phonemes: (B, T) ids with 0 as padding; speakers: (B,).

        Controls (inference): duration_scale multiplies durations (2.0 = twice as slow), pitch_shift is in
        units of the speaker's normalised log F0 (the engine converts semitones), energy_scale multiplies
        the predicted frame energy (linear units).
        """
        pad = phonemes == 0
        x = self.embed(phonemes) + self.speaker(speakers).unsqueeze(1)
        x = self.encoder(x, pad)

        log_dur = self.duration(x, pad)
        pitch = self.pitch(x, pad)
        energy = self.energy(x, pad)
        predicted_pitch = pitch * self.cfg.pitch_variance + pitch_shift
        pitch_used = target_pitch if target_pitch is not None else predicted_pitch
        if target_energy is not None:
            energy_used = target_energy
        else:
            e_mean = self.energy_mean[speakers].unsqueeze(1)  # type: ignore[index]
            e_std = self.energy_std[speakers].unsqueeze(1)  # type: ignore[index]
            energy_used = ((energy * e_std + e_mean) * energy_scale - e_mean) / e_std
        x = x + self.pitch_embed(pitch_used.unsqueeze(1)).transpose(1, 2)
        x = x + self.energy_embed(energy_used.unsqueeze(1)).transpose(1, 2)

        if target_durations is not None:
            durations = target_durations
        else:
            frames = torch.clamp(torch.round((torch.exp(log_dur) - 1.0) * duration_scale), min=0.0)
            durations = frames.masked_fill(pad, 0.0).long()
            # never let a real phoneme (or the whole utterance) vanish
            durations = torch.where(pad, durations, torch.clamp(durations, min=1))
        frames_x, mel_lengths = length_regulate(x, durations)

        max_frames = frames_x.shape[1]
        frame_pad = torch.arange(max_frames, device=x.device).view(1, -1) >= mel_lengths.view(-1, 1)
        y = self.decoder(frames_x, frame_pad)
        mel = self.to_mel(y).transpose(1, 2)
        mel_post = self.postnet(mel) if self.postnet is not None else mel
        mel_post = mel_post.masked_fill(frame_pad.unsqueeze(1), -11.5)
        return AcousticOutput(mel_post, mel_lengths, log_dur, durations, pitch, energy, mel, pitch_used)


class AcousticExportWrapper(nn.Module):
    """Tensor-in, tensor-out view of FastSpeech 2 for ONNX export and the torch backend."""

    def __init__(self, model: FastSpeech2) -> None:
        super().__init__()
        self.model = model

    def forward(
        self,
        phonemes: torch.Tensor,
        speakers: torch.Tensor,
        duration_scale: torch.Tensor,
        pitch_shift: torch.Tensor,
        energy_scale: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """→ mel, mel lengths, durations, and the per-phoneme pitch used (normalised log F0, shift included)."""
        out = self.model(
            phonemes,
            speakers,
            duration_scale.view(-1, 1),
            pitch_shift.view(-1, 1),
            energy_scale.view(-1, 1),
        )
        return out.mel, out.mel_lengths, out.durations, out.pitch_used
