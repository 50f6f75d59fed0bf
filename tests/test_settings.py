"""Settings: device-aware defaults that an explicit value (argument or environment) always overrides."""

from __future__ import annotations

import pytest

from app.settings import GPU_MAX_BATCH, Settings


def test_cpu_batches_small_and_both_run_two_workers() -> None:
    cpu, cuda = Settings(device="cpu"), Settings(device="cuda")
    assert (cpu.max_batch, cpu.inference_workers) == (2, 2)
    assert (cuda.max_batch, cuda.inference_workers) == (GPU_MAX_BATCH, 2)
    assert cuda.max_batch > cpu.max_batch


def test_explicit_values_win_on_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(device="cuda", max_batch=4).max_batch == 4
    monkeypatch.setenv("TTS_DEVICE", "cuda")
    monkeypatch.setenv("TTS_INFERENCE_WORKERS", "1")
    s = Settings()
    assert (s.max_batch, s.inference_workers) == (GPU_MAX_BATCH, 1)


def test_bad_values_are_still_refused_on_cuda() -> None:
    with pytest.raises(ValueError):
        Settings(device="cuda", max_batch=0)
