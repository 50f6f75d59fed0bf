"""training.train_vocoder: a short real run on a small corpus, its checkpoints and the weight average."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from training.train_vocoder import main

MakeCorpus = Callable[[Path], Path]  # the make_corpus fixture
SHIPPED = Path(__file__).parents[2] / "models" / "vocoders" / "nsf-istft-v3-sinc" / "vocoder.pt"


def _run(corpus: Path, ckpt: Path, steps: int, *extra: str) -> None:
    main(["--corpus", str(corpus), "--ckpt", str(ckpt), "--preset", "nsf-istft-v3-sinc", "--init", str(SHIPPED),
          "--max-steps", str(steps), "--batch", "1", "--segment", "4096", "--save-every", "1", "--keep-every", "1",
          "--log-every", "1", *extra])  # fmt: skip


def _weights(path: Path) -> dict[str, torch.Tensor]:
    state: dict[str, torch.Tensor] = torch.load(path, map_location="cpu", weights_only=False)["gen"]
    return state


def test_moving_average_of_the_generator_is_kept_and_resumed(tmp_path: Path, make_corpus: MakeCorpus) -> None:
    corpus, ckpt = make_corpus(tmp_path / "corpus"), tmp_path / "ckpt"
    start = 5967  # the shipped vocoder's step (its vocoder.json), where a warm-started run goes on counting
    _run(corpus, ckpt, start + 2, "--ema", "0.75")
    w1, w2 = _weights(ckpt / f"gen_{start + 1}.pt"), _weights(ckpt / f"gen_{start + 2}.pt")
    ema1, ema2 = _weights(ckpt / f"gen_ema_{start + 1}.pt"), _weights(ckpt / f"gen_ema_{start + 2}.pt")
    assert ema1.keys() == w1.keys()
    changed = [k for k in w1 if not torch.equal(w1[k], w2[k])]
    assert changed, "the generator did not train"
    for k in w1:
        torch.testing.assert_close(ema1[k], w1[k])  # the average starts at the first step's weights
        torch.testing.assert_close(ema2[k], 0.75 * w1[k] + 0.25 * w2[k])

    _run(corpus, ckpt, start + 3, "--ema", "0.75")  # resumed from latest.pt: the average goes on
    w3, ema3 = _weights(ckpt / f"gen_{start + 3}.pt"), _weights(ckpt / f"gen_ema_{start + 3}.pt")
    for k in w1:
        torch.testing.assert_close(ema3[k], 0.75 * ema2[k] + 0.25 * w3[k])


def test_without_average_only_the_generator_is_kept(tmp_path: Path, make_corpus: MakeCorpus) -> None:
    corpus, ckpt = make_corpus(tmp_path / "corpus"), tmp_path / "ckpt"
    _run(corpus, ckpt, 5968)
    assert sorted(p.name for p in ckpt.iterdir()) == ["gen_5968.pt", "latest.pt"]
    assert "gen_ema" not in torch.load(ckpt / "latest.pt", map_location="cpu", weights_only=False)


def test_an_mrd_run_goes_on_with_the_period_discriminator_beside_it(
    tmp_path: Path, make_corpus: MakeCorpus, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, ckpt = make_corpus(tmp_path / "corpus"), tmp_path / "ckpt"
    _run(corpus, ckpt, 5968, "--gan", "mrd")
    mrd = torch.load(ckpt / "latest.pt", map_location="cpu", weights_only=False)["disc"]
    capsys.readouterr()
    _run(corpus, ckpt, 5969, "--gan", "mrd+mpd")
    assert "kept the MRD of the previous run" in capsys.readouterr().out
    state = torch.load(ckpt / "latest.pt", map_location="cpu", weights_only=False)
    assert state["disc_kind"] == "mrd+mpd" and state["step"] == 5969
    both = state["disc"]
    assert any(k.startswith("1.") for k in both)  # the period set was trained beside it
    for k, v in mrd.items():  # one step on from the MRD's weights, not from a fresh start
        assert v.shape == both[f"0.{k}"].shape
        assert (both[f"0.{k}"] - v).abs().max() < 0.05 * v.abs().max() + 1e-3


def test_a_fresh_discriminator_warms_up_while_the_generator_waits(
    tmp_path: Path, make_corpus: MakeCorpus, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, ckpt = make_corpus(tmp_path / "corpus"), tmp_path / "ckpt"
    start = 5967
    _run(corpus, ckpt, start + 3, "--gan", "mrd", "--gan-start", str(start), "--disc-warmup", "2")
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("step ")]
    assert "disc" in lines[0] and "mel" not in lines[0]  # warm-up steps train the discriminator alone
    assert "adv" in lines[2] and "mel" in lines[2]
    w1, w2, w3 = (_weights(ckpt / f"gen_{start + i}.pt") for i in (1, 2, 3))
    assert all(torch.equal(w1[k], w2[k]) for k in w1)  # held through the warm-up
    assert any(not torch.equal(w2[k], w3[k]) for k in w2)  # then trained
