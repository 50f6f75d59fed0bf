"""Fractions: slash pairs, mixed numbers, vulgar fractions."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

FRACTIONS = [
    ("1/2", "one half"),
    ("3/4", "three quarters"),
    ("2/3", "two thirds"),
    ("1/4 cup", "one quarter cup"),
    ("5/8 inch", "five eighths inch"),
    # a spelled measure of something reads like an abbreviated one ("1/2 kg")
    ("Stir in 2/3 tablespoon of honey.", "stir in two thirds of a tablespoon of honey."),
    ("Wait 1/2 hour or so.", "wait one half hour or so."),
    ("about 1/2 hour of rest", "about one half of an hour of rest"),
    ("3/2 cup of flour", "three halves cup of flour"),  # not a part of one: no "of a"
    ("1/3 of people", "one third of people"),
    ("7/100", "seven hundredths"),
    ("1 1/2 cups", "one and a half cups"),
    ("1/2 kg", "one half of a kilogram"),
    ("2 3/4 kg", "two and three quarters kilograms"),
    ("½ cup and 1½ cups", "one half cup and one and a half cups"),
    ("24/7", "twenty four seven"),
    ("1000/7", "one thousand over seven"),
    # scores on scales no fraction uses, and any pair after a scoring word
    ("She got 17/20 on the test.", "she got seventeen out of twenty on the test."),
    ("a 38/50 on the final", "a thirty eight out of fifty on the final"),
    ("The film scored 11/12 with critics.", "the film scored eleven out of twelve with critics."),
]


@pytest.mark.parametrize(("text", "expected"), FRACTIONS, ids=[repr(c[0])[:60] for c in FRACTIONS])
def test_fraction_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


# Ratings and scores, fractions with an ordinal suffix, division in an equation.
LLM_FRACTIONS = [
    ("The app has a 4.8/5 rating.", "the app has a four point eight out of five rating."),
    ("I'd say 6/10 at best.", "i'd say six out of ten at best."),
    ("It scored 87/100.", "it scored eighty seven out of one hundred."),
    ("Critics gave it 2/5 stars.", "critics gave it two out of five stars."),
    ("About 1/10 of users churn.", "about one tenth of users churn."),
    ("Walk 3/10 mi to the lake.", "walk three tenths of a mile to the lake."),
    ("A 7.5/10 from me.", "a seven point five out of ten from me."),
    ("Cut 1/3rd of the sugar.", "cut one third of the sugar."),
    ("Only 3/4ths remain.", "only three fourths remain."),  # the written "ths" says "fourths"
    ("Add 1/16th of an inch.", "add one sixteenth of an inch."),
    ("So 12/4=3.", "so twelve divided by four equals three."),
    ("It rated 1.5/3 overall.", "it rated one point five over three overall."),
]


@pytest.mark.parametrize(("text", "expected"), LLM_FRACTIONS, ids=[repr(c[0])[:60] for c in LLM_FRACTIONS])
def test_llm_fraction_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


# A written ordinal suffix says how the denominator is read: "1/4th" is "one fourth", not "one quarter"; the
# suffixless fraction keeps "quarter"; "half" stays.
ORDINAL_DENOMINATORS = [
    ("Use 1/4th of the dough.", "use one fourth of the dough."),
    ("About 3/4ths agreed.", "about three fourths agreed."),
    ("Add 1 1/4th cups of water.", "add one and a fourth cups of water."),
    ("Add 1/4 cup of water.", "add one quarter of a cup of water."),
    ("Add 1 1/4 cups of water.", "add one and a quarter cups of water."),
    ("Only 1/5th is left.", "only one fifth is left."),
    ("Cut 1/16th of an inch.", "cut one sixteenth of an inch."),
]


@pytest.mark.parametrize(
    ("text", "expected"), ORDINAL_DENOMINATORS, ids=[repr(c[0])[:60] for c in ORDINAL_DENOMINATORS]
)
def test_ordinal_denominator_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
