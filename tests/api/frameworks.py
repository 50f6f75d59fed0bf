"""Drive the voice-agent frameworks' own TTS classes against the live server: a Pipecat pipeline fed LLM-like
text frames, and a LiveKit plugin's `stream()`. Nothing here speaks a vendor protocol itself: the frameworks do.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pipecat.frames.frames import (
    EndFrame,
    ErrorFrame,
    Frame,
    InterruptionFrame,
    LLMFullResponseEndFrame,
    LLMFullResponseStartFrame,
    LLMTextFrame,
    TTSAudioRawFrame,
    TTSStoppedFrame,
    TTSTextFrame,
)
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.worker import PipelineWorker
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor
from pipecat.workers.runner import WorkerRunner

from app.engine.engine import Engine

# An LLM's reply as token-sized pieces: two sentences, a number the normalizer reads out.
REPLY = ["Sure", "!", " The", " train", " leaves", " at", " 5", " o'clock", ",", " from", " platform", " two", "."]
LONG_REPLY = [f" Sentence number {n} is here to keep the voice busy for a while." for n in range(1, 13)]


@dataclass
class Received:
    """What reached the end of the pipeline, with arrival times (perf_counter)."""

    frames: list[tuple[float, Frame]] = field(default_factory=list)
    errors: list[ErrorFrame] = field(default_factory=list)

    def of(self, kind: type[Frame]) -> list[Any]:
        return [frame for _, frame in self.frames if isinstance(frame, kind)]

    def audio(self, context_id: str | None = None) -> np.ndarray:
        frames = [f for f in self.of(TTSAudioRawFrame) if context_id is None or f.context_id == context_id]
        data = b"".join(frame.audio for frame in frames)
        return np.frombuffer(data, "<i2").astype(np.float32) / 32768.0

    def words(self) -> list[TTSTextFrame]:
        return self.of(TTSTextFrame)

    def first(self, kind: type[Frame]) -> float | None:
        return next((t for t, frame in self.frames if isinstance(frame, kind)), None)


class _Sink(FrameProcessor):
    def __init__(self, received: Received) -> None:
        super().__init__()
        self._received = received

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, ErrorFrame):
            self._received.errors.append(frame)
        elif direction == FrameDirection.DOWNSTREAM:
            self._received.frames.append((time.perf_counter(), frame))
        await self.push_frame(frame, direction)


class Script:
    """What a test does with the running pipeline: queue frames, wait for what comes back."""

    def __init__(self, worker: PipelineWorker, received: Received) -> None:
        self.worker = worker
        self.received = received

    async def reply(self, pieces: list[str], pause_s: float = 0.0) -> float:
        """An LLM response, piece by piece; the time its first text frame was queued."""
        await self.worker.queue_frame(LLMFullResponseStartFrame())
        started = time.perf_counter()
        for piece in pieces:
            await self.worker.queue_frame(LLMTextFrame(piece))
            if pause_s:
                await asyncio.sleep(pause_s)
        await self.worker.queue_frame(LLMFullResponseEndFrame())
        return started

    async def interrupt(self, engine: Engine) -> int:
        """Interrupt the bot, wait until the server has stopped synthesizing and what was already on its way has
        landed; returns the audio samples heard by then. (Sampled at once, a chunk still in flight through the
        pipeline lands after it: a flaky test, seen once in CI.)"""
        await self.worker.queue_frame(InterruptionFrame())
        await self.until(lambda: engine.active_streams() == 0, timeout_s=5)
        await asyncio.sleep(0.5)
        return int(self.received.audio().size)

    async def until(self, condition: Callable[[], bool], timeout_s: float = 60.0, errors_ok: bool = False) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            assert errors_ok or not self.received.errors, self.received.errors
            assert time.monotonic() < deadline, "timed out waiting for the pipeline"
            await asyncio.sleep(0.02)

    async def stopped(self, count: int = 1, timeout_s: float = 60.0) -> None:
        await self.until(lambda: len(self.received.of(TTSStoppedFrame)) >= count, timeout_s)


async def run_pipeline(service: FrameProcessor, script: Callable[[Script], Awaitable[None]]) -> Received:
    """Run [service, sink] in a Pipecat pipeline while `script` feeds it; end it with an EndFrame."""
    received = Received()
    worker = PipelineWorker(Pipeline([service, _Sink(received)]), cancel_on_idle_timeout=False)
    started = asyncio.Event()

    @worker.event_handler("on_pipeline_started")  # type: ignore[untyped-decorator]
    async def on_started(worker: PipelineWorker, frame: Frame) -> None:
        started.set()

    @worker.event_handler("on_pipeline_error")  # type: ignore[untyped-decorator]
    async def on_error(worker: PipelineWorker, frame: ErrorFrame) -> None:
        received.errors.append(frame)  # errors travel upstream: the sink never sees them

    runner = WorkerRunner(handle_sigint=False)
    await runner.add_workers(worker)
    running = asyncio.create_task(runner.run())
    try:
        await asyncio.wait_for(started.wait(), 30)
        await script(Script(worker, received))
        await worker.queue_frame(EndFrame())
        await asyncio.wait_for(asyncio.shield(running), 30)
    finally:
        if not running.done():  # a failed script, or a service that never lets the EndFrame through
            await worker.cancel()
            await asyncio.wait_for(running, 30)
    return received


@dataclass
class LiveKitResult:
    audio: np.ndarray  # float32, mono
    sample_rate: int
    words: list[Any]  # TimedString: str with start_time / end_time
    first_audio_at: float | None  # perf_counter of the first audio frame
    segments: int  # is_final frames seen


async def livekit_stream(tts: Any, pieces: list[str], *, flush_every: int = 0) -> LiveKitResult:
    """Push `pieces` through a LiveKit TTS plugin's `stream()` (LLM-like text), end the input, collect audio."""
    from livekit.agents.types import USERDATA_TIMED_TRANSCRIPT

    chunks: list[np.ndarray] = []
    words: list[Any] = []
    rate = 0
    first: float | None = None
    finals = 0
    async with tts.stream() as stream:
        for n, piece in enumerate(pieces, 1):
            stream.push_text(piece)
            if flush_every and n % flush_every == 0:
                stream.flush()
        stream.end_input()
        async for event in stream:
            frame = event.frame
            if first is None:
                first = time.perf_counter()
            rate = frame.sample_rate
            chunks.append(np.frombuffer(frame.data, "<i2").astype(np.float32) / 32768.0)
            words.extend(frame.userdata.get(USERDATA_TIMED_TRANSCRIPT) or [])
            finals += event.is_final
    audio = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    return LiveKitResult(audio, rate, words, first, finals)


def livekit_speak(make_tts: Callable[[Any], Any], pieces: list[str]) -> LiveKitResult:
    """A LiveKit TTS plugin, built by `make_tts` on its own aiohttp session, speaks `pieces` through stream()."""
    import aiohttp

    async def run() -> LiveKitResult:
        async with aiohttp.ClientSession() as http:
            tts = make_tts(http)
            try:
                return await livekit_stream(tts, pieces)
            finally:
                await tts.aclose()

    return asyncio.run(run())
