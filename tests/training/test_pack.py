"""training.pack: a corpus subset that travels to a GPU machine, read back by the vocoder trainer unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from training.pack import pack
from training.train_vocoder import load_clips

MakeCorpus = Callable[[Path], Path]  # the make_corpus fixture


def test_packed_corpus_reads_back_sample_exact_and_smaller(tmp_path: Path, make_corpus: MakeCorpus) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    clips, seconds = pack(corpus, tmp_path / "packed", budget_bytes=50 * 2**20)
    assert clips == len(list((corpus / "wavs").iterdir())) and seconds > 2.0
    original, packed = load_clips([corpus], gta=False), load_clips([tmp_path / "packed"], gta=False)
    for a, b in zip(original, packed, strict=True):
        np.testing.assert_array_equal(a.audio, b.audio)  # FLAC is lossless
        np.testing.assert_array_equal(a.f0, b.f0)
        np.testing.assert_array_equal(a.voiced, b.voiced)
    wav_bytes = sum(f.stat().st_size for f in (corpus / "wavs").iterdir())
    flac_bytes = sum(f.stat().st_size for f in (tmp_path / "packed" / "wavs").iterdir())
    assert flac_bytes < 0.8 * wav_bytes
    assert (tmp_path / "packed" / "corpus.json").read_text() == (corpus / "corpus.json").read_text()


def test_pack_stops_at_its_budget(tmp_path: Path, make_corpus: MakeCorpus) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    wavs = list((corpus / "wavs").iterdir())
    first = sum(f.stat().st_size for f in wavs) // len(wavs)
    clips, _ = pack(corpus, tmp_path / "packed", budget_bytes=first)  # room for about two FLAC clips
    assert 1 <= clips < len(wavs)
    packed = sum(f.stat().st_size for d in ("wavs", "feats") for f in (tmp_path / "packed" / d).iterdir())
    assert packed <= first
    assert len(list((tmp_path / "packed" / "wavs").iterdir())) == clips
