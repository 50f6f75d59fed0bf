"""Stage 4b: ground-truth-aligned mels for vocoder fine-tuning.

FastSpeech 2 run with the corpus's own durations, pitch and energy produces mels frame-aligned with the
real audio but carrying the acoustic model's smoothing; fine-tuning the vocoder on (GTA mel → real audio)
teaches it to turn the model's mels, not only perfect ones, into clean audio.

    python -m training.gta --corpus /work/state/corpus/joe --ckpt /work/state/ckpt/acoustic_joe/latest.pt
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from app.acoustic.config import AcousticConfig
from app.acoustic.fastspeech2 import FastSpeech2
from training.train_acoustic import collate, load_corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--ckpt", type=Path, required=True)
    ap.add_argument("--speaker", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    state = torch.load(args.ckpt, map_location="cpu", weights_only=False)
    cfg = AcousticConfig.from_dict(state["config"])
    model = FastSpeech2(cfg)
    model.load_state_dict(state["model"])
    model.eval()
    out = args.corpus / "gta"
    out.mkdir(exist_ok=True)
    items = load_corpus(args.corpus, args.speaker)
    t0 = time.time()
    with torch.no_grad():
        for n, item in enumerate(items, 1):
            b = collate([item], cfg)
            o = model(b["phones"], b["speakers"], target_durations=b["durations"], target_pitch=b["pitch"],
                      target_energy=b["energy"])  # fmt: skip
            np.save(out / f"{item['id']}.npy", o.mel[0].numpy().astype(np.float16))
            if n % 500 == 0:
                print(f"{n}/{len(items)} in {time.time() - t0:.0f}s", flush=True)
    print(f"wrote {len(items)} GTA mels (acoustic step {state['step']}) to {out}")


if __name__ == "__main__":
    main()
