"""The mel postfilter sharpens formant peaks, leaves flat spectra and the envelope alone, works frame by frame."""

from __future__ import annotations

import numpy as np
import pytest

from app.acoustic.postfilter import MelPostfilter


def _mel(frames: int = 40, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    bins = np.arange(80)[:, None]
    # a tilted envelope with two formant-like bumps that move over time, plus noise
    t = np.arange(frames)[None, :]
    bumps = 2.0 * np.exp(-((bins - 15 - 3 * np.sin(t / 5)) ** 2) / 8) + 1.5 * np.exp(-((bins - 40) ** 2) / 10)
    return np.asarray(-4.0 - 0.03 * bins + bumps + 0.05 * rng.standard_normal((80, frames)), dtype=np.float32)


def test_off_is_identity() -> None:
    mel = _mel()
    assert MelPostfilter(1.0).active is False
    np.testing.assert_array_equal(MelPostfilter(1.0)(mel), mel)


def test_flat_and_linear_spectra_are_unchanged() -> None:
    # a moving average reproduces constants and (away from the edges) straight lines: nothing to sharpen
    flat = np.full((80, 10), -3.0, dtype=np.float32)
    np.testing.assert_allclose(MelPostfilter(2.5)(flat), flat, atol=1e-5)
    ramp = np.repeat(np.linspace(-6, -2, 80, dtype=np.float32)[:, None], 10, axis=1)
    np.testing.assert_allclose(MelPostfilter(2.5, 9)(ramp)[4:-4], ramp[4:-4], atol=1e-4)


def test_peaks_grow_by_the_emphasis_against_the_envelope() -> None:
    mel = _mel()
    out = MelPostfilter(2.0, 9)(mel)
    assert out.shape == mel.shape and out.dtype == mel.dtype
    peak = 40  # the fixed bump stands taller above its neighbours (by less than 2x: the envelope rises with it)
    before = mel[peak] - mel[peak - 6]
    after = out[peak] - out[peak - 6]
    assert np.all(after > 1.4 * before)
    # the spectral tilt survives: mean level per frame moves by far less than the peaks do
    assert np.abs(out.mean(axis=0) - mel.mean(axis=0)).max() < 0.1 * np.abs(after - before).min()


def test_frames_are_filtered_independently() -> None:
    # streaming vocodes windows of the phrase's mel: a slice of the filtered whole equals the filtered slice
    mel = _mel(60)
    pf = MelPostfilter(2.0, 9)
    np.testing.assert_allclose(pf(mel)[:, 17:29], pf(mel[:, 17:29]), atol=1e-6)
    assert pf(mel[:, :0]).shape == (80, 0)


@pytest.mark.parametrize("emphasis, width", [(0.5, 9), (5.0, 9), (2.0, 8), (2.0, 1)])
def test_bad_settings_are_refused(emphasis: float, width: int) -> None:
    with pytest.raises(ValueError, match="postfilter"):
        MelPostfilter(emphasis, width)


def test_dict_round_trip() -> None:
    pf = MelPostfilter(2.0, 9)
    assert MelPostfilter.from_dict(pf.to_dict()) == pf
    assert MelPostfilter.from_dict({}) == MelPostfilter()
