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


MORE_PHONES = [
    ("Call 212.555.0187 after 5.", "call two one two, five five five, zero one eight seven after five."),
    ("Text (646) 555-0100.", "text six four six, five five five, zero one zero zero."),
    ("From the UK dial 0161 496 0000.", "from the U K dial zero one six one, four nine six, zero zero zero zero."),
    ("Ring 020 7946 0321.", "ring zero two zero, seven nine four six, zero three two one."),
    ("SSN format: 123-45-6789", "S S N format: one two three, four five, six seven eight nine"),
    ("Call +33 1 42 68 53 00.", "call plus three three, one, four two, six eight, five three, zero zero."),
    ("Call +1 (415) 555-0199.", "call plus one, four one five, five five five, zero one nine nine."),
]


@pytest.mark.parametrize(("text", "expected"), MORE_PHONES, ids=[repr(c[0])[:60] for c in MORE_PHONES])
def test_more_phones_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
