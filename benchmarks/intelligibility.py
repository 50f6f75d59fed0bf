"""Where a voice loses intelligibility: its teacher's audio, the vocoder alone, the whole pipeline.

`benchmarks.quality` says how much worse a voice is understood than its teacher, not which network loses it. This
scores (pocketsphinx WER, the same references as `benchmarks.quality`) three renderings of the same corpus clips:

* teacher: the corpus audio itself;
* vocoder only (copy synthesis): the clip's own log-mel and phone-level F0 through the voice's vocoder, exactly
  as served (postfilter, harmonic source);
* whole pipeline: the voice from the clip's text.

The clips are the last ones of the corpus, which `training.train_acoustic` holds out for validation (`--valid`,
40 by default), so the acoustic model has not trained on them; the vocoder has (it trains on every clip).

    python -m benchmarks.intelligibility --voice slt --corpus /work/state/corpus/slt_all [--voices-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

import numpy as np
import soundfile as sf

from app.engine.engine import Engine
from app.engine.voice import Prosody
from app.settings import Settings
from benchmarks.quality import Scorer, reference_words, synth_all, to_16k, word_error_rate


def copy_synthesis(engine: Engine, voice_name: str, feats: Path) -> np.ndarray:
    """A corpus clip's own mel and F0 through the voice's vocoder, at 16 kHz."""
    voice = engine.loaded_voice(voice_name)
    cfg, spk = voice.bundle.acoustic, voice.bundle.speaker_id
    f = np.load(feats)
    pitch = (f["pitch"] - cfg.pitch_mean[spk]) / cfg.pitch_std[spk]  # the acoustic model's units
    prosody = Prosody(f["mel"].astype(np.float32), f["durations"], pitch.astype(np.float32))
    return to_16k(voice.vocode(voice.vocoder_input(prosody, f["phones"])), voice.sample_rate)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--voice", required=True)
    ap.add_argument("--corpus", type=Path, required=True, help="the voice's training corpus (training.corpus)")
    ap.add_argument("--voices-dir", type=Path, default=None)
    ap.add_argument("--clips", type=int, default=40, help="the corpus's last N clips")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    settings = Settings() if args.voices_dir is None else Settings(voices_dir=args.voices_dir)
    engine = Engine.load(settings.engine_config())
    ids = sorted(p.stem for p in (args.corpus / "feats").iterdir() if p.suffix == ".npz")[-args.clips :]
    texts = [json.loads((args.corpus / "meta" / f"{i}.json").read_text())["text"] for i in ids]
    refs = [reference_words(t, engine.frontend) for t in texts]
    teacher = [to_16k(*sf.read(args.corpus / "wavs" / f"{i}.wav", dtype="float32")) for i in ids]
    vocoded = [copy_synthesis(engine, args.voice, args.corpus / "feats" / f"{i}.npz") for i in ids]
    whole = [to_16k(a, r) for a, r in asyncio.run(synth_all(engine, args.voice, texts))]
    scorer = Scorer()
    wers = {name: word_error_rate(refs, [scorer.transcribe(a) for a in clips]) for name, clips in
            [("teacher", teacher), ("vocoder_only", vocoded), ("whole_pipeline", whole)]}  # fmt: skip
    print(f"{len(ids)} held-out clips of {args.corpus.name}, voice {args.voice}")
    for name, wer in wers.items():
        print(f"{name:<16}WER {wer:.3f}  ratio to the teacher {wer / max(wers['teacher'], 1e-9):.2f}")
    if args.json:
        args.json.write_text(json.dumps({"voice": args.voice, "clips": len(ids), "wer": wers}, indent=2) + "\n")


if __name__ == "__main__":
    main()
