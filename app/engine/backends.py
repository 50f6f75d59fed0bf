"""Inference backends: the same two networks through onnxruntime (CPU or CUDA) or torch.

Both take and return numpy arrays, batched:
    acoustic(phonemes (B,T) int64, speakers (B,), duration_scale, pitch_shift, energy_scale (B,) float32)
        → mel (B, n_mels, F) float32, mel_lengths (B,) int64, durations (B, T) int64,
          pitch (B, T) float32 (normalised log F0 per phoneme, shift included)
    vocoder(mel (B, n_mels, F), source (B, F * hop) or None) → audio (B, F * hop) float32
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import numpy as np

from app.engine.bundle import VocoderBundle, VoiceBundle
from app.engine.config import cpu_cores

AcousticResult = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class AcousticBackend(Protocol):
    def __call__(
        self,
        phonemes: np.ndarray,
        speakers: np.ndarray,
        duration_scale: np.ndarray,
        pitch_shift: np.ndarray,
        energy_scale: np.ndarray,
    ) -> AcousticResult: ...


class VocoderBackend(Protocol):
    def __call__(self, mel: np.ndarray, source: np.ndarray | None = None) -> np.ndarray: ...


def _threads(threads: int) -> int:
    return threads or cpu_cores()


class CpuLanes:
    """Thread shares for concurrent inference runs on a CPU (several scheduler workers): a run that starts
    alone takes every core, one that starts beside another takes cores / workers. onnxruntime fixes a
    session's threads when it is made, so each model keeps a session of each size."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._running = 0
        self._lock = threading.Lock()

    @contextmanager
    def lease(self) -> Iterator[bool]:
        """True: this run is alone and may take every core."""
        with self._lock:
            alone = self._running == 0
            self._running += 1
        try:
            yield alone
        finally:
            with self._lock:
                self._running -= 1


class OnnxModel:
    def __init__(
        self, path: str, device: str, threads: int, memory_arena: bool = False, lanes: CpuLanes | None = None
    ) -> None:
        self.lanes = lanes if device == "cpu" else None
        self.session = self._session(path, device, _threads(threads), memory_arena)
        if self.lanes is not None:
            shared = max(1, _threads(threads) // self.lanes.workers)
            self.shared_session = self._session(path, device, shared, memory_arena)

    @staticmethod
    def _session(path: str, device: str, threads: int, memory_arena: bool) -> Any:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        # The CPU arena (and the per-shape memory patterns) keep the high-water mark of every input length seen
        # and never give it back: benchmarks.memory, 400 mixed-length syntheses: RSS 383 -> 1 248 MiB with them,
        # 373 -> 538 MiB without, for 5 % more time.
        opts.enable_cpu_mem_arena = memory_arena
        opts.enable_mem_pattern = memory_arena
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        # Spinning threads steal the cores other sessions need (measured: doubles first-audio time on 2 cores).
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        providers = ["CPUExecutionProvider"]
        if device == "cuda":
            if "CUDAExecutionProvider" not in ort.get_available_providers():
                raise RuntimeError("device=cuda but onnxruntime has no CUDA provider (install onnxruntime-gpu)")
            providers.insert(0, "CUDAExecutionProvider")
        return ort.InferenceSession(path, opts, providers=providers)

    def run(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        if self.lanes is None:
            return list(self.session.run(None, feeds))
        with self.lanes.lease() as alone:
            return list((self.session if alone else self.shared_session).run(None, feeds))


class OnnxAcoustic:
    def __init__(
        self, voice: VoiceBundle, device: str, threads: int, memory_arena: bool = False, lanes: CpuLanes | None = None
    ) -> None:
        self.model = OnnxModel(str(voice.files["acoustic.onnx"]), device, threads, memory_arena, lanes)

    def __call__(
        self,
        phonemes: np.ndarray,
        speakers: np.ndarray,
        duration_scale: np.ndarray,
        pitch_shift: np.ndarray,
        energy_scale: np.ndarray,
    ) -> AcousticResult:
        mel, lengths, durations, pitch = self.model.run({
            "phonemes": phonemes.astype(np.int64),
            "speakers": speakers.astype(np.int64),
            "duration_scale": duration_scale.astype(np.float32),
            "pitch_shift": pitch_shift.astype(np.float32),
            "energy_scale": energy_scale.astype(np.float32),
        })  # fmt: skip
        return mel, lengths, durations, pitch


INT8_VOCODER = "vocoder.int8.onnx"  # a bundle ships one only where it measured as good as float (training.quantize)


class OnnxVocoder:
    def __init__(
        self,
        vocoder: VocoderBundle,
        device: str,
        threads: int,
        memory_arena: bool = False,
        lanes: CpuLanes | None = None,
        int8: bool = True,
    ) -> None:
        # int8 convolutions run about 1.6x faster than float on a CPU; a GPU keeps the float graph
        self.int8 = int8 and device == "cpu" and INT8_VOCODER in vocoder.files
        path = vocoder.files[INT8_VOCODER if self.int8 else "vocoder.onnx"]
        self.model = OnnxModel(str(path), device, threads, memory_arena, lanes)
        self.needs_source = vocoder.config.source

    def __call__(self, mel: np.ndarray, source: np.ndarray | None = None) -> np.ndarray:
        feeds = {"mel": mel.astype(np.float32)}
        if self.needs_source:
            if source is None:
                raise ValueError("this vocoder needs a harmonic source")
            feeds["source"] = source.astype(np.float32)
        return self.model.run(feeds)[0]


class TorchAcoustic:
    def __init__(self, voice: VoiceBundle, device: str, threads: int) -> None:
        import torch

        from app.acoustic.fastspeech2 import AcousticExportWrapper, FastSpeech2

        torch.set_num_threads(_threads(threads))
        model = FastSpeech2(voice.acoustic)
        model.load_state_dict({k: v.float() for k, v in torch.load(voice.files["acoustic.pt"]).items()})
        self.device = torch.device(device)
        self.model = AcousticExportWrapper(model).eval().to(self.device)

    def __call__(
        self,
        phonemes: np.ndarray,
        speakers: np.ndarray,
        duration_scale: np.ndarray,
        pitch_shift: np.ndarray,
        energy_scale: np.ndarray,
    ) -> AcousticResult:
        import torch

        with torch.inference_mode():
            args = [
                torch.from_numpy(a).to(self.device)
                for a in (phonemes.astype(np.int64), speakers.astype(np.int64), duration_scale.astype(np.float32),
                          pitch_shift.astype(np.float32), energy_scale.astype(np.float32))
            ]  # fmt: skip
            mel, lengths, durations, pitch = self.model(*args)
            return mel.cpu().numpy(), lengths.cpu().numpy(), durations.cpu().numpy(), pitch.cpu().numpy()


class TorchVocoder:
    def __init__(self, vocoder: VocoderBundle, device: str, threads: int) -> None:
        import torch

        from app.vocoder.hifigan import Generator

        torch.set_num_threads(_threads(threads))
        gen = Generator(vocoder.config)
        gen.remove_weight_norm()
        gen.load_state_dict({k: v.float() for k, v in torch.load(vocoder.files["vocoder.pt"]).items()})
        self.device = torch.device(device)
        self.model = gen.eval().to(self.device)

    def __call__(self, mel: np.ndarray, source: np.ndarray | None = None) -> np.ndarray:
        import torch

        with torch.inference_mode():
            src = torch.from_numpy(source.astype(np.float32)).to(self.device) if source is not None else None
            return self.model(torch.from_numpy(mel.astype(np.float32)).to(self.device), src).cpu().numpy()


def make_acoustic(
    kind: str, voice: VoiceBundle, device: str, threads: int, memory_arena: bool = False, lanes: CpuLanes | None = None
) -> AcousticBackend:
    if kind == "onnx":
        return OnnxAcoustic(voice, device, threads, memory_arena, lanes)
    return TorchAcoustic(voice, device, threads)


def make_vocoder(
    kind: str,
    vocoder: VocoderBundle,
    device: str,
    threads: int,
    memory_arena: bool = False,
    lanes: CpuLanes | None = None,
    int8: bool = True,
) -> VocoderBackend:
    if kind == "onnx":
        return OnnxVocoder(vocoder, device, threads, memory_arena, lanes, int8)
    return TorchVocoder(vocoder, device, threads)
