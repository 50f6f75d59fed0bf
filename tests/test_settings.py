"""Settings: device-aware defaults decided once (EngineConfig), explicit values win, every field documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.config import MAX_BATCH_BY_DEVICE
from app.settings import Settings, settings_reference

DOCS = Path(__file__).resolve().parent.parent / "docs" / "SETTINGS.md"


def test_cpu_batches_small_and_both_run_two_workers() -> None:
    cpu, cuda = Settings(device="cpu").engine_config(), Settings(device="cuda").engine_config()
    assert (cpu.batch_limit, cpu.inference_workers) == (2, 2)
    assert (cuda.batch_limit, cuda.inference_workers) == (MAX_BATCH_BY_DEVICE["cuda"], 2)
    assert cuda.batch_horizon_s > cpu.batch_horizon_s  # on a GPU any queued job may join a batch


def test_explicit_values_win_on_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(device="cuda", max_batch=4).engine_config().batch_limit == 4
    monkeypatch.setenv("TTS_DEVICE", "cuda")
    monkeypatch.setenv("TTS_INFERENCE_WORKERS", "1")
    config = Settings().engine_config()
    assert (config.batch_limit, config.inference_workers) == (MAX_BATCH_BY_DEVICE["cuda"], 1)


def test_bad_values_are_refused() -> None:
    with pytest.raises(ValueError):
        Settings(device="cuda", max_batch=0)
    with pytest.raises(ValueError):
        Settings(port=70000)


def test_every_setting_is_described_and_the_reference_is_current() -> None:
    missing = [name for name, info in Settings.model_fields.items() if not info.description]
    assert not missing, f"settings without a description: {missing}"
    assert DOCS.read_text() == settings_reference(), "regenerate: python -m app.settings > docs/SETTINGS.md"


def test_env_example_names_only_real_settings() -> None:
    example = (DOCS.parent.parent / ".env.example").read_text()
    names = {line.split("=", 1)[0].lstrip("# ").strip() for line in example.splitlines() if "=" in line}
    assert names and names <= {f"TTS_{n.upper()}" for n in Settings.model_fields}
