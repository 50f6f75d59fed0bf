"""Stage 2b: recompute a corpus's F0 with Harvest (resumable), e.g. within a narrower range for a teacher that creaks.

Rewrites each utterance's phone-level pitch in feats/<id>.npz and marks it with the method and range
(`f0_method = harvest-70-300`); utterances already marked so are skipped, so the stage can be stopped and
resumed. The Piper joe teacher creaks at phrase ends (5-15 % of voiced frames under 70 Hz), which a harmonic
source renders as a hum: a floor above the creak keeps those frames out of the contour.

    python -m training.refresh_pitch --corpus /work/state/corpus/joe --f0-range 70 300 --workers 2
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from app.audio.config import AudioConfig
from app.audio.features import pitch_track
from training.corpus import phone_average

AUDIO = AudioConfig()


def method_name(f0_range: tuple[float, float]) -> str:
    return f"harvest-{f0_range[0]:g}-{f0_range[1]:g}"


def refresh(job: tuple[Path, tuple[float, float]]) -> bool:
    path, f0_range = job
    feats = dict(np.load(path))
    if str(feats.get("f0_method", "")) == method_name(f0_range):
        return False
    audio, _ = sf.read(path.parent.parent / "wavs" / f"{path.stem}.wav", dtype="float32")
    f0 = pitch_track(audio, AUDIO, f0_range)[: int(feats["durations"].sum())]
    voiced = f0 > 0
    log_f0 = np.zeros_like(f0)
    if voiced.sum() >= 2:
        idx = np.arange(len(f0))
        log_f0 = np.interp(idx, idx[voiced], np.log(f0[voiced])).astype(np.float32)
    feats["pitch"] = phone_average(log_f0, feats["durations"])
    feats["f0_method"] = np.array(method_name(f0_range))
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **feats)
    tmp.replace(path)
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--f0-range", type=float, nargs=2, default=[60.0, 400.0], metavar=("FLOOR", "CEIL"))
    args = ap.parse_args()
    f0_range = (args.f0_range[0], args.f0_range[1])
    files = [(f, f0_range) for f in sorted((args.corpus / "feats").glob("*.npz")) if ".tmp" not in f.name]
    t0 = time.time()
    done = 0
    with mp.get_context("spawn").Pool(args.workers) as pool:
        for n, changed in enumerate(pool.imap_unordered(refresh, files, chunksize=8), 1):
            done += changed
            if n % 200 == 0:
                print(f"{n}/{len(files)} checked, {done} refreshed, {time.time() - t0:.0f}s", flush=True)
    print(f"refreshed {done} of {len(files)} utterances in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
