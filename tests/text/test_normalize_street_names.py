"""House numbers before a street said without a street type ("3425 Broadway") and in a one-line address
("2210 Lakeview, Springfield, IL"): read in pairs; a count before such a name stays a count."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

STREET_NAMES = [
    ("The office is at 1250 Broadway.", "the office is at twelve fifty broadway."),
    ("Visit 330 Bowery, New York.", "visit three thirty bowery, new york."),
    ("It sits at 1 Embarcadero Center.", "it sits at one embarcadero center."),
    ("Find us at 2040 Broadway in Oakland.", "find us at twenty forty broadway in oakland."),
    (
        "Mail it to 4410 Ridgecrest, Austin, TX 78731.",
        "mail it to forty four ten ridgecrest, austin, texas seven eight seven three one.",
    ),
    ("We saw 12 Broadway shows.", "we saw twelve broadway shows."),
    ("About 250 Broadway fans came.", "about two hundred fifty broadway fans came."),
]


@pytest.mark.parametrize(("text", "expected"), STREET_NAMES, ids=[repr(c[0])[:60] for c in STREET_NAMES])
def test_street_name_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
