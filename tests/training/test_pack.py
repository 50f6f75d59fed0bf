"""training.pack: a corpus subset that travels to a GPU machine, read back by the vocoder trainer unchanged."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import soundfile as sf

from app.engine.engine import Engine
from app.engine.types import SynthesisOptions
from training.pack import pack
from training.provenance import write_corpus_card
from training.train_vocoder import load_clips

SENTENCES = ["The birch canoe slid on the smooth planks.", "Rice is often served in round bowls.", "Turn left."]


def _corpus(root: Path, engine: Engine) -> Path:
    """A corpus in training.corpus's layout, of our own voice's real audio and its real phone features."""
    (root / "wavs").mkdir(parents=True)
    (root / "feats").mkdir()
    write_corpus_card(root, "piper-joe")
    for i, text in enumerate(SENTENCES):
        audio, _ = asyncio.run(engine.synthesize(text, SynthesisOptions()))
        audio = audio[: len(audio) // 256 * 256]
        sf.write(root / "wavs" / f"{i:05d}.wav", (audio * 32767).astype(np.int16), 22050, subtype="PCM_16")
        ids = engine.frontend.analyze(text).ids
        frames = len(audio) // 256
        durations = np.full(len(ids), frames // len(ids), np.int16)
        durations[-1] += frames - int(durations.sum())
        pitch = np.linspace(-0.5, 0.5, len(ids)).astype(np.float32)
        mel = np.zeros((80, frames), np.float16)
        np.savez(root / "feats" / f"{i:05d}.npz", phones=np.asarray(ids, np.int16), durations=durations,
                 pitch=pitch, energy=np.ones(len(ids), np.float32), mel=mel)  # fmt: skip
    return root


def test_packed_corpus_reads_back_sample_exact_and_smaller(tmp_path: Path, engine: Engine) -> None:
    corpus = _corpus(tmp_path / "corpus", engine)
    clips, seconds = pack(corpus, tmp_path / "packed", budget_bytes=50 * 2**20)
    assert clips == len(SENTENCES) and seconds > 2.0
    original, packed = load_clips([corpus], gta=False), load_clips([tmp_path / "packed"], gta=False)
    for a, b in zip(original, packed, strict=True):
        np.testing.assert_array_equal(a.audio, b.audio)  # FLAC is lossless
        np.testing.assert_array_equal(a.f0, b.f0)
        np.testing.assert_array_equal(a.voiced, b.voiced)
    wav_bytes = sum(f.stat().st_size for f in (corpus / "wavs").iterdir())
    flac_bytes = sum(f.stat().st_size for f in (tmp_path / "packed" / "wavs").iterdir())
    assert flac_bytes < 0.8 * wav_bytes
    assert (tmp_path / "packed" / "corpus.json").read_text() == (corpus / "corpus.json").read_text()


def test_pack_stops_at_its_budget(tmp_path: Path, engine: Engine) -> None:
    corpus = _corpus(tmp_path / "corpus", engine)
    first = sum(f.stat().st_size for f in (tmp_path / "corpus" / "wavs").iterdir()) // len(SENTENCES)
    clips, _ = pack(corpus, tmp_path / "packed", budget_bytes=first)  # room for about two FLAC clips
    assert 1 <= clips < len(SENTENCES)
    packed = sum(f.stat().st_size for d in ("wavs", "feats") for f in (tmp_path / "packed" / d).iterdir())
    assert packed <= first
    assert len(list((tmp_path / "packed" / "wavs").iterdir())) == clips
