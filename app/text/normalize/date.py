"""Dates and years: month names with days ("March 3rd", "Jan. 1, 2000", "May 5-7"), ISO dates
("2024-03-15"), slash dates ("12/25/2020"), whether a four-digit number is a year, and decades ("'90s",
"'05")."""

from __future__ import annotations

from typing import Final

from app.text.normalize.core import Scanner, load_data
from app.text.normalize.numbers import ORDINAL_SUFFIXES, cardinal, ordinal, plural, short_year, year_words

_DATA: Final = load_data("date")

MONTH_NAMES: Final[tuple[str, ...]] = tuple(_DATA["month_names"])
MONTHS: Final[dict[str, int]] = {name.capitalize(): k + 1 for k, name in enumerate(MONTH_NAMES)}
MONTH_ABBR: Final[dict[str, int]] = _DATA["month_abbreviations"]
# Words after which a four-digit number is a year ("in 1998", "since 1066").
_YEAR_PREPS: Final[frozenset[str]] = frozenset(_DATA["year_words"])
# Nouns that mark a preceding four-digit number as a count rather than a year.
_COUNTED_NOUNS: Final[frozenset[str]] = frozenset(_DATA["counted_nouns"])


def month_day(a: int, b: int) -> tuple[int, int] | None:
    """US order first; day/month when the first part cannot be a month."""
    if 1 <= a <= 12 and 1 <= b <= 31:
        return a, b
    if 1 <= b <= 12 and 13 <= a <= 31:
        return b, a
    return None


def date_words(month: int, day: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {ordinal(cardinal(day))}"


class DateRules(Scanner):
    def is_year(self, i: int, j: int) -> bool:
        value = int(self.runs[i].text)
        if self.year_context(i):
            return 1000 <= value <= 2999
        if not 1100 <= value <= 2099:
            return False
        following = self.next_word(j)
        return following is None or following not in _COUNTED_NOUNS

    def year_context(self, i: int) -> bool:
        runs = self.runs
        k = self.prev_word(i)
        if k is not None:
            t = runs[k].text
            return t.lower() in _YEAR_PREPS or t in MONTHS or t in MONTH_ABBR
        # "Jan. 2000", "March 3, 2000", "Jan. 1, 2000"
        k = i - 1
        if not self.is_space(k):
            return False
        k -= 1
        if self.is_p(k, ",") and self.kind(k - 1) == "D" and len(runs[k - 1].text) <= 2:
            k -= 2
            if not self.is_space(k):
                return False
            k -= 1
        if self.is_p(k, "."):
            k -= 1
        return self.kind(k) == "L" and (runs[k].text in MONTHS or runs[k].text in MONTH_ABBR)

    def iso_date(self, i: int) -> int | None:
        """2024-03-15 -> march fifteenth, twenty twenty four (all parts span the whole date)."""
        runs = self.runs
        if not (
            len(runs[i].text) == 4
            and self.kind(i + 2) == "D"
            and len(runs[i + 2].text) == 2
            and self.is_p(i + 3, "-")
            and self.kind(i + 4) == "D"
            and len(runs[i + 4].text) == 2
        ):
            return None
        month, day = int(runs[i + 2].text), int(runs[i + 4].text)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        start, end = runs[i].start, runs[i + 4].end
        self.word(date_words(month, day), start, end)
        self.punct(",", start, end)
        self.word(year_words(int(runs[i].text)), start, end)
        return i + 5

    def slash_date(self, i: int) -> int | None:
        """12/25/2020, 31/12/1999 (runs i and i + 2 are digits, i + 1 and i + 3 slashes)."""
        runs = self.runs
        a_t, b_t = runs[i].text, runs[i + 2].text
        if self.kind(i + 4) != "D" or len(a_t) > 2 or len(b_t) > 2 or len(runs[i + 4].text) not in (2, 4):
            return None
        md = month_day(int(a_t), int(b_t))
        if md is None:
            return None
        self.word(date_words(*md), runs[i].start, runs[i + 2].end)
        self.punct(",", runs[i + 3].start, runs[i + 3].end)
        self.word(short_year(runs[i + 4].text), runs[i + 4].start, runs[i + 4].end)
        return i + 5

    def month(self, i: int) -> int | None:
        """March 3rd, Jan. 1, May 5-7; "Jan." alone -> january; "May" alone stays a word."""
        runs = self.runs
        t = runs[i].text
        number = MONTHS.get(t) or MONTH_ABBR.get(t)
        if number is None:
            return None
        k = i + 1
        dot = None
        if t in MONTH_ABBR and self.is_p(k, "."):
            dot = k
            k += 1
        d = k + 1
        if self.is_space(k) and self.kind(d) == "D" and len(runs[d].text) <= 2 and 1 <= int(runs[d].text) <= 31:
            e = d + 1
            blocked = self.kind(e) == "P" and (
                runs[e].text in (":", "/", "%") or (runs[e].text in (".", ",") and self.kind(e + 1) == "D")
            )
            if not blocked:
                day = int(runs[d].text)
                if self.kind(e) == "L" and runs[e].text.lower() in ORDINAL_SUFFIXES:
                    e += 1
                self.word(MONTH_NAMES[number - 1], runs[i].start, runs[k - 1].end)
                words = ordinal(cardinal(day))
                if (
                    self.is_p(e, "-")
                    and self.kind(e + 1) == "D"
                    and len(runs[e + 1].text) <= 2
                    and 1 <= int(runs[e + 1].text) <= 31
                ):
                    words += f" to {ordinal(cardinal(int(runs[e + 1].text)))}"
                    e += 2
                    if self.kind(e) == "L" and runs[e].text.lower() in ORDINAL_SUFFIXES:
                        e += 1
                self.word(words, runs[d].start, runs[e - 1].end)
                return e
        if dot is not None:
            return self.emit_abbrev(MONTH_NAMES[number - 1], i, dot, True)
        return None

    def short_decade(self, i: int) -> int:
        """'90s -> nineties, '05 -> oh five."""
        runs = self.runs
        digits = runs[i + 1].text
        value = int(digits)
        if self.kind(i + 2) == "L" and runs[i + 2].text == "s":
            words = "two thousands" if value == 0 else plural(cardinal(value))
            self.word(words, runs[i].start, runs[i + 2].end)
            return i + 3
        self.word(short_year(digits), runs[i].start, runs[i + 1].end)
        return i + 2
