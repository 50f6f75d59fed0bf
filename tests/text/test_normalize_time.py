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


LLM_TIMES = [
    ("The shuttle leaves at 6.20 a.m. daily.", "the shuttle leaves at six twenty A M daily."),
    ("Dinner is at 8.30pm.", "dinner is at eight thirty P M."),
    ("Check-out is at 11.00 am.", "check out is at eleven A M."),
    ("The log shows 09:14:07.", "the log shows nine fourteen and seven seconds."),
    ("Kickoff is 20:45:30 local time.", "kickoff is twenty forty five and thirty seconds local time."),
    ("The stream starts at 4 pm EST.", "the stream starts at four P M E S T."),
    ("Standup is 9:30 am PT.", "standup is nine thirty A M P T."),
    ("Maintenance runs at 02:00 UTC.", "maintenance runs at two o'clock U T C."),
    ("Berlin is UTC+1 in winter.", "berlin is U T C plus one in winter."),
    ("New York is UTC-5.", "new york is U T C minus five."),
    ("The call is at 3 pm GMT.", "the call is at three P M G M T."),
    ("We close at 12:00 midnight.", "we close at twelve midnight."),
    ("Lunch is at 12 noon sharp.", "lunch is at twelve noon sharp."),
    ("That is 10.5 hours of work.", "that is ten point five hours of work."),
]


@pytest.mark.parametrize(("text", "expected"), LLM_TIMES, ids=[repr(c[0])[:60] for c in LLM_TIMES])
def test_llm_time_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
