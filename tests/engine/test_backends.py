"""onnxruntime and torch backends run the same shipped weights and agree."""

from __future__ import annotations

import numpy as np

from app.engine.backends import CpuLanes, make_acoustic, make_vocoder
from app.engine.bundle import discover
from app.engine.config import MODELS_DIR
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
    ort_audio = make_vocoder("onnx", voice.vocoder, "cpu", 1, int8=False)(mel, source)  # the float graph
    pt_audio = make_vocoder("torch", voice.vocoder, "cpu", 1)(mel, source)
    assert ort_audio.shape == pt_audio.shape == (1, mel.shape[2] * voice.audio.hop_length)
    assert np.abs(ort_audio - pt_audio).max() < 1e-3


def test_memory_arena_setting_reaches_onnxruntime_and_changes_no_output() -> None:
    voice = discover(MODELS_DIR)["joe"]
    rng = np.random.default_rng(0)
    frames = 37
    mel = (rng.standard_normal((1, voice.audio.n_mels, frames)) - 5.0).astype(np.float32)
    source = (0.1 * np.sin(np.arange(frames * voice.audio.hop_length) * 0.05))[None].astype(np.float32)
    lean = make_vocoder("onnx", voice.vocoder, "cpu", 1)  # the default: no arena, no memory patterns
    arena = make_vocoder("onnx", voice.vocoder, "cpu", 1, memory_arena=True)
    lean_opts = lean.model.session.get_session_options()  # type: ignore[attr-defined]
    arena_opts = arena.model.session.get_session_options()  # type: ignore[attr-defined]
    assert not lean_opts.enable_cpu_mem_arena and not lean_opts.enable_mem_pattern
    assert arena_opts.enable_cpu_mem_arena and arena_opts.enable_mem_pattern
    np.testing.assert_allclose(lean(mel, source), arena(mel, source), atol=1e-6)


def test_runs_that_overlap_share_the_cores_and_agree() -> None:
    """With lanes, a run that starts beside another takes its share of the threads; outputs do not change."""
    voice = discover(MODELS_DIR)["joe"]
    lanes = CpuLanes(workers=2)
    vocoder = make_vocoder("onnx", voice.vocoder, "cpu", 2, lanes=lanes)
    model = vocoder.model  # type: ignore[attr-defined]
    assert model.session.get_session_options().intra_op_num_threads == 2
    assert model.shared_session.get_session_options().intra_op_num_threads == 1
    rng = np.random.default_rng(1)
    mel = (rng.standard_normal((1, voice.audio.n_mels, 30)) - 5.0).astype(np.float32)
    source = (0.1 * np.sin(np.arange(30 * voice.audio.hop_length) * 0.05))[None].astype(np.float32)
    alone = vocoder(mel, source)
    with lanes.lease() as first:  # another run in progress: this one takes the shared session
        assert first
        with lanes.lease() as second:
            assert not second
        beside = vocoder(mel, source)
    np.testing.assert_allclose(alone, beside, atol=1e-5)
    with lanes.lease() as again:
        assert again  # every lease was returned
