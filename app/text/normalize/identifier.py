"""Digit strings that identify rather than count, read digit by digit: numbers after an identifier word ("code
739 204", "order #58213", "card ending in 4421", "PIN is 0417", "flight UA 837"), IP addresses ("192.168.0.1"
-> "one nine two dot one six eight dot zero dot one") and letter-digit codes ("ab7731" -> "A B seven seven three
one", "1Z999AA1").  Phone numbers are the telephone class."""

from __future__ import annotations

from typing import Final

from app.text.normalize.core import Scanner, load_data
from app.text.normalize.numbers import ORDINAL_SUFFIXES, int_words, spell_digits

_DATA: Final = load_data("identifier")

_CONTEXT_WORDS: Final[frozenset[str]] = frozenset(_DATA["context_words"])
# Words and marks between an identifier word and its number ("code is", "order #", "number:").
_SKIP_WORDS: Final[frozenset[str]] = frozenset(_DATA["skip_words"])
# An SMS short code follows "to" after one of these ("Text HOME to 741741", "Reply STOP to 55512"), and is
# followed by the end, a pause or one of the followers (not a counted noun: "reply to 10000 customers").
_SHORT_CODE_VERBS: Final[frozenset[str]] = frozenset(_DATA["short_code_verbs"])
_SHORT_CODE_FOLLOWERS: Final[frozenset[str]] = frozenset(_DATA["short_code_followers"])
# Letters glued to digits that are not a code: ordinals, am/pm, "x" in dimensions, "s" plurals.
_NOT_CODE_LETTERS: Final = frozenset({"x", "X", "s", "am", "pm", "AM", "PM", *ORDINAL_SUFFIXES})


class IdentifierRules(Scanner):
    def identifier_context(self, i: int) -> bool:
        """An identifier word stands before the number at run i, across at most a few filler words."""
        runs = self.runs
        k = i - 1
        for _ in range(8):
            if k < 0:
                return False
            r = runs[k]
            if r.kind == "S":
                if "\n" in r.text:
                    return False
            elif r.kind == "P":
                if r.text not in _SKIP_WORDS:
                    return False
            elif r.kind == "L":
                low = r.text.lower()
                if low in _CONTEXT_WORDS:
                    return True
                # fillers, and an airline code between "flight" and its number ("flight UA 837")
                if low not in _SKIP_WORDS and not (len(r.text) == 2 and r.text.isupper()):
                    return False
            else:
                return False
            k -= 1
        return False

    def short_code_context(self, i: int) -> bool:
        """The digits at run i are an SMS short code: "to" before them, a texting verb earlier in the phrase
        ("Text HOME to 741741"); five or six digits, or four after an all-capital keyword ("Text STOP to 7726")."""
        runs = self.runs
        size = len(runs[i].text)
        if not 4 <= size <= 6 or self.prev_text(i) != "to":
            return False
        nxt = i + 1
        if self.kind(nxt) == "S":
            if self.next_word(nxt) not in _SHORT_CODE_FOLLOWERS:
                return False
        elif nxt < self.n and (runs[nxt].kind != "P" or runs[nxt].text[0] not in ".,;:!?)"):
            return False
        k = i - 4  # the run before "to"'s space
        for _ in range(12):
            if k < 0:
                return False
            r = runs[k]
            if r.kind == "L":
                if r.text.lower() in _SHORT_CODE_VERBS:
                    return size >= 5 or (k < i - 4 and runs[i - 4].kind == "L" and runs[i - 4].text.isupper())
            elif r.kind == "S":
                if "\n" in r.text:
                    return False
            elif r.kind == "D":
                pass  # a keyword may be a number ("Text 5 to 90999")
            elif r.kind != "P" or r.text[0] not in "'\"":
                return False
            k -= 1
        return False

    def identifier(self, i: int, start: int, prefix: str = "") -> int:
        """The digits at run i one by one, and further space-separated groups after a "," pause."""
        runs = self.runs
        pre = f"{prefix} " if prefix else ""
        self.word(pre + spell_digits(runs[i].text), start, runs[i].end)
        j = i + 1
        while (
            self.is_space(j)
            and len(runs[j].text) == 1
            and self.kind(j + 1) == "D"
            and 2 <= len(runs[j + 1].text) <= 6
            and self.kind(j + 2) not in ("L", "D")
        ):
            self.punct(",", runs[j].start, runs[j].end)
            self.word(spell_digits(runs[j + 1].text), runs[j + 1].start, runs[j + 1].end)
            j += 2
        return j

    def ip_address(self, i: int) -> int | None:
        """192.168.0.1 -> one nine two dot one six eight dot zero dot one."""
        runs = self.runs
        parts = []
        k = i
        while True:
            t = runs[k].text
            if len(t) > 3 or int(t) > 255:
                return None
            parts.append(spell_digits(t))
            if len(parts) == 4 or not (self.is_p(k + 1, ".") and self.kind(k + 2) == "D"):
                break
            k += 2
        if len(parts) != 4 or (self.is_p(k + 1, ".") and self.kind(k + 2) == "D"):
            return None
        self.word(" dot ".join(parts), runs[i].start, runs[k].end)
        return k + 1

    def code(self, i: int) -> int | None:
        """Letters and digits glued together ("ab7731", "A1B2C3", "1Z999AA1"): letters by name, digits one by
        one; a short code of letters then up to three digits keeps the number ("B22" -> "B twenty two")."""
        runs = self.runs
        parts: list[str] = []
        k = i
        while k < self.n and runs[k].kind in ("L", "D"):  # the whole token, once: linear however long
            r = runs[k]
            if r.kind == "L":
                if len(r.text) > 3 or (k > i and r.text in _NOT_CODE_LETTERS):
                    break
                parts.append(" ".join(r.text.upper()))
            else:
                parts.append(r.text)
            k += 1
        if len(parts) < 2 or (runs[k - 1].kind == "L" and len(parts) < 3):
            return None
        if runs[i].kind == "D" and len(parts) < 3:
            return None
        if self.kind(k) in ("L", "D") or (self.is_p(k, "'") and self.kind(k + 1) == "L"):
            return None
        if self.is_p(k, ".") and self.kind(k + 1) == "D":  # PM2.5: the decimal is a number
            return None
        spelled = len(parts) > 2 or len(runs[k - 1].text) >= 4
        words = [
            p if runs[i + n].kind == "L" else (spell_digits(p) if spelled else int_words(p))
            for n, p in enumerate(parts)
        ]
        self.word(" ".join(words), runs[i].start, runs[k - 1].end)
        return k
