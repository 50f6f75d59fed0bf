"""Planning: text and SSML cut into phrases by the same rules, each bounded in characters and phonemes."""

from __future__ import annotations

import pytest

from app.engine.engine import Engine
from app.engine.plan import MAX_PHRASE_CHARS, MAX_PHRASE_PHONEMES, phoneme_budget
from app.engine.types import SPEED_RANGE, SpeechTooLong, SynthesisOptions

LONG_SENTENCE = ", ".join(["the river ran past the old mill and under the stone bridge"] * 8) + "."


def _chars(phrase) -> int:
    return sum(len(text) for text, _ in phrase.runs)


def test_plain_text_phrases_are_sentences_cut_at_clauses(engine: Engine) -> None:
    text = "First sentence here. " + LONG_SENTENCE + " Last one?"
    phrases = engine.plan(text, SynthesisOptions())
    assert phrases[0].runs == [("First sentence here.", 0)]
    assert phrases[-1].runs == [("Last one?", len(text) - len("Last one?"))]
    middle = phrases[1:-1]
    assert len(middle) >= 3 and all(_chars(p) <= MAX_PHRASE_CHARS for p in middle)
    assert "".join(t for p in middle for t, _ in p.runs).replace(" ", "") == LONG_SENTENCE.replace(" ", "")
    for phrase in phrases:  # offsets point at the text they carry
        for run_text, offset in phrase.runs:
            assert text[offset : offset + len(run_text)] == run_text


def test_ssml_is_cut_like_text(engine: Engine) -> None:
    ssml = f"<speak><prosody rate='90%'>{LONG_SENTENCE} And then it stopped.</prosody></speak>"
    phrases = engine.plan(ssml, SynthesisOptions(), ssml=True)
    assert len(phrases) >= 4
    assert all(_chars(p) <= MAX_PHRASE_CHARS for p in phrases)
    assert all(p.speed == pytest.approx(0.9) for p in phrases)
    assert phrases[-1].runs[0][0] == "And then it stopped."


def test_ssml_pauses_stay_before_their_segment(engine: Engine) -> None:
    ssml = f"<speak>Hello there.<break time='700ms'/>{LONG_SENTENCE}</speak>"
    phrases = engine.plan(ssml, SynthesisOptions(), ssml=True)
    assert [p.pause_before for p in phrases[:3]] == [0.0, pytest.approx(0.7), 0.0]


def test_long_lexicon_pronunciations_bound_the_phrase_in_phonemes(engine: Engine) -> None:
    long_a = ["AA1", "B", "K", "D"] * 10  # 40 phonemes, the most one entry may have
    phrases = engine.plan("a " * 50 + ".", SynthesisOptions(lexicon={"a": long_a}))
    assert len(phrases) >= 7  # 2 000 phonemes in one 101-character sentence
    for phrase in phrases:
        assert len(phrase.analyze(engine.frontend).symbols) <= MAX_PHRASE_PHONEMES + 2  # + the pauses at the ends


def test_numbers_that_read_out_long_are_cut_too(engine: Engine) -> None:
    phrases = engine.plan("999999999999999 " * 12, SynthesisOptions())
    assert len(phrases) >= 2
    assert all(len(p.analyze(engine.frontend).symbols) <= MAX_PHRASE_PHONEMES + 2 for p in phrases)


def test_duration_estimate_counts_silence(engine: Engine) -> None:
    ssml = "<speak>hi" + '<break time="10s"/>' * 100 + "</speak>"
    with pytest.raises(SpeechTooLong) as refused:
        engine.plan(ssml, SynthesisOptions(), ssml=True)
    assert refused.value.code == "audio_too_long"
    slow = "Short and sweet. " * 300
    engine.plan(slow, SynthesisOptions())  # 900 words at speed 1: about 5 minutes
    with pytest.raises(SpeechTooLong):
        engine.plan(slow, SynthesisOptions(speed=0.25))  # four times as long: over 15 minutes


@pytest.mark.parametrize("text", ["\u2103" * 220, "\u00bd" * 220, "1%" * 110, "W " * 110])
def test_tokens_that_expand_are_cut_inside_too(engine: Engine, text: str) -> None:
    """No spaces to cut at, or letters that read as long names: analysis stays within the phrase bound."""
    for phrase in engine.plan(text, SynthesisOptions()):
        assert len(phrase.analyze(engine.frontend).symbols) <= MAX_PHRASE_PHONEMES + 2


def test_an_ssml_pronunciation_counts_wherever_its_word_is_read(engine: Engine) -> None:
    long_x = "AA1 " * 40
    ssml = "<speak>" + "x " * 100 + f'<phoneme ph="{long_x}">x</phoneme></speak>'  # 400 bytes
    for phrase in engine.plan(ssml, SynthesisOptions(), ssml=True):
        assert len(phrase.analyze(engine.frontend).symbols) <= MAX_PHRASE_PHONEMES + 2


@pytest.mark.parametrize("speed", [0.25, 0.5])
def test_slower_speech_gets_shorter_phrases(engine: Engine, speed: float) -> None:
    # frames grow as 1 / speed, and the acoustic model's memory with their square
    phrases = engine.plan(LONG_SENTENCE, SynthesisOptions(speed=speed))
    assert len(phrases) > len(engine.plan(LONG_SENTENCE, SynthesisOptions()))
    for phrase in phrases:
        assert len(phrase.analyze(engine.frontend).symbols) <= phoneme_budget(speed) + 2


def test_ssml_rate_and_request_speed_compose_within_the_engine_range(engine: Engine) -> None:
    ssml = "<speak><prosody rate='25%'>Slowly now.</prosody><prosody rate='400%'>Fast now.</prosody></speak>"
    slow, fast = engine.plan(ssml, SynthesisOptions(speed=0.25), ssml=True)
    assert slow.speed == SPEED_RANGE[0]
    assert fast.speed == pytest.approx(1.0)
    assert engine.plan(ssml, SynthesisOptions(speed=4.0), ssml=True)[1].speed == SPEED_RANGE[1]
