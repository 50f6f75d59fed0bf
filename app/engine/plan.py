"""Input text (or SSML) → phrases: the units the acoustic model runs on, each with its own prosody controls.

Phrases are sentences; a long sentence is cut at clause boundaries so that the first audio never waits
for a whole paragraph-length sentence. Planning is cheap (normalization only); the G2P and tagger run per
phrase when the engine gets to it, so a long text's first phrase does not wait for the rest's phonemes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from app.engine.types import SynthesisError, SynthesisOptions
from app.text.frontend import PhonemeSequence, TextFrontend, parse_arpabet
from app.text.normalize import normalize_tokens
from app.text.phonemes import PAUSES
from app.text.segment import split_sentences

MAX_PHRASE_CHARS = 220  # about 250 phonemes: the acoustic pass stays in tens of milliseconds


@dataclass
class Phrase:
    text: str  # the whole original input (word timings slice it by their spans)
    runs: list[tuple[str, int]]  # pieces of text with their offsets in `text`; empty: a pure pause
    lexicon: dict[str, list[str]] | None = None
    speed: float = 1.0
    pitch: float = 0.0  # semitones
    energy: float = 1.0
    pause_before: float = 0.0  # seconds of silence before this phrase
    gain: float = 1.0  # loudness (SSML volume), applied to the samples
    sequence: PhonemeSequence | None = None  # filled by analyze()

    @functools.cached_property
    def spoken_words(self) -> int:
        """Words the phrase reads out, numbers and symbols expanded (normalization only; cheap)."""
        return sum(
            len(tok.text.split()) for text, _ in self.runs for tok in normalize_tokens(text) if tok.text not in PAUSES
        )

    @property
    def speakable(self) -> bool:
        return self.spoken_words > 0

    def analyze(self, frontend: TextFrontend) -> PhonemeSequence:
        if self.sequence is None:
            self.sequence = frontend.analyze_runs(self.runs, self.lexicon)
        return self.sequence


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
            runs = [(r.text, r.offset) for r in seg.runs]
            phrases.append(Phrase(doc.source, runs, seg_lexicon, options.speed * seg.prosody.rate,
                                  options.pitch + seg.prosody.pitch, options.energy, seg.pause_before,
                                  seg.prosody.volume))  # fmt: skip
        return phrases
    phrases = []
    for start, end in split_sentences(text):
        for a, b in _clause_spans(text, start, end):
            phrase = Phrase(text, [(text[a:b], a)], lexicon, options.speed, options.pitch, options.energy)
            if phrase.speakable:
                phrases.append(phrase)
    return phrases
