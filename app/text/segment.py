"""Sentence and phrase segmentation of raw text for streaming synthesis.

``split_sentences`` finds sentence spans in a complete text; ``IncrementalSegmenter`` does the same for
text that arrives piece by piece (LLM tokens) and releases a segment only once its boundary can no
longer be changed by text still to come.  Both share one boundary decision so a streamed text is cut
where the whole text would be cut.

A period is a sentence end unless it closes an abbreviation that cannot end a sentence ("Dr.", "e.g.",
"No. 5"); abbreviations that may end a sentence ("etc.", "Inc.", "U.S.", a middle initial "F.") end it
only before a line break, the end of the text, or a capitalized word that usually starts a sentence
(for "etc." any capitalized word).  "?" and "!" always end a sentence; an ellipsis ends one only before
a capital letter.  Decimals ("3.5") never split because a boundary needs whitespace after the mark.
"""

from __future__ import annotations

import re
from typing import Final

from app.text.normalize.abbreviation import ABBR_ANYCASE, ABBR_CASED, FINAL_OK, TITLE_ABBR
from app.text.normalize.core import SENTENCE_STARTERS
from app.text.normalize.date import MONTH_ABBR

__all__ = ["IncrementalSegmenter", "split_sentences"]

_TERMINALS: Final = frozenset(".?!\u2026")
_CLOSERS: Final = frozenset("\"')]}\u201d\u2019\u00bb")
_CLAUSE_MARKS: Final = frozenset(",;:\u2014")
# Abbreviations whose period never ends a sentence.  Capitalized ones match case-sensitively so that
# "Gen." (general) is an abbreviation but "gen." is not.
_NEVER_FINAL_CASED: Final = frozenset(set(TITLE_ABBR) - {"Dr"} | {"Mt", "Fig", "Vol", "Ch"})
_NEVER_FINAL_ANYCASE: Final = frozenset({"e.g", "i.e", "vs", "cf", "viz", "approx", "incl", "esp", "pp", "ca"})
# Abbreviations that may end a sentence; the following word decides.
_MAY_END_CASED: Final = frozenset(FINAL_OK | set(ABBR_CASED) | set(MONTH_ABBR))
_MAY_END_ANYCASE: Final = frozenset(ABBR_ANYCASE)


def _word_before(text: str, i: int) -> str:
    """The letters-and-dots word ending right before index i ("U.S" for "U.S." with i at the last dot)."""
    b = i
    while b > 0 and i - b < 20 and (text[b - 1].isalpha() or text[b - 1] == "."):
        b -= 1
    return text[b:i].strip(".")


def _next_word(text: str, k: int, final: bool) -> str | None:
    """The word starting at k; None when it may still be growing (the text may continue)."""
    e = k
    n = len(text)
    while e < n and e - k < 40 and (text[e].isalpha() or text[e] == "'"):
        e += 1
    if e == n and not final:
        return None
    return text[k:e]


def _decide(text: str, mark: int, after: int, final: bool) -> bool | None:
    """Is there a sentence boundary after text[mark:after] (terminal marks plus closing quotes)?

    text[after] is whitespace or the end of the text.  Returns None when the answer depends on text
    that has not arrived yet.
    """
    marks = text[mark:after].rstrip("".join(_CLOSERS))
    if "?" in marks or "!" in marks:
        return True
    ellipsis = len(marks) > 1 or "\u2026" in marks
    word = "" if ellipsis else _word_before(text, mark)
    low = word.lower()
    dotted = "." in word
    initial = len(word) == 1 and word.isupper() and word != "I"
    if not ellipsis and low != "no":
        if word in _NEVER_FINAL_CASED or low in _NEVER_FINAL_ANYCASE:
            return False
        if not (dotted or initial or word in _MAY_END_CASED or low in _MAY_END_ANYCASE):
            return True  # an ordinary word (or a number) before the period: certain already
    # The answer depends on what follows.
    n = len(text)
    k = after
    while k < n and text[k].isspace():
        if text[k] == "\n":
            return True
        k += 1
    if k >= n:
        return True if final else None
    nxt = text[k]
    if ellipsis:  # a pause inside the sentence unless a capital follows
        return nxt.isupper()
    if low == "no":  # "No. 5"
        return not nxt.isdigit()
    if not nxt.isupper():
        return False
    following = _next_word(text, k, final)
    if following is None:
        return None
    return low == "etc" or following in SENTENCE_STARTERS


def _scan_terminal(text: str, i: int) -> int:
    """End of the run of terminal marks and closing quotes/brackets starting at i."""
    n = len(text)
    j = i
    while j < n and text[j] in _TERMINALS:
        j += 1
    while j < n and text[j] in _CLOSERS:
        j += 1
    return j


def _trimmed(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if a < b else None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences of ``text``, whitespace trimmed.

    Splits after ". ? !" (plus closing quotes) followed by whitespace, unless the period belongs to an
    abbreviation, initial, decimal or ellipsis inside the sentence, and at blank lines between paragraphs.
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    seg = 0
    i = 0
    while i < n:
        c = text[i]
        if c in _TERMINALS:
            j = _scan_terminal(text, i)
            if (j == n or text[j].isspace()) and _decide(text, i, j, True):
                span = _trimmed(text, seg, j)
                if span:
                    spans.append(span)
                seg = j
            i = j
            continue
        if c == "\n":
            j = i + 1
            breaks = 1
            while j < n and text[j].isspace():
                breaks += text[j] == "\n"
                j += 1
            if breaks >= 2:  # blank line: paragraph break
                span = _trimmed(text, seg, i)
                if span:
                    spans.append(span)
                seg = j
            i = j
            continue
        i += 1
    span = _trimmed(text, seg, n)
    if span:
        spans.append(span)
    return spans


# Words a phrase may start with when a run-on sentence must be cut: a listener hears a break before them as
# natural ("... the report | because ...", "... the river | to the sea"). Not "of": "a cup | of tea" is not.
_BREAK_BEFORE: Final = frozenset(
    "and but or nor so yet because although though while whereas unless until since if when where which who "
    "whose then as to in on at for with from into onto about after before during through over under between "
    "without within across against toward towards".split()
)
_MIN_FORCED_CHARS: Final = 12  # a forced phrase shorter than this sounds clipped; a later break is preferred


def best_break(buf: str) -> int | None:
    """Where to cut text that has no sentence boundary yet, among complete words only (the last word may still
    be growing): after the last clause mark, else before the last conjunction or preposition, else after the
    last complete word; a break leaving fewer than _MIN_FORCED_CHARS before it only when there is no other.
    One pass over the words."""
    words = list(_WORD.finditer(buf))
    if words and words[-1].end() == len(buf):  # the trailing word may be incomplete
        words.pop()
    if not words:
        return None
    lead = words[0].start()
    best: dict[int, int] = {}  # rank -> the last position with it (among breaks long enough, if any are)
    best_short: dict[int, int] = {}
    for k, word in enumerate(words):
        if word.group()[-1] in _CLAUSE_MARKS:
            rank = 0
        elif k + 1 < len(words) and words[k + 1].group().lower().strip("\"'(") in _BREAK_BEFORE:
            rank = 1
        else:
            rank = 2
        (best if word.end() - lead >= _MIN_FORCED_CHARS else best_short)[rank] = word.end()
    pool = best or best_short
    return pool[min(pool)]


_WORD: Final = re.compile(r"\S+")


class IncrementalSegmenter:
    """Feed text piece by piece (LLM tokens); yields complete segments as soon as a phrase boundary is certain.

    Boundaries, in order of preference:

    * sentence end: ". ? !" followed by whitespace and confirmed by ``split_sentences``' rule (a period at
      the very end of the buffer waits for the next non-space character, since "3." may become "3.5");
    * paragraph break: a blank line, always;
    * clause boundary: ", ; : \u2014" followed by whitespace, or a single line break, once the segment is
      at least ``min_chars`` long.  The first segment after construction or ``flush`` ignores
      ``min_chars`` so the caller can start speaking the first clause of a long sentence early;
    * forced: the last whitespace before ``max_chars`` (or ``max_chars`` itself inside one huge word).

    Text without punctuation (an LLM's run-on sentence) need not wait for ``max_chars``: once the buffer holds
    ``soft_chars`` characters, or when the caller's timer calls ``force()``, the best break so far is taken
    (``best_break``): a clause mark, else before a conjunction or preposition, else any complete word.

    Segments are returned as the original text with surrounding whitespace stripped.
    """

    def __init__(self, min_chars: int = 1, max_chars: int = 300, soft_chars: int | None = None) -> None:
        if min_chars < 0 or max_chars < 1 or (soft_chars is not None and soft_chars < 1):
            raise ValueError("min_chars must be >= 0, max_chars and soft_chars >= 1")
        self._min_chars = min_chars
        self._max_chars = max_chars
        self._soft_chars = soft_chars
        self._buf = ""
        self._first = True

    @property
    def pending(self) -> bool:
        """Is text buffered that no segment has taken yet?"""
        return bool(self._buf.strip())

    def push(self, piece: str) -> list[str]:
        """Add ``piece``; return the segments completed by it (possibly none)."""
        self._buf += piece
        out = self._drain(final=False)
        if self._soft_chars is not None and len(self._buf.strip()) >= self._soft_chars:
            out += self.force()
        return out

    def force(self) -> list[str]:
        """Cut the buffer at its best break now (a length or time limit passed); the words after it stay."""
        cut = best_break(self._buf)
        if cut is None:
            return []
        segment, self._buf = self._buf[:cut].strip(), self._buf[cut:]
        self._first = False
        return [segment] if segment else []

    def flush(self) -> list[str]:
        """Return everything still buffered (split at any boundaries it contains) and reset."""
        out = self._drain(final=True)
        rest = self._buf.strip()
        if rest:
            out.append(rest)
        self._buf = ""
        self._first = True
        return out

    def _drain(self, final: bool) -> list[str]:
        out: list[str] = []
        while True:
            cut = self._find_cut(final)
            if cut is None:
                return out
            segment = self._buf[:cut].strip()
            self._buf = self._buf[cut:]
            if segment:
                out.append(segment)
                self._first = False

    def _find_cut(self, final: bool) -> int | None:
        buf = self._buf
        n = len(buf)
        lead = 0
        while lead < n and buf[lead].isspace():
            lead += 1
        limit = min(n, lead + self._max_chars)
        min_chars = 1 if self._first else max(self._min_chars, 1)
        i = lead
        while i < limit:
            c = buf[i]
            if c in _TERMINALS:
                j = _scan_terminal(buf, i)
                if j >= n:
                    break  # the marks may still grow ("?!", "...", "3.5")
                if buf[j].isspace():
                    decision = _decide(buf, i, j, final)
                    if decision is None:
                        return None  # a later boundary must not overtake an undecided one
                    if decision and j - lead <= self._max_chars:
                        return j
                i = j
                continue
            if c in _CLAUSE_MARKS and i + 1 < n and buf[i + 1].isspace() and i + 1 - lead >= min_chars:
                return i + 1
            if c == "\n":
                if i - lead >= min_chars:
                    return i + 1
                j = i + 1
                while j < n and buf[j].isspace() and buf[j] != "\n":
                    j += 1
                if j < n and buf[j] == "\n":  # blank line: a paragraph break, always a boundary
                    return j + 1
            i += 1
        if n - lead > self._max_chars:
            k = lead + self._max_chars
            while k > lead and not buf[k].isspace():
                k -= 1
            return k if k > lead else lead + self._max_chars
        return None
