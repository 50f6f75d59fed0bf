"""Where time to first audio goes: each pipeline stage timed alone, on one backend and device.

For the latency benchmark's short, medium and long inputs: the text front end (phrase planning and the
first phrase's G2P), one acoustic pass over the first phrase (batch 1 and 8), and vocoder windows of the
widths the engine uses (the first: 4 new frames with context; a middle one; the widest) at batch 1, 8 and 64.
Each figure is the median wall time of a call, outputs copied back to the host (as the engine does).

    python -m benchmarks.stages [--backend torch --device cuda] [--repeats 20]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from app.engine.backends import make_acoustic, make_vocoder
from app.engine.bundle import discover
from app.engine.plan import plan_phrases
from app.engine.types import SynthesisOptions
from app.text.frontend import TextFrontend
from benchmarks.latency import INPUTS, settings_for

VOCODER_BATCHES = (1, 8, 64)


def median_ms(call: Callable[[], Any], repeats: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        call()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--backend", default=None, choices=["onnx", "torch"])
    ap.add_argument("--device", default=None, choices=["cpu", "cuda"])
    ap.add_argument("--voice", default=None)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = ap.parse_args()
    settings = settings_for(args.backend, args.device)
    bundle = discover(settings.voices_dir)[args.voice or settings.default_voice]
    acoustic = make_acoustic(settings.backend, bundle, settings.device, settings.threads)
    vocoder = make_vocoder(
        settings.backend, bundle.vocoder, settings.device, settings.threads, int8=settings.int8_vocoder
    )
    frontend = TextFrontend()
    context = bundle.vocoder.context_frames
    hop = bundle.audio.hop_length
    widths = {"first": 4 + context, "middle": 32 + 2 * context, "widest": settings.max_window_frames + 2 * context}

    rows: list[dict[str, Any]] = []
    for name, text in INPUTS.items():

        def front_end(text: str = text) -> Any:
            phrases = plan_phrases(text, frontend, SynthesisOptions(), False)
            return next(p for p in phrases if p.speakable).analyze(frontend)

        seq = front_end()
        ids = np.asarray(seq.ids, dtype=np.int64)[None, :]
        row: dict[str, Any] = {"input": name, "phonemes": ids.shape[1], "front_end_ms": median_ms(front_end, 5, 1)}

        def acoustic_call(batch: int, ids: np.ndarray = ids) -> Any:
            b = np.repeat(ids, batch, axis=0)
            ones = np.ones(batch, np.float32)
            return acoustic(b, np.full(batch, bundle.speaker_id, np.int64), ones, ones * 0, ones)

        for batch in (1, 8):
            row[f"acoustic_b{batch}_ms"] = median_ms(functools.partial(acoustic_call, batch), args.repeats)
        rows.append(row)
    mel = acoustic_call(1)[0][0]  # the long input's first phrase, (n_mels, frames)
    voc: dict[str, float] = {}
    for label, width in widths.items():
        width = min(width, mel.shape[1])
        for batch in VOCODER_BATCHES:
            mels = np.repeat(mel[None, :, :width], batch, axis=0)
            source = np.zeros((batch, width * hop), np.float32) if bundle.vocoder.config.source else None
            voc[f"{label}_{width}f_b{batch}_ms"] = median_ms(functools.partial(vocoder, mels, source), args.repeats)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; {settings.backend} on {settings.device}\n")
    print(f"{'input':<8}{'phonemes':>9}{'front end':>11}{'acoustic b1':>13}{'b8':>8}   (ms)")
    for r in rows:
        print(
            f"{r['input']:<8}{r['phonemes']:>9}{r['front_end_ms']:>11.1f}{r['acoustic_b1_ms']:>13.1f}"
            f"{r['acoustic_b8_ms']:>8.1f}"
        )
    print("\nvocoder window (frames with context) × batch: ms per call")
    for key, ms in voc.items():
        print(f"  {key:<24}{ms:>8.2f}")
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": platform.machine(), "cores": os.cpu_count()}
    result = {**stamp, "backend": settings.backend, "device": settings.device, "rows": rows, "vocoder": voc}
    path = args.out / f"stages-{settings.backend}-{settings.device}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
