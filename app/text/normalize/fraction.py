"""Fractions and other slash pairs: "1/2", "3/4 cup", "1/2 kg" -> "one half of a kilogram", "1 1/2", "24/7";
"a/b" is a fraction when b is a usual denominator, otherwise a month/day date when valid ("9/11"), otherwise
"a over b".  Three-part slash dates go to ``DateRules.slash_date``."""

from __future__ import annotations

from typing import Final

from app.text.normalize.date import DateRules, date_words, month_day
from app.text.normalize.measure import MeasureRules
from app.text.normalize.numbers import cardinal, fraction_words, int_words

FRACTION_DENOMS: Final = frozenset({2, 3, 4, 5, 6, 8, 10, 12, 16, 32, 64, 100})


class FractionRules(MeasureRules, DateRules):
    def slash(self, i: int) -> int | None:
        """12/25/2020, 1/2, 3/4 cup, 9/11, 24/7."""
        runs = self.runs
        a_t = runs[i].text
        if self.kind(i + 2) != "D":
            return None
        b_t = runs[i + 2].text
        if len(a_t) > 4 or len(b_t) > 4:
            return None
        if self.is_p(i + 3, "/"):
            return self.slash_date(i)
        a, b = int(a_t), int(b_t)
        j = i + 3
        md = month_day(a, b) if len(a_t) <= 2 and len(b_t) <= 2 else None
        if (a, b) == (24, 7):
            words = "twenty four seven"
        elif b in FRACTION_DENOMS and a >= 1:
            words = fraction_words(a, b)
            suffix = self.unit_suffix(j, False)
            if suffix is not None:
                unit_words, j = suffix
                if a < b and (unit := self.singular_unit(j - 1)) is not None:
                    article = "an" if unit[0] in "aeiou" else "a"
                    words = f"{words} of {article} {unit}"
                else:
                    words = f"{words} {unit_words}"
        elif md is not None:
            words = date_words(*md)
        elif a == b:
            words = f"{cardinal(a)} {cardinal(b)}"
        else:
            words = f"{cardinal(a)} over {cardinal(b)}"
        self.word(words, runs[i].start, runs[j - 1].end)
        return j

    def mixed_fraction(self, i: int) -> int | None:
        """1 1/2 -> one and a half."""
        runs = self.runs
        if not (
            self.is_space(i + 1)
            and self.kind(i + 2) == "D"
            and self.is_p(i + 3, "/")
            and self.kind(i + 4) == "D"
            and not self.is_p(i + 5, "/")
        ):
            return None
        whole, a_t, b_t = runs[i].text, runs[i + 2].text, runs[i + 4].text
        if len(whole) > 6 or len(a_t) > 2 or len(b_t) > 3:
            return None
        a, b = int(a_t), int(b_t)
        if b not in FRACTION_DENOMS or not 1 <= a < b:
            return None
        words = f"{int_words(whole)} and {fraction_words(a, b, article=True)}"
        j = i + 5
        suffix = self.unit_suffix(j, False)
        if suffix is not None:
            words = f"{words} {suffix[0]}"
            j = suffix[1]
        self.word(words, runs[i].start, runs[j - 1].end)
        return j
