"""Cardinals: groups, decimals, negatives, ordinals, ranges, scores, ratios, dimensions, versions."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

CARDINALS = [
    ("3,497", "three thousand four hundred ninety seven"),
    ("There are 1,000,000 stars.", "there are one million stars."),
    ("100,000 people", "one hundred thousand people"),
    ("It has 42 parts.", "it has forty two parts."),
    ("0", "zero"),
    ("007", "zero zero seven"),
    ("90210", "ninety thousand two hundred ten"),
    (
        "1234567890123456789",
        "one two three four five six seven eight nine zero one two three four five six seven eight nine",
    ),
    ("12,345,678,901,234,567", "one two three four five six seven eight nine zero one two three four five six seven"),
    ("1,2,3", "one, two, three"),
    ("I have 3.", "i have three."),
    ("Dial 911 now.", "dial nine one one now."),
    ("I have 100 200 3000 apples", "i have one hundred two hundred three thousand apples"),
]


DECIMALS_NEGATIVES = [
    ("3.14", "three point one four"),
    ("0.5", "zero point five"),
    ("1,234.56", "one thousand two hundred thirty four point five six"),
    (".5 seconds", "point five seconds"),
    ("-5", "minus five"),
    ("The temperature is -3.5 degrees.", "the temperature is minus three point five degrees."),
    ("-.5", "minus point five"),
    ("+5", "plus five"),
    ("version 1.2.3", "version one point two point three"),
    ("v2.0", "version two point zero"),
    ("3.5.", "three point five."),
]


ORDINALS = [
    ("1st 22nd 103rd 4th", "first twenty second one hundred third fourth"),
    ("He finished 2nd.", "he finished second."),
    ("She was the 101st person.", "she was the one hundred first person."),
    ("the 21st century", "the twenty first century"),
    ("the 12th man", "the twelfth man"),
    ("22nd-largest", "twenty second largest"),
]


RANGES_SCORES_RATIOS = [
    ("10-20", "ten to twenty"),
    ("3-2", "three to two"),
    ("The score was 3-2.", "the score was three to two."),
    ("The Lakers won 102-99.", "the lakers won one hundred two to ninety nine."),
    ("Kids 5-12", "kids five to twelve"),
    ("Pages 100-2000", "pages one hundred to two thousand"),
    ("3:1", "three to one"),
    ("Mix 2:1 ratio", "mix two to one ratio"),
    ("16:9 screens", "sixteen to nine screens"),
    ("1920x1080", "one thousand nine hundred twenty by one thousand eighty"),
    ("4x4", "four by four"),
    ("2 - 1", "two minus one"),
    ("9am-5pm daily", "nine A M to five P M daily"),
    ("9 a.m.-5 p.m. daily", "nine A M to five P M daily"),
    ("$5-$10", "five dollars to ten dollars"),
    ("It is 1.5x faster and 10x cheaper.", "it is one point five times faster and ten times cheaper."),
]


CASES = CARDINALS + DECIMALS_NEGATIVES + ORDINALS + RANGES_SCORES_RATIOS


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[repr(c[0])[:60] for c in CASES])
def test_cardinal_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_long_digit_run_is_read_digit_by_digit() -> None:
    out = normalize("7" * 20)
    assert out == " ".join(["seven"] * 20)
