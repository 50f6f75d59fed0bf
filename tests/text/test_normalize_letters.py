"""Letters: initialisms, acronym words, letter names."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

INITIALISMS = [
    ("FBI", "F B I"),
    ("The FBI and the CIA met.", "the F B I and the C I A met."),
    ("I work with HTML and CSS.", "i work with H T M L and C S S."),
    ("She moved to the USA.", "she moved to the U S A."),
    ("He's from the U.K.", "he's from the U K."),
    ("The U.S. Army is big.", "the U S army is big."),
    ("I live in the U.S. It is big.", "i live in the U S. it is big."),
    ("U.S.A.", "U S A."),
    ("NASA launched it.", "nasa launched it."),
    ("NATO allies met.", "nato allies met."),
    ("UNESCO sites", "unesco sites"),
    ("He's a SCUBA diver.", "he's a scuba diver."),
    ("LASER pointer", "laser pointer"),
    ("IBM and HP merged.", "I B M and H P merged."),
    ("The NBA finals", "the N B A finals"),
    ("The LLM said hi.", "the L L M said hi."),
    ("The FBI's report", "the F B I's report"),
    ("Three CEOs resigned.", "three C E O's resigned."),
    ("OK, let's go.", "okay, let's go."),
    ("BREAKING NEWS: FBI RAIDS HOME", "breaking news: F B I raids home"),
    ("I LOVE IT SO MUCH", "i love it so much"),
    ("R&D and AT&T", "R and D and A T and T"),
    ("Q&A", "Q and A"),
    ("Plan B", "plan B"),
    ("I B M", "I B M"),
    ("Option A is best.", "option a is best."),
    ("MP3 player", "M P three player"),
    ("F-16", "F sixteen"),
    ("COVID-19", "covid nineteen"),
]


@pytest.mark.parametrize(("text", "expected"), INITIALISMS, ids=[repr(c[0])[:60] for c in INITIALISMS])
def test_letters_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


# A pronoun or wh-word in capitals right after a (not all-capital) determiner cannot be the pronoun: it names
# something and is spelled.  Elsewhere, and in all-capital text, it stays the word.
CAPS_PRONOUNS = [
    ("Guidance from the WHO changed in 2020.", "guidance from the W H O changed in twenty twenty."),
    ("The WHO's latest report is out.", "the W H O's latest report is out."),
    ("Ask the IT desk for a new laptop.", "ask the I T desk for a new laptop."),
    ("Our IT team approved it.", "our I T team approved it."),
    ("Their US office opens in May.", "their U S office opens in may."),
    ("I asked WHO was coming.", "i asked who was coming."),
    ("Do IT now!", "do it now!"),
    ("THE WHO PLAYED LIVE", "the who played live"),
    ("Reply YES or NO.", "reply yes or no."),
    ("WHO ARE YOU", "who are you"),
]


@pytest.mark.parametrize(("text", "expected"), CAPS_PRONOUNS, ids=[repr(c[0])[:60] for c in CAPS_PRONOUNS])
def test_caps_pronoun_after_determiner(text: str, expected: str) -> None:
    assert normalize(text) == expected
