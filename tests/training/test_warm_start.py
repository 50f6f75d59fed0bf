"""Warm starts: a new run begins exactly where the shipped weights are, so short CPU runs build on them."""

from __future__ import annotations

import json
from pathlib import Path

import torch

from app.acoustic.config import AcousticConfig
from app.acoustic.fastspeech2 import FastSpeech2
from app.text.phonemes import SYMBOLS
from app.vocoder.config import VocoderConfig
from app.vocoder.hifigan import Generator
from training.presets import vocoder_preset
from training.train_acoustic import warm_start as warm_start_acoustic
from training.train_vocoder import warm_start as warm_start_vocoder

MODELS = Path(__file__).resolve().parents[2] / "models"


def test_vocoder_warm_start_reproduces_the_shipped_vocoder() -> None:
    """Shipped weights have weight norm folded in; a warm start re-derives it and changes nothing."""
    root = MODELS / json.loads((MODELS / "joe" / "voice.json").read_text())["vocoder"].removeprefix("../")
    cfg = VocoderConfig.from_dict(json.loads((root / "vocoder.json").read_text())["config"])
    shipped = Generator(cfg)
    shipped.remove_weight_norm()
    shipped.load_state_dict({k: v.float() for k, v in torch.load(root / "vocoder.pt").items()})
    resumed = Generator(cfg)
    assert warm_start_vocoder(resumed, root / "vocoder.pt") > 0  # the step it was trained to
    mel = torch.randn(1, 80, 30) - 5
    source = torch.randn(1, 30 * 256) * 0.1 if cfg.source else None
    shipped.eval()
    resumed.eval()
    with torch.no_grad():
        assert float((shipped(mel, source) - resumed(mel, source)).abs().max()) < 1e-5
    assert all(p.requires_grad for p in resumed.parameters())


def test_source_vocoder_starts_as_a_plain_one(tmp_path: Path) -> None:
    """A harmonic-source generator warm-started from a plain one sounds the same until its source path learns."""
    plain = Generator(vocoder_preset("istft-v3"))
    with torch.no_grad():
        for p in plain.parameters():
            p.add_(torch.randn_like(p) * 0.01)  # not the initial values: the copy must be real
    path = tmp_path / "plain.pt"
    torch.save({"gen": plain.state_dict(), "step": 7}, path)
    nsf = Generator(vocoder_preset("nsf-istft-v3"))
    assert warm_start_vocoder(nsf, path) == 7
    mel = torch.randn(1, 80, 30) - 5
    plain.eval()
    nsf.eval()
    with torch.no_grad():
        assert float((plain(mel) - nsf(mel, torch.randn(1, 30 * 256) * 0.1)).abs().max()) < 1e-6


def test_acoustic_warm_start_adds_a_speaker_to_the_shipped_voice() -> None:
    shipped = torch.load(MODELS / "joe" / "acoustic.pt")
    old = shipped["speaker.weight"].float()
    base = json.loads((MODELS / "joe" / "voice.json").read_text())["acoustic"]
    model = FastSpeech2(AcousticConfig.from_dict(base | {"n_speakers": len(old) + 1, "n_symbols": len(SYMBOLS)}))
    warm_start_acoustic(model, MODELS / "joe" / "acoustic.pt")
    assert torch.equal(model.speaker.weight[: len(old)], old)
    assert torch.equal(model.speaker.weight[-1], old.mean(0))  # the new voice starts from the known ones
    assert torch.equal(model.to_mel.weight, shipped["to_mel.weight"].float())
