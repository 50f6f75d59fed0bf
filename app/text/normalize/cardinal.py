"""Cardinals and everything written as a number plus modifiers: thousands groups and decimals, ordinals
("22nd"), decades ("1990s"), ranges and scores ("10-20", "1990-1995"), dimensions ("1920x1080"), version
chains ("1.2.3"), emergency numbers said digit by digit ("911").  ``quantity`` is where a number meets the
word after it, so it hands over to money ("50¢"), time ("5pm"), measure ("5 kg", "3%") and date ("in 1998",
"15 March")."""

from __future__ import annotations

from typing import Final

from app.text.normalize.address import AddressRules
from app.text.normalize.core import SENTENCE_STARTERS
from app.text.normalize.date import counted_noun, month_number
from app.text.normalize.fraction import FractionRules
from app.text.normalize.identifier import IdentifierRules
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
_ARTICLES: Final = frozenset({"a", "an", "A", "An"})
# Before a number with a prime mark these make it a modifier ("the 13.3\" laptop": "inch").
_PRIME_DETERMINERS: Final = frozenset(
    {"a", "an", "the", "this", "that", "my", "our", "your", "its", "their", "his", "her"}
)
# Words before a decimal that make it a version ("version 1.10" -> "one point ten").
_VERSION_WORDS: Final = frozenset({"version", "ver", "release", "update", "firmware", "build", "patch", "v"})
_SCALE_WORDS: Final = frozenset({"thousand", "million", "billion", "trillion", "percent"})


class CardinalRules(FractionRules, TimeRules, MoneyRules, AddressRules, IdentifierRules):
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
        if plain and len(digits) >= 3 and self.identifier_context(i if prefix != "number" else i - 1):
            return self.identifier(i, s, prefix)  # code 739 204, order #58213, card ending in 4421
        if plain and not prefix and self.short_code_context(i):
            return self.identifier(i, s)  # Text HOME to 741741
        if not num.comma and kj == "P" and runs[j].text[0] in "'\"" and not prefix and short:
            primes = self.feet_inches(i, j, (self.prev_text(i) or "").lower() in _PRIME_DETERMINERS)
            if primes is not None:
                self.word(primes[0], s, runs[primes[1] - 1].end)
                return primes[1]
        if num.frac is not None and not prefix and self.version_context(i, j):
            self.word(f"{int_words(digits)} point {int_words(num.frac)}", s, runs[j - 1].end)  # Python 3.12
            return j
        if plain and not prefix and kj != "D" and self.house_context(i, j):
            return self.house(i, j)  # 1450 Oak Ave, Suite 200, Hwy 101
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
                if plain and not prefix:
                    e = self.day_month(i, j + 1)  # 9th August
                    if e is not None:
                        return e
                self.word(pre + ordinal(int_words(digits)), s, runs[j].end)
                return j + 1
            if t == "s" and plain:  # 1990s, 90s, 5s
                self.word(pre + plural(decade_words(digits)), s, runs[j].end)
                return j + 1
            if plain and self.kind(j + 1) == "D" and not prefix:
                e = self.code(i)  # 1Z999AA1
                if e is not None:
                    return e
        if plain and short and self.is_p(j, "'") and self.kind(j + 1) == "L" and runs[j + 1].text == "s":
            self.word(pre + plural(decade_words(digits)), s, runs[j + 1].end)
            return j + 2
        if plain and not prefix and len(digits) <= 2:
            e = self.day_month(i, j)  # 15 March, 14-16 March, 09-Aug-2021
            if e is not None:
                return e
        if num.frac is not None:
            rated = self.decimal_slash(pre + num.words(), j)  # 4.5/5
            if rated is not None:
                self.word(rated[0], s, runs[rated[1] - 1].end)
                return rated[1]
        is_one = digits == "1" and num.frac is None
        words: str | None = None
        k = j + 1 if self.is_space(j) else j
        dims = kj == "L" or (kj == "P" and runs[j].text == "\u00d7") or (k != j and self.kind(k) in ("L", "P"))
        if self.is_p(j, "-") and self.kind(j + 1) == "D":  # 10-20, 3-2, 1990-1995, 7-3=4
            num2 = self.parse_num(j + 1)
            w1, w2 = num.words(), num2.words()
            if plain and len(digits) == 4 and 1000 <= int(digits) <= 2099:
                w1 = year_words(int(digits))
                d2 = num2.digits
                if num2.frac is None and not num2.comma and len(d2) == 4 and 1000 <= int(d2) <= 2099:
                    w2 = year_words(int(d2))
            words = f"{w1} {'minus' if self.equation_follows(num2.end) else 'to'} {w2}"
            is_one = False
            j = num2.end
        elif dims and (m := self.times_sign(j)) is not None and self.kind(m) == "D":
            # 1920x1080, 2 x 4, 10 × 12 ft: a size ("by"); "x" in an equation (3 x 4 = 12) and "×" without a unit
            # after it (5 × 4) are products ("times")
            cross = runs[m - 2 if self.is_space(m - 1) else m - 1].text == "\u00d7"
            parts = [num.words()]
            while m is not None and self.kind(m) == "D" and len(parts) < 4:
                num2 = self.parse_num(m)
                parts.append(num2.words())
                j = num2.end
                m = self.times_sign(j)
            product = self.equation_follows(j) or (cross and self.unit_suffix(j, False) is None)
            words = (" times " if product else " by ").join(parts)
            is_one = False
        else:
            if self.kind(k) == "P" and runs[k].text in POSTFIX_CURRENCIES:  # 50¢, 20 €
                self.word(pre + postfix_money_words(num, runs[k].text), s, runs[k].end)
                return k + 1
            if plain and len(digits) <= 2 and 1 <= int(digits) <= 12:
                ampm = self.ampm(j)
                if ampm is not None:
                    spoken, after, final_dot = ampm
                    return self.emit_with_dot(pre + f"{cardinal(int(digits))} {spoken}", s, after, final_dot)
        suffix = self.unit_suffix(j, is_one, self.prev_text(i) in _ARTICLES)
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

    def times_sign(self, j: int) -> int | None:
        """The run after an "x" / "×" between two numbers at run j (spaces allowed around it), else None."""
        runs = self.runs
        k = j + 1 if self.is_space(j) else j
        r = runs[k] if k < self.n else None
        if r is None or not ((r.kind == "L" and r.text in ("x", "X")) or (r.kind == "P" and r.text == "\u00d7")):
            return None
        if (k == j) != (not self.is_space(k + 1)):  # "2 x4" is not a size
            return None
        return k + 2 if self.is_space(k + 1) else k + 1

    def version_context(self, i: int, j: int) -> bool:
        """The decimal at runs i..j-1 is a version: after "version" / "v" or a product name ("Python 3.12",
        "iOS 17.4"), and with nothing after it that makes it a quantity."""
        runs = self.runs
        if self.kind(i - 1) == "L":
            return runs[i - 1].text == "v"  # v2.0
        k = self.prev_word(i)
        if k is None or runs[k].kind != "L":
            return False
        prev = runs[k].text
        if prev.lower() not in _VERSION_WORDS and (
            prev.islower() or month_number(prev) is not None or prev in SENTENCE_STARTERS
        ):
            return False
        if self.is_p(j, "/") or self.unit_suffix(j, False) is not None:
            return False
        nxt = self.next_word(j)
        if nxt is None or nxt.lower() in _SCALE_WORDS:
            return nxt is None
        # after "version" itself a verb may follow ("Version 2.10 adds ..."); after a product name a plural
        # noun makes it a quantity ("Python 3.12" but "about 2.5 users")
        return prev.lower() in _VERSION_WORDS or not counted_noun(nxt)

    def version_prefix(self, i: int) -> int | None:
        """v2.0.1 -> version two point zero point one (a lowercase "v" glued to the number)."""
        runs = self.runs
        if runs[i].text != "v" or self.kind(i + 1) != "D":
            return None
        self.word("version", runs[i].start, runs[i].end)
        return i + 1

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
