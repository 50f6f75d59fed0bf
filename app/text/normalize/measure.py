"""Measures: what follows a number and makes it a quantity of something -- percent, degrees, scale letters
("5K"), "10x", units ("kg", "km/h", "12 in.").  Units are only units right after a number."""

from __future__ import annotations

from typing import Final

from app.text.normalize.core import Scanner, load_data
from app.text.normalize.date import counted_noun
from app.text.normalize.numbers import cardinal

_DATA: Final = load_data("measure")

# (singular, plural).  Case matters for the first table ("MB" megabyte, "Mb" megabit); the second is looked
# up in lowercase.
UNITS_EXACT: Final[dict[str, tuple[str, str]]] = {k: tuple(v) for k, v in _DATA["units_exact"].items()}
UNITS_ANYCASE: Final[dict[str, tuple[str, str]]] = {k: tuple(v) for k, v in _DATA["units_any_case"].items()}
# Units whose abbreviation takes a period ("12 in. long").
_DOTTED_UNITS: Final[frozenset[str]] = frozenset(_DATA["dotted_units"])
# Denominators of "km/h", "mg/kg", "$5/day".
PER_UNITS: Final[dict[str, str]] = _DATA["per_units"]
DEGREE_SCALES: Final[dict[str, str]] = _DATA["degree_scales"]
# Scale letters right after a number: 5K, 3M, 2bn.
SCALE_SUFFIX: Final[dict[str, str]] = _DATA["scale_suffixes"]
# Letters that may be a magnitude or a name ("5K users" / "10K run", "8K video"): a magnitude only before a
# counted noun (after a currency sign money reads them).
_LETTER_SCALES: Final = frozenset({"k", "K", "M", "B"})


class MeasureRules(Scanner):
    def unit_suffix(self, j: int, is_one: bool, attributive: bool = False) -> tuple[str, int] | None:
        """Percent, degrees, scale letters (5K) and units (kg, km/h, GB) after a number at run j; ``attributive``
        (the number follows "a"/"an") reads a unit before a noun in the singular."""
        runs = self.runs
        spaced = self.is_space(j)
        k = j + 1 if spaced else j
        if k >= self.n:
            return None
        r = runs[k]
        if r.kind == "P":
            if r.text == "%":
                return "percent", k + 1
            if r.text == "°":
                words = "degree" if is_one else "degrees"
                m = k + 2 if self.is_space(k + 1) else k + 1
                if self.kind(m) == "L" and runs[m].text in DEGREE_SCALES:
                    return f"{words} {DEGREE_SCALES[runs[m].text]}", m + 1
                return words, k + 1
            return None
        if r.kind != "L":
            return None
        t = r.text
        if not spaced and t in SCALE_SUFFIX:
            if t not in _LETTER_SCALES or counted_noun(self.next_word(k + 1)):
                return SCALE_SUFFIX[t], k + 1
            return t.upper(), k + 1  # 10K run, 8K video, a 70B model
        if not spaced and t == "x" and self.kind(k + 1) != "D":
            return "times", k + 1  # 10x faster
        unit = UNITS_EXACT.get(t) or UNITS_ANYCASE.get(t.lower())
        if unit is None:
            if not spaced and len(t) == 1 and t.isupper() and self.kind(k + 1) != "D":
                return t, k + 1  # a letter after a house or seat number: 12A, 14C, 3D
            return None
        if t == "s" and not spaced:
            return None
        if t == "in":  # "5 in." is inches, "5 in the box" is a preposition
            m = k + 2 if self.is_space(k + 1) else k + 1
            if self.kind(m) in ("L", "D"):
                return None
        if self.is_p(k + 1, "/") and self.kind(k + 2) == "L" and runs[k + 2].text in PER_UNITS:
            per = PER_UNITS[runs[k + 2].text]
            return f"{unit[0] if is_one else unit[1]} per {per}", k + 3
        if self.kind(k + 1) == "D":  # "5 m2" style codes are not units
            return None
        # "a 5 kg bag", "a 2 GB file": a measure before its noun is singular
        nw = self.next_word(k + 1)
        spoken = unit[0] if is_one or (attributive and nw is not None and nw.islower()) else unit[1]
        if t in _DOTTED_UNITS and self.is_p(k + 1, ".") and not self.period_ends_sentence(k + 1):
            return spoken, k + 2  # "12 in. long": the period belongs to the abbreviation
        return spoken, k + 1

    def singular_unit(self, k: int) -> str | None:
        """Singular name of the unit at run k ("kg" -> "kilogram"), for "1/2 kg" -> "... of a kilogram"."""
        r = self.runs[k]
        if r.kind != "L":
            return None
        unit = UNITS_EXACT.get(r.text) or UNITS_ANYCASE.get(r.text.lower())
        return unit[0] if unit else None

    def feet_inches(self, i: int, j: int, attributive: bool) -> tuple[str, int] | None:
        """Primes after the whole number at run i: 5'11", 6' 2", 8', 12" -> "five feet eleven inches", "six feet two
        inches", "eight feet", "twelve inches" ("a 12" pizza": "twelve inch").  A '"' that closes a quotation,
        or a number inside quotes, is not inches."""
        runs = self.runs
        if self.is_p(i - 1, "'") or self.is_p(i - 1, '"'):
            return None
        if j > i + 1:  # a decimal ("6.1\"", "2.5'"): one mark, the unit plural unless attributive
            value_words = self.parse_num(i).words()
            mark = "feet" if self.is_p(j, "'") and self.kind(j + 1) not in ("L", "D") else ""
            if not mark and (self.is_p(j, "''") or (self.is_p(j, '"') and self.quotes_before(j) % 2 == 0)):
                mark = "inches"
            if not mark:
                return None
            nw = self.next_word(j + 1)
            if attributive and nw is not None and nw.islower():
                mark = "foot" if mark == "feet" else "inch"
            return f"{value_words} {mark}", j + 1
        value = int(runs[i].text)

        def inch_mark(k: int) -> bool:
            return self.is_p(k, "''") or (self.is_p(k, '"') and self.quotes_before(k) % 2 == 0)

        if self.is_p(j, "'"):
            after = j + 1
            if self.kind(after) == "L":
                return None
            k = after + 1 if self.is_space(after) else after
            inches = runs[k].text if self.kind(k) == "D" and len(runs[k].text) <= 2 else ""
            if inches and int(inches) < 12 and (k == after or inch_mark(k + 1)):
                end = k + 2 if inch_mark(k + 1) else k + 1
                feet = "foot" if value == 1 else "feet"
                return f"{cardinal(value)} {feet} {cardinal(int(inches))} {_inches(int(inches))}", end
            nw = self.next_word(after)
            singular = value == 1 or (attributive and nw is not None and nw.islower())
            return f"{cardinal(value)} {'foot' if singular else 'feet'}", after
        if inch_mark(j):
            nw = self.next_word(j + 1)
            singular = value == 1 or (attributive and nw is not None and nw.islower())
            return f"{cardinal(value)} {'inch' if singular else 'inches'}", j + 1
        return None


def _inches(n: int) -> str:
    return "inch" if n == 1 else "inches"
