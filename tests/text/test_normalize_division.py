"""A spaced slash between operands: "divided by" ("10 / 2 = 5", "(6 + 4) / 2"); a score is "out of" ("4 / 5")
unless an equation or another operator surrounds it.  SMS short codes after a numeric keyword."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

DIVISION = [
    ("So 84 / 4 = 21.", "so eighty four divided by four equals twenty one."),
    ("Then 9 / 3 gives 3.", "then nine divided by three gives three."),
    ("The mean is (8 + 12) / 2 = 10.", "the mean is, eight plus twelve, divided by two equals ten."),
    ("Check: 15 / 5 = 3", "check: fifteen divided by five equals three"),
    ("I'd rate it 4 / 5.", "i'd rate it four out of five."),
    ("Critics gave it 7 / 10 overall.", "critics gave it seven out of ten overall."),
    ("Note 2 + 3 / 5 is not 1.", "note two plus three divided by five is not one."),
    ("Text 10 to 20222 to give.", "text ten to two zero two two two to give."),
    ("Text 25 to 41444.", "text twenty five to four one four four four."),
]


@pytest.mark.parametrize(("text", "expected"), DIVISION, ids=[repr(c[0])[:60] for c in DIVISION])
def test_division_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
