"""Electronic addresses: e-mail, URLs, dotted names."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

EMAILS_URLS = [
    ("john.doe@example.com", "john dot doe at example dot com"),
    ("Email Info@Example.com.", "email info at example dot com."),
    (
        "Contact jane_doe+news@mail.example.co.uk today.",
        "contact jane underscore doe plus news at mail dot example dot co dot U K today.",
    ),
    ("https://www.example.com/path", "W W W dot example dot com slash path"),
    ("Visit http://example.org.", "visit example dot org."),
    ("Visit example.com/about.", "visit example dot com slash about."),
    ("Try github.com", "try github dot com"),
    (
        "Go to www.google.com/search?q=tts now.",
        "go to W W W dot google dot com slash search question mark Q equals T T S now.",
    ),
    ("https://example.com/", "example dot com"),
    ("Node.js and file.txt", "node dot J S and file dot T X T"),
]


@pytest.mark.parametrize(("text", "expected"), EMAILS_URLS, ids=[repr(c[0])[:60] for c in EMAILS_URLS])
def test_electronic_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


WEB = [
    ("Go to www.wikipedia.org.", "go to W W W dot wikipedia dot org."),
    ("Visit https://www.python.org/downloads/.", "visit W W W dot python dot org slash downloads."),
    ("Docs: https://docs.djangoproject.com", "docs: docs dot djangoproject dot com"),
    ("See http://example.org/faq for help.", "see example dot org slash faq for help."),
    ("Try www.bbc.co.uk/news today.", "try W W W dot B B C dot co dot U K slash news today."),
]


@pytest.mark.parametrize(("text", "expected"), WEB, ids=[repr(c[0])[:60] for c in WEB])
def test_web_address_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


# Host name labels that are known initialisms are spelled in lower case too; path segments and dotted file
# names stay words.
HOST_INITIALISMS = [
    ("File online at www.irs.gov today.", "file online at W W W dot I R S dot gov today."),
    ("Flu data: cdc.gov/flu", "flu data: C D C dot gov slash flu"),
    ("Read https://www.nih.gov/news first.", "read W W W dot N I H dot gov slash news first."),
    ("Old mail at aol.com still works.", "old mail at A O L dot com still works."),
    ("Docs live at api.example.com.", "docs live at A P I dot example dot com."),
    ("See example.org/faq for help.", "see example dot org slash faq for help."),
    ("Edit config.json by hand.", "edit config dot json by hand."),
    ("Shop at ebay.com.", "shop at ebay dot com."),
]


@pytest.mark.parametrize(("text", "expected"), HOST_INITIALISMS, ids=[repr(c[0])[:60] for c in HOST_INITIALISMS])
def test_host_initialisms_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
