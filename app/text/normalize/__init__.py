"""English text normalization: written text -> speakable words with source spans.

Design
------
1. ``core.clean`` maps the input, character by character, to a small ASCII-ish alphabet (accents stripped
   with NFKD, curly quotes made ASCII, emoji / other scripts turned into separators, invisible characters
   removed) while remembering, for every cleaned character, the offset of the original character it came
   from.  That index map is what lets every spoken token point back at what the user wrote.
   ``markdown.strip_markdown`` then removes markdown markup (link targets, image and footnote syntax, table
   pipes, bullets, code fences) from the cleaned text, keeping the index map.
2. ``core.scan`` cuts the cleaned text into runs: letters, digits, whitespace, or one repeated symbol.  The
   run regex has one single-class quantifier per alternative, so it cannot backtrack catastrophically.
3. ``normalizer.Normalizer`` walks the runs once (``core.Scanner.run``).  Every rule looks at a bounded
   number of runs around the current one (a handful, at most a few dozen for e-mail addresses) and consumes
   at least one run, so the whole pass is linear in the input length even for hostile input.

The rules are grouped by semiotic class, as NeMo text processing groups its grammars; each class module
adds its rules to the scanner as a mixin, and its word lists live in ``data/<module>.json``:

==================  =======================================================================================
``numbers``         number words every class uses (cardinal, ordinal, digits, years, fractions, plurals)
``core``            cleaning, runs, ``Scanner`` (look-around helpers, the pass), output contract
``cardinal``        numbers with their modifiers: groups, decimals, ordinals, decades, ranges, versions
``money``           currency amounts ("$5.99", "50¢", "$1.5 billion")
``measure``         percent, degrees, scale letters, units after a number
``date``            month + day, ISO and slash dates, years, decades ("'90s")
``time``            clock times, am/pm, colon ratios
``telephone``       phone numbers, digit by digit
``fraction``        slash pairs: fractions, mixed numbers, "24/7", "a over b"
``electronic``      e-mail addresses, URLs, dotted file / package names
``identifier``      digit strings read digit by digit: codes, order / account numbers, IP addresses, "ab7731"
``address``         house, room and route numbers in pairs, street types, directions, states, ZIP codes
``markdown``        the markdown pre-pass (links, images, footnotes, citations, tables, lists, fences)
``abbreviation``    titles, abbreviations, dotted initialisms, "No. 5", St./Dr.
``letters``         initialisms vs acronym words, letter names, contractions, plain words
``roman``           Roman numerals in numbering contexts
``symbol``          punctuation, dashes, brackets and symbols
``normalizer``      the combined scanner and the letter / digit pass order below
==================  =======================================================================================

Pass order
----------
At each run the first class that claims it consumes it (and possibly the runs after it); a rule that does
not match returns ``None`` and the next one is asked.  Whitespace runs only become "." after a word when
they hold a line break.

Letter runs (``Normalizer.letters``):

1. electronic, e-mail -- only when the text has an "@"; first because a local part ("john.doe") would
   otherwise be read as words and abbreviations.
2. electronic, URL -- when a ":" or "." follows: a scheme, "www." or a bare domain with a known TLD, before
   abbreviations so "example.co.uk" is not "example company ...".
3. abbreviation, dotted -- when a "." follows: "e.g.", "U.S.A.", "Ph.D.", before single-word abbreviations
   so the letters are not read as middle initials.
4. abbreviation, shorthand -- "YoY", "EOD", "w/o", "N/A", "TL;DR" (whole runs, case-sensitive).
5. address -- a state code after "City," (with its ZIP), a direction next to a house number or street type,
   a street type after a street name; date, weekday -- "Mon-Fri", "Tue 9am".
6. abbreviation -- "No. 5", St./Dr., middle initials, titles, listed abbreviations.
7. date, month -- a month name or abbreviation, with its day ("March 3rd", "Jan. 1", "aug 3"), a month range
   ("Jan-Mar") or a year ("Nov 2023"); "May" alone stays a word.
8. roman -- after the lexicon matches, because a numeral reading depends on the word before it and "I",
   "MIX", "CIVIL" are mostly words.
9. electronic, dotted words -- "node.js", "file.txt": a "." followed by a lowercase word that nothing above
   claimed.
10. cardinal / identifier -- letters glued to digits: "v2.0" (version), codes ("ab7731", "H2O").
11. letters -- initialisms, acronym words, letter names and plain (possibly contracted) words.

Digit runs (``Normalizer.digits``):

0. cardinal fast path -- a number of up to three digits followed by the end or plain punctuation (and no
   "@" anywhere, no thousands group, not "911", no quote mark after it, and for three digits no identifier or
   house-number word before it): nothing after it can change its reading.  This keeps hostile "1,1,1,..."
   linear.
1. electronic, e-mail -- only with an "@" in the text ("jane99@...").
2. by the symbol right after the number: ``-`` or ``.``: telephone first ("555-123-4567", "555.123.4567",
   "123-45-6789" would otherwise be a range or a version); then ``-`` and ``.``: date (year first
   "2024-03-15", "2021.08.09", or numeric "12-25-2020", "09.08.2021"), ``/``: fraction (which hands
   three-part slashes to date: "12/25/2020", "2021/08/09"), ``:``: time (or a ratio "3:1"), ``.``: IP
   address, a dotted time before am/pm ("7.45 p.m."), version chain ("1.2.3", cardinal).
3. when whitespace follows: telephone if it is one space after three digits ("555 123 4567") or a national
   number with a trunk zero ("020 7946 0018"), then fraction, mixed number ("1 1/2").
4. cardinal ``quantity`` -- everything else: the number with its modifiers, in this order: emergency numbers
   digit by digit; an identifier word before it ("code", "order #", "ending in": identifier, digit by digit,
   with further space-separated groups); feet and inches primes (measure); a version after a product name
   or "version" ("Python 3.12"); a house number before a street name (also one said without a type,
   "3425 Broadway", or the street of a one-line address "12 Elm, Austin, TX") or after "Suite", "Hwy" (address);
   nothing after it (year or cardinal); ordinal suffix ("22nd", "9th August"); a letter-digit code
   ("1Z999AA1"); decade ("1990s", "90's"); a day before a month ("15 March", "14-16 March", "09-Aug-2021");
   a rating after a decimal ("4.5/5"); range ("10-20", years in "1990-1995", "minus" before "=");
   dimensions ("1920x1080", "2 x 4"; "times" in an equation); currency after the number ("50¢", "20 €",
   money); am/pm ("5pm", time); a unit, percent, degrees or scale letter (measure, also after a range:
   "10-20 kg"); otherwise a year (date) or a cardinal.

Symbol runs (``SymbolRules.symbol``) are dispatched on the symbol itself, so the classes never compete: a
currency symbol before digits goes to money; "-" to ``hyphen`` (minus before a number -> cardinal or money,
"to" between numbers or times, else silent or a pause); "+" and "(" try telephone first, then "+5" is
cardinal; "#" before digits is "number" + cardinal; "'" before two digits is a decade or short year (date);
everything else is read by the symbol class.

Choices where English is ambiguous (documented so tests and callers can rely on them):

* Years: a plain four-digit number is read as a year ("nineteen ninety eight") when it follows a year
  word (in, since, by, from, until, during, ...) or a month, or when it lies in 1100-2099 -- unless it is
  followed by a counted noun ("1998 people" stays a cardinal).  Comma-grouped numbers ("1,998") are never
  years.
* Initialisms: known initialisms are spelled ("FBI" -> "F B I"), known acronym words are read as words
  ("NASA" -> "nasa").  Unknown all-capital words are spelled when they have no vowel, when they are two
  letters long and not a common word, or when a 3-4 letter word has an onset/coda consonant cluster that
  English does not allow ("IBM"); otherwise they are read as words.  A capital pronoun or wh-word right after
  a determiner is spelled ("the WHO", "the IT team"); known initialisms are also spelled as lowercase host-name
  labels ("www.irs.gov").  Letters are emitted as capitals so
  the G2P reads letter names; everything else is lowercase.
* Roman numerals are only numbers after a regnal name ("Henry VIII" -> "henry the eighth"), after a
  numbering noun ("World War II", "Chapter IV", "Super Bowl LVIII") or, for multi-letter numerals up to
  100, after another capitalized word ("Rocky II").  A lone "I" is a numeral after a capitalized numbering
  noun or a regnal name ("World War I", "Elizabeth I"), or after another capitalized word when what follows
  cannot follow the pronoun ("Artemis I in 2022", "Artemis I.").
* Slash pairs: "a/b" with b 5 or 10 (or 100 with a two-digit score) is a rating, "a out of b" ("8/10",
  "4.5/5"), unless "of" or a unit follows ("1/10 of a second"); an ordinal suffix makes a fraction and names
  its denominator ("1/8th", "2/3rds", "1/4th" "one fourth"); before "=" it is "divided by".  Otherwise "a/b"
  is a fraction when b is a usual denominator (2, 3, 4, 5, 6, 8, 10, 12, 16, 32, 64, 100), a month/day date
  when that is valid ("9/11"), else "a over b".
* Numeric dates (slashes, dots, dashes) follow ``date_order``: "mdy" (default) reads "09/08/2021" as
  "september eighth, twenty twenty one", "dmy" as "the ninth of august twenty twenty one"; when only the
  other order is valid ("31/12/1999") it is used.  Written months keep their order: "9 August 2021" is "the
  ninth of august twenty twenty one", "August 9, 2021" "august ninth, twenty twenty one".
* Ranges: weekdays read "through" ("Mon-Fri", "Mon.-Fri.", "Mon - Fri": "monday through friday"), months and
  numbers "to".  A weekday abbreviation that is no word ("Mon", "Thu", "FRI") is the weekday wherever it stands
  capitalized; "Sat", "Sun", "Wed" only before a date or time, next to another weekday or after "on", "every", ...
* Lower-case words of three to six letters without a vowel letter are initialisms ("npm", "ssh", "html"),
  unless listed as words ("hmm", "nth", units); known initialisms opening a code span too ("`aws ...`").
* A spaced "/" between operands is "divided by" ("10 / 2 = 5", "(6 + 4) / 2"), a score "out of" ("4 / 5").
* Versions read each part as a number: "Python 3.12" "three point twelve", "v2.0.1" "version two point zero
  point one" (zero, not "oh"); a decimal elsewhere is read digit by digit after the point ("3.14").
* Identifiers are read digit by digit after an identifier word (identifier.json) and in letter-digit codes;
  house, room, suite, box and route numbers in pairs ("1450" "fourteen fifty", "101" "one oh one").
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
  plural ("fives"), "5 s" is seconds; "5K"/"5M"/"5B" are thousand/million/billion before a counted noun
  ("5K users") and after a currency sign, otherwise letters ("10K run", "8K video", "70B model"); a capital
  glued to a number is a letter ("12A"); after "a"/"an" a unit before a noun is singular ("a 5 lb bag");
  "10x" is "ten times"; primes are feet and inches ("5'11\"", also after a decimal: "a 6.1\" screen").
* Several parts read from one source span (ISO dates, whose spoken order differs from the written order)
  all carry that span.  A run of punctuation keeps its strongest mark (? ! . ; : ,).  Invisible
  characters (zero-width, combining marks, controls) are removed without splitting the word around them
  and are covered by the preceding token's span; emoji and other scripts separate words.
"""

from __future__ import annotations

from app.text.normalize.core import PUNCT_RANK, NormalizationError, NormToken, clean, scan
from app.text.normalize.markdown import strip_markdown
from app.text.normalize.normalizer import Normalizer

__all__ = ["NormToken", "NormalizationError", "normalize", "normalize_tokens"]


DATE_ORDERS = ("mdy", "dmy")


def normalize_tokens(text: str, date_order: str = "mdy") -> list[NormToken]:
    """Spoken tokens for ``text``, each with the [start, end) span of the original text it reads.

    ``date_order`` ("mdy" or "dmy") decides all-numeric dates whose first two parts could both be the month
    ("09/08/2021", "09.08.2021"), and how they are read ("september eighth, ..." / "the ninth of august ...").
    """
    if not isinstance(text, str):
        raise NormalizationError(f"expected str, got {type(text).__name__}")
    if date_order not in DATE_ORDERS:
        raise NormalizationError(f"date_order must be one of {DATE_ORDERS}, got {date_order!r}")
    cleaned, index = strip_markdown(*clean(text))
    return Normalizer(scan(cleaned, index, len(text)), date_order).run()


def normalize(text: str, date_order: str = "mdy") -> str:
    """Spoken form as one string; punctuation is attached to the preceding word ("hello, world.")."""
    parts: list[str] = []
    for tok in normalize_tokens(text, date_order):
        if tok.text in PUNCT_RANK and parts:
            parts[-1] += tok.text
        else:
            parts.append(tok.text)
    return " ".join(parts)
