"""How much flatter than its data an acoustic model speaks: the pitch variance to restore at inference.

A FastSpeech 2 trained with a squared loss predicts the mean of plausible contours, so its phone pitch varies
less than the teacher's (the "global variance" problem of statistical speech synthesis). On the held-out
utterances of a corpus (the last --valid, as train_acoustic holds them out) with the teacher's durations, this
prints the ratio of the label's per-utterance pitch spread to the prediction's; export writes it into the voice
as `pitch_variance` (`training.export voice --pitch-variance`), which multiplies the predicted deviation from
the speaker's mean at inference.

    python -m training.variance --ckpt /work/state/ckpt/acoustic_joe/latest.pt --corpus /work/state/corpus/joe
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from app.acoustic.config import AcousticConfig
from app.acoustic.fastspeech2 import FastSpeech2
from training.train_acoustic import PAUSE_IDS, collate, load_corpus


def pitch_spread_ratio(model: FastSpeech2, items: list[dict[str, np.ndarray]], cfg: AcousticConfig) -> float:
    """Mean over utterances of the labels' pitch std, over the mean of the predictions' (real phones only)."""
    label_sd, pred_sd = [], []
    with torch.no_grad():
        for item in items:
            batch = collate([item], cfg)
            out = model(batch["phones"], batch["speakers"], target_durations=batch["durations"])
            real = (batch["durations"][0] > 0) & ~torch.isin(batch["phones"][0], PAUSE_IDS)
            if int(real.sum()) < 3:
                continue
            label_sd.append(float(batch["pitch"][0][real].std()))
            pred_sd.append(float(out.pitch[0][real].std()))
    return float(np.mean(label_sd)) / max(float(np.mean(pred_sd)), 1e-6)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ckpt", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--speaker", type=int, default=0, help="the corpus's speaker id in the model")
    ap.add_argument("--valid", type=int, default=40)
    args = ap.parse_args()
    state = torch.load(args.ckpt, map_location="cpu", weights_only=False)
    cfg = AcousticConfig.from_dict(state["config"])
    model = FastSpeech2(cfg)
    model.load_state_dict(state["model"])
    model.eval()
    items = load_corpus(args.corpus, args.speaker)[-args.valid :]
    ratio = pitch_spread_ratio(model, items, cfg)
    print(f"{len(items)} held-out utterances: label pitch spread / predicted = {ratio:.3f}")


if __name__ == "__main__":
    main()
