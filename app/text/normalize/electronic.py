"""Electronic addresses: e-mail ("john.doe@example.com" -> "john dot doe at example dot com"), URLs (scheme
dropped, "www" spelled, bare domains only with a known top-level domain) and dotted names ("node.js",
"file.txt").  Short labels without vowels, known initialisms ("irs.gov") and known country codes are spelled."""

from __future__ import annotations

from bisect import bisect_left
from typing import Final

from app.text.normalize.core import Run, Scanner, load_data
from app.text.normalize.letters import is_initialism
from app.text.normalize.numbers import int_words, spell_digits

_DATA: Final = load_data("electronic")

_TLDS: Final[frozenset[str]] = frozenset(_DATA["tlds"])
_SPOKEN_LABELS: Final[dict[str, str]] = _DATA["spoken_labels"]
_URL_SYMBOLS: Final[dict[str, str]] = _DATA["symbols"]
_EMAIL_SYMBOLS: Final = frozenset("._-+")
_URL_TRAILING: Final = frozenset(".,!?:;'\"")


def _label_words(label: str, host: bool = True) -> str:
    """One label of a URL or e-mail address: spelled when it has no vowel or is one letter, or is a host name
    label that is a known initialism in any case ("www.irs.gov", "cdc.gov"); read as a word otherwise (path
    segments are mostly words: "/faq")."""
    low = label.lower()
    spoken = _SPOKEN_LABELS.get(low)
    if spoken is not None:
        return spoken
    if (
        len(low) == 1
        or (len(low) <= 5 and not any(c in "aeiouy" for c in low))
        or (host and is_initialism(low.upper()))
    ):
        return " ".join(low.upper())
    return low


def _address_part(r: Run) -> str:
    if r.kind == "L":
        return _label_words(r.text)
    if r.kind == "D":
        return spell_digits(r.text)
    return _URL_SYMBOLS.get(r.text, "")


class ElectronicRules(Scanner):
    def email(self, i: int) -> int | None:
        """john.doe@example.com -> john dot doe at example dot com."""
        runs = self.runs
        pos = bisect_left(self.at_runs, i)
        if pos == len(self.at_runs):
            return None
        at = self.at_runs[pos]
        if at - i > 15 or at == i or runs[at - 1].kind not in ("L", "D"):
            return None
        for k in range(i + 1, at):
            r = runs[k]
            if r.kind == "P":
                if r.text not in _EMAIL_SYMBOLS:
                    return None
            elif r.kind == "S":
                return None
        k = at + 1
        if self.kind(k) not in ("L", "D"):
            return None
        dots = 0
        while k - at < 24:
            if (self.is_p(k + 1, ".") or self.is_p(k + 1, "-")) and self.kind(k + 2) in ("L", "D"):
                dots += runs[k + 1].text == "."
                k += 2
            else:
                break
        if not dots or runs[k].kind != "L":
            return None
        parts = [_address_part(runs[m]) for m in range(i, k + 1)]
        self.word(" ".join(parts), runs[i].start, runs[k].end)
        return k + 1

    def url(self, i: int) -> int | None:
        """https://www.example.com/path -> W W W dot example dot com slash path (the scheme dropped)."""
        runs = self.runs
        low = runs[i].text.lower()
        if low in ("http", "https", "ftp") and self.is_p(i + 1, ":") and self.is_p(i + 2, "//"):
            host = i + 3
            if self.kind(host) not in ("L", "D"):
                return None
        elif low == "www" and self.is_p(i + 1, ".") and self.kind(i + 2) in ("L", "D"):
            host = i
        else:
            # bare domain: label(.label)+ ending in a known top-level domain
            k = i
            labels = 0
            while labels < 8:
                while self.is_p(k + 1, "-") and self.kind(k + 2) in ("L", "D") and k - i < 24:
                    k += 2
                if self.is_p(k + 1, ".") and self.kind(k + 2) in ("L", "D"):
                    k += 2
                    labels += 1
                else:
                    break
            tld = runs[k].text
            if not labels or runs[k].kind != "L" or not (tld in _TLDS or (len(tld) >= 3 and tld.lower() in _TLDS)):
                return None
            if self.kind(k + 1) == "L" or self.is_p(k + 1, "'") or self.is_p(k + 1, "@"):
                return None
            host = i
        k = host
        while k < self.n:
            r = runs[k]
            if r.kind in ("L", "D") or (r.kind == "P" and r.text[0] in _URL_SYMBOLS and len(r.text) <= 2):
                k += 1
            else:
                break
        end = k
        while end > host and runs[end - 1].kind == "P" and runs[end - 1].text[0] in _URL_TRAILING:
            end -= 1
        spoken_end = end
        if runs[end - 1].kind == "P" and runs[end - 1].text[0] == "/":
            spoken_end -= 1
        parts = []
        in_path = False
        for m in range(host, spoken_end):
            r = runs[m]
            in_path = in_path or (r.kind == "P" and r.text[0] in "/?#")
            if r.kind == "L":
                parts.append(_label_words(r.text, not in_path))
            elif r.kind == "D":
                parts.append(int_words(r.text) if len(r.text) <= 4 else spell_digits(r.text))
            else:
                parts.append(" ".join([_URL_SYMBOLS[r.text[0]]] * len(r.text)))
        self.word(" ".join(parts), runs[i].start, runs[end - 1].end)
        return end

    def dotted_words(self, i: int) -> int:
        """node.js, file.txt -> node dot js, file dot txt."""
        runs = self.runs
        parts = [_label_words(runs[i].text, False)]
        k = i + 1
        while self.is_p(k, ".") and self.kind(k + 1) == "L" and runs[k + 1].text[0].islower():
            parts.append("dot")
            parts.append(_label_words(runs[k + 1].text, False))
            k += 2
        self.word(" ".join(parts), runs[i].start, runs[k - 1].end)
        return k
