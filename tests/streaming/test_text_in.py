"""Text in: pieces of text -> phrases with offsets into what the client sent, bounded, punctuation skipped."""

from __future__ import annotations

import pytest

from app.streaming.text_in import TextIn, TextLimitExceeded

PIECES = ["Hel", "lo world", ", this is ", "a streaming", " test. How", " are you", " today?  ", "... ", "Fine."]


def test_phrases_point_into_the_received_text() -> None:
    text_in = TextIn()
    received = "".join(PIECES)
    pieces = [p for chunk in PIECES for p in text_in.push(chunk)] + text_in.flush()
    assert pieces, "no phrase came out"
    for piece in pieces:
        assert received[piece.offset : piece.offset + len(piece.text)] == piece.text
    assert [p.offset for p in pieces] == sorted(p.offset for p in pieces)
    assert "..." not in [p.text.strip() for p in pieces]  # punctuation-only: silence, not a phrase
    assert pieces[-1].text.strip() == "Fine."


def test_a_sentence_comes_out_before_the_stream_ends() -> None:
    text_in = TextIn()
    out = text_in.push("The first sentence is here. And the sec")
    assert [p.text.strip() for p in out] == ["The first sentence is here."]


def test_text_waiting_to_be_spoken_is_bounded_until_it_is_spoken() -> None:
    text_in = TextIn(max_chars=40)
    [piece] = text_in.push("Twenty characters!! ")  # one phrase handed out, 20 characters
    text_in.push("x" * 15)
    with pytest.raises(TextLimitExceeded):
        text_in.push("y" * 10)
    text_in.spoken(piece)  # the engine finished it: room again
    text_in.push("y" * 10)


def test_run_on_text_starts_a_phrase_at_the_buffer_length() -> None:
    from app.streaming.text_in import Buffering

    words = "we could walk down to the river and watch the boats go by while the sun sets slowly ".split()
    text_in = TextIn(buffering=Buffering(chars=40, delay_ms=None))
    pieces = [p for w in words for p in text_in.push(w + " ")]
    assert pieces and pieces[0].text == "we could walk down to the river"
    assert not TextIn(buffering=Buffering(chars=None, delay_ms=None)).push(" ".join(words))  # off: waits


def test_force_releases_complete_words_only() -> None:
    text_in = TextIn()
    assert text_in.push("the quick brown fo") == []
    assert [p.text for p in text_in.force()] == ["the quick brown"]
    assert text_in.pending
