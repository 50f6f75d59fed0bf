"""The scanner all semiotic classes work on: character cleaning with its offset map, runs, the ``Scanner``
(shared look-around helpers and the single left-to-right pass) and the output contract.

The class modules add their rules to ``Scanner`` as mixins; ``normalizer.Normalizer`` combines them and
supplies the three per-run-kind entry points (``letters``, ``digits``, ``symbol``) that ``Scanner.run``
calls.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Final, NamedTuple

from app.text.normalize.numbers import Num


@dataclass(frozen=True, slots=True)
class NormToken:
    """One spoken unit and the span of the original input it was read from."""

    text: str  # words of [A-Za-z'] separated by single spaces, or exactly one of ". , ? ! ; :"
    start: int  # offset of the first source character in the original input
    end: int  # exclusive end offset in the original input


class NormalizationError(ValueError):
    """Raised for input that cannot be made speakable (e.g. a non-str object)."""


def load_data(name: str) -> dict[str, Any]:
    """The tables of module ``name``: ``data/<name>.json``, shipped as package data."""
    text = files("app.text.normalize").joinpath("data", f"{name}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


_DATA: Final = load_data("core")

PUNCT_RANK: Final[dict[str, int]] = {",": 1, ":": 2, ";": 3, ".": 4, "!": 5, "?": 6}
# Capitalized words that usually start a sentence: after "U.S." or "Inc." they signal that the
# abbreviation's period was also a full stop.
SENTENCE_STARTERS: Final[frozenset[str]] = frozenset(_DATA["sentence_starters"])

# --------------------------------------------------------------------------------------------------
# Character cleaning
# --------------------------------------------------------------------------------------------------

# Kept as themselves (the run scanner treats them as symbols); everything else non-ASCII is mapped.
_KEEP_SYMBOLS: Final = frozenset("°£€¢¥₹—×÷±")
_CHAR_MAP: Final[dict[str, str]] = _DATA["char_map"]
# Categories that are invisible: removed without splitting the word around them ("hel\u200blo").
_INVISIBLE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me", "Mc", "Sk"})


def _build_ascii_table() -> tuple[str, ...]:
    table = []
    for code in range(128):
        ch = chr(code)
        if ch in "\t\v\f":
            table.append(" ")
        elif ch == "\n" or 32 <= code < 127:
            table.append(ch)
        else:  # \r and other control characters vanish; "\r\n" is one line break
            table.append("")
    return tuple(table)


_ASCII_TABLE: Final[tuple[str, ...]] = _build_ascii_table()
_ASCII_TRANSLATE: Final[dict[int, str | None]] = {
    code: (rep or None) for code, rep in enumerate(_ASCII_TABLE) if rep != chr(code)
}


def _map_char(ch: str) -> str:
    """Cleaned replacement for one non-ASCII character ("" = invisible, " " = separator)."""
    mapped = _CHAR_MAP.get(ch)
    if mapped is not None:
        return mapped
    if ch in _KEEP_SYMBOLS:
        return ch
    category = unicodedata.category(ch)
    if category[0] == "Z":
        return "\n" if category in ("Zl", "Zp") else " "
    if category in _INVISIBLE_CATEGORIES:
        return ""
    decomposed = unicodedata.normalize("NFKD", ch)
    if "\u2044" in decomposed:  # vulgar fractions: "1½" must become "1 1/2", not "11/2"
        decomposed = " " + decomposed.replace("\u2044", "/") + " "
    kept = "".join([c for c in decomposed if " " <= c <= "~" or c in _KEEP_SYMBOLS])
    return kept or " "  # emoji, CJK, Cyrillic, ...: dropped, but still separate the words around them


def clean(text: str) -> tuple[str, list[int] | None]:
    """Cleaned text plus, per cleaned character, its offset in ``text`` (None means identity)."""
    if text.isascii():
        cleaned = text.translate(_ASCII_TRANSLATE)
        if len(cleaned) == len(text):
            return cleaned, None
    chars: list[str] = []
    index: list[int] = []
    memo: dict[str, str] = {}  # per call, so there is no shared mutable state
    for pos, ch in enumerate(text):
        if ch < "\x80":
            rep = _ASCII_TABLE[ord(ch)]
        else:
            cached = memo.get(ch)
            if cached is None:
                cached = memo[ch] = _map_char(ch)
            rep = cached
        if len(rep) == 1:
            chars.append(rep)
            index.append(pos)
        elif rep:
            chars.extend(rep)
            index.extend([pos] * len(rep))
    return "".join(chars), index


# --------------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------------


class Run(NamedTuple):
    kind: str  # "L" letters, "D" digits, "S" whitespace, "P" one symbol, possibly repeated ("...")
    text: str
    start: int  # offsets in the original text
    end: int


# One single-class quantifier per alternative: linear, no catastrophic backtracking.  The last
# alternative is one symbol repeated ("...", "!!!"); its backreference cannot backtrack either.
_RUN_RE: Final = re.compile(r"(?P<L>[A-Za-z]+)|(?P<D>[0-9]+)|(?P<S>\s+)|(?P<P>(?P<c>.)(?P=c)*)", re.DOTALL)


def scan(cleaned: str, index: list[int] | None, length: int) -> list[Run]:
    if index is None:
        return [Run(m.lastgroup or "P", m.group(), m.start(), m.end()) for m in _RUN_RE.finditer(cleaned)]
    runs = []
    size = len(cleaned)
    for m in _RUN_RE.finditer(cleaned):
        a, b = m.span()
        # Swallow removed characters (combining accents, zero-width marks) that follow the run.
        end = max(index[b - 1] + 1, index[b]) if b < size else length
        runs.append(Run(m.lastgroup or "P", m.group(), index[a], end))
    return runs


# --------------------------------------------------------------------------------------------------
# Output sanitation
# --------------------------------------------------------------------------------------------------

_WORD_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'")
_DELETE_WORD_CHARS: Final[dict[int, None]] = dict.fromkeys(map(ord, _WORD_CHARS - {"'"} | {" "}))


def _sanitize(text: str) -> str:
    """Guarantee the word-token contract: [A-Za-z'] words, single spaces, no edge apostrophes."""
    if text and not text.translate(_DELETE_WORD_CHARS) and "  " not in text and text[0] != " " and text[-1] != " ":
        return text
    words = []
    for raw in text.split():
        word = "".join([c for c in raw if c in _WORD_CHARS]).strip("'")
        if word:
            words.append(word)
    return " ".join(words)


def _finish(tokens: list[NormToken]) -> list[NormToken]:
    """Drop leading punctuation, merge punctuation runs (keeping the strongest mark), sanitize words."""
    out: list[NormToken] = []
    last_punct = True  # nothing spoken yet: punctuation is dropped
    for tok in tokens:
        text = tok.text
        if text in PUNCT_RANK:
            if not out:
                continue
            if last_punct:
                prev = out[-1]
                mark = text if PUNCT_RANK[text] > PUNCT_RANK[prev.text] else prev.text
                out[-1] = NormToken(mark, prev.start, max(prev.end, tok.end))
            else:
                out.append(tok)
                last_punct = True
            continue
        words = _sanitize(text)
        if words:
            out.append(tok if words is text else NormToken(words, tok.start, tok.end))
            last_punct = False
    return out


# --------------------------------------------------------------------------------------------------
# The scanner
# --------------------------------------------------------------------------------------------------


class Scanner:
    """One pass over the runs of one input; every rule looks ahead/behind a bounded number of runs.

    Every rule takes the index of the run it starts at, emits tokens with ``word``/``punct`` and returns the
    index of the first run it did not consume (``None`` from an ``int | None`` rule: "not mine").
    """

    def __init__(self, runs: list[Run], date_order: str = "mdy") -> None:
        self.runs = runs
        self.n = len(runs)
        self.out: list[NormToken] = []
        # Order of the day and month in an all-numeric date whose parts could be either ("09/08/2021").
        self.day_first = date_order == "dmy"
        # Run indexes of "@" so e-mail detection is a bisect, not a scan.
        self.at_runs = [k for k, r in enumerate(runs) if r.kind == "P" and r.text == "@"]
        self._quote_runs: list[int] | None = None  # run indexes of '"', built on first use

    def quotes_before(self, k: int) -> int:
        """How many '"' runs come before run k (odd: run k is inside a quotation)."""
        if self._quote_runs is None:
            self._quote_runs = [m for m, r in enumerate(self.runs) if r.kind == "P" and r.text[0] == '"']
        return bisect_left(self._quote_runs, k)

    # ---- entry points, one per run kind (supplied by normalizer.Normalizer) ----------------------

    def letters(self, i: int) -> int:
        raise NotImplementedError

    def digits(self, i: int) -> int:
        raise NotImplementedError

    def symbol(self, i: int) -> int:
        raise NotImplementedError

    # ---- driver --------------------------------------------------------------------------------

    def run(self) -> list[NormToken]:
        runs = self.runs
        i = 0
        while i < self.n:
            r = runs[i]
            kind = r.kind
            if kind == "L":
                i = self.letters(i)
            elif kind == "D":
                i = self.digits(i)
            elif kind == "S":
                # A line break after a word is a pause (list items, headings).
                if "\n" in r.text and self.out and self.out[-1].text not in PUNCT_RANK:
                    self.punct(".", r.start, r.end)
                i += 1
            else:
                i = self.symbol(i)
        return _finish(self.out)

    # ---- helpers -------------------------------------------------------------------------------

    def kind(self, k: int) -> str:
        return self.runs[k].kind if 0 <= k < self.n else ""

    def is_p(self, k: int, text: str) -> bool:
        if 0 <= k < self.n:
            r = self.runs[k]
            return r.kind == "P" and r.text == text
        return False

    def is_space(self, k: int) -> bool:
        """A short horizontal gap (no line break) between two parts of one expression."""
        if 0 <= k < self.n:
            r = self.runs[k]
            return r.kind == "S" and len(r.text) <= 3 and "\n" not in r.text
        return False

    def word(self, text: str, start: int, end: int) -> None:
        self.out.append(NormToken(text, start, end))

    def punct(self, mark: str, start: int, end: int) -> None:
        self.out.append(NormToken(mark, start, end))

    def prev_word(self, i: int) -> int | None:
        """Index of the letter/digit run just before run i (one space between), else None."""
        k = i - 1
        if self.is_space(k) and self.kind(k - 1) in ("L", "D"):
            return k - 1
        return None

    def prev_text(self, i: int) -> str | None:
        """Text of the letter run right before run i (one space between), if any."""
        k = self.prev_word(i)
        return self.runs[k].text if k is not None and self.runs[k].kind == "L" else None

    def next_word(self, k: int) -> str | None:
        """Text of the letter run after the space at run k, if any."""
        if self.is_space(k) and self.kind(k + 1) == "L":
            return self.runs[k + 1].text
        return None

    def single_capital(self, k: int) -> bool:
        """Run k is one capital letter ("A" in spelled-out "A B C")."""
        if not 0 <= k < self.n:
            return False
        r = self.runs[k]
        return r.kind == "L" and len(r.text) == 1 and r.text.isupper()

    def sentence_initial(self, k: int) -> bool:
        j = k - 1
        if j < 0:
            return True
        r = self.runs[j]
        if r.kind == "S":
            if "\n" in r.text:
                return True
            j -= 1
            if j < 0:
                return True
            r = self.runs[j]
        return r.kind == "P" and r.text[0] in ".?!:\"'(\u2014"

    def period_ends_sentence(self, k: int, aggressive: bool = False) -> bool:
        """Whether the "." at run k (which also closes an abbreviation) ends the sentence."""
        if k + 1 >= self.n:
            return True
        r = self.runs[k + 1]
        if r.kind != "S":
            return False
        if "\n" in r.text or k + 2 >= self.n:
            return True
        nxt = self.runs[k + 2]
        if nxt.kind != "L" or not nxt.text[0].isupper():
            return False
        return aggressive or nxt.text in SENTENCE_STARTERS

    def emit_abbrev(self, spoken: str, i: int, dot: int | None, can_end: bool, aggressive: bool = False) -> int:
        """Emit an abbreviation spanning runs i..dot; its period may also be the sentence's full stop."""
        runs = self.runs
        if dot is None:
            self.word(spoken, runs[i].start, runs[i].end)
            return i + 1
        if can_end and self.period_ends_sentence(dot, aggressive):
            self.word(spoken, runs[i].start, runs[dot].start)
            self.punct(".", runs[dot].start, runs[dot].end)
        else:
            self.word(spoken, runs[i].start, runs[dot].end)
        return dot + 1

    def emit_with_dot(self, spoken: str, start: int, after: int, final_dot: int | None) -> int:
        """Emit a token ending at run ``after``; a sentence-final "." inside it becomes its own token."""
        runs = self.runs
        if final_dot is None:
            self.word(spoken, start, runs[after - 1].end)
        else:
            self.word(spoken, start, runs[final_dot].start)
            self.punct(".", runs[final_dot].start, runs[final_dot].end)
        return after

    def parse_num(self, i: int) -> Num:
        """The written number starting at digit run i: thousands groups ("1,234") and a decimal part."""
        runs = self.runs
        digits = runs[i].text
        j = i + 1
        comma = False
        if len(digits) <= 3 and self.is_p(j, ","):
            groups = [digits]
            k = j
            # Consumes every group, so a hostile "111,111,..." is one (digit-by-digit) number, read once.
            while self.is_p(k, ",") and self.kind(k + 1) == "D" and len(runs[k + 1].text) == 3:
                groups.append(runs[k + 1].text)
                k += 2
            if len(groups) > 1:
                digits = "".join(groups)
                j = k
                comma = True
        frac = None
        # "1.2.3" is a version chain, not a decimal; handled by the caller.
        if self.is_p(j, ".") and self.kind(j + 1) == "D" and not (self.is_p(j + 2, ".") and self.kind(j + 3) == "D"):
            frac = runs[j + 1].text
            j += 2
        return Num(digits, frac, j, comma)
