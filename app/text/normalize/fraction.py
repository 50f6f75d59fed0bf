"""Fractions and other slash pairs: "1/2", "3/4 cup", "1/2 kg" -> "one half of a kilogram", "1 1/2", "24/7";
"a/b" is a fraction when b is a usual denominator, otherwise a month/day date when valid ("9/11"), otherwise
"a over b".  Three-part slash dates go to ``DateRules.slash_date``."""

from __future__ import annotations

from typing import Final

from app.text.normalize.date import DateRules, date_words, month_day
from app.text.normalize.measure import MeasureRules
from app.text.normalize.numbers import ORDINAL_SUFFIXES, cardinal, fraction_words, int_words

FRACTION_DENOMS: Final = frozenset({2, 3, 4, 5, 6, 8, 10, 12, 16, 32, 64, 100})
# Scales a rating or score is given on: "8/10", "4.5/5", "92/100" -> "... out of ..." (unless "of" or a unit
# follows: "1/10 of a second"); a one-digit score over 100 stays a fraction ("7/100": "seven hundredths").
RATING_DENOMS: Final = frozenset({5, 10, 100})
# Scales that are no usual fraction's denominator: "18/20", "45/50" read "out of" when they are not a date.
SCORE_ONLY_DENOMS: Final = frozenset({20, 25, 30, 40, 50})
# Words after which any "a/b" with a <= b is a score: "scored 12/20" (not December 20th).
SCORE_WORDS: Final = frozenset({"scored", "score", "scores", "scoring", "got", "get", "gets", "rated", "rating"})
# Measures spelled out: a proper fraction before one that measures something reads "of a" ("3/4 cup of milk" ->
# "three quarters of a cup of milk"; "1/2 cup sugar" stays "one half cup sugar").
SPELLED_MEASURES: Final = frozenset({
    "cup", "teaspoon", "tablespoon", "ounce", "pound", "inch", "foot", "yard", "mile", "gallon", "quart", "pint",
    "liter", "litre", "meter", "metre", "kilometer", "kilogram", "gram", "acre", "hour", "minute", "second",
    "day", "week", "month", "year", "stick", "pinch", "slice", "clove", "can", "lemon", "lime", "onion",
})  # fmt: skip
_VOWEL_SOUNDS: Final = ("a", "e", "i", "o", "u", "hour")  # "an ounce", "an hour" (none of them a "you" sound)
_ORDINAL_PLURALS: Final = frozenset({"rds", "ths", "nds"})


def rating_words(score: str, scale: int) -> str:
    return f"{score} out of {cardinal(scale)}"


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
            return self.year_first_date(i) if len(a_t) == 4 else self.numeric_date(i)
        a, b = int(a_t), int(b_t)
        j = i + 3
        md = month_day(a, b, self.day_first) if len(a_t) <= 2 and len(b_t) <= 2 else None
        suffix_t = runs[j].text.lower() if self.kind(j) == "L" else ""
        if (a, b) == (24, 7):
            words = "twenty four seven"
        elif b and (suffix_t in ORDINAL_SUFFIXES or suffix_t in _ORDINAL_PLURALS):  # 1/8th, 2/3rds, 1/4th
            words = fraction_words(a, b, ordinal_den=True)
            j += 1
        elif self.equation_follows(j):  # 6/2=3
            words = f"{cardinal(a)} divided by {cardinal(b)}"
        elif (
            a <= b
            and not self.fraction_of(j)
            and (
                (b in RATING_DENOMS and (a >= 10 or b < 100))  # 8/10, 92/100
                or (b in SCORE_ONLY_DENOMS and md is None)  # 45/50
                or (self.prev_text(i) or "").lower() in SCORE_WORDS  # scored 12/20
            )
        ):
            words = rating_words(cardinal(a), b)
        elif b in FRACTION_DENOMS and a >= 1:
            words = fraction_words(a, b)
            measure = self.next_word(j)
            if a < b and measure is not None and measure.lower() in SPELLED_MEASURES and self.measure_of(j):
                words = f"{words} of {'an' if measure.lower().startswith(_VOWEL_SOUNDS) else 'a'}"
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

    def fraction_of(self, j: int) -> bool:
        """What follows a slash pair at run j makes it a fraction: "of", a unit ("1/10 of a second", "3/10 mi")."""
        return self.next_word(j) == "of" or self.unit_suffix(j, False) is not None

    def measure_of(self, j: int) -> bool:
        """The spelled measure after the space at run j is followed by "of" ("3/4 cup of milk")."""
        return self.kind(j + 1) == "L" and self.next_word(j + 2) == "of"

    def equation_follows(self, j: int) -> bool:
        """An "=" right after run j (or after one space): "7-3=4", "6/2 = 3"."""
        return self.is_p(j, "=") or (self.is_space(j) and self.is_p(j + 1, "="))

    def decimal_slash(self, num_words: str, j: int) -> tuple[str, int] | None:
        """A decimal before a slash: "4.5/5" -> "four point five out of five", "2.5/3" -> "... over three"."""
        if not (self.is_p(j, "/") and self.kind(j + 1) == "D" and len(self.runs[j + 1].text) <= 4):
            return None
        b = int(self.runs[j + 1].text)
        if b in RATING_DENOMS:
            return rating_words(num_words, b), j + 2
        return f"{num_words} over {cardinal(b)}", j + 2

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
        j = i + 5
        ordinal_den = self.kind(j) == "L" and (runs[j].text in ORDINAL_SUFFIXES or runs[j].text in _ORDINAL_PLURALS)
        j += ordinal_den  # "1 1/4th"
        words = f"{int_words(whole)} and {fraction_words(a, b, article=True, ordinal_den=ordinal_den)}"
        suffix = self.unit_suffix(j, False)
        if suffix is not None:
            words = f"{words} {suffix[0]}"
            j = suffix[1]
        self.word(words, runs[i].start, runs[j - 1].end)
        return j
