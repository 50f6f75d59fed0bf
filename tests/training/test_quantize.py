"""training.quantize: an int8 vocoder graph calibrated on a voice, listed in its bundle and served by the engine."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import numpy as np
import onnx
import pytest

from app.engine.backends import INT8_VOCODER, OnnxVocoder
from app.engine.bundle import VoiceBundle, sha256
from app.engine.config import EngineConfig
from app.engine.engine import Engine
from app.engine.types import SynthesisOptions
from training.quantize import main

MODELS = Path(__file__).parents[2] / "models"


def test_quantized_vocoder_is_listed_verified_and_served(tmp_path: Path) -> None:
    shutil.copytree(MODELS / "rms", tmp_path / "rms")
    shutil.copytree(MODELS / "vocoders" / "nsf-istft-v3-sinc", tmp_path / "vocoders" / "nsf-istft-v3-sinc")
    voc = tmp_path / "vocoders" / "nsf-istft-v3-sinc"
    with pytest.raises(SystemExit, match="stages"):
        main(["--voice", str(tmp_path / "rms"), "--stages", "0"])  # no stage: onnxruntime would quantize all
    main(["--voice", str(tmp_path / "rms"), "--sentences", "2"])
    assert (voc / INT8_VOCODER).is_file()
    assert INT8_VOCODER not in json.loads((voc / "vocoder.json").read_text())["files"]  # not shipped unasked

    main(["--voice", str(tmp_path / "rms"), "--sentences", "2", "--ship"])
    meta = json.loads((voc / "vocoder.json").read_text())
    assert meta["files"][INT8_VOCODER] == sha256(voc / INT8_VOCODER)
    assert meta["int8"]["calibrated_on"] == "rms" and meta["int8"]["windows"] > 2 and meta["int8"]["stages"] == 1
    assert meta["int8"]["snr_db"] > 25  # the fixed sinc filters stay float (quantized too: about 0 dB)
    assert VoiceBundle.load(tmp_path / "rms").vocoder.files[INT8_VOCODER] == voc / INT8_VOCODER  # checksum holds
    int8_weights = {n.input[0].removesuffix(".weight_quantized") for n in onnx.load(str(voc / INT8_VOCODER)).graph.node
                    if n.op_type == "DequantizeLinear" and n.input[0].endswith(".weight_quantized")}  # fmt: skip
    assert int8_weights == {"ups.0.conv"} | {f"resblocks.{i}.convs.{j}" for i in range(3) for j in range(2)}

    text = "Turn left at the second light."
    audio = {}
    for int8 in (True, False):
        engine = Engine.load(EngineConfig(voices_dir=tmp_path, default_voice="rms", int8_vocoder=int8))
        vocoder = engine.loaded_voice("rms").vocoder
        assert isinstance(vocoder, OnnxVocoder) and vocoder.int8 == int8
        audio[int8], _ = asyncio.run(engine.synthesize(text, SynthesisOptions()))
        asyncio.run(engine.close())
    a, b = audio[False].astype(np.float64), audio[True].astype(np.float64)
    assert a.shape == b.shape and np.sqrt(np.mean(b**2)) > 0.01  # the same length, and speech, not silence
    assert 10 * np.log10(np.sum(a**2) / np.sum((a - b) ** 2)) > 15
