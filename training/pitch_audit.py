"""Audit a corpus's pitch labels against an independent tracker: how often does a labeller jump an octave?

For a sample of a corpus's clips, reads F0 per mel frame with each labelling tracker (WORLD Harvest, which
labelled the corpora before 2026-12-06, and Praat's autocorrelation, which labels them now) and with CREPE
(torchcrepe's "tiny" network, a learned tracker that shares nothing with either), and prints, per labeller, the
share of frames voiced for both where the two differ by more than 5 semitones, and the median F0.

    python -m training.pitch_audit --corpus /work/state/corpus/joe --f0-range 70 300 --clips 100
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import types
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr
import torch

from app.audio.config import AudioConfig
from training.features import PITCH_METHODS, pitch_track

AUDIO = AudioConfig()
CREPE_RATE, CREPE_HOP = 16000, 160
JUMP_ST = 5.0


def crepe_track(audio: np.ndarray, n_frames: int, f0_range: tuple[float, float]) -> np.ndarray:
    """CREPE tiny's F0 at the mel frame centres, 0 where its periodicity is under 0.5."""
    # torchcrepe imports torchaudio for its file loader only, and no torchaudio build matches torch 2.13:
    # a placeholder module stands in (nothing here loads files through it)
    sys.modules.setdefault("torchaudio", types.ModuleType("torchaudio"))
    import torchcrepe

    x = torch.from_numpy(soxr.resample(audio, AUDIO.sample_rate, CREPE_RATE)).float().unsqueeze(0)
    f0, periodicity = torchcrepe.predict(
        x,
        CREPE_RATE,
        hop_length=CREPE_HOP,
        fmin=f0_range[0],
        fmax=f0_range[1],
        model="tiny",
        decoder=torchcrepe.decode.weighted_argmax,
        return_periodicity=True,
        batch_size=512,
        device="cpu",
    )
    f0_np, per = f0[0].numpy(), periodicity[0].numpy()
    times = np.arange(len(f0_np)) * CREPE_HOP / CREPE_RATE  # torchcrepe centres frame k at k * hop
    centres = (np.arange(n_frames) + 0.5) * AUDIO.hop_length / AUDIO.sample_rate
    voiced = np.interp(centres, times, (per >= 0.5).astype(np.float64)) >= 0.5
    return np.where(voiced, np.interp(centres, times, f0_np), 0.0)


def jump_share(labels: np.ndarray, reference: np.ndarray) -> tuple[float, int]:
    """(share of frames voiced in both that differ by more than JUMP_ST semitones, how many such frames)."""
    both = (labels > 0) & (reference > 0)
    if not both.any():
        return 0.0, 0
    apart = np.abs(12.0 * np.log2(labels[both] / reference[both])) > JUMP_ST
    return float(apart.mean()), int(both.sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--f0-range", type=float, nargs=2, default=[70.0, 300.0], metavar=("FLOOR", "CEIL"))
    ap.add_argument("--clips", type=int, default=100, help="clips sampled evenly across the corpus")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    torch.set_num_threads(1)
    f0_range = (args.f0_range[0], args.f0_range[1])
    wavs = sorted((args.corpus / "wavs").glob("*.wav"))
    sample = wavs[:: max(1, len(wavs) // args.clips)][: args.clips]
    t0 = time.time()
    frames: dict[str, list[np.ndarray]] = {m: [] for m in (*PITCH_METHODS, "crepe")}
    for path in sample:
        audio, _ = sf.read(path, dtype="float32")
        n = len(audio) // AUDIO.hop_length
        for method in PITCH_METHODS:
            frames[method].append(pitch_track(audio, AUDIO, f0_range, method)[:n])
        frames["crepe"].append(crepe_track(audio, n, f0_range))
    reference = np.concatenate(frames["crepe"])
    report = {"clips": len(sample), "f0_range": list(f0_range), "jump_semitones": JUMP_ST, "trackers": {}}
    print(f"{len(sample)} clips of {args.corpus} in {time.time() - t0:.0f}s; reference: CREPE tiny")
    print(f"{'labeller':<10}{'median Hz':>10}{f'> {JUMP_ST:g} st from CREPE':>22}{'frames':>8}")
    for method in PITCH_METHODS:
        labels = np.concatenate(frames[method])
        share, both = jump_share(labels, reference)
        median = float(np.median(labels[labels > 0]))
        report["trackers"][method] = {"median_hz": median, "jump_share": share, "frames_compared": both}  # type: ignore[index]
        print(f"{method:<10}{median:>10.1f}{100 * share:>21.1f}%{both:>8}")
    print(f"{'crepe':<10}{float(np.median(reference[reference > 0])):>10.1f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
