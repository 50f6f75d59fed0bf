"""Which teachers' audio a network learned from, carried from corpus to checkpoint to shipped bundle.

A voice's license follows its data: `joe` learned from Piper audio, `rms` must learn from CMU flite audio
only. Each corpus records its teacher in corpus.json; training stores the union of its corpora's teachers
and those of the weights it started from in every checkpoint; export writes that list into voice.json /
vocoder.json, where the server reports it and the tests check it. Weights of unknown origin count as
"unknown", so they can never pass as permissive.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.engine.bundle import UNKNOWN_TEACHER

UNKNOWN = UNKNOWN_TEACHER  # one name for "origin unknown", in bundles and in training alike


def write_corpus_card(corpus: Path, teacher: str) -> None:
    card = corpus / "corpus.json"
    if card.is_file():
        old = json.loads(card.read_text())["teacher"]
        if old != teacher:
            raise SystemExit(f"{corpus} holds {old} audio; refusing to add {teacher} audio to it")
        return
    card.write_text(json.dumps({"teacher": teacher}) + "\n")


def corpus_teacher(corpus: Path) -> str:
    card = corpus / "corpus.json"
    return str(json.loads(card.read_text())["teacher"]) if card.is_file() else UNKNOWN


def init_teachers(path: Path, state: dict[str, Any]) -> set[str]:
    """Teachers behind warm-start weights: a checkpoint says so itself, a shipped bundle in its json."""
    if "teachers" in state:
        return set(state["teachers"])
    for card in ("voice.json", "vocoder.json"):
        meta = path.parent / card
        if meta.is_file():
            return set(json.loads(meta.read_text()).get("teachers", [UNKNOWN]))
    return {UNKNOWN}


def training_teachers(corpora: list[Path], inherited: set[str]) -> list[str]:
    return sorted({corpus_teacher(c) for c in corpora} | inherited)


def run_teachers(corpora: list[Path], resumed: dict[str, Any] | None, init: Path | None) -> list[str]:
    """A run's teachers: its corpora's, plus those of the checkpoint it resumes or the weights it starts from."""
    if resumed is not None:
        inherited = set(resumed.get("teachers", [UNKNOWN]))
    elif init is not None:
        import torch

        inherited = init_teachers(init, torch.load(init, map_location="cpu", weights_only=False))
    else:
        inherited = set()
    return training_teachers(corpora, inherited)


def main() -> None:
    """Stamp a checkpoint made before teachers were tracked: a person's declaration, said once, in the recipe."""
    import argparse

    import torch

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("ckpt", type=Path)
    ap.add_argument("--teachers", nargs="+", required=True)
    args = ap.parse_args()
    state = torch.load(args.ckpt, map_location="cpu", weights_only=False)
    if "teachers" in state:
        raise SystemExit(f"{args.ckpt} already records its teachers: {state['teachers']}")
    state["teachers"] = sorted(args.teachers)
    torch.save(state, args.ckpt.with_suffix(".tmp"))
    args.ckpt.with_suffix(".tmp").replace(args.ckpt)
    print(f"{args.ckpt} (step {state['step']}): teachers {state['teachers']}")


if __name__ == "__main__":
    main()
