"""Addresses: house numbers in pairs, street types, directions, states after a city, ZIP codes."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize
from app.text.normalize.numbers import house_number

ADDRESSES = [
    ("We're at 2450 Mission St, San Francisco.", "we're at twenty four fifty mission street, san francisco."),
    ("Send it to 1023 Birch Ln.", "send it to ten twenty three birch lane."),
    ("The museum is at 11 W 53rd St.", "the museum is at eleven west fifty third street."),
    ("Park at 300 E Pratt St.", "park at three hundred east pratt street."),
    (
        "Our clinic: 4800 NE 12th Ave, Portland, OR 97211",
        "our clinic: forty eight hundred north east twelfth avenue, portland, oregon nine seven two one one",
    ),
    (
        "It's at 77 Massachusetts Ave, Cambridge, MA 02139.",
        "it's at seventy seven massachusetts avenue, cambridge, massachusetts zero two one three nine.",
    ),
    (
        "Try 1200 Getty Center Dr, Los Angeles, CA 90049.",
        "try twelve hundred getty center drive, los angeles, california nine zero zero four nine.",
    ),
    (
        "The venue is 233 S Wacker Dr, Chicago, IL.",
        "the venue is two thirty three south wacker drive, chicago, illinois.",
    ),
    (
        "Mail to 1005 Oak Pl, Boise, ID 83702-1234.",
        "mail to ten oh five oak place, boise, idaho eight three seven zero two, one two three four.",
    ),
    ("Visit 8 Harbor Cir.", "visit eight harbor circle."),
    ("It's on Sunset Blvd near the park.", "it's on sunset boulevard near the park."),
    ("Exit onto the Dan Ryan Expy.", "exit onto the dan ryan expressway."),
    ("Follow Garden State Pkwy south.", "follow garden state parkway south."),
    (
        "The shop is at 19 Kings Ct, Reno, NV 89501.",
        "the shop is at nineteen kings court, reno, nevada eight nine five zero one.",
    ),
    ("Main St NW is closed.", "main street north west is closed."),
    ("Head north on Route 66.", "head north on route sixty six."),
    ("Take Hwy 1 along the coast.", "take highway one along the coast."),
    ("She lives in Apt 5C.", "she lives in apartment five C."),
    ("Our office is in Suite 1200.", "our office is in suite twelve hundred."),
    ("The lab is in room 214.", "the lab is in room two fourteen."),
    ("Write to PO Box 742.", "write to P O box seven forty two."),
    ("We moved to Austin, TX last year.", "we moved to austin, texas last year."),
    ("Hi Bob, OK I will.", "hi bob, okay i will."),
    ("I grew up in Bangor, ME.", "i grew up in bangor, maine."),
    ("Thanks, OK.", "thanks, okay."),
    ("N is the 14th letter.", "N is the fourteenth letter."),
]


@pytest.mark.parametrize(("text", "expected"), ADDRESSES, ids=[repr(c[0])[:60] for c in ADDRESSES])
def test_address_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("digits", "spoken"),
    [
        ("742", "seven forty two"),
        ("1450", "fourteen fifty"),
        ("1600", "sixteen hundred"),
        ("101", "one oh one"),
        ("2000", "two thousand"),
        ("12", "twelve"),
        ("12345", "one two three four five"),
    ],
)
def test_house_number_words(digits: str, spoken: str) -> None:
    assert house_number(digits) == spoken
