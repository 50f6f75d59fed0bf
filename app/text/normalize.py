"""English text normalization: written text -> speakable words with source spans.

Design
------
1. ``_clean`` maps the input, character by character, to a small ASCII-ish alphabet (accents stripped with
   NFKD, curly quotes made ASCII, emoji / other scripts turned into separators, invisible characters
   removed) while remembering, for every cleaned character, the offset of the original character it came
   from.  That index map is what lets every spoken token point back at what the user wrote.
2. ``_scan`` cuts the cleaned text into runs: letters, digits, whitespace, or one repeated symbol.  The
   run regex has one single-class quantifier per alternative, so it cannot backtrack catastrophically.
3. ``_Normalizer`` walks the runs once.  Every rule looks at a bounded number of runs around the current
   one (a handful, at most a few dozen for e-mail addresses) and consumes at least one run, so the whole
   pass is linear in the input length even for hostile input.

Choices where English is ambiguous (documented so tests and callers can rely on them):

* Years: a plain four-digit number is read as a year ("nineteen ninety eight") when it follows a year
  word (in, since, by, from, until, during, ...) or a month, or when it lies in 1100-2099 -- unless it is
  followed by a counted noun from ``_COUNTED_NOUNS`` ("1998 people" stays a cardinal).  Comma-grouped
  numbers ("1,998") are never years.
* Initialisms: known initialisms are spelled ("FBI" -> "F B I"), known acronym words are read as words
  ("NASA" -> "nasa").  Unknown all-capital words are spelled when they have no vowel, when they are two
  letters long and not a common word, or when a 3-4 letter word has an onset/coda consonant cluster that
  English does not allow ("IBM"); otherwise they are read as words.  Letters are emitted as capitals so
  the G2P reads letter names; everything else is lowercase.
* Roman numerals are only numbers after a regnal name ("Henry VIII" -> "henry the eighth"), after a
  numbering noun ("World War II", "Chapter IV", "Super Bowl LVIII") or, for multi-letter numerals up to
  100, after another capitalized word ("Rocky II").  A lone "I" is a numeral only after a capitalized
  numbering noun or a regnal name ("World War I", "Elizabeth I").
* Slash pairs: "a/b" is a fraction when b is a usual denominator (2, 3, 4, 5, 6, 8, 10, 12, 16, 32, 64,
  100), otherwise a month/day date when that is valid ("9/11"), otherwise "a over b".  Three-part slash
  dates are month/day/year (day/month/year when the first part is over 12).
* A single line break after a word is read as a sentence break (LLM output uses line breaks for list
  items and headings); a hyphen between words is silent, a spaced hyphen or a dash is a comma pause.
* Phone numbers: +country forms, "(555) 123-4567", 555-123-4567, 555.123.4567, 1-800-555-1234,
  "555 123 4567" (first digit 2-9) and 555-1234 (first group >= 200, second not a round hundred, so
  "100-2000" stays a range).  Digits are read one by one ("zero", not "oh"); groups become "," tokens.
* "St." is "street" after a number or a capitalized non-initial word or before a sentence starter, else
  "saint" before a capitalized word; "Dr." is "drive" in the same street position, else "doctor".
  Abbreviations that can end a sentence ("etc.", "Inc.", "U.S.", "a.m.") also emit "." when followed by
  the end of text, a line break, or a capitalized sentence-starter word ("etc.": any capitalized word).
* Units are only units right after a number ("5 in." is inches, "in" elsewhere is a word); "5s" is a
  plural ("fives"), "5 s" is seconds; "5K"/"5M"/"5B" are thousand/million/billion; "10x" is "ten times".
* Several parts read from one source span (ISO dates, whose spoken order differs from the written order)
  all carry that span.  A run of punctuation keeps its strongest mark (? ! . ; : ,).  Invisible
  characters (zero-width, combining marks, controls) are removed without splitting the word around them
  and are covered by the preceding token's span; emoji and other scripts separate words.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from typing import Final, NamedTuple

import inflect

__all__ = ["NormToken", "NormalizationError", "normalize", "normalize_tokens"]


@dataclass(frozen=True, slots=True)
class NormToken:
    """One spoken unit and the span of the original input it was read from."""

    text: str  # words of [A-Za-z'] separated by single spaces, or exactly one of ". , ? ! ; :"
    start: int  # offset of the first source character in the original input
    end: int  # exclusive end offset in the original input


class NormalizationError(ValueError):
    """Raised for input that cannot be made speakable (e.g. a non-str object)."""


# --------------------------------------------------------------------------------------------------
# Number words
# --------------------------------------------------------------------------------------------------


def _build_under_1000() -> tuple[str, ...]:
    # inflect is slow per call (runtime type checks); a table built once at import keeps hostile inputs
    # such as "1,1,1,..." fast and avoids sharing inflect's mutable engine state between threads.
    engine = inflect.engine()
    words = []
    for n in range(1000):
        spoken = str(engine.number_to_words(str(n), andword=""))
        words.append(" ".join(spoken.replace("-", " ").replace(",", " ").split()))
    return tuple(words)


_UNDER_1000: Final[tuple[str, ...]] = _build_under_1000()
_DIGIT_WORDS: Final[tuple[str, ...]] = _UNDER_1000[:10]
_SCALES: Final[tuple[str, ...]] = ("", " thousand", " million", " billion", " trillion")
# Longer digit strings are identifiers, not quantities; reading them digit by digit also keeps the
# conversion linear (int() of huge strings is quadratic and capped by Python).
_MAX_CARDINAL_DIGITS: Final = 15

_ORDINAL_IRREGULAR: Final[dict[str, str]] = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
_MONTH_NAMES: Final[tuple[str, ...]] = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _cardinal(n: int) -> str:
    if n < 1000:
        return _UNDER_1000[n]
    parts: list[str] = []
    scale = 0
    while n:
        n, group = divmod(n, 1000)
        if group:
            parts.append(_UNDER_1000[group] + _SCALES[scale])
        scale += 1
    return " ".join(reversed(parts))


def _spell_digits(digits: str) -> str:
    return " ".join([_DIGIT_WORDS[ord(c) - 48] for c in digits])


def _int_words(digits: str) -> str:
    """Cardinal for ordinary integers; digit by digit for leading zeros ("007") and very long runs."""
    if len(digits) > _MAX_CARDINAL_DIGITS or (len(digits) > 1 and digits[0] == "0"):
        return _spell_digits(digits)
    return _cardinal(int(digits))


def _ordinal(words: str) -> str:
    head, _, last = words.rpartition(" ")
    if last in _ORDINAL_IRREGULAR:
        last = _ORDINAL_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head} {last}" if head else last


def _plural(words: str) -> str:
    head, _, last = words.rpartition(" ")
    if last.endswith("y"):
        last = last[:-1] + "ies"
    elif last.endswith("x"):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def _year_words(n: int) -> str:
    """1998 -> nineteen ninety eight, 2008 -> two thousand eight, 1900 -> nineteen hundred."""
    if not 1000 <= n <= 9999 or n % 1000 == 0 or 2000 < n < 2010:
        return _cardinal(n)
    hi, lo = divmod(n, 100)
    if lo == 0:
        return f"{_UNDER_1000[hi]} hundred"
    if lo < 10:
        return f"{_UNDER_1000[hi]} oh {_UNDER_1000[lo]}"
    return f"{_UNDER_1000[hi]} {_UNDER_1000[lo]}"


def _short_year(digits: str) -> str:
    """Year part of a date: 2020 -> twenty twenty, '05 -> oh five."""
    if len(digits) == 4:
        return _year_words(int(digits))
    value = int(digits)
    return f"oh {_UNDER_1000[value]}" if digits[0] == "0" and value else _UNDER_1000[value]


def _fraction(num: int, den: int, *, article: bool = False) -> str:
    if den == 2:
        unit = "half" if num == 1 else "halves"
    elif den == 4:
        unit = "quarter" if num == 1 else "quarters"
    else:
        unit = "hundredth" if den == 100 else _ordinal(_cardinal(den))
        if num != 1:
            unit += "s"
    lead = "a" if article and num == 1 else _cardinal(num)
    return f"{lead} {unit}"


def _month_day(a: int, b: int) -> tuple[int, int] | None:
    """US order first; day/month when the first part cannot be a month."""
    if 1 <= a <= 12 and 1 <= b <= 31:
        return a, b
    if 1 <= b <= 12 and 13 <= a <= 31:
        return b, a
    return None


def _date_words(month: int, day: int) -> str:
    return f"{_MONTH_NAMES[month - 1]} {_ordinal(_cardinal(day))}"


def _to_roman(n: int) -> str:
    out = []
    for value, symbol in _ROMAN_TABLE:
        count, n = divmod(n, value)
        out.append(symbol * count)
    return "".join(out)


_ROMAN_DIGITS: Final[dict[str, int]] = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_TABLE: Final[tuple[tuple[int, str], ...]] = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
# Canonical numerals only, so "IIII", "DIM" or "CIVIL" are not numbers.
_ROMAN_NUMERALS: Final[dict[str, int]] = {_to_roman(n): n for n in range(1, 4000)}

# --------------------------------------------------------------------------------------------------
# Lexicons
# --------------------------------------------------------------------------------------------------


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PUNCT_RANK: Final[dict[str, int]] = {",": 1, ":": 2, ";": 3, ".": 4, "!": 5, "?": 6}

# Titles precede a name, so their period never ends a sentence.
_TITLE_ABBR: Final[dict[str, str]] = {
    "Mr": "mister",
    "Mrs": "missus",
    "Ms": "miz",
    "Dr": "doctor",
    "Prof": "professor",
    "Gov": "governor",
    "Sen": "senator",
    "Rep": "representative",
    "Gen": "general",
    "Capt": "captain",
    "Lt": "lieutenant",
    "Sgt": "sergeant",
    "Col": "colonel",
    "Cmdr": "commander",
    "Adm": "admiral",
    "Maj": "major",
    "Cpl": "corporal",
    "Pvt": "private",
    "Rev": "reverend",
    "Hon": "honorable",
    "Pres": "president",
    "Supt": "superintendent",
    "Det": "detective",
    "Insp": "inspector",
    "Fr": "father",
}
# Capitalized abbreviations, matched case-sensitively ("Sun." is Sunday, "sun." is the sun).
_ABBR_CASED: Final[dict[str, str]] = {
    "Jr": "junior",
    "Sr": "senior",
    "Mt": "mount",
    "Ave": "avenue",
    "Blvd": "boulevard",
    "Rd": "road",
    "Ln": "lane",
    "Hwy": "highway",
    "Inc": "incorporated",
    "Corp": "corporation",
    "Ltd": "limited",
    "Co": "company",
    "Bros": "brothers",
    "Dept": "department",
    "Univ": "university",
    "Assn": "association",
    "Est": "established",
    "Fig": "figure",
    "Vol": "volume",
    "Ch": "chapter",
    "Apt": "apartment",
    "Ste": "suite",
    "Bldg": "building",
    "Tel": "telephone",
    "Ext": "extension",
    "Mon": "monday",
    "Tue": "tuesday",
    "Tues": "tuesday",
    "Wed": "wednesday",
    "Thu": "thursday",
    "Thur": "thursday",
    "Thurs": "thursday",
    "Fri": "friday",
    "Sat": "saturday",
    "Sun": "sunday",
}
_ABBR_ANYCASE: Final[dict[str, str]] = {
    "etc": "et cetera",
    "vs": "versus",
    "approx": "approximately",
    "misc": "miscellaneous",
    "govt": "government",
    "incl": "including",
    "esp": "especially",
    "intl": "international",
    "natl": "national",
    "dept": "department",
    "cf": "compare",
    "pp": "pages",
    "viz": "namely",
}
# Abbreviations also expanded without a period.
_NO_DOT_OK: Final = frozenset({"vs", "etc", "approx", "Mr", "Mrs", "Ms", "Jr", "Sr", "Inc", "Ltd", "Corp", "Bros"})
# Abbreviations that often end a sentence; their period then doubles as the full stop.
_FINAL_OK: Final = frozenset(
    {
        "etc",
        "Inc",
        "Ltd",
        "Corp",
        "Co",
        "Jr",
        "Sr",
        "St",
        "Dr",
        "Ave",
        "Blvd",
        "Rd",
        "Ln",
        "Hwy",
        "Bros",
        "Dept",
        "dept",
        "approx",
        "misc",
        "govt",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
    }
)
_DOTTED_SPECIAL: Final[dict[str, str]] = {
    "e.g.": "for example",
    "i.e.": "that is",
    "a.m.": "A M",
    "p.m.": "P M",
    "ph.d.": "P H D",
    "a.k.a.": "A K A",
}
_DOTTED_NOT_FINAL: Final = frozenset({"e.g.", "i.e."})
# Capitalized words that usually start a sentence: after "U.S." or "Inc." they signal that the
# abbreviation's period was also a full stop.
_SENTENCE_STARTERS: Final = _wordset(
    "The A An It Its He She We They I You This That These Those There Here But And So Then In On At For If "
    "When What Why How Who Where Which My Our Their His Her As After Before Also However Now Yes No Please "
    "Thanks Thank Let Today Tomorrow Yesterday Meanwhile Still Even Some Many Most All Each Every Both One "
    "Since While Although Though Because Once Next Finally First Later Instead Otherwise Overall Over Under "
    "About More Only Just Not Nearly Almost With Without To From During Despite Unlike Like Last Another "
    "Other Such Do Does Did Is Are Was Were Will Would Can Could Should May Might Must Have Has Had"
)

_MONTHS: Final[dict[str, int]] = {name.capitalize(): k + 1 for k, name in enumerate(_MONTH_NAMES)}
_MONTH_ABBR: Final[dict[str, int]] = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Sept": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}

_YEAR_PREPS: Final = _wordset(
    "in since by from until till circa ca c year during before after around of spring summer autumn fall winter "
    "early late mid through between class vintage ad bc"
)
# Nouns that mark a preceding four-digit number as a count rather than a year.
_COUNTED_NOUNS: Final = _wordset(
    "people persons men women children kids students employees workers users customers members votes voters "
    "cases deaths copies units items times dollars euros pounds yen points words pages miles feet meters "
    "kilometers years days hours minutes seconds steps calories cars homes houses jobs troops soldiers residents "
    "patients visitors participants respondents households acres tons rooms books files lines rows records images "
    "samples cells species animals birds trees tickets seats fans runs yards games matches companies firms "
    "stores shares bytes characters posts messages emails calls requests downloads views likes followers "
    "passengers flights vehicles boxes bottles cups litres liters gallons"
)

_SPELLED_NUMBERS: Final = frozenset({"911", "999", "112", "411", "311"})
# Symbols after a number that cannot be part of the number's reading.
_PLAIN_FOLLOWERS: Final = frozenset(',;!?)]}"(*')
_ORDINAL_SUFFIXES: Final = frozenset({"st", "nd", "rd", "th"})
_FRACTION_DENOMS: Final = frozenset({2, 3, 4, 5, 6, 8, 10, 12, 16, 32, 64, 100})
_SCALE_SUFFIX: Final[dict[str, str]] = {
    "k": "thousand",
    "K": "thousand",
    "M": "million",
    "B": "billion",
    "bn": "billion",
    "mn": "million",
}
_MONEY_SCALE_SUFFIX: Final[dict[str, str]] = {
    **_SCALE_SUFFIX,
    "m": "million",
    "b": "billion",
    "tn": "trillion",
    "T": "trillion",
}
_SCALE_WORDS: Final = frozenset({"thousand", "million", "billion", "trillion"})

# symbol -> (major singular, major plural, minor singular, minor plural)
_CURRENCIES: Final[dict[str, tuple[str, str, str, str]]] = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
    "¥": ("yen", "yen", "", ""),
    "₹": ("rupee", "rupees", "paisa", "paise"),
}

# Units are only read as units right after a number.  (singular, plural)
_UNITS_EXACT: Final[dict[str, tuple[str, str]]] = {
    "m": ("meter", "meters"),
    "s": ("second", "seconds"),
    "g": ("gram", "grams"),
    "h": ("hour", "hours"),
    "L": ("liter", "liters"),
    "in": ("inch", "inches"),
    "ms": ("millisecond", "milliseconds"),
    "MB": ("megabyte", "megabytes"),
    "Mb": ("megabit", "megabits"),
    "GB": ("gigabyte", "gigabytes"),
    "Gb": ("gigabit", "gigabits"),
    "mL": ("milliliter", "milliliters"),
    "kW": ("kilowatt", "kilowatts"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "mAh": ("milliamp hour", "milliamp hours"),
}
_UNITS_ANYCASE: Final[dict[str, tuple[str, str]]] = {
    "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "km": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "ft": ("foot", "feet"),
    "mi": ("mile", "miles"),
    "yd": ("yard", "yards"),
    "yds": ("yard", "yards"),
    "mph": ("mile per hour", "miles per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "kb": ("kilobyte", "kilobytes"),
    "tb": ("terabyte", "terabytes"),
    "kbps": ("kilobit per second", "kilobits per second"),
    "mbps": ("megabit per second", "megabits per second"),
    "gbps": ("gigabit per second", "gigabits per second"),
    "ml": ("milliliter", "milliliters"),
    "hz": ("hertz", "hertz"),
    "khz": ("kilohertz", "kilohertz"),
    "mhz": ("megahertz", "megahertz"),
    "ghz": ("gigahertz", "gigahertz"),
    "sec": ("second", "seconds"),
    "secs": ("second", "seconds"),
    "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
}
_DOTTED_UNITS: Final = frozenset(
    {"in", "ft", "oz", "lb", "lbs", "yd", "yds", "mi", "sec", "secs", "min", "mins", "hr", "hrs"}
)
_PER_UNITS: Final[dict[str, str]] = {
    "h": "hour",
    "hr": "hour",
    "s": "second",
    "sec": "second",
    "min": "minute",
    "day": "day",
    "d": "day",
    "kg": "kilogram",
    "g": "gram",
    "L": "liter",
    "l": "liter",
    "m": "meter",
    "km": "kilometer",
}
_DEGREE_SCALES: Final[dict[str, str]] = {"F": "fahrenheit", "C": "celsius", "K": "kelvin"}

_INITIALISMS: Final = _wordset(
    "FBI CIA NSA HTML CSS USA US UK EU UN BBC CNN NBC CBS ABC NBA NFL NHL MLB IBM HP CEO CFO CTO COO PhD DNA "
    "RNA ATM API CPU GPU USB PDF URL HTTP HTTPS SQL TV PC AI ML NYC LA DC MIT UCLA IRS NHS UFO FAQ BMW ESPN HBO "
    "MTV VIP DIY ETA IOU IQ ID UAE ICU ER GDP GPS LED LCD SUV USSR IPO IRA RSVP AM FM PM BC AD UV EPA FDA FYI "
    "CEOs IT OS iOS JSON XML AWS MD RV TBA TBD DMV DOJ SEC FCC FTC NIH CDC WHO IMF UNC USC NYU LSU AOL IMO XYZ"
) - {"IT", "WHO", "CEOs", "PhD", "iOS"}
_ACRONYM_WORDS: Final = _wordset(
    "NASA NATO UNESCO UNICEF SCUBA LASER RADAR SONAR AIDS OPEC FIFA NAFTA ASEAN COVID GIF PIN ZIP RAM ROM "
    "CAPTCHA SWAT POTUS SCOTUS FEMA NOAA DARPA NASDAQ ISIS LOL YOLO FOMO NIMBY TESOL ANSI ASCII WASP"
)
_CAPS_SPECIAL: Final[dict[str, str]] = {"OK": "okay", "PhD": "P H D", "iOS": "i O S", "JPEG": "jay peg"}
_COMMON_TWO_LETTER: Final = _wordset(
    "AM AN AS AT BE BY DO GO HE HI IF IN IS IT ME MY NO OF OH ON OR SO TO UP WE YE YO OX AH EH UH UM"
)
_ONSETS: Final = frozenset("bcdfghjklmnpqrstvwxz") | _wordset(
    "bl br ch cl cr dr dw fl fr gl gr kn ph pl pr sc sh sk sl sm sn sp st sw th tr tw wh wr sch scr shr spl "
    "spr str thr squ"
)
_CODAS: Final = frozenset("bcdfgklmnprstvxz") | _wordset(
    "ck ct ft ld lf lk lm lp lt mp nd ng nk nt pt rb rd rk rm rn rp rt sk sp st ch sh th ts ds ps ks ms ns "
    "ls rs gs bs ll ss ff zz nch rch tch ght nth w ws wn wl wd"
)

_REGNAL_NAMES: Final = _wordset(
    "Henry Elizabeth Louis George Edward Charles William James Richard Mary Anne Victoria Philip Frederick "
    "Ludwig Napoleon Peter Catherine Alexander Nicholas Ivan Pius Benedict Gregory Leo Paul John Innocent "
    "Clement Urban Alfonso Ferdinand Isabella Wilhelm Otto Rudolf Constantine Ramesses Amenhotep Thutmose "
    "Gustav Christian Olaf Harald Haakon Carl Juan Felipe Francis Sixtus Boniface Stephen David Robert "
    "Malcolm Edmund Harold Matilda Selim Suleiman Mehmed Murad Ptolemy Cleopatra Darius Xerxes"
)
_ROMAN_NOUNS: Final = _wordset(
    "war chapter part volume vol act scene book phase type class league episode section article appendix "
    "stage level grade tier round bowl edition title amendment division series mark mk unit psalm canto wave "
    "generation category schedule annex plate figure session congress council vatican olympiad"
)
# Multi-letter words that parse as numerals but are usually something else after a capitalized word.
_ROMAN_EXCLUDE: Final = frozenset({"XL", "XXL", "XXXL", "XS", "CV", "CC", "CD", "DC", "MC", "MD", "DVD", "CM"})

_TLDS: Final = _wordset(
    "com org net edu gov io ai dev app info biz co uk ca de fr jp au ly tv xyz nl es ch se ru cn eu nz ie gg fm sh"
)
_SPOKEN_LABELS: Final[dict[str, str]] = {
    "uk": "U K",
    "io": "I O",
    "ai": "A I",
    "tv": "T V",
    "us": "U S",
    "eu": "E U",
    "ca": "C A",
    "de": "D E",
    "fr": "F R",
    "jp": "J P",
    "au": "A U",
    "nz": "N Z",
    "edu": "E D U",
    "nl": "N L",
    "es": "E S",
    "ch": "C H",
    "se": "S E",
    "ru": "R U",
    "cn": "C N",
    "ie": "I E",
    "gg": "G G",
    "fm": "F M",
    "sh": "S H",
    "ly": "L Y",
}
_URL_SYMBOLS: Final[dict[str, str]] = {
    ".": "dot",
    "/": "slash",
    "-": "dash",
    "_": "underscore",
    "?": "question mark",
    "=": "equals",
    "&": "and",
    "%": "percent",
    "#": "hash",
    "~": "tilde",
    ":": "colon",
    "+": "plus",
    "@": "at",
}
_EMAIL_SYMBOLS: Final = frozenset("._-+")
_URL_TRAILING: Final = frozenset(".,!?:;'\"")

# --------------------------------------------------------------------------------------------------
# Character cleaning
# --------------------------------------------------------------------------------------------------

# Kept as themselves (the run scanner treats them as symbols); everything else non-ASCII is mapped.
_KEEP_SYMBOLS: Final = frozenset("°£€¢¥₹—×÷±")
_CHAR_MAP: Final[dict[str, str]] = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2212": "-",
    "\u2015": "\u2014",
    "\u00df": "ss",
    "\u1e9e": "SS",
    "\u00e6": "ae",
    "\u00c6": "AE",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u00f8": "o",
    "\u00d8": "O",
    "\u0142": "l",
    "\u0141": "L",
    "\u0111": "d",
    "\u0110": "D",
    "\u00f0": "d",
    "\u00d0": "D",
    "\u00fe": "th",
    "\u00de": "Th",
    "\u0131": "i",
    "\u00b2": " squared",
    "\u00b3": " cubed",
    "\u2122": "",
    "\u2120": "",
    "\u00ae": "",
    "\u00a9": "",
    "\u2022": " ",
    "\u00b7": " ",
}
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


def _clean(text: str) -> tuple[str, list[int] | None]:
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


class _Run(NamedTuple):
    kind: str  # "L" letters, "D" digits, "S" whitespace, "P" one symbol, possibly repeated ("...")
    text: str
    start: int  # offsets in the original text
    end: int


# One single-class quantifier per alternative: linear, no catastrophic backtracking.  The last
# alternative is one symbol repeated ("...", "!!!"); its backreference cannot backtrack either.
_RUN_RE: Final = re.compile(r"(?P<L>[A-Za-z]+)|(?P<D>[0-9]+)|(?P<S>\s+)|(?P<P>(?P<c>.)(?P=c)*)", re.DOTALL)


def _scan(cleaned: str, index: list[int] | None, length: int) -> list[_Run]:
    if index is None:
        return [_Run(m.lastgroup or "P", m.group(), m.start(), m.end()) for m in _RUN_RE.finditer(cleaned)]
    runs = []
    size = len(cleaned)
    for m in _RUN_RE.finditer(cleaned):
        a, b = m.span()
        # Swallow removed characters (combining accents, zero-width marks) that follow the run.
        end = max(index[b - 1] + 1, index[b]) if b < size else length
        runs.append(_Run(m.lastgroup or "P", m.group(), index[a], end))
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
        if text in _PUNCT_RANK:
            if not out:
                continue
            if last_punct:
                prev = out[-1]
                mark = text if _PUNCT_RANK[text] > _PUNCT_RANK[prev.text] else prev.text
                out[-1] = NormToken(mark, prev.start, max(prev.end, tok.end))
            else:
                out.append(tok)
                last_punct = True
            continue
        clean = _sanitize(text)
        if clean:
            out.append(tok if clean is text else NormToken(clean, tok.start, tok.end))
            last_punct = False
    return out


# --------------------------------------------------------------------------------------------------
# The rule engine
# --------------------------------------------------------------------------------------------------


class _Num(NamedTuple):
    digits: str  # integer part without separators
    frac: str | None  # digits after the decimal point
    end: int  # index of the first run after the number
    comma: bool  # written with thousands separators


class _Normalizer:
    """One pass over the runs of one input; every rule looks ahead/behind a bounded number of runs."""

    def __init__(self, runs: list[_Run]) -> None:
        self.runs = runs
        self.n = len(runs)
        self.out: list[NormToken] = []
        # Run indexes of "@" so e-mail detection is a bisect, not a scan.
        self.at_runs = [k for k, r in enumerate(runs) if r.kind == "P" and r.text == "@"]

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
        return aggressive or nxt.text in _SENTENCE_STARTERS

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
                if "\n" in r.text and self.out and self.out[-1].text not in _PUNCT_RANK:
                    self.punct(".", r.start, r.end)
                i += 1
            else:
                i = self.symbol(i)
        return _finish(self.out)

    # ---- numbers -------------------------------------------------------------------------------

    def parse_num(self, i: int) -> _Num:
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
        return _Num(digits, frac, j, comma)

    @staticmethod
    def num_words(num: _Num) -> str:
        words = _int_words(num.digits)
        if num.frac is not None:
            words += " point " + _spell_digits(num.frac)
        return words

    def digits(self, i: int) -> int:
        runs = self.runs
        r = runs[i]
        nxt = runs[i + 1] if i + 1 < self.n else None
        if (
            len(r.text) < 4
            and (nxt is None or (nxt.kind == "P" and nxt.text[0] in _PLAIN_FOLLOWERS))
            and not (nxt is not None and nxt.text == "," and self.kind(i + 2) == "D" and len(runs[i + 2].text) == 3)
            and r.text not in _SPELLED_NUMBERS
            and not self.at_runs
        ):
            # Fast path for a short number followed by plain punctuation (and hostile "1,1,1,...").
            self.word(_int_words(r.text), r.start, r.end)
            return i + 1
        if self.at_runs:
            j = self.email(i)
            if j is not None:
                return j
        if nxt is not None:
            if nxt.kind == "P":
                c = nxt.text
                j = None
                if c in ("-", "."):
                    j = self.phone(i)
                if j is None and c == "-":
                    j = self.iso_date(i)
                elif j is None and c == "/":
                    j = self.slash(i)
                elif j is None and c == ":":
                    j = self.clock(i)
                elif j is None and c == ".":
                    j = self.version_chain(i)
                if j is not None:
                    return j
            elif nxt.kind == "S":
                j = self.phone(i) if len(nxt.text) == 1 and len(runs[i].text) == 3 else None
                if j is None:
                    j = self.mixed_fraction(i)
                if j is not None:
                    return j
        return self.quantity(i)

    def quantity(self, i: int, prefix: str = "", start: int | None = None) -> int:
        """A number with its suffixes: ordinal, plural, range, %, unit, degrees, am/pm, currency."""
        runs = self.runs
        num = self.parse_num(i)
        j = num.end
        digits = num.digits
        s = runs[i].start if start is None else start
        pre = f"{prefix} " if prefix else ""
        plain = num.frac is None and not num.comma
        short = len(digits) <= _MAX_CARDINAL_DIGITS
        kj = self.kind(j)
        if digits in _SPELLED_NUMBERS and plain and not prefix:
            self.word(_spell_digits(digits), s, runs[j - 1].end)  # emergency numbers are said digit by digit
            return j
        if kj == "" or (kj == "P" and runs[j].text[0] in _PLAIN_FOLLOWERS):
            # Fast path (most numbers, and hostile "1,1,1,..."): nothing after the number can modify it.
            if plain and not prefix and len(digits) == 4 and digits[0] != "0" and self.is_year(i, j):
                self.word(_year_words(int(digits)), s, runs[j - 1].end)
            else:
                self.word(pre + self.num_words(num), s, runs[j - 1].end)
            return j
        if kj == "L" and num.frac is None and short:
            t = runs[j].text
            if t.lower() in _ORDINAL_SUFFIXES:  # 1st, 22nd, 103rd
                self.word(pre + _ordinal(_int_words(digits)), s, runs[j].end)
                return j + 1
            if t == "s" and plain:  # 1990s, 90s, 5s
                self.word(pre + _plural(self.decade_words(digits)), s, runs[j].end)
                return j + 1
        if plain and short and self.is_p(j, "'") and self.kind(j + 1) == "L" and runs[j + 1].text == "s":
            self.word(pre + _plural(self.decade_words(digits)), s, runs[j + 1].end)
            return j + 2
        if (
            plain
            and not prefix
            and len(digits) <= 2
            and 1 <= int(digits) <= 31
            and self.is_space(j)
            and self.kind(j + 1) == "L"
            and runs[j + 1].text in _MONTHS
        ):
            # "15 March" -> "the fifteenth of march"
            self.word(f"the {_ordinal(_cardinal(int(digits)))} of", s, runs[i].end)
            return j
        is_one = digits == "1" and num.frac is None
        words: str | None = None
        if self.is_p(j, "-") and self.kind(j + 1) == "D":  # 10-20, 3-2, 1990-1995
            num2 = self.parse_num(j + 1)
            w1, w2 = self.num_words(num), self.num_words(num2)
            if plain and len(digits) == 4 and 1000 <= int(digits) <= 2099:
                w1 = _year_words(int(digits))
                d2 = num2.digits
                if num2.frac is None and not num2.comma and len(d2) == 4 and 1000 <= int(d2) <= 2099:
                    w2 = _year_words(int(d2))
            words = f"{w1} to {w2}"
            is_one = False
            j = num2.end
        elif kj == "L" and runs[j].text in ("x", "X") and self.kind(j + 1) == "D" and num.frac is None:
            num2 = self.parse_num(j + 1)  # 1920x1080
            words = f"{self.num_words(num)} by {self.num_words(num2)}"
            is_one = False
            j = num2.end
        else:
            k = j + 1 if self.is_space(j) else j
            if self.kind(k) == "P" and runs[k].text in ("¢", "€", "£"):  # 50¢, 20 €
                sym = runs[k].text
                if sym == "¢":
                    money = f"{self.num_words(num)} {'cent' if is_one else 'cents'}"
                else:
                    money = self.money_words(num, sym)
                self.word(pre + money, s, runs[k].end)
                return k + 1
            if plain and len(digits) <= 2 and 1 <= int(digits) <= 12:
                ampm = self.ampm(j)
                if ampm is not None:
                    spoken, after, final_dot = ampm
                    return self.emit_with_dot(pre + f"{_cardinal(int(digits))} {spoken}", s, after, final_dot)
        suffix = self.unit_suffix(j, is_one)
        if suffix is not None:
            unit_words, j = suffix
            if words is None:
                words = self.num_words(num)
            words = f"{words} {unit_words}"
        elif words is None:
            if plain and not prefix and len(digits) == 4 and digits[0] != "0" and self.is_year(i, j):
                words = _year_words(int(digits))
            else:
                words = self.num_words(num)
        self.word(pre + words, s, runs[j - 1].end)
        return j

    def emit_with_dot(self, spoken: str, start: int, after: int, final_dot: int | None) -> int:
        runs = self.runs
        if final_dot is None:
            self.word(spoken, start, runs[after - 1].end)
        else:
            self.word(spoken, start, runs[final_dot].start)
            self.punct(".", runs[final_dot].start, runs[final_dot].end)
        return after

    @staticmethod
    def decade_words(digits: str) -> str:
        if len(digits) == 4 and digits[0] != "0":
            return _year_words(int(digits))
        return _int_words(digits)

    def is_year(self, i: int, j: int) -> bool:
        value = int(self.runs[i].text)
        if self.year_context(i):
            return 1000 <= value <= 2999
        if not 1100 <= value <= 2099:
            return False
        following = self.next_word(j)
        return following is None or following not in _COUNTED_NOUNS

    def year_context(self, i: int) -> bool:
        runs = self.runs
        k = self.prev_word(i)
        if k is not None:
            t = runs[k].text
            return t.lower() in _YEAR_PREPS or t in _MONTHS or t in _MONTH_ABBR
        # "Jan. 2000", "March 3, 2000", "Jan. 1, 2000"
        k = i - 1
        if not self.is_space(k):
            return False
        k -= 1
        if self.is_p(k, ",") and self.kind(k - 1) == "D" and len(runs[k - 1].text) <= 2:
            k -= 2
            if not self.is_space(k):
                return False
            k -= 1
        if self.is_p(k, "."):
            k -= 1
        return self.kind(k) == "L" and (runs[k].text in _MONTHS or runs[k].text in _MONTH_ABBR)

    def unit_suffix(self, j: int, is_one: bool) -> tuple[str, int] | None:
        """Percent, degrees, scale letters (5K) and units (kg, km/h, GB) after a number at run j."""
        runs = self.runs
        spaced = self.is_space(j)
        k = j + 1 if spaced else j
        if k >= self.n:
            return None
        r = runs[k]
        if r.kind == "P":
            if r.text == "%":
                return "percent", k + 1
            if r.text == "°":
                words = "degree" if is_one else "degrees"
                m = k + 2 if self.is_space(k + 1) else k + 1
                if self.kind(m) == "L" and runs[m].text in _DEGREE_SCALES:
                    return f"{words} {_DEGREE_SCALES[runs[m].text]}", m + 1
                return words, k + 1
            return None
        if r.kind != "L":
            return None
        t = r.text
        if not spaced and t in _SCALE_SUFFIX:
            return _SCALE_SUFFIX[t], k + 1
        if not spaced and t == "x" and self.kind(k + 1) != "D":
            return "times", k + 1  # 10x faster
        unit = _UNITS_EXACT.get(t) or _UNITS_ANYCASE.get(t.lower())
        if unit is None:
            return None
        if t == "s" and not spaced:
            return None
        if t == "in":  # "5 in." is inches, "5 in the box" is a preposition
            m = k + 2 if self.is_space(k + 1) else k + 1
            if self.kind(m) in ("L", "D"):
                return None
        if self.is_p(k + 1, "/") and self.kind(k + 2) == "L" and runs[k + 2].text in _PER_UNITS:
            per = _PER_UNITS[runs[k + 2].text]
            return f"{unit[0] if is_one else unit[1]} per {per}", k + 3
        if self.kind(k + 1) == "D":  # "5 m2" style codes are not units
            return None
        spoken = unit[0] if is_one else unit[1]
        if t in _DOTTED_UNITS and self.is_p(k + 1, ".") and not self.period_ends_sentence(k + 1):
            return spoken, k + 2  # "12 in. long": the period belongs to the abbreviation
        return spoken, k + 1

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

    def money_words(self, num: _Num, sym: str) -> str:
        major1, major_n, minor1, minor_n = _CURRENCIES[sym]
        ip = num.digits
        iw = _int_words(ip)
        major = major1 if ip == "1" else major_n
        if num.frac is None:
            return f"{iw} {major}"
        if minor_n and len(num.frac) <= 2:
            cents = int(num.frac.ljust(2, "0"))
            parts = []
            if ip.strip("0") or cents == 0:
                parts.append(f"{iw} {major}")
            if cents:
                parts.append(f"{_cardinal(cents)} {minor1 if cents == 1 else minor_n}")
            return " and ".join(parts)
        return f"{self.num_words(num)} {major_n}"

    def currency(self, i: int, prefix: str = "", start: int | None = None) -> int:
        """$5.99, £20, €1.50, $1.5 billion, $5m, $10-20."""
        runs = self.runs
        sym = runs[i].text
        num = self.parse_num(i + 1)
        j = num.end
        s = runs[i].start if start is None else start
        pre = f"{prefix} " if prefix else ""
        major_n = _CURRENCIES[sym][1]
        scale = None
        if self.kind(j) == "L" and runs[j].text in _MONEY_SCALE_SUFFIX:
            scale = _MONEY_SCALE_SUFFIX[runs[j].text]
            j += 1
        elif self.is_space(j) and self.kind(j + 1) == "L" and runs[j + 1].text.lower() in _SCALE_WORDS:
            scale = runs[j + 1].text.lower()
            j += 2
        if scale is not None:
            words = f"{self.num_words(num)} {scale} {major_n}"
        elif self.is_p(j, "-") and self.kind(j + 1) == "D":
            num2 = self.parse_num(j + 1)
            words = f"{self.num_words(num)} to {self.money_words(num2, sym)}"
            j = num2.end
        else:
            words = self.money_words(num, sym)
        self.word(pre + words, s, runs[j - 1].end)
        return j

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
            ok = 8 <= sum(shape) <= 15 and len(sep_chars) <= 1
        elif paren:
            ok = shape == [3, 3, 4]
        elif sep_chars == {" "}:
            # "555 123 4567"; a leading 0/1 or a round last group is more likely a list of numbers
            ok = shape == [3, 3, 4] and groups[0][0][0] not in "01" and not groups[2][0].endswith("000")
        elif len(sep_chars) == 1:
            ok = shape in ([3, 3, 4], [1, 3, 3, 4]) or (
                shape == [3, 4] and "-" in sep_chars and int(groups[0][0]) >= 200 and int(groups[1][0]) % 100 != 0
            )
        else:
            ok = False
        if not ok or self.kind(k) == "D":
            return None
        for g, (digits, start, end) in enumerate(groups):
            if g:
                self.punct(",", *seps[g - 1])
            spoken = _spell_digits(digits)
            self.word(f"plus {spoken}" if plus and g == 0 else spoken, start, end)
        return k

    def iso_date(self, i: int) -> int | None:
        """2024-03-15 -> march fifteenth, twenty twenty four (all parts span the whole date)."""
        runs = self.runs
        if not (
            len(runs[i].text) == 4
            and self.kind(i + 2) == "D"
            and len(runs[i + 2].text) == 2
            and self.is_p(i + 3, "-")
            and self.kind(i + 4) == "D"
            and len(runs[i + 4].text) == 2
        ):
            return None
        month, day = int(runs[i + 2].text), int(runs[i + 4].text)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        start, end = runs[i].start, runs[i + 4].end
        self.word(_date_words(month, day), start, end)
        self.punct(",", start, end)
        self.word(_year_words(int(runs[i].text)), start, end)
        return i + 5

    def slash(self, i: int) -> int | None:
        """12/25/2020, 1/2, 3/4 cup, 9/11, 24/7."""
        runs = self.runs
        a_t = runs[i].text
        if self.kind(i + 2) != "D":
            return None
        b_t = runs[i + 2].text
        if len(a_t) > 4 or len(b_t) > 4:
            return None
        a, b = int(a_t), int(b_t)
        if self.is_p(i + 3, "/"):
            if self.kind(i + 4) != "D" or len(a_t) > 2 or len(b_t) > 2 or len(runs[i + 4].text) not in (2, 4):
                return None
            md = _month_day(a, b)
            if md is None:
                return None
            self.word(_date_words(*md), runs[i].start, runs[i + 2].end)
            self.punct(",", runs[i + 3].start, runs[i + 3].end)
            self.word(_short_year(runs[i + 4].text), runs[i + 4].start, runs[i + 4].end)
            return i + 5
        j = i + 3
        md = _month_day(a, b) if len(a_t) <= 2 and len(b_t) <= 2 else None
        if (a, b) == (24, 7):
            words = "twenty four seven"
        elif b in _FRACTION_DENOMS and a >= 1:
            words = _fraction(a, b)
            suffix = self.unit_suffix(j, False)
            if suffix is not None:
                unit_words, j = suffix
                if a < b and (unit := self.singular_unit(j - 1)) is not None:
                    article = "an" if unit[0] in "aeiou" else "a"
                    words = f"{words} of {article} {unit}"
                else:
                    words = f"{words} {unit_words}"
        elif md is not None:
            words = _date_words(*md)
        elif a == b:
            words = f"{_cardinal(a)} {_cardinal(b)}"
        else:
            words = f"{_cardinal(a)} over {_cardinal(b)}"
        self.word(words, runs[i].start, runs[j - 1].end)
        return j

    def singular_unit(self, k: int) -> str | None:
        r = self.runs[k]
        if r.kind != "L":
            return None
        unit = _UNITS_EXACT.get(r.text) or _UNITS_ANYCASE.get(r.text.lower())
        return unit[0] if unit else None

    def mixed_fraction(self, i: int) -> int | None:
        """1 1/2 -> one and a half."""
        runs = self.runs
        if not (
            self.is_space(i + 1)
            and self.kind(i + 2) == "D"
            and self.is_p(i + 3, "/")
            and self.kind(i + 4) == "D"
            and not self.is_p(i + 5, "/")
        ):
            return None
        whole, a_t, b_t = runs[i].text, runs[i + 2].text, runs[i + 4].text
        if len(whole) > 6 or len(a_t) > 2 or len(b_t) > 3:
            return None
        a, b = int(a_t), int(b_t)
        if b not in _FRACTION_DENOMS or not 1 <= a < b:
            return None
        words = f"{_int_words(whole)} and {_fraction(a, b, article=True)}"
        j = i + 5
        suffix = self.unit_suffix(j, False)
        if suffix is not None:
            words = f"{words} {suffix[0]}"
            j = suffix[1]
        self.word(words, runs[i].start, runs[j - 1].end)
        return j

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
            words = _cardinal(hour)
            if minute:
                words += f" oh {_UNDER_1000[minute]}" if minute < 10 else f" {_UNDER_1000[minute]}"
            elif ampm is None:
                words += " o'clock" if hour <= 12 else " hundred"
            if seconds:
                words += f" and {_cardinal(seconds)} {'second' if seconds == 1 else 'seconds'}"
            if ampm is not None:
                spoken, after, final_dot = ampm
                return self.emit_with_dot(f"{words} {spoken}", runs[i].start, after, final_dot)
            self.word(words, runs[i].start, runs[j - 1].end)
            return j
        if len(h_t) <= 3 and len(m_t) <= 3:
            self.word(f"{_int_words(h_t)} to {_int_words(m_t)}", runs[i].start, runs[i + 2].end)
            return i + 3
        return None

    def version_chain(self, i: int) -> int | None:
        """1.2.3 -> one point two point three (one token per part, so spans stay fine-grained)."""
        runs = self.runs
        if not (self.kind(i + 2) == "D" and self.is_p(i + 3, ".") and self.kind(i + 4) == "D"):
            return None
        self.word(_int_words(runs[i].text), runs[i].start, runs[i].end)
        k = i + 1
        while self.is_p(k, ".") and self.kind(k + 1) == "D":
            self.word("point " + _int_words(runs[k + 1].text), runs[k].start, runs[k + 1].end)
            k += 2
        return k

    # ---- symbols -------------------------------------------------------------------------------

    def symbol(self, i: int) -> int:
        runs = self.runs
        r = runs[i]
        text = r.text
        c = text[0]
        single = len(text) == 1
        nk = self.kind(i + 1)
        if c in _PUNCT_RANK:
            if c == "." and single and nk == "D" and self.kind(i - 1) not in ("L", "D"):
                self.word("point " + _spell_digits(runs[i + 1].text), r.start, runs[i + 1].end)  # .5
                return i + 2
            if c == "." and not single:  # ellipsis: a comma-like pause before lowercase, else a stop
                nxt = self.next_word(i + 1)
                self.punct("," if nxt is not None and nxt[0].islower() else ".", r.start, r.end)
                return i + 1
            self.punct(c, r.start, r.end)
            return i + 1
        if c in _CURRENCIES and single and nk == "D":
            return self.currency(i)
        if c == "-":
            return self.hyphen(i)
        if c == "\u2014":
            self.punct(",", r.start, r.end)
            return i + 1
        if c == "+":
            j = self.phone(i) if single else None
            if j is not None:
                return j
            if single and nk == "D" and self.kind(i - 1) not in ("L", "D"):
                return self.quantity(i + 1, "plus", r.start)
            if len(text) <= 3:
                self.word(" ".join(["plus"] * len(text)), r.start, r.end)
            return i + 1
        if c == "(":
            j = self.phone(i) if single else None
            if j is not None:
                return j
            self.punct(",", r.start, r.end)
            return i + 1
        if c in ")[]{}":
            self.punct(",", r.start, r.end)
            return i + 1
        if c == "#" and single:
            if self.kind(i - 1) == "L" and len(runs[i - 1].text) == 1 and runs[i - 1].text in "ABCDEFG":
                self.word("sharp", r.start, r.end)  # C#, F#
                return i + 1
            if nk == "D":
                return self.quantity(i + 1, "number", r.start)
            if nk == "L":
                self.word("hashtag", r.start, r.end)
            return i + 1
        if c == "'" and single and nk == "D" and len(runs[i + 1].text) == 2 and self.kind(i - 1) not in ("L", "D"):
            return self.short_decade(i)
        if (
            c == "/"
            and single
            and nk == "L"
            and (self.kind(i - 1) == "D" or (self.kind(i - 1) == "L" and self.kind(i - 2) == "D"))
        ):
            self.word("per", r.start, r.end)  # $5/month
            return i + 1
        if c in ("~", "<", ">") and single:
            k = i + 2 if self.is_space(i + 1) else i + 1
            if self.kind(k) == "D" or (self.is_p(k, "-") and self.kind(k + 1) == "D"):
                self.word({"~": "approximately", "<": "less than", ">": "greater than"}[c], r.start, r.end)
            return i + 1
        if c == "°":
            k = i + 2 if self.is_space(i + 1) else i + 1
            if self.kind(k) == "L" and runs[k].text in _DEGREE_SCALES:
                self.word(f"degrees {_DEGREE_SCALES[runs[k].text]}", r.start, runs[k].end)
                return k + 1
            self.word("degrees", r.start, r.end)
            return i + 1
        spoken = _SYMBOL_WORDS.get(c)
        if spoken is not None and len(text) <= 2:
            self.word(spoken, r.start, r.end)
        return i + 1

    def hyphen(self, i: int) -> int:
        runs = self.runs
        r = runs[i]
        if len(r.text) > 1:  # "--" is a dash
            self.punct(",", r.start, r.end)
            return i + 1
        pk = self.kind(i - 1)
        nk = self.kind(i + 1)
        after_gap = i == 0 or pk == "S" or (pk == "P" and runs[i - 1].text[0] in "([{/=<>\"'~:,;")
        if after_gap and nk == "D":
            return self.quantity(i + 1, "minus", r.start)
        if after_gap and nk == "P" and runs[i + 1].text == "." and self.kind(i + 2) == "D":  # -.5
            self.word("minus point " + _spell_digits(runs[i + 2].text), r.start, runs[i + 2].end)
            return i + 3
        if after_gap and nk == "P" and runs[i + 1].text in _CURRENCIES and self.kind(i + 2) == "D":
            return self.currency(i + 1, "minus", r.start)
        after_time = (pk == "L" and runs[i - 1].text.lower() in ("am", "pm")) or (
            self.is_p(i - 1, ".") and self.kind(i - 2) == "L" and runs[i - 2].text in ("m", "M")
        )
        if (pk == "D" or after_time) and (
            nk == "D" or (nk == "P" and runs[i + 1].text in _CURRENCIES and self.kind(i + 2) == "D")
        ):
            self.word("to", r.start, r.end)  # 9am-5pm, $5-$10
            return i + 1
        if pk == "S" and nk == "S":
            if self.kind(i - 2) == "D" and self.kind(i + 2) == "D":
                self.word("minus", r.start, r.end)
            else:
                self.punct(",", r.start, r.end)
        return i + 1  # "well-known": the hyphen just separates words

    def short_decade(self, i: int) -> int:
        """'90s -> nineties, '05 -> oh five."""
        runs = self.runs
        digits = runs[i + 1].text
        value = int(digits)
        if self.kind(i + 2) == "L" and runs[i + 2].text == "s":
            words = "two thousands" if value == 0 else _plural(_cardinal(value))
            self.word(words, runs[i].start, runs[i + 2].end)
            return i + 3
        self.word(_short_year(digits), runs[i].start, runs[i + 1].end)
        return i + 2

    # ---- letters -------------------------------------------------------------------------------

    def letters(self, i: int) -> int:
        runs = self.runs
        nt = runs[i + 1].text if self.kind(i + 1) == "P" else ""
        if self.at_runs:
            j = self.email(i)
            if j is not None:
                return j
        if nt in (":", "."):
            j = self.url(i)
            if j is not None:
                return j
        if nt == ".":
            j = self.dotted(i)
            if j is not None:
                return j
        j = self.abbreviation(i)
        if j is None:
            j = self.month(i)
        if j is None:
            j = self.roman(i)
        if j is None and nt == "." and self.kind(i + 2) == "L" and runs[i + 2].text[0].islower():
            j = self.dotted_words(i)
        if j is not None:
            return j
        return self.plain_word(i)

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
        parts = [self.address_part(runs[m]) for m in range(i, k + 1)]
        self.word(" ".join(parts), runs[i].start, runs[k].end)
        return k + 1

    @staticmethod
    def address_part(r: _Run) -> str:
        if r.kind == "L":
            return _label_words(r.text)
        if r.kind == "D":
            return _spell_digits(r.text)
        return _URL_SYMBOLS.get(r.text, "")

    def url(self, i: int) -> int | None:
        """https://www.example.com/path -> example dot com slash path (scheme and www dropped)."""
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
        if self.kind(host) == "L" and runs[host].text.lower() == "www" and self.is_p(host + 1, "."):
            host += 2
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
        for m in range(host, spoken_end):
            r = runs[m]
            if r.kind == "L":
                parts.append(_label_words(r.text))
            elif r.kind == "D":
                parts.append(_int_words(r.text) if len(r.text) <= 4 else _spell_digits(r.text))
            else:
                parts.append(" ".join([_URL_SYMBOLS[r.text[0]]] * len(r.text)))
        self.word(" ".join(parts), runs[i].start, runs[end - 1].end)
        return end

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
                spoken = "street" if after_name or not next_cap or following in _SENTENCE_STARTERS else "saint"
            elif after_name and (not next_cap or following in _SENTENCE_STARTERS):
                spoken = "drive"
            elif has_dot or next_cap:
                spoken = "doctor"
            else:
                return None
            return self.emit_abbrev(spoken, i, dot, spoken in ("street", "drive"))
        if has_dot and len(t) == 1 and t.isupper() and t != "I":  # a middle initial: John F. Kennedy
            return self.emit_abbrev(t, i, dot, True)
        title = _TITLE_ABBR.get(t)
        if title is not None and (has_dot or next_cap or t in _NO_DOT_OK):
            return self.emit_abbrev(title, i, dot, False)
        key = t
        spoken_abbr = _ABBR_CASED.get(t)
        if spoken_abbr is None:
            key = t.lower()
            spoken_abbr = _ABBR_ANYCASE.get(key)
        if spoken_abbr is not None and (has_dot or key in _NO_DOT_OK):
            return self.emit_abbrev(spoken_abbr, i, dot, key in _FINAL_OK, aggressive=key == "etc")
        return None

    def month(self, i: int) -> int | None:
        """March 3rd, Jan. 1, May 5-7; "Jan." alone -> january; "May" alone stays a word."""
        runs = self.runs
        t = runs[i].text
        number = _MONTHS.get(t) or _MONTH_ABBR.get(t)
        if number is None:
            return None
        k = i + 1
        dot = None
        if t in _MONTH_ABBR and self.is_p(k, "."):
            dot = k
            k += 1
        d = k + 1
        if self.is_space(k) and self.kind(d) == "D" and len(runs[d].text) <= 2 and 1 <= int(runs[d].text) <= 31:
            e = d + 1
            blocked = self.kind(e) == "P" and (
                runs[e].text in (":", "/", "%") or (runs[e].text in (".", ",") and self.kind(e + 1) == "D")
            )
            if not blocked:
                day = int(runs[d].text)
                if self.kind(e) == "L" and runs[e].text.lower() in _ORDINAL_SUFFIXES:
                    e += 1
                self.word(_MONTH_NAMES[number - 1], runs[i].start, runs[k - 1].end)
                words = _ordinal(_cardinal(day))
                if (
                    self.is_p(e, "-")
                    and self.kind(e + 1) == "D"
                    and len(runs[e + 1].text) <= 2
                    and 1 <= int(runs[e + 1].text) <= 31
                ):
                    words += f" to {_ordinal(_cardinal(int(runs[e + 1].text)))}"
                    e += 2
                    if self.kind(e) == "L" and runs[e].text.lower() in _ORDINAL_SUFFIXES:
                        e += 1
                self.word(words, runs[d].start, runs[e - 1].end)
                return e
        if dot is not None:
            return self.emit_abbrev(_MONTH_NAMES[number - 1], i, dot, True)
        return None

    def roman(self, i: int) -> int | None:
        """Henry VIII -> henry the eighth; World War II -> world war two; "I", "MIX", "CIVIL" untouched."""
        runs = self.runs
        t = runs[i].text
        if t[0] not in _ROMAN_DIGITS:
            return None
        pk = self.prev_word(i)
        if pk is None or runs[pk].kind != "L":
            return None
        value = _ROMAN_NUMERALS.get(t)
        if value is None:
            return None
        prev = runs[pk].text
        capitalized = prev[0].isupper()
        if prev in _REGNAL_NAMES:
            return self.emit_roman(f"the {_ordinal(_cardinal(value))}", i)
        noun = prev.lower() in _ROMAN_NOUNS
        if t == "I":
            ok = noun and capitalized
        elif len(t) == 1:
            ok = noun and t in ("V", "X")
        else:
            ok = noun or (
                capitalized
                and prev[1:].islower()
                and value <= 100
                and t not in _ROMAN_EXCLUDE
                and not (prev in _SENTENCE_STARTERS and self.sentence_initial(pk))
            )
        if not ok:
            return None
        return self.emit_roman(_cardinal(value), i)

    def emit_roman(self, spoken: str, i: int) -> int:
        runs = self.runs
        if self.is_p(i + 1, "'") and self.kind(i + 2) == "L" and runs[i + 2].text == "s":  # Louis XIV's
            self.word(spoken + "'s", runs[i].start, runs[i + 2].end)
            return i + 3
        self.word(spoken, runs[i].start, runs[i].end)
        return i + 1

    def dotted_words(self, i: int) -> int:
        """node.js, file.txt -> node dot js, file dot txt."""
        runs = self.runs
        parts = [_label_words(runs[i].text)]
        k = i + 1
        while self.is_p(k, ".") and self.kind(k + 1) == "L" and runs[k + 1].text[0].islower():
            parts.append("dot")
            parts.append(_label_words(runs[k + 1].text))
            k += 2
        self.word(" ".join(parts), runs[i].start, runs[k - 1].end)
        return k

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
            letters = _spell_caps(base, amp)
            spoken = letters + tail.lower() if letters else (base + tail).lower()
        elif len(base) >= 3 and base[-1] == "s" and base[:-1].isupper() and not tail:
            letters = _spell_caps(base[:-1], amp)  # CEOs, URLs -> C E O's, U R L's
            spoken = letters + "'s" if letters else base.lower()
        elif (
            len(base) == 1
            and base.isupper()
            and not tail
            and (
                amp
                or base not in ("A", "I")
                or (self.is_space(i - 1) and self.single_capital(i - 2))
                or (self.is_space(i + 1) and self.single_capital(i + 2))
            )
        ):
            spoken = base  # a letter name: Plan B, vitamin C, "I B M" spelled out
        else:
            spoken = (base + tail).lower()
        self.word(spoken, runs[i].start, runs[k - 1].end)
        return k


_SYMBOL_WORDS: Final[dict[str, str]] = {
    "&": "and",
    "@": "at",
    "=": "equals",
    "%": "percent",
    "×": "times",
    "÷": "divided by",
    "±": "plus or minus",
}


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


def _label_words(label: str) -> str:
    """One label of a URL or e-mail address."""
    low = label.lower()
    spoken = _SPOKEN_LABELS.get(low)
    if spoken is not None:
        return spoken
    if len(low) == 1 or (len(low) <= 5 and not any(c in "aeiouy" for c in low)):
        return " ".join(low.upper())
    return low


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------


def normalize_tokens(text: str) -> list[NormToken]:
    """Spoken tokens for ``text``, each with the [start, end) span of the original text it reads."""
    if not isinstance(text, str):
        raise NormalizationError(f"expected str, got {type(text).__name__}")
    cleaned, index = _clean(text)
    return _Normalizer(_scan(cleaned, index, len(text))).run()


def normalize(text: str) -> str:
    """Spoken form as one string; punctuation is attached to the preceding word ("hello, world.")."""
    parts: list[str] = []
    for tok in normalize_tokens(text):
        if tok.text in _PUNCT_RANK and parts:
            parts[-1] += tok.text
        else:
            parts.append(tok.text)
    return " ".join(parts)
