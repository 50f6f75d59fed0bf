"""Stage 3: train FastSpeech 2 on one or more corpora (one speaker id per corpus). Resumable.

    python -m training.train_acoustic --corpus /work/state/corpus/joe --ckpt /work/state/ckpt/acoustic_joe \
        --preset cpu-small --hours 2

Checkpoints (model + optimizer) go to --ckpt/latest.pt every --save-every steps; a run picks up where
the last one stopped. Logs one line of losses every --log-every steps.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from app.acoustic.config import AcousticConfig
from app.acoustic.fastspeech2 import FastSpeech2
from app.text.phonemes import SYMBOL_TO_ID, SYMBOLS, is_pause
from training.presets import acoustic_preset, presets
from training.progress import progress_line
from training.provenance import run_teachers

PAUSE_IDS = torch.tensor([SYMBOL_TO_ID[s] for s in SYMBOLS if is_pause(s)])


def load_corpus(path: Path, speaker: int) -> list[dict[str, Any]]:
    items = []
    for f in sorted((path / "feats").glob("*.npz")):
        z = np.load(f)
        items.append(
            {k: z[k] for k in ("phones", "durations", "pitch", "energy", "mel")} | {"speaker": speaker, "id": f.stem}
        )
    return items


def speaker_stats(items: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    """Mean and std of phone-level log F0 and energy over real (non-pause, non-empty) phones."""
    pitch, energy = [], []
    for it in items:
        keep = (it["durations"] > 0) & ~np.isin(it["phones"], PAUSE_IDS.numpy())
        pitch.append(it["pitch"][keep])
        energy.append(it["energy"][keep])
    p, e = np.concatenate(pitch), np.concatenate(energy)
    return float(p.mean()), float(p.std()), float(e.mean()), float(e.std())


def collate(batch: list[dict[str, Any]], cfg: AcousticConfig) -> dict[str, torch.Tensor]:
    n = len(batch)
    t_max = max(len(b["phones"]) for b in batch)
    f_max = max(b["mel"].shape[1] for b in batch)
    out = {
        "phones": torch.zeros(n, t_max, dtype=torch.long),
        "durations": torch.zeros(n, t_max, dtype=torch.long),
        "pitch": torch.zeros(n, t_max),
        "energy": torch.zeros(n, t_max),
        "mel": torch.full((n, cfg.n_mels, f_max), -11.5),
        "mel_mask": torch.zeros(n, f_max, dtype=torch.bool),
        "speakers": torch.tensor([b["speaker"] for b in batch]),
    }
    for i, b in enumerate(batch):
        t, f, s = len(b["phones"]), b["mel"].shape[1], b["speaker"]
        phones = torch.from_numpy(b["phones"].astype(np.int64))
        dur = torch.from_numpy(b["durations"].astype(np.int64))
        real = (dur > 0) & ~torch.isin(phones, PAUSE_IDS)
        out["phones"][i, :t] = phones
        out["durations"][i, :t] = dur
        pitch = (torch.from_numpy(b["pitch"]) - cfg.pitch_mean[s]) / cfg.pitch_std[s]
        out["pitch"][i, :t] = torch.where(real, pitch, 0.0)
        out["energy"][i, :t] = torch.where(
            dur > 0, (torch.from_numpy(b["energy"]) - cfg.energy_mean[s]) / cfg.energy_std[s], 0.0
        )
        out["mel"][i, :, :f] = torch.from_numpy(b["mel"].astype(np.float32))
        out["mel_mask"][i, :f] = True
    return out


def batches(items: list[dict[str, Any]], max_frames: int, rng: random.Random) -> list[list[dict[str, Any]]]:
    """Length-bucketed batches capped by padded frame count, shuffled."""
    order = sorted(items, key=lambda it: it["mel"].shape[1] + rng.random() * 40)
    out: list[list[dict[str, Any]]] = []
    cur: list[dict[str, Any]] = []
    cur_max = 0
    for it in order:
        f = it["mel"].shape[1]
        if cur and max(cur_max, f) * (len(cur) + 1) > max_frames:
            out.append(cur)
            cur, cur_max = [], 0
        cur.append(it)
        cur_max = max(cur_max, f)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def losses(model: FastSpeech2, b: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    o = model(
        b["phones"], b["speakers"], target_durations=b["durations"], target_pitch=b["pitch"], target_energy=b["energy"]
    )
    mask = b["mel_mask"].unsqueeze(1).expand_as(b["mel"])
    mel_l1 = F.l1_loss(o.mel[mask], b["mel"][mask])
    mel_pre = F.l1_loss(o.mel_before_postnet[mask], b["mel"][mask])
    ph = b["phones"] > 0
    dur = F.mse_loss(o.log_durations[ph], torch.log1p(b["durations"][ph].float()))
    pitch = F.mse_loss(o.pitch[ph], b["pitch"][ph])
    energy = F.mse_loss(o.energy[ph], b["energy"][ph])
    total = mel_l1 + (mel_pre if model.postnet is not None else 0.0) + dur + pitch + energy
    return {"total": total, "mel": mel_l1, "dur": dur, "pitch": pitch, "energy": energy}


def warm_start(model: FastSpeech2, path: Path) -> None:
    """Copy weights from a trained model of the same size; speakers it lacks start from the mean of its speakers.

    A new voice learns far faster from a model that already reads English than from scratch.
    """
    state = torch.load(path, map_location="cpu", weights_only=False)
    weights = {k: v.float() for k, v in state.get("model", state).items()}
    old = weights.pop("speaker.weight")
    new = model.speaker.weight.detach().clone()
    n = min(len(old), len(new))
    new[:n] = old[:n]
    new[n:] = old.mean(0)
    weights["speaker.weight"] = new
    model.load_state_dict(weights)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, action="append", required=True, help="repeat for more speakers")
    ap.add_argument("--ckpt", type=Path, required=True)
    ap.add_argument("--preset", default="cpu-small", choices=sorted(presets()["acoustic"]))
    ap.add_argument("--hours", type=float, default=1.0, help="stop after this much wall time")
    ap.add_argument("--max-steps", type=int, default=200_000)
    ap.add_argument("--max-frames", type=int, default=3600, help="padded mel frames per batch")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=400)
    ap.add_argument("--decay-steps", type=int, default=20_000, help="lr halves every this many steps")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--save-every", type=int, default=250)
    ap.add_argument("--log-every", type=int, default=25)
    ap.add_argument("--valid", type=int, default=40, help="utterances held out per corpus")
    ap.add_argument(
        "--init",
        type=Path,
        default=None,
        help="start a new run from these weights (a checkpoint or a shipped acoustic.pt)",
    )
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    args.ckpt.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)

    train, valid = [], []
    stats = []
    for s, path in enumerate(args.corpus):
        items = load_corpus(path, s)
        valid += items[-args.valid :]
        train += items[: -args.valid]
        stats.append(speaker_stats(items[: -args.valid]))
    hours = sum(it["mel"].shape[1] for it in train) * 256 / 22050 / 3600
    print(f"train {len(train)} utts ({hours:.2f} h), valid {len(valid)}", flush=True)

    cfg = AcousticConfig(
        n_symbols=len(SYMBOLS),
        n_speakers=len(args.corpus),
        pitch_mean=[s[0] for s in stats],
        pitch_std=[s[1] for s in stats],
        energy_mean=[s[2] for s in stats],
        energy_std=[s[3] for s in stats],
        **acoustic_preset(args.preset),
    )
    model = FastSpeech2(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=1e-6)
    step = 0
    latest = args.ckpt / "latest.pt"
    if latest.exists():
        state = torch.load(latest, map_location="cpu", weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        step = state["step"]
        print(f"resumed at step {step}", flush=True)
    elif args.init is not None:
        warm_start(model, args.init)
        print(f"initialised from {args.init}", flush=True)
    teachers = run_teachers(args.corpus, state if latest.exists() else None, args.init)
    print(f"teachers of this model's data: {', '.join(teachers)}", flush=True)
    print(f"params {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M, config {json.dumps(cfg.to_dict())}")

    def lr_at(k: int) -> float:
        return float(args.lr * min(1.0, (k + 1) / args.warmup) * 0.5 ** (k / args.decay_steps))

    valid_batches = batches(valid, args.max_frames, random.Random(1))
    t_end = time.time() + args.hours * 3600
    t_log, acc = time.time(), dict[str, float]()
    while step < args.max_steps and time.time() < t_end:
        for batch in batches(train, args.max_frames, rng):
            model.train()
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            parts = losses(model, collate(batch, cfg))
            opt.zero_grad()
            parts["total"].backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            for k, v in parts.items():
                acc[k] = acc.get(k, 0.0) + float(v.detach())
            if step % args.log_every == 0:
                dt = (time.time() - t_log) / args.log_every
                print(progress_line(step, acc, args.log_every, dt, f"lr {lr_at(step):.2e}"), flush=True)
                t_log, acc = time.time(), dict[str, float]()
            if step % args.save_every == 0 or time.time() >= t_end:
                model.eval()
                with torch.no_grad():
                    val = [float(losses(model, collate(b, cfg))["mel"]) for b in valid_batches]
                val_mel = sum(val) / len(val)
                torch.save(
                    {
                        "model": model.state_dict(),
                        "opt": opt.state_dict(),
                        "step": step,
                        "config": cfg.to_dict(),
                        "val_mel": val_mel,
                        "teachers": teachers,
                    },
                    latest.with_suffix(".tmp"),
                )
                latest.with_suffix(".tmp").replace(latest)
                print(f"saved step {step} valid mel L1 {val_mel:.4f}", flush=True)
            if step >= args.max_steps or time.time() >= t_end:
                break
    if not math.isfinite(float(acc.get("total", 0.0))):
        raise SystemExit("loss diverged")


if __name__ == "__main__":
    main()
