"""Provenance: the teachers behind a network follow it from corpus to checkpoint to shipped bundle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from training.provenance import UNKNOWN, corpus_teacher, init_teachers, training_teachers, write_corpus_card

MODELS = Path(__file__).resolve().parents[2] / "models"


def test_a_corpus_holds_one_teacher(tmp_path: Path) -> None:
    write_corpus_card(tmp_path, "flite-rms")
    write_corpus_card(tmp_path, "flite-rms")  # resuming the same corpus is fine
    assert corpus_teacher(tmp_path) == "flite-rms"
    with pytest.raises(SystemExit, match="refusing"):
        write_corpus_card(tmp_path, "piper-joe")


def test_training_data_and_warm_start_weights_both_count(tmp_path: Path) -> None:
    (tmp_path / "rms").mkdir()
    write_corpus_card(tmp_path / "rms", "flite-rms")
    assert training_teachers([tmp_path / "rms"], set()) == ["flite-rms"]
    # warm-started from the shipped joe weights: joe's teachers come along, whatever the new data
    joe = init_teachers(MODELS / "joe" / "acoustic.pt", {})
    assert "piper-joe" in joe
    assert "piper-joe" in training_teachers([tmp_path / "rms"], joe)
    assert init_teachers(tmp_path / "x.pt", {"teachers": ["flite-slt"]}) == {"flite-slt"}


def test_data_of_unknown_origin_stays_unknown(tmp_path: Path) -> None:
    assert training_teachers([tmp_path], set()) == [UNKNOWN]  # a corpus without its card
    assert init_teachers(tmp_path / "weights.pt", {}) == {UNKNOWN}  # loose weights without a bundle json


def test_stamping_declares_an_old_checkpoints_teachers_once(tmp_path: Path) -> None:
    ckpt = tmp_path / "latest.pt"
    torch.save({"step": 7, "model": {}}, ckpt)
    cmd = [sys.executable, "-m", "training.provenance", str(ckpt), "--teachers", "flite-rms"]
    subprocess.run(cmd, check=True, capture_output=True)
    assert torch.load(ckpt, weights_only=False)["teachers"] == ["flite-rms"]
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert again.returncode != 0 and "already records" in again.stderr
