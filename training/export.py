"""Stage 5: turn training checkpoints into shipped bundles (ONNX + float16 torch weights + config + sha256).

    python -m training.export vocoder --ckpt /work/state/ckpt/vocoder/latest.pt --out models/vocoders/joe-sinc
    python -m training.export rebuild-vocoder models/vocoders/nsf-istft-v3-sinc   # new network code, same weights
    python -m training.export voice --ckpt /work/state/ckpt/acoustic_joe/latest.pt --out models/joe \
        --name joe --speaker 0 --vocoder ../vocoders/joe-sinc --pitch-variance 1.38
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
import torch

from app.acoustic.config import AcousticConfig
from app.acoustic.fastspeech2 import AcousticExportWrapper, FastSpeech2
from app.audio.config import AudioConfig
from app.engine.bundle import sha256
from app.vocoder.config import VocoderConfig
from app.vocoder.hifigan import Generator

OPSET = 17


def _half_state(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.half() if v.is_floating_point() else v for k, v in module.state_dict().items()}


def _teachers(state: dict[str, Any], ckpt: Path) -> list[str]:
    if "teachers" not in state:
        raise SystemExit(f"{ckpt} does not record its teachers: stamp it (python -m training.provenance)")
    return list(state["teachers"])


def export_vocoder(ckpt: Path, out: Path, context_frames: int) -> None:
    state = torch.load(ckpt, map_location="cpu", weights_only=False)
    teachers = _teachers(state, ckpt)
    cfg = VocoderConfig.from_dict(state["config"])
    gen = Generator(cfg)
    gen.load_state_dict(state["gen"])
    gen.remove_weight_norm()
    gen.eval()
    # round-trip through float16 so ONNX and torch ship identical weights
    gen.load_state_dict({k: v.float() for k, v in _half_state(gen).items()})
    out.mkdir(parents=True, exist_ok=True)
    torch.save(_half_state(gen), out / "vocoder.pt")
    _write_vocoder(gen, out, int(state["step"]), teachers, context_frames)


def rebuild_vocoder(bundle: Path) -> None:
    """Re-export a shipped vocoder's ONNX graph from its own vocoder.pt (same weights, current network code)."""
    meta = json.loads((bundle / "vocoder.json").read_text())
    gen = Generator(VocoderConfig.from_dict(meta["config"]))
    gen.remove_weight_norm()
    gen.load_state_dict({k: v.float() for k, v in torch.load(bundle / "vocoder.pt", map_location="cpu").items()})
    gen.eval()
    _write_vocoder(gen, bundle, int(meta["step"]), list(meta["teachers"]), int(meta["context_frames"]))


def _write_vocoder(gen: Generator, out: Path, step: int, teachers: list[str], context_frames: int) -> None:
    """vocoder.onnx from the (weight-norm-free, float16-rounded) generator in its planar form (faster in
    onnxruntime, `Generator.to_planar`), checked against the 1-D generator; vocoder.json."""
    cfg = gen.cfg
    hop = cfg.hop_length
    args: tuple[torch.Tensor, ...] = (torch.randn(1, cfg.n_mels, 24) - 5,)
    names, axes = ["mel"], {"mel": {0: "batch", 2: "frames"}, "audio": {0: "batch", 1: "samples"}}
    if cfg.source:
        args += (torch.randn(1, 24 * hop) * 0.1,)
        names.append("source")
        axes["source"] = {0: "batch", 1: "samples"}
    staged = out / "vocoder.onnx.tmp"  # replaces vocoder.onnx only once it has been checked
    torch.onnx.export(
        copy.deepcopy(gen).to_planar(),
        args,
        staged,
        input_names=names,
        output_names=["audio"],
        dynamic_axes=axes,
        opset_version=OPSET,
        dynamo=False,
    )
    check = ort.InferenceSession(str(staged), providers=["CPUExecutionProvider"])
    test = [torch.randn(2, cfg.n_mels, 37) - 5, torch.randn(2, 37 * hop) * 0.1][: len(names)]
    with torch.no_grad():
        ref = gen(*test).numpy()
    diff = np.abs(check.run(None, {n: t.numpy() for n, t in zip(names, test, strict=True)})[0] - ref).max()
    if diff > 1e-3:
        staged.unlink()
        raise RuntimeError(f"exported vocoder differs from the generator by {diff:.2e}")
    staged.replace(out / "vocoder.onnx")
    meta = {
        "name": out.name,
        "config": cfg.to_dict(),
        "context_frames": context_frames,
        "step": step,
        "teachers": teachers,
        "files": {f: sha256(out / f) for f in ("vocoder.onnx", "vocoder.pt")},
    }
    (out / "vocoder.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"vocoder step {step} exported to {out}; onnx vs torch max diff {diff:.2e}")


def export_voice(
    ckpt: Path, out: Path, name: str, speaker: int, vocoder: str, description: str, pitch_variance: float = 1.0
) -> None:
    state = torch.load(ckpt, map_location="cpu", weights_only=False)
    teachers = _teachers(state, ckpt)
    cfg = AcousticConfig.from_dict(state["config"] | {"pitch_variance": pitch_variance})
    model = FastSpeech2(cfg)
    model.load_state_dict(state["model"])
    model.eval()
    model.load_state_dict({k: v.float() for k, v in _half_state(model).items()})
    wrapper = AcousticExportWrapper(model).eval()
    out.mkdir(parents=True, exist_ok=True)
    ph = torch.randint(1, cfg.n_symbols, (1, 12))
    ones = torch.ones(1)
    args = (ph, torch.zeros(1, dtype=torch.long), ones, torch.zeros(1), ones)
    names = ["phonemes", "speakers", "duration_scale", "pitch_shift", "energy_scale"]
    torch.onnx.export(
        wrapper, args, out / "acoustic.onnx", input_names=names,
        output_names=["mel", "mel_lengths", "durations", "pitch"],
        dynamic_axes={"phonemes": {0: "batch", 1: "phonemes"}, "speakers": {0: "batch"},
                      "duration_scale": {0: "batch"}, "pitch_shift": {0: "batch"}, "energy_scale": {0: "batch"},
                      "mel": {0: "batch", 2: "frames"}, "mel_lengths": {0: "batch"},
                      "durations": {0: "batch", 1: "phonemes"}, "pitch": {0: "batch", 1: "phonemes"}},
        opset_version=OPSET, dynamo=False,
    )  # fmt: skip
    torch.save(_half_state(model), out / "acoustic.pt")
    check = ort.InferenceSession(str(out / "acoustic.onnx"), providers=["CPUExecutionProvider"])
    test = torch.randint(1, cfg.n_symbols, (2, 30))
    test[1, 20:] = 0
    feeds = {
        "phonemes": test.numpy(),
        "speakers": np.array([speaker, speaker]),
        "duration_scale": np.ones(2, np.float32),
        "pitch_shift": np.zeros(2, np.float32),
        "energy_scale": np.ones(2, np.float32),
    }
    mel_onnx = check.run(None, feeds)[0]
    with torch.no_grad():
        mel_torch = wrapper(*(torch.from_numpy(v) for v in feeds.values()))[0].numpy()
    diff = np.abs(mel_onnx - mel_torch).max() if mel_onnx.shape == mel_torch.shape else float("inf")
    meta = {
        "name": name,
        "language": "en-US",
        "description": description,
        "speaker_id": speaker,
        "audio": AudioConfig().to_dict(),
        "acoustic": cfg.to_dict(),
        "vocoder": vocoder,
        "step": state["step"],
        "teachers": teachers,
        "files": {f: sha256(out / f) for f in ("acoustic.onnx", "acoustic.pt")},
    }
    previous = out / "voice.json"
    kept = json.loads(previous.read_text()) if previous.exists() else {}
    if not description and kept.get("description"):
        meta["description"] = kept["description"]  # re-exporting a voice keeps what it says about itself
    if "postfilter" in kept:
        meta["postfilter"] = kept["postfilter"]  # a serving setting, chosen on its own benchmark: keep it
    (out / "voice.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"voice {name} step {state['step']} exported to {out}; onnx vs torch max diff {diff:.2e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="what", required=True)
    v = sub.add_parser("vocoder")
    v.add_argument("--ckpt", type=Path, required=True)
    v.add_argument("--out", type=Path, required=True)
    v.add_argument("--context-frames", type=int, default=8)
    r = sub.add_parser("rebuild-vocoder", help="a shipped vocoder's ONNX again from its vocoder.pt")
    r.add_argument("bundle", type=Path)
    a = sub.add_parser("voice")
    a.add_argument("--ckpt", type=Path, required=True)
    a.add_argument("--out", type=Path, required=True)
    a.add_argument("--name", required=True)
    a.add_argument("--speaker", type=int, default=0)
    a.add_argument("--vocoder", required=True, help="the vocoder bundle, relative to the voice (../vocoders/NAME)")
    a.add_argument("--description", default="", help="default: the description of the voice.json being replaced")
    a.add_argument(
        "--pitch-variance", type=float, default=1.0, help="multiplies predicted pitch deviations (training.variance)"
    )
    args = ap.parse_args()
    if args.what == "vocoder":
        export_vocoder(args.ckpt, args.out, args.context_frames)
    elif args.what == "rebuild-vocoder":
        rebuild_vocoder(args.bundle)
    else:
        export_voice(args.ckpt, args.out, args.name, args.speaker, args.vocoder, args.description, args.pitch_variance)


if __name__ == "__main__":
    main()
