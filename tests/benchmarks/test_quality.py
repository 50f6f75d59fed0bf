"""The quality benchmark's intonation measures: pitch level and movement, and closeness to a teacher."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.intonation import analyse, closeness, intonation_scores
from benchmarks.quality import mean_of_runs

RATE = 22050


def _tone(hz_start: float, hz_end: float, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    hz = np.geomspace(hz_start, hz_end, t.size)
    phase = 2 * np.pi * np.cumsum(hz) / RATE
    # a few harmonics, like a voice's excitation
    wave = np.zeros_like(phase)
    for k in range(1, 5):
        wave += np.sin(k * phase) / k
    return (0.3 * wave).astype(np.float32)


def test_a_steady_tone_has_its_pitch_and_no_spread() -> None:
    scores = intonation_scores([analyse(_tone(120.0, 120.0), RATE)], None)
    assert scores["f0_median_hz"] == pytest.approx(120.0, rel=0.03)
    assert scores["f0_spread_st"] < 0.3 and scores["f0_range_st"] < 1.0


def test_an_octave_glide_spreads_over_an_octave() -> None:
    scores = intonation_scores([analyse(_tone(100.0, 200.0), RATE)], None)
    assert 2.5 < scores["f0_spread_st"] < 4.5  # an even octave glide: 12 / sqrt(12) = 3.46 semitones
    assert 9.0 < scores["f0_range_st"] < 12.0  # p5-p95 of 12 semitones


def test_silence_has_no_pitch() -> None:
    scores = intonation_scores([analyse(np.zeros(RATE, dtype=np.float32), RATE)], None)
    assert scores["f0_median_hz"] == 0.0 and scores["f0_spread_st"] == 0.0


def test_a_contour_follows_itself_and_not_its_mirror() -> None:
    """Log-F0 correlation along the DTW path: the same rising glide correlates, a falling one does not, and a
    rendering at another pace still lines up (DTW); the cepstral distance of a signal to itself is zero."""
    rising, falling = analyse(_tone(100.0, 180.0), RATE), analyse(_tone(180.0, 100.0), RATE)
    slower = analyse(_tone(100.0, 180.0, seconds=1.3), RATE)
    corr, mcd = closeness(rising, rising)
    assert corr == pytest.approx(1.0) and mcd == pytest.approx(0.0, abs=1e-6)
    assert closeness(rising, slower)[0] > 0.9
    assert closeness(rising, falling)[0] < 0.5
    scores = intonation_scores([rising, falling], [[slower, rising], [rising, slower]])
    assert 0.0 < scores["f0_corr"] < 1.0 and scores["mcd_db"] > 0.0


def test_teacher_runs_average_into_one_row() -> None:
    def run(wer: float, p808: float, clips: list[float]) -> dict[str, object]:
        return {"system": "piper-joe", "wer": wer, "ovrl": 3.0, "p808": p808, "f0_median_hz": 120.0,
                "f0_spread_st": 6.0, "f0_range_st": 9.0, "hyps": ["a"], "p808_per_clip": clips}  # fmt: skip

    row = mean_of_runs([run(0.4, 3.90, [3.8, 4.0]), run(0.5, 4.00, [4.0, 4.0]), run(0.45, 3.95, [3.9, 4.0])])
    assert row["wer"] == pytest.approx(0.45) and row["p808"] == pytest.approx(3.95)
    assert row["p808_per_clip"] == pytest.approx([3.9, 4.0])
    assert [r["p808"] for r in row["runs"]] == [3.90, 4.00, 3.95]
    assert row["system"] == "piper-joe" and row["hyps"] == ["a"]


def test_held_out_sets_share_no_sentence_with_each_other() -> None:
    # a sentence used to choose checkpoints (dev) must not also score the release (test, test2)
    from benchmarks.quality import SETS

    held_out = SETS["test"] + SETS["test2"]
    assert len(set(held_out)) == len(held_out)
    assert not set(SETS["dev"]) & set(held_out)
    assert SETS["wide"] == held_out


def test_reference_words_keep_every_spoken_word() -> None:
    # the last word of a sentence carries its full stop: it must stay in the reference the WER is scored against
    from app.text.frontend import TextFrontend
    from benchmarks.quality import reference_words

    frontend = TextFrontend()
    assert reference_words("The birch canoe slid on the smooth planks.", frontend) == (
        "the birch canoe slid on the smooth planks"
    )
    assert reference_words("It's on the bridge, so leave at 9.", frontend) == "it s on the bridge so leave at nine"


def test_hypotheses_are_split_like_the_references() -> None:
    from benchmarks.quality import word_error_rate

    assert word_error_rate(["it s on the bridge"], ["It's on the bridge"]) == 0.0
    assert word_error_rate(["leave now"], [""]) == 1.0  # nothing heard: every word deleted
