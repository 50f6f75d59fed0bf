"""Training's discriminators and losses: shapes, gradients, and the losses' fixed points."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch

from training.discriminators import (
    SLIM_PERIOD_CHANNELS,
    MultiPeriodDiscriminator,
    MultiResolutionDiscriminator,
    MultiScaleDiscriminator,
)
from training.losses import (
    discriminator_loss,
    feature_matching_loss,
    generator_adversarial_loss,
    multi_resolution_stft_loss,
)


def _slim_mpd() -> torch.nn.Module:
    return MultiPeriodDiscriminator(channels=SLIM_PERIOD_CHANNELS)


@pytest.mark.parametrize(
    "make_disc", [MultiPeriodDiscriminator, _slim_mpd, MultiScaleDiscriminator, MultiResolutionDiscriminator]
)
def test_discriminators_and_gan_losses(make_disc: Callable[[], torch.nn.Module]) -> None:
    disc = make_disc()
    real, fake = torch.randn(2, 4096) * 0.1, torch.randn(2, 4096) * 0.1
    rs, fs, rf, ff = disc(real, fake)
    assert len(rs) == len(fs) == len(rf) == len(ff) >= 3
    for loss in (discriminator_loss(rs, fs), generator_adversarial_loss(fs), feature_matching_loss(rf, ff)):
        assert loss.ndim == 0 and torch.isfinite(loss) and float(loss) > 0


def test_stft_loss_is_zero_only_for_identical_audio() -> None:
    x = torch.randn(2, 8192) * 0.1
    assert float(multi_resolution_stft_loss(x, x)) == pytest.approx(0.0, abs=1e-5)
    assert float(multi_resolution_stft_loss(x * 0.5, x)) > 0.1
