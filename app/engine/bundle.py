"""Voice bundles on disk: config, weights, checksums. Validated at load so a broken bundle fails loudly.

Layout (see models/README.md):
    models/<voice>/voice.json          name, language, speaker id, acoustic config, vocoder reference, sha256s
    models/<voice>/acoustic.onnx       FastSpeech 2 (ONNX, dynamic batch and length)
    models/<voice>/acoustic.pt         the same weights as a float16 torch state dict (torch backend)
    models/vocoders/<name>/vocoder.json, vocoder.onnx, vocoder.pt   one vocoder shared by several voices

Both json files name the teachers whose audio trained their network ("teachers"): a voice's license follows
its data, so a voice of permissive provenance must not sit on a network that heard another teacher.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.acoustic.config import AcousticConfig
from app.acoustic.postfilter import MelPostfilter
from app.audio.config import AudioConfig
from app.vocoder.config import VocoderConfig


class BundleError(RuntimeError):
    """A voice or vocoder bundle is missing, incomplete, or corrupt."""


UNKNOWN_TEACHER = "unknown"  # weights that do not say where their data came from


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise BundleError(f"missing {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise BundleError(f"unreadable {path}: {e}") from e
    if not isinstance(data, dict):
        raise BundleError(f"{path} is not a JSON object")
    return data


def _check_files(root: Path, files: dict[str, str], verify: bool) -> dict[str, Path]:
    out = {}
    for name, digest in files.items():
        path = root / name
        if not path.is_file():
            raise BundleError(f"{root.name}: missing weight file {path}")
        if verify and sha256(path) != digest:
            raise BundleError(f"{root.name}: checksum mismatch for {path} (corrupt or replaced file)")
        out[name] = path
    return out


@dataclass(frozen=True)
class VocoderBundle:
    name: str
    root: Path
    config: VocoderConfig
    context_frames: int  # receptive field margin for windowed vocoding
    files: dict[str, Path]
    teachers: tuple[str, ...] = (UNKNOWN_TEACHER,)  # whose audio trained it

    @classmethod
    def load(cls, root: Path, verify: bool = True) -> VocoderBundle:
        meta = _read_json(root / "vocoder.json")
        try:
            cfg = VocoderConfig.from_dict(meta["config"])
            files = _check_files(root, meta["files"], verify)
            return cls(meta["name"], root, cfg, int(meta["context_frames"]), files, _teachers(meta))
        except (KeyError, TypeError, ValueError) as e:
            raise BundleError(f"{root / 'vocoder.json'}: bad field {e}") from e


@dataclass(frozen=True)
class VoiceBundle:
    name: str
    root: Path
    language: str
    description: str
    speaker_id: int
    audio: AudioConfig
    acoustic: AcousticConfig
    vocoder: VocoderBundle
    files: dict[str, Path]
    digests: dict[str, str]  # sha256 per file: voices of one multi-speaker model carry the same weights
    postfilter: MelPostfilter  # formant emphasis between the two networks; off unless voice.json asks for it
    acoustic_teachers: tuple[str, ...] = (UNKNOWN_TEACHER,)  # whose audio trained the acoustic model

    @property
    def teachers(self) -> tuple[str, ...]:
        """Every teacher behind this voice's sound: its acoustic model's and its vocoder's."""
        return tuple(sorted(set(self.acoustic_teachers) | set(self.vocoder.teachers)))

    @classmethod
    def load(cls, root: Path, verify: bool = True) -> VoiceBundle:
        meta = _read_json(root / "voice.json")
        try:
            audio = AudioConfig.from_dict(meta["audio"])
            acoustic = AcousticConfig.from_dict(meta["acoustic"])
            vocoder = VocoderBundle.load((root / meta["vocoder"]).resolve(), verify)
            speaker = int(meta["speaker_id"])
            files = _check_files(root, meta["files"], verify)
            postfilter = MelPostfilter.from_dict(meta.get("postfilter", {}))
            teachers = _teachers(meta)
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise BundleError(f"{root / 'voice.json'}: bad field {e}") from e
        if not 0 <= speaker < acoustic.n_speakers:
            raise BundleError(f"{root.name}: speaker_id {speaker} outside the model's {acoustic.n_speakers} speakers")
        if vocoder.config.hop_length != audio.hop_length or vocoder.config.n_mels != audio.n_mels:
            raise BundleError(f"{root.name}: vocoder {vocoder.name} does not match the voice's audio config")
        return cls(
            meta["name"],
            root,
            meta.get("language", "en-US"),
            meta.get("description", ""),
            speaker,
            audio,
            acoustic,
            vocoder,
            files,
            dict(meta["files"]),
            postfilter,
            teachers,
        )


def _teachers(meta: dict[str, Any]) -> tuple[str, ...]:
    teachers = meta.get("teachers", [UNKNOWN_TEACHER])
    if not isinstance(teachers, list) or not teachers or not all(isinstance(t, str) and t for t in teachers):
        raise ValueError(f"teachers must be a non-empty list of names, not {teachers!r}")
    return tuple(sorted(teachers))


def discover(voices_dir: Path, verify: bool = True) -> dict[str, VoiceBundle]:
    """Every voice bundle under voices_dir (directories holding voice.json)."""
    if not voices_dir.is_dir():
        raise BundleError(f"voices directory {voices_dir} does not exist")
    voices = {}
    for path in sorted(voices_dir.iterdir()):
        if (path / "voice.json").is_file():
            bundle = VoiceBundle.load(path, verify)
            voices[bundle.name] = bundle
    if not voices:
        raise BundleError(f"no voice bundles (voice.json) under {voices_dir}")
    return voices
