"""Warm starts: a new run begins exactly where the shipped weights are, so short CPU runs build on them."""

from __future__ import annotations

import json
from pathlib import Path

import torch

from app.acoustic.fastspeech2 import AcousticConfig, FastSpeech2
from app.text.phonemes import SYMBOLS
from app.vocoder.hifigan import Generator, VocoderConfig
from training.train_acoustic import warm_start as warm_start_acoustic
from training.train_vocoder import warm_start as warm_start_vocoder

MODELS = Path(__file__).resolve().parents[2] / "models"


def test_source_vocoder_starts_as_the_shipped_plain_vocoder() -> None:
    shipped = MODELS / "vocoders" / "istft-v3" / "vocoder.pt"
    plain = Generator(VocoderConfig.preset("istft-v3"))
    plain.remove_weight_norm()
    plain.load_state_dict({k: v.float() for k, v in torch.load(shipped).items()})
    nsf = Generator(VocoderConfig.preset("nsf-istft-v3"))
    assert warm_start_vocoder(nsf, shipped) > 0  # the step it was trained to
    mel = torch.randn(1, 80, 30) - 5
    source = torch.randn(1, 30 * 256) * 0.1  # zero-initialised source convs: no effect yet
    plain.eval()
    nsf.eval()
    with torch.no_grad():
        assert float((plain(mel) - nsf(mel, source)).abs().max()) < 1e-5
    assert any(p.requires_grad for p in nsf.source_convs.parameters())


def test_acoustic_warm_start_adds_a_speaker_to_the_shipped_voice() -> None:
    shipped = torch.load(MODELS / "joe" / "acoustic.pt")
    old = shipped["speaker.weight"].float()
    base = json.loads((MODELS / "joe" / "voice.json").read_text())["acoustic"]
    model = FastSpeech2(AcousticConfig.from_dict(base | {"n_speakers": len(old) + 1, "n_symbols": len(SYMBOLS)}))
    warm_start_acoustic(model, MODELS / "joe" / "acoustic.pt")
    assert torch.equal(model.speaker.weight[: len(old)], old)
    assert torch.equal(model.speaker.weight[-1], old.mean(0))  # the new voice starts from the known ones
    assert torch.equal(model.to_mel.weight, shipped["to_mel.weight"].float())
