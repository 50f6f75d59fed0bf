"""Dates and years: month names with days ("March 3rd", "Jan. 1, 2000", "May 5-7"), ISO dates
("2024-03-15"), slash dates ("12/25/2020"), whether a four-digit number is a year, and decades ("'90s",
"'05")."""

from __future__ import annotations

from typing import Final

from app.text.normalize.core import Scanner, load_data
from app.text.normalize.numbers import ORDINAL_SUFFIXES, cardinal, ordinal, plural, short_year

_DATA: Final = load_data("date")

MONTH_NAMES: Final[tuple[str, ...]] = tuple(_DATA["month_names"])
MONTHS: Final[dict[str, int]] = {name.capitalize(): k + 1 for k, name in enumerate(MONTH_NAMES)}
MONTH_ABBR: Final[dict[str, int]] = _DATA["month_abbreviations"]
# Lowercase months ("aug 3", "9 august"); the ones that are also ordinary words are months only after a day.
_LOWER_MONTHS: Final[dict[str, int]] = {k.lower(): v for k, v in (MONTHS | MONTH_ABBR).items()}
_NOT_MONTHS_LOWER: Final[frozenset[str]] = frozenset(_DATA["not_months_in_lowercase"])
WEEKDAYS: Final[dict[str, str]] = _DATA["weekdays"]
# Full names and abbreviations that are also words ("the Sun", "Sat down"): weekdays only in a weekday context.
_WEEKDAY_WORDS: Final[frozenset[str]] = frozenset(_DATA["weekday_words"])
_WEEKDAY_PREPOSITIONS: Final[frozenset[str]] = frozenset(_DATA["weekday_prepositions"])
# Words joining the items of a weekday list ("Sat and Sun", "Wed or Thu").
_LIST_WORDS: Final = frozenset({"and", "or", "to", "through", "thru"})
# Words after which a four-digit number is a year ("in 1998", "since 1066").
_YEAR_PREPS: Final[frozenset[str]] = frozenset(_DATA["year_words"])
# Nouns that mark a preceding four-digit number as a count rather than a year.
_COUNTED_NOUNS: Final[frozenset[str]] = frozenset(_DATA["counted_nouns"])
# Plurals without an "s" ("5K people") and words ending in "s" that are not plurals ("3 this").
_PLURALS: Final[frozenset[str]] = frozenset(_DATA["irregular_plurals"])
_NOT_PLURALS: Final[frozenset[str]] = frozenset(_DATA["not_plurals"])


def counted_noun(word: str | None) -> bool:
    """A counted noun, as after a number: a plural ("users", "miles") or "people"."""
    if word is None or not word.islower():
        return False
    return (
        word in _COUNTED_NOUNS
        or word in _PLURALS
        or (len(word) > 3 and word[-1] == "s" and word[-2] not in "isu" and word not in _NOT_PLURALS)
    )


def month_number(text: str, after_day: bool = False) -> int | None:
    """The month a word names: "March", "Mar", lowercase "aug"; "may", "march", "mar" only after a day."""
    number = MONTHS.get(text) or MONTH_ABBR.get(text)
    if number is None and text.islower() and (after_day or text not in _NOT_MONTHS_LOWER) and text != "may":
        number = _LOWER_MONTHS.get(text)
    return number


def month_day(a: int, b: int, day_first: bool = False) -> tuple[int, int] | None:
    """(month, day) of two numbers: the locale's order first, the other when only it is valid."""
    if day_first and 1 <= b <= 12 and 1 <= a <= 31:
        return b, a
    if 1 <= a <= 12 and 1 <= b <= 31:
        return a, b
    if 1 <= b <= 12 and 13 <= a <= 31:
        return b, a
    return None


def date_words(month: int, day: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {ordinal(cardinal(day))}"


def day_of_month_words(month: int, day: int) -> str:
    """9 August -> the ninth of august."""
    return f"the {ordinal(cardinal(day))} of {MONTH_NAMES[month - 1]}"


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
            return t.lower() in _YEAR_PREPS or month_number(t) is not None
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
        return self.kind(k) == "L" and month_number(runs[k].text) is not None

    def emit_date(self, month: int, day: int, year: str | None, start: int, end: int, day_first: bool) -> None:
        """A date read from one source span: "march fifteenth, twenty twenty four" or, day first, "the fifteenth
        of march twenty twenty four"."""
        if day_first:
            self.word(day_of_month_words(month, day), start, end)
        else:
            self.word(date_words(month, day), start, end)
            if year is not None:
                self.punct(",", start, end)
        if year is not None:
            self.word(short_year(year), start, end)

    def year_first_date(self, i: int) -> int | None:
        """2024-03-15, 2021/08/09, 2021.08.09 (ISO order)."""
        runs = self.runs
        sep = runs[i + 1].text if self.kind(i + 1) == "P" else ""
        if not (
            len(runs[i].text) == 4
            and sep in ("-", "/", ".")
            and self.kind(i + 2) == "D"
            and len(runs[i + 2].text) <= 2
            and self.is_p(i + 3, sep)
            and self.kind(i + 4) == "D"
            and len(runs[i + 4].text) <= 2
            and not (self.kind(i + 5) == "D" or (self.is_p(i + 5, sep) and self.kind(i + 6) == "D"))
        ):
            return None
        month, day = int(runs[i + 2].text), int(runs[i + 4].text)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        self.emit_date(month, day, runs[i].text, runs[i].start, runs[i + 4].end, self.day_first)
        return i + 5

    def numeric_date(self, i: int) -> int | None:
        """12/25/2020, 31/12/1999, 09.08.2021, 12-25-2020: month and day in the locale's order (``day_first``),
        the other order when only it is valid.  Dots and dashes need a four-digit year."""
        runs = self.runs
        sep = runs[i + 1].text if self.kind(i + 1) == "P" else ""
        if not (self.kind(i + 2) == "D" and self.is_p(i + 3, sep) and self.kind(i + 4) == "D"):
            return None
        a_t, b_t, y_t = runs[i].text, runs[i + 2].text, runs[i + 4].text
        if len(a_t) > 2 or len(b_t) > 2 or len(y_t) not in ((2, 4) if sep == "/" else (4,)):
            return None
        if self.kind(i + 5) == "D" or (self.is_p(i + 5, sep) and self.kind(i + 6) == "D"):
            return None
        md = month_day(int(a_t), int(b_t), self.day_first)
        if md is None:
            return None
        self.emit_date(*md, y_t, runs[i].start, runs[i + 4].end, self.day_first)
        return i + 5

    def day_month(self, i: int, j: int) -> int | None:
        """A day (runs i..j-1: "15", "9th") before a month: "15 March", "9th aug 2021", "14-16 March",
        "09-Aug-2021" -> "the fifteenth of march", ..."""
        runs = self.runs
        d_t = runs[i].text
        if len(d_t) > 2 or not 1 <= int(d_t) <= 31:
            return None
        day2 = None
        k = j
        if self.is_p(k, "-") and self.kind(k + 1) == "D" and len(runs[k + 1].text) <= 2:  # 14-16 March
            day2 = int(runs[k + 1].text)
            if not int(d_t) < day2 <= 31:
                return None
            k += 2
            if self.kind(k) == "L" and runs[k].text.lower() in ORDINAL_SUFFIXES:
                k += 1
        dashed = self.is_p(k, "-") and day2 is None
        if not (self.is_space(k) or dashed) or self.kind(k + 1) != "L":
            return None
        month = month_number(runs[k + 1].text, True)
        if month is None:
            return None
        e = k + 2
        abbr = runs[k + 1].text in MONTH_ABBR or runs[k + 1].text in _LOWER_MONTHS
        if self.is_p(e, ".") and abbr and not self.period_ends_sentence(e):
            e += 1
        if dashed:  # 09-Aug-2021
            if not (self.is_p(e, "-") and self.kind(e + 1) == "D" and len(runs[e + 1].text) == 4):
                return None
            self.emit_date(month, int(d_t), runs[e + 1].text, runs[i].start, runs[e + 1].end, True)
            return e + 2
        pk = self.prev_word(i)
        the = "" if pk is not None and runs[pk].text.lower() == "the" else "the "
        day = ordinal(cardinal(int(d_t)))
        if day2 is not None:
            day += f" to the {ordinal(cardinal(day2))}"
        self.word(f"{the}{day} of {MONTH_NAMES[month - 1]}", runs[i].start, runs[e - 1].end)
        return e

    def month(self, i: int) -> int | None:
        """March 3rd, Jan. 1, aug 3, May 5-7, Aug-09-2025, Jan-Mar; "Jan." alone -> january; "May" alone stays a
        word."""
        runs = self.runs
        t = runs[i].text
        number = month_number(t)
        if number is None:
            return None
        name = MONTH_NAMES[number - 1]
        k = i + 1
        dot = None
        if t not in MONTHS and self.is_p(k, "."):
            dot = k
            k += 1
        if self.is_p(k, "-") and self.kind(k + 1) == "L" and dot is None:  # Jan-Mar
            other = month_number(runs[k + 1].text)
            if other is not None and (t in MONTHS or t in MONTH_ABBR) == (runs[k + 1].text[0].isupper()):
                self.word(f"{name} to {MONTH_NAMES[other - 1]}", runs[i].start, runs[k + 1].end)
                e = k + 2
                if self.is_p(e, ".") and runs[k + 1].text not in MONTHS and not self.period_ends_sentence(e):
                    e += 1
                return e
        d = k + 1
        if (
            self.is_p(k, "-")
            and dot is None
            and self.kind(d) == "D"
            and len(runs[d].text) <= 2
            and self.is_p(d + 1, "-")
            and self.kind(d + 2) == "D"
            and len(runs[d + 2].text) == 4
            and 1 <= int(runs[d].text) <= 31
        ):  # Aug-09-2025
            self.emit_date(number, int(runs[d].text), runs[d + 2].text, runs[i].start, runs[d + 2].end, False)
            return d + 3
        if self.is_space(k) and self.kind(d) == "D" and len(runs[d].text) <= 2 and 1 <= int(runs[d].text) <= 31:
            e = d + 1
            blocked = self.kind(e) == "P" and (
                runs[e].text in (":", "/", "%") or (runs[e].text in (".", ",") and self.kind(e + 1) == "D")
            )
            if t.islower() and not blocked:  # "aug 3 miles" is not a date
                blocked = counted_noun(self.next_word(e)) or self.kind(e) == "L"
            if not blocked:
                day = int(runs[d].text)
                if self.kind(e) == "L" and runs[e].text.lower() in ORDINAL_SUFFIXES:
                    e += 1
                self.word(name, runs[i].start, runs[k - 1].end)
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
        if dot is not None and t[0].isupper():
            return self.emit_abbrev(name, i, dot, True)
        if t not in MONTHS and self.is_space(k) and self.kind(d) == "D" and len(runs[d].text) == 4:
            self.word(name, runs[i].start, runs[i].end)  # Nov 2023, nov 2023
            return i + 1
        return None

    def weekday(self, i: int) -> int | None:
        """Mon-Fri, "Mon.-Fri.", "Mon - Fri" -> monday through friday; an abbreviation that is no word is a weekday
        wherever it stands capitalized ("| Mon |", "Thu at 4 pm", "MON"); one that is also a word ("Sat", "Sun",
        "Wed") only before a date or time, next to another weekday ("Sat and Sun") or after a weekday preposition
        ("on Wed")."""
        runs = self.runs
        t = runs[i].text
        name = WEEKDAYS.get(t)
        if name is None:
            return None
        dot = i + 1 if self.is_p(i + 1, ".") else None
        k = (dot or i) + 1
        spaced = self.is_space(k) and self.is_p(k + 1, "-") and self.is_space(k + 2)
        dash = k + 1 if spaced else k
        if self.is_p(dash, "-"):
            e = dash + 2 if spaced else dash + 1
            other = WEEKDAYS.get(runs[e].text) if self.kind(e) == "L" else None
            if other is not None:
                spoken = f"{name} through {other}"
                if self.is_p(e + 1, ".") and runs[e].text != other.capitalize():  # "Mon.-Fri."
                    return self._weekday_range(i, e + 1, spoken)
                self.word(spoken, runs[i].start, runs[e].end)
                return e + 1
        if dot is not None and t.isupper() and t not in _WEEKDAY_WORDS:
            return self.emit_abbrev(name, i, dot, True)  # "THU."
        if t == name.capitalize() or dot is not None:
            return None  # full names are words; "Sun." is an abbreviation
        if t not in _WEEKDAY_WORDS:
            self.word(name, runs[i].start, runs[i].end)
            return i + 1
        k = i + 2 if self.is_p(i + 1, ",") else i + 1
        if self.is_space(k) and (
            self.kind(k + 1) == "D"
            or (self.kind(k + 1) == "L" and month_number(runs[k + 1].text) is not None)
            or (runs[k + 1].text == "at" and self.is_space(k + 2) and self.kind(k + 3) == "D")
        ):
            self.word(name, runs[i].start, runs[i].end)
            return i + 1
        if self.weekday_neighbour(i) or (self.prev_text(i) or "").lower() in _WEEKDAY_PREPOSITIONS:
            self.word(name, runs[i].start, runs[i].end)
            return i + 1
        return None

    def _weekday_range(self, i: int, dot: int, spoken: str) -> int:
        """A dotted range ("Mon.-Fri."): its last period may also be the full stop."""
        runs = self.runs
        if self.period_ends_sentence(dot):
            self.word(spoken, runs[i].start, runs[dot].start)
            self.punct(".", runs[dot].start, runs[dot].end)
        else:
            self.word(spoken, runs[i].start, runs[dot].end)
        return dot + 1

    def weekday_neighbour(self, i: int) -> bool:
        """Another weekday stands next to run i in a list ("Sat and Sun", "Wed, Fri", "Sat & Sun")."""
        runs = self.runs
        for step in (-1, 1):
            k = i + step
            for _ in range(4):
                if not 0 <= k < self.n:
                    break
                r = runs[k]
                if r.kind == "L":
                    if r.text in WEEKDAYS and r.text != runs[i].text:
                        return True
                    if r.text not in _LIST_WORDS:
                        break
                elif (r.kind == "P" and r.text not in (",", "&", "/", "-")) or r.kind == "D" or "\n" in r.text:
                    break
                k += step
        return False

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
