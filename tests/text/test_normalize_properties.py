"""Property tests: the normalizer accepts any Unicode text and keeps its output contract."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.text.normalize import NormalizationError, NormToken, normalize, normalize_tokens

PUNCT = frozenset(".,?!;:")
WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'")

# Every code point, surrogates and unassigned ones included.
ANY_CHAR = st.characters(blacklist_categories=())
# Text built from the pieces the rules look for, so the rules (not just the noise filters) get exercised.
FRAGMENTS = st.sampled_from(
    [
        "Dr.",
        "St.",
        "U.S.",
        "e.g.",
        "etc.",
        "No.",
        "Henry",
        "VIII",
        "War",
        "II",
        "I",
        "in",
        "1998",
        "1,000",
        "3.5",
        "$",
        "£",
        "€",
        "¢",
        "%",
        "°F",
        "pm",
        "a.m.",
        "kg",
        "km/h",
        "Jan.",
        "March",
        "https://",
        "www.",
        ".com",
        "@",
        "FBI",
        "NASA",
        "Chapter",
        "1st",
        "'90s",
        "-",
        "/",
        ":",
        "x",
        "12/25/2020",
        "2024-03-15",
        "(555)",
        "555-1234",
        "+1",
        "#",
        "&",
        "...",
        "!!",
        "\u2014",
        "\u2019",
        "\u00bd",
        "\u200b",
        "\U0001f600",
        "caf\u00e9",
        "\ud800",
        "\x00",
        "\n\n",
        " ",
        " ",
        "0",
        "7",
        "42",
    ]
)
MIXED = st.lists(st.one_of(FRAGMENTS, st.text(ANY_CHAR, max_size=3)), max_size=12).map("".join)

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_tokens(text: str, tokens: list[NormToken]) -> None:
    previous_start = 0
    previous_was_punct = True  # punctuation never leads
    for tok in tokens:
        assert 0 <= tok.start <= tok.end <= len(text)
        assert tok.start >= previous_start
        previous_start = tok.start
        if tok.text in PUNCT:
            assert not previous_was_punct
            previous_was_punct = True
            continue
        previous_was_punct = False
        words = tok.text.split(" ")
        assert all(words), f"empty word or double space in {tok.text!r}"
        for word in words:
            assert set(word) <= WORD_CHARS, word
            assert word.strip("'") == word, word


def _tokens_or_error(text: str) -> list[NormToken] | None:
    try:
        return normalize_tokens(text)
    except NormalizationError:
        return None


@SETTINGS
@given(st.text(ANY_CHAR, max_size=60))
def test_any_unicode_text_keeps_the_contract(text: str) -> None:
    tokens = _tokens_or_error(text)
    if tokens is not None:
        _check_tokens(text, tokens)


@SETTINGS
@given(MIXED)
def test_rule_shaped_text_keeps_the_contract(text: str) -> None:
    tokens = _tokens_or_error(text)
    if tokens is not None:
        _check_tokens(text, tokens)


@SETTINGS
@given(st.text(st.characters(codec="ascii"), max_size=80))
def test_normalize_joins_tokens(text: str) -> None:
    tokens = _tokens_or_error(text)
    if tokens is None:
        return
    out = normalize(text)
    assert set(out) <= WORD_CHARS | PUNCT | {" "}
    assert out.replace(" ", "") == "".join(t.text.replace(" ", "") for t in tokens)
    assert "  " not in out and out == out.strip()


@SETTINGS
@given(MIXED)
def test_deterministic(text: str) -> None:
    assert _tokens_or_error(text) == _tokens_or_error(text)
