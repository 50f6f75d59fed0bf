"""Measures: percent, units, degrees, scale letters."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

PERCENT = [
    ("100%", "one hundred percent"),
    ("It grew 3.5% last year.", "it grew three point five percent last year."),
    ("Prices rose 10-20% this year.", "prices rose ten to twenty percent this year."),
    ("-2%", "minus two percent"),
]


UNITS = [
    ("1 kg", "one kilogram"),
    ("5 kg", "five kilograms"),
    ("It weighs 2.5 kg.", "it weighs two point five kilograms."),
    ("10 km", "ten kilometers"),
    ("60 mph", "sixty miles per hour"),
    ("1 mph", "one mile per hour"),
    ("100 km/h", "one hundred kilometers per hour"),
    ("4 GB", "four gigabytes"),
    ("1 GB", "one gigabyte"),
    ("512 MB", "five hundred twelve megabytes"),
    ("72°F", "seventy two degrees fahrenheit"),
    ("-5°C", "minus five degrees celsius"),
    ("It's 20 °C outside.", "it's twenty degrees celsius outside."),
    ("1°", "one degree"),
    ("6 ft", "six feet"),
    ("1 ft", "one foot"),
    ("It is 12 in. long and 5 ft. tall.", "it is twelve inches long and five feet tall."),
    ("5 in the box", "five in the box"),
    ("5 mg", "five milligrams"),
    ("10 ml", "ten milliliters"),
    ("1 lb", "one pound"),
    ("5 lbs", "five pounds"),
    ("8 oz", "eight ounces"),
    ("30 cm", "thirty centimeters"),
    ("5 mm", "five millimeters"),
    ("Cable is 2 m long.", "cable is two meters long."),
    ("5 s", "five seconds"),
    ("20 ms", "twenty milliseconds"),
    ("50 Hz", "fifty hertz"),
    ("3 kHz", "three kilohertz"),
    ("A 2.4 GHz radio", "a two point four gigahertz radio"),
    ("10-20 kg", "ten to twenty kilograms"),
    ("5 m/s", "five meters per second"),
    ("10K run", "ten K run"),
    ("5M users", "five million users"),
    ("10²", "ten squared"),
]


CASES = PERCENT + UNITS


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[repr(c[0])[:60] for c in CASES])
def test_measure_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


# Scale letters by context, letters glued to numbers, primes, and attributive measures.
LLM_MEASURES = [
    ("The repo has 12K stars.", "the repo has twelve thousand stars."),
    ("We serve 1.5M customers.", "we serve one point five million customers."),
    ("The model was trained on 2B tokens.", "the model was trained on two billion tokens."),
    ("Over 300K people signed.", "over three hundred thousand people signed."),
    ("He's training for a half marathon and a 10k.", "he's training for a half marathon and a ten K."),
    ("Stream it in 4K.", "stream it in four K."),
    ("The 7B model runs on a laptop.", "the seven B model runs on a laptop."),
    ("They sell 3M tape.", "they sell three M tape."),
    ("Revenue was 5bn last year.", "revenue was five billion last year."),
    ("Seat 22F is a window seat.", "seat twenty two F is a window seat."),
    ("Print it in 3D.", "print it in three D."),
    ("The new 5G network is fast.", "the new five G network is fast."),
    ("She is 5'6\".", "she is five feet six inches."),
    ("The shelf is 6' wide.", "the shelf is six feet wide."),
    ("He's 6' 1\" tall.", "he's six feet one inch tall."),
    ('Get a 15" laptop.', "get a fifteen inch laptop."),
    ('The board is 24" long.', "the board is twenty four inches long."),
    ('She wrote "Chapter 5" on it.', "she wrote chapter five on it."),
    ("Buy a 5 lb bag of flour.", "buy a five pound bag of flour."),
    ("It is a 2 GB file.", "it is a two gigabyte file."),
    ("Add 2 tsp of cinnamon.", "add two teaspoons of cinnamon."),
    ("Use 3 tbsp butter.", "use three tablespoons butter."),
    ("Buy 2 gal of milk.", "buy two gallons of milk."),
]


@pytest.mark.parametrize(("text", "expected"), LLM_MEASURES, ids=[repr(c[0])[:60] for c in LLM_MEASURES])
def test_llm_measure_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
