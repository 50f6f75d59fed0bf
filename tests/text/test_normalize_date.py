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


# Dates as LLM replies write them: lowercase and abbreviated months, day before month, numeric forms,
# month and weekday ranges.
LLM_DATES = [
    ("The sale runs through jan 31.", "the sale runs through january thirty first."),
    ("Tickets go on sale feb 14.", "tickets go on sale february fourteenth."),
    ("The patch ships sept. 12.", "the patch ships september twelfth."),
    ("We march 10 miles a day.", "we march ten miles a day."),
    ("It may 5 times fail.", "it may five times fail."),
    (
        "The armistice was signed on 11 November 1918.",
        "the armistice was signed on the eleventh of november nineteen eighteen.",
    ),
    ("Deadline is 28 feb.", "deadline is the twenty eighth of february."),
    ("Arrive by 2 Jan. 2025.", "arrive by the second of january twenty twenty five."),
    ("The 4th of July parade starts at noon.", "the fourth of july parade starts at noon."),
    ("On 21st June the days are longest.", "on the twenty first of june the days are longest."),
    ("It's on the 21st June this year.", "it's on the twenty first of june this year."),
    ("The festival is 3–5 May.", "the festival is the third to the fifth of may."),
    ("Released 2019/03/27.", "released march twenty seventh, twenty nineteen."),
    ("Logged 2022.01.05 at noon.", "logged january fifth, twenty twenty two at noon."),
    ("Valid until 12-31-2025.", "valid until december thirty first, twenty twenty five."),
    ("Issued 28.02.2023 in Berlin.", "issued february twenty eighth, twenty twenty three in berlin."),
    ("Expires Dec-31-2026.", "expires december thirty first, twenty twenty six."),
    ("Printed 05-Mar-2024.", "printed the fifth of march twenty twenty four."),
    ("The quarter covers Apr–Jun.", "the quarter covers april to june."),
    ("From September-December we travel.", "from september to december we travel."),
    ("Open Mon-Sat.", "open monday through saturday."),
    ("Classes run Tue-Thu each week.", "classes run tuesday through thursday each week."),
    ("The gym is busy Monday–Friday.", "the gym is busy monday through friday."),
    ("Next call: Thu, Mar 14.", "next call: thursday, march fourteenth."),
    ("Office hours Wed 3pm.", "office hours wednesday three P M."),
    ("Sat down and relaxed.", "sat down and relaxed."),
    ("The mid-1700s saw big changes.", "the mid seventeen hundreds saw big changes."),
    ("The 1980s gave us the Walkman.", "the nineteen eighties gave us the walkman."),
    ("It dates to the 12th century.", "it dates to the twelfth century."),
    ("Sales fell in nov 2023.", "sales fell in november twenty twenty three."),
]


@pytest.mark.parametrize(("text", "expected"), LLM_DATES, ids=[repr(c[0])[:60] for c in LLM_DATES])
def test_llm_date_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


DAY_FIRST = [
    ("09/08/2021", "the ninth of august twenty twenty one"),
    ("09.08.2021", "the ninth of august twenty twenty one"),
    ("Due 01/02/2003.", "due the first of february two thousand three."),
    ("12/25/2020", "the twenty fifth of december twenty twenty"),  # only month/day is valid
    ("2024-03-15", "the fifteenth of march twenty twenty four"),
    ("Jan. 1, 2000", "january first, two thousand"),  # a written month keeps its order
]


@pytest.mark.parametrize(("text", "expected"), DAY_FIRST, ids=[repr(c[0])[:60] for c in DAY_FIRST])
def test_numeric_dates_follow_the_date_order(text: str, expected: str) -> None:
    assert normalize(text, date_order="dmy") == expected


def test_month_first_is_the_default_date_order() -> None:
    assert normalize("09/08/2021") == "september eighth, twenty twenty one"
    assert normalize("09.08.2021") == "september eighth, twenty twenty one"


def test_unknown_date_order_is_refused() -> None:
    with pytest.raises(ValueError, match="date_order"):
        normalize("1/2/2003", date_order="ymd")


def test_abbreviated_month_before_a_year() -> None:
    assert normalize("Revenue peaked in Nov 2021.") == "revenue peaked in november twenty twenty one."
