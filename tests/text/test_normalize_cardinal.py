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


# Versions, sizes and arithmetic as LLM replies write them.
LLM_NUMBERS = [
    ("Upgrade to Python 3.13 today.", "upgrade to python three point thirteen today."),
    ("Node 18.19 is an LTS release.", "node eighteen point nineteen is an L T S release."),
    ("This needs Ruby 3.2 or later.", "this needs ruby three point two or later."),
    ("Fixed in version 2.15.", "fixed in version two point fifteen."),
    ("Release 4.11 ships today.", "release four point eleven ships today."),  # a verb after "release"
    ("Update 3.14 fixes crashes.", "update three point fourteen fixes crashes."),
    ("Pin it to v0.9.12.", "pin it to version zero point nine point twelve."),
    ("Release v3 adds dark mode.", "release version three adds dark mode."),
    ("Android 14.1 is out.", "android fourteen point one is out."),
    ("Add 2.25 cups of water.", "add two point two five cups of water."),
    ("Pi is 3.14159.", "pi is three point one four one five nine."),
    ("It costs 12.99 plus tax.", "it costs twelve point nine nine plus tax."),
    ("Use a 2 x 6 joist.", "use a two by six joist."),
    ("The image is 800x600.", "the image is eight hundred by six hundred."),
    ("A 3 x 3 grid.", "a three by three grid."),
    ("The room is 12 x 15 ft.", "the room is twelve by fifteen feet."),
    ("Then 4 x 5 = 20.", "then four times five equals twenty."),
    ("We know 9-4=5.", "we know nine minus four equals five."),
    ("Check: 10 - 3 = 7.", "check: ten minus three equals seven."),
    ("And 6 * 7 = 42.", "and six times seven equals forty two."),
    ("So 2^10 is 1024.", "so two to the power of ten is one thousand twenty four."),
    ("The area is r^2 times pi.", "the area is r squared times pi."),
    ("The ratio is 1:4.", "the ratio is one to four."),
    ("It won 3-1.", "it won three to one."),
]


@pytest.mark.parametrize(("text", "expected"), LLM_NUMBERS, ids=[repr(c[0])[:60] for c in LLM_NUMBERS])
def test_llm_number_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
