"""Input text (or SSML) → phrases: the units the acoustic model runs on, each with its own prosody controls.

Phrases are sentences; a long sentence is cut at clause boundaries so that the first audio never waits
for a whole paragraph-length sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.types import SynthesisError, SynthesisOptions
from app.text.frontend import PhonemeSequence, TextFrontend, parse_arpabet
from app.text.segment import split_sentences

MAX_PHRASE_CHARS = 220  # about 250 phonemes: the acoustic pass stays in tens of milliseconds


@dataclass
class Phrase:
    text: str  # the whole original input (word timings slice it by their spans)
    sequence: PhonemeSequence | None  # None: a pure pause
    speed: float = 1.0
    pitch: float = 0.0  # semitones
    energy: float = 1.0
    pause_before: float = 0.0  # seconds of silence before this phrase
    gain: float = 1.0  # loudness (SSML volume), applied to the samples


def _clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut [start, end) at ', ; :' (then at spaces) so no piece exceeds MAX_PHRASE_CHARS."""
    spans = []
    while end - start > MAX_PHRASE_CHARS:
        window = text[start : start + MAX_PHRASE_CHARS]
        cut = max(window.rfind(", "), window.rfind("; "), window.rfind(": "))
        if cut < MAX_PHRASE_CHARS // 4:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = MAX_PHRASE_CHARS - 1
        spans.append((start, start + cut + 1))
        start += cut + 1
    spans.append((start, end))
    return spans


def lexicon_from_options(options: SynthesisOptions) -> dict[str, list[str]] | None:
    if not options.lexicon:
        return None
    out = {}
    for word, phones in options.lexicon.items():
        try:
            out[word.lower()] = parse_arpabet(" ".join(phones) if isinstance(phones, list) else str(phones))
        except ValueError as e:
            raise SynthesisError(f"lexicon entry {word!r}: {e}") from None
    return out


def plan_phrases(text: str, frontend: TextFrontend, options: SynthesisOptions, ssml: bool) -> list[Phrase]:
    lexicon = lexicon_from_options(options)
    if ssml:
        from app.text.ssml import SsmlError, parse_ssml

        try:
            doc = parse_ssml(text)
        except SsmlError as e:
            raise SynthesisError(f"invalid SSML: {e}") from None
        phrases = []
        for seg in doc.segments:
            seg_lexicon = dict(lexicon or {})
            for run in seg.runs:
                seg_lexicon.update(run.lexicon)
            seq = frontend.analyze_runs([(r.text, r.offset) for r in seg.runs], seg_lexicon) if seg.runs else None
            phrases.append(Phrase(doc.source, seq, options.speed * seg.prosody.rate, options.pitch + seg.prosody.pitch,
                                  options.energy, seg.pause_before, seg.prosody.volume))  # fmt: skip
        return phrases
    phrases = []
    for start, end in split_sentences(text):
        for a, b in _clause_spans(text, start, end):
            seq = frontend.analyze(text[a:b], lexicon, offset=a)
            if not seq.is_empty():
                phrases.append(Phrase(text, seq, options.speed, options.pitch, options.energy))
    return phrases
