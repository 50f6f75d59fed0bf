"""One loaded voice: its bundle, its inference sessions and the signal processing between them.

Like Piper's `PiperVoice`, a `Voice` exposes its stages, each usable on its own:

    phonemes = frontend.analyze(text)                    # text -> phonemes (one front end serves every voice)
    prosody = voice.prosody(phonemes.ids, pitch=2.0)     # phonemes -> mel, durations, F0 (batched: run_acoustic)
    inputs = voice.vocoder_input(prosody, phonemes.ids)  # postfilter and harmonic source: the vocoder's input
    audio = voice.vocode(inputs)                         # mel -> audio (windowed and batched: run_vocoder)

The engine schedules these stages across streams (batching, windowing, playback clocks); everything that
depends on which voice it is (pitch units, postfilter, harmonic source) lives here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.engine.backends import AcousticBackend, VocoderBackend
from app.engine.bundle import VoiceBundle
from app.engine.types import VoiceInfo
from app.vocoder.source import SourceBuilder, frame_f0


@dataclass(frozen=True)
class AcousticJob:
    """One phrase's acoustic pass: phoneme ids and the controls in the model's own units."""

    ids: list[int]
    speaker: int
    duration_scale: float  # 1 / speed
    pitch_shift: float  # normalised log-F0 units
    energy: float


@dataclass(frozen=True)
class Prosody:
    """What the acoustic model made of one phrase: mel, frames per phoneme, normalised log F0 per phoneme."""

    mel: np.ndarray
    durations: np.ndarray
    pitch: np.ndarray


@dataclass
class VocoderInput:
    """A phrase's vocoder input: the mel (postfiltered) and, for a source-excited vocoder, its harmonic
    source, built only as far as windows ask for it."""

    mel: np.ndarray
    source: SourceBuilder | None
    hop: int

    @property
    def n_frames(self) -> int:
        return int(self.mel.shape[1])

    def window(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Frames [start, end) of the mel and the matching samples of the source."""
        src = None if self.source is None else self.source.slice(start * self.hop, end * self.hop)
        return self.mel[:, start:end], src


class Voice:
    def __init__(self, bundle: VoiceBundle, acoustic: AcousticBackend, vocoder: VocoderBackend) -> None:
        self.bundle = bundle
        self.acoustic = acoustic
        self.vocoder = vocoder
        self.info = VoiceInfo(
            bundle.name, bundle.audio.sample_rate, bundle.language, bundle.speaker_id, bundle.description,
            bundle.teachers,
        )  # fmt: skip

    @property
    def name(self) -> str:
        return self.bundle.name

    @property
    def hop(self) -> int:
        return self.bundle.audio.hop_length

    @property
    def sample_rate(self) -> int:
        return self.bundle.audio.sample_rate

    @property
    def context_frames(self) -> int:
        """Mel frames of context each side of a vocoder window (its receptive field)."""
        return self.bundle.vocoder.context_frames

    # -- phonemes -> mel ---------------------------------------------------------------------------

    def acoustic_job(self, ids: list[int], speed: float = 1.0, pitch: float = 0.0, energy: float = 1.0) -> AcousticJob:
        """Controls as a listener states them (speed factor, semitones, loudness) in the model's units."""
        spk, cfg = self.bundle.speaker_id, self.bundle.acoustic
        shift = pitch * math.log(2.0) / 12.0 / cfg.pitch_std[spk]
        return AcousticJob(ids, spk, 1.0 / speed, shift, energy)

    def run_acoustic(self, jobs: Sequence[AcousticJob]) -> list[Prosody]:
        """One batched acoustic pass (every job must be for this voice's model)."""
        t = max(len(j.ids) for j in jobs)
        ids = np.zeros((len(jobs), t), dtype=np.int64)
        for i, j in enumerate(jobs):
            ids[i, : len(j.ids)] = j.ids
        mel, lengths, durations, pitch = self.acoustic(
            ids,
            np.array([j.speaker for j in jobs], dtype=np.int64),
            np.array([j.duration_scale for j in jobs], dtype=np.float32),
            np.array([j.pitch_shift for j in jobs], dtype=np.float32),
            np.array([j.energy for j in jobs], dtype=np.float32),
        )
        return [
            Prosody(mel[i, :, : int(lengths[i])], durations[i, : len(j.ids)], pitch[i, : len(j.ids)])
            for i, j in enumerate(jobs)
        ]

    def prosody(self, ids: list[int], speed: float = 1.0, pitch: float = 0.0, energy: float = 1.0) -> Prosody:
        """One phrase's acoustic pass on its own (the engine batches run_acoustic across streams instead)."""
        return self.run_acoustic([self.acoustic_job(ids, speed, pitch, energy)])[0]

    # -- between the networks ----------------------------------------------------------------------

    def vocoder_input(self, prosody: Prosody, ids: Sequence[int]) -> VocoderInput:
        """The mel after the voice's postfilter and, for a source-excited vocoder, the harmonic source that
        follows the predicted F0 (one phrase-long source, built as its windows reach it, so windows still
        join into the whole)."""
        mel = self.bundle.postfilter(prosody.mel)
        source = None
        vocoder = self.bundle.vocoder.config
        if vocoder.source:
            cfg, spk = self.bundle.acoustic, self.bundle.speaker_id
            log_f0 = prosody.pitch * cfg.pitch_std[spk] + cfg.pitch_mean[spk]
            f0, voiced = frame_f0(log_f0, prosody.durations, np.asarray(ids))
            noise_seed = 0 if vocoder.source_noise else None
            source = SourceBuilder(f0, voiced, self.hop, self.sample_rate, 0.0, noise_seed)
        return VocoderInput(mel, source, self.hop)

    # -- mel -> audio ------------------------------------------------------------------------------

    def vocode(self, inputs: VocoderInput) -> np.ndarray:
        """A whole phrase in one vocoder pass (streaming joins windows into the same samples)."""
        return self.run_vocoder([inputs.window(0, inputs.n_frames)])[0]

    def run_vocoder(self, windows: Sequence[tuple[np.ndarray, np.ndarray | None]]) -> list[np.ndarray]:
        """One batched vocoder pass over windows of equal length: (mel, source or None) -> samples."""
        sources = [w[1] for w in windows]
        source = np.stack(sources) if sources[0] is not None else None  # type: ignore[arg-type]
        audio = self.vocoder(np.stack([w[0] for w in windows]), source)
        return [audio[i] for i in range(len(windows))]
