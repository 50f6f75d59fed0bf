"""training.distill_vocoder: a student that keeps some of the teacher's residual blocks, taught by its audio."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from app.engine.bundle import VoiceBundle
from app.vocoder.hifigan import Generator
from training.distill_vocoder import main, student_config, student_from_teacher
from training.export import export_vocoder

MODELS = Path(__file__).parents[2] / "models"


def _teacher() -> Generator:
    vocoder = VoiceBundle.load(MODELS / "rms").vocoder
    teacher = Generator(vocoder.config)
    teacher.remove_weight_norm()
    teacher.load_state_dict({k: v.float() for k, v in torch.load(vocoder.files["vocoder.pt"]).items()})
    return teacher.eval()


def _run(gen: Generator, mel: torch.Tensor, source: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        out: torch.Tensor = gen.eval()(mel, source)
    return out


def test_student_keeping_every_block_is_the_teacher_and_a_subset_keeps_its_blocks() -> None:
    teacher = _teacher()
    torch.manual_seed(0)
    mel, source = torch.randn(1, 80, 20) - 5, torch.randn(1, 20 * 256) * 0.1
    whole = student_from_teacher(teacher, student_config(teacher.cfg, [3, 5, 7]))
    assert torch.allclose(_run(whole, mel, source), _run(teacher, mel, source), atol=1e-5)

    cfg = student_config(teacher.cfg, [5, 7])
    assert cfg.resblock_kernels == [5, 7] and cfg.resblock_dilations == teacher.cfg.resblock_dilations[1:]
    student = student_from_teacher(teacher, cfg)
    student.remove_weight_norm()
    ours, theirs = student.state_dict(), teacher.state_dict()
    for stage in range(2):  # teacher blocks (stage, 1) and (stage, 2) became the student's (stage, 0), (stage, 1)
        for kept in range(2):
            for name in (f"convs.{conv}.{kind}" for conv in range(2) for kind in ("weight", "bias")):
                assert torch.allclose(
                    ours[f"resblocks.{stage * 2 + kept}.{name}"], theirs[f"resblocks.{stage * 3 + kept + 1}.{name}"]
                )
    with pytest.raises(SystemExit, match="kernels"):
        student_config(teacher.cfg, [4])


def test_a_short_distillation_lowers_the_loss_and_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sentences = tmp_path / "sentences.txt"
    sentences.write_text("\n".join(f"Sentence number {n} is about the weather in the valley." for n in range(20)))
    main(["--voice", str(MODELS / "rms"), "--sentences", str(sentences), "--count", "20", "--kernels", "5", "7",
          "--out", str(tmp_path / "ckpt"), "--steps", "30", "--batch", "2", "--lr", "2e-4"])  # fmt: skip
    losses = [float(line.split()[-1]) for line in capsys.readouterr().out.splitlines() if "held-out loss" in line]
    assert len(losses) == 2 and losses[1] < 0.8 * losses[0]  # the student moves towards the teacher

    state = torch.load(tmp_path / "ckpt" / "latest.pt", weights_only=False)
    assert state["config"]["resblock_kernels"] == [5, 7] and state["teachers"] == ["flite-rms"]
    assert (
        state["teacher"]["step"]
        == json.loads((MODELS / "vocoders" / "nsf-istft-v3-sinc" / "vocoder.json").read_text())["step"]
    )
    main(["--voice", str(MODELS / "rms"), "--sentences", str(sentences), "--count", "20", "--kernels", "5", "7",
          "--out", str(tmp_path / "ckpt"), "--steps", "30", "--batch", "2"])  # fmt: skip
    resumed = capsys.readouterr().out
    assert "step 30 held-out loss" in resumed and "step 0 " not in resumed  # resumed at its step: nothing to do
    out = tmp_path / "student"
    export_vocoder(tmp_path / "ckpt" / "latest.pt", out, context_frames=12)
    meta = json.loads((out / "vocoder.json").read_text())
    shipped = json.loads((MODELS / "vocoders" / "nsf-istft-v3-sinc" / "vocoder.json").read_text())
    assert meta["step"] == shipped["step"] + 30
    shutil.rmtree(out)
