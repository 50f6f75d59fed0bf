"""Fractions: slash pairs, mixed numbers, vulgar fractions."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

FRACTIONS = [
    ("1/2", "one half"),
    ("3/4", "three quarters"),
    ("2/3", "two thirds"),
    ("1/4 cup", "one quarter cup"),
    ("5/8 inch", "five eighths inch"),
    ("1/3 of people", "one third of people"),
    ("7/100", "seven hundredths"),
    ("1 1/2 cups", "one and a half cups"),
    ("1/2 kg", "one half of a kilogram"),
    ("2 3/4 kg", "two and three quarters kilograms"),
    ("½ cup and 1½ cups", "one half cup and one and a half cups"),
    ("24/7", "twenty four seven"),
    ("1000/7", "one thousand over seven"),
]


@pytest.mark.parametrize(("text", "expected"), FRACTIONS, ids=[repr(c[0])[:60] for c in FRACTIONS])
def test_fraction_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
