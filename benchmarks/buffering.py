"""Buffering of unpunctuated streams: when the first phrase starts vs how many phrases break mid-clause.

Feeds LLM-style replies (the inputs of benchmarks/data/llm_replies*.tsv joined into paragraphs of at least 300
characters, as written and with their punctuation removed, the way a run-on sentence arrives) to `TextIn` token
by token (4 characters per token) at an LLM's pace, with the session's buffering timer and the listener's
playback simulated on the same clock (a phrase plays SECONDS_PER_WORD per word from its release; the timer only
cuts while less than BUFFER_LOW_WATER_S is left to play), for a grid of (characters, delay) settings. Prints, per
setting and pace: the median and 90th-percentile time from the first token to the first phrase (first audio
adds the engine's own first-chunk time, about 30 ms on 2 cores), forced breaks per 100 words (phrases cut where
the text had no sentence or clause boundary: the prosody cost) and the listener's gaps (silence between phrases
that the text's pace did not force).

    python -m benchmarks.buffering
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
from pathlib import Path

from app.engine.plan import SECONDS_PER_WORD
from app.streaming.text_in import BUFFER_LOW_WATER_S, Buffering, TextIn

DATA = Path(__file__).resolve().parent / "data"
TOKEN_CHARS = 4
GRID_CHARS = (60, 100, 150, None)
GRID_DELAY_MS = (300.0, 500.0, 1000.0, None)
PACES = {"fast LLM, 50 tokens/s": 50.0, "slow LLM, 10 tokens/s": 10.0}


def replies() -> list[str]:
    texts = []
    for path in sorted(DATA.glob("llm_replies*.tsv")):
        with path.open(newline="") as f:
            texts += [row[0] for row in csv.reader(f, delimiter="\t") if row and not row[0].startswith("#")]
    paragraphs, current = [], ""
    for text in texts:
        current = f"{current} {text.replace(chr(92) + 'n', ' ')}".strip()
        if len(current) >= 300:
            paragraphs.append(current)
            current = ""
    return paragraphs


def run_on(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[.,;:!?\u2014]", " ", text)).strip()


def simulate(text: str, buffering: Buffering, tokens_per_s: float) -> tuple[float, int, int, float]:
    """(seconds from the first token to the first phrase, forced breaks, words, seconds of gaps) for one reply."""
    text_in = TextIn(buffering=buffering)
    tokens = [text[i : i + TOKEN_CHARS] for i in range(0, len(text), TOKEN_CHARS)]
    step = 1.0 / tokens_per_s
    timer: float | None = None  # when the buffering timer fires (armed when text starts waiting)
    phrases: list[tuple[float, str]] = []
    play_end = 0.0  # when the listener runs out of what was released
    gaps = 0.0

    def release(at: float, pieces: list[str]) -> None:
        nonlocal play_end, gaps
        for piece in pieces:
            start = at + 0.03  # the engine's first chunk
            if phrases:
                gaps += max(0.0, start - play_end)
            play_end = max(play_end, start) + SECONDS_PER_WORD * len(piece.split())
            phrases.append((at, piece))

    now = 0.0
    for k, token in enumerate(tokens):
        now = k * step
        while timer is not None and timer <= now:  # the timer fires between tokens
            if play_end - timer < BUFFER_LOW_WATER_S:
                release(timer, [p.text for p in text_in.force()])
            timer = timer + (buffering.delay_ms or 0) / 1000.0 if text_in.pending else None
        release(now, [p.text for p in text_in.push(token)])
        if not text_in.pending:
            timer = None
        elif timer is None and buffering.delay_ms is not None:
            timer = now + buffering.delay_ms / 1000.0
    release(now, [p.text for p in text_in.flush()])  # the stream ends: close
    forced = sum(1 for _, p in phrases[:-1] if p.rstrip()[-1:] not in ".?!,;:\u2014")
    return phrases[0][0], forced, len(text.split()), gaps


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args(argv)
    texts = replies()
    sets = {"as written": texts, "run-on": [run_on(t) for t in texts]}
    print(f"{len(texts)} replies, {sum(len(t.split()) for t in texts)} words")
    print(f"{'pace':24} {'text':10} {'chars':>5} {'delay ms':>8} {'first p50 ms':>12} {'p90 ms':>7} "
          f"{'forced/100 words':>16} {'gaps s/reply':>12}")  # fmt: skip
    for pace, rate in PACES.items():
        for name, inputs in sets.items():
            for chars in GRID_CHARS:
                for delay in GRID_DELAY_MS:
                    buffering = Buffering(chars, delay)
                    results = [simulate(t, buffering, rate) for t in inputs]
                    firsts = sorted(1000.0 * r[0] for r in results)
                    forced = 100.0 * sum(r[1] for r in results) / sum(r[2] for r in results)
                    gaps = statistics.mean(r[3] for r in results)
                    p90 = firsts[int(0.9 * (len(firsts) - 1))]
                    print(f"{pace:24} {name:10} {chars or '-':>5} {delay or '-':>8} "
                          f"{statistics.median(firsts):12.0f} {p90:7.0f} {forced:16.1f} {gaps:12.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
