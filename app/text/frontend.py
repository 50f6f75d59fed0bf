"""Text → model input: normalization, G2P, and the map from every phoneme back to the input word it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.text.g2p import G2P, PosTagger
from app.text.normalize import normalize, normalize_tokens
from app.text.phonemes import PAUSES, START, SYMBOL_TO_ID, canonical


@dataclass(frozen=True)
class Word:
    spoken: str  # the normalized word the G2P read
    phonemes: tuple[str, ...]
    text_start: int  # span of the original input that produced it
    text_end: int


@dataclass
class PhonemeSequence:
    symbols: list[str] = field(default_factory=list)
    word_index: list[int] = field(default_factory=list)  # per symbol: index into words, -1 for pauses
    words: list[Word] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [SYMBOL_TO_ID[s] for s in self.symbols]

    def is_empty(self) -> bool:
        return not self.words


MAX_PRONUNCIATION_PHONEMES = 40  # CMUdict's longest word has 28; the acoustic model's memory grows with length


def parse_arpabet(phones: str) -> list[str]:
    """'T AH0 M EY1 T OW2' → canonical symbols; raises ValueError naming the bad phone."""
    symbols = phones.split()
    if len(symbols) > MAX_PRONUNCIATION_PHONEMES:
        raise ValueError(f"{len(symbols)} phonemes; a pronunciation has at most {MAX_PRONUNCIATION_PHONEMES}")
    out = []
    for p in symbols:
        try:
            out.append(canonical(p.upper()))
        except KeyError:
            raise ValueError(f"unknown ARPAbet phone {p!r}") from None
    if not out:
        raise ValueError("empty pronunciation")
    return out


def load_lexicon(path: Path) -> dict[str, list[str]]:
    """A user lexicon file: one 'word  PH ON EMES' per line, '#' comments."""
    lexicon: dict[str, list[str]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word, _, phones = line.partition(" ")
        try:
            lexicon[word.lower()] = parse_arpabet(phones)
        except ValueError as e:
            raise ValueError(f"{path}:{n}: {e}") from None
    return lexicon


class TextFrontend:
    def __init__(
        self, lexicon: dict[str, list[str]] | None = None, tagger: bool = True, date_order: str = "mdy"
    ) -> None:
        """date_order: how all-numeric dates read when either of the first two parts could be the month."""
        self.g2p = G2P(lexicon=lexicon, tagger=PosTagger() if tagger else None)
        self.date_order = date_order

    def normalize(self, text: str) -> str:
        return normalize(text, self.date_order)

    def analyze(self, text: str, lexicon: dict[str, list[str]] | None = None, offset: int = 0) -> PhonemeSequence:
        """Phonemes for one phrase; `offset` is added to text spans (the phrase's place in a longer input)."""
        return self.analyze_runs([(text, offset)], lexicon)

    def analyze_runs(self, runs: list[tuple[str, int]], lexicon: dict[str, list[str]] | None = None) -> PhonemeSequence:
        """Phonemes for one phrase made of several pieces of text, each with its offset in the input."""
        spoken: list[tuple[str, int, int]] = []  # (word, start, end)
        marks: dict[int, str] = {}  # pause mark after the word count so far
        for text, offset in runs:
            for tok in normalize_tokens(text, self.date_order):
                if tok.text in PAUSES:
                    marks[len(spoken)] = tok.text
                    continue
                for w in tok.text.split():
                    spoken.append((w, tok.start + offset, tok.end + offset))
        prons = self.g2p.words([w for w, _, _ in spoken], extra=lexicon)
        seq = PhonemeSequence(symbols=[START], word_index=[-1])
        for i, ((w, start, end), phones) in enumerate(zip(spoken, prons, strict=True)):
            if i in marks and seq.symbols[-1] not in PAUSES:
                seq.symbols.append(marks[i])
                seq.word_index.append(-1)
            if not phones:
                continue
            seq.words.append(Word(w, tuple(phones), start, end))
            seq.symbols += phones
            seq.word_index += [len(seq.words) - 1] * len(phones)
        final = marks.get(len(spoken), ".")
        # every phrase ends in a pause mark: the model learned its trailing silence there
        if seq.symbols[-1] in PAUSES:
            seq.symbols[-1] = final if final in ".?!" else seq.symbols[-1]
        else:
            seq.symbols.append(final)
            seq.word_index.append(-1)
        return seq
