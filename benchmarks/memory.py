"""Memory under varied inputs: resident memory of the in-process engine over many syntheses of mixed lengths.

Each configuration runs in a fresh process: warm up, then synthesize --requests texts (1 to 4 sentences drawn
from a fixed pool of mixed lengths, both voices, --concurrency at a time), sampling RSS as it
goes. Compares onnxruntime with and without its CPU memory arena (TTS_ONNX_MEMORY_ARENA), the setting that
decides whether memory taken for a long input is ever given back.

    python -m benchmarks.memory                      # 400 requests, 8 at a time, both settings
    python -m benchmarks.memory --requests 2000 --json benchmarks/results/memory.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

POOL = [
    "Turn on the kitchen lights.",
    "Your flight to Boston leaves at seven fifteen tomorrow morning from gate twelve, so leave early.",
    "The birch canoe slid on the smooth planks.",
    "It's 3:45 PM on Tuesday, December 1st, and the temperature is 21 degrees.",
    "I found three coffee shops near you that are open now; the closest is 400 meters away.",
    "Merchants arrived from across the sea, bringing spices, cloth and new ideas to the old market square.",
    "Call Dr. Smith at 555-0134 about the $1,250.50 invoice.",
    "Yes.",
    "Would you like me to read the next message, skip it, or mark everything as read?",
    "A great fire destroyed much of the wooden harbor district, but the people rebuilt it in brick within a "
    "decade, and railways followed, with factories that made glass, paper and machine parts for the region.",
    "Remember to water the plants before you leave tomorrow.",
    "The package should arrive on Friday between noon and four.",
]


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def run_one(arena: bool, requests: int, concurrency: int, seed: int) -> dict[str, Any]:
    from app.engine.config import EngineConfig
    from app.engine.engine import Engine
    from app.engine.types import SynthesisOptions

    pool = POOL
    rng = random.Random(seed)
    engine = Engine.load(EngineConfig(onnx_memory_arena=arena))
    asyncio.run(engine.warmup())
    start = rss_mib()
    t0 = time.perf_counter()
    samples: list[tuple[int, float]] = []
    audio_s = 0.0

    async def load() -> None:
        nonlocal audio_s
        done = 0
        while done < requests:
            texts = [" ".join(rng.sample(pool, rng.choice([1, 1, 2, 4]))) for _ in range(concurrency)]
            voices = [rng.choice(sorted(engine.voices)) for _ in texts]
            results = await asyncio.gather(
                *(engine.synthesize(t, SynthesisOptions(voice=v)) for t, v in zip(texts, voices, strict=True))
            )
            audio_s += sum(len(a) / engine.voice(v).sample_rate for (a, _), v in zip(results, voices, strict=True))
            done += len(texts)
            samples.append((done, round(rss_mib(), 1)))

    asyncio.run(load())
    end = rss_mib()
    return {
        "memory_arena": arena,
        "requests": samples[-1][0],
        "rss_start_mib": round(start, 1),
        "rss_end_mib": round(end, 1),
        "rss_max_mib": max(r for _, r in samples),
        "growth_pct": round(100 * (end / start - 1), 1),
        "wall_s": round(time.perf_counter() - t0, 1),
        "audio_s": round(audio_s, 1),
        "samples": samples,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--child", choices=["arena", "lean"], default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        result = run_one(args.child == "arena", args.requests, args.concurrency, args.seed)
        print(json.dumps(result))
        return
    rows = []
    for kind in ("arena", "lean"):
        cmd = [sys.executable, "-m", "benchmarks.memory", "--child", kind, "--requests", str(args.requests),
               "--concurrency", str(args.concurrency), "--seed", str(args.seed)]  # fmt: skip
        env = {"MALLOC_ARENA_MAX": "2", **os.environ}  # as scripts/serve.sh and the image run the server
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{args.requests} syntheses of 1-4 sentences, {args.concurrency} at a time, both voices, one process each\n")
    print(f"{'onnxruntime memory':<22}{'RSS start':>10}{'end':>8}{'max':>8}{'growth':>9}{'wall s':>8}{'x RT':>7}")
    for r in rows:
        name = "arena + patterns" if r["memory_arena"] else "no arena (default)"
        print(f"{name:<22}{r['rss_start_mib']:>10.0f}{r['rss_end_mib']:>8.0f}{r['rss_max_mib']:>8.0f}"
              f"{r['growth_pct']:>8.1f}%{r['wall_s']:>8.1f}{r['audio_s'] / r['wall_s']:>7.1f}")  # fmt: skip
    arena, lean = rows
    print(f"\nno arena / arena: end RSS {lean['rss_end_mib'] / arena['rss_end_mib']:.2f}, "
          f"wall time {lean['wall_s'] / arena['wall_s']:.2f}")  # fmt: skip
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
