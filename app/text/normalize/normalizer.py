"""The normalizer: every class's rules in one scanner, and the order in which the classes get a letter or
digit run (symbol runs are dispatched by ``SymbolRules.symbol``).  The order is documented in the package
docstring (``app.text.normalize``)."""

from __future__ import annotations

from app.text.normalize.abbreviation import AbbreviationRules
from app.text.normalize.cardinal import PLAIN_FOLLOWERS, SPELLED_NUMBERS
from app.text.normalize.electronic import ElectronicRules
from app.text.normalize.fraction import FractionRules
from app.text.normalize.letters import LetterRules
from app.text.normalize.numbers import int_words
from app.text.normalize.roman import RomanRules
from app.text.normalize.symbol import SymbolRules


class Normalizer(SymbolRules, FractionRules, ElectronicRules, AbbreviationRules, RomanRules, LetterRules):
    def digits(self, i: int) -> int:
        runs = self.runs
        r = runs[i]
        nxt = runs[i + 1] if i + 1 < self.n else None
        if (
            len(r.text) < 4
            and (nxt is None or (nxt.kind == "P" and nxt.text[0] in PLAIN_FOLLOWERS and nxt.text[0] not in "'\""))
            and not (nxt is not None and nxt.text == "," and self.kind(i + 2) == "D" and len(runs[i + 2].text) == 3)
            and r.text not in SPELLED_NUMBERS
            and not self.at_runs
            and (len(r.text) < 3 or not (self.identifier_context(i) or self.house_context(i, i + 1)))
        ):
            # Fast path for a short number followed by plain punctuation (and hostile "1,1,1,...").
            self.word(int_words(r.text), r.start, r.end)
            return i + 1
        if self.at_runs:
            j = self.email(i)
            if j is not None:
                return j
        if nxt is not None:
            if nxt.kind == "P":
                c = nxt.text
                j = None
                if c in ("-", "."):
                    j = self.phone(i)
                if j is None and c in ("-", "."):
                    j = self.year_first_date(i) or self.numeric_date(i)
                if j is None and c == "/":
                    j = self.slash(i)
                elif j is None and c == ":":
                    j = self.clock(i)
                elif j is None and c == ".":
                    j = self.ip_address(i) or self.dot_time(i) or self.version_chain(i)
                if j is not None:
                    return j
            elif nxt.kind == "S":
                lead = runs[i].text
                # "555 123 4567", and national numbers with a trunk zero ("0161 496 0000")
                j = self.phone(i) if len(nxt.text) == 1 and (len(lead) == 3 or lead[0] == "0") else None
                if j is None:
                    j = self.mixed_fraction(i)
                if j is not None:
                    return j
        return self.quantity(i)

    def letters(self, i: int) -> int:
        runs = self.runs
        nt = runs[i + 1].text if self.kind(i + 1) == "P" else ""
        if self.at_runs:
            j = self.email(i)
            if j is not None:
                return j
        if nt in (":", "."):
            j = self.url(i)
            if j is not None:
                return j
        if nt == ".":
            j = self.dotted(i)
            if j is not None:
                return j
        j = self.shorthand(i)
        if j is None and runs[i].text[0].isupper():
            j = self.state(i) or self.direction(i) or self.street_type(i) or self.weekday(i)
        if j is None:
            j = self.abbreviation(i)
        if j is None:
            j = self.month(i)
        if j is None:
            j = self.roman(i)
        if j is None and nt == "." and self.kind(i + 2) == "L" and runs[i + 2].text[0].islower():
            j = self.dotted_words(i)
        if j is None and self.kind(i + 1) == "D":
            j = self.version_prefix(i) or self.code(i)
        if j is not None:
            return j
        return self.plain_word(i)
