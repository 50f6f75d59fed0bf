"""Input text (or SSML) → phrases: the units the acoustic model runs on, each with its own prosody controls.

Phrases are sentences; a long sentence is cut at clause boundaries so that the first audio never waits
for a whole paragraph-length sentence. Planning is cheap (normalization only); the G2P and tagger run per
phrase when the engine gets to it, so a long text's first phrase does not wait for the rest's phonemes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from app.engine.types import SPEED_RANGE, SpeechTooLong, SynthesisError, SynthesisOptions
from app.text.frontend import PhonemeSequence, TextFrontend, parse_arpabet
from app.text.normalize import normalize_tokens
from app.text.phonemes import PAUSES
from app.text.segment import split_sentences

MAX_PHRASE_CHARS = 220  # about 250 phonemes: the acoustic pass stays in tens of milliseconds
# The acoustic model's memory grows with the square of a phrase's frames, so a phrase is also bounded in
# (estimated) phonemes at speed 1, fewer when slower: characters alone do not bound it when numbers expand, a
# lexicon entry is long or the speech is slow. 200 kept the worst admitted request under +100 MiB
# (benchmarks.hostile: 300 let 40-phoneme lexicon words reach +184 MiB, speed 0.25 +240 MiB).
MAX_PHRASE_PHONEMES = 200
HARD_MAX_FACTOR = 2  # what analysis may find, times the bound, when the estimate was wrong
LETTER_NAME_PHONEMES = 7  # a lone letter reads as its name, up to 7 phonemes ("W": D AH1 B AH0 L Y UW0)
PHONEMES_PER_WORD = 4  # a lexicon word counts toward the spoken-length limit as len(phonemes) / 4 words
SECONDS_PER_WORD = 0.36  # joe and rms at speed 1 (2.8 words/s): the up-front estimate of a request's duration


Lexicon = dict[str, list[str]] | None  # word -> ARPAbet phones, from the request or SSML <phoneme>


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
        """Words the phrase reads out, numbers and symbols expanded (normalization only; cheap); a word with a
        long lexicon pronunciation counts as several."""
        return sum(
            max(1, -(-len(self.lexicon[w]) // PHONEMES_PER_WORD)) if self.lexicon and w in self.lexicon else 1
            for text, _ in self.runs
            for w in _spoken(text)
        )

    @property
    def seconds_estimate(self) -> float:
        """Silence before it plus its speech at about SECONDS_PER_WORD (the engine also stops at the real
        duration limit)."""
        return self.pause_before + self.spoken_words * SECONDS_PER_WORD / self.speed

    @property
    def speakable(self) -> bool:
        return self.spoken_words > 0

    def analyze(self, frontend: TextFrontend) -> PhonemeSequence:
        if self.sequence is None:
            sequence = frontend.analyze_runs(self.runs, self.lexicon)
            most = HARD_MAX_FACTOR * phoneme_budget(self.speed)
            if len(sequence.symbols) > most:  # the estimate's safety net: memory, not prosody
                raise SpeechTooLong(f"a phrase reads out as {len(sequence.symbols)} phonemes; at most {most}")
            self.sequence = sequence
        return self.sequence


def _spoken(text: str) -> list[str]:
    """The lower-cased words `text` reads out (normalization only)."""
    return [w.lower() for tok in normalize_tokens(text) if tok.text not in PAUSES for w in tok.text.split()]


def _word_phonemes(word: str, lexicon: Lexicon) -> int:
    if lexicon and word in lexicon:
        # exact, so scaled like the estimate below, which runs 1.44 x the front end's count (400 training
        # sentences): a phrase of pronunciations is then as long in frames as one of ordinary words
        return -(-len(lexicon[word]) * 7 // 5)
    # letters + 1 (English spelling rarely has fewer letters than sounds: "box" B AA1 K S); a letter's name
    return LETTER_NAME_PHONEMES if len(word) == 1 else len(word) + 1


def phoneme_estimate(text: str, lexicon: Lexicon) -> int:
    """An upper estimate of the phonemes `text` reads out (normalized: numbers and symbols expanded)."""
    return sum(_word_phonemes(w, lexicon) for w in _spoken(text))


def phoneme_budget(speed: float) -> int:
    """The most (estimated) phonemes one phrase may read out at this speed: frames grow as 1 / speed."""
    return max(LETTER_NAME_PHONEMES, int(MAX_PHRASE_PHONEMES * min(1.0, speed)))


def _token_spans(text: str, start: int, end: int, lexicon: Lexicon, budget: int) -> list[tuple[int, int]]:
    """[start, end) is one token without spaces; cut it into pieces under `budget` phonemes if it reads out
    more ("℃℃℃...", a 200-digit string): halving, since its reading has no better place to break."""
    if end - start <= 1 or phoneme_estimate(text[start:end], lexicon) <= budget:
        return [(start, end)]
    middle = (start + end) // 2
    return _token_spans(text, start, middle, lexicon, budget) + _token_spans(text, middle, end, lexicon, budget)


def _word_spans(text: str, start: int, end: int, lexicon: Lexicon, budget: int) -> list[tuple[int, int]]:
    """Cut [start, end) at spaces (inside a token only when it alone is too long) so that no piece reads out
    more than `budget` phonemes."""
    spans, a, weight = [], start, 0
    for match in re.finditer(r"\S+", text[start:end]):
        for c, d in _token_spans(text, start + match.start(), start + match.end(), lexicon, budget):
            w = phoneme_estimate(text[c:d], lexicon)
            if weight and weight + w > budget:
                spans.append((a, c))
                a, weight = c, 0
            weight += w
    spans.append((a, end))
    return spans


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


@dataclass
class _Run:
    text: str
    offset: int
    lexicon: dict[str, list[str]] | None


def _phrase_runs(runs: list[_Run], speed: float) -> list[list[_Run]]:
    """Consecutive runs (plain text: one; SSML: the runs of one prosody) -> the runs of each phrase. A phrase
    starts at every sentence, and wherever the next piece would take it over MAX_PHRASE_CHARS characters or
    the phoneme budget at this speed; a longer sentence is cut at clause marks, then between words."""
    budget = phoneme_budget(speed)
    phrases: list[list[_Run]] = []
    current: list[_Run] = []
    chars = phonemes = 0
    for run in runs:
        text = run.text
        for k, (start, end) in enumerate(split_sentences(text)):
            first = True
            for a, b in _clause_spans(text, start, end):
                for c, d in _word_spans(text, a, b, run.lexicon, budget):
                    weight = phoneme_estimate(text[c:d], run.lexicon)
                    new_sentence = first and k > 0
                    if current and (new_sentence or chars + d - c > MAX_PHRASE_CHARS
                                    or phonemes + weight > budget):  # fmt: skip
                        phrases.append(current)
                        current, chars, phonemes = [], 0, 0
                    current.append(_Run(text[c:d], run.offset + c, run.lexicon))
                    chars, phonemes, first = chars + d - c, phonemes + weight, False
    if current:
        phrases.append(current)
    return phrases


def _merged(runs: list[_Run]) -> dict[str, list[str]] | None:
    lexicons = [r.lexicon for r in runs if r.lexicon]
    return {k: v for lexicon in lexicons for k, v in lexicon.items()} if lexicons else None


def plan_phrases(text: str, frontend: TextFrontend, options: SynthesisOptions, ssml: bool) -> list[Phrase]:
    lexicon = lexicon_from_options(options)
    if not ssml:
        phrases = []
        for runs in _phrase_runs([_Run(text, 0, lexicon)], options.speed):
            phrase = Phrase(text, [(r.text, r.offset) for r in runs], lexicon, options.speed, options.pitch,
                            options.energy)  # fmt: skip
            if phrase.speakable:
                phrases.append(phrase)
        return phrases
    from app.text.ssml import SsmlError, parse_ssml

    try:
        doc = parse_ssml(text)
    except SsmlError as e:
        raise SynthesisError(f"invalid SSML: {e}") from None
    phrases = []
    for seg in doc.segments:
        # every run is sized with the whole segment's pronunciations: a phrase reads all its runs with the
        # union of theirs (a <phoneme> word's pronunciation applies to the same word in plain runs beside it)
        seg_lexicon = {k: v for lex in [lexicon or {}, *(r.lexicon for r in seg.runs)] for k, v in lex.items()}
        # the request's speed and the markup's rate compose within the engine's range (0.25 x 25 % would be
        # sixteen times slower: frames, and the acoustic model's memory, grow without bound)
        speed = min(max(options.speed * seg.prosody.rate, SPEED_RANGE[0]), SPEED_RANGE[1])
        pieces = _phrase_runs([_Run(r.text, r.offset, seg_lexicon or None) for r in seg.runs], speed)
        for i, runs in enumerate(pieces or [[]]):  # a segment without runs is a pause
            phrases.append(Phrase(doc.source, [(r.text, r.offset) for r in runs], _merged(runs),
                                  speed, options.pitch + seg.prosody.pitch,
                                  options.energy, seg.pause_before if i == 0 else 0.0, seg.prosody.volume))  # fmt: skip
    return phrases
