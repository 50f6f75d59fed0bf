"""The synthesis engine: text → phrases → (batched) acoustic passes → windowed vocoding → audio chunks.

The engine schedules and streams; each voice's stages and signal processing live in `Voice`, window sizes and
the listener's playback clock in `windows`. Time to first audio is one phrase's acoustic pass plus one small
vocoder window; the acoustic pass of the next phrase runs while the current one is vocoded.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator

import numpy as np

from app.engine.backends import AcousticBackend, CpuLanes, VocoderBackend, make_acoustic, make_vocoder
from app.engine.bundle import discover
from app.engine.config import EngineConfig
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
    UnknownVoice,
    VoiceInfo,
    WordTiming,
)
from app.engine.voice import Prosody, VocoderInput, Voice
from app.engine.windows import PlaybackClock, next_window
from app.text.frontend import TextFrontend, load_lexicon


class Engine:
    def __init__(self, config: EngineConfig, voices: dict[str, Voice], frontend: TextFrontend) -> None:
        self.config = config
        self._voices = voices
        self.voices = {name: v.info for name, v in voices.items()}
        self.default_voice = config.default_voice if config.default_voice in voices else next(iter(voices))
        self.frontend = frontend
        self.scheduler = BatchScheduler(
            config.batch_limit, config.batch_wait_ms, config.inference_workers, config.batch_horizon_s
        )
        self._active = 0
        self.warm = False

    @classmethod
    def load(cls, config: EngineConfig) -> Engine:
        """Every voice bundle under config.voices_dir, with its inference sessions."""
        bundles = discover(config.voices_dir)
        # several workers on a CPU: runs that overlap share the cores instead of each asking for all of them
        lanes = CpuLanes(config.inference_workers) if config.inference_workers > 1 else None
        vocoders: dict[str, VocoderBackend] = {}
        acoustics: dict[tuple[tuple[str, str], ...], AcousticBackend] = {}
        voices = {}
        for name, b in bundles.items():
            key = str(b.vocoder.root)
            if key not in vocoders:  # voices that share a vocoder share one session
                vocoders[key] = make_vocoder(config.backend, b.vocoder, config.device, config.threads,
                                             config.onnx_memory_arena, lanes, config.int8_vocoder)  # fmt: skip
            weights = tuple(sorted(b.digests.items()))
            if weights not in acoustics:  # speakers of one multi-speaker model share one session too
                acoustics[weights] = make_acoustic(
                    config.backend, b, config.device, config.threads, config.onnx_memory_arena, lanes
                )
            voices[name] = Voice(b, acoustics[weights], vocoders[key])
        lexicon = load_lexicon(config.lexicon_path) if config.lexicon_path else None
        return cls(config, voices, TextFrontend(lexicon=lexicon, date_order=config.date_order))

    # -- public API -------------------------------------------------------------------------------

    def voice(self, name: str | None) -> VoiceInfo:
        key = name or self.default_voice
        if key not in self.voices:
            raise UnknownVoice(f"unknown voice {key!r}; available: {', '.join(sorted(self.voices))}")
        return self.voices[key]

    def loaded_voice(self, name: str | None) -> Voice:
        """The voice object itself, for tools that run its stages directly (benchmarks, quantization)."""
        return self._voices[self.voice(name).name]

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
        words, limit = sum(p.spoken_words for p in phrases), self.config.max_spoken_words
        if words > limit:  # refused up front, not after minutes of synthesis and a timeout
            raise SpeechTooLong(f"the text reads out as {words} words; the limit is {limit} per request")
        seconds, max_s = sum(p.seconds_estimate for p in phrases), self.config.max_audio_s
        if seconds > max_s:
            raise SpeechTooLong(f"the request makes about {seconds:.0f} s of audio (silence included); the limit "
                                f"is {max_s:g} s", code="audio_too_long")  # fmt: skip
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
        if self._active >= self.config.stream_limit:
            raise EngineBusy("too many concurrent streams")
        voice = self._voices[info.name]
        cancel = cancel or CancelToken()
        clock = clock or PlaybackClock()
        self._active += 1
        self.scheduler.active_streams = self._active
        pending: asyncio.Task[tuple[Prosody, VocoderInput]] | None = None
        try:
            hop, rate = voice.hop, voice.sample_rate
            offset = 0  # samples emitted so far
            max_samples = round(self.config.max_audio_s * rate)
            for i, phrase in enumerate(phrases):
                if cancel.cancelled:
                    return
                if offset > max_samples:  # the estimate let it through; the real duration stops it
                    raise SpeechTooLong(f"the audio passed the limit of {self.config.max_audio_s:g} s",
                                        code="audio_too_long")  # fmt: skip
                if phrase.pause_before > 0:
                    silence = np.zeros(round(phrase.pause_before * rate), dtype=np.float32)
                    offset += len(silence)
                    clock.sent_audio(len(silence) / rate)
                    yield AudioChunk(silence)
                if not phrase.speakable:
                    continue
                if pending is None:
                    pending = asyncio.ensure_future(self._acoustic(voice, phrase, clock.due()))
                prosody, inputs = await pending
                pending = None
                n_frames = inputs.n_frames
                nxt = next((p for p in phrases[i + 1 :] if p.speakable), None)
                if nxt is not None:  # overlap the next phrase's acoustic pass with this one's vocoding
                    pending = asyncio.ensure_future(self._acoustic(voice, nxt, clock.due(n_frames * hop / rate)))
                words = _word_timings(phrase, prosody.durations, hop, rate, offset)
                a, index, emitted = 0, 0, 0  # frames vocoded, windows run, samples handed out (this phrase)
                while a < n_frames:
                    if cancel.cancelled:
                        return
                    in_hand = clock.in_hand() * rate / hop
                    busy = self.config.busy_windows and self._active > 1
                    a, b, s, e = next_window(a, n_frames, voice.context_frames, index, in_hand,
                                             self.config.max_window_frames, busy)  # fmt: skip
                    audio = await self.scheduler.submit(("voc", id(voice.vocoder), e - s), inputs.window(s, e),
                                                        voice.run_vocoder, clock.due())  # fmt: skip
                    piece = audio[(a - s) * hop : (b - s) * hop]
                    a, index = b, index + 1
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

    # -- internals --------------------------------------------------------------------------------

    async def _acoustic(self, voice: Voice, phrase: Phrase, due: float | None = None) -> tuple[Prosody, VocoderInput]:
        """The phrase's acoustic pass (batched with other streams') and its vocoder input; due: by when."""
        if phrase.sequence is None:  # front end for a later phrase: off the event loop, while audio flows
            await asyncio.to_thread(phrase.analyze, self.frontend)
        assert phrase.sequence is not None
        ids = phrase.sequence.ids
        job = voice.acoustic_job(ids, phrase.speed, phrase.pitch, phrase.energy)
        prosody: Prosody = await self.scheduler.submit(("ac", id(voice.acoustic)), job, voice.run_acoustic, due)
        return prosody, voice.vocoder_input(prosody, ids)


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
