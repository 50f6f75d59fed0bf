"""Per voice, single stream, in-process: medium sentence time to first chunk and real-time factor.

Voices alternate within each repeat so both see the same machine; the first two repeats warm up.

    python -m benchmarks.per_voice [--voices-dir DIR] [--repeats 12]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

import numpy as np

from app.engine.config import EngineConfig
from app.engine.engine import Engine
from app.engine.types import SynthesisOptions
from benchmarks.latency import MEDIUM

WARMUP = 2


async def measure(voices_dir: Path | None, repeats: int) -> dict[str, dict[str, float]]:
    engine = Engine.load(EngineConfig() if voices_dir is None else EngineConfig(voices_dir=voices_dir))
    await engine.warmup()
    voices = sorted(engine.voices)
    ttfa: dict[str, list[float]] = {v: [] for v in voices}
    rtf: dict[str, list[float]] = {v: [] for v in voices}
    try:
        for rep in range(repeats + WARMUP):
            for voice in voices:
                options = SynthesisOptions(voice=voice)
                start, first = time.perf_counter(), 0.0
                async for _ in engine.stream(MEDIUM, options):
                    first = first or time.perf_counter() - start
                start = time.perf_counter()
                audio, _ = await engine.synthesize(MEDIUM, options)
                whole = time.perf_counter() - start
                if rep >= WARMUP:
                    ttfa[voice].append(first * 1000)
                    rtf[voice].append(whole / (len(audio) / engine.voice(voice).sample_rate))
    finally:
        await engine.close()
    return {v: {"ttfa_ms_p50": float(np.median(ttfa[v])), "rtf_p50": float(np.median(rtf[v]))} for v in voices}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--voices-dir", type=Path, default=None)
    ap.add_argument("--repeats", type=int, default=10)
    args = ap.parse_args()
    for voice, row in asyncio.run(measure(args.voices_dir, args.repeats)).items():
        print(f"{voice:<8} TTFA p50 {row['ttfa_ms_p50']:6.1f} ms   RTF p50 {row['rtf_p50']:.4f}")


if __name__ == "__main__":
    main()
