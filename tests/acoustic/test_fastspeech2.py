"""FastSpeech 2 network: length regulation, padding independence, controls wiring."""

from __future__ import annotations

import torch

from app.acoustic.config import AcousticConfig
from app.acoustic.fastspeech2 import FastSpeech2
from app.acoustic.layers import length_regulate


def test_length_regulate_repeats_and_pads() -> None:
    x = torch.arange(6, dtype=torch.float32).view(1, 3, 2).repeat(2, 1, 1)
    dur = torch.tensor([[1, 0, 2], [2, 1, 0]])
    out, lengths = length_regulate(x, dur)
    assert lengths.tolist() == [3, 3]
    assert out[0, :, 0].tolist() == [0.0, 4.0, 4.0]
    assert out[1, :, 0].tolist() == [0.0, 0.0, 2.0]


def test_batch_padding_does_not_change_a_sequence() -> None:
    torch.manual_seed(0)
    model = FastSpeech2(AcousticConfig(n_symbols=40, d_model=32, ff_hidden=64, predictor_hidden=32)).eval()
    seq = torch.randint(1, 40, (1, 9))
    padded = torch.cat([torch.cat([seq, torch.zeros(1, 5, dtype=torch.long)], 1), torch.randint(1, 40, (1, 14))])
    spk = torch.zeros(1, dtype=torch.long)
    with torch.no_grad():
        alone = model(seq, spk)
        both = model(padded, torch.zeros(2, dtype=torch.long))
    n = int(alone.mel_lengths[0])
    assert int(both.mel_lengths[0]) == n
    assert torch.allclose(both.mel[0, :, :n], alone.mel[0, :, :n], atol=1e-4)


def test_duration_scale_stretches_output() -> None:
    torch.manual_seed(0)
    model = FastSpeech2(AcousticConfig(n_symbols=40, d_model=32, ff_hidden=64, predictor_hidden=32)).eval()
    seq = torch.randint(1, 40, (1, 20))
    spk = torch.zeros(1, dtype=torch.long)
    target = torch.full((1, 20), 4)
    with torch.no_grad():
        forced = model(seq, spk, target_durations=target)
    assert int(forced.mel_lengths[0]) == 80 and forced.mel.shape == (1, 80, 80)


def test_pitch_variance_widens_the_predicted_contour_and_reaches_the_decoder() -> None:
    """pitch_variance multiplies the predicted deviation from the speaker's mean (0 in normalised units); the
    decoder hears the widened contour, and a target pitch (training) is used as it is."""
    cfg = AcousticConfig(n_symbols=40, d_model=32, ff_hidden=64, predictor_hidden=32)
    torch.manual_seed(0)
    plain = FastSpeech2(cfg).eval()
    wide = FastSpeech2(AcousticConfig(**{**cfg.to_dict(), "pitch_variance": 1.5})).eval()
    wide.load_state_dict(plain.state_dict())
    seq, spk = torch.randint(1, 40, (1, 12)), torch.zeros(1, dtype=torch.long)
    with torch.no_grad():
        a, b = plain(seq, spk, pitch_shift=0.2), wide(seq, spk, pitch_shift=0.2)
        target = torch.randn(1, 12)
        forced = wide(seq, spk, target_pitch=target)
    assert torch.allclose(b.pitch_used - 0.2, 1.5 * (a.pitch_used - 0.2), atol=1e-5)
    assert not torch.allclose(a.mel, b.mel, atol=1e-3)
    assert torch.equal(forced.pitch_used, target)
