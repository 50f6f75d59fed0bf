"""Stage 2b: recompute a corpus's F0 with Harvest (resumable), for corpora built with the old DIO tracker.

Rewrites each utterance's phone-level pitch in feats/<id>.npz and marks it with `f0_method = harvest`;
utterances already marked are skipped, so the stage can be stopped and resumed.

    python -m training.refresh_pitch --corpus /work/state/corpus/joe --workers 2
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from app.audio.features import AudioConfig, pitch_track
from training.corpus import phone_average

AUDIO = AudioConfig()


def refresh(path: Path) -> bool:
    feats = dict(np.load(path))
    if str(feats.get("f0_method", "")) == "harvest":
        return False
    audio, _ = sf.read(path.parent.parent / "wavs" / f"{path.stem}.wav", dtype="float32")
    f0 = pitch_track(audio, AUDIO)[: int(feats["durations"].sum())]
    voiced = f0 > 0
    log_f0 = np.zeros_like(f0)
    if voiced.sum() >= 2:
        idx = np.arange(len(f0))
        log_f0 = np.interp(idx, idx[voiced], np.log(f0[voiced])).astype(np.float32)
    feats["pitch"] = phone_average(log_f0, feats["durations"])
    feats["f0_method"] = np.array("harvest")
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **feats)
    tmp.replace(path)
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    files = sorted((args.corpus / "feats").glob("*.npz"))
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
