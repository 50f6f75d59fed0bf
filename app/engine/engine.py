"""The synthesis engine: text → phrases → (batched) FastSpeech 2 → windowed vocoding → audio chunks.

Time to first audio is one phrase's acoustic pass plus one small vocoder window. The acoustic pass of
the next phrase runs while the current one is vocoded. Vocoder windows carry `context_frames` of mel
on each side, and only the samples of their new frames are kept, so the joined chunks equal a
whole-utterance vocoding (the vocoder is a pure convolution stack) at linear cost.

Each stream keeps a playback clock (its listener starts playing at the first audio): every job it hands
the scheduler is due when the audio already sent runs out, and each window is as wide as that audio in
hand allows, so streams with seconds to spare make few, wide windows (less context recomputed) and yield
the machine to streams about to run dry.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.audio.pitch import GridPitchShifter
from app.engine.backends import AcousticBackend, CpuLanes, VocoderBackend, make_acoustic, make_vocoder
from app.engine.bundle import VoiceBundle, discover
from app.engine.plan import Phrase, plan_phrases
from app.engine.scheduler import BatchScheduler
from app.engine.types import (
    ENERGY_RANGE,
    PITCH_RANGE,
    SPEED_RANGE,
    AudioChunk,
    CancelToken,
    EngineBusy,
    SpeechTooLong,
    SynthesisError,
    SynthesisOptions,
    VoiceInfo,
    WordTiming,
)
from app.settings import Settings
from app.text.frontend import TextFrontend, load_lexicon
from app.vocoder.source import SourceBuilder, frame_f0

# New mel frames per vocoder window at least: small first windows for latency, then larger ones to amortize
# context (24 frames of it are recomputed per window). A stream with more audio in hand goes wider.
WINDOW_SCHEDULE = (6, 12, 24, 48, 64)
# While other streams share the machine, a stream's later windows wait in the queue anyway: wider windows
# there spend less on recomputed context and keep a saturated machine from shrinking every window.
BUSY_WINDOW_SCHEDULE = (6, 24, 64, 128)
# A new stream's first audio is due this long after it asks (one first window of audio): a stream that
# would otherwise run dry sooner is served first.
START_GRACE_S = 0.07
# How far ahead of now a batch gathers jobs (BatchScheduler): on a CPU a batch costs the sum of its jobs.
CPU_BATCH_HORIZON_S = 0.1


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


@dataclass
class _Voice:
    bundle: VoiceBundle
    acoustic: AcousticBackend
    vocoder: VocoderBackend
    info: VoiceInfo


@dataclass
class _AcousticJob:
    ids: list[int]
    speaker: int
    speed: float
    pitch_shift: float
    energy: float


class Engine:
    def __init__(self, settings: Settings, voices: dict[str, _Voice], frontend: TextFrontend) -> None:
        self.settings = settings
        self._voices = voices
        self.voices = {name: v.info for name, v in voices.items()}
        self.default_voice = settings.default_voice if settings.default_voice in voices else next(iter(voices))
        self.frontend = frontend
        horizon = CPU_BATCH_HORIZON_S if settings.device == "cpu" else math.inf
        self.scheduler = BatchScheduler(settings.max_batch, settings.batch_wait_ms, settings.inference_workers, horizon)
        self._active = 0
        self.warm = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Engine:
        bundles = discover(settings.voices_dir)
        # several workers on a CPU: runs that overlap share the cores instead of each asking for all of them
        lanes = CpuLanes(settings.inference_workers) if settings.inference_workers > 1 else None
        vocoders: dict[str, VocoderBackend] = {}
        acoustics: dict[tuple[tuple[str, str], ...], AcousticBackend] = {}
        voices = {}
        for name, b in bundles.items():
            key = str(b.vocoder.root)
            if key not in vocoders:  # voices that share a vocoder share one session
                vocoders[key] = make_vocoder(settings.backend, b.vocoder, settings.device, settings.threads,
                                             settings.onnx_memory_arena, lanes, settings.int8_vocoder)  # fmt: skip
            weights = tuple(sorted(b.digests.items()))
            if weights not in acoustics:  # speakers of one multi-speaker model share one session too
                acoustics[weights] = make_acoustic(
                    settings.backend, b, settings.device, settings.threads, settings.onnx_memory_arena, lanes
                )
            info = VoiceInfo(name, b.audio.sample_rate, b.language, b.speaker_id, b.description, b.teachers)
            voices[name] = _Voice(b, acoustics[weights], vocoders[key], info)
        lexicon = load_lexicon(settings.lexicon_path) if settings.lexicon_path else None
        return cls(settings, voices, TextFrontend(lexicon=lexicon))

    # -- public API -------------------------------------------------------------------------------

    def voice(self, name: str | None) -> VoiceInfo:
        key = name or self.default_voice
        if key not in self.voices:
            raise SynthesisError(f"unknown voice {key!r}; available: {', '.join(sorted(self.voices))}")
        return self.voices[key]

    def active_streams(self) -> int:
        return self._active

    def queue_depth(self) -> int:
        return self.scheduler.depth()

    async def warmup(self) -> None:
        for name in self.voices:
            await self.synthesize("Hello there.", SynthesisOptions(voice=name))
        self.warm = True

    async def close(self) -> None:
        await asyncio.to_thread(self.scheduler.close)

    def validate(self, options: SynthesisOptions) -> VoiceInfo:
        info = self.voice(options.voice)
        for label, value, (lo, hi) in (("speed", options.speed, SPEED_RANGE), ("pitch", options.pitch, PITCH_RANGE),
                                       ("energy", options.energy, ENERGY_RANGE)):  # fmt: skip
            if not (math.isfinite(value) and lo <= value <= hi):
                raise SynthesisError(f"{label} must be between {lo} and {hi}, got {value}")
        return info

    def plan(self, text: str, options: SynthesisOptions, ssml: bool = False) -> list[Phrase]:
        """Text (or SSML) → phrases with phonemes; raises SynthesisError when nothing is speakable."""
        self.validate(options)
        phrases = plan_phrases(text, self.frontend, options, ssml)
        first = next((p for p in phrases if p.speakable), None)
        if first is None:
            raise SynthesisError("the text contains nothing speakable")
        words, limit = sum(p.spoken_words for p in phrases), self.settings.max_spoken_words
        if words > limit:  # refused up front, not after minutes of synthesis and a timeout
            raise SpeechTooLong(f"the text reads out as {words} words; the limit is {limit} per request")
        first.analyze(self.frontend)  # the rest are analyzed as the stream reaches them
        return phrases

    async def stream(
        self,
        text: str,
        options: SynthesisOptions,
        cancel: CancelToken | None = None,
        ssml: bool = False,
        clock: PlaybackClock | None = None,
    ) -> AsyncIterator[AudioChunk]:
        """Audio chunks as they are synthesized. clock: the listener's (default: a new one, playing from the
        first chunk); PlaybackClock(realtime=False) when the caller wants the whole utterance (a file)."""
        info = self.validate(options)
        phrases = await asyncio.to_thread(self.plan, text, options, ssml)
        if self._active >= self.settings.max_concurrent_streams:
            raise EngineBusy("too many concurrent streams")
        voice = self._voices[info.name]
        cancel = cancel or CancelToken()
        clock = clock or PlaybackClock()
        self._active += 1
        self.scheduler.active_streams = self._active
        pending: asyncio.Task[_AcousticOut] | None = None
        try:
            hop, rate = voice.bundle.audio.hop_length, info.sample_rate
            offset = 0  # samples emitted so far
            for i, phrase in enumerate(phrases):
                if cancel.cancelled:
                    return
                if phrase.pause_before > 0:
                    silence = np.zeros(round(phrase.pause_before * rate), dtype=np.float32)
                    offset += len(silence)
                    clock.sent_audio(len(silence) / rate)
                    yield AudioChunk(silence)
                if not phrase.speakable:
                    continue
                if pending is None:
                    pending = asyncio.ensure_future(self._acoustic(voice, phrase, clock.due()))
                mel, durations, source = await pending
                pending = None
                n_frames = mel.shape[1]
                nxt = next((p for p in phrases[i + 1 :] if p.speakable), None)
                if nxt is not None:  # overlap the next phrase's acoustic pass with this one's vocoding
                    pending = asyncio.ensure_future(self._acoustic(voice, nxt, clock.due(n_frames * hop / rate)))
                words = _word_timings(phrase, durations, hop, rate, offset)
                grid_phase = voice.bundle.vocoder.pitch_grid_phase  # set for a frame-locked vocoder
                shifter = (
                    GridPitchShifter(hop, phrase.pitch, grid_phase) if grid_phase is not None and phrase.pitch else None
                )
                a, index, emitted = 0, 0, 0  # frames vocoded, windows run, samples handed out (this phrase)
                while a < n_frames:
                    if cancel.cancelled:
                        return
                    in_hand = clock.in_hand() * rate / hop
                    busy = self.settings.busy_windows and self._active > 1
                    a, b, s, e = next_window(a, n_frames, voice.bundle.vocoder.context_frames, index, in_hand,
                                             self.settings.max_window_frames, busy)  # fmt: skip
                    window = (mel[:, s:e], None if source is None else source.slice(s * hop, e * hop))
                    audio = await self.scheduler.submit(("voc", id(voice.vocoder), e - s), window,
                                                        _vocoder_batch(voice.vocoder), clock.due())  # fmt: skip
                    piece = audio[(a - s) * hop : (b - s) * hop]
                    a, index = b, index + 1
                    if shifter is not None:  # it holds back ~2.5 frames, handed out with the phrase's last window
                        piece = shifter.push(piece)
                        if a >= n_frames:
                            piece = np.concatenate([piece, shifter.flush()])
                        if not piece.size:
                            continue
                    if phrase.gain != 1.0:
                        piece = np.clip(piece * phrase.gain, -1.0, 1.0)
                    lo, hi = (offset + emitted) / rate, (offset + emitted + len(piece)) / rate
                    emitted += len(piece)
                    clock.sent_audio(len(piece) / rate)
                    yield AudioChunk(piece, [w for w in words if lo <= w.start < hi])
                offset += n_frames * hop
        finally:
            if pending is not None:
                pending.cancel()
            self._active -= 1
            self.scheduler.active_streams = self._active

    async def synthesize(
        self, text: str, options: SynthesisOptions, ssml: bool = False
    ) -> tuple[np.ndarray, list[WordTiming]]:
        pieces, words = [], []
        async for chunk in self.stream(text, options, ssml=ssml, clock=PlaybackClock(realtime=False)):
            pieces.append(chunk.samples)
            words += chunk.words
        return (np.concatenate(pieces) if pieces else np.zeros(0, np.float32)), words

    async def vocoder_inputs(self, text: str, options: SynthesisOptions) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """What the vocoder is given for this text, phrase by phrase: the mel (postfilter applied) and the
        whole harmonic source, or None for a vocoder without one. For tools that study or calibrate the
        vocoder on served inputs (training.quantize)."""
        voice = self._voices[self.validate(options).name]
        out = []
        for phrase in await asyncio.to_thread(self.plan, text, options):
            if phrase.speakable:
                mel, _, source = await self._acoustic(voice, phrase)
                out.append((mel, None if source is None else source.slice(0, source.n)))
        return out

    # -- internals --------------------------------------------------------------------------------

    async def _acoustic(self, voice: _Voice, phrase: Phrase, due: float | None = None) -> _AcousticOut:
        """Mel, durations and (for source-excited vocoders) the phrase's harmonic source; due: by when."""
        if phrase.sequence is None:  # front end for a later phrase: off the event loop, while audio flows
            await asyncio.to_thread(phrase.analyze, self.frontend)
        assert phrase.sequence is not None
        cfg = voice.bundle.acoustic
        spk = voice.info.speaker_id
        # semitones → the model's normalised log-F0 units; a frame-locked vocoder is shifted after it instead
        shift = 0.0 if voice.bundle.vocoder.frame_locked else phrase.pitch * math.log(2.0) / 12.0 / cfg.pitch_std[spk]
        ids = phrase.sequence.ids
        job = _AcousticJob(ids, spk, phrase.speed, shift, phrase.energy)
        mel, durations, pitch = await self.scheduler.submit(
            ("ac", id(voice.acoustic)), job, _acoustic_batch(voice.acoustic), due
        )
        mel = voice.bundle.postfilter(mel)
        source = None
        if voice.bundle.vocoder.config.source:
            # one phrase-long source, built as its windows reach it, so windows still join into the whole
            log_f0 = pitch * cfg.pitch_std[spk] + cfg.pitch_mean[spk]
            f0, voiced = frame_f0(log_f0, durations, np.asarray(ids))
            noise_seed = 0 if voice.bundle.vocoder.config.source_noise else None
            source = SourceBuilder(f0, voiced, voice.bundle.audio.hop_length, voice.info.sample_rate, 0.0, noise_seed)
        return mel, durations, source


_AcousticOut = tuple[np.ndarray, np.ndarray, SourceBuilder | None]


def _acoustic_batch(backend: AcousticBackend) -> Any:
    def run(jobs: Sequence[_AcousticJob]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        t = max(len(j.ids) for j in jobs)
        ids = np.zeros((len(jobs), t), dtype=np.int64)
        for i, j in enumerate(jobs):
            ids[i, : len(j.ids)] = j.ids
        mel, lengths, durations, pitch = backend(
            ids,
            np.array([j.speaker for j in jobs], dtype=np.int64),
            np.array([1.0 / j.speed for j in jobs], dtype=np.float32),
            np.array([j.pitch_shift for j in jobs], dtype=np.float32),
            np.array([j.energy for j in jobs], dtype=np.float32),
        )
        return [
            (mel[i, :, : int(lengths[i])], durations[i, : len(j.ids)], pitch[i, : len(j.ids)])
            for i, j in enumerate(jobs)
        ]

    return run


def _vocoder_batch(backend: VocoderBackend) -> Any:
    def run(windows: Sequence[tuple[np.ndarray, np.ndarray | None]]) -> list[np.ndarray]:
        sources = [w[1] for w in windows]
        source = np.stack(sources) if sources[0] is not None else None  # type: ignore[arg-type]
        audio = backend(np.stack([w[0] for w in windows]), source)
        return [audio[i] for i in range(len(windows))]

    return run


def _word_timings(phrase: Phrase, durations: np.ndarray, hop: int, rate: int, offset: int) -> list[WordTiming]:
    assert phrase.sequence is not None
    seq = phrase.sequence
    ends = np.cumsum(durations)
    starts = ends - durations
    out: list[WordTiming] = []
    for wi, word in enumerate(seq.words):
        idx = [k for k, w in enumerate(seq.word_index) if w == wi]
        if not idx:
            continue
        start = (offset + int(starts[idx[0]]) * hop) / rate
        end = (offset + int(ends[idx[-1]]) * hop) / rate
        if out and out[-1].text_start == word.text_start and out[-1].text_end == word.text_end:
            # one written token read as several words ("$5" → "five dollars"): one timing for what was written
            prev = out[-1]
            out[-1] = WordTiming(prev.word, prev.start, end, prev.text_start, prev.text_end)
            continue
        out.append(WordTiming(phrase.text[word.text_start : word.text_end], start, end, word.text_start, word.text_end))
    return out
