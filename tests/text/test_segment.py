"""Sentence splitting and incremental phrase segmentation (app.text.segment)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.text.segment import IncrementalSegmenter, best_break, split_sentences


def _texts(pieces: list[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello there. How are you? I'm fine!", ["Hello there.", "How are you?", "I'm fine!"]),
        (
            "Dr. Smith went to Washington. He arrived at 3.5 p.m. today.",
            ["Dr. Smith went to Washington.", "He arrived at 3.5 p.m. today."],
        ),
        ("Fruits, e.g. apples, i.e. food. Done.", ["Fruits, e.g. apples, i.e. food.", "Done."]),
        ("I live in the U.S. It is big.", ["I live in the U.S.", "It is big."]),
        ("The U.S. Army is big. Yes.", ["The U.S. Army is big.", "Yes."]),
        ("Apples, pears, etc. The end.", ["Apples, pears, etc.", "The end."]),
        ("Pi is 3.14159 roughly. Ok.", ["Pi is 3.14159 roughly.", "Ok."]),
        ("Wait... what? Well... Fine.", ["Wait... what?", "Well...", "Fine."]),
        ("Hmm\u2026 maybe.", ["Hmm\u2026 maybe."]),
        ('He said "Hi." Then left.', ['He said "Hi."', "Then left."]),
        ("(It works.) Next one.", ["(It works.)", "Next one."]),
        ("Para one\n\nPara two", ["Para one", "Para two"]),
        ("Line one\nline two.", ["Line one\nline two."]),
        ("No. 5 is here. No. It isn't.", ["No. 5 is here.", "No.", "It isn't."]),
        (
            "John F. Kennedy was president. Plan B. Then more.",
            ["John F. Kennedy was president.", "Plan B.", "Then more."],
        ),
        ("Meet Mr. and Mrs. Jones at 5 Main St. Then eat.", ["Meet Mr. and Mrs. Jones at 5 Main St.", "Then eat."]),
        ("Visit example.com today. Bye.", ["Visit example.com today.", "Bye."]),
        ("Really?! Yes!!", ["Really?!", "Yes!!"]),
        ("  padded.   ", ["padded."]),
        ("", []),
        ("   \n\n  ", []),
        ("no terminal mark", ["no terminal mark"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_split_sentences_spans_point_into_original() -> None:
    text = "  One.  Two?\n\nThree!"
    assert split_sentences(text) == [(2, 6), (8, 12), (14, 20)]


@settings(max_examples=150, deadline=None)
@given(_texts([*"ab .?!,\n\"'3", "Dr", "U.S", "etc", "e.g", "The"], 40))
def test_split_sentences_spans_are_ordered_and_cover_all_text(text: str) -> None:
    spans = split_sentences(text)
    last = 0
    for a, b in spans:
        assert last <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip()
        last = b
    covered = "".join(text[a:b] for a, b in spans)
    assert covered.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")


def run_stream(pieces: list[str], **kwargs: int) -> list[tuple[str, list[str]]]:
    seg = IncrementalSegmenter(**kwargs)
    events = [(piece, seg.push(piece)) for piece in pieces]
    events.append(("<flush>", seg.flush()))
    return events


def test_llm_token_stream() -> None:
    events = run_stream(["Hello", " there", ".", " How", " are you", "?", " Fine"])
    assert events == [
        ("Hello", []),
        (" there", []),
        (".", []),  # "." at the very end: could still become "3.5" or "U.S."
        (" How", ["Hello there."]),
        (" are you", []),
        ("?", []),
        (" Fine", ["How are you?"]),
        ("<flush>", ["Fine"]),
    ]


def test_decimal_split_across_pieces_is_not_a_boundary() -> None:
    events = run_stream(["It costs 3", ".", "5", " dollars", ". ", "OK"])
    assert events == [
        ("It costs 3", []),
        (".", []),
        ("5", []),
        (" dollars", []),
        (". ", ["It costs 3.5 dollars."]),
        ("OK", []),
        ("<flush>", ["OK"]),
    ]


def test_period_then_space_after_a_number_is_a_boundary() -> None:
    assert run_stream(["It is 3", ". ", "Then"]) == [
        ("It is 3", []),
        (". ", ["It is 3."]),
        ("Then", []),
        ("<flush>", ["Then"]),
    ]


def test_abbreviation_waits_for_the_next_word() -> None:
    events = run_stream(["In the U.S. ", "Arm", "y", " today. ", "More"])
    assert events == [
        ("In the U.S. ", []),
        ("Arm", []),  # "Arm..." might still become a sentence starter word; wait for the whole word
        ("y", []),
        (" today. ", ["In the U.S. Army today."]),
        ("More", []),
        ("<flush>", ["More"]),
    ]


def test_abbreviation_followed_by_sentence_starter_splits() -> None:
    events = run_stream(["I live in the U.S.", " It", " is big."])
    assert events == [
        ("I live in the U.S.", []),
        (" It", []),
        (" is big.", ["I live in the U.S."]),
        ("<flush>", ["It is big."]),
    ]


def test_title_never_ends_a_sentence() -> None:
    assert run_stream(["Dr", ". ", "Smith", " is in."]) == [
        ("Dr", []),
        (". ", []),
        ("Smith", []),
        (" is in.", []),
        ("<flush>", ["Dr. Smith is in."]),
    ]


def test_first_clause_is_fast_then_min_chars_applies() -> None:
    pieces = ["So", ", well", ", I think", ", honestly", ", that this is", " fine."]
    events = run_stream(pieces, min_chars=20)
    assert events == [
        ("So", []),
        (", well", ["So,"]),  # the first phrase ignores min_chars so audio starts early
        (", I think", []),  # "well," is shorter than 20 characters: keep going
        (", honestly", []),
        (", that this is", ["well, I think, honestly,"]),
        (" fine.", []),
        ("<flush>", ["that this is fine."]),
    ]


def test_clause_boundaries_with_default_min_chars() -> None:
    assert run_stream(["one, two; three: four"]) == [
        ("one, two; three: four", ["one,", "two;", "three:"]),
        ("<flush>", ["four"]),
    ]


def test_clause_mark_without_space_is_not_a_boundary() -> None:
    assert run_stream(["Pay 3,000 dollars at 10:30 now"]) == [
        ("Pay 3,000 dollars at 10:30 now", []),
        ("<flush>", ["Pay 3,000 dollars at 10:30 now"]),
    ]


def test_forced_cut_at_last_space_before_max_chars() -> None:
    seg = IncrementalSegmenter(max_chars=20)
    out = seg.push("aaaa bbbb cccc dddd eeee ffff")
    assert out == ["aaaa bbbb cccc dddd"]
    assert seg.flush() == ["eeee ffff"]


def test_forced_cut_inside_one_huge_word() -> None:
    seg = IncrementalSegmenter(max_chars=10)
    assert seg.push("x" * 25) == ["x" * 10, "x" * 10]
    assert seg.flush() == ["x" * 5]


def test_paragraph_and_line_breaks() -> None:
    assert run_stream(["Title\n", "\nBody one\n", "- item"]) == [
        ("Title\n", ["Title"]),
        ("\nBody one\n", ["Body one"]),
        ("- item", []),
        ("<flush>", ["- item"]),
    ]


def test_flush_splits_buffered_sentences_and_resets() -> None:
    seg = IncrementalSegmenter(min_chars=50)
    assert seg.push("One. Two") == ["One."]
    assert seg.flush() == ["Two"]
    assert seg.flush() == []
    # after a flush the next first phrase is fast again
    assert seg.push("Hi, there") == ["Hi,"]


def test_ellipsis_decided_by_next_letter() -> None:
    assert run_stream(["Well...", " maybe", ". Then", " go"]) == [
        ("Well...", []),
        (" maybe", []),
        (". Then", ["Well... maybe."]),
        (" go", []),
        ("<flush>", ["Then go"]),
    ]


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        IncrementalSegmenter(max_chars=0)
    with pytest.raises(ValueError):
        IncrementalSegmenter(min_chars=-1)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        _texts([*"ab .?!,;:\n3", "Dr", "U.S", "etc", "The", "It"], 6),
        max_size=12,
    ),
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=5, max_value=60),
)
def test_incremental_segments_preserve_text(pieces: list[str], min_chars: int, max_chars: int) -> None:
    seg = IncrementalSegmenter(min_chars=min_chars, max_chars=max_chars)
    out: list[str] = []
    for piece in pieces:
        out += seg.push(piece)
    out += seg.flush()
    text = "".join(pieces)
    assert all(s and s == s.strip() for s in out)
    assert "".join(out).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    assert all(len(s) <= max_chars for s in out)


@settings(max_examples=150, deadline=None)
@given(_texts([*"ab .?!3", "Dr", "U.S", "etc", "The", "It", "e.g", "..."], 40))
def test_streaming_char_by_char_matches_split_sentences(text: str) -> None:
    # With clause and forced cuts disabled, streaming one character at a time must cut exactly where
    # split_sentences cuts the whole text: no boundary is released before it is certain.
    seg = IncrementalSegmenter(min_chars=10_000, max_chars=10_000)
    out = [s for ch in text for s in seg.push(ch)]
    out += seg.flush()
    assert out == [text[a:b] for a, b in split_sentences(text)]


# -- run-on text (an LLM's sentence with no punctuation yet) ------------------------------------------

RUN_ON = (
    "so I was thinking that maybe we could go to the park later today because the weather is supposed to be "
    "really nice and the kids have been cooped up inside all week long"
)


@pytest.mark.parametrize(
    ("buffered", "expected"),
    [
        ("we went to the store, bought some bread and", "we went to the store,"),  # a clause mark first
        ("the report was late because the server ", "the report was late"),  # then before a conjunction
        ("she walked along the river to the ", "she walked along the river"),  # or a preposition
        ("apples pears plums cherries grap", "apples pears plums cherries"),  # else complete words only
        ("a cup of tea please ", "a cup of tea please"),  # never before "of"
    ],
)
def test_best_break_prefers_clauses_then_conjunctions_then_words(buffered: str, expected: str) -> None:
    cut = best_break(buffered)
    assert cut is not None and buffered[:cut].strip() == expected


def test_best_break_never_splits_a_growing_word() -> None:
    assert best_break("supercalifragilistic") is None
    assert best_break("one two thr") == len("one two")


def test_soft_chars_release_run_on_text_at_natural_breaks() -> None:
    seg = IncrementalSegmenter(min_chars=20, soft_chars=80)
    out = [s for i in range(0, len(RUN_ON), 4) for s in seg.push(RUN_ON[i : i + 4])]
    assert out[0] == "so I was thinking that maybe we could go to the park later today"
    assert all(len(s) <= 80 for s in out)
    assert " ".join(out + seg.flush()) == RUN_ON  # nothing lost, nothing repeated


def test_force_takes_what_is_buffered_up_to_the_best_break() -> None:
    seg = IncrementalSegmenter()
    assert seg.push("the weather is nice and the ki") == []
    assert seg.pending
    assert seg.force() == ["the weather is nice"]
    assert seg.flush() == ["and the ki"]
    assert not seg.pending
