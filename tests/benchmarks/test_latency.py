"""The latency benchmark's playback-stall measure (what a listener hears as a gap mid-stream)."""

from __future__ import annotations

import pytest

from benchmarks.latency import playback_stall


def test_chunks_that_arrive_before_the_buffer_runs_dry_never_stall() -> None:
    # 0.1 s chunks arriving every 0.05 s after the first: the buffer only grows
    assert playback_stall([(0.02 + 0.05 * k, 0.1) for k in range(20)]) == 0.0
    assert playback_stall([]) == 0.0


def test_a_late_chunk_stalls_by_how_late_it_is() -> None:
    # first 0.07 s of audio at 0.03 s runs out at 0.10 s; the next arrives at 0.25 s: 0.15 s of silence,
    # then playback resumes from 0.25 s, so a chunk at 0.30 s (before 0.25 + 0.2) is on time
    assert playback_stall([(0.03, 0.07), (0.25, 0.2), (0.30, 0.1)]) == pytest.approx(0.15)
    # two gaps add up
    assert playback_stall([(0.0, 0.1), (0.2, 0.1), (0.5, 0.1)]) == pytest.approx(0.1 + 0.2)
