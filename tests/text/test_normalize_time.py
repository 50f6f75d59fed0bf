"""Times of day: clock times, am/pm."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

TIMES = [
    ("3:30 pm", "three thirty P M"),
    ("10:05", "ten oh five"),
    ("12:00", "twelve o'clock"),
    ("Open 9:00 am to 5:00 pm.", "open nine A M to five P M."),
    ("It is 7:45 a.m. now.", "it is seven forty five A M now."),
    ("It is 7:45 a.m. The bus left.", "it is seven forty five A M. the bus left."),
    ("At 23:59 sharp.", "at twenty three fifty nine sharp."),
    ("at 15:00", "at fifteen hundred"),
    ("at 5pm", "at five P M"),
    ("at 5 PM", "at five P M"),
    ("at 5 p.m.", "at five P M."),
    ("The race ended 1:02:03", "the race ended one oh two and three seconds"),
]


@pytest.mark.parametrize(("text", "expected"), TIMES, ids=[repr(c[0])[:60] for c in TIMES])
def test_time_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
