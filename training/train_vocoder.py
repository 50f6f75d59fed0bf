"""Stage 4: train the shared HiFi-GAN-family vocoder on every corpus's audio. Resumable.

Generator-only (mel L1 + multi-resolution STFT) is what fits a CPU budget; --gan mrd adds the cheap
spectrogram discriminator from --gan-start on, --gan mrd+mpd also a slim multi-period one (it sees phase;
+15 % per step), --gan paper the paper's MPD + MSD (for a GPU). Fine-tuning a shipped generator with a fresh
discriminator: --disc-warmup N trains the discriminator alone for N steps first, --ema keeps a moving average.

    python -m training.train_vocoder --corpus /work/state/corpus/joe --ckpt /work/state/ckpt/vocoder \
        --preset istft-v3 --hours 2
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
import torch
from torch.nn import functional as F
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from app.audio.config import AudioConfig
from app.vocoder.hifigan import Generator
from app.vocoder.source import frame_f0, harmonic_source
from training.discriminators import (
    SLIM_PERIOD_CHANNELS,
    MultiPeriodDiscriminator,
    MultiResolutionDiscriminator,
    MultiScaleDiscriminator,
)
from training.features import mel_spectrogram
from training.losses import (
    discriminator_loss,
    feature_matching_loss,
    generator_adversarial_loss,
    multi_resolution_stft_loss,
)
from training.presets import vocoder_preset
from training.progress import progress_line
from training.provenance import run_teachers

AUDIO = AudioConfig()


@dataclass
class Clip:
    audio: np.ndarray  # int16
    gta: np.ndarray | None  # FastSpeech 2 ground-truth-aligned mel, when fine-tuning on them
    f0: np.ndarray  # per frame, Hz, from the corpus's phone-level pitch (as at inference)
    voiced: np.ndarray


def load_clips(corpora: list[Path], gta: bool) -> list[Clip]:
    """Every corpus clip with its frame F0 and voicing; with gta, only clips that have a GTA mel."""
    clips = []
    for c in corpora:
        for f in sorted(p for p in (c / "wavs").iterdir() if p.suffix in (".wav", ".flac")):  # flac: training.pack
            mel = None
            if gta:
                path = c / "gta" / f"{f.stem}.npy"
                if not path.exists():
                    continue
                mel = np.load(path)
            feats = np.load(c / "feats" / f"{f.stem}.npz")
            f0, voiced = frame_f0(feats["pitch"], feats["durations"], feats["phones"])
            audio, _ = sf.read(f, dtype="int16")
            clips.append(Clip(audio, mel, f0, voiced))
    return clips


def sample_batch(
    clips: list[Clip], batch: int, segment: int, rng: random.Random, noise: bool = False
) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor]:
    """Audio segments aligned to mel frames, their GTA mel windows (if any) and harmonic sources."""
    hop = AUDIO.hop_length
    frames = segment // hop
    out = np.zeros((batch, segment), dtype=np.float32)
    mels = np.full((batch, AUDIO.n_mels, frames), -11.5, dtype=np.float32)
    sources = np.zeros((batch, segment), dtype=np.float32)
    for i in range(batch):
        clip = clips[rng.randrange(len(clips))]
        start = rng.randrange(0, max(1, len(clip.audio) // hop - frames))
        piece = clip.audio[start * hop : start * hop + segment] / 32768.0
        out[i, : len(piece)] = piece
        src = harmonic_source(clip.f0[start : start + frames], clip.voiced[start : start + frames], hop,
                              AUDIO.sample_rate, phase=rng.uniform(0, 2 * np.pi),
                              noise_seed=rng.randrange(2**31) if noise else None)  # fmt: skip
        sources[i, : len(src)] = src
        if clip.gta is not None:
            m = clip.gta[:, start : start + frames]
            mels[i, :, : m.shape[1]] = m
    has_gta = clips[0].gta is not None
    return torch.from_numpy(out), (torch.from_numpy(mels) if has_gta else None), torch.from_numpy(sources)


def warm_start(gen: Generator, path: Path) -> int:
    """Load a generator from a training checkpoint or a shipped vocoder.pt (weight norm folded); returns its step.

    strict=False: a source-excited generator starts from a plain one (its source convs start at zero).
    """
    init = torch.load(path, map_location="cpu", weights_only=False)
    if "gen" in init:
        weights, step = init["gen"], int(init["step"])
    else:  # shipped weights: fold into a plain copy, then weight norm re-derives g and v from them exactly
        plain = Generator(gen.cfg)
        plain.remove_weight_norm()
        _check_fit(plain.load_state_dict({k: v.float() for k, v in init.items()}, strict=False))
        meta = path.with_name("vocoder.json")
        step = int(json.loads(meta.read_text())["step"]) if meta.exists() else 0
        weights = weight_normed_state(plain)
    _check_fit(gen.load_state_dict(weights, strict=False))
    return step


def weight_normed_state(plain: Generator) -> dict[str, torch.Tensor]:
    """A weight-norm-free generator's weights as a training generator holds them: weight norm put back on every
    convolution but the source convs (g and v re-derived exactly from the folded weights). Changes plain."""
    for module in plain.modules():
        if isinstance(module, (torch.nn.Conv1d, torch.nn.ConvTranspose1d)) and not any(
            module is c for c in plain.source_convs
        ):
            torch.nn.utils.parametrizations.weight_norm(module)
    return plain.state_dict()


def _check_fit(result: Any) -> None:
    """Only the source convs may be missing (a plain generator's weights in a source-excited one)."""
    if result.unexpected_keys or any(not k.startswith("source_convs") for k in result.missing_keys):
        raise SystemExit(f"--init does not fit: missing {result.missing_keys}, unexpected {result.unexpected_keys}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, action="append", required=True)
    ap.add_argument("--ckpt", type=Path, required=True)
    ap.add_argument("--preset", default="istft-v3")
    ap.add_argument("--hours", type=float, default=1.0)
    ap.add_argument("--max-steps", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--segment", type=int, default=8192)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--gan", default="none", choices=["none", "mrd", "mrd+mpd", "paper"])
    ap.add_argument("--gan-start", type=int, default=0, help="step from which adversarial losses apply")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="cpu", help="cpu | cuda (a lent GPU: the paper's GAN fits there)")
    ap.add_argument("--source-lr-scale", type=float, default=10.0, help="learning rate multiplier of the source path")
    ap.add_argument("--gta", action="store_true", help="fine-tune on FastSpeech 2 ground-truth-aligned mels")
    ap.add_argument("--init", type=Path, default=None, help="start a new run from this checkpoint's generator")
    ap.add_argument("--save-every", type=int, default=500)
    ap.add_argument("--keep-every", type=int, default=0, help="also keep the generator of every Nth step (for evals)")
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--ema", type=float, default=0.0, help="decay of a moving average of the generator (0: off)")
    ap.add_argument(
        "--disc-warmup", type=int, default=0,
        help="steps from --gan-start in which only a fresh discriminator trains (the generator is held)",
    )  # fmt: skip
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    args.ckpt.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)

    clips = load_clips(args.corpus, args.gta)
    n_valid = min(20, max(1, len(clips) // 10))
    valid, clips = clips[-n_valid:], clips[:-n_valid]
    print(f"{len(clips)} clips, {sum(len(c.audio) for c in clips) / AUDIO.sample_rate / 3600:.2f} h", flush=True)

    device = torch.device(args.device)
    cfg = vocoder_preset(args.preset)
    gen = Generator(cfg).to(device)
    # the source path starts at zero inside a trained generator: a higher rate lets it grow (alone it did not
    # displace the frame-rate comb in 1 500 steps; see models/vocoders/MODEL_CARD.md)
    source_params = list(gen.source_convs.parameters())
    other_params = [p for n, p in gen.named_parameters() if not n.startswith("source_convs")]
    opt_g = torch.optim.AdamW(
        [{"params": other_params}, {"params": source_params, "lr": args.lr * args.source_lr_scale}],
        lr=args.lr, betas=(0.8, 0.99),
    )  # fmt: skip
    disc: torch.nn.Module | None = None
    if args.gan == "mrd":
        disc = MultiResolutionDiscriminator().to(device)
    elif args.gan == "mrd+mpd":  # UnivNet's pair, the period set slimmed for a CPU
        disc = torch.nn.ModuleList(
            [MultiResolutionDiscriminator(), MultiPeriodDiscriminator(channels=SLIM_PERIOD_CHANNELS)]
        )
    elif args.gan == "paper":
        disc = torch.nn.ModuleList([MultiPeriodDiscriminator(), MultiScaleDiscriminator()]).to(device)
    opt_d = torch.optim.AdamW(disc.parameters(), lr=args.lr, betas=(0.8, 0.99)) if disc is not None else None
    # an adversarial run's generator swings from one snapshot to the next (0.1 DNSMOS within a few hundred
    # steps); the average of its recent weights is steadier
    ema = AveragedModel(gen, multi_avg_fn=get_ema_multi_avg_fn(args.ema)) if args.ema else None

    step = 0
    latest = args.ckpt / "latest.pt"
    if latest.exists():
        state = torch.load(latest, map_location="cpu", weights_only=False)
        gen.load_state_dict(state["gen"])
        if len(state["opt_g"]["param_groups"]) == len(opt_g.param_groups):
            opt_g.load_state_dict(state["opt_g"])
        else:
            print("optimizer state from another parameter grouping: starting it afresh", flush=True)
        if disc is not None and opt_d is not None and state.get("disc_kind") == args.gan:
            disc.load_state_dict(state["disc"])
            opt_d.load_state_dict(state["opt_d"])
        elif isinstance(disc, torch.nn.ModuleList) and args.gan == "mrd+mpd" and state.get("disc_kind") == "mrd":
            disc[0].load_state_dict(state["disc"])  # an MRD run goes on with the period set added beside it
            print("kept the MRD of the previous run; the period discriminator starts afresh", flush=True)
        if ema is not None and "gen_ema" in state:
            ema.module.load_state_dict(state["gen_ema"])
            ema.n_averaged.fill_(1)  # averaging goes on rather than restarting from the current weights
        step = state["step"]
        print(f"resumed at step {step}", flush=True)
    elif args.init is not None:
        step = warm_start(gen, args.init)
        print(f"initialised from {args.init} (step {step})", flush=True)
    teachers = run_teachers(args.corpus, state if latest.exists() else None, args.init)
    print(f"teachers of this vocoder's data: {', '.join(teachers)}", flush=True)
    print(f"generator {sum(p.numel() for p in gen.parameters()) / 1e6:.2f} M params, {json.dumps(cfg.to_dict())}")

    def run_disc(real: torch.Tensor, fake: torch.Tensor) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
        assert disc is not None
        members = list(disc) if isinstance(disc, torch.nn.ModuleList) else [disc]
        rs, fs, rf, ff = [], [], [], []
        for d in members:
            a, b, c, e = d(real, fake)
            rs += a
            fs += b
            rf += c
            ff += e
        return rs, fs, rf, ff

    t_end = time.time() + args.hours * 3600
    t_log, acc = time.time(), dict[str, float]()
    while step < args.max_steps and time.time() < t_end:
        real, gta_mel, source = sample_batch(clips, args.batch, args.segment, rng, cfg.source_noise)
        real, source = real.to(device), source.to(device)
        gta_mel = gta_mel.to(device) if gta_mel is not None else None
        mel = mel_spectrogram(real, AUDIO)
        adversarial = disc is not None and step >= args.gan_start
        # a fresh discriminator's first gradients are noise that a trained generator would follow (P808 fell
        # 0.06-0.24 within 800 steps of one): during the warm-up it learns real from fake while the generator waits
        holding = adversarial and step < args.gan_start + args.disc_warmup
        with torch.set_grad_enabled(not holding):  # a held generator needs no graph
            fake = gen(gta_mel if gta_mel is not None else mel, source)
        if adversarial:
            assert opt_d is not None
            rs, fs, _, _ = run_disc(real, fake.detach())
            loss_d = discriminator_loss(rs, fs)
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
            acc["disc"] = acc.get("disc", 0.0) + float(loss_d.detach())
        if not holding:
            mel_l1 = F.l1_loss(mel_spectrogram(fake, AUDIO), mel)
            stft = multi_resolution_stft_loss(fake, real)
            loss = 45.0 * mel_l1 + 2.5 * stft
            if adversarial:
                _, fs, rf, ff = run_disc(real, fake)
                adv, fm = generator_adversarial_loss(fs), feature_matching_loss(rf, ff)
                loss = loss + adv + fm
                acc["adv"] = acc.get("adv", 0.0) + float(adv.detach())
            opt_g.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(gen.parameters(), 10.0)
            opt_g.step()
            if ema is not None:
                ema.update_parameters(gen)
            acc["mel"] = acc.get("mel", 0.0) + float(mel_l1.detach())
            acc["stft"] = acc.get("stft", 0.0) + float(stft.detach())
        step += 1
        if step % args.log_every == 0:
            dt = (time.time() - t_log) / args.log_every
            print(progress_line(step, acc, args.log_every, dt), flush=True)
            t_log, acc = time.time(), dict[str, float]()
        if step % args.save_every == 0 or time.time() >= t_end:
            with torch.no_grad():
                gen.eval()
                val = []
                for clip in valid:
                    x = torch.from_numpy(clip.audio[: len(clip.audio) // 256 * 256] / 32768.0).float()[None].to(device)
                    m = mel_spectrogram(x, AUDIO)
                    n = m.shape[2]
                    m_in = (
                        torch.from_numpy(clip.gta.astype(np.float32))[None, :, :n].to(device)
                        if clip.gta is not None
                        else m
                    )
                    noise_seed = 0 if cfg.source_noise else None  # as the engine builds it
                    src = torch.from_numpy(
                        harmonic_source(clip.f0[:n], clip.voiced[:n], 256, AUDIO.sample_rate, 0.0, noise_seed)
                    )
                    val.append(float(F.l1_loss(mel_spectrogram(gen(m_in, src[None].to(device)), AUDIO), m)))
                gen.train()
            state = {
                "gen": gen.state_dict(),
                "opt_g": opt_g.state_dict(),
                "step": step,
                "config": cfg.to_dict(),
                "val_mel": float(np.mean(val)),
                "teachers": teachers,
            }
            if disc is not None and opt_d is not None:
                state |= {"disc": disc.state_dict(), "opt_d": opt_d.state_dict(), "disc_kind": args.gan}
            if ema is not None:
                state["gen_ema"] = ema.module.state_dict()
            torch.save(state, latest.with_suffix(".tmp"))
            latest.with_suffix(".tmp").replace(latest)
            if args.keep_every and step % args.keep_every == 0:
                kept = ("gen", "step", "config", "val_mel", "teachers")
                torch.save({k: state[k] for k in kept}, args.ckpt / f"gen_{step}.pt")
                if ema is not None:  # the same layout, so export and evals take either file
                    averaged = {k: state[k] for k in kept} | {"gen": state["gen_ema"]}
                    torch.save(averaged, args.ckpt / f"gen_ema_{step}.pt")
            print(f"saved step {step} valid mel L1 {np.mean(val):.4f}", flush=True)


if __name__ == "__main__":
    main()
