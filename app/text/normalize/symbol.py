"""Symbols and punctuation: marks kept as pauses (a run keeps its strongest mark), ellipses, dashes and
brackets as "," pauses, a hyphen as "minus" / "to" / silent, "+", "#", "~", "<", ">", "°", "&", "@", "=",
"%", "×", "÷", "±".  A symbol that starts a number hands over to the class that reads it: "$5" money,
"+1 555 ..." telephone, "#1" / "+5" / "-5" cardinal, "'90s" date."""

from __future__ import annotations

from typing import Final

from app.text.normalize.abbreviation import KEY_MODIFIERS
from app.text.normalize.cardinal import CardinalRules
from app.text.normalize.core import PUNCT_RANK, load_data
from app.text.normalize.fraction import RATING_DENOMS
from app.text.normalize.measure import DEGREE_SCALES, PER_UNITS
from app.text.normalize.money import CURRENCIES
from app.text.normalize.numbers import int_words, spell_digits
from app.text.normalize.telephone import TelephoneRules

_DATA: Final = load_data("symbol")

_SYMBOL_WORDS: Final[dict[str, str]] = _DATA["words"]
_POWERS: Final[dict[str, str]] = {"2": "squared", "3": "cubed"}
_UTC_NAMES: Final = frozenset({"UTC", "GMT"})
_OPERATORS: Final = frozenset({"+", "-", "*", "/", "=", "(", "\u00d7", "\u00f7"})


def _short_flag(word: str) -> bool:
    """Option letters after a single dash: one to three lowercase letters ("-v", "-la", "-xzf")."""
    return len(word) <= 3 and word.islower()


class SymbolRules(CardinalRules, TelephoneRules):
    def symbol(self, i: int) -> int:
        runs = self.runs
        r = runs[i]
        text = r.text
        c = text[0]
        single = len(text) == 1
        nk = self.kind(i + 1)
        if c in PUNCT_RANK:
            if c == "." and single and nk == "D" and self.kind(i - 1) not in ("L", "D"):
                self.word("point " + spell_digits(runs[i + 1].text), r.start, runs[i + 1].end)  # .5
                return i + 2
            if c == "." and not single:  # ellipsis: a comma-like pause before lowercase, else a stop
                nxt = self.next_word(i + 1)
                self.punct("," if nxt is not None and nxt[0].islower() else ".", r.start, r.end)
                return i + 1
            self.punct(c, r.start, r.end)
            return i + 1
        if c in CURRENCIES and single and nk == "D":
            return self.currency(i)
        if c == "-":
            return self.hyphen(i)
        if c == "\u2014":
            self.punct(",", r.start, r.end)
            return i + 1
        if c == "+" and single and self.kind(i - 1) == "L" and runs[i - 1].text in KEY_MODIFIERS:
            return i + 1  # Ctrl+C: the keys are pressed together
        if c == "+":
            j = self.phone(i) if single else None
            if j is not None:
                return j
            if single and nk == "D" and self.kind(i - 1) not in ("L", "D"):
                return self.quantity(i + 1, "plus", r.start)
            if len(text) <= 3:
                self.word(" ".join(["plus"] * len(text)), r.start, r.end)
            return i + 1
        if c == "(":
            j = self.phone(i) if single else None
            if j is not None:
                return j
            self.punct(",", r.start, r.end)
            return i + 1
        if c in ")[]{}":
            self.punct(",", r.start, r.end)
            return i + 1
        if c == "#" and single:
            if self.kind(i - 1) == "L" and len(runs[i - 1].text) == 1 and runs[i - 1].text in "ABCDEFG":
                self.word("sharp", r.start, r.end)  # C#, F#
                return i + 1
            if nk == "D":
                return self.quantity(i + 1, "number", r.start)
            if nk == "L":
                self.word("hashtag", r.start, r.end)
            return i + 1
        if c == "'" and single and nk == "D" and len(runs[i + 1].text) == 2 and self.kind(i - 1) not in ("L", "D"):
            return self.short_decade(i)
        if (
            c == "/"
            and single
            and nk == "L"
            and (self.kind(i - 1) == "D" or (self.kind(i - 1) == "L" and self.kind(i - 2) == "D"))
        ):
            per = PER_UNITS.get(runs[i + 1].text)
            if per is not None and self.kind(i + 2) not in ("L", "D"):  # $5/mo
                self.word(f"per {per}", r.start, runs[i + 1].end)
                return i + 2
            self.word("per", r.start, r.end)  # $5/month
            return i + 1
        if (
            c == ">"
            and single
            and self.is_space(i - 1)
            and self.is_space(i + 1)
            and self.kind(i + 2) == self.kind(i - 2) == "L"
        ):
            self.punct(",", r.start, r.end)  # Settings > Privacy: a menu path
            return i + 1
        if c in ("~", "<", ">") and single:
            k = i + 2 if self.is_space(i + 1) else i + 1
            if self.kind(k) == "D" or (self.is_p(k, "-") and self.kind(k + 1) == "D"):
                self.word({"~": "approximately", "<": "less than", ">": "greater than"}[c], r.start, r.end)
            return i + 1
        if c == "°":
            k = i + 2 if self.is_space(i + 1) else i + 1
            if self.kind(k) == "L" and runs[k].text in DEGREE_SCALES:
                self.word(f"degrees {DEGREE_SCALES[runs[k].text]}", r.start, runs[k].end)
                return k + 1
            self.word("degrees", r.start, r.end)
            return i + 1
        if c == "/" and single and self.is_space(i - 1) and self.is_space(i + 1):
            spoken = self.spaced_slash(i)  # 10 / 2 = 5, (6 + 4) / 2, 4 / 5 stars
            if spoken is not None:
                self.word(spoken, r.start, r.end)
                return i + 1
        if c == "*" and single and self.between_numbers(i):
            self.word("times", r.start, r.end)  # 3 * 4
            return i + 1
        if c == "^" and single and self.kind(i - 1) in ("L", "D") and nk == "D":
            power = runs[i + 1].text  # x^2, 10^6
            spoken_power = _POWERS.get(power) or f"to the power of {int_words(power)}"
            self.word(spoken_power, r.start, runs[i + 1].end)
            return i + 2
        spoken = _SYMBOL_WORDS.get(c)
        if spoken is not None and len(text) <= 2:
            self.word(spoken, r.start, r.end)
        return i + 1

    def spaced_slash(self, i: int) -> str | None:
        """A "/" with a space either side between two operands (a number or a bracket): "divided by"; a score
        ("4 / 5", "8 / 10") is "out of" unless an equation or another operator surrounds it."""
        runs = self.runs
        left, right = i - 2, i + 2
        if not (self.kind(left) == "D" or self.is_p(left, ")")):
            return None
        if not (self.kind(right) == "D" or self.is_p(right, "(")):
            return None
        if self.kind(left) == "D" and self.kind(right) == "D" and not self.is_p(left - 1, "."):
            a, b = int(runs[left].text[:6]), int(runs[right].text[:6])
            end = self.parse_num(right).end
            operator_before = self.is_space(left - 1) and self.kind(left - 2) == "P"
            operator_before = operator_before and runs[left - 2].text in _OPERATORS
            if b in RATING_DENOMS and a <= b and not self.equation_follows(end) and not operator_before:
                return "out of"
        return "divided by"

    def between_numbers(self, i: int) -> bool:
        """Run i stands between two numbers, spaces allowed ("3*4", "3 * 4")."""
        before = i - 2 if self.is_space(i - 1) else i - 1
        after = i + 2 if self.is_space(i + 1) else i + 1
        return self.kind(before) == "D" and self.kind(after) == "D"

    def hyphen(self, i: int) -> int:
        runs = self.runs
        r = runs[i]
        pk = self.kind(i - 1)
        nk = self.kind(i + 1)
        after_gap = i == 0 or pk == "S" or (pk == "P" and runs[i - 1].text[0] in "([{/=<>\"'~:,;`")
        if after_gap and len(r.text) <= 2 and nk == "L" and (len(r.text) == 2 or _short_flag(runs[i + 1].text)):
            self.word(" ".join(["dash"] * len(r.text)), r.start, r.end)  # --force, -la: command-line options
            return i + 1
        if len(r.text) > 1:  # "--" is a dash
            self.punct(",", r.start, r.end)
            return i + 1
        if pk == "L" and nk == "D" and runs[i - 1].text in _UTC_NAMES:
            return self.quantity(i + 1, "minus", r.start)  # UTC-5
        if after_gap and nk == "D":
            return self.quantity(i + 1, "minus", r.start)
        if after_gap and nk == "P" and runs[i + 1].text == "." and self.kind(i + 2) == "D":  # -.5
            self.word("minus point " + spell_digits(runs[i + 2].text), r.start, runs[i + 2].end)
            return i + 3
        if after_gap and nk == "P" and runs[i + 1].text in CURRENCIES and self.kind(i + 2) == "D":
            return self.currency(i + 1, "minus", r.start)
        after_time = (pk == "L" and runs[i - 1].text.lower() in ("am", "pm")) or (
            self.is_p(i - 1, ".") and self.kind(i - 2) == "L" and runs[i - 2].text in ("m", "M")
        )
        if (pk == "D" or after_time) and (
            nk == "D" or (nk == "P" and runs[i + 1].text in CURRENCIES and self.kind(i + 2) == "D")
        ):
            self.word("to", r.start, r.end)  # 9am-5pm, $5-$10
            return i + 1
        if pk == "S" and nk == "S":
            if self.kind(i - 2) == "D" and self.kind(i + 2) == "D":
                self.word("minus", r.start, r.end)
            else:
                self.punct(",", r.start, r.end)
        return i + 1  # "well-known": the hyphen just separates words
