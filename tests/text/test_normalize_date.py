"""Dates and years: month names, ISO and slash dates, years vs counts, decades."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

YEARS = [
    ("1998", "nineteen ninety eight"),
    ("in 1998", "in nineteen ninety eight"),
    ("2008", "two thousand eight"),
    ("2024", "twenty twenty four"),
    ("1900", "nineteen hundred"),
    ("2000", "two thousand"),
    ("1905", "nineteen oh five"),
    ("the 1990s", "the nineteen nineties"),
    ("'90s", "nineties"),
    ("The '80s were wild.", "the eighties were wild."),
    ("The 90s", "the nineties"),
    ("the 1800s", "the eighteen hundreds"),
    ("the 2000s", "the two thousands"),
    ("the 1990's", "the nineteen nineties"),
    ("Class of '05", "class of oh five"),
    ("1998 people", "one thousand nine hundred ninety eight people"),
    ("In 1998 people danced.", "in nineteen ninety eight people danced."),
    ("1998 was great", "nineteen ninety eight was great"),
    ("Since 1066, England", "since ten sixty six, england"),
    ("in 1000", "in one thousand"),
    ("from 1990-1995", "from nineteen ninety to nineteen ninety five"),
    ("in 2020-21", "in twenty twenty to twenty one"),
    ("The year 2000 problem", "the year two thousand problem"),
    ("in 1500 ms", "in one thousand five hundred milliseconds"),
    ("2500", "two thousand five hundred"),
]


DATES = [
    ("Jan. 1, 2000", "january first, two thousand"),
    ("12/25/2020", "december twenty fifth, twenty twenty"),
    ("March 3rd", "march third"),
    ("2024-03-15", "march fifteenth, twenty twenty four"),
    ("Meeting on Jan. 5, 2021 at noon.", "meeting on january fifth, twenty twenty one at noon."),
    ("Born December 25, 1990.", "born december twenty fifth, nineteen ninety."),
    ("On 01/02/2003 it started.", "on january second, two thousand three it started."),
    ("31/12/1999", "december thirty first, nineteen ninety nine"),
    ("Due 2023-12-31.", "due december thirty first, twenty twenty three."),
    ("He was born on 15 March 2020.", "he was born on the fifteenth of march twenty twenty."),
    ("May 5-7", "may fifth to seventh"),
    ("Sept. 11, 2001", "september eleventh, two thousand one"),
    ("9/11", "september eleventh"),
    ("See you in Jan.", "see you in january."),
    ("You may go.", "you may go."),
    ("March 2020", "march twenty twenty"),
]


CASES = YEARS + DATES


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[repr(c[0])[:60] for c in CASES])
def test_date_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
