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
