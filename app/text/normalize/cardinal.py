"""Cardinals and everything written as a number plus modifiers: thousands groups and decimals, ordinals
("22nd"), decades ("1990s"), ranges and scores ("10-20", "1990-1995"), dimensions ("1920x1080"), version
chains ("1.2.3"), emergency numbers said digit by digit ("911").  ``quantity`` is where a number meets the
word after it, so it hands over to money ("50¢"), time ("5pm"), measure ("5 kg", "3%") and date ("in 1998",
"15 March")."""

from __future__ import annotations

from typing import Final

from app.text.normalize.date import MONTHS, DateRules
from app.text.normalize.measure import MeasureRules
from app.text.normalize.money import POSTFIX_CURRENCIES, MoneyRules, postfix_money_words
from app.text.normalize.numbers import (
    MAX_CARDINAL_DIGITS,
    ORDINAL_SUFFIXES,
    cardinal,
    decade_words,
    int_words,
    ordinal,
    plural,
    spell_digits,
    year_words,
)
from app.text.normalize.time import TimeRules

# Emergency and service numbers are said digit by digit.
SPELLED_NUMBERS: Final = frozenset({"911", "999", "112", "411", "311"})
# Symbols after a number that cannot be part of the number's reading.
PLAIN_FOLLOWERS: Final = frozenset(',;!?)]}"(*')


class CardinalRules(MeasureRules, TimeRules, MoneyRules, DateRules):
    def quantity(self, i: int, prefix: str = "", start: int | None = None) -> int:
        """A number with its suffixes: ordinal, plural, range, %, unit, degrees, am/pm, currency."""
        runs = self.runs
        num = self.parse_num(i)
        j = num.end
        digits = num.digits
        s = runs[i].start if start is None else start
        pre = f"{prefix} " if prefix else ""
        plain = num.frac is None and not num.comma
        short = len(digits) <= MAX_CARDINAL_DIGITS
        kj = self.kind(j)
        if digits in SPELLED_NUMBERS and plain and not prefix:
            self.word(spell_digits(digits), s, runs[j - 1].end)  # emergency numbers are said digit by digit
            return j
        if kj == "" or (kj == "P" and runs[j].text[0] in PLAIN_FOLLOWERS):
            # Fast path (most numbers, and hostile "1,1,1,..."): nothing after the number can modify it.
            if plain and not prefix and len(digits) == 4 and digits[0] != "0" and self.is_year(i, j):
                self.word(year_words(int(digits)), s, runs[j - 1].end)
            else:
                self.word(pre + num.words(), s, runs[j - 1].end)
            return j
        if kj == "L" and num.frac is None and short:
            t = runs[j].text
            if t.lower() in ORDINAL_SUFFIXES:  # 1st, 22nd, 103rd
                self.word(pre + ordinal(int_words(digits)), s, runs[j].end)
                return j + 1
            if t == "s" and plain:  # 1990s, 90s, 5s
                self.word(pre + plural(decade_words(digits)), s, runs[j].end)
                return j + 1
        if plain and short and self.is_p(j, "'") and self.kind(j + 1) == "L" and runs[j + 1].text == "s":
            self.word(pre + plural(decade_words(digits)), s, runs[j + 1].end)
            return j + 2
        if (
            plain
            and not prefix
            and len(digits) <= 2
            and 1 <= int(digits) <= 31
            and self.is_space(j)
            and self.kind(j + 1) == "L"
            and runs[j + 1].text in MONTHS
        ):
            # "15 March" -> "the fifteenth of march"
            self.word(f"the {ordinal(cardinal(int(digits)))} of", s, runs[i].end)
            return j
        is_one = digits == "1" and num.frac is None
        words: str | None = None
        if self.is_p(j, "-") and self.kind(j + 1) == "D":  # 10-20, 3-2, 1990-1995
            num2 = self.parse_num(j + 1)
            w1, w2 = num.words(), num2.words()
            if plain and len(digits) == 4 and 1000 <= int(digits) <= 2099:
                w1 = year_words(int(digits))
                d2 = num2.digits
                if num2.frac is None and not num2.comma and len(d2) == 4 and 1000 <= int(d2) <= 2099:
                    w2 = year_words(int(d2))
            words = f"{w1} to {w2}"
            is_one = False
            j = num2.end
        elif kj == "L" and runs[j].text in ("x", "X") and self.kind(j + 1) == "D" and num.frac is None:
            num2 = self.parse_num(j + 1)  # 1920x1080
            words = f"{num.words()} by {num2.words()}"
            is_one = False
            j = num2.end
        else:
            k = j + 1 if self.is_space(j) else j
            if self.kind(k) == "P" and runs[k].text in POSTFIX_CURRENCIES:  # 50¢, 20 €
                self.word(pre + postfix_money_words(num, runs[k].text), s, runs[k].end)
                return k + 1
            if plain and len(digits) <= 2 and 1 <= int(digits) <= 12:
                ampm = self.ampm(j)
                if ampm is not None:
                    spoken, after, final_dot = ampm
                    return self.emit_with_dot(pre + f"{cardinal(int(digits))} {spoken}", s, after, final_dot)
        suffix = self.unit_suffix(j, is_one)
        if suffix is not None:
            unit_words, j = suffix
            if words is None:
                words = num.words()
            words = f"{words} {unit_words}"
        elif words is None:
            if plain and not prefix and len(digits) == 4 and digits[0] != "0" and self.is_year(i, j):
                words = year_words(int(digits))
            else:
                words = num.words()
        self.word(pre + words, s, runs[j - 1].end)
        return j

    def version_chain(self, i: int) -> int | None:
        """1.2.3 -> one point two point three (one token per part, so spans stay fine-grained)."""
        runs = self.runs
        if not (self.kind(i + 2) == "D" and self.is_p(i + 3, ".") and self.kind(i + 4) == "D"):
            return None
        self.word(int_words(runs[i].text), runs[i].start, runs[i].end)
        k = i + 1
        while self.is_p(k, ".") and self.kind(k + 1) == "D":
            self.word("point " + int_words(runs[k + 1].text), runs[k].start, runs[k + 1].end)
            k += 2
        return k
