"""Load test for the running service: whole-utterance HTTP, the OpenAI endpoint (streamed) and the WebSocket.

Headless, against a local server only:
    locust -f benchmarks/locustfile.py --headless -H http://127.0.0.1:8000 -u 16 -r 4 -t 2m \
        --csv benchmarks/results/load
Clean 503s (engine_busy, with Retry-After) are counted as shed load, not failures.
"""

from __future__ import annotations

import json
import random
import time
from typing import Any

from locust import FastHttpUser, User, between, events, task
from websockets.sync.client import connect

SENTENCES = [
    "Turn on the kitchen lights.",
    "Your meeting with Sam starts in ten minutes.",
    "It is 72 degrees and sunny in Denver right now.",
    "I added milk, eggs and bread to your shopping list.",
    "The next train to the airport leaves at 3:45 pm from platform 2.",
]


def _shed(response: Any) -> bool:
    return bool(response.status_code == 503 and response.headers.get("Retry-After"))


class HttpTtsUser(FastHttpUser):
    wait_time = between(0.5, 1.5)

    @task(2)
    def tts_wav(self) -> None:
        body = {"text": random.choice(SENTENCES), "format": "wav"}
        with self.client.post("/v1/tts", json=body, catch_response=True) as r:
            if (r.status_code == 200 and len(r.content) > 1000) or _shed(r):
                r.success()
            else:
                r.failure(f"status {r.status_code}")

    @task(2)
    def openai_streamed_mp3(self) -> None:
        body = {"model": "tts-1", "voice": "alloy", "input": random.choice(SENTENCES), "response_format": "mp3"}
        with self.client.post("/v1/audio/speech", json=body, stream=True, catch_response=True) as r:
            if (r.status_code == 200 and len(r.content) > 500) or _shed(r):
                r.success()
            else:
                r.failure(f"status {r.status_code}")


class WebSocketUser(User):
    """Appends a sentence word by word, as an LLM would, and measures time to first audio frame."""

    wait_time = between(0.5, 1.5)

    @task
    def stream(self) -> None:
        url = (self.host or "http://127.0.0.1:8000").replace("http", "ws", 1) + "/v1/stream"
        t0 = time.perf_counter()
        first_ms, size, error = None, 0, None
        try:
            with connect(url, max_size=None, open_timeout=10) as ws:
                ws.send(json.dumps({"type": "start", "context_id": "a", "format": "pcm"}))
                for word in random.choice(SENTENCES).split():
                    ws.send(json.dumps({"type": "text", "context_id": "a", "text": word + " "}))
                ws.send(json.dumps({"type": "close", "context_id": "a"}))
                while True:
                    msg = ws.recv(timeout=30)
                    if isinstance(msg, bytes):
                        size += len(msg)
                        if first_ms is None:
                            first_ms = (time.perf_counter() - t0) * 1000
                    else:
                        event = json.loads(msg)
                        if event.get("type") == "error":
                            error = event.get("code", "error")
                            if error == "engine_busy":
                                error = None  # shed load, not a failure
                            break
                        if event.get("type") == "done":
                            break
        except Exception as e:  # any transport failure is a failed request in the report
            error = repr(e)
        events.request.fire(
            request_type="WS",
            name="/v1/stream first audio",
            response_time=first_ms or 0.0,
            response_length=size,
            exception=RuntimeError(error) if error else None,
        )
