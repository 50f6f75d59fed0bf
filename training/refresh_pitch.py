"""Stage 2b: relabel a corpus's phone-level F0 with another tracker or range (resumable).

Rewrites each utterance's pitch in feats/<id>.npz and marks it with the method and range
(`f0_method = praat-70-300`); utterances already marked so are skipped, so the stage can be stopped and
resumed. Corpora labelled before 2026-12-06 carry WORLD Harvest's F0, which jumps an octave up over whole
stretches of the low Piper joe teacher: relabel them with Praat (`training.pitch_audit` measures both).

    python -m training.refresh_pitch --corpus /work/state/corpus/joe --f0-range 70 300 --workers 2
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from training.corpus import phone_log_f0, pitch_label
from training.features import PITCH_METHODS


def refresh(job: tuple[Path, tuple[float, float], str]) -> bool:
    path, f0_range, method = job
    feats = dict(np.load(path))
    label = pitch_label(method, f0_range)
    if str(feats.get("f0_method", "")) == label:
        return False
    audio, _ = sf.read(path.parent.parent / "wavs" / f"{path.stem}.wav", dtype="float32")
    feats["pitch"] = phone_log_f0(audio, feats["durations"], method, f0_range)
    feats["f0_method"] = np.array(label)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **feats)
    tmp.replace(path)
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--f0-range", type=float, nargs=2, default=[60.0, 400.0], metavar=("FLOOR", "CEIL"))
    ap.add_argument("--pitch-method", default="praat", choices=PITCH_METHODS)
    args = ap.parse_args()
    f0_range = (args.f0_range[0], args.f0_range[1])
    files = [
        (f, f0_range, args.pitch_method) for f in sorted((args.corpus / "feats").glob("*.npz")) if ".tmp" not in f.name
    ]
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
