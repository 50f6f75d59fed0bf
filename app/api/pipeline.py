"""HTTP speech: an engine stream opened before the response starts, then collected or encoded (app.streaming)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from functools import partial

from starlette.responses import StreamingResponse
from starlette.types import Send

from app.api.errors import RETRY_AFTER_S, ApiError
from app.api.guards import ClientTooSlow, ReadPace
from app.api.metrics import Metrics
from app.audio.encode import wav_header
from app.engine.engine import Engine
from app.engine.types import AudioChunk, CancelToken, SynthesisOptions, VoiceInfo, WordTiming
from app.engine.windows import PlaybackClock
from app.streaming.audio_out import AudioOut, close_stream

log = logging.getLogger(__name__)


class SpeechResponse(StreamingResponse):
    """A streamed body whose client must keep reading (ReadPace): a client too far behind ends the response,
    the synthesis stops and its engine slot returns, the connection is closed unfinished, as the WebSocket drops
    a `slow_consumer` context."""

    def __init__(
        self,
        content: AsyncGenerator[bytes, None],
        *,
        media_type: str,
        pace: ReadPace,
        metrics: Metrics,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(content, media_type=media_type, headers=headers)
        self._body = content
        self._pace = pace
        self._metrics = metrics

    async def stream_response(self, send: Send) -> None:
        pace = self._pace
        try:
            async with aclosing(self._body) as body:  # closed here, not whenever it is collected
                await pace.send(partial(send, {"type": "http.response.start", "status": self.status_code,
                                               "headers": self.raw_headers}))  # fmt: skip
                async for data in body:
                    await pace.send(partial(send, {"type": "http.response.body", "body": data, "more_body": True}))
            await pace.send(partial(send, {"type": "http.response.body", "body": b"", "more_body": False}))
        except ClientTooSlow:
            self._metrics.count_error("slow_consumer")
            log.info("a client fell behind (%.1f s waited on it); its stream was stopped", pace.waited_s)


def _without_prefix(pieces: list[bytes], n: int) -> list[bytes]:
    """`pieces` less their first `n` bytes, without copying the pieces after those bytes."""
    out = list(pieces)
    while n and out:
        head = out.pop(0)
        if len(head) > n:
            out.insert(0, head[n:])
            n = 0
        else:
            n -= len(head)
    return out


def timeout_error() -> ApiError:
    return ApiError(503, "synthesis timed out", code="timeout", headers={"Retry-After": str(RETRY_AFTER_S)})


class SpeechStream:
    """An engine stream whose first chunk has already arrived.

    Waiting for it before answering means bad input (SynthesisError), a full engine (EngineBusy) and
    timeouts become proper HTTP statuses instead of a 200 whose body breaks off.
    """

    def __init__(
        self,
        voice: VoiceInfo,
        iterator: AsyncIterator[AudioChunk],
        first: AudioChunk | None,
        cancel: CancelToken,
        metrics: Metrics,
        endpoint: str,
        started: float,
    ) -> None:
        self.voice = voice
        self._iterator = iterator
        self._first = first
        self._cancel = cancel
        self._metrics = metrics
        self._endpoint = endpoint
        self._started = started
        self.samples_out = 0  # samples handed on by chunks() so far

    def audio_s(self) -> float:
        """Seconds of audio handed on so far."""
        return self.samples_out / self.voice.sample_rate

    def pace(self, send_timeout_s: float, min_rate: float) -> ReadPace:
        """The reading pace a streamed response of this audio asks of its client."""
        return ReadPace(send_timeout_s, min_rate, self.audio_s)

    @classmethod
    async def open(
        cls,
        engine: Engine,
        text: str,
        options: SynthesisOptions,
        *,
        ssml: bool,
        metrics: Metrics,
        endpoint: str,
        timeout_s: float,
        realtime: bool = True,
    ) -> SpeechStream:
        """realtime=False: the caller collects the whole utterance (PlaybackClock)."""
        voice = engine.voice(options.voice)
        cancel = CancelToken()
        started = time.perf_counter()
        iterator = engine.stream(text, options, cancel, ssml=ssml, clock=PlaybackClock(realtime))
        try:
            async with asyncio.timeout(timeout_s):
                first = await anext(iterator, None)
        except BaseException as exc:
            cancel.cancel()
            await close_stream(iterator)
            if isinstance(exc, TimeoutError):
                raise timeout_error() from None
            raise
        if first is not None:
            metrics.observe_first_chunk(endpoint, time.perf_counter() - started)
        return cls(voice, iterator, first, cancel, metrics, endpoint, started)

    async def chunks(self) -> AsyncGenerator[AudioChunk, None]:
        """Every chunk, the first one included. Leaving early (client gone) cancels the synthesis."""
        completed = False
        try:
            if self._first is not None:
                first, self._first = self._first, None
                self.samples_out += first.samples.size
                yield first
            async for chunk in self._iterator:
                self.samples_out += chunk.samples.size
                yield chunk
            completed = True
        finally:
            self._cancel.cancel()
            await close_stream(self._iterator)
            if completed:
                elapsed = time.perf_counter() - self._started
                self._metrics.observe_real_time_factor(self._endpoint, elapsed, self.audio_s())

    async def file(self, fmt: str, sample_rate: int, timeout_s: float) -> tuple[bytes, list[WordTiming], float]:
        """The whole utterance as one `fmt` file at `sample_rate`, with its word timings and its duration in
        seconds. Encoded as the engine produces it: memory holds the encoded file, never the utterance as
        float samples (9 minutes of speech: 24 MB of WAV instead of several 48 MB copies)."""
        pieces: list[bytes] = []
        words: list[WordTiming] = []
        samples = 0
        try:
            async with asyncio.timeout(timeout_s), aclosing(self.chunks()) as chunks:
                with AudioOut(self.voice.sample_rate, sample_rate, fmt, whole_file=True) as out:
                    async for chunk in chunks:
                        samples += chunk.samples.size
                        words.extend(chunk.words)
                        pieces += out.push(chunk.samples)
                    pieces += out.flush(final=True)
        except TimeoutError:
            raise timeout_error() from None
        if fmt == "wav":  # the streaming header (the first piece's start) said "unknown size"; a file has exact ones
            pieces = [wav_header(out.rate, out.samples_out), *_without_prefix(pieces, len(wav_header(out.rate)))]
        data = b"".join(pieces)  # the only copy of the whole file: memory holds the pieces and it, no more
        pieces.clear()
        return data, words, samples / self.voice.sample_rate

    async def encoded(self, fmt: str, sample_rate: int) -> AsyncGenerator[bytes, None]:
        """The stream as `fmt` bytes at `sample_rate`, piece by piece as the engine produces audio."""
        with AudioOut(self.voice.sample_rate, sample_rate, fmt) as out:
            async with aclosing(self.chunks()) as chunks:
                async for chunk in chunks:
                    for data in out.push(chunk.samples):
                        yield data
            for data in out.flush(final=True):
                yield data
