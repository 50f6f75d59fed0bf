"""G2P: offline g2p-en + CMU dictionary + spaCy tagger for homographs."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from app.text.g2p import G2P, PosTagger
from app.text.phonemes import SYMBOL_TO_ID

HOMOGRAPHS = [
    ("I have read that book", "read", "R EH1 D"),
    ("She will read it tonight", "read", "R IY1 D"),
    ("They read books every day", "read", "R IY1 D"),
    ("Plants live longer in sunlight", "live", "L IH1 V"),
    ("We watched the band play live", "live", "L AY1 V"),
    ("The live broadcast starts soon", "live", "L AY1 V"),
    ("Where do you live", "live", "L IH1 V"),
    ("Please record the meeting", "record", "R IH0 K AO1 R D"),
    ("She broke the world record", "record", "R EH1 K ER0 D"),
    ("Close the window please", "Close", "K L OW1 Z"),
    ("The store is close to home", "close", "K L OW1 S"),
    ("We are close friends", "close", "K L OW1 S"),
    ("Wind the clock before bed", "Wind", "W AY1 N D"),
    ("The wind is strong today", "wind", "W IH1 N D"),
    ("She will lead the team", "lead", "L IY1 D"),
    ("The pipe is made of lead", "lead", "L EH1 D"),
    ("Use a pen", "Use", "Y UW1 Z"),
    ("What is the use of it", "use", "Y UW1 S"),
    ("He had a tear in his eye", "tear", "T IH1 R"),
    ("Do not tear the paper", "tear", "T EH1 R"),
    ("Do not desert me", "desert", "D IH0 Z ER1 T"),
    ("The desert is hot", "desert", "D EH1 Z ER0 T"),
    ("I object to that", "object", "AH0 B JH EH1 K T"),
    ("What is that object", "object", "AA1 B JH EH0 K T"),
]


@pytest.mark.parametrize(("sentence", "word", "expected"), HOMOGRAPHS)
def test_homograph_by_context(g2p: G2P, sentence: str, word: str, expected: str) -> None:
    words = sentence.split()
    prons = g2p.words(words)
    assert " ".join(prons[words.index(word)]) == expected


def test_dictionary_words_and_stress(g2p: G2P) -> None:
    assert g2p.word("tomato") == ["T", "AH0", "M", "EY1", "T", "OW2"]
    assert g2p.word("Speech") == ["S", "P", "IY1", "CH"]


def test_out_of_vocabulary_words_are_predicted(g2p: G2P) -> None:
    phones = g2p.word("frobnicator")
    assert len(phones) >= 8 and all(p in SYMBOL_TO_ID for p in phones)


def test_single_capital_letters_are_letter_names(g2p: G2P) -> None:
    assert [g2p.word(c) for c in ("F", "B", "I")] == [["EH1", "F"], ["B", "IY1"], ["AY1"]]


def test_lexicon_overrides(g2p: G2P) -> None:
    custom = G2P(lexicon={"Nguyen": ["W", "IH1", "N"]})
    assert custom.word("nguyen") == ["W", "IH1", "N"]
    assert g2p.word("acme", extra={"acme": ["AE1", "K", "M", "IY0"]}) == ["AE1", "K", "M", "IY0"]


def test_possessive_of_dictionary_word(g2p: G2P) -> None:
    assert g2p.word("teapot's") == ["T", "IY1", "P", "AA2", "T", "Z"]
    assert g2p.word("fox's")[-2:] in (["IH0", "Z"], ["AH0", "Z"])


class _CountingTagger(PosTagger):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def tags(self, words: Sequence[str]) -> list[str]:
        self.calls += 1
        return super().tags(words)


def test_tagger_runs_only_for_sentences_with_a_homograph() -> None:
    tagger = _CountingTagger()
    g2p = G2P(tagger=tagger)
    plain = "your flight to boston leaves at seven tomorrow".split()
    assert g2p.words(plain) == [g2p.word(w) for w in plain] and tagger.calls == 0
    assert g2p.words("I have read that book".split())[2] == ["R", "EH1", "D"] and tagger.calls == 1
    assert g2p.words("please read it".split())[1] == ["R", "IY1", "D"] and tagger.calls == 2
