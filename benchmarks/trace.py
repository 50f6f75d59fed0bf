"""A timeline of one burst of concurrent streams: where each stream's time to first audio goes.

Starts --streams streams of the same input at once and records, relative to their common start, when each
stream's text front end finished and its first audio arrived, and every batch the scheduler ran (network,
jobs in it, start, end). Prints the timeline and a summary: how much of the burst the inference batches
kept busy, and the first-audio times.

    python -m benchmarks.trace [--streams 8] [--input medium] [--backend torch --device cuda]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.engine.engine import Engine
from app.engine.types import SynthesisOptions
from app.engine.voice import Voice
from benchmarks.latency import INPUTS, settings_for

Event = dict[str, Any]


def traced(method: Callable[[Any, Sequence[Any]], Any], name: str, events: list[Event], t0: list[float]):
    """A Voice stage (run_acoustic / run_vocoder) that records when each batch ran, on which thread."""

    def timed(self: Any, jobs: Sequence[Any]) -> Any:
        start = time.perf_counter()
        out = method(self, jobs)
        end = time.perf_counter()
        width = jobs[0][0].shape[-1] if name == "vocoder" else max(len(j.ids) for j in jobs)
        events.append({"what": name, "jobs": len(jobs), "size": int(width), "start_ms": (start - t0[0]) * 1000,
                       "end_ms": (end - t0[0]) * 1000, "thread": threading.current_thread().name})  # fmt: skip
        return out

    return timed


async def burst(engine: Engine, text: str, streams: int, events: list[Event], t0: list[float]) -> list[Event]:
    firsts: list[Event] = []
    real_plan = engine.plan

    def plan(*args: Any, **kwargs: Any) -> Any:
        out = real_plan(*args, **kwargs)
        events.append({"what": "front end done", "end_ms": (time.perf_counter() - t0[0]) * 1000})
        return out

    engine.plan = plan  # type: ignore[method-assign]

    async def one(i: int) -> None:
        async for chunk in engine.stream(text, SynthesisOptions()):
            if len(chunk.samples):
                firsts.append({"what": "first audio", "stream": i, "end_ms": (time.perf_counter() - t0[0]) * 1000})
                break

    t0[0] = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(streams)))
    engine.plan = real_plan  # type: ignore[method-assign]
    return firsts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--streams", type=int, default=8)
    ap.add_argument("--input", default="medium", choices=list(INPUTS))
    ap.add_argument("--rounds", type=int, default=3, help="bursts run; the last is printed")
    ap.add_argument("--backend", default=None, choices=["onnx", "torch"])
    ap.add_argument("--device", default=None, choices=["cpu", "cuda"])
    ap.add_argument("--out", type=Path, default=None, help="write the events as JSON here")
    args = ap.parse_args()
    engine = Engine.load(settings_for(args.backend, args.device).engine_config())
    asyncio.run(engine.warmup())
    events: list[Event] = []
    t0 = [0.0]
    Voice.run_acoustic = traced(Voice.run_acoustic, "acoustic", events, t0)  # type: ignore[method-assign]
    Voice.run_vocoder = traced(Voice.run_vocoder, "vocoder", events, t0)  # type: ignore[method-assign]
    firsts: list[Event] = []
    for _ in range(args.rounds):
        events.clear()
        firsts = asyncio.run(burst(engine, INPUTS[args.input], args.streams, events, t0))
    last = max(f["end_ms"] for f in firsts)
    shown = sorted((e for e in events + firsts if e["end_ms"] <= last + 1), key=lambda e: e["end_ms"])
    s = engine.config
    print(f"{args.streams} streams of {args.input!r} at once; {s.backend} on {s.device}, max_batch {s.batch_limit}, "
          f"workers {s.inference_workers}\n")  # fmt: skip
    for e in shown:
        if "start_ms" in e:
            print(f"{e['start_ms']:8.1f} -> {e['end_ms']:6.1f} ms  {e['what']:<9} x{e['jobs']:<3} size {e['size']:<5}"
                  f"[{e['thread']}]")  # fmt: skip
        else:
            print(f"{'':11}{e['end_ms']:6.1f} ms  {e['what']}" + (f" (stream {e['stream']})" if "stream" in e else ""))
    batches = [e for e in events if "start_ms" in e and e["end_ms"] <= last + 1]
    busy = sum(e["end_ms"] - e["start_ms"] for e in batches)
    ttfa = sorted(f["end_ms"] for f in firsts)
    print(f"\nfirst audio: p50 {statistics.median(ttfa):.1f} ms, last {ttfa[-1]:.1f} ms; batches ran {busy:.1f} ms "
          f"of those {last:.1f} ms ({len(batches)} batches)")  # fmt: skip
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"events": events, "firsts": firsts}, indent=1) + "\n")
    asyncio.run(engine.close())


if __name__ == "__main__":
    main()
