"""Soak / overload run: the real server under locust load for a long time, watching its memory.

Starts the service (`python -m app serve`) on 127.0.0.1 at a free port, waits until /ready, runs headless
locust with benchmarks/locustfile.py (whole-utterance HTTP, streamed OpenAI endpoint, WebSocket) for the
given duration and user count, and samples the server's resident memory (RSS) every 10 s. Prints and
writes to benchmarks/results/soak.json: requests, failures (clean 503s -- load shed with Retry-After --
are not failures), latency percentiles per endpoint, the server's shed-load and error counters, and RSS at
start / end / max with its growth in %.

    python -m benchmarks.soak                         # 10 minutes, 8 users
    python -m benchmarks.soak --duration 60 --users 4 # a quick check
    python -m benchmarks.soak --duration 2h --users 32 --json /tmp/soak-2h.json

Exit status: 0 when the run completed with no failures and the server stayed up, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = ROOT / "benchmarks" / "locustfile.py"
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "soak.json"
READY_TIMEOUT_S = 600.0
# The locustfile reports a WebSocket "engine_busy" error (the socket's equivalent of a clean 503) as a
# failure; like the HTTP 503s it is shed load, so it is counted apart.
SHED_WS_ERRORS = ("engine_busy",)


def parse_duration(text: str) -> float:
    """'600', '90s', '10m', '2h', '1h30m' -> seconds."""
    text = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    parts = re.findall(r"(\d+(?:\.\d+)?)([hms])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 600, 90s, 10m, 1h30m)")
    return sum(float(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in parts)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_bytes(pid: int) -> int | None:
    """Resident memory of the process and its children (psutil, else /proc)."""
    try:
        import psutil

        try:
            process = psutil.Process(pid)
            total: int = process.memory_info().rss
            for child in process.children(recursive=True):
                with contextlib.suppress(psutil.Error):  # it may have just exited
                    total += child.memory_info().rss
            return total
        except psutil.Error:
            return None
    except ImportError:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            return None
    return None


@dataclass
class RssSampler:
    pid: int
    every_s: float
    samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, MiB)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        rss = rss_bytes(self.pid)
        if rss is not None:
            self.samples.append((round(time.monotonic() - self._t0, 1), round(rss / 2**20, 1)))

    def _run(self) -> None:
        self._sample()
        while not self._stop.wait(self.every_s):
            self._sample()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._sample()  # the end value, after the load stopped

    def summary(self) -> dict[str, Any]:
        if not self.samples:
            return {"samples": []}
        values = [mib for _, mib in self.samples]
        start, end = values[0], values[-1]
        # RSS also grows while caches and allocator arenas fill in the first minute; growth after that
        # is what a leak looks like.
        warm = next((mib for t, mib in self.samples if t >= min(60.0, self.samples[-1][0] / 4)), start)
        return {
            "start_mib": start,
            "end_mib": end,
            "max_mib": max(values),
            "growth_pct": round(100.0 * (end - start) / start, 1),
            "after_warmup_mib": warm,
            "growth_after_warmup_pct": round(100.0 * (end - warm) / warm, 1),
            "samples": self.samples,
        }


def get(url: str, timeout: float = 5.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def wait_ready(url: str, server: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode} before it was ready")
        try:
            status, _ = get(url + "/ready", timeout=2.0)
            if status == 200:
                return
        except (OSError, urllib.error.URLError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server was not ready after {timeout:.0f} s")
        time.sleep(0.5)


def server_counters(url: str) -> dict[str, float]:
    """The server's own error counters (tts_errors_total by kind): shed load and errors it answered."""
    try:
        status, text = get(url + "/metrics")
    except (OSError, urllib.error.URLError):
        return {}
    if status != 200:
        return {}
    counters: dict[str, float] = {}
    for match in re.finditer(r'^tts_errors_total\{kind="([^"]+)"\} ([0-9.e+]+)$', text, re.MULTILINE):
        counters[match.group(1)] = float(match.group(2))
    return counters


def read_locust_results(prefix: Path) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Locust's final stats (--json-file: exact, written at exit) and its failures by message (--csv)."""
    stats_path, failures_path = Path(f"{prefix}.json"), Path(f"{prefix}_failures.csv")
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else []
    failures = list(csv.DictReader(failures_path.open())) if failures_path.exists() else []
    return stats, failures


def percentile(histogram: dict[int, int], total: int, fraction: float) -> float | None:
    """Locust's rounded response-time histogram -> the time under which `fraction` of requests finished."""
    if not total:
        return None
    wanted = fraction * total
    seen = 0
    for ms in sorted(histogram):
        seen += histogram[ms]
        if seen >= wanted:
            return float(ms)
    return float(max(histogram))


def latency_row(entries: list[dict[str, Any]], duration_s: float) -> dict[str, Any]:
    histogram: dict[int, int] = {}
    for entry in entries:
        for ms, count in entry["response_times"].items():
            histogram[int(float(ms))] = histogram.get(int(float(ms)), 0) + count
    requests = sum(entry["num_requests"] for entry in entries)
    total_ms = sum(entry["total_response_time"] for entry in entries)
    longest = max((entry["max_response_time"] or 0.0 for entry in entries), default=0.0)

    def at(fraction: float) -> float | None:  # histogram buckets are rounded (to 10 ms above 100 ms)
        value = percentile(histogram, requests, fraction)
        return None if value is None else round(min(value, longest), 1)

    return {
        "requests": requests,
        "failures": sum(entry["num_failures"] for entry in entries),
        "rps": round(requests / duration_s, 2) if duration_s else None,
        "avg_ms": round(total_ms / requests, 1) if requests else None,
        **{f"p{round(q * 100)}_ms": at(q) for q in (0.5, 0.9, 0.95, 0.99)},
        "max_ms": round(longest, 1) if requests else None,
    }


def summarize(
    stats: list[dict[str, Any]], failures: list[dict[str, str]], counters: dict[str, float], duration_s: float
) -> dict[str, Any]:
    shed_ws = sum(int(f["Occurrences"]) for f in failures if any(code in f["Error"] for code in SHED_WS_ERRORS))
    overall = latency_row(stats, duration_s)
    failed = max(0, overall["failures"] - shed_ws)
    return {
        "requests": overall["requests"],
        "failures": failed,
        "failure_rate_pct": round(100.0 * failed / overall["requests"], 3) if overall["requests"] else None,
        "shed": {
            # HTTP 503 + Retry-After count as successes in the locustfile; the server counts all of them
            "server_engine_busy": counters.get("engine_busy", 0.0),
            "server_timeout": counters.get("timeout", 0.0),
            "ws_engine_busy_counted_as_failures_by_locust": shed_ws,
        },
        "failure_kinds": [
            {"name": f["Name"], "error": f["Error"], "count": int(f["Occurrences"])}
            for f in failures
            if not any(code in f["Error"] for code in SHED_WS_ERRORS)
        ],
        "server_error_counters": counters,
        "latency_ms": {f"{entry['method']} {entry['name']}": latency_row([entry], duration_s) for entry in stats}
        | {"all": overall},
    }


def stop(process: subprocess.Popen[bytes], grace_s: float = 30.0) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)  # uvicorn: graceful shutdown
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def print_report(result: dict[str, Any]) -> None:
    load, rss = result["load"], result["rss"]
    print(f"\nsoak: {result['duration_s']:.0f} s, {result['users']} users against {result['url']}")
    print(f"requests {load['requests']}, failures {load['failures']} ({load['failure_rate_pct']} %), "
          f"shed (clean 503 / engine_busy) {load['shed']['server_engine_busy']:.0f}")  # fmt: skip
    for kind in load["failure_kinds"]:
        print(f"  failure: {kind['count']} x {kind['name']}: {kind['error']}")
    print(f"\n{'endpoint':44} {'requests':>9} {'rps':>6} {'p50':>7} {'p90':>7} {'p95':>7} {'p99':>7} {'max':>7}  (ms)")
    for name, row in load["latency_ms"].items():
        cells = [row[k] for k in ("p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms")]
        print(f"{name[:44]:44} {row['requests']:>9} {row['rps'] or 0:>6.1f} "
              + " ".join(f"{c:>7.0f}" if c is not None else f"{'-':>7}" for c in cells))  # fmt: skip
    if rss.get("samples"):
        print(f"\nserver RSS: start {rss['start_mib']:.0f} MiB, end {rss['end_mib']:.0f} MiB, "
              f"max {rss['max_mib']:.0f} MiB; growth {rss['growth_pct']:+.1f} % "
              f"({rss['growth_after_warmup_pct']:+.1f} % after warm-up, {len(rss['samples'])} samples)")  # fmt: skip
    print(f"server: {'stayed up' if result['server_alive_at_end'] else 'DIED during the run'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=parse_duration, default=600.0, help="e.g. 600, 90s, 10m, 2h (10m)")
    parser.add_argument("--users", type=int, default=8, help="concurrent locust users (8)")
    parser.add_argument("--spawn-rate", type=float, default=None, help="users started per second (all at once)")
    parser.add_argument("--sample-every", type=float, default=10.0, help="seconds between RSS samples (10)")
    parser.add_argument("--locustfile", type=Path, default=LOCUSTFILE)
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"summary file ({DEFAULT_JSON.relative_to(ROOT)})"
    )
    parser.add_argument("--ready-timeout", type=float, default=READY_TIMEOUT_S)
    args = parser.parse_args(argv)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    workdir = Path(tempfile.mkdtemp(prefix="tts-soak-"))
    server_log = (workdir / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        env={"MALLOC_ARENA_MAX": "2", **os.environ, "PYTHONUNBUFFERED": "1"},  # as scripts/serve.sh and the image
    )
    print(f"server: pid {server.pid} on {url}; log {workdir / 'server.log'}", flush=True)
    try:
        started = time.monotonic()
        wait_ready(url, server, args.ready_timeout)
        print(f"ready after {time.monotonic() - started:.0f} s; load: {args.users} users for {args.duration:.0f} s",
              flush=True)  # fmt: skip
        sampler = RssSampler(server.pid, args.sample_every)
        sampler.start()
        prefix = workdir / "locust"
        command = [
            sys.executable, "-m", "locust", "-f", str(args.locustfile), "--headless", "--only-summary",
            "-H", url, "-u", str(args.users), "-r", str(args.spawn_rate or args.users),
            "-t", f"{max(1, round(args.duration))}s", "--stop-timeout", "30", "--csv", str(prefix),
            "--json-file", str(prefix),  # locust adds ".json"
            "--loglevel", "WARNING", "--exit-code-on-error", "0",
        ]  # fmt: skip
        load_started = datetime.now(UTC)
        locust = subprocess.run(command, cwd=ROOT, check=False)
        sampler.stop()
        alive = server.poll() is None
        counters = server_counters(url) if alive else {}
        stats, failures = read_locust_results(prefix)
        result = {
            "started_at": load_started.isoformat(timespec="seconds"),
            "duration_s": args.duration,
            "users": args.users,
            "spawn_rate": args.spawn_rate or args.users,
            "url": url,
            "locust_exit_code": locust.returncode,
            "server_alive_at_end": alive,
            "load": summarize(stats, failures, counters, args.duration),
            "rss": sampler.summary(),
        }
    except (RuntimeError, KeyboardInterrupt) as error:
        stop(server)
        server_log.close()
        print(f"soak: {error or 'interrupted'}\n" + (workdir / "server.log").read_text(errors="replace")[-4000:],
              file=sys.stderr)  # fmt: skip
        return 1
    result["server_exit_code"] = stop(server)
    server_log.close()
    print_report(result)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {args.json}")
    if not result["server_alive_at_end"]:
        print((workdir / "server.log").read_text(errors="replace")[-4000:], file=sys.stderr)
    ok = result["server_alive_at_end"] and result["load"]["failures"] == 0 and result["load"]["requests"] > 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
