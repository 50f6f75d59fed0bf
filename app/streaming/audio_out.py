"""Audio out: engine audio (float, the voice's rate) -> the client's bytes, and word timings on its clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import numpy as np

from app.audio.encode import StreamEncoder
from app.audio.framing import Framer
from app.audio.resample import StreamResampler
from app.engine.types import WordTiming


async def close_stream(iterator: AsyncIterator[Any]) -> None:
    """Close an engine stream now, which runs its `finally` and frees its concurrent-stream slot, instead of
    whenever it is garbage collected (a client that vanished mid-utterance)."""
    aclose = getattr(iterator, "aclose", None)
    if aclose is not None:
        await aclose()


class AudioOut:
    """Resample to the client's rate, cut into frames of `frame_ms` on an exact sample grid (None: pieces as
    the engine makes them), encode as `fmt`. Each call returns the encoded pieces ready to send."""

    def __init__(
        self, voice_rate: int, rate: int, fmt: str, frame_ms: float | None = None, *, whole_file: bool = False
    ) -> None:
        self.rate = rate
        self._resampler = StreamResampler(voice_rate, rate)
        self._framer = Framer(rate, frame_ms) if frame_ms is not None else None
        self._encoder = StreamEncoder(fmt, rate, whole_file=whole_file)
        self.samples_out = 0  # at the client's rate, handed to the encoder so far

    def push(self, samples: np.ndarray) -> list[bytes]:
        return self._encode(self._resampler.push(samples))

    def flush(self, *, final: bool = False) -> list[bytes]:
        """Everything buffered goes out now: resampler history, the partial frame, and (final) the encoder's
        tail (mp3 / aac / opus keep up to a codec frame until then)."""
        out = self._encode(self._resampler.flush())
        if self._framer is not None:
            rest = self._framer.flush()
            if rest.size:
                out += self._encode_frame(rest)
        if final:
            out += [data] if (data := self._encoder.finish()) else []
        return out

    def close(self) -> None:
        self._encoder.close()

    def __enter__(self) -> AudioOut:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _encode(self, samples: np.ndarray) -> list[bytes]:
        if self._framer is None:
            return self._encode_frame(samples)
        return [data for frame in self._framer.push(samples) for data in self._encode_frame(frame)]

    def _encode_frame(self, frame: np.ndarray) -> list[bytes]:
        self.samples_out += frame.size
        data = self._encoder.push(frame)
        return [data] if data else []


def shift_words(words: list[WordTiming], seconds: float, chars: int) -> list[WordTiming]:
    """Word timings of one phrase on the stream's clock: `seconds` of audio and `chars` of text before it."""
    return [
        replace(w, start=w.start + seconds, end=w.end + seconds, text_start=w.text_start + chars,
                text_end=w.text_end + chars)
        for w in words
    ]  # fmt: skip
