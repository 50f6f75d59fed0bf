"""Telephone numbers, digit by digit with group pauses."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

PHONES = [
    ("(555) 123-4567", "five five five, one two three, four five six seven"),
    ("555-123-4567", "five five five, one two three, four five six seven"),
    ("+1 555 123 4567", "plus one, five five five, one two three, four five six seven"),
    ("Call +1-555-123-4567.", "call plus one, five five five, one two three, four five six seven."),
    ("Call 555.123.4567 today.", "call five five five, one two three, four five six seven today."),
    ("Call 1-800-555-1234.", "call one, eight zero zero, five five five, one two three four."),
    ("Call 555-1234 now.", "call five five five, one two three four now."),
    ("My number is 555 123 4567.", "my number is five five five, one two three, four five six seven."),
    ("Call +44 20 7946 0958 today.", "call plus four four, two zero, seven nine four six, zero nine five eight today."),
    ("(555)123-4567", "five five five, one two three, four five six seven"),
]


@pytest.mark.parametrize(("text", "expected"), PHONES, ids=[repr(c[0])[:60] for c in PHONES])
def test_telephone_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
