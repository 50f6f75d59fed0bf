"""The synthesis engine with the shipped voices: real weights, real audio."""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.engine.config import EngineConfig
from app.engine.engine import Engine
from app.engine.types import CancelToken, SpeechTooLong, SynthesisError, SynthesisOptions, WordTiming
from app.engine.windows import START_GRACE_S, PlaybackClock, next_window

TEXT = "The quick brown fox jumps over the lazy dog, and then it rests in the warm afternoon sun."


def collect(engine: Engine, text: str, **opts: Any) -> tuple[np.ndarray, list[WordTiming]]:
    return asyncio.run(engine.synthesize(text, SynthesisOptions(**opts)))


def sdr_db(reference: np.ndarray, estimate: np.ndarray) -> float:
    return float(10 * np.log10(np.sum(reference**2) / max(np.sum((reference - estimate) ** 2), 1e-20)))


def windows(
    n_frames: int, context: int, in_hand: float = 0.0, max_frames: int = 128
) -> list[tuple[int, int, int, int]]:
    """Every window over n_frames for a listener with a constant in_hand frames of audio."""
    out: list[tuple[int, int, int, int]] = []
    while not out or out[-1][1] < n_frames:
        out.append(next_window(out[-1][1] if out else 0, n_frames, context, len(out), in_hand, max_frames))
    return out


@pytest.mark.parametrize("in_hand", [0.0, 30.0, 1e6])
def test_windows_cover_every_frame_once(in_hand: float) -> None:
    for n in (1, 5, 6, 7, 40, 123, 1000):
        spans = windows(n, 8, in_hand)
        assert spans[0][0] == 0 and spans[-1][1] == n
        assert all(nxt[0] == cur[1] for cur, nxt in itertools.pairwise(spans))
        assert all(max(0, a - 8) == s and min(n, b + 8) == e for a, b, s, e in spans)
        assert all(b - a <= 128 + 6 for a, b, _, _ in spans)  # max_frames, plus a folded tail


def test_the_first_window_is_small_when_the_listener_has_nothing() -> None:
    assert windows(1000, 12, 0.0)[0][1] < 12
    assert windows(1000, 12, 0.0, max_frames=512)[0][1] < 12


def test_audio_in_hand_widens_windows_and_recomputes_less_context() -> None:
    def computed(in_hand: float, max_frames: int = 128) -> int:
        return sum(e - s for _, _, s, e in windows(390, 12, in_hand, max_frames))

    assert computed(1e6) < 0.85 * computed(0.0)
    assert computed(1e6, max_frames=512) < computed(1e6)
    assert windows(390, 12, 100.0)[0][1] == 64  # the audio in hand, rounded down to a power of two
    assert windows(390, 12, 200.0)[0][1] == 128


def test_one_listener_across_texts_gets_wide_windows_while_it_has_audio_in_hand(engine: Engine) -> None:
    """A WebSocket context speaks phrase after phrase to one listener: with seconds of the first phrase still
    to play, the next phrase needs no small first window."""
    clock = PlaybackClock()

    async def speak(text: str) -> list[np.ndarray]:
        return [c.samples async for c in engine.stream(text, SynthesisOptions(), clock=clock)]

    hop = engine.loaded_voice("joe").hop
    first = asyncio.run(speak(TEXT))  # about 5 s of audio, made in a fraction of that
    assert len(first[0]) < 12 * hop
    assert clock.in_hand() > 1.0
    second = asyncio.run(speak("And then the fox went home."))
    assert len(second[0]) >= 64 * hop


def test_the_playback_clock_runs_out_when_the_sent_audio_has_played() -> None:
    clock = PlaybackClock()
    before = time.monotonic()
    assert before + START_GRACE_S <= clock.due() and clock.in_hand() == 0.0  # nothing sent: due soon
    clock.sent_audio(0.5)
    assert clock.play_end is not None and before + 0.5 <= clock.play_end <= time.monotonic() + 0.5
    assert 0.0 < clock.in_hand() <= 0.5
    assert clock.due(ahead=2.0) == pytest.approx(clock.play_end + 2.0)
    clock.sent_audio(0.25)  # more audio before the first ran out: it queues behind it
    assert clock.play_end <= time.monotonic() + 0.75
    clock.play_end -= 10.0  # as if the listener ran dry long ago: it resumes at the next chunk
    clock.sent_audio(0.1)
    assert time.monotonic() < clock.play_end <= time.monotonic() + 0.1
    whole_file = PlaybackClock(realtime=False)
    whole_file.sent_audio(3.0)
    assert whole_file.in_hand() == float("inf")  # windows as wide as they go
    assert whole_file.due() <= time.monotonic() + START_GRACE_S  # every job due like a first one


async def _stream_chunks(engine: Engine, text: str, voice: str, realtime: bool) -> list[np.ndarray]:
    clock = PlaybackClock(realtime)
    return [c.samples async for c in engine.stream(text, SynthesisOptions(voice=voice), clock=clock)]


@pytest.mark.parametrize("realtime", [True, False])  # small first windows for a listener; wide ones for a file
@pytest.mark.parametrize("name", ["joe", "rms"])  # each shipped vocoder
def test_streamed_audio_equals_whole_utterance_vocoding(engine: Engine, name: str, realtime: bool) -> None:
    voice = engine.loaded_voice(name)
    ids = engine.plan(TEXT, SynthesisOptions(voice=name))[0].analyze(engine.frontend).ids
    whole = voice.vocode(voice.vocoder_input(voice.prosody(ids), ids))
    chunks = asyncio.run(_stream_chunks(engine, TEXT, name, realtime))
    streamed = np.concatenate(chunks)
    assert len(streamed) == len(whole)
    assert sdr_db(whole, streamed) >= 40.0
    hop = voice.hop
    if realtime:
        assert len(chunks[0]) < 12 * hop  # the listener's first audio waits for one small window
    else:
        assert len(chunks[0]) >= min(len(whole), 128 * hop)  # a file is vocoded in the widest windows


def test_audio_is_speech_like(engine: Engine) -> None:
    audio, words = collect(engine, "Hello world. This is a test of the speech engine.")
    rate = engine.voice(None).sample_rate
    assert 1.5 < len(audio) / rate < 6.0
    assert np.isfinite(audio).all() and np.abs(audio).max() <= 1.0
    rms = float(np.sqrt(np.mean(audio**2)))
    assert 0.01 < rms < 0.5
    assert [w.word for w in words] == ["Hello", "world", "This", "is", "a", "test", "of", "the", "speech", "engine"]


def test_word_timestamps_monotonic_and_inside_audio(engine: Engine) -> None:
    text = "On Jan. 5, Dr. Smith paid $1,250 for 3 tickets."
    audio, words = collect(engine, text)
    duration = len(audio) / engine.voice(None).sample_rate
    assert words[0].word == "On"
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    assert all(0 <= w.start < w.end <= duration + 1e-6 for w in words)
    for w in words:
        assert text[w.text_start : w.text_end] == w.word


def test_speed_two_halves_duration(engine: Engine) -> None:
    normal, _ = collect(engine, TEXT)
    fast, _ = collect(engine, TEXT, speed=2.0)
    assert len(fast) / len(normal) == pytest.approx(0.5, rel=0.05)


@pytest.mark.parametrize(
    "name",
    [
        "joe",  # frame-locked vocoder (86 Hz comb): its frame-grid pitch marks are moved after it
        "rms",  # sinc vocoder: follows the F0 the acoustic model predicts, shift included
    ],
)
def test_pitch_shift_raises_f0(engine: Engine, name: str) -> None:
    import pyworld

    rate = engine.voice(name).sample_rate

    def median_f0(audio: np.ndarray) -> float:
        f0, _ = pyworld.harvest(audio.astype(np.float64), rate, f0_floor=50, f0_ceil=600)
        return float(np.median(f0[f0 > 0]))

    base = median_f0(collect(engine, TEXT, voice=name)[0])
    up = median_f0(collect(engine, TEXT, voice=name, pitch=4.0)[0])
    down = median_f0(collect(engine, TEXT, voice=name, pitch=-4.0)[0])
    assert down < base < up
    assert up / base == pytest.approx(2 ** (4 / 12), rel=0.12)


def test_a_shifted_stream_keeps_duration_words_and_the_unshifted_voice(engine: Engine) -> None:
    text = "Turn left at the lights. Then keep going for about two miles."
    base, base_words = collect(engine, text, voice="joe")
    chunks = asyncio.run(_chunks(engine, text, SynthesisOptions(voice="joe", pitch=3.0)))
    shifted = np.concatenate([c.samples for c in chunks])
    assert len(shifted) == len(base)  # the grid shifter hands back every sample it holds
    assert all(c.samples.size for c in chunks)
    words = [w for c in chunks for w in c.words]
    assert [(w.word, w.start) for w in words] == [(w.word, w.start) for w in base_words]
    assert not np.allclose(shifted, base, atol=1e-3)
    again, _ = collect(engine, text, voice="joe")  # no state left behind for the next request
    assert np.array_equal(again, base)


async def _chunks(engine: Engine, text: str, options: SynthesisOptions) -> list[Any]:
    return [c async for c in engine.stream(text, options, clock=PlaybackClock(realtime=False))]


def test_energy_scale_changes_loudness(engine: Engine) -> None:
    def rms(a: np.ndarray) -> float:
        return float(np.sqrt(np.mean(a**2)))

    quiet, normal, loud = (rms(collect(engine, TEXT, energy=e)[0]) for e in (0.5, 1.0, 1.5))
    assert quiet < normal < loud


def test_concurrent_streams_do_not_mix(engine: Engine) -> None:
    texts = ["Good morning, how are you today?", "The train leaves at nine.", "Please call me back later."]
    alone = [collect(engine, t)[0] for t in texts]

    async def together() -> list[np.ndarray]:
        results = await asyncio.gather(*(engine.synthesize(t, SynthesisOptions()) for t in texts))
        return [r[0] for r in results]

    for a, b in zip(alone, asyncio.run(together()), strict=True):
        assert len(a) == len(b) and sdr_db(a, b) >= 40.0


def test_cancel_stops_the_stream_and_frees_it(engine: Engine) -> None:
    long_text = " ".join([TEXT] * 6)

    async def run() -> int:
        token = CancelToken()
        chunks = 0
        async for _ in engine.stream(long_text, SynthesisOptions(), token):
            chunks += 1
            if chunks == 2:
                token.cancel()
        return chunks

    assert asyncio.run(run()) <= 3
    assert engine.active_streams() == 0


@pytest.mark.parametrize("text", ["", "   ", "!!! ... ???", "\U0001f600\U0001f389"])
def test_nothing_speakable_is_a_client_error(engine: Engine, text: str) -> None:
    with pytest.raises(SynthesisError, match="nothing speakable"):
        collect(engine, text)


def test_speech_too_long_to_read_is_refused_before_synthesis(engine: Engine) -> None:
    with pytest.raises(SpeechTooLong, match="reads out as 4000 words; the limit is 2500"):
        engine.plan("7" * 4000, SynthesisOptions())  # 4 096 characters are allowed, but read digit by digit
    assert sum(p.spoken_words for p in engine.plan("It costs $1,234.", SynthesisOptions())) == 9
    assert engine.plan("Short and sweet. " * 100, SynthesisOptions())  # 300 words: well within


@pytest.mark.parametrize(("field", "value"), [("speed", 0.1), ("speed", 9.0), ("pitch", 30.0), ("energy", 0.0),
                                              ("speed", float("nan"))])  # fmt: skip
def test_out_of_range_controls_are_client_errors(engine: Engine, field: str, value: float) -> None:
    with pytest.raises(SynthesisError, match=field):
        collect(engine, "Hello.", **{field: value})


def test_unknown_voice(engine: Engine) -> None:
    with pytest.raises(SynthesisError, match="unknown voice"):
        asyncio.run(engine.synthesize("Hello.", SynthesisOptions(voice="nobody")))


def test_ssml_breaks_and_prosody(engine: Engine) -> None:
    rate = engine.voice(None).sample_rate
    plain, _ = collect(engine, "One two.")
    ssml_audio, words = asyncio.run(engine.synthesize('<speak>One <break time="1s"/> two.</speak>', SynthesisOptions(),
                                                      ssml=True))  # fmt: skip
    assert len(ssml_audio) > len(plain) + 0.8 * rate
    assert [w.word for w in words] == ["One", "two"]
    slow, _ = asyncio.run(engine.synthesize('<speak><prosody rate="50%">One two.</prosody></speak>',
                                            SynthesisOptions(), ssml=True))  # fmt: skip
    assert len(slow) > 1.6 * len(plain)


def test_per_request_lexicon_changes_pronunciation(engine: Engine) -> None:
    base = engine.plan("Xylo", SynthesisOptions())[0].sequence
    custom = engine.plan("Xylo", SynthesisOptions(lexicon={"xylo": ["Z", "AY1", "L", "OW0"]}))[0].sequence
    assert base is not None and custom is not None
    assert custom.symbols[1:5] == ["Z", "AY1", "L", "OW0"]


def test_voices_of_one_model_share_a_session_and_keep_their_own_dsp(tmp_path: Path) -> None:
    """Bundles that name the same weights (speakers of one model, or one voice with other settings) load the
    acoustic model and the vocoder once; each voice's own processing (here its mel postfilter) still applies."""
    models = EngineConfig().voices_dir
    (tmp_path / "vocoders").symlink_to(models / "vocoders")
    for name, emphasis in (("joe", 1.5), ("joeflat", 1.0)):
        shutil.copytree(models / "joe", tmp_path / name)
        meta = json.loads((tmp_path / name / "voice.json").read_text())
        meta |= {"name": name, "postfilter": {"emphasis": emphasis, "width": 9}}
        (tmp_path / name / "voice.json").write_text(json.dumps(meta))
    engine = Engine.load(EngineConfig(voices_dir=tmp_path))
    try:
        joe, other = engine.loaded_voice("joe"), engine.loaded_voice("joeflat")
        assert joe.acoustic is other.acoustic and joe.vocoder is other.vocoder  # loaded once
        text = "Please call me back later."
        a = asyncio.run(engine.synthesize(text, SynthesisOptions(voice="joe")))[0]
        b = asyncio.run(engine.synthesize(text, SynthesisOptions(voice="joeflat")))[0]
        assert len(a) == len(b) and sdr_db(a, b) < 30.0  # same prosody, another spectrum
        alone = asyncio.run(engine.synthesize(text, SynthesisOptions(voice="joeflat")))[0]
        assert np.array_equal(alone, b)  # and a shared session keeps voices apart call after call
    finally:
        asyncio.run(engine.close())


@pytest.mark.slow  # a subprocess that loads the engine
def test_onnx_serving_never_loads_torch() -> None:
    # torch costs about 190 MiB resident; a server on onnxruntime must not carry it (spaCy's thinc would load it)
    import subprocess
    import sys

    script = (
        "import asyncio, sys\n"
        "from app.engine.engine import Engine\n"
        "from app.engine.types import SynthesisOptions\n"
        "from app.engine.config import EngineConfig\n"
        "import app.api.app\n"
        "engine = Engine.load(EngineConfig(backend='onnx'))\n"
        "audio, words = asyncio.run(engine.synthesize('I read the book yesterday.', SynthesisOptions()))\n"
        "assert len(audio) > 22050 * 0.5 and [w.word for w in words][:2] == ['I', 'read'], words\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
