"""Number words shared by every semiotic class: cardinals, ordinals, digits one by one, years, fractions,
plurals, and ``Num``, a written number as the scanner parsed it.

Everything here is a pure function of its arguments (no scanner state), so SSML ``say-as`` and every class
module read numbers with the same words.
"""

from __future__ import annotations

from typing import Final, NamedTuple

import inflect


def _build_under_1000() -> tuple[str, ...]:
    # inflect is slow per call (runtime type checks); a table built once at import keeps hostile inputs
    # such as "1,1,1,..." fast and avoids sharing inflect's mutable engine state between threads.
    engine = inflect.engine()
    words = []
    for n in range(1000):
        spoken = str(engine.number_to_words(str(n), andword=""))
        words.append(" ".join(spoken.replace("-", " ").replace(",", " ").split()))
    return tuple(words)


UNDER_1000: Final[tuple[str, ...]] = _build_under_1000()
DIGIT_WORDS: Final[tuple[str, ...]] = UNDER_1000[:10]
SCALES: Final[tuple[str, ...]] = ("", " thousand", " million", " billion", " trillion")
# Longer digit strings are identifiers, not quantities; reading them digit by digit also keeps the
# conversion linear (int() of huge strings is quadratic and capped by Python).
MAX_CARDINAL_DIGITS: Final = 15
# Written ordinal suffixes: 1st, 22nd, 103rd, 4th.
ORDINAL_SUFFIXES: Final = frozenset({"st", "nd", "rd", "th"})

_ORDINAL_IRREGULAR: Final[dict[str, str]] = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def cardinal(n: int) -> str:
    if n < 1000:
        return UNDER_1000[n]
    parts: list[str] = []
    scale = 0
    while n:
        n, group = divmod(n, 1000)
        if group:
            parts.append(UNDER_1000[group] + SCALES[scale])
        scale += 1
    return " ".join(reversed(parts))


def spell_digits(digits: str) -> str:
    return " ".join([DIGIT_WORDS[ord(c) - 48] for c in digits])


def int_words(digits: str) -> str:
    """Cardinal for ordinary integers; digit by digit for leading zeros ("007") and very long runs."""
    if len(digits) > MAX_CARDINAL_DIGITS or (len(digits) > 1 and digits[0] == "0"):
        return spell_digits(digits)
    return cardinal(int(digits))


def ordinal(words: str) -> str:
    """Ordinal of a spoken cardinal: "twenty one" -> "twenty first"."""
    head, _, last = words.rpartition(" ")
    if last in _ORDINAL_IRREGULAR:
        last = _ORDINAL_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head} {last}" if head else last


def plural(words: str) -> str:
    head, _, last = words.rpartition(" ")
    if last.endswith("y"):
        last = last[:-1] + "ies"
    elif last.endswith("x"):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def year_words(n: int) -> str:
    """1998 -> nineteen ninety eight, 2008 -> two thousand eight, 1900 -> nineteen hundred."""
    if not 1000 <= n <= 9999 or n % 1000 == 0 or 2000 < n < 2010:
        return cardinal(n)
    hi, lo = divmod(n, 100)
    if lo == 0:
        return f"{UNDER_1000[hi]} hundred"
    if lo < 10:
        return f"{UNDER_1000[hi]} oh {UNDER_1000[lo]}"
    return f"{UNDER_1000[hi]} {UNDER_1000[lo]}"


def house_number(digits: str) -> str:
    """A number read in pairs, as house, room and route numbers are: 742 -> seven forty two, 1450 -> fourteen
    fifty, 1600 -> sixteen hundred, 101 -> one oh one; up to two digits, round thousands and leading zeros as
    usual; five or more digits one by one."""
    if len(digits) <= 2 or digits[0] == "0" or digits[1:].strip("0") == "":
        return int_words(digits)
    if len(digits) > 4:
        return spell_digits(digits)
    hi, lo = int(digits[:-2]), int(digits[-2:])
    if lo == 0:
        return f"{UNDER_1000[hi]} hundred"
    if lo < 10:
        return f"{UNDER_1000[hi]} oh {UNDER_1000[lo]}"
    return f"{UNDER_1000[hi]} {UNDER_1000[lo]}"


def short_year(digits: str) -> str:
    """Year part of a date: 2020 -> twenty twenty, '05 -> oh five."""
    if len(digits) == 4:
        return year_words(int(digits))
    value = int(digits)
    return f"oh {UNDER_1000[value]}" if digits[0] == "0" and value else UNDER_1000[value]


def decade_words(digits: str) -> str:
    """The number a decade plural is made of: 1990 (s) -> nineteen ninety, 90 (s) -> ninety."""
    if len(digits) == 4 and digits[0] != "0":
        return year_words(int(digits))
    return int_words(digits)


def fraction_words(num: int, den: int, *, article: bool = False, ordinal_den: bool = False) -> str:
    """ "one half", "three quarters"; ``ordinal_den``: the denominator was written as an ordinal ("1/4th"), so
    it is read as one ("one fourth") -- "half" stays."""
    if den == 2:
        unit = "half" if num == 1 else "halves"
    elif den == 4 and not ordinal_den:
        unit = "quarter" if num == 1 else "quarters"
    else:
        unit = "hundredth" if den == 100 else ordinal(cardinal(den))
        if num != 1:
            unit += "s"
    lead = "a" if article and num == 1 else cardinal(num)
    return f"{lead} {unit}"


class Num(NamedTuple):
    """A written number: "1,234.56" is digits "1234", frac "56", comma True."""

    digits: str  # integer part without separators
    frac: str | None  # digits after the decimal point
    end: int  # index of the first run after the number
    comma: bool  # written with thousands separators

    def words(self) -> str:
        words = int_words(self.digits)
        if self.frac is not None:
            words += " point " + spell_digits(self.frac)
        return words
