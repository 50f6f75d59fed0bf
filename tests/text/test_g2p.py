"""G2P: offline g2p-en + CMU dictionary + spaCy tagger for homographs."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from app.text.frontend import TextFrontend
from app.text.g2p import _HOMOGRAPHS, G2P, PosTagger, coarse_tag, context_tags, homograph
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


# Part-of-speech homographs from data/homographs.json, in sentences as LLM replies write them; the front end
# normalizes, tags and reads them.
POS_HOMOGRAPHS = [
    ("The city will refuse the permit.", "refuse", "R IH0 F Y UW1 Z"),
    ("Take the refuse to the curb.", "refuse", "R EH1 F Y UW2 Z"),
    ("These farms produce apples.", "produce", "P R AH0 D UW1 S"),
    ("Wash the produce before eating it.", "produce", "P R OW1 D UW0 S"),
    ("You need a building permit.", "permit", "P ER1 M IH2 T"),
    ("We do not permit smoking.", "permit", "P ER0 M IH1 T"),
    ("The orchestra will conduct a rehearsal.", "conduct", "K AH0 N D AH1 K T"),
    ("His conduct was unacceptable.", "conduct", "K AA1 N D AH0 K T"),
    ("Sign the contract today.", "contract", "K AA1 N T R AE2 K T"),
    ("The project took six months.", "project", "P R AA1 JH EH0 K T"),
    ("We project a small loss.", "project", "P R AH0 JH EH1 K T"),
    ("Each object has a name.", "object", "AA1 B JH EH0 K T"),
    ("Few people will object.", "object", "AH0 B JH EH1 K T"),
    ("I will present the results.", "present", "P R IY0 Z EH1 N T"),
    ("The present value is high.", "present", "P R EH1 Z AH0 N T"),
    ("That remark was an insult.", "insult", "IH1 N S AH2 L T"),
    ("They increase the price.", "increase", "IH2 N K R IY1 S"),
    ("We saw a big increase.", "increase", "IH1 N K R IY2 S"),
    ("The rebels took the city.", "rebels", "R EH1 B AH0 L Z"),
    ("Progress was slow.", "progress", "P R AA1 G R EH2 S"),
    ("We export machines.", "export", "IH0 K S P AO1 R T"),
    ("Oil is our main export.", "export", "EH1 K S P AO0 R T"),
    ("Please separate the files.", "separate", "S EH1 P ER0 EY2 T"),
    ("Use a separate account.", "separate", "S EH1 P ER0 IH0 T"),
    ("We estimate ten hours.", "estimate", "EH1 S T AH0 M EY2 T"),
    ("Give me an estimate.", "estimate", "EH1 S T AH0 M AH0 T"),
    ("She is a recent graduate.", "graduate", "G R AE1 JH AH0 W AH0 T"),
    ("They graduate next spring.", "graduate", "G R AE1 JH AH0 W EY2 T"),
    ("It was a deliberate move.", "deliberate", "D IH0 L IH1 B ER0 AH0 T"),
    ("Choose an appropriate tool.", "appropriate", "AH0 P R OW1 P R IY0 AH0 T"),
    ("The differences are minute.", "minute", "M AY0 N UW1 T"),
    ("Give me one minute.", "minute", "M IH1 N AH0 T"),
    ("The input is invalid.", "invalid", "IH2 N V AE1 L AH0 D"),
    ("She has read the report.", "read", "R EH1 D"),
    ("Please read the report.", "read", "R IY1 D"),
    ("Keep the records safe.", "records", "R EH1 K ER0 D Z"),
    ("Don't upset your users.", "upset", "AH0 P S EH1 T"),
    ("I suspect a bug in the parser.", "suspect", "S AH0 S P EH1 K T"),
    # a plural noun subject, then the homograph tagged as a noun and no verb after it: the homograph is the verb
    ("Muscles contract when you lift weights.", "contract", "K AH0 N T R AE1 K T"),
    ("Tired muscles contract less.", "contract", "K AH0 N T R AE1 K T"),
    ("Police suspect fraud.", "suspect", "S AH0 S P EH1 K T"),
    ("The sales contract expired.", "contract", "K AA1 N T R AE2 K T"),
    ("Sign the sales contract.", "contract", "K AA1 N T R AE2 K T"),
    # "minute" between a determiner (or adverb) and a noun is the adjective
    ("Add a minute amount of salt.", "minute", "M AY0 N UW1 T"),
    ("It took a minute or two.", "minute", "M IH1 N AH0 T"),
    # noun-noun compounds: the homograph modifies the noun after it, whatever the tagger says
    ("Move the minute hand forward.", "minute", "M IH1 N AH0 T"),
    ("Firearm permit holders must renew yearly.", "permit", "P ER1 M IH2 T"),
    ("She runs a small record label.", "record", "R EH1 K ER0 D"),
    ("Our project manager left.", "project", "P R AA1 JH EH0 K T"),
    ("Take the refuse bins out.", "refuse", "R EH1 F Y UW2 Z"),
    ("We permit holders to vote early.", "permit", "P ER0 M IH1 T"),
    # an instruction's first word is a verb; "of" after it keeps the noun
    ("Record the meeting and share it.", "record", "R IH0 K AO1 R D"),
    ("Present your badge at the desk.", "present", "P R IY0 Z EH1 N T"),
    ("Record of the meeting is attached.", "record", "R EH1 K ER0 D"),
    ("Object to the change before Friday.", "object", "AH0 B JH EH1 K T"),
    ("Tear at the perforation.", "tear", "T EH1 R"),  # tagged a noun before a preposition
    ("Tear into small pieces.", "tear", "T EH1 R"),
    ("Wind around the base twice.", "wind", "W AY1 N D"),
    # a word without a verb sense the tagger calls a verb: the neighbour rules still decide
    ("only minute traces were found.", "minute", "M AY0 N UW1 T"),
]


@pytest.fixture(scope="module")
def frontend() -> TextFrontend:
    return TextFrontend()


@pytest.mark.parametrize(("sentence", "word", "expected"), POS_HOMOGRAPHS, ids=[c[0][:50] for c in POS_HOMOGRAPHS])
def test_pos_homograph(frontend: TextFrontend, sentence: str, word: str, expected: str) -> None:
    seq = frontend.analyze(sentence)
    assert [" ".join(w.phonemes) for w in seq.words if w.spoken == word] == [expected]


def test_homograph_table_readings_are_known_phonemes() -> None:
    for word, readings in _HOMOGRAPHS.items():
        assert "*" in readings, word
        for phones in readings.values():
            assert all(p in SYMBOL_TO_ID for p in phones), word


def test_coarse_tags_and_fallbacks() -> None:
    assert [coarse_tag(t) for t in ("NN", "NNS", "VB", "VBZ", "VBD", "VBN", "JJ", "RB", "DT")] == [
        "NOUN", "NOUN", "VERB", "VERB", "PAST", "PAST", "ADJ", "ADV", "",
    ]  # fmt: skip
    # a past-tense tag falls back to the verb reading when the word has no PAST reading
    assert homograph("record", "VBD") == homograph("record", "VB") == ["R", "IH0", "K", "AO1", "R", "D"]
    assert homograph("record", "") == ["R", "EH1", "K", "ER0", "D"]
    assert homograph("banana", "NN") is None


def test_context_tags_from_the_neighbours() -> None:
    # plural subject at the start or after a clause opener, homograph tagged NN, no verb after it: a verb
    assert context_tags(["muscles", "contract", "when"], ["NNS", "NN", "WRB"]) == ["NNS", "VBP", "WRB"]
    assert context_tags(["when", "the", "muscles", "contract"], ["WRB", "DT", "NNS", "NN"])[3] == "VBP"
    # a verb after it: the plural is a modifier and the homograph its noun ("the sales contract expired")
    assert context_tags(["the", "sales", "contract", "expired"], ["DT", "NNS", "NN", "VBD"])[2] == "NN"
    # an object before the plural: not a subject ("sign the sales contract")
    assert context_tags(["sign", "the", "sales", "contract"], ["VB", "DT", "NNS", "NN"])[3] == "NN"
    # not a homograph, or no verb reading: unchanged
    assert context_tags(["dogs", "food"], ["NNS", "NN"]) == ["NNS", "NN"]
    assert context_tags(["cats", "minute"], ["NNS", "NN"]) == ["NNS", "NN"]
    # the per-word table: "a minute amount"
    assert context_tags(["a", "minute", "amount"], ["DT", "NN", "NN"])[1] == "JJ"
    assert context_tags(["a", "minute", "or"], ["DT", "NN", "CC"])[1] == "NN"
    # noun-noun compounds from the table, unless a pronoun, "to" or a modal makes the word a verb
    assert context_tags(["the", "minute", "hand"], ["DT", "JJ", "NN"])[1] == "NN"
    assert context_tags(["weapons", "permit", "holders", "must"], ["NNS", "NN", "NNS", "MD"])[1] == "NN"
    assert context_tags(["they", "record", "highs"], ["PRP", "VBP", "NNS"])[1] == "VBP"
    assert context_tags(["to", "project", "plans"], ["TO", "VB", "NNS"])[1] == "VB"
