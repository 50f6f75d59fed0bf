"""Postal addresses: house numbers read in pairs ("1450 Oak Ave" -> "fourteen fifty oak avenue"), as room, suite,
box and route numbers are ("Suite 1200", "Hwy 101" -> "one oh one"); street types ("Ct", "Pl", "Expy") after a
street name; compass directions ("N", "SE") next to a house number or street type; US state abbreviations after
"City," ("Austin, TX" -> "austin, texas") with their ZIP code read digit by digit; unit designators before a
number ("Apt 5C")."""

from __future__ import annotations

from typing import Final

from app.text.normalize.core import Scanner, load_data
from app.text.normalize.numbers import ORDINAL_SUFFIXES, house_number, spell_digits

_DATA: Final = load_data("address")

STREET_TYPES: Final[dict[str, str]] = _DATA["street_types"]
# Street-type abbreviations that are never ordinary words, expanded wherever they stand.
_ALWAYS_STREET: Final = frozenset({"Blvd", "Expy", "Fwy", "Pkwy", "Tpke"})
DIRECTIONS: Final[dict[str, str]] = _DATA["directions"]
# Words after which a number is read like a house number ("room 304", "Suite 1200", "Hwy 101").
_HOUSE_WORDS: Final[frozenset[str]] = frozenset(_DATA["house_number_words"])
STATES: Final[dict[str, str]] = _DATA["states"]
# State codes that are also words or names ("OK", "IN", "ME"): a state only with a ZIP or at a phrase end.
_WORD_LIKE_STATES: Final[frozenset[str]] = frozenset(_DATA["word_like_states"])
# Apt, Ste, Rm ... before a number.
_UNIT_DESIGNATORS: Final[dict[str, str]] = _DATA["unit_designators"]
# Street names said without a street type ("3425 Broadway").
_TYPELESS_STREETS: Final[frozenset[str]] = frozenset(_DATA["streets_without_type"])
# Lower-case words that may follow a street name ("3425 Broadway in Manhattan").
_STREET_FOLLOWERS: Final = frozenset({"in", "at", "near", "between", "off", "by"})


class AddressRules(Scanner):
    def street_name_at(self, k: int) -> bool:
        """Runs from k are a street name and a street type: "Maple St", "Lake Shore Expy", "34th St"."""
        runs = self.runs
        for words in range(4):
            r = runs[k] if k < self.n else None
            if r is None:
                return False
            if r.kind == "L" and words and r.text in STREET_TYPES:
                return True
            if r.kind == "L" and r.text[0].isupper():
                k += 1
            elif r.kind == "D" and self.kind(k + 1) == "L" and runs[k + 1].text.lower() in ORDINAL_SUFFIXES:
                k += 2
            else:
                return False
            if not self.is_space(k):
                return False
            k += 1
        return False

    def house_context(self, i: int, j: int) -> bool:
        """The number at runs i..j-1 is a house, room, suite or route number."""
        prev = self.prev_text(i)
        if prev is not None and prev.lower() in _HOUSE_WORDS:
            return True
        if not self.is_space(j):
            return False
        k = j + 1
        if self.kind(k) == "L" and self.runs[k].text in DIRECTIONS:
            k += 2 if self.is_p(k + 1, ".") else 1
            if not self.is_space(k):
                return False
            k += 1
        return self.street_name_at(k) or self.typeless_street_at(k) or self.address_line_at(k)

    def typeless_street_at(self, k: int) -> bool:
        """Run k is a street said without a type ("Broadway") and no lower-case word follows it ("5 Broadway
        shows" is a count)."""
        if self.kind(k) != "L" or self.runs[k].text not in _TYPELESS_STREETS:
            return False
        nxt = self.next_word(k + 1)
        return nxt is None or not nxt[0].islower() or nxt in _STREET_FOLLOWERS

    def address_line_at(self, k: int) -> bool:
        """Runs from k are the rest of a one-line address: capitalized street words, ", City", ", ST" (a state
        code): "3425 Lakeview, Springfield, IL"."""
        runs = self.runs
        for _ in range(2):  # the street, then the city
            words = 0
            while words < 3 and self.kind(k) == "L" and runs[k].text[0].isupper():
                words += 1
                k += 1
                if not self.is_space(k) or self.kind(k + 1) != "L":
                    break
                k += 1
            if not words or not (self.is_p(k, ",") and self.is_space(k + 1)):
                return False
            k += 2
        return self.kind(k) == "L" and runs[k].text in STATES

    def house(self, i: int, j: int) -> int:
        """The house number at runs i..j-1, with a letter glued to it ("12A" -> "twelve A")."""
        runs = self.runs
        words = house_number(runs[i].text)
        if self.kind(j) == "L" and len(runs[j].text) == 1 and runs[j].text.isupper() and self.kind(j + 1) != "D":
            words += f" {runs[j].text}"
            j += 1
        self.word(words, runs[i].start, runs[j - 1].end)
        return j

    def direction(self, i: int) -> int | None:
        """N, SE, ... after a house number ("221 N Maple St"), before a street name, or after a street type."""
        runs = self.runs
        t = runs[i].text
        spoken = DIRECTIONS.get(t)
        if spoken is None:
            return None
        pk = self.prev_word(i)
        after_type = pk is not None and runs[pk].text in STREET_TYPES and pk > 0 and not self.sentence_initial(pk)
        after_house = pk is not None and runs[pk].kind == "D"
        dot = i + 1 if self.is_p(i + 1, ".") else None
        nxt = (dot or i) + 1
        before_street = self.is_space(nxt) and self.street_name_at(nxt + 1)
        if not (after_type or before_street or (after_house and self.is_space(nxt) and self.kind(nxt + 1) != "")):
            return None
        if after_type and not before_street and dot is not None and self.period_ends_sentence(dot):
            self.word(spoken, runs[i].start, runs[i].end)
            self.punct(".", runs[dot].start, runs[dot].end)
            return dot + 1
        self.word(spoken, runs[i].start, runs[nxt - 1].end)
        return nxt

    def street_type(self, i: int) -> int | None:
        """Ct, Pl, Ter, Expy ... after a street name (a capitalized word or an ordinal, not sentence-initial)."""
        runs = self.runs
        t = runs[i].text
        numbered = self.is_space(i + 1) and (self.kind(i + 2) == "D" or self.is_p(i + 2, "#"))  # Hwy 101, Apt 4
        spoken = STREET_TYPES.get(t) or (_UNIT_DESIGNATORS.get(t) if numbered else None)
        if spoken is None or t == spoken.capitalize() or t in ("St", "Dr"):
            return None  # full words are read as words; "St." and "Dr." are the abbreviation class's
        if t not in _ALWAYS_STREET and not numbered:
            pk = self.prev_word(i)
            if pk is None:
                return None
            p = runs[pk]
            named = p.kind == "L" and p.text[0].isupper() and not self.sentence_initial(pk)
            ordinal = p.kind == "L" and p.text.lower() in ORDINAL_SUFFIXES and self.kind(pk - 1) == "D"
            if not (named or ordinal):
                return None
        dot = i + 1 if self.is_p(i + 1, ".") else None
        return self.emit_abbrev(spoken, i, dot, True)

    def state(self, i: int) -> int | None:
        """Austin, TX 78701 -> austin, texas seven eight seven zero one (the ZIP digit by digit)."""
        runs = self.runs
        spoken = STATES.get(runs[i].text)
        if spoken is None or not (self.is_space(i - 1) and self.is_p(i - 2, ",") and self.kind(i - 3) == "L"):
            return None
        city = runs[i - 3]
        if not city.text[0].isupper():
            return None
        k = i + 1
        has_zip = self.is_space(k) and self.kind(k + 1) == "D" and len(runs[k + 1].text) == 5
        if not has_zip:
            # without a ZIP: only after a city that does not start the sentence; a word-like code only at a
            # phrase end ("Bangor, ME.")
            if self.sentence_initial(i - 3) or self.kind(k) == "L":
                return None
            if runs[i].text in _WORD_LIKE_STATES and self.is_space(k) and self.kind(k + 1) != "":
                return None
            self.word(spoken, runs[i].start, runs[i].end)
            return k
        self.word(spoken, runs[i].start, runs[i].end)
        z = k + 1
        self.word(spell_digits(runs[z].text), runs[z].start, runs[z].end)
        end = z + 1
        if self.is_p(end, "-") and self.kind(end + 1) == "D" and len(runs[end + 1].text) == 4:  # ZIP+4
            self.punct(",", runs[end].start, runs[end].end)
            self.word(spell_digits(runs[end + 1].text), runs[end + 1].start, runs[end + 1].end)
            end += 2
        return end
