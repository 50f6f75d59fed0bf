"""Stage 4b: ground-truth-aligned mels for vocoder fine-tuning.

FastSpeech 2 run with the corpus's own durations, pitch and energy produces mels frame-aligned with the
real audio but carrying the acoustic model's smoothing; fine-tuning the vocoder on (GTA mel → real audio)
teaches it to turn the model's mels, not only perfect ones, into clean audio. With --voice the mels come from a
shipped bundle exactly as served: its weights, speaker and mel postfilter.

    python -m training.gta --corpus /work/state/corpus/joe --ckpt /work/state/ckpt/acoustic_joe/latest.pt
    python -m training.gta --corpus /work/state/corpus/joe --voice models/joe
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from app.acoustic.config import AcousticConfig
from app.acoustic.fastspeech2 import FastSpeech2
from app.acoustic.postfilter import MelPostfilter
from app.engine.bundle import VoiceBundle
from training.train_acoustic import collate, load_corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, required=True)
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument("--ckpt", type=Path, help="a training checkpoint (train_acoustic's latest.pt)")
    source.add_argument("--voice", type=Path, help="a voice bundle (models/<voice>): weights, speaker, postfilter")
    ap.add_argument("--speaker", type=int, default=0, help="with --ckpt (a bundle names its own)")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    postfilter, speaker = MelPostfilter(), args.speaker
    if args.voice is not None:
        bundle = VoiceBundle.load(args.voice)
        cfg, postfilter, speaker = bundle.acoustic, bundle.postfilter, bundle.speaker_id
        weights = {k: v.float() for k, v in torch.load(bundle.files["acoustic.pt"], map_location="cpu").items()}
        step = f"{bundle.name} bundle"
    else:
        state = torch.load(args.ckpt, map_location="cpu", weights_only=False)
        cfg, weights, step = AcousticConfig.from_dict(state["config"]), state["model"], str(state["step"])
    model = FastSpeech2(cfg)
    model.load_state_dict(weights)
    model.eval()
    out = args.corpus / "gta"
    out.mkdir(exist_ok=True)
    items = load_corpus(args.corpus, speaker)
    t0 = time.time()
    with torch.no_grad():
        for n, item in enumerate(items, 1):
            b = collate([item], cfg)
            o = model(b["phones"], b["speakers"], target_durations=b["durations"], target_pitch=b["pitch"],
                      target_energy=b["energy"])  # fmt: skip
            np.save(out / f"{item['id']}.npy", postfilter(o.mel[0].numpy()).astype(np.float16))
            if n % 500 == 0:
                print(f"{n}/{len(items)} in {time.time() - t0:.0f}s", flush=True)
    print(f"wrote {len(items)} GTA mels (acoustic {step}, postfilter {postfilter.to_dict()}) to {out}")


if __name__ == "__main__":
    main()
