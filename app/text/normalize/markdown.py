"""Markdown, as LLM replies write it: the markup is removed before the runs are cut, so every class reads the
text a listener should hear.

* links ``[the guide](https://x.org/a "title")`` and reference links ``[the guide][2]`` read their text; images
  ``![alt](src)`` their alt text; reference definitions (``[2]: https://...``) are dropped;
* footnote markers ``[^1]`` and citation markers glued to a word (``studies[3]``) are silent; a footnote
  definition ``[^1]: text`` reads "footnote 1: text";
* table rows ``| a | b |`` read their cells with a pause between them; the ``|---|:--:|`` rule is dropped;
* list bullets (``-``, ``*``, ``+``), task boxes (``[ ]``, ``[x]``), block quote marks (``>``) and code fence
  lines (with their language tag) are silent.  Emphasis marks, heading ``#`` and backticks are already silent
  symbols.

Works on the cleaned text with its offset map (``core.clean``), so every spoken token still points at what the
user wrote; inserted words point at the markup they replace.  Every pattern is linear: each quantifier is a
single negated class that stops at the bracket, parenthesis or line end that closes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

# An edit (start, end, replacement) on the cleaned text.
Edit = tuple[int, int, str]

_FENCE: Final = re.compile(r"^[ \t]*(?:```|~~~)[^\n]*", re.M)
_FOOTNOTE_DEF: Final = re.compile(r"^[ \t]*\[\^([^\]\s]{1,20})\]:", re.M)
_REFERENCE_DEF: Final = re.compile(r"^[ \t]*\[[^\]\n^]{1,60}\]:[ \t]*\S[^\n]*", re.M)
_TASK_BOX: Final = re.compile(r"^([ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+)\[[ xX]\][ \t]*", re.M)
_BULLET: Final = re.compile(r"^[ \t]*(?:[-*+]|>+)[ \t]+", re.M)
# [text](url), [text](url "title"), ![alt](src); group 1 the text.
_LINK: Final = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\s]*(?:[ \t]+\"[^\"\n]*\")?\)")
# [text][ref]
_REF_LINK: Final = re.compile(r"\[([^\[\]\n]+)\]\[[^\[\]\n]{0,40}\]")
_FOOTNOTE_REF: Final = re.compile(r"\[\^[^\]\s]{1,20}\]")
_CITATION: Final = re.compile(r"(?<=[^\s\[\]])((?:\[\d{1,3}\])+)(?![(\[])")
_TABLE_ROW: Final = re.compile(r"^[ \t]*\|[^\n]*", re.M)
_TABLE_RULE: Final = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)+\|?[ \t]*$", re.M)


def _apply(
    text: str, index: list[int] | None, pattern: re.Pattern[str], edits_of: Callable[[re.Match[str]], list[Edit]]
) -> tuple[str, list[int] | None]:
    """Apply the edits of every match of ``pattern``; the offset map follows (inserted text maps to its edit)."""
    edits: list[Edit] = []
    for m in pattern.finditer(text):
        edits.extend(edits_of(m))
    if not edits:
        return text, index
    size = len(text)
    orig = index if index is not None else range(size)
    chars: list[str] = []
    new_index: list[int] = []
    pos = 0
    for a, b, rep in edits:
        chars.append(text[pos:a])
        new_index.extend(orig[pos:a])
        if rep:
            chars.append(rep)
            new_index.extend([orig[a] if a < size else (orig[size - 1] if size else 0)] * len(rep))
        pos = b
    chars.append(text[pos:])
    new_index.extend(orig[pos:])
    return "".join(chars), new_index


def _delete(m: re.Match[str]) -> list[Edit]:
    return [(m.start(), m.end(), "")]


def _keep_group(m: re.Match[str]) -> list[Edit]:
    """Delete the match around group 1 (link text, image alt text)."""
    return [(m.start(), m.start(1), ""), (m.end(1), m.end(), "")]


def _footnote_def(m: re.Match[str]) -> list[Edit]:
    return [(m.start(), m.end(), f"Footnote {m.group(1)}:")]


def _task_box(m: re.Match[str]) -> list[Edit]:
    return [(m.end(1), m.end(), "")]


def _table_row(m: re.Match[str]) -> list[Edit]:
    """| a | b | -> a, b (the outer pipes silent, the inner ones pauses)."""
    row = m.group()
    base = m.start()
    pipes = [k for k, c in enumerate(row) if c == "|" and (k == 0 or row[k - 1] != "\\")]
    if len(pipes) < 2:
        return []
    edits: list[Edit] = []
    last = len(row.rstrip())
    for n, k in enumerate(pipes):
        outer = n == 0 or (n == len(pipes) - 1 and k == last - 1)
        start = k
        if not outer and row[pipes[n - 1] + 1 : k].strip():
            start = len(row[:k].rstrip())  # the pause sits on the cell's last word ("Sat," as in prose)
        edits.append((base + start, base + k + 1, " " if outer else ","))
    return edits


# In order: whole lines first (fences, definitions, table rules), then line starts, then inline markup.
_PASSES: Final[tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], list[Edit]], str], ...]] = (
    (_FENCE, _delete, "`~"),
    (_FOOTNOTE_DEF, _footnote_def, "^"),
    (_REFERENCE_DEF, _delete, "]"),
    (_TABLE_RULE, _delete, "-"),
    (_TABLE_ROW, _table_row, "|"),
    (_TASK_BOX, _task_box, "["),
    (_BULLET, _delete, "-*+>"),
    (_LINK, _keep_group, "]"),
    (_FOOTNOTE_REF, _delete, "^"),
    (_CITATION, _delete, "]"),
    (_REF_LINK, _keep_group, "]"),
)


def strip_markdown(text: str, index: list[int] | None) -> tuple[str, list[int] | None]:
    """The cleaned ``text`` without its markdown markup, and the offset map to the original input."""
    for pattern, edits_of, needs in _PASSES:
        if any(c in text for c in needs):
            text, index = _apply(text, index, pattern, edits_of)
    return text, index
