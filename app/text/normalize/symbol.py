"""Symbols and punctuation: marks kept as pauses (a run keeps its strongest mark), ellipses, dashes and
brackets as "," pauses, a hyphen as "minus" / "to" / silent, "+", "#", "~", "<", ">", "°", "&", "@", "=",
"%", "×", "÷", "±".  A symbol that starts a number hands over to the class that reads it: "$5" money,
"+1 555 ..." telephone, "#1" / "+5" / "-5" cardinal, "'90s" date."""

from __future__ import annotations

from typing import Final

from app.text.normalize.cardinal import CardinalRules
from app.text.normalize.core import PUNCT_RANK, load_data
from app.text.normalize.measure import DEGREE_SCALES
from app.text.normalize.money import CURRENCIES
from app.text.normalize.numbers import spell_digits
from app.text.normalize.telephone import TelephoneRules

_DATA: Final = load_data("symbol")

_SYMBOL_WORDS: Final[dict[str, str]] = _DATA["words"]


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
            self.word("per", r.start, r.end)  # $5/month
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
        spoken = _SYMBOL_WORDS.get(c)
        if spoken is not None and len(text) <= 2:
            self.word(spoken, r.start, r.end)
        return i + 1

    def hyphen(self, i: int) -> int:
        runs = self.runs
        r = runs[i]
        if len(r.text) > 1:  # "--" is a dash
            self.punct(",", r.start, r.end)
            return i + 1
        pk = self.kind(i - 1)
        nk = self.kind(i + 1)
        after_gap = i == 0 or pk == "S" or (pk == "P" and runs[i - 1].text[0] in "([{/=<>\"'~:,;")
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
