"""Telephone numbers, read digit by digit ("zero", not "oh") with a "," pause between groups: "+1 555 123
4567", "(555) 123-4567", "555-123-4567", "555.123.4567", "1-800-555-1234", "555 123 4567" (first digit 2-9),
"020 7946 0018" (a trunk zero) and "555-1234" (first group >= 200, second not a round hundred, so "100-2000"
stays a range).  A social-security-like "123-45-6789" is read the same way."""

from __future__ import annotations

from app.text.normalize.core import Scanner
from app.text.normalize.numbers import spell_digits


class TelephoneRules(Scanner):
    def phone(self, i: int) -> int | None:
        """Phone numbers read digit by digit, one comma pause between groups."""
        runs = self.runs
        first = runs[i]
        plus = paren = False
        groups: list[tuple[str, int, int]] = []  # digits, start, end
        seps: list[tuple[int, int]] = []
        if first.kind == "P" and first.text == "+":
            if self.kind(i + 1) != "D" or len(runs[i + 1].text) > 3:
                return None
            plus = True
            groups.append((runs[i + 1].text, first.start, runs[i + 1].end))
            k = i + 2
        elif first.kind == "P" and first.text == "(":
            if not (self.kind(i + 1) == "D" and len(runs[i + 1].text) == 3 and self.is_p(i + 2, ")")):
                return None
            paren = True
            groups.append((runs[i + 1].text, first.start, runs[i + 2].end))
            k = i + 3
            if self.kind(k) == "D":  # "(555)123-4567"
                seps.append((runs[k - 1].start, runs[k - 1].end))
                groups.append((runs[k].text, runs[k].start, runs[k].end))
                k += 1
        else:
            groups.append((first.text, first.start, first.end))
            k = i + 1
        sep_chars = set()
        area = plus and self.is_space(k) and self.is_p(k + 1, "(") and self.is_p(k + 3, ")")
        if area and self.kind(k + 2) == "D" and len(runs[k + 2].text) <= 4:  # +1 (415) 555-0199: the area code
            seps.append((runs[k].start, runs[k].end))
            groups.append((runs[k + 2].text, runs[k + 1].start, runs[k + 3].end))
            k += 4
        while len(groups) < 7 and k + 1 < self.n and self.kind(k + 1) == "D":
            r = runs[k]
            if r.kind == "S" and r.text == " " and (plus or paren or len(runs[k + 1].text) in (3, 4)):
                sep_chars.add(" ")
            elif r.kind == "P" and r.text in ("-", "."):
                sep_chars.add(r.text)
            else:
                break
            seps.append((r.start, r.end))
            groups.append((runs[k + 1].text, runs[k + 1].start, runs[k + 1].end))
            k += 2
        shape = [len(g[0]) for g in groups]
        if plus:
            ok = 8 <= sum(shape) <= 15 and len(sep_chars) <= 2  # "+1 555-123-4567" mixes two
        elif paren:
            ok = shape == [3, 3, 4]
        elif sep_chars == {" "}:
            # "555 123 4567"; a leading 0/1 or a round last group is more likely a list of numbers, unless the
            # number starts with a trunk 0 and has a national number's length ("020 7946 0018", "0161 496 0000")
            lead = groups[0][0]
            trunk = lead[0] == "0" and len(lead) >= 3 and 10 <= sum(shape) <= 11 and len(groups) <= 4
            ok = trunk or (shape == [3, 3, 4] and lead[0] not in "01" and not groups[-1][0].endswith("000"))
        elif len(sep_chars) == 1:
            # 123-45-6789 (a social security number) is read the same way
            ok = (
                shape in ([3, 3, 4], [1, 3, 3, 4])
                or (shape == [3, 2, 4] and "-" in sep_chars)
                or (shape == [3, 4] and "-" in sep_chars and int(groups[0][0]) >= 200 and int(groups[1][0]) % 100 != 0)
            )
        else:
            ok = False
        if not ok or self.kind(k) == "D":
            return None
        for g, (digits, start, end) in enumerate(groups):
            if g:
                self.punct(",", *seps[g - 1])
            spoken = spell_digits(digits)
            self.word(f"plus {spoken}" if plus and g == 0 else spoken, start, end)
        return k
