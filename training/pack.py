"""Pack a corpus subset small enough to travel to a lent GPU machine (the device tool carries 64 MiB).

Copies clips in corpus order as FLAC (lossless, about half of the WAV size) with only the features the
vocoder trainer reads (phones, durations, pitch; the mels are recomputed from the audio), plus the corpus
card, so the result is itself a corpus that `training.train_vocoder --corpus` reads. Stops at --mib.

    python -m training.pack --corpus /work/state/corpus/joe --out .carry/joe --mib 48
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np
import soundfile as sf

VOCODER_FEATURES = ("phones", "durations", "pitch")


def pack(corpus: Path, out: Path, budget_bytes: int, gta: bool = False) -> tuple[int, float]:
    """Write the subset afresh; returns (clips, seconds of audio)."""
    shutil.rmtree(out, ignore_errors=True)
    (out / "wavs").mkdir(parents=True)
    (out / "feats").mkdir(exist_ok=True)
    if gta:
        (out / "gta").mkdir(exist_ok=True)
    shutil.copy(corpus / "corpus.json", out / "corpus.json")
    used, clips, seconds = 0, 0, 0.0
    for wav in sorted((corpus / "wavs").glob("*.wav")):
        feats_path = corpus / "feats" / f"{wav.stem}.npz"
        gta_path = corpus / "gta" / f"{wav.stem}.npy"
        if not feats_path.exists() or (gta and not gta_path.exists()):
            continue
        flac, npz = out / "wavs" / f"{wav.stem}.flac", out / "feats" / f"{wav.stem}.npz"
        audio, rate = sf.read(wav, dtype="int16")
        sf.write(flac, audio, rate, format="FLAC", subtype="PCM_16")
        feats = np.load(feats_path)
        np.savez_compressed(npz, **{k: feats[k] for k in VOCODER_FEATURES})
        if gta:  # half precision: the mels are log-magnitudes around -11..2, well inside float16
            np.save(out / "gta" / f"{wav.stem}.npy", np.load(gta_path).astype(np.float16))
        size = flac.stat().st_size + npz.stat().st_size
        size += (out / "gta" / f"{wav.stem}.npy").stat().st_size if gta else 0
        if used + size > budget_bytes:
            for path in (flac, npz, out / "gta" / f"{wav.stem}.npy"):
                path.unlink(missing_ok=True)
            break
        used += size
        clips += 1
        seconds += len(audio) / rate
    return clips, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--mib", type=float, default=48.0, help="size budget of the packed subset")
    ap.add_argument(
        "--gta", action="store_true", help="also pack ground-truth-aligned mels (clips without are skipped)"
    )
    args = ap.parse_args()
    clips, seconds = pack(args.corpus, args.out, int(args.mib * 2**20), args.gta)
    print(f"packed {clips} clips, {seconds / 60:.1f} min of audio into {args.out} (budget {args.mib} MiB)")


if __name__ == "__main__":
    main()
