"""SSML subset: structure, prosody, breaks, say-as, phoneme, sub, and clear errors."""

from __future__ import annotations

import pytest

from app.text.ssml import SsmlError, parse_ssml, say_as


def test_plain_speak_is_one_segment() -> None:
    doc = parse_ssml("<speak>Hello there, friend.</speak>")
    assert [s.text for s in doc.segments] == ["Hello there, friend."]
    assert doc.segments[0].pause_before == 0.0


def test_break_splits_with_pause() -> None:
    doc = parse_ssml('<speak>One <break time="750ms"/> two <break strength="strong"/> three</speak>')
    assert [s.text.strip() for s in doc.segments] == ["One", "two", "three"]
    assert [s.pause_before for s in doc.segments] == [0.0, 0.75, 0.7]


def test_trailing_break_kept() -> None:
    doc = parse_ssml('<speak>Done.<break time="2s"/></speak>')
    assert doc.segments[-1].runs == [] and doc.segments[-1].pause_before == 2.0


def test_prosody_nests_and_tails_return_to_parent() -> None:
    doc = parse_ssml('<speak>a <prosody rate="50%" pitch="+2st"><prosody rate="fast">b</prosody> c</prosody> d</speak>')
    got = [(s.text.strip(), s.prosody.rate, s.prosody.pitch) for s in doc.segments]
    assert got == [("a", 1.0, 0.0), ("b", 0.625, 2.0), ("c", 0.5, 2.0), ("d", 1.0, 0.0)]


def test_volume_in_decibels() -> None:
    doc = parse_ssml('<speak><prosody volume="+6dB">loud</prosody></speak>')
    assert doc.segments[0].prosody.volume == pytest.approx(1.995, abs=1e-3)


def test_phoneme_and_sub() -> None:
    doc = parse_ssml(
        '<speak>Say <phoneme alphabet="arpabet" ph="T AH0 M EY1 T OW2">tomato</phoneme> '
        'at the <sub alias="World Wide Web Consortium">W3C</sub>.</speak>'
    )
    runs = doc.segments[0].runs
    assert runs[1].lexicon == {"tomato": ["T", "AH0", "M", "EY1", "T", "OW2"]}
    assert "World Wide Web Consortium" in doc.segments[0].text


def test_offsets_point_into_source() -> None:
    src = "<speak>Hello <break/>world</speak>"
    doc = parse_ssml(src)
    run = doc.segments[1].runs[0]
    assert src[run.offset : run.offset + 5] == "world"


@pytest.mark.parametrize(
    ("kind", "text", "fmt", "expected"),
    [
        ("characters", "abc", None, "A B C"),
        ("spell-out", "IBM", None, "I B M"),
        ("cardinal", "12,345", None, "12345"),
        ("ordinal", "3", None, "third"),
        ("ordinal", "21", None, "twenty first"),
        ("ordinal", "101", None, "one hundred first"),
        ("ordinal", "1,000,002", None, "one million second"),
        ("telephone", "555-123-4567", None, "5 5 5, 1 2 3, 4 5 6 7"),
        ("date", "2020-12-25", "ymd", "12/25/2020"),
        ("date", "25.12.2020", "dmy", "12/25/2020"),
        ("time", "3:30pm", None, "3:30pm"),
    ],
)
def test_say_as(kind: str, text: str, fmt: str | None, expected: str) -> None:
    assert say_as(text, kind, fmt) == expected


@pytest.mark.parametrize(
    ("ssml", "message"),
    [
        ("<speak>unclosed", "well-formed"),
        ("<voice>hi</voice>", "root element"),
        ("<speak><audio src='x'/>hi</speak>", "<audio>"),
        ('<speak><break time="5"/></speak>', "unit"),
        ('<speak><break time="99s"/></speak>', "outside"),
        ('<speak><prosody rate="900%">x</prosody></speak>', "rate"),
        ('<speak><prosody pitch="200Hz">x</prosody></speak>', "pitch"),
        ('<speak><prosody duration="2s">x</prosody></speak>', "duration"),
        ('<speak><say-as interpret-as="currency">5</say-as></speak>', "currency"),
        ('<speak><say-as interpret-as="ordinal">2²</say-as></speak>', "whole number"),  # a Unicode digit
        ('<speak><phoneme alphabet="ipa" ph="x">a</phoneme></speak>', "ipa"),
        ('<speak><phoneme ph="QQ1">a</phoneme></speak>', "QQ1"),
        ("<speak><sub>x</sub></speak>", "alias"),
        ('<!DOCTYPE s [<!ENTITY a "aaaa">]><speak>&a;</speak>', "well-formed"),
    ],
)
def test_invalid_ssml_names_the_problem(ssml: str, message: str) -> None:
    with pytest.raises(SsmlError, match=message):
        parse_ssml(ssml)
