"""Identifiers read digit by digit: codes, order / account / tracking numbers, IP addresses, letter-digit codes."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

IDENTIFIERS = [
    ("Your login code is 204871.", "your login code is two zero four eight seven one."),
    ("Enter code 613 092 to continue.", "enter code six one three, zero nine two to continue."),
    ("Your OTP: 4419", "your O T P: four four one nine"),
    ("Order #10442 is on its way.", "order number one zero four four two is on its way."),
    ("Order No. 77812 was refunded.", "order number seven seven eight one two was refunded."),
    ("The Visa card ending in 0093 expired.", "the visa card ending in zero zero nine three expired."),
    ("Account ending 5521 was debited.", "account ending five five two one was debited."),
    ("Your ticket number is 88231.", "your ticket number is eight eight two three one."),
    ("Tracking: 9400 1112 0255", "tracking: nine four zero zero, one one one two, zero two five five"),
    ("Invoice 2024117 is overdue.", "invoice two zero two four one one seven is overdue."),
    ("Case ID 55190", "case I D five five one nine zero"),
    ("Flight 2207 boards at gate 12.", "flight two two zero seven boards at gate twelve."),
    ("She took flight AA 100 to Dallas.", "she took flight A A one zero zero to dallas."),
    ("Your PIN is 9052.", "your pin is nine zero five two."),
    ("Serial number: 4471902", "serial number: four four seven one nine zero two"),
    ("Confirmation code: 338 401", "confirmation code: three three eight, four zero one"),
    ("The server is at 10.0.0.12.", "the server is at one zero dot zero dot zero dot one two."),
    (
        "Block 172.16.254.1 in the firewall.",
        "block one seven two dot one six dot two five four dot one in the firewall.",
    ),
    ("Use promo code sv4490.", "use promo code S V four four nine zero."),
    ("The part number is X7K2.", "the part number is X seven K two."),
    ("Water is H2O.", "water is H two O."),
    ("Take vitamin B12 daily.", "take vitamin B twelve daily."),
    ("The MP3 file is ready.", "the M P three file is ready."),
    ("I bought 3 items.", "i bought three items."),
    ("There were 250 orders today.", "there were two hundred fifty orders today."),
    ("My order of 12 boxes arrived.", "my order of twelve boxes arrived."),
]


@pytest.mark.parametrize(("text", "expected"), IDENTIFIERS, ids=[repr(c[0])[:60] for c in IDENTIFIERS])
def test_identifier_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


# SMS short codes: a number after "to" with a texting verb earlier in the phrase, read digit by digit; not when a
# counted noun follows it or nothing asks for a text.
SHORT_CODES = [
    ("Text HOME to 741741 to reach a counselor.", "text home to seven four one seven four one to reach a counselor."),
    ("Reply STOP to 88022.", "reply stop to eight eight zero two two."),
    ("Text 'JOIN' to 30644 for alerts.", "text join to three zero six four four for alerts."),
    ("Send HELP to 4357 now.", "send help to four three five seven now."),
    ("To donate, text GIVE to 90999", "to donate, text give to nine zero nine nine nine"),
    ("Reply to 10000 customers.", "reply to ten thousand customers."),
    ("The town grew to 45000.", "the town grew to forty five thousand."),
    ("Send it by 2025.", "send it by twenty twenty five."),
]


@pytest.mark.parametrize(("text", "expected"), SHORT_CODES, ids=[repr(c[0])[:60] for c in SHORT_CODES])
def test_short_code_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
