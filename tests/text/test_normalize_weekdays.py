"""Weekday abbreviations: ranges in every dash form, abbreviations that are no word read as the weekday wherever
they stand capitalized, those that are also words ("Sat", "Sun", "Wed") only in a weekday context."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

WEEKDAYS = [
    # ranges: hyphen, en dash, spaced dash, full stops, capitals
    ("Support is staffed Tue-Sat.", "support is staffed tuesday through saturday."),
    ("Lessons run Mon.-Thu. after school.", "lessons run monday through thursday after school."),
    ("Deliveries: Mon.–Fri.", "deliveries: monday through friday."),
    ("The gym opens Mon - Sat at 6 am.", "the gym opens monday through saturday at six A M."),
    ("HOURS: MON-FRI 8-6", "hours: monday through friday eight to six"),
    ("Open Thurs.-Sun. only.", "open thursday through sunday only."),
    # an abbreviation that is no word: a weekday wherever it stands
    ("| Shift | Lead |\n|---|---|\n| Fri | Dana |", "shift, lead. friday, dana"),
    ("- Tue: standup\n- Thu: retro", "tuesday: standup. thursday: retro"),
    ("Drop by Fri if you can.", "drop by friday if you can."),
    ("Payroll closes Thurs at noon.", "payroll closes thursday at noon."),
    ("We ship MON and THU.", "we ship monday and thursday."),
    # abbreviations that are also words: only in a weekday context
    ("Labs are Wed and Fri.", "labs are wednesday and friday."),
    ("Closed Sat & Sun.", "closed saturday and sunday."),
    ("See you on Sat!", "see you on saturday!"),
    ("The call moved to Wed at 3 pm.", "the call moved to wednesday at three P M."),
    ("Sun, sand and sea.", "sun, sand and sea."),
    ("The Sun is a star.", "the sun is a star."),
    ("Sat on the bench.", "sat on the bench."),
]


@pytest.mark.parametrize(("text", "expected"), WEEKDAYS, ids=[repr(c[0])[:60] for c in WEEKDAYS])
def test_weekday_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
