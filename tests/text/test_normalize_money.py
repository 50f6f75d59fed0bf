"""Money: currency symbols before and after amounts, minor units, scales, ranges."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

CURRENCY = [
    ("$5.99", "five dollars and ninety nine cents"),
    ("$1", "one dollar"),
    ("$1.5 billion", "one point five billion dollars"),
    ("€20", "twenty euros"),
    ("50¢", "fifty cents"),
    ("1¢", "one cent"),
    ("£5.50", "five pounds and fifty pence"),
    ("£1", "one pound"),
    ("€1.50", "one euro and fifty cents"),
    ("¥100", "one hundred yen"),
    ("It costs $1,000.", "it costs one thousand dollars."),
    ("It costs $0.99.", "it costs ninety nine cents."),
    ("$5.00", "five dollars"),
    ("$0.01", "one cent"),
    ("$2 million", "two million dollars"),
    ("$5m and $3.2B", "five million dollars and three point two billion dollars"),
    ("$10-20", "ten to twenty dollars"),
    ("-$5", "minus five dollars"),
    ("20€ and 20 €", "twenty euros and twenty euros"),
    ("$5/month", "five dollars per month"),
    ("He paid $5.99, ok?", "he paid five dollars and ninety nine cents, ok?"),
]


@pytest.mark.parametrize(("text", "expected"), CURRENCY, ids=[repr(c[0])[:60] for c in CURRENCY])
def test_money_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
