"""HiFi-GAN generator family: sizes, hop, the iSTFT head's exactness, the harmonic source."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from app.vocoder.config import VocoderConfig
from app.vocoder.hifigan import FixedUpsample, Generator, InverseSTFT
from training.presets import vocoder_preset

# parameter counts of the paper's V1/V2/V3 generators (millions) and of our iSTFT heads
SIZES = {
    "v1": 13.9,
    "v2": 0.93,
    "v3": 1.46,
    "istft-v2": 0.89,
    "istft-v3": 1.42,
    "nsf-istft-v3": 1.43,
    "nsf-istft-v3-linear1": 1.07,
    "nsf-istft-v3-linear": 0.98,
    "nsf-istft-v3-sinc": 0.98,
}


@pytest.mark.parametrize("preset", sorted(SIZES))
def test_presets_upsample_by_hop_and_match_paper_sizes(preset: str) -> None:
    cfg = vocoder_preset(preset)
    gen = Generator(cfg)
    params = sum(p.numel() for p in gen.parameters()) / 1e6
    assert params == pytest.approx(SIZES[preset], rel=0.03)
    source = torch.randn(2, 7 * 256) * 0.1 if cfg.source else None
    with torch.no_grad():
        audio = gen(torch.randn(2, 80, 7) - 5, source)
    assert cfg.hop_length == 256 and audio.shape == (2, 7 * 256)
    assert float(audio.abs().max()) <= 1.0


def test_inverse_stft_reconstructs_a_signal() -> None:
    n_fft, hop = 16, 4
    istft = InverseSTFT(n_fft, hop)
    x = torch.randn(1, 4096)
    # frames t covers samples [t*hop - 6, t*hop + 10): pad so torch.stft frames line up with ours
    trim = (n_fft - hop) // 2
    padded = torch.nn.functional.pad(x, (trim, n_fft))
    spec = torch.stft(padded, n_fft, hop, n_fft, torch.hann_window(n_fft), center=False, return_complex=True)
    frames = 4096 // hop
    spec = spec[:, :, :frames]
    y = istft(spec.abs(), torch.angle(spec))
    assert y.shape == (1, 4096)
    inner = slice(32, 4096 - 32)
    assert torch.allclose(y[:, inner], x[:, inner], atol=1e-4)


@pytest.mark.parametrize("interp", ["linear", "sinc"])
def test_fixed_upsampler_has_no_per_phase_pattern(interp: str) -> None:
    """A steady input comes out steady from FixedUpsample; a transposed conv stamps a pattern every input step."""
    torch.manual_seed(0)
    steady = torch.randn(1, 16, 1).repeat(1, 1, 40)
    fixed = FixedUpsample(16, 8, 5, 8, interp)
    transposed = torch.nn.ConvTranspose1d(16, 8, 16, 8, padding=4)
    with torch.no_grad():
        out_fixed = fixed(steady)[:, :, 80:-80]  # away from the zero-padded edges
        out_transposed = transposed(steady)[:, :, 80:-80]
    assert fixed(steady).shape[2] == 40 * 8
    assert float(out_fixed.std(dim=2).max()) < 1e-4 * float(out_fixed.abs().mean())
    assert float(out_transposed.std(dim=2).mean()) > 1e-2
    per_phase = out_transposed.reshape(1, 8, -1, 8)  # (batch, channel, input step, phase)
    assert torch.allclose(per_phase, per_phase[:, :, :1], atol=1e-5)  # the pattern repeats every input step


def _image_rejection_db(interp: str) -> float:
    """A tone at 0.3 of the input rate, upsampled 8x: its level over that of its first image (at 0.7)."""
    up = FixedUpsample(1, 1, 1, 8, interp)
    up.conv = torch.nn.Identity()  # the interpolation alone
    tone = torch.tensor(np.sin(2 * np.pi * 0.3 * np.arange(400)), dtype=torch.float32)[None, None]
    with torch.no_grad():
        y = up(tone)[0, 0].numpy()[800:-800]
    spectrum = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    freq = np.fft.rfftfreq(len(y))
    main = spectrum[np.abs(freq - 0.3 / 8) < 0.003].max()
    image = spectrum[np.abs(freq - 0.7 / 8) < 0.003].max()
    return float(20 * np.log10(main / image))


def test_sinc_interpolation_leaves_no_images_linear_does() -> None:
    assert _image_rejection_db("sinc") > 60.0
    assert _image_rejection_db("linear") < 20.0


def test_sinc_polyphase_equals_zero_stuffing_and_low_pass() -> None:
    """The shipped weights were trained with zero-stuffing + full-rate filtering; the polyphase form must match."""
    rate, z = 8, FixedUpsample.ZERO_CROSSINGS
    up = FixedUpsample(1, 1, 1, rate, "sinc")
    up.conv = torch.nn.Identity()
    x = np.random.default_rng(0).standard_normal((3, 5, 50))
    with torch.no_grad():
        y = up(torch.tensor(x, dtype=torch.float32)).numpy()
    t = np.arange(-z * rate, z * rate + 1) / rate
    kernel = np.sinc(t) * np.kaiser(len(t), FixedUpsample.KAISER_BETA)
    stuffed = np.zeros((3, 5, 50 * rate))
    stuffed[:, :, ::rate] = x
    reference = np.apply_along_axis(lambda s: np.convolve(s, kernel)[z * rate : z * rate + 50 * rate], 2, stuffed)
    assert y.shape == (3, 5, 50 * rate)
    np.testing.assert_allclose(y, reference, atol=1e-5)


def test_unknown_interpolation_and_stage_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="interpolation"):
        FixedUpsample(4, 4, 3, 8, "cubic")
    with pytest.raises(ValueError, match="interp_stages"):
        Generator(VocoderConfig(interp_stages=3))


def _inputs(cfg: VocoderConfig, batch: int, frames: int) -> tuple[torch.Tensor, torch.Tensor | None]:
    """A random log-mel and, for a source-excited generator, a harmonic-source stand-in."""
    mel = torch.randn(batch, cfg.n_mels, frames) - 5
    return mel, torch.randn(batch, frames * cfg.hop_length) * 0.1 if cfg.source else None


@pytest.mark.parametrize("preset", ["istft-v3", "nsf-istft-v3-linear1", "nsf-istft-v3-sinc"])
def test_weight_norm_removal_keeps_output(preset: str) -> None:
    cfg = vocoder_preset(preset)
    gen = Generator(cfg).eval()
    mel, source = _inputs(cfg, 1, 10)
    with torch.no_grad():
        before = gen(mel, source)
        gen.remove_weight_norm()
        after = gen(mel, source)
    assert torch.allclose(before, after, atol=1e-5)


@pytest.mark.parametrize("preset", ["istft-v3", "nsf-istft-v3", "nsf-istft-v3-linear1", "nsf-istft-v3-sinc"])
def test_planar_generator_computes_the_same_function(preset: str) -> None:
    """to_planar (2-D convolutions of height 1, for onnxruntime's blocked kernels) changes layout, not output."""
    torch.manual_seed(0)
    cfg = vocoder_preset(preset)
    gen = Generator(cfg).eval()
    gen.remove_weight_norm()
    mel, source = _inputs(cfg, 2, 13)
    with torch.no_grad():
        flat = gen(mel, source)
        gen.to_planar()
        planar = gen(mel, source)
    assert not any(isinstance(m, torch.nn.Conv1d | torch.nn.ConvTranspose1d) for m in gen.modules())
    assert planar.shape == flat.shape == (2, 13 * 256)
    assert float(flat.abs().max()) > 1e-3 and torch.allclose(planar, flat, atol=1e-5)


def test_planar_needs_weight_norm_removed_first() -> None:
    with pytest.raises(ValueError, match="remove_weight_norm"):
        Generator(vocoder_preset("nsf-istft-v3-sinc")).to_planar()


def test_harmonic_source_follows_f0_and_voicing() -> None:
    import numpy as np

    from app.text.phonemes import SYMBOL_TO_ID
    from app.vocoder.source import frame_f0, harmonic_source

    ids = np.array([SYMBOL_TO_ID[s] for s in ("^", "S", "AA1", "M")])
    f0, voiced = frame_f0(np.log([100.0, 100.0, 200.0, 200.0]), np.array([2, 10, 20, 10]), ids)
    assert len(f0) == 42 and voiced[:12].sum() == 0 and voiced[12:].all()
    assert f0[20] == pytest.approx(200.0)
    src = harmonic_source(f0, voiced, 256, 22050)
    assert src.shape == (42 * 256,) and np.abs(src[: 11 * 256]).max() == 0.0
    # the steady voiced part: harmonics of 200 Hz at 1/k amplitude, and nothing between them
    steady = src[20 * 256 : 30 * 256].astype(np.float64)
    spectrum = np.abs(np.fft.rfft(steady * np.hanning(len(steady))))
    hz = np.fft.rfftfreq(len(steady), 1 / 22050)
    peaks = [spectrum[np.abs(hz - 200 * k) < 20].max() for k in range(1, 9)]
    assert peaks == sorted(peaks, reverse=True)
    assert peaks[1] / peaks[0] == pytest.approx(0.5, rel=0.1)
    assert spectrum[np.abs(hz - 300) < 20].max() < 0.02 * peaks[0]
    assert spectrum[hz > 200 * 8 + 100].max() < 0.02 * peaks[0]


def test_source_noise_is_seeded_and_fills_unvoiced_sounds() -> None:
    import numpy as np

    from app.vocoder.source import UNVOICED_NOISE, harmonic_source

    f0 = np.full(40, 120.0, dtype=np.float32)
    voiced = np.concatenate([np.zeros(20), np.ones(20)]).astype(np.float32)
    plain = harmonic_source(f0, voiced, 256, 22050)
    noisy = harmonic_source(f0, voiced, 256, 22050, noise_seed=3)
    assert np.array_equal(noisy, harmonic_source(f0, voiced, 256, 22050, noise_seed=3))  # same phrase, same source
    assert not np.array_equal(noisy, harmonic_source(f0, voiced, 256, 22050, noise_seed=4))
    unvoiced = slice(0, 19 * 256)
    assert np.abs(plain[unvoiced]).max() == 0.0
    assert float(noisy[unvoiced].std()) == pytest.approx(UNVOICED_NOISE, rel=0.05)
    # where voiced, the harmonics dominate: the noise is a trace
    steady = slice(22 * 256, 40 * 256)
    assert float((noisy[steady] - plain[steady]).std()) < 0.05 * float(plain[steady].std())


@pytest.mark.parametrize("noise_seed", [None, 0])
def test_source_built_window_by_window_equals_the_whole(noise_seed: int | None) -> None:
    import numpy as np

    from app.vocoder.source import SourceBuilder, harmonic_source

    rng = np.random.default_rng(7)
    f0 = (90.0 + 120.0 * rng.random(300)).astype(np.float32)
    voiced = (rng.random(300) > 0.3).astype(np.float32)
    whole = harmonic_source(f0, voiced, 256, 22050, noise_seed=noise_seed)
    builder = SourceBuilder(f0, voiced, 256, 22050, noise_seed=noise_seed)
    start, pieces = 0, []
    for frames in (4, 6, 12, 1, 64, 128, 1000):  # windows as a stream asks for them, each overlapping the last
        end = min(builder.n, start + frames * 256)
        pieces.append((start, builder.slice(max(0, start - 3000), end).copy()))
        start = end
    for first, piece in pieces:  # each piece, overlap included, is the whole's samples to the bit
        lo = max(0, first - 3000)
        assert np.array_equal(piece, whole[lo : lo + len(piece)])
    assert start == len(whole) and np.array_equal(builder.slice(0, builder.n), whole)
