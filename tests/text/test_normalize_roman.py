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
