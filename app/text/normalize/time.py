"""Times of day: "3:30 pm", "10:05", "12:00", "14:30:15", "5pm", "7 a.m.", "7.45 p.m.", "12:00 noon"; other
digit pairs around a colon are ratios ("3:1" -> "three to one").  Time zones ("EST", "UTC+2") are initialisms
(letters data) and "UTC-5" reads "minus" (symbol)."""

from __future__ import annotations

from app.text.normalize.core import Scanner
from app.text.normalize.numbers import UNDER_1000, cardinal, int_words


def clock_words(hour: int, minute: int) -> str:
    """7, 45 -> seven forty five; 10, 5 -> ten oh five; 9, 0 -> nine."""
    if not minute:
        return cardinal(hour)
    return f"{cardinal(hour)} {'oh ' if minute < 10 else ''}{UNDER_1000[minute]}"


class TimeRules(Scanner):
    def ampm(self, j: int) -> tuple[str, int, int | None] | None:
        """am/pm (optionally after a space) at run j: (spoken, next run, sentence-final dot run or None)."""
        runs = self.runs
        k = j + 1 if self.is_space(j) else j
        if self.kind(k) != "L":
            return None
        t = runs[k].text.lower()
        if t in ("am", "pm") and not self.is_p(k + 1, "'"):
            # capital letters: the G2P reads single capitals as letter names ("a" alone would be the article)
            return f"{t[0].upper()} M", k + 1, None
        if t in ("a", "p") and self.is_p(k + 1, ".") and self.kind(k + 2) == "L" and runs[k + 2].text in ("m", "M"):
            end = k + 3
            final = None
            if self.is_p(end, "."):
                if self.period_ends_sentence(end):
                    final = end
                end += 1
            return f"{t.upper()} M", end, final
        return None

    def clock(self, i: int) -> int | None:
        """3:30 pm, 10:05, 12:00, 14:30:15; other pairs are ratios (3:1 -> three to one)."""
        runs = self.runs
        if self.kind(i + 2) != "D":
            return None
        h_t, m_t = runs[i].text, runs[i + 2].text
        if len(h_t) <= 2 and len(m_t) == 2 and int(h_t) <= 24 and int(m_t) < 60:
            hour, minute = int(h_t), int(m_t)
            j = i + 3
            seconds = None
            sec_t = runs[j + 1].text if self.is_p(j, ":") and self.kind(j + 1) == "D" else ""
            if len(sec_t) == 2 and int(sec_t) < 60:
                seconds = int(sec_t)
                j += 2
            ampm = self.ampm(j) if hour <= 12 else None
            words = clock_words(hour, minute)
            if not minute and ampm is None and self.next_word(j) not in ("noon", "midnight"):
                words += " o'clock" if hour <= 12 else " hundred"
            if seconds:
                words += f" and {cardinal(seconds)} {'second' if seconds == 1 else 'seconds'}"
            if ampm is not None:
                spoken, after, final_dot = ampm
                return self.emit_with_dot(f"{words} {spoken}", runs[i].start, after, final_dot)
            self.word(words, runs[i].start, runs[j - 1].end)
            return j
        if len(h_t) <= 3 and len(m_t) <= 3:
            self.word(f"{int_words(h_t)} to {int_words(m_t)}", runs[i].start, runs[i + 2].end)
            return i + 3
        return None

    def dot_time(self, i: int) -> int | None:
        """7.45 p.m., 7.45pm -> seven forty five P M (a dot between hour and minutes, British style)."""
        runs = self.runs
        h_t, m_t = runs[i].text, runs[i + 2].text if self.kind(i + 2) == "D" else ""
        if not (len(h_t) <= 2 and len(m_t) == 2 and 1 <= int(h_t) <= 12 and int(m_t) < 60):
            return None
        ampm = self.ampm(i + 3)
        if ampm is None:
            return None
        words = clock_words(int(h_t), int(m_t))
        spoken, after, final_dot = ampm
        return self.emit_with_dot(f"{words} {spoken}", runs[i].start, after, final_dot)
