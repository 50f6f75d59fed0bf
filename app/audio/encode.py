"""Encode float32 mono audio into the formats the API serves, whole or as a stream of byte pieces.

Formats and what a client gets:
  wav    RIFF/WAVE, 16-bit PCM. Whole files carry exact sizes; streams use the 0xFFFFFFFF "unknown size"
         header (as OpenAI's streaming WAV does), which ffmpeg, browsers and libsndfile accept.
  pcm    raw signed 16-bit little-endian samples, no header.
  flac   native FLAC (16-bit). Streams leave the STREAMINFO total-sample count at 0 (= unknown).
  mp3    MPEG audio via LAME. Whole files carry the LAME/Xing header, so decoders trim encoder delay.
  opus   Ogg Opus, always 48 kHz (the rate Opus decoders output; other input rates are resampled).
  aac    AAC-LC in ADTS framing (streamable, no MP4 container).
  mulaw  raw 8 kHz G.711 mu-law bytes, no header (what telephony media streams such as Twilio's carry;
         MIME type audio/basic means exactly this). Other input rates are resampled to 8 kHz.
"""

from __future__ import annotations

import io
import struct
from typing import Final, Literal, Protocol, get_args

import av
import numpy as np
import soundfile as sf
from av.audio.stream import AudioStream

from app.audio.resample import StreamResampler, resample

AudioFormat = Literal["wav", "pcm", "flac", "mp3", "opus", "aac", "mulaw"]
AUDIO_FORMATS: Final[tuple[str, ...]] = get_args(AudioFormat)

MEDIA_TYPES: Final[dict[str, str]] = {
    "wav": "audio/wav",
    "pcm": "audio/pcm",
    "flac": "audio/flac",
    "mp3": "audio/mpeg",
    "opus": "audio/ogg; codecs=opus",
    "aac": "audio/aac",
    "mulaw": "audio/basic",
}

# Formats whose output rate is fixed whatever the input rate.
FIXED_RATES: Final[dict[str, int]] = {"opus": 48000, "mulaw": 8000}

# (container format, codec, bit rate or None for lossless) for the formats PyAV encodes.
_AV_CODECS: Final[dict[str, tuple[str, str, int | None]]] = {
    "mp3": ("mp3", "libmp3lame", 64000),
    "aac": ("adts", "aac", 64000),
    "opus": ("ogg", "libopus", 32000),
    "flac": ("flac", "flac", None),
}

_STREAMING_SIZE: Final = 0xFFFFFFFF


def output_rate(fmt: str, sample_rate: int) -> int:
    """The sample rate of `fmt` output for input at `sample_rate`."""
    return FIXED_RATES.get(fmt, sample_rate)


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """float32 in [-1, 1] -> int16, clipped (so overshoot saturates instead of wrapping)."""
    scaled = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0) * 32767.0
    pcm: np.ndarray = np.rint(scaled).astype("<i2")
    return pcm


def mulaw_encode(samples: np.ndarray) -> np.ndarray:
    """G.711 mu-law (the ITU reference algorithm on 16-bit input: bias 0x84, clip 32635) -> uint8."""
    pcm = to_pcm16(samples).astype(np.int32)
    sign = np.where(pcm < 0, 0x80, 0)
    magnitude = np.minimum(np.abs(pcm), 32635) + 0x84
    exponent = np.floor(np.log2(magnitude)).astype(np.int32) - 7  # 0..7: the segment
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    codes: np.ndarray = (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8)
    return codes


def mulaw_decode(data: bytes) -> np.ndarray:
    """mu-law bytes -> float32 in [-1, 1] (the inverse of mulaw_encode, for tests and clients)."""
    codes = ~np.frombuffer(data, dtype=np.uint8).astype(np.int32) & 0xFF
    exponent = (codes >> 4) & 0x07
    magnitude = (((codes & 0x0F) << 3) + 0x84) << exponent
    pcm = np.where(codes & 0x80, 0x84 - magnitude, magnitude - 0x84)
    return (pcm / 32768.0).astype(np.float32)


def wav_header(sample_rate: int, num_samples: int | None = None) -> bytes:
    """44-byte header of a mono 16-bit PCM WAV; `None` samples writes the streaming 0xFFFFFFFF sizes."""
    if num_samples is None:
        riff_size = data_size = _STREAMING_SIZE
    else:
        data_size = 2 * num_samples
        riff_size = 36 + data_size
    return (
        struct.pack("<4sI4s", b"RIFF", riff_size, b"WAVE")
        + struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, 1, sample_rate, 2 * sample_rate, 2, 16)
        + struct.pack("<4sI", b"data", data_size)
    )


class _Codec(Protocol):
    def encode(self, samples: np.ndarray) -> bytes: ...
    def finish(self) -> bytes: ...
    def close(self) -> None: ...


class _RawCodec:
    """pcm, streaming wav and mulaw: every sample maps to bytes at once, nothing is held back."""

    def __init__(self, fmt: str, sample_rate: int) -> None:
        self._mulaw = fmt == "mulaw"
        self._header = wav_header(sample_rate) if fmt == "wav" else b""

    def encode(self, samples: np.ndarray) -> bytes:
        data = mulaw_encode(samples).tobytes() if self._mulaw else to_pcm16(samples).tobytes()
        header, self._header = self._header, b""
        return header + data

    def finish(self) -> bytes:
        header, self._header = self._header, b""  # an empty stream is still a valid (empty) WAV
        return header

    def close(self) -> None:
        pass


class _DrainSink:
    """Write-only file object: PyAV sees no `seek`, so muxers write streamable output and never go back."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        return len(data)

    def drain(self) -> bytes:
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


class _AvCodec:
    """mp3/aac/opus/flac through PyAV (FFmpeg). PyAV re-blocks frames to the codec's frame size."""

    def __init__(self, fmt: str, sample_rate: int, *, streaming: bool) -> None:
        container_format, codec, bit_rate = _AV_CODECS[fmt]
        self._sample_rate = sample_rate
        self._sink: _DrainSink | io.BytesIO = _DrainSink() if streaming else io.BytesIO()
        # Ogg would otherwise hold a page for up to a second; 20 ms pages let opus audio out promptly.
        options = {"page_duration": "20000"} if container_format == "ogg" else {}
        self._container = av.open(self._sink, mode="w", format=container_format, options=options)
        stream = self._container.add_stream(codec, rate=sample_rate, layout="mono")
        assert isinstance(stream, AudioStream)
        self._stream = stream
        if bit_rate is not None:
            self._stream.bit_rate = bit_rate
        self._pts = 0
        self._closed = False

    def _drain(self) -> bytes:
        return self._sink.drain() if isinstance(self._sink, _DrainSink) else b""

    def encode(self, samples: np.ndarray) -> bytes:
        samples = np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1)
        if samples.shape[1] == 0:
            return b""
        frame = av.AudioFrame.from_ndarray(samples, format="flt", layout="mono")
        frame.sample_rate = self._sample_rate
        frame.pts = self._pts
        self._pts += samples.shape[1]
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        return self._drain()

    def finish(self) -> bytes:
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self._container.close()
        self._closed = True
        if isinstance(self._sink, io.BytesIO):
            return self._sink.getvalue()
        return self._sink.drain()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._container.close()


def _check_format(fmt: str) -> None:
    if fmt not in AUDIO_FORMATS:
        raise ValueError(f"unsupported audio format {fmt!r}; expected one of {', '.join(AUDIO_FORMATS)}")


def encode(samples: np.ndarray, sample_rate: int, fmt: str) -> bytes:
    """Encode a whole utterance. `sample_rate` is the input's; opus and mulaw are resampled to their rate."""
    _check_format(fmt)
    rate = output_rate(fmt, sample_rate)
    samples = resample(np.asarray(samples, dtype=np.float32).reshape(-1), sample_rate, rate)
    if fmt == "wav":
        buffer = io.BytesIO()
        sf.write(buffer, to_pcm16(samples), rate, format="WAV", subtype="PCM_16")
        return buffer.getvalue()
    if fmt == "pcm":
        return to_pcm16(samples).tobytes()
    if fmt == "mulaw":
        return mulaw_encode(samples).tobytes()
    codec = _AvCodec(fmt, rate, streaming=False)
    try:
        codec.encode(samples)
        return codec.finish()
    finally:
        codec.close()


class StreamEncoder:
    """Encode audio that arrives in pieces: the concatenation of every push() and finish() is one valid file.

    push() returns whatever bytes the codec has completed (possibly b"": mp3/aac/opus hold back up to a
    codec frame plus their look-ahead until more audio or finish() arrives). Use as a context manager or
    call close() to release the codec when a stream is abandoned.
    """

    def __init__(self, fmt: str, sample_rate: int, *, whole_file: bool = False) -> None:
        """whole_file: the output is kept as one file, not sent as it comes: compressed formats then write a
        seekable container (finish() returns all of it) and a WAV's header still needs its sizes (wav_header)."""
        _check_format(fmt)
        self.format = fmt
        self.input_rate = sample_rate
        self.sample_rate = output_rate(fmt, sample_rate)
        self.media_type = MEDIA_TYPES[fmt]
        self._resampler = StreamResampler(sample_rate, self.sample_rate) if self.sample_rate != sample_rate else None
        self._codec: _Codec = (
            _AvCodec(fmt, self.sample_rate, streaming=not whole_file)
            if fmt in _AV_CODECS
            else _RawCodec(fmt, self.sample_rate)
        )
        self._finished = False

    def push(self, samples: np.ndarray) -> bytes:
        if self._finished:
            raise RuntimeError("push() after finish()")
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        if self._resampler is not None:
            samples = self._resampler.push(samples)
        return self._codec.encode(samples)

    def finish(self) -> bytes:
        if self._finished:
            return b""
        tail = self._codec.encode(self._resampler.flush()) if self._resampler is not None else b""
        self._finished = True
        return tail + self._codec.finish()

    def close(self) -> None:
        self._finished = True
        self._codec.close()

    def __enter__(self) -> StreamEncoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
