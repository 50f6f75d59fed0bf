"""Symbols: &, @, #, +, =, degrees, comparison and math signs."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

SYMBOLS = [
    ("Tom & Jerry", "tom and jerry"),
    ("email me @ home", "email me at home"),
    ("#1", "number one"),
    ("Rank #5", "rank number five"),
    ("2 + 2 = 4", "two plus two equals four"),
    ("1+1=2", "one plus one equals two"),
    ("C++ and C#", "C plus plus and C sharp"),
    ("It's 30° outside.", "it's thirty degrees outside."),
    ("°C", "degrees celsius"),
    ("%", "percent"),
    ("~5 minutes", "approximately five minutes"),
    ("x > 5", "x greater than five"),
    ("±3", "plus or minus three"),
    ("5 × 4", "five times four"),
    ("#hashtag", "hashtag hashtag"),
    ("and/or", "and or"),
]


@pytest.mark.parametrize(("text", "expected"), SYMBOLS, ids=[repr(c[0])[:60] for c in SYMBOLS])
def test_symbol_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
