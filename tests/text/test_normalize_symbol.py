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


LLM_SYMBOLS = [
    ("Go to File > Save As.", "go to file, save as."),
    ("Tap Settings > General > About.", "tap settings, general, about."),
    ("Run it with --verbose.", "run it with dash dash verbose."),
    ("Pass -h for help.", "pass dash h for help."),
    ("Use rm -rf with care.", "use rm dash rf with care."),
    ("A well-known fix.", "a well known fix."),
    ("Temperatures of -4 are common.", "temperatures of minus four are common."),
    ("3 × 4 = 12", "three times four equals twelve"),
    ("The panel is 2 × 3 m.", "the panel is two by three meters."),
    ("x > 5", "x greater than five"),
]


@pytest.mark.parametrize(("text", "expected"), LLM_SYMBOLS, ids=[repr(c[0])[:60] for c in LLM_SYMBOLS])
def test_llm_symbol_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
