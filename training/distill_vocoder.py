"""Stage 5 (optional): a smaller vocoder taught by a shipped one, for CPUs where the teacher is too slow.

The student is the teacher's generator with some of its parallel residual blocks (`--kernels`, a subset of the
teacher's resblock kernels) left out, warm-started from the teacher's weights for the blocks it keeps, and
trained to give the teacher's audio (log-mel L1 and multi-resolution STFT, as `train_vocoder`) from the mels and
harmonic sources the voice itself serves: its own acoustic model on sentences from `training.sentences`, so no
corpus is needed. Each training window carries the engine's mel context on both sides, and only its middle is
scored against the teacher's whole-phrase vocoding, as the engine joins windows. Writes a training checkpoint
that `training.export vocoder` takes.

    python -m training.distill_vocoder --voice models/joe --sentences $S/corpus/sentences.txt \\
        --kernels 5 7 --out $S/ckpt/voc_joe_student --hours 0.4
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch
from torch.nn import functional as F

from app.engine.bundle import VoiceBundle, sha256
from app.vocoder.config import VocoderConfig
from app.vocoder.hifigan import Generator
from training.features import mel_spectrogram
from training.losses import multi_resolution_stft_loss
from training.progress import progress_line
from training.served import served_phrases
from training.train_vocoder import weight_normed_state


def student_config(teacher: VocoderConfig, kernels: list[int]) -> VocoderConfig:
    """The teacher's configuration keeping only the residual blocks with these kernel sizes."""
    keep = [i for i, k in enumerate(teacher.resblock_kernels) if k in kernels]
    if len(keep) != len(kernels) or not keep:
        raise SystemExit(f"--kernels {kernels}: choose among the teacher's {teacher.resblock_kernels}")
    return replace(
        teacher,
        resblock_kernels=[teacher.resblock_kernels[i] for i in keep],
        resblock_dilations=[teacher.resblock_dilations[i] for i in keep],
    )


def student_from_teacher(teacher: Generator, cfg: VocoderConfig) -> Generator:
    """A weight-normed student whose every kept layer starts from the teacher's (weight-norm-free) weights."""
    plain = Generator(cfg)
    plain.remove_weight_norm()
    keep = [teacher.cfg.resblock_kernels.index(k) for k in cfg.resblock_kernels]
    blocks = teacher.n_kernels
    mapped = {}
    for name, tensor in teacher.state_dict().items():
        if not name.startswith("resblocks."):
            mapped[name] = tensor
            continue
        index, rest = name.split(".", 2)[1:]
        stage, kernel = divmod(int(index), blocks)
        if kernel in keep:
            mapped[f"resblocks.{stage * len(keep) + keep.index(kernel)}.{rest}"] = tensor
    plain.load_state_dict(mapped)
    student = Generator(cfg)
    student.load_state_dict(weight_normed_state(plain))  # trained with weight norm, as the teacher was
    return student


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--voice", type=Path, required=True, help="bundle whose acoustic model and vocoder teach")
    ap.add_argument("--sentences", type=Path, required=True, help="text, one sentence per line")
    ap.add_argument("--count", type=int, default=400, help="sentences used")
    ap.add_argument("--kernels", type=int, nargs="+", required=True, help="residual block kernels the student keeps")
    ap.add_argument("--out", type=Path, required=True, help="checkpoint folder")
    ap.add_argument("--hours", type=float, default=0.4)
    ap.add_argument("--steps", type=int, default=None, help="stop after this many steps (default: by --hours)")
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--frames", type=int, default=32, help="scored frames per window")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)

    bundle = VoiceBundle.load(args.voice)
    vocoder = bundle.vocoder
    teacher = Generator(vocoder.config)
    teacher.remove_weight_norm()
    teacher.load_state_dict({k: v.float() for k, v in torch.load(vocoder.files["vocoder.pt"]).items()})
    teacher.eval()
    cfg = student_config(vocoder.config, args.kernels)
    student = student_from_teacher(teacher, cfg)

    lines = [s.strip() for s in args.sentences.read_text().splitlines() if s.strip()]
    rng.shuffle(lines)
    phrases = []
    for mel, source in served_phrases(args.voice.resolve(), lines[: args.count]):
        if source is None:
            raise SystemExit("distillation needs a source-excited vocoder")
        phrases.append((mel, source))
    hop, context = vocoder.config.hop_length, vocoder.context_frames
    teacher_audio = []
    with torch.no_grad():
        for mel, source in phrases:
            teacher_audio.append(teacher(torch.from_numpy(mel[None]), torch.from_numpy(source[None]))[0].numpy())
    valid = [i for i, (m, _) in enumerate(phrases) if m.shape[1] >= args.frames]
    held_out, train = valid[:16], valid[16:]
    if not train:
        raise SystemExit(f"{len(valid)} phrases of {args.frames}+ frames: 16 are held out, none left to train on")
    seconds = sum(len(a) for a in teacher_audio) / bundle.audio.sample_rate
    print(
        f"{len(phrases)} phrases, {seconds:.0f} s of teacher audio; student kernels {cfg.resblock_kernels}", flush=True
    )

    def window(i: int, start: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, int]:
        mel, source = phrases[i]
        a, b = max(0, start - context), min(mel.shape[1], start + args.frames + context)
        target = teacher_audio[i][start * hop : (start + args.frames) * hop]
        return (
            torch.from_numpy(mel[:, a:b]),
            torch.from_numpy(source[a * hop : b * hop]),
            torch.from_numpy(target),
            start - a,
        )

    def batch_loss(items: list[tuple[int, int]]) -> torch.Tensor:
        fakes, reals = [], []
        for i, start in items:  # windows differ in context at phrase edges: one at a time, scored together
            mel, source, target, offset = window(i, start)
            audio = student(mel[None], source[None])[0]
            fakes.append(audio[offset * hop : (offset + args.frames) * hop])
            reals.append(target)
        fake, real = torch.stack(fakes), torch.stack(reals)
        mel_l1 = F.l1_loss(mel_spectrogram(fake, bundle.audio), mel_spectrogram(real, bundle.audio))
        return 45.0 * mel_l1 + 2.5 * multi_resolution_stft_loss(fake, real)

    held = [(i, (phrases[i][0].shape[1] - args.frames) // 2) for i in held_out]

    def evaluate() -> float:
        student.eval()
        with torch.no_grad():
            loss = float(batch_loss(held))
        student.train()
        return loss

    opt = torch.optim.AdamW(student.parameters(), lr=args.lr, betas=(0.8, 0.99))
    first_step = int(json.loads((vocoder.root / "vocoder.json").read_text())["step"])
    teacher_id = sha256(vocoder.files["vocoder.pt"])
    step, latest = 0, args.out / "latest.pt"
    if latest.exists():  # resume: the same student, teacher and optimizer (the batches start over)
        state = torch.load(latest, map_location="cpu", weights_only=False)
        if state["config"] != cfg.to_dict() or state.get("teacher", {}).get("vocoder.pt") != teacher_id:
            raise SystemExit(f"{latest} is another student or from another teacher: choose another --out")
        first_step = int(state["teacher"]["step"])
        student.load_state_dict(state["gen"])
        if "opt" in state:  # else a fresh optimizer
            opt.load_state_dict(state["opt"])
        for group in opt.param_groups:  # --lr holds on resume (a second, slower phase)
            group["lr"] = args.lr
        step = int(state["step"]) - first_step
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"step {step} held-out loss {evaluate():.4f}", flush=True)
    start_time, done, sums, summed = time.time(), step, {"loss": 0.0}, 0
    provenance = {"teachers": list(bundle.teachers), "teacher": {"vocoder.pt": teacher_id, "step": first_step}}
    while time.time() - start_time < args.hours * 3600 and (args.steps is None or step < args.steps):
        items = [
            (i, rng.randrange(0, phrases[i][0].shape[1] - args.frames + 1)) for i in rng.choices(train, k=args.batch)
        ]
        loss = batch_loss(items)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        sums["loss"] += loss.item()
        summed += 1
        if step % 50 == 0:
            print(progress_line(step, sums, summed, (time.time() - start_time) / (step - done)), flush=True)
            sums["loss"], summed = 0.0, 0
        if step % 250 == 0:
            print(f"step {step} held-out loss {evaluate():.4f}", flush=True)
            save(student, opt, cfg, first_step + step, provenance, latest)
    print(f"step {step} held-out loss {evaluate():.4f}", flush=True)
    save(student, opt, cfg, first_step + step, provenance, latest)


def save(
    student: Generator,
    opt: torch.optim.Optimizer,
    cfg: VocoderConfig,
    step: int,
    provenance: dict[str, Any],
    path: Path,
) -> None:
    """A training checkpoint (`training.export vocoder` reads its generator, step and teachers: the voice's, whose
    acoustic model made the mels, and the vocoder's); written whole, then renamed."""
    state = {"gen": student.state_dict(), "opt": opt.state_dict(), "config": cfg.to_dict(), "step": step,
             **provenance}  # fmt: skip
    torch.save(state, path.with_suffix(".tmp"))
    path.with_suffix(".tmp").replace(path)


if __name__ == "__main__":
    main()
