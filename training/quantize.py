"""Stage 6 (optional): an int8 copy of a vocoder's ONNX graph for CPUs, calibrated on what a voice serves.

onnxruntime's static quantization (QDQ: int8 weights per output channel, uint8 activations, ranges from the
calibration windows) of the learned upsampling and residual convolutions of the first `--stages` upsampling
stages (default 1: those at 8x the mel frame rate). The later stages, the first and last convolutions, the
harmonic-source path, the fixed interpolation filters and the inverse STFT stay in float. Measured on joe's
sinc vocoder, dev sentences (DNSMOS P808, float 3.512): the first stage in int8 3.514; that plus any one
convolution of the last stage (64 channels at a quarter of the sample rate, whose features are nearly the
waveform) 3.38-3.39; every stage 3.24. An earlier comb vocoder lost 0.56 with its first and last convolutions
in int8 too (the last layer's output is a log magnitude, so its error is exponentiated). Windows are cut from
the voice's own mels (postfilter applied) and sources, on sentences that are in neither the training corpus
nor the quality benchmark.

Writes vocoder.int8.onnx beside vocoder.onnx and prints its signal-to-noise ratio against the float graph;
--ship adds it to vocoder.json, and the engine then runs it on CPUs (`TTS_INT8_VOCODER`). Ship it only where
`benchmarks.quality` measures it as good as float (joe's vocoder: yes; rms's sinc vocoder: WER +0.055, P808
-0.065 on dev, not shipped).

    python -m training.quantize --voice models/joe --ship
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from app.engine.backends import INT8_VOCODER
from app.engine.bundle import VoiceBundle, sha256
from app.vocoder.config import VocoderConfig
from training.served import served_phrases

CALIBRATION_SENTENCES = [
    "Good morning! Your first meeting starts at nine fifteen in room four.",
    "Did you mean the bakery on Elm Street, or the one near the station?",
    "The package weighs 3.5 kilograms and should arrive by Thursday, June 12th.",
    "Turn left in two hundred feet, then keep right at the fork.",
    "I'm sorry, I couldn't find anything called that in your library.",
    "Whispering winds carried the scent of pine across the quiet valley.",
    "Your balance is $1,284.56, and the next payment is due on the 3rd.",
    "Should I read the rest of the message, or save it for later?",
    "Bright vivid shapes jumped through the fuzzy haze of the evening.",
    "Call Dr. Patel's office at 555-0142 before five o'clock.",
    "The score was twenty-one to eighteen after a long, tense final quarter.",
    "Okay. Timer set for forty-five minutes, starting now.",
]
WINDOW, STEP = 152, 64  # the engine's widest window (128 frames and 2 x 12 of context), overlapping


def calibration_windows(voice: Path, sentences: list[str]) -> list[dict[str, np.ndarray]]:
    """Vocoder feeds as the engine serves them, float graph: mel windows and their stretch of the source."""
    hop = VoiceBundle.load(voice).audio.hop_length
    feeds = []
    for mel, source in served_phrases(voice, sentences):
        for a in range(0, max(1, mel.shape[1] - STEP // 2), STEP):
            e = min(mel.shape[1], a + WINDOW)
            feed = {"mel": np.ascontiguousarray(mel[None, :, a:e], dtype=np.float32)}
            if source is not None:
                feed["source"] = np.ascontiguousarray(source[None, a * hop : e * hop], dtype=np.float32)
            feeds.append(feed)
    return feeds


def quantizable_nodes(model_path: Path, config: VocoderConfig, stages: int) -> list[str]:
    """The upsampling and residual convolutions of the first `stages` upsampling stages that have learned
    weights, which keep their parameter names (`resblocks.2.convs.0.weight`). The sinc interpolators' fixed
    filters stay float: quant_pre_process turns them into initializers too, and quantized they cost joe's
    vocoder 26 dB of signal-to-noise ratio."""
    import onnx

    model = onnx.load(str(model_path))
    learned = {init.name for init in model.graph.initializer if init.name.endswith(".weight")}
    blocks = len(config.resblock_kernels)
    prefixes = tuple(f"/ups.{i}/" for i in range(stages)) + tuple(f"/resblocks.{j}/" for j in range(stages * blocks))
    nodes = [
        node.name
        for node in model.graph.node
        if node.op_type in ("Conv", "ConvTranspose") and node.name.startswith(prefixes) and node.input[1] in learned
    ]
    if not nodes:  # onnxruntime reads an empty list as "quantize every node"
        raise SystemExit(f"{model_path}: no convolution of the first {stages} stage(s) found to quantize")
    return nodes


def quantize(
    float_path: Path, out_path: Path, feeds: list[dict[str, np.ndarray]], config: VocoderConfig, stages: int = 1
) -> None:
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):  # type: ignore[misc]
        def __init__(self) -> None:
            self.it = iter(feeds)

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self.it, None)

    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared.onnx"
        quant_pre_process(str(float_path), str(prepared), skip_symbolic_shape=True)
        quantize_static(
            str(prepared), str(out_path), Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
            weight_type=QuantType.QInt8, activation_type=QuantType.QUInt8,
            nodes_to_quantize=quantizable_nodes(prepared, config, stages),
        )  # fmt: skip


def snr_db(float_path: Path, int8_path: Path, feeds: list[dict[str, np.ndarray]]) -> float:
    """10 log10 of the float output's energy over the difference's, summed over every window."""
    import onnxruntime as ort

    def session(path: Path) -> Any:
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    ref, q = session(float_path), session(int8_path)
    signal = noise = 0.0
    for feed in feeds:
        a, b = ref.run(None, feed)[0], q.run(None, feed)[0]
        signal += float(np.sum(a.astype(np.float64) ** 2))
        noise += float(np.sum((a.astype(np.float64) - b) ** 2))
    return float(10.0 * np.log10(signal / max(noise, 1e-20)))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--voice", type=Path, required=True, help="a voice bundle whose vocoder is quantized")
    ap.add_argument("--sentences", type=int, default=len(CALIBRATION_SENTENCES), help="calibration sentences")
    ap.add_argument("--stages", type=int, default=1, help="upsampling stages whose convolutions go int8")
    ap.add_argument("--ship", action="store_true", help="add the int8 graph to vocoder.json (the engine uses it)")
    args = ap.parse_args(argv)
    vocoder = VoiceBundle.load(args.voice).vocoder
    if not 1 <= args.stages <= len(vocoder.config.upsample_rates):
        raise SystemExit(f"--stages {args.stages}: choose 1 to {len(vocoder.config.upsample_rates)}")
    float_path, out_path = vocoder.files["vocoder.onnx"], vocoder.root / INT8_VOCODER
    feeds = calibration_windows(args.voice.resolve(), CALIBRATION_SENTENCES[: args.sentences])
    print(f"{len(feeds)} calibration windows from {args.voice.name}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / INT8_VOCODER
        quantize(float_path, staged, feeds, vocoder.config, args.stages)
        snr = snr_db(float_path, staged, feeds)
        shutil.move(staged, out_path)
    print(f"{out_path}: {out_path.stat().st_size / 1e6:.1f} MB, SNR against float {snr:.1f} dB", flush=True)
    if args.ship:
        meta_path = vocoder.root / "vocoder.json"
        meta = json.loads(meta_path.read_text())
        meta["files"][INT8_VOCODER] = sha256(out_path)
        meta["int8"] = {
            "calibrated_on": args.voice.name, "stages": args.stages, "windows": len(feeds), "snr_db": round(snr, 1)
        }  # fmt: skip
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
        print(f"listed in {meta_path}", flush=True)


if __name__ == "__main__":
    main()
