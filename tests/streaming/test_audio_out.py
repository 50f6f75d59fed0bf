"""Audio out: resample, frame and encode in pieces equals doing it at once; frames sit on an exact grid."""

from __future__ import annotations

import numpy as np
import pytest

from app.audio.encode import to_pcm16
from app.audio.resample import resample
from app.engine.types import WordTiming
from app.streaming.audio_out import AudioOut, shift_words

RATE = 22050


def _signal(seconds: float = 1.3) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


@pytest.mark.parametrize("cuts", [[RATE], [1, 500, 3000, 7001], [1102, 1103, 1102]])
def test_pcm_frames_join_into_the_whole_and_keep_the_50_ms_grid(cuts: list[int]) -> None:
    signal = _signal()
    out = AudioOut(RATE, RATE, "pcm", 50.0)
    pieces, start = [], 0
    while start < signal.size:
        for cut in cuts:
            pieces += out.push(signal[start : start + cut])
            start += cut
    pieces += out.flush(final=True)
    frames = [len(p) // 2 for p in pieces]
    assert all(n in (1102, 1103) for n in frames[:-1])  # 1102.5 samples a frame, no drift
    assert b"".join(pieces) == to_pcm16(signal).tobytes()
    assert out.samples_out == signal.size


def test_resampled_stream_matches_one_shot_resampling_in_length() -> None:
    signal = _signal()
    out = AudioOut(RATE, 16000, "pcm", None)
    data = b"".join(out.push(signal[:10000]) + out.push(signal[10000:]) + out.flush(final=True))
    assert len(data) // 2 == resample(signal, RATE, 16000).size


def test_word_timings_move_to_the_stream_clock() -> None:
    [word] = shift_words([WordTiming("hi", 0.1, 0.3, 0, 2)], 2.0, 40)
    assert (word.start, word.end, word.text_start, word.text_end) == (2.1, 2.3, 40, 42)
