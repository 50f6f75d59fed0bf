"""Money: a currency symbol before ("$5.99", "-$5", "$1.5 billion", "$5m", "$10-20") or after ("50¢",
"20 €") a number; major and minor units ("five dollars and ninety nine cents")."""

from __future__ import annotations

from typing import Final

from app.text.normalize.core import Scanner, load_data
from app.text.normalize.measure import SCALE_SUFFIX
from app.text.normalize.numbers import SCALES, Num, cardinal, int_words

_DATA: Final = load_data("money")

# symbol -> (major singular, major plural, minor singular, minor plural)
CURRENCIES: Final[dict[str, tuple[str, str, str, str]]] = {k: tuple(v) for k, v in _DATA["currencies"].items()}
# After a currency amount "m" and "b" are scales too ("$5m"); after a bare number they are units.
_MONEY_SCALE_SUFFIX: Final[dict[str, str]] = {**SCALE_SUFFIX, **_DATA["scale_suffixes"]}
_SCALE_WORDS: Final = frozenset(scale.strip() for scale in SCALES if scale)
# Currency symbols also written after the amount.
POSTFIX_CURRENCIES: Final = frozenset({"¢", "€", "£"})


def money_words(num: Num, sym: str) -> str:
    """An amount in the currency of ``sym``: major units, and minor units for up to two decimals."""
    major1, major_n, minor1, minor_n = CURRENCIES[sym]
    ip = num.digits
    iw = int_words(ip)
    major = major1 if ip == "1" else major_n
    if num.frac is None:
        return f"{iw} {major}"
    if minor_n and len(num.frac) <= 2:
        cents = int(num.frac.ljust(2, "0"))
        parts = []
        if ip.strip("0") or cents == 0:
            parts.append(f"{iw} {major}")
        if cents:
            parts.append(f"{cardinal(cents)} {minor1 if cents == 1 else minor_n}")
        return " and ".join(parts)
    return f"{num.words()} {major_n}"


def postfix_money_words(num: Num, sym: str) -> str:
    """A number with its currency symbol after it: "50¢", "20 €"."""
    if sym == "¢":
        return f"{num.words()} {'cent' if num.digits == '1' and num.frac is None else 'cents'}"
    return money_words(num, sym)


class MoneyRules(Scanner):
    def currency(self, i: int, prefix: str = "", start: int | None = None) -> int:
        """$5.99, £20, €1.50, $1.5 billion, $5m, $10-20."""
        runs = self.runs
        sym = runs[i].text
        num = self.parse_num(i + 1)
        j = num.end
        s = runs[i].start if start is None else start
        pre = f"{prefix} " if prefix else ""
        major_n = CURRENCIES[sym][1]
        scale = None
        if self.kind(j) == "L" and runs[j].text in _MONEY_SCALE_SUFFIX:
            scale = _MONEY_SCALE_SUFFIX[runs[j].text]
            j += 1
        elif self.is_space(j) and self.kind(j + 1) == "L" and runs[j + 1].text.lower() in _SCALE_WORDS:
            scale = runs[j + 1].text.lower()
            j += 2
        if scale is not None:
            words = f"{num.words()} {scale} {major_n}"
        elif self.is_p(j, "-") and self.kind(j + 1) == "D":
            num2 = self.parse_num(j + 1)
            words = f"{num.words()} to {money_words(num2, sym)}"
            j = num2.end
        else:
            words = money_words(num, sym)
        self.word(pre + words, s, runs[j - 1].end)
        return j
