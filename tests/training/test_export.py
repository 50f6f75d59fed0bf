"""training.export: bundles from checkpoints, and a shipped vocoder's graph rebuilt from its own weights."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch

from app.engine.bundle import sha256
from training.export import export_voice, rebuild_vocoder

MODELS = Path(__file__).parents[2] / "models"


def _run(onnx: Path, feeds: dict[str, np.ndarray]) -> np.ndarray:
    session = ort.InferenceSession(str(onnx), providers=["CPUExecutionProvider"])
    out: np.ndarray = session.run(None, feeds)[0]
    return out


def test_rebuilt_vocoder_graph_gives_the_shipped_audio(tmp_path: Path) -> None:
    shipped = MODELS / "vocoders" / "nsf-istft-v3-sinc"
    bundle = shutil.copytree(shipped, tmp_path / "sinc")
    (bundle / "vocoder.onnx").unlink()
    rebuild_vocoder(bundle)
    meta = json.loads((bundle / "vocoder.json").read_text())
    assert meta["files"]["vocoder.onnx"] == sha256(bundle / "vocoder.onnx")
    assert (bundle / "vocoder.pt").read_bytes() == (shipped / "vocoder.pt").read_bytes()  # weights untouched
    graph = onnx.load(str(bundle / "vocoder.onnx")).graph
    weights = {init.name: len(init.dims) for init in graph.initializer}
    convs = [n for n in graph.node if n.op_type == "Conv" and n.input[1].endswith(".weight")]
    assert len(convs) > 10 and all(weights[n.input[1]] == 4 for n in convs)  # planar: onnxruntime's NCHWc kernels
    rng = np.random.default_rng(0)
    feeds = {"mel": (rng.standard_normal((1, 80, 40)) - 5).astype(np.float32),
             "source": (rng.standard_normal((1, 40 * 256)) * 0.1).astype(np.float32)}  # fmt: skip
    np.testing.assert_allclose(_run(bundle / "vocoder.onnx", feeds), _run(shipped / "vocoder.onnx", feeds), atol=1e-6)


def test_exporting_a_voice_again_keeps_its_postfilter_and_description(tmp_path: Path) -> None:
    shipped = json.loads((MODELS / "joe" / "voice.json").read_text())
    assert "postfilter" in shipped
    weights = torch.load(MODELS / "joe" / "acoustic.pt", map_location="cpu")
    ckpt = tmp_path / "acoustic.pt"
    state = {"model": {k: v.float() for k, v in weights.items()}, "config": shipped["acoustic"],
             "step": shipped["step"], "teachers": shipped["teachers"]}  # fmt: skip
    torch.save(state, ckpt)
    out = tmp_path / "joe"
    out.mkdir()
    (out / "voice.json").write_text(json.dumps(shipped))
    export_voice(ckpt, out, "joe", 0, shipped["vocoder"], "")  # no --description given
    again = json.loads((out / "voice.json").read_text())
    assert again["postfilter"] == shipped["postfilter"]
    assert again["description"] == shipped["description"] != ""
    assert again["files"]["acoustic.pt"] == sha256(out / "acoustic.pt")
