"""Hostile clients against the real server: each attack's answer, the server's peak memory growth, and whether a
well-behaved stream running beside it kept real time.

Starts `python -m app serve` (the `tts-server` configuration) on a free port. For every attack it starts a
well-behaved WebSocket stream (about 40 s of speech, played from its first frame: a "stall" is how late a frame
arrived for that playback), runs the attack, and samples the server's RSS every 50 ms. Prints one row per attack
and writes benchmarks/results/hostile.json. Targets (issue 25): no 5xx; peak RSS growth per request under 100 MB
for anything the limits admit; no stall over 100 ms while 8 idle or slow clients are connected.

    python -m benchmarks.hostile
    python -m benchmarks.hostile --only ws_non_readers,slow_headers
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import connect

from benchmarks.soak import ROOT, free_port, rss_bytes, stop, wait_ready

DEFAULT_JSON = ROOT / "benchmarks" / "results" / "hostile.json"
SECRET = "sk-hostile-benchmark-secret"
STREAM_TEXT = (
    "This is the well-behaved listener. It reads every frame as it arrives and plays it in real time, so any "
    "frame that comes late is a stall it can hear. "
) * 6
LONG_INPUT = "Nobody will read this audio, sentence after sentence after sentence. " * 50


@dataclass
class Listener:
    """A WebSocket client streaming STREAM_TEXT and timing every frame against real-time playback."""

    url: str
    max_stall_ms: float = 0.0
    audio_s: float = 0.0
    error: str | None = None
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=300)

    def _run(self) -> None:
        rate = 24000
        try:
            with connect(self.url.replace("http://", "ws://") + f"/v1/stream?api_key={SECRET}") as ws:
                ws.send(json.dumps({"type": "start", "context_id": "l", "format": "pcm", "sample_rate": rate}))
                ws.send(json.dumps({"type": "text", "context_id": "l", "text": STREAM_TEXT}))
                ws.send(json.dumps({"type": "close", "context_id": "l"}))
                first = None
                while True:
                    message = ws.recv(timeout=60)
                    now = time.monotonic()
                    if isinstance(message, bytes):
                        samples = (len(message) - 1 - message[0]) // 2
                        if first is None:
                            first = now
                        late = (now - first) - self.audio_s  # behind the playback that started at `first`
                        self.max_stall_ms = max(self.max_stall_ms, 1000.0 * late)
                        self.audio_s += samples / rate
                    else:
                        event = json.loads(message)
                        if event["type"] == "error":
                            self.error = event.get("code")
                        if event["type"] in ("done", "error"):
                            return
        except Exception as exc:  # reported in the row
            self.error = f"{type(exc).__name__}: {exc}"


def raw(url: str, rcvbuf: int | None = None) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(120)  # an admitted 9-minute WAV is answered when it is whole (its header has the sizes)
    sock.connect((host, int(port)))
    return sock


def request(url: str, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> int:
    """One request on a raw socket; the status code (0 when the server closed without answering)."""
    with raw(url) as sock:
        head = {"Host": "127.0.0.1", "Authorization": f"Bearer {SECRET}", "Content-Length": str(len(body)),
                "Content-Type": "application/json", **(headers or {})}  # fmt: skip
        lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in head.items())]
        try:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            reply = sock.recv(64)
        except OSError:
            return 0
        return int(reply.split()[1]) if reply.startswith(b"HTTP/1.1") else 0


def post_json(url: str, path: str, payload: dict[str, Any]) -> int:
    return request(url, "POST", path, json.dumps(payload).encode())


@dataclass
class Attack:
    name: str
    what: str
    run: Callable[[str], str]  # returns what the server answered
    idle_clients: bool = False  # leaves 8 clients connected for the listener's whole stream


def http_non_readers(url: str) -> str:
    body = json.dumps({"model": "tts-1", "voice": "alloy", "input": LONG_INPUT, "response_format": "pcm"}).encode()
    socks = []
    for _ in range(8):
        sock = raw(url, rcvbuf=4096)
        sock.sendall(b"POST /v1/audio/speech HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Authorization: Bearer " + SECRET.encode() + b"\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(body), body))  # fmt: skip
        socks.append(sock)
    statuses = {s.recv(12).decode(errors="replace") for s in socks}
    time.sleep(25)  # past the send timeout (15 s): the server must have given their slots back
    answer = f"{', '.join(sorted(statuses))}; active after 25 s: {active_streams(url)}"
    for s in socks:
        s.close()
    return answer


def ws_non_readers(url: str) -> str:
    with contextlib.ExitStack() as clients:
        for _ in range(8):
            sock = raw(url, rcvbuf=4096)
            uri = url.replace("http://", "ws://") + f"/v1/stream?api_key={SECRET}"
            ws = clients.enter_context(connect(uri, sock=sock, max_queue=1))
            ws.send(json.dumps({"type": "start", "context_id": "x"}))
            ws.send(json.dumps({"type": "text", "context_id": "x", "text": LONG_INPUT}))
            ws.send(json.dumps({"type": "close", "context_id": "x"}))
        time.sleep(25)
        answer = f"sockets open after 25 s: {metric(url, 'tts_websocket_connections')}"
    return answer


def slow_headers(url: str) -> str:
    socks = [raw(url) for _ in range(8)]
    for s in socks:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    time.sleep(12)  # past the header timeout (10 s)
    closed = 0
    for s in socks:
        s.settimeout(0.5)
        with contextlib.suppress(OSError):
            closed += s.recv(16) == b""
        s.close()
    return f"{closed}/8 closed by the server"


def slow_bodies(url: str) -> str:
    socks = [raw(url) for _ in range(8)]
    for s in socks:
        s.sendall(b"POST /v1/tts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{")
    statuses = []
    for s in socks:
        s.settimeout(15)
        try:
            statuses.append(s.recv(12).decode(errors="replace")[9:12] or "closed")
        except OSError:
            statuses.append("none")
        s.close()
    return "status " + ", ".join(sorted(set(statuses)))


def big_header(url: str) -> str:
    status = request(url, "GET", "/health", headers={"X-Padding": "a" * 64 * 2**20})
    return f"status {status}" if status else "connection closed by the server (h11: header block too large)"


def key_in_log(url: str) -> str:
    with connect(url.replace("http://", "ws://") + f"/v1/stream?api_key={SECRET}") as ws:
        ws.send(json.dumps({"type": "close_socket"}))
    status = request(url, "GET", f"/v1/voices?api_key={SECRET}")
    return f"status {status}"


def foreign_origin(url: str) -> str:
    answers = []
    for headers in ({"Origin": "https://evil.example"}, {"Host": "rebound.evil.example"}):
        try:
            with connect(url.replace("http://", "ws://") + f"/v1/stream?api_key={SECRET}",
                         additional_headers=headers):  # fmt: skip
                answers.append("accepted")
        except Exception as exc:
            answers.append(str(getattr(getattr(exc, "response", None), "status_code", type(exc).__name__)))
    return "origin " + answers[0] + ", host " + answers[1]


def overload(url: str) -> str:
    """40 streams at once on a server sized for fewer: the admitted ones must not stall, the rest get 503."""
    results: list[int] = []

    def one() -> None:  # a listener that reads everything
        body = {"model": "tts-1", "voice": "alloy", "input": STREAM_TEXT[:600], "response_format": "pcm"}
        try:
            with (
                httpx.Client(timeout=120) as http,
                http.stream(
                    "POST", url + "/v1/audio/speech", json=body, headers={"Authorization": f"Bearer {SECRET}"}
                ) as r,
            ):
                for _ in r.iter_bytes():
                    pass
                results.append(r.status_code)
        except httpx.HTTPError:
            results.append(0)

    threads = [threading.Thread(target=one) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return f"{results.count(200)} admitted, {results.count(503)} got 503"


def posting(path: str, payload: dict[str, Any]) -> Callable[[str], str]:
    return lambda url: f"status {post_json(url, path, payload)}"


SLOW_TEXT = (
    "The committee reviewed the proposal in great detail and, after a long discussion about the budget, the "
    "schedule, the staffing plan and the risks nobody had written down, decided that the project should continue "
    "for another year with a smaller team and a shorter list of goals."
)
SUB = '<sub alias="999999999999999">x</sub> '
BREAK = '<break time="10s"/>'
ATTACKS = [
    Attack("http_non_readers", "8 x POST /v1/audio/speech, then read nothing", http_non_readers, idle_clients=True),
    Attack("ws_non_readers", "8 WebSockets streaming, never read", ws_non_readers, idle_clients=True),
    Attack("slow_headers", "8 connections trickling headers", slow_headers, idle_clients=True),
    Attack("slow_bodies", "8 bodies that never finish", slow_bodies, idle_clients=True),
    Attack("big_header", "a 64 MB header", big_header),
    Attack("lexicon_bomb", "lexicon entry of 1 200 phonemes",
           posting("/v1/tts", {"text": "a.", "lexicon": {"a": "AA1 " * 1200}})),
    Attack("lexicon_cap", "80 words, each a 40-phoneme lexicon entry",
           posting("/v1/tts", {"text": "a " * 80 + ".", "lexicon": {"a": "AA1 B " * 20}})),
    Attack("ssml_words", "300 words inside <speak>", posting("/v1/tts", {"ssml": f"<speak>{'word ' * 300}</speak>"})),
    Attack("ssml_subs", "100 x <sub alias=15 digits>", posting("/v1/tts", {"ssml": f"<speak>{SUB * 100}</speak>"})),
    Attack("slow_speech", "a 300-character sentence at speed 0.25",
           posting("/v1/tts", {"text": SLOW_TEXT, "speed": 0.25})),
    Attack("ssml_slow_rate", "speed 0.25 and <prosody rate=25%>",
           posting("/v1/tts", {"ssml": f"<speak><prosody rate='25%'>{SLOW_TEXT}</prosody></speak>", "speed": 0.25})),
    Attack("ssml_nesting", "580 nested <s>",
           posting("/v1/tts", {"ssml": f"<speak>{'<s>' * 580}hi{'</s>' * 580}</speak>"})),
    Attack("ssml_breaks", "200 x <break time=10s> at 48 kHz",
           posting("/v1/tts/timestamps", {"ssml": f"<speak>hi{BREAK * 200}</speak>", "sample_rate": 48000})),
    Attack("key_in_log", "API key as ?api_key= (WebSocket and HTTP)", key_in_log),
    Attack("foreign_origin", "WebSocket from another origin / a rebound Host", foreign_origin),
    Attack("overload", "40 streams at once", overload),
]  # fmt: skip


def metric(url: str, name: str) -> float:
    from benchmarks.soak import get

    _, text = get(url + "/metrics")
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return float("nan")


def active_streams(url: str) -> float:
    return metric(url, "tts_engine_active_streams")


@dataclass
class Peak:
    pid: int
    base: float = 0.0
    peak: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Peak:
        self.base = self.peak = (rss_bytes(self.pid) or 0) / 2**20
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, (rss_bytes(self.pid) or 0) / 2**20)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated attack names")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    chosen = [a for a in ATTACKS if not args.only or a.name in args.only.split(",")]

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = Path(tempfile.mkdtemp(prefix="tts-hostile-")) / "server.log"
    env = {"MALLOC_ARENA_MAX": "2", **os.environ, "PYTHONUNBUFFERED": "1", "TTS_API_KEYS": json.dumps([SECRET])}
    with log_path.open("wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(port), "--log-level", "info"],
                                  cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)  # fmt: skip
        rows = []
        try:
            wait_ready(url, server, 600)
            baseline = Listener(url)
            baseline.start()
            baseline.join()
            print(f"server pid {server.pid} on {url}; alone, the listener's worst stall: "
                  f"{baseline.max_stall_ms:.0f} ms over {baseline.audio_s:.1f} s of audio", flush=True)  # fmt: skip
            print(f"{'attack':18} {'answer':52} {'peak RSS +MiB':>13} {'listener stall ms':>17}")
            for attack in chosen:
                listener = Listener(url)
                with Peak(server.pid) as peak:
                    listener.start()
                    time.sleep(0.5)
                    answer = attack.run(url)
                    listener.join()
                row = {"attack": attack.name, "what": attack.what, "answer": answer,
                       "peak_rss_growth_mib": round(peak.peak - peak.base, 1),
                       "listener_max_stall_ms": round(listener.max_stall_ms, 1),
                       "listener_audio_s": round(listener.audio_s, 1), "listener_error": listener.error,
                       "server_alive": server.poll() is None}  # fmt: skip
                rows.append(row)
                stall = f"{listener.max_stall_ms:.0f}" + (f" ({listener.error})" if listener.error else "")
                print(f"{attack.name:18} {answer[:52]:52} {row['peak_rss_growth_mib']:13.1f} {stall:>17}", flush=True)
                time.sleep(1.0)
        finally:
            stop(server)
    leaked = SECRET in log_path.read_text(errors="replace")
    # 503 is load shed on purpose (engine_busy, not_ready while starting); any other 5xx is a failure
    lines = log_path.read_text(errors="replace").splitlines()
    five_xx = [line for line in lines if '" 5' in line and '" 503' not in line]
    shed = sum('" 503' in line for line in lines)
    print(f"API key in the server log: {'yes' if leaked else 'no'}; 5xx other than 503: {len(five_xx)}; 503: {shed}")
    result = {"baseline_max_stall_ms": round(baseline.max_stall_ms, 1), "rows": rows, "key_in_log": leaked,
              "five_xx": len(five_xx), "shed_503": shed, "date": time.strftime("%Y-%m-%d")}  # fmt: skip
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if not leaked and not five_xx and all(r["server_alive"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
