"""Every format decodes (with FFmpeg, not our code) to audio of the right rate and length."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf

from app.audio.encode import (
    AUDIO_FORMATS,
    FIXED_RATES,
    MEDIA_TYPES,
    StreamEncoder,
    encode,
    mulaw_decode,
    mulaw_encode,
    output_rate,
    wav_header,
)

RAW_FORMATS = ("pcm", "mulaw")
# Lossy codecs without a length header: ADTS AAC keeps 1024 priming samples and pads the last frame to
# 1024; streamed mp3 (no LAME header) keeps the encoder delay and pads to 1152. Everything else is exact.
SLACK_SAMPLES = {"aac": 2048, "mp3": 2 * 1152}


def tone(seconds: float, rate: int, hz: float = 220.0) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def expected_rate(fmt: str, rate: int) -> int:
    return FIXED_RATES.get(fmt, rate)


@pytest.mark.parametrize("rate", [22050, 24000, 8000])
@pytest.mark.parametrize("fmt", AUDIO_FORMATS)
def test_whole_file_decodes_to_the_right_rate_and_length(fmt: str, rate: int, decode) -> None:
    audio = tone(1.0, rate)
    out_rate = expected_rate(fmt, rate)
    samples, decoded_rate = decode(encode(audio, rate, fmt), fmt, out_rate if fmt in RAW_FORMATS else None)
    assert decoded_rate == out_rate
    slack = SLACK_SAMPLES.get(fmt, 0) if fmt != "mp3" else 0  # whole mp3 files carry the LAME header
    assert abs(samples.size - out_rate) <= slack + 1
    # the tone survives: same loudness within codec error
    assert 0.7 < np.sqrt(np.mean(samples**2)) / np.sqrt(np.mean(audio**2)) < 1.3


@pytest.mark.parametrize("fmt", AUDIO_FORMATS)
def test_streamed_pieces_concatenate_into_one_valid_file(fmt: str, decode) -> None:
    rate = 22050
    audio = tone(1.5, rate)
    encoder = StreamEncoder(fmt, rate)
    pieces = [encoder.push(audio[i : i + 1103]) for i in range(0, audio.size, 1103)]
    pieces.append(encoder.finish())
    assert sum(map(len, pieces[:-1])) > 0, "a stream must produce bytes before finish()"
    out_rate = expected_rate(fmt, rate)
    samples, decoded_rate = decode(b"".join(pieces), fmt, out_rate if fmt in RAW_FORMATS else None)
    assert decoded_rate == out_rate == encoder.sample_rate
    assert abs(samples.size - 1.5 * out_rate) <= SLACK_SAMPLES.get(fmt, 0) + 2


def test_streaming_wav_header_is_the_unknown_size_form() -> None:
    encoder = StreamEncoder("wav", 24000)
    data = encoder.push(tone(0.1, 24000)) + encoder.finish()
    assert data[4:8] == b"\xff\xff\xff\xff" and data[40:44] == b"\xff\xff\xff\xff"
    samples, rate = sf.read(io.BytesIO(data), dtype="float32")  # libsndfile accepts it too
    assert rate == 24000 and samples.size == 2400


def test_whole_wav_has_exact_sizes() -> None:
    data = encode(tone(0.5, 16000), 16000, "wav")
    assert data[:44] == wav_header(16000, 8000)
    assert len(data) == 44 + 2 * 8000


def test_empty_stream_is_still_a_valid_wav() -> None:
    encoder = StreamEncoder("wav", 22050)
    assert encoder.finish() == wav_header(22050)


def test_pcm_is_raw_little_endian_int16_and_clips() -> None:
    data = encode(np.array([0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0], np.float32), 24000, "pcm")
    assert np.frombuffer(data, "<i2").tolist() == [0, 16384, -16384, 32767, -32767, 32767, -32767]


def test_mulaw_round_trip_error_is_within_one_quantization_step() -> None:
    audio = np.linspace(-1.0, 1.0, 20001, dtype=np.float32)
    decoded = mulaw_decode(mulaw_encode(audio).tobytes())
    step = np.maximum(np.abs(audio) * 0.07, 16 / 32768)  # steps grow ~6% per level from 8/32768
    assert np.all(np.abs(decoded - audio) <= step)


def test_mulaw_silence_is_0xff() -> None:
    assert mulaw_encode(np.zeros(4, np.float32)).tolist() == [0xFF] * 4


def test_output_rates_and_media_types_cover_every_format() -> None:
    assert set(MEDIA_TYPES) == set(AUDIO_FORMATS)
    assert output_rate("opus", 22050) == 48000 and output_rate("mulaw", 22050) == 8000
    assert output_rate("mp3", 22050) == 22050


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="ogg"):
        encode(tone(0.1, 8000), 8000, "ogg")
    with pytest.raises(ValueError):
        StreamEncoder("ogg", 8000)


def test_push_after_finish_is_an_error() -> None:
    encoder = StreamEncoder("pcm", 8000)
    encoder.finish()
    with pytest.raises(RuntimeError):
        encoder.push(tone(0.1, 8000))
