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
