"""Roman numerals in numbering contexts only."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

ROMAN_NUMERALS = [
    ("Henry VIII", "henry the eighth"),
    ("World War II", "world war two"),
    ("World War I", "world war one"),
    ("Chapter IV", "chapter four"),
    ("Super Bowl LVIII", "super bowl fifty eight"),
    ("Elizabeth I and Part I, but I think so.", "elizabeth the first and part one, but i think so."),
    ("Pope John Paul II visited.", "pope john paul the second visited."),
    ("King George III died.", "king george the third died."),
    ("Louis XIV's palace", "louis the fourteenth's palace"),
    ("Rocky II was a film.", "rocky two was a film."),
    ("Act III, Scene II", "act three, scene two"),
    ("Type II diabetes", "type two diabetes"),
    ("I like to MIX the CIVIL DIM MID.", "i like to mix the civil dim mid."),
    ("In class I learned.", "in class i learned."),
    ("Size XL shirts", "size X L shirts"),
]


@pytest.mark.parametrize(("text", "expected"), ROMAN_NUMERALS, ids=[repr(c[0])[:60] for c in ROMAN_NUMERALS])
def test_roman_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


# A lone "I" after another capitalized word is a numeral when what follows cannot follow the pronoun "I" (the
# end, a pause, "in", "and", "the", ...); before a verb, after a sentence starter or a time word it is "I".
LONE_I = [
    ("Artemis I flew around the Moon in 2022.", "artemis i flew around the moon in twenty twenty two."),
    ("Gemini I and Gemini II were uncrewed.", "gemini one and gemini two were uncrewed."),
    ("The first flight was Artemis I.", "the first flight was artemis one."),
    ("Artemis I, the first test, went well.", "artemis one, the first test, went well."),
    ("Thanks Tom I appreciate it.", "thanks tom i appreciate it."),
    ("Yes I in fact did.", "yes i in fact did."),
    ("On Monday I, too, left early.", "on monday i, too, left early."),
    ("Tom and I.", "tom and i."),
]


@pytest.mark.parametrize(("text", "expected"), LONE_I, ids=[repr(c[0])[:60] for c in LONE_I])
def test_lone_i_numeral_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
