"""Abbreviations: titles ("Dr.", "Mrs."), cased ones ("Jr.", "Inc.", "Sun.") and any-case ones ("etc.",
"vs"), dotted ones ("e.g.", "U.S.", "Ph.D."), "No. 5", middle initials, "St."/"Dr." as street or saint /
drive or doctor.  An abbreviation that can end a sentence also emits "." when its period is the full stop."""

from __future__ import annotations

import re
from typing import Final

from app.text.normalize.address import DIRECTIONS
from app.text.normalize.core import SENTENCE_STARTERS, Scanner, load_data

_DATA: Final = load_data("abbreviation")
_PART_RE: Final = re.compile(r"[A-Za-z]+|[^A-Za-z]")

# Titles precede a name, so their period never ends a sentence.
TITLE_ABBR: Final[dict[str, str]] = _DATA["titles"]
# Capitalized abbreviations, matched case-sensitively ("Sun." is Sunday, "sun." is the sun).
ABBR_CASED: Final[dict[str, str]] = _DATA["cased"]
ABBR_ANYCASE: Final[dict[str, str]] = _DATA["any_case"]
# Abbreviations also expanded without a period.
_NO_DOT_OK: Final[frozenset[str]] = frozenset(_DATA["no_dot_ok"])
# Abbreviations that often end a sentence; their period then doubles as the full stop.
FINAL_OK: Final[frozenset[str]] = frozenset(_DATA["final_ok"])
_DOTTED_SPECIAL: Final[dict[str, str]] = _DATA["dotted"]
# Business and chat shorthand read as what it stands for ("YoY", "EOD", "w/o", "TL;DR"), case-sensitive.
_SHORTHAND: Final[dict[str, str]] = _DATA["shorthand"]
_SYMBOL_SHORTHAND: Final[dict[tuple[str, ...], str]] = {
    tuple(m.group() for m in _PART_RE.finditer(key)): spoken for key, spoken in _DATA["symbol_shorthand"].items()
}
# Key names after which "+" joins a key combination silently ("Ctrl+C").
KEY_MODIFIERS: Final[frozenset[str]] = frozenset(_DATA["key_modifiers"])
_DOTTED_NOT_FINAL: Final[frozenset[str]] = frozenset(_DATA["dotted_not_final"])
# Cased abbreviations that are also words: after an article they are the word ("the Sun.", "a Fig."), and
# their period is a full stop.
ARTICLES: Final = frozenset({"a", "an", "the"})
_WORD_LIKE: Final[frozenset[str]] = frozenset(_DATA["word_like"])


class AbbreviationRules(Scanner):
    def shorthand(self, i: int) -> int | None:
        """YoY -> year over year, w/o -> without, TL;DR -> T L D R (whole runs only: "w/" not in "w/x")."""
        runs = self.runs
        t = runs[i].text
        for size in (3, 2):
            if self.kind(i + size) in ("L", "D") or i + size > self.n:
                continue
            key = tuple(r.text for r in runs[i : i + size])
            spoken = _SYMBOL_SHORTHAND.get(key)
            if spoken is not None and runs[i + size - 1].kind in ("L", "P"):
                self.word(spoken, runs[i].start, runs[i + size - 1].end)
                return i + size
        spoken = _SHORTHAND.get(t)
        if spoken is None or self.kind(i + 1) == "D" or (self.is_p(i + 1, "'") and self.kind(i + 2) == "L"):
            return None
        self.word(spoken, runs[i].start, runs[i].end)
        return i + 1

    def dotted(self, i: int) -> int | None:
        """U.S., U.S.A., e.g., i.e., a.m., Ph.D."""
        runs = self.runs
        parts: list[str] = []
        k = i
        while len(parts) < 6 and self.kind(k) == "L" and len(runs[k].text) <= 2 and self.is_p(k + 1, "."):
            parts.append(runs[k].text)
            k += 2
        if not parts:
            return None
        dot: int | None = k - 1
        if self.kind(k) == "L" and len(runs[k].text) == 1 and not self.is_p(k + 1, "'") and self.kind(k + 1) != "D":
            parts.append(runs[k].text)  # "U.S" / "e.g" without the final period
            dot = None
            k += 1
        if len(parts) < 2:
            return None
        key = ".".join(p.lower() for p in parts) + "."
        spoken = _DOTTED_SPECIAL.get(key)
        if spoken is None:
            if any(len(p) != 1 for p in parts):
                return None
            spoken = " ".join(p.upper() for p in parts)
        if dot is None:
            self.word(spoken, runs[i].start, runs[k - 1].end)
            return k
        can_end = key not in _DOTTED_NOT_FINAL
        if can_end and self.period_ends_sentence(dot):
            self.word(spoken, runs[i].start, runs[dot].start)
            self.punct(".", runs[dot].start, runs[dot].end)
        else:
            self.word(spoken, runs[i].start, runs[dot].end)
        return dot + 1

    def abbreviation(self, i: int) -> int | None:
        runs = self.runs
        t = runs[i].text
        has_dot = self.is_p(i + 1, ".")
        dot = i + 1 if has_dot else None
        after = i + 2 if has_dot else i + 1
        if t in ("No", "no", "NO") and has_dot:  # "No. 5" -> number five
            if self.kind(i + 2) == "D" or (self.is_space(i + 2) and self.kind(i + 3) == "D"):
                self.word("number", runs[i].start, runs[i + 1].end)
                return i + 2
            return None
        following = self.next_word(after)
        next_cap = following is not None and following[0].isupper()
        if t in ("St", "Dr"):
            pk = self.prev_word(i)
            after_name = pk is not None and (
                runs[pk].kind == "D" or (runs[pk].text[0].isupper() and not self.sentence_initial(pk))
            )
            if t == "St":
                street = after_name or not next_cap or following in SENTENCE_STARTERS or following in DIRECTIONS
                spoken = "street" if street else "saint"
            elif after_name and (not next_cap or following in SENTENCE_STARTERS):
                spoken = "drive"
            elif has_dot or next_cap:
                spoken = "doctor"
            else:
                return None
            return self.emit_abbrev(spoken, i, dot, spoken in ("street", "drive"))
        if has_dot and len(t) == 1 and t.isupper() and t != "I":  # a middle initial: John F. Kennedy
            return self.emit_abbrev(t, i, dot, True)
        title = TITLE_ABBR.get(t)
        if title is not None and (has_dot or next_cap or t in _NO_DOT_OK):
            return self.emit_abbrev(title, i, dot, False)
        if t in _WORD_LIKE and (prev := self.prev_text(i)) is not None and prev.lower() in ARTICLES:
            return None
        key = t
        spoken_abbr = ABBR_CASED.get(t)
        if spoken_abbr is None:
            key = t.lower()
            spoken_abbr = ABBR_ANYCASE.get(key)
        if spoken_abbr is not None and (has_dot or key in _NO_DOT_OK):
            return self.emit_abbrev(spoken_abbr, i, dot, key in FINAL_OK, aggressive=key == "etc")
        return None
