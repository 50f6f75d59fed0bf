"""Prometheus metrics. Each app gets its own registry, so several apps (tests) never collide."""

from __future__ import annotations

from typing import Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

_LATENCY_BUCKETS = (0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0)
_RTF_BUCKETS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 5.0)


class EngineLoad(Protocol):
    def active_streams(self) -> int: ...
    def queue_depth(self) -> int: ...


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.time_to_first_chunk = Histogram(
            "tts_time_to_first_chunk_seconds",
            "Time from a synthesis request to the engine's first audio chunk",
            ["endpoint"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.real_time_factor = Histogram(
            "tts_real_time_factor",
            "Synthesis wall time divided by the duration of the audio produced (below 1: faster than real time)",
            ["endpoint"],
            buckets=_RTF_BUCKETS,
            registry=self.registry,
        )
        self.queue_depth = Gauge("tts_engine_queue_depth", "Work items waiting in the engine", registry=self.registry)
        self.active_streams = Gauge(
            "tts_engine_active_streams", "Streams the engine is synthesizing", registry=self.registry
        )
        self.websocket_connections = Gauge(
            "tts_websocket_connections", "Open WebSocket connections on /v1/stream", registry=self.registry
        )
        self.errors = Counter("tts_errors", "Errors returned to clients, by kind", ["kind"], registry=self.registry)

    def count_error(self, kind: str) -> None:
        self.errors.labels(kind=kind).inc()

    def observe_first_chunk(self, endpoint: str, seconds: float) -> None:
        self.time_to_first_chunk.labels(endpoint=endpoint).observe(seconds)

    def observe_real_time_factor(self, endpoint: str, wall_seconds: float, audio_seconds: float) -> None:
        if audio_seconds > 0:
            self.real_time_factor.labels(endpoint=endpoint).observe(wall_seconds / audio_seconds)

    def render(self, engine: EngineLoad | None) -> bytes:
        # The engine owns its queue; read it at scrape time rather than mirroring every change.
        self.queue_depth.set(engine.queue_depth() if engine is not None else 0)
        self.active_streams.set(engine.active_streams() if engine is not None else 0)
        return generate_latest(self.registry)
