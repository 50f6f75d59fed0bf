"""Vocoder windows and the listener's playback clock: how wide each window is, and by when it is due.

Vocoder windows carry the vocoder's receptive field of mel context on each side, and only the samples of their
new frames are kept, so joined windows equal a whole-utterance vocoding (the vocoder is a pure convolution
stack) at linear cost. Each stream keeps a playback clock (its listener starts playing at the first audio):
every job is due when the audio already sent runs out, and each window is as wide as that audio in hand
allows, so streams with seconds to spare make few, wide windows and yield the machine to streams about to
run dry.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

# New mel frames per vocoder window at least: small first windows for latency, then larger ones to amortize
# context (24 frames of it are recomputed per window). A stream with more audio in hand goes wider.
WINDOW_SCHEDULE = (6, 12, 24, 48, 64)
# While other streams share the machine, a stream's later windows wait in the queue anyway: wider windows
# there spend less on recomputed context and keep a saturated machine from shrinking every window.
BUSY_WINDOW_SCHEDULE = (6, 24, 64, 128)
# A new stream's first audio is due this long after it asks (one first window of audio): a stream that
# would otherwise run dry sooner is served first.
START_GRACE_S = 0.07


def next_window(
    start: int, n_frames: int, context: int, index: int, in_hand: float, max_frames: int, busy: bool = False
) -> tuple[int, int, int, int]:
    """(new_start, new_end, input_start, input_end) of the index-th window, which begins at frame start:
    the schedule's size, or if more, the frames the listener has in hand rounded down to a power of two
    (windows of equal length batch together), up to max_frames."""
    wide = 2 ** int(math.log2(min(max_frames, in_hand))) if in_hand >= 1 else 0
    schedule = BUSY_WINDOW_SCHEDULE if busy else WINDOW_SCHEDULE
    size = max(schedule[min(index, len(schedule) - 1)], wide)
    end = min(n_frames, start + size)
    if n_frames - end < schedule[0]:  # fold a tiny tail into this window
        end = n_frames
    return start, end, max(0, start - context), min(n_frames, end + context)


@dataclass
class PlaybackClock:
    """When a listener runs out of audio, if it plays each chunk as it arrives (and waits when none has).

    One clock can follow a listener across several texts (a WebSocket context's phrases). Not realtime: the
    caller collects the whole utterance (a file), so no one plays it as it comes: every job is due as a new
    stream's first one, and windows are as wide as they go from the start."""

    realtime: bool = True
    play_end: float | None = None  # time.monotonic() when the audio sent so far will have played

    def due(self, ahead: float = 0.0) -> float:
        """When the audio sent so far plus `ahead` seconds more runs out (before any was sent: the grace)."""
        if self.play_end is None or not self.realtime:
            return time.monotonic() + START_GRACE_S + ahead
        return self.play_end + ahead

    def in_hand(self) -> float:
        """Seconds of audio the listener has not played yet."""
        if not self.realtime:
            return math.inf
        return 0.0 if self.play_end is None else max(0.0, self.play_end - time.monotonic())

    def sent_audio(self, seconds: float) -> None:
        if seconds > 0:  # after a gap the listener resumes at the next chunk
            now = time.monotonic()
            self.play_end = max(self.play_end or now, now) + seconds
