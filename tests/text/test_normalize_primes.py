"""Prime marks after a decimal: inches ('6.1"') and feet ("2.5'"); singular before a noun after a determiner
("a 6.1" screen": "inch"), plural otherwise; a number in quotes is not inches."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

PRIMES = [
    ('The tablet has a 10.9" display.', "the tablet has a ten point nine inch display."),
    ('Our 15.6" laptops ship today.', "our fifteen point six inch laptops ship today."),
    ('The panel is 27.5" across.', "the panel is twenty seven point five inches across."),
    ("Cut a 1.5' strip of tape.", "cut a one point five foot strip of tape."),
    ("The shelf is 3.5' long.", "the shelf is three point five feet long."),
    ('The 6.7" model costs more.', "the six point seven inch model costs more."),
    ('He typed "2.5" in the box.', "he typed two point five in the box."),
    ('A 12" sub is enough.', "a twelve inch sub is enough."),
]


@pytest.mark.parametrize(("text", "expected"), PRIMES, ids=[repr(c[0])[:60] for c in PRIMES])
def test_prime_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
