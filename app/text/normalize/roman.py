"""Roman numerals, only where English uses them as numbers: after a regnal name ("Henry VIII" -> "henry the
eighth"), after a numbering noun ("World War II", "Chapter IV", "Super Bowl LVIII") or, for multi-letter
numerals up to 100, after another capitalized word ("Rocky II").  A lone "I" is a numeral after a capitalized
numbering noun or a regnal name ("World War I", "Elizabeth I"), or after another capitalized word when what
follows cannot follow the pronoun: the end, a pause, "in", "and", "the", ... ("Artemis I in 2022")."""

from __future__ import annotations

from typing import Final

from app.text.normalize.core import SENTENCE_STARTERS, Scanner, load_data
from app.text.normalize.numbers import cardinal, ordinal

_DATA: Final = load_data("roman")

_ROMAN_DIGITS: Final[dict[str, int]] = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_TABLE: Final[tuple[tuple[int, str], ...]] = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _to_roman(n: int) -> str:
    out = []
    for value, symbol in _ROMAN_TABLE:
        count, n = divmod(n, value)
        out.append(symbol * count)
    return "".join(out)


# Canonical numerals only, so "IIII", "DIM" or "CIVIL" are not numbers.
_ROMAN_NUMERALS: Final[dict[str, int]] = {_to_roman(n): n for n in range(1, 4000)}
_REGNAL_NAMES: Final[frozenset[str]] = frozenset(_DATA["regnal_names"])
_ROMAN_NOUNS: Final[frozenset[str]] = frozenset(_DATA["numbering_nouns"])
# Words that cannot follow the pronoun "I": after a name, "I" before one of them (or before a pause or the end)
# is a numeral ("Artemis I in 2022", "Apollo I and II").
_NOT_AFTER_PRONOUN: Final[frozenset[str]] = frozenset(_DATA["not_after_pronoun_i"])
# Time words after which the pronoun "I" often comes ("On Monday I, too, ...").
_TIME_WORDS: Final[frozenset[str]] = frozenset(_DATA["time_words"])
# Multi-letter words that parse as numerals but are usually something else after a capitalized word.
_ROMAN_EXCLUDE: Final[frozenset[str]] = frozenset(_DATA["not_numerals"])


class RomanRules(Scanner):
    def roman(self, i: int) -> int | None:
        """Henry VIII -> henry the eighth; World War II -> world war two; "I", "MIX", "CIVIL" untouched."""
        runs = self.runs
        t = runs[i].text
        if t[0] not in _ROMAN_DIGITS:
            return None
        pk = self.prev_word(i)
        if pk is None or runs[pk].kind != "L":
            return None
        value = _ROMAN_NUMERALS.get(t)
        if value is None:
            return None
        prev = runs[pk].text
        capitalized = prev[0].isupper()
        if prev in _REGNAL_NAMES:
            return self.emit_roman(f"the {ordinal(cardinal(value))}", i)
        noun = prev.lower() in _ROMAN_NOUNS
        if t == "I":
            ok = (noun and capitalized) or (prev not in _TIME_WORDS and self.named(pk) and self.not_pronoun_after(i))
        elif len(t) == 1:
            ok = noun and t in ("V", "X")
        else:
            ok = noun or (self.named(pk) and value <= 100 and t not in _ROMAN_EXCLUDE)
        if not ok:
            return None
        return self.emit_roman(cardinal(value), i)

    def named(self, pk: int) -> bool:
        """Run pk is a capitalized word that names something (not a sentence starter opening the sentence)."""
        prev = self.runs[pk].text
        return (
            prev[0].isupper() and prev[1:].islower() and not (prev in SENTENCE_STARTERS and self.sentence_initial(pk))
        )

    def not_pronoun_after(self, i: int) -> bool:
        """What follows the "I" at run i cannot follow the pronoun: the end, a pause, or a word such as "in"."""
        nxt = i + 1
        if nxt >= self.n:
            return True
        r = self.runs[nxt]
        if r.kind == "P":
            return r.text[0] in ".,;:!?)"
        following = self.next_word(nxt)
        return following is not None and following.lower() in _NOT_AFTER_PRONOUN

    def emit_roman(self, spoken: str, i: int) -> int:
        runs = self.runs
        if self.is_p(i + 1, "'") and self.kind(i + 2) == "L" and runs[i + 2].text == "s":  # Louis XIV's
            self.word(spoken + "'s", runs[i].start, runs[i + 2].end)
            return i + 3
        self.word(spoken, runs[i].start, runs[i].end)
        return i + 1
