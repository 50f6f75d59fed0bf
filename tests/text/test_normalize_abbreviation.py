"""Abbreviations: titles, dotted forms, sentence-final periods, St./Dr."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

ABBREVIATIONS = [
    ("Dr. Smith", "doctor smith"),
    ("Mr. and Mrs. Jones", "mister and missus jones"),
    ("Mrs. Brown and Ms. Green met Prof. White.", "missus brown and miz green met professor white."),
    (
        "Gov. Brown, Sen. Smith, Rep. Jones, Gen. Lee, Capt. Kirk, Lt. Dan and Sgt. Pepper.",
        "governor brown, senator smith, representative jones, general lee, captain kirk, lieutenant dan and "
        "sergeant pepper.",
    ),
    ("Martin Luther King Jr. spoke.", "martin luther king junior spoke."),
    ("John Smith Sr. and John Smith Jr.", "john smith senior and john smith junior."),
    ("Mt. Everest", "mount everest"),
    ("St. Louis", "saint louis"),
    ("St. Patrick's Day", "saint patrick's day"),
    ("She lives at 42 Elm St. in Boston.", "she lives at forty two elm street in boston."),
    ("Main St. It is here.", "main street. it is here."),
    ("He lives on Oak Dr. near here.", "he lives on oak drive near here."),
    ("e.g. i.e. vs. etc.", "for example that is versus et cetera."),
    ("Fruits, e.g. apples, are good.", "fruits, for example apples, are good."),
    ("The best, i.e. the fastest, wins.", "the best, that is the fastest, wins."),
    ("Ali vs. Frazier", "ali versus frazier"),
    ("Ali vs Frazier", "ali versus frazier"),
    ("Bring pens, paper, etc. and more.", "bring pens, paper, et cetera and more."),
    ("Pens, paper, etc. The rest later.", "pens, paper, et cetera. the rest later."),
    ("No. 5", "number five"),
    ("No. 1 fan", "number one fan"),
    ("No. I won't.", "no. i won't."),
    ("approx. 20 people", "approximately twenty people"),
    ("5th Ave. is busy.", "fifth avenue is busy."),
    ("Sunset Blvd. at night", "sunset boulevard at night"),
    (
        "Acme Inc. sued Widget Corp. and Foo Ltd. yesterday.",
        "acme incorporated sued widget corporation and foo limited yesterday.",
    ),
    ("He works at Apple Inc.", "he works at apple incorporated."),
    ("Ph.D. student", "P H D student"),
    ("see pp. 10-20", "see pages ten to twenty"),
    ("Write to Dr. Lee, Ph.D., at the lab.", "write to doctor lee, P H D, at the lab."),
    ("It is on Pennsylvania Ave. Over 60% agree.", "it is on pennsylvania avenue. over sixty percent agree."),
    ("John F. Kennedy", "john F kennedy"),
]


@pytest.mark.parametrize(("text", "expected"), ABBREVIATIONS, ids=[repr(c[0])[:60] for c in ABBREVIATIONS])
def test_abbreviation_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


# Business and chat shorthand in LLM replies.
SHORTHAND = [
    ("Growth was 9% YoY.", "growth was nine percent year over year."),
    ("Churn fell 1% MoM.", "churn fell one percent month over month."),
    ("I'll have it done by EOD.", "i'll have it done by end of day."),
    ("Please confirm by COB Friday.", "please confirm by close of business friday."),
    ("Speaker: TBA", "speaker: to be announced"),
    ("Location TBD.", "location to be determined."),
    ("I'm WFH today.", "i'm work from home today."),
    ("btw, the build passed.", "by the way, the build passed."),
    ("IMHO the second draft reads better.", "in my humble opinion the second draft reads better."),
    ("AFAIK it's free.", "as far as i know it's free."),
    ("Tea w/ lemon", "tea with lemon"),
    ("Pasta w/o cheese", "pasta without cheese"),
    ("Late b/c of traffic.", "late because of traffic."),
    ("Phone: n/a", "phone: not applicable"),
    ("tl;dr it works.", "T L D R it works."),
    ("FYI the office is closed.", "F Y I the office is closed."),
    ("The ETA is 20 minutes.", "the E T A is twenty minutes."),
    ("It takes approx. 3 days.", "it takes approximately three days."),
    ("Press Ctrl+Z to undo.", "press control Z to undo."),
    ("Use Cmd+K to search.", "use command K to search."),
    ("Call ext. 204 for billing.", "call extension two hundred four for billing."),
    ("Mom called.", "mom called."),
]


@pytest.mark.parametrize(("text", "expected"), SHORTHAND, ids=[repr(c[0])[:60] for c in SHORTHAND])
def test_shorthand_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


# Weekday abbreviations can end a sentence (their period is then also the full stop); a cased abbreviation that
# is also a word ("Sun", "Sat", "Wed", "Fig") is that word after an article, and its period is a full stop.
WORD_LIKE = [
    ("Mars is the fourth planet from the Sun.", "mars is the fourth planet from the sun."),
    ("We stared at the Sun. It was bright.", "we stared at the sun. it was bright."),
    ("It orbits the Sun.\nThen it returns.", "it orbits the sun. then it returns."),
    ("We're open Mon. through Sat.", "we're open monday through saturday."),
    ("The sale ends Sun. Please come early.", "the sale ends sunday. please come early."),
    ("See you Sun. at noon.", "see you sunday at noon."),
    ("Let's meet this Sat.", "let's meet this saturday."),
    ("Her class is on Wed.", "her class is on wednesday."),
    ("See Fig. 2 for details.", "see figure two for details."),
]


@pytest.mark.parametrize(("text", "expected"), WORD_LIKE, ids=[repr(c[0])[:60] for c in WORD_LIKE])
def test_word_like_abbreviation_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
