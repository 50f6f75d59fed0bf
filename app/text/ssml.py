"""A strict SSML subset → runs of text with prosody, pauses and pronunciations.

Supported: <speak>, <p>, <s>, <break time|strength>, <prosody rate|pitch|volume>, <emphasis>,
<say-as interpret-as="characters|spell-out|cardinal|number|ordinal|date|time|telephone">,
<phoneme alphabet="arpabet" ph>, <sub alias>, <mark> (ignored). Anything else is an SsmlError that names
the problem. Parsing uses defusedxml, so entity-expansion bombs and external entities are refused.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from app.text.frontend import parse_arpabet
from app.text.normalize.numbers import MAX_CARDINAL_DIGITS, cardinal, ordinal

MAX_BREAK_S = 10.0
MAX_DEPTH = 32  # element nesting; the walker recurses, and nothing real nests deeper than a few levels
BREAK_STRENGTH = {"none": 0.0, "x-weak": 0.1, "weak": 0.25, "medium": 0.4, "strong": 0.7, "x-strong": 1.0}
RATE_WORDS = {"x-slow": 0.5, "slow": 0.75, "medium": 1.0, "default": 1.0, "fast": 1.25, "x-fast": 1.6}
PITCH_WORDS = {"x-low": -6.0, "low": -3.0, "medium": 0.0, "default": 0.0, "high": 3.0, "x-high": 6.0}
VOLUME_WORDS = {"silent": 0.0, "x-soft": 0.3, "soft": 0.6, "medium": 1.0, "default": 1.0, "loud": 1.4, "x-loud": 1.8}
_NUMBER = re.compile(r"[+-]?\d{1,6}(?:\.\d{1,6})?")


class SsmlError(ValueError):
    pass


@dataclass(frozen=True)
class Prosody:
    rate: float = 1.0
    pitch: float = 0.0  # semitones
    volume: float = 1.0  # linear gain


@dataclass
class Run:
    text: str
    offset: int  # where the text starts in the SSML source (approximate when entities were used)
    lexicon: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class SsmlSegment:
    """Consecutive runs sharing one prosody with no pause between them: one phrase for the engine."""

    runs: list[Run]
    prosody: Prosody
    pause_before: float  # seconds

    @property
    def text(self) -> str:
        return " ".join(r.text for r in self.runs)


@dataclass
class SsmlDocument:
    source: str
    segments: list[SsmlSegment]


def _number(value: str, what: str) -> float:
    m = _NUMBER.fullmatch(value)
    if not m:
        raise SsmlError(f"bad {what} value {value!r}")
    return float(value)


def parse_time(value: str) -> float:
    v = value.strip().lower()
    if v.endswith("ms"):
        seconds = _number(v[:-2], "break time") / 1000.0
    elif v.endswith("s"):
        seconds = _number(v[:-1], "break time")
    else:
        raise SsmlError(f"break time {value!r} needs a unit (ms or s)")
    if not 0 <= seconds <= MAX_BREAK_S:
        raise SsmlError(f"break time {value!r} outside 0..{MAX_BREAK_S:g} s")
    return seconds


def parse_rate(value: str) -> float:
    v = value.strip().lower()
    rate = RATE_WORDS.get(v)
    if rate is None:
        rate = _number(v[:-1], "rate") / 100.0 if v.endswith("%") else _number(v, "rate")
    if not 0.25 <= rate <= 4.0:
        raise SsmlError(f"rate {value!r} outside 25%..400%")
    return rate


def parse_pitch(value: str) -> float:
    v = value.strip().lower()
    if v in PITCH_WORDS:
        return PITCH_WORDS[v]
    if v.endswith("st"):
        st = _number(v[:-2], "pitch")
    elif v.endswith("%"):
        pct = _number(v[:-1], "pitch")
        if pct <= -100:
            raise SsmlError(f"pitch {value!r} too low")
        st = 12.0 * math.log2(1.0 + pct / 100.0)
    else:
        raise SsmlError(f"pitch {value!r}: use x-low..x-high, semitones (+2st) or percent (+10%)")
    if not -12.0 <= st <= 12.0:
        raise SsmlError(f"pitch {value!r} outside -12st..+12st")
    return st


def parse_volume(value: str) -> float:
    v = value.strip().lower()
    if v in VOLUME_WORDS:
        return VOLUME_WORDS[v]
    if v.endswith("db"):
        db = _number(v[:-2], "volume")
        if not -40.0 <= db <= 20.0:
            raise SsmlError(f"volume {value!r} outside -40dB..+20dB")
        return float(10 ** (db / 20.0))
    raise SsmlError(f"volume {value!r}: use silent..x-loud or decibels (+6dB)")


def say_as(text: str, interpret: str, fmt: str | None) -> str:
    """Rewrite say-as content into text the normalizer reads the intended way."""
    content = text.strip()
    if interpret in ("characters", "spell-out", "verbatim"):
        return " ".join(c.upper() if c.isalpha() else c for c in content if not c.isspace())
    if interpret in ("cardinal", "number"):
        return content.replace(",", "")
    if interpret == "ordinal":
        digits = content.replace(",", "")
        if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_CARDINAL_DIGITS:  # "²" is a digit
            raise SsmlError(f"say-as ordinal needs a whole number, got {content!r}")
        return ordinal(cardinal(int(digits)))  # the normalizer's ordinal words ("22nd" reads the same)
    if interpret == "telephone":
        groups = [g for g in re.split(r"[^0-9A-Za-z]+", content) if g]
        return ", ".join(" ".join(g) for g in groups)
    if interpret == "date":
        parts = [p for p in re.split(r"[/.\-]", content) if p]
        order = (fmt or "mdy").lower()
        if len(parts) == 3 and len(order) == 3 and set(order) == set("mdy"):
            by = dict(zip(order, parts, strict=True))
            return f"{by['m']}/{by['d']}/{by['y']}"
        return content
    if interpret == "time":
        return content
    raise SsmlError(f"unsupported say-as interpret-as={interpret!r}")


class _Walker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.cursor = 0
        self.segments: list[SsmlSegment] = []
        self.pause = 0.0

    def locate(self, text: str) -> int:
        """Offset of a text node in the source; text nodes come in document order."""
        probe = text.strip()[:20]
        found = self.source.find(probe, self.cursor) if probe else -1
        if found < 0:
            return self.cursor
        self.cursor = found + len(probe)
        return max(0, found - (len(text) - len(text.lstrip())))  # where the unstripped text starts

    def emit(self, text: str, prosody: Prosody, lexicon: dict[str, list[str]] | None = None) -> None:
        if not text.strip():
            return
        run = Run(text, self.locate(text), lexicon or {})
        last = self.segments[-1] if self.segments else None
        if last is not None and self.pause == 0.0 and last.prosody == prosody:
            last.runs.append(run)
        else:
            self.segments.append(SsmlSegment([run], prosody, self.pause))
        self.pause = 0.0

    def add_pause(self, seconds: float) -> None:
        self.pause += seconds


def _plain(el: ET.Element) -> str:
    return "".join(el.itertext())


def parse_ssml(source: str) -> SsmlDocument:
    try:
        root = SafeET.fromstring(source)
    except (ET.ParseError, DefusedXmlException) as e:
        raise SsmlError(f"not well-formed XML: {e}") from None
    if _tag(root) != "speak":
        raise SsmlError("the root element must be <speak>")
    _check_depth(root)
    walker = _Walker(source)
    _children(walker, root, Prosody())
    if walker.pause > 0:  # a trailing <break/> is kept as silence
        walker.segments.append(SsmlSegment([], Prosody(), walker.pause))
    return SsmlDocument(source, walker.segments)


def _check_depth(root: ET.Element) -> None:
    """Refuse documents nested deeper than MAX_DEPTH before walking them (iteratively: no recursion here)."""
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SsmlError(f"elements nest more than {MAX_DEPTH} deep")
        stack.extend((child, depth + 1) for child in el)


def _tag(el: ET.Element) -> str:
    return el.tag.split("}")[-1] if isinstance(el.tag, str) else ""


def _children(walker: _Walker, el: ET.Element, prosody: Prosody) -> None:
    """Speak el's text, then each child, then each child's tail text with el's prosody."""
    if el.text:
        walker.emit(el.text, prosody)
    for child in el:
        _element(walker, child, prosody)
        if child.tail:
            walker.emit(child.tail, prosody)


def _element(walker: _Walker, el: ET.Element, prosody: Prosody) -> None:
    tag = _tag(el)
    if tag in ("p", "s", "emphasis", "mark"):
        if tag in ("p", "s") and walker.segments:
            walker.add_pause(0.5 if tag == "p" else 0.2)
        _children(walker, el, prosody)
    elif tag == "prosody":
        unknown = set(el.attrib) - {"rate", "pitch", "volume"}
        if unknown:
            raise SsmlError(f"unsupported prosody attribute(s): {', '.join(sorted(unknown))}")
        new = Prosody(
            prosody.rate * parse_rate(el.attrib["rate"]) if "rate" in el.attrib else prosody.rate,
            prosody.pitch + parse_pitch(el.attrib["pitch"]) if "pitch" in el.attrib else prosody.pitch,
            prosody.volume * parse_volume(el.attrib["volume"]) if "volume" in el.attrib else prosody.volume,
        )
        if not 0.25 <= new.rate <= 4.0 or not -12.0 <= new.pitch <= 12.0:
            raise SsmlError("nested prosody goes outside the supported range")
        _children(walker, el, new)
    elif tag == "break":
        if "time" in el.attrib:
            walker.add_pause(parse_time(el.attrib["time"]))
        else:
            strength = el.attrib.get("strength", "medium")
            if strength not in BREAK_STRENGTH:
                raise SsmlError(f"unknown break strength {strength!r}")
            walker.add_pause(BREAK_STRENGTH[strength])
    elif tag == "say-as":
        kind = el.attrib.get("interpret-as")
        if not kind:
            raise SsmlError("say-as needs interpret-as")
        walker.emit(say_as(_plain(el), kind, el.attrib.get("format")), prosody)
    elif tag == "phoneme":
        alphabet = el.attrib.get("alphabet", "arpabet").lower()
        if alphabet not in ("arpabet", "x-arpabet", "cmu"):
            raise SsmlError(f"phoneme alphabet {alphabet!r} unsupported (use arpabet)")
        if "ph" not in el.attrib:
            raise SsmlError("phoneme needs ph")
        try:
            phones = parse_arpabet(el.attrib["ph"])
        except ValueError as e:
            raise SsmlError(f"phoneme ph: {e}") from None
        words = re.findall(r"[A-Za-z']+", _plain(el)) or ["phoneme"]
        # the whole pronunciation goes on the first word; the rest of the content is silent
        lexicon: dict[str, list[str]] = {w.lower(): [] for w in words[1:]} | {words[0].lower(): phones}
        walker.emit(" ".join(words), prosody, lexicon)
    elif tag == "sub":
        if "alias" not in el.attrib:
            raise SsmlError("sub needs alias")
        walker.emit(el.attrib["alias"], prosody)
    else:
        raise SsmlError(f"unsupported SSML element <{tag}>")
