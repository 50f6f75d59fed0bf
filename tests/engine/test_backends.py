"""onnxruntime and torch backends run the same shipped weights and agree."""

from __future__ import annotations

import numpy as np

from app.engine.backends import make_acoustic, make_vocoder
from app.engine.bundle import discover
from app.settings import MODELS_DIR
from app.text.phonemes import SYMBOL_TO_ID


def test_onnx_and_torch_agree_on_the_shipped_voice() -> None:
    voice = discover(MODELS_DIR)["joe"]
    ids = [SYMBOL_TO_ID[s] for s in "^ HH AH0 L OW1 , W ER1 L D .".split()]
    batch = np.array([ids, ids[:6] + [0] * (len(ids) - 6)], dtype=np.int64)
    controls = (np.zeros(2, np.int64), np.array([1.0, 0.8], np.float32), np.array([0.0, 0.5], np.float32),
                np.array([1.0, 1.2], np.float32))  # fmt: skip
    ort_mel, ort_len, ort_dur, ort_pitch = make_acoustic("onnx", voice, "cpu", 1)(batch, *controls)
    pt_mel, pt_len, pt_dur, pt_pitch = make_acoustic("torch", voice, "cpu", 1)(batch, *controls)
    assert ort_len.tolist() == pt_len.tolist() and (ort_dur == pt_dur).all()
    assert np.abs(ort_mel - pt_mel).max() < 1e-3 and np.abs(ort_pitch - pt_pitch).max() < 1e-3

    mel = ort_mel[:1, :, : int(ort_len[0])]
    source = np.sin(np.arange(mel.shape[2] * voice.audio.hop_length) * 0.05)[None].astype(np.float32) * 0.1
    ort_audio = make_vocoder("onnx", voice.vocoder, "cpu", 1)(mel, source)
    pt_audio = make_vocoder("torch", voice.vocoder, "cpu", 1)(mel, source)
    assert ort_audio.shape == pt_audio.shape == (1, mel.shape[2] * voice.audio.hop_length)
    assert np.abs(ort_audio - pt_audio).max() < 1e-3
