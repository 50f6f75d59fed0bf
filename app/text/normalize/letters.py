"""Letters and plain words: initialisms are spelled ("FBI" -> "F B I"), acronym words are read as words
("NASA" -> "nasa"), single capitals are letter names ("Plan B"), contractions and possessives stay one word
("don't", "FBI's").  Letters are emitted as capitals so the G2P reads letter names; everything else is
lowercase.  Unknown all-capital words are spelled when they have no vowel, when they are two letters long
and not a common word, or when a 3-4 letter word has an onset/coda consonant cluster that English does not
allow ("IBM"); otherwise they are read as words."""

from __future__ import annotations

from typing import Final

from app.text.normalize.core import Scanner, load_data

_DATA: Final = load_data("letters")

_INITIALISMS: Final[frozenset[str]] = frozenset(_DATA["initialisms"])
_ACRONYM_WORDS: Final[frozenset[str]] = frozenset(_DATA["acronym_words"])
_CAPS_SPECIAL: Final[dict[str, str]] = _DATA["special"]
_COMMON_TWO_LETTER: Final[frozenset[str]] = frozenset(_DATA["common_two_letter"])
# Consonant clusters English allows at the start / end of a syllable.
_ONSETS: Final[frozenset[str]] = frozenset(_DATA["onsets"])
_CODAS: Final[frozenset[str]] = frozenset(_DATA["codas"])
# Pronouns and wh-words: in capitals right after a (not all-capital) determiner they cannot be the pronoun, so
# they name something and are spelled ("the WHO", "the IT team", "our US office").
_PRONOUNS: Final[frozenset[str]] = frozenset(_DATA["pronouns"])
DETERMINERS: Final[frozenset[str]] = frozenset(_DATA["determiners"])
# Lower-case words without a vowel that are words ("hmm", "nth", units); other such words are spelled ("npm").
_VOWELLESS_WORDS: Final[frozenset[str]] = frozenset(_DATA["vowelless_words"])
# Initialisms spelled in lower case when they open a code span ("`aws s3 ls`").
_CODE_SPAN_INITIALISMS: Final[frozenset[str]] = frozenset(_DATA["code_span_initialisms"])


def is_initialism(word: str) -> bool:
    """A known initialism, spelled in any case ("IRS", "irs" in "irs.gov")."""
    return word in _INITIALISMS


def _spell_caps(word: str, force: bool = False) -> str:
    """Letters ("F B I") for an all-caps initialism, or "" when the word should be read as a word."""
    if word in _ACRONYM_WORDS:
        return ""
    letters = " ".join(word)
    if force or word in _INITIALISMS:
        return letters
    if len(word) == 2:
        return "" if word in _COMMON_TWO_LETTER else letters
    low = word.lower()
    if not any(c in "aeiou" or (c == "y" and k > 0) for k, c in enumerate(low)):
        return letters
    if len(word) >= 5:
        return ""
    return "" if _pronounceable(low) else letters


def lower_initialism(word: str, opens_code: bool) -> bool:
    """A lower-case word that is spelled: three to six letters, no vowel letter and not a word ("npm", "ssh",
    "gcc"), or a known
    initialism opening a code span ("`aws ...`")."""
    if len(word) < 2 or not word.islower():
        return False
    if opens_code and word.upper() in _CODE_SPAN_INITIALISMS:
        return True
    # two-letter ones stay words: shell commands read as written ("ls", "rm"), units, "hm"
    return 3 <= len(word) <= 6 and not any(c in "aeiouy" for c in word) and word not in _VOWELLESS_WORDS


def _pronounceable(word: str) -> bool:
    """Crude English phonotactics: the leading and trailing consonant clusters must be legal."""
    a = 0
    while a < len(word) and word[a] not in "aeiou" and not (word[a] == "y" and a > 0):
        a += 1
    if a == len(word):
        return False
    b = len(word)
    while b > a and word[b - 1] not in "aeiouy":
        b -= 1
    onset, coda = word[:a], word[b:]
    return (not onset or onset in _ONSETS) and (not coda or coda in _CODAS)


class LetterRules(Scanner):
    def caps_after_determiner(self, i: int, base: str) -> bool:
        """A capitalized pronoun or wh-word at run i follows a determiner, so it is a name ("the WHO")."""
        if base not in _PRONOUNS:
            return False
        prev = self.prev_text(i)
        return prev is not None and not prev.isupper() and prev.lower() in DETERMINERS

    def plain_word(self, i: int) -> int:
        runs = self.runs
        parts = [runs[i].text]
        k = i + 1
        while self.is_p(k, "'") and self.kind(k + 1) == "L":  # don't, O'Brien, FBI's
            parts.append(runs[k + 1].text)
            k += 2
        base = parts[0]
        tail = "'" + "'".join(parts[1:]) if len(parts) > 1 else ""
        amp = self.is_p(i - 1, "&") or self.is_p(i + 1, "&")
        spoken: str
        if base in _CAPS_SPECIAL:
            spoken = _CAPS_SPECIAL[base] + tail.lower()
        elif len(base) >= 2 and base.isupper():
            letters = _spell_caps(base, amp or self.caps_after_determiner(i, base))
            spoken = letters + tail.lower() if letters else (base + tail).lower()
        elif len(base) >= 3 and base[-1] == "s" and base[:-1].isupper() and not tail:
            letters = _spell_caps(base[:-1], amp)  # CEOs, URLs -> C E O's, U R L's
            spoken = letters + "'s" if letters else base.lower()
        elif base.islower() and len(base) >= 2 and lower_initialism(base, self.is_p(i - 1, "`")):
            spoken = " ".join(base.upper()) + tail.lower()  # npm, ssh, `aws s3 ls`
        elif (
            len(base) == 1
            and base.isupper()
            and not tail
            and (
                amp
                or base not in ("A", "I")
                or (self.is_space(i - 1) and self.single_capital(i - 2))
                or (self.is_space(i + 1) and self.single_capital(i + 2))
                or (self.is_p(i + 1, "-") and self.kind(i + 2) == "D")  # I-95
            )
        ):
            spoken = base  # a letter name: Plan B, vitamin C, "I B M" spelled out
        else:
            spoken = (base + tail).lower()
        self.word(spoken, runs[i].start, runs[k - 1].end)
        return k
