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
