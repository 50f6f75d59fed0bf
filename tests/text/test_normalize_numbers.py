"""Shared number words (app.text.normalize.numbers), SSML say-as reading them the same way, and the packaged
data tables."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from importlib.resources import files
from pathlib import Path

import pytest

from app.text.normalize import normalize
from app.text.normalize.numbers import (
    cardinal,
    decade_words,
    fraction_words,
    int_words,
    ordinal,
    plural,
    short_year,
    spell_digits,
    year_words,
)
from app.text.ssml import say_as

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "zero"),
        (15, "fifteen"),
        (101, "one hundred one"),
        (1_000_001, "one million one"),
        (
            999_999_999_999_999,
            "nine hundred ninety nine trillion nine hundred ninety nine billion "
            "nine hundred ninety nine million nine hundred ninety nine thousand nine hundred ninety nine",
        ),
    ],
)
def test_cardinal(n: int, expected: str) -> None:
    assert cardinal(n) == expected


def test_digit_words() -> None:
    assert spell_digits("0071") == "zero zero seven one"
    assert int_words("007") == "zero zero seven"
    assert int_words("9" * 16) == " ".join(["nine"] * 16)
    assert int_words("42") == "forty two"


@pytest.mark.parametrize(
    ("words", "expected"),
    [("one", "first"), ("twelve", "twelfth"), ("twenty", "twentieth"), ("twenty three", "twenty third")],
)
def test_ordinal(words: str, expected: str) -> None:
    assert ordinal(words) == expected


def test_years_decades_plurals_fractions() -> None:
    assert [year_words(y) for y in (1905, 1900, 2000, 2008, 2024)] == [
        "nineteen oh five",
        "nineteen hundred",
        "two thousand",
        "two thousand eight",
        "twenty twenty four",
    ]
    assert [short_year(y) for y in ("05", "99", "2020")] == ["oh five", "ninety nine", "twenty twenty"]
    assert plural(decade_words("1990")) == "nineteen nineties"
    assert plural("six") == "sixes"
    assert fraction_words(1, 2) == "one half"
    assert fraction_words(3, 4) == "three quarters"
    assert fraction_words(1, 3, article=True) == "a third"
    assert fraction_words(7, 100) == "seven hundredths"


@pytest.mark.parametrize("n", [1, 2, 3, 11, 12, 13, 21, 22, 101, 111, 1000, 1_000_002, 123_456])
def test_ssml_ordinal_reads_like_a_written_ordinal(n: int) -> None:
    # say-as ordinal and "101st" in running text share numbers.ordinal: the same words either way.
    assert normalize(say_as(str(n), "ordinal", None)) == normalize(f"{n}th")


def test_data_tables_are_package_data() -> None:
    data = files("app.text.normalize").joinpath("data")
    names = sorted(p.name for p in data.iterdir() if p.name.endswith(".json"))
    assert names, "no data tables found"
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["app"]
    for name in names:
        assert any(fnmatch(f"text/normalize/data/{name}", pattern) for pattern in patterns), name
