"""The web page at `/`, end to end in headless Chromium against the live server.

Debian's chromium, driven with Playwright (never `playwright install`: the browser comes from apt).
The page exposes live counters as data-* attributes on <main id="app"> (state, samples received,
samples played, words, errors); the tests read those and the visible text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
PAGE_SAMPLE_RATE = 24000  # app.js asks the server for this rate
SPEECH_TIMEOUT_MS = 180_000  # synthesis on two busy cores; polled, not a timing assertion
SENTENCE = "The quick brown fox jumps over the lazy dog."

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_url: str) -> Iterator[Page]:
    """A fresh page on `/`; fails the test on any uncaught script error or console error."""
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.goto(live_url + "/")
    yield page
    context.close()
    assert not problems, problems


def counters(page: Page) -> dict[str, str]:
    result: dict[str, str] = page.evaluate("() => ({...document.getElementById('app').dataset})")
    return result


def wait_for_voices(page: Page) -> None:
    page.wait_for_function("() => document.querySelectorAll('#voice option').length > 0", timeout=30_000)


def speak(page: Page, text: str) -> None:
    wait_for_voices(page)
    page.fill("#text", text)
    page.click("#speak")


def wait_settled(page: Page) -> dict[str, str]:
    """Until the utterance is over (done, or ended by an error) and every received sample was played."""
    page.wait_for_function(
        """() => {
            const d = document.getElementById('app').dataset;
            return (d.state === 'done' || d.state === 'error') && Number(d.playedSamples) >= Number(d.samples);
        }""",
        timeout=SPEECH_TIMEOUT_MS,
    )
    return counters(page)


def test_page_lists_the_voices_from_the_api(page: Page, client: TestClient) -> None:
    body = client.get("/v1/audio/voices").json()
    wait_for_voices(page)
    options = page.eval_on_selector_all("#voice option", "options => options.map(o => [o.value, o.textContent])")
    assert [value for value, _ in options] == [voice["name"] for voice in body["voices"]]
    assert all(label.startswith(value) for value, label in options)
    assert page.input_value("#voice") == body["default"]
    assert page.is_hidden("#error")


def test_speak_streams_plays_audio_and_shows_word_timestamps(page: Page) -> None:
    # The buttons as the click leaves them, read inside the same click (a fast machine can finish the whole
    # utterance before a second look from the test, which made an is_enabled("#stop") afterwards flaky).
    page.evaluate(
        """() => document.getElementById('speak').addEventListener('click', () => {
            window.buttonsOnClick = ['speak', 'stop'].map(id => document.getElementById(id).disabled);
        })"""
    )
    speak(page, SENTENCE)
    assert page.evaluate("window.buttonsOnClick") == [True, False]  # speak off, stop on while it speaks
    state = wait_settled(page)
    assert state["state"] == "done", (state, page.inner_text("#error"))
    samples = int(state["samples"])
    assert samples > PAGE_SAMPLE_RATE, state  # over a second of speech arrived ...
    assert int(state["playedSamples"]) == samples  # ... and every sample went through the Web Audio graph
    status = page.inner_text("#status")
    assert status.startswith("Done: "), status
    duration = float(status.removeprefix("Done: ").split()[0])
    assert duration == pytest.approx(samples / PAGE_SAMPLE_RATE, abs=0.006)
    # word timestamps: one span per word, with its start time, in order, and the words are the input's
    words = page.eval_on_selector_all(
        "#words span", "spans => spans.map(s => [s.textContent, +s.dataset.start, +s.dataset.end])"
    )
    assert len(words) == int(state["words"]) >= 6, words
    assert [w for w, _, _ in words] == [w.strip(".") for w in SENTENCE.split()]
    starts = [start for _, start, _ in words]
    assert starts == sorted(starts)
    assert all(0 <= start < end <= duration + 0.01 for _, start, end in words), words
    shown = page.eval_on_selector_all("#words small", "times => times.map(t => t.textContent)")
    assert shown == [f"{start:.2f}" for start in starts]
    assert page.is_enabled("#speak") and page.is_disabled("#stop")
    assert page.is_hidden("#error")


def test_a_server_error_is_shown_and_stays_visible(page: Page) -> None:
    # Chinese characters are letters to the stream's phrase check but nothing the English G2P can read:
    # the server answers synthesis_error, then finishes the context with done (0 samples).
    speak(page, "你好")
    state = wait_settled(page)
    assert state["state"] == "error" and state["samples"] == "0" and int(state["errors"]) >= 1, state
    assert page.is_visible("#error")
    error = page.inner_text("#error")
    assert error.startswith("Error: ") and "speakable" in error, error
    assert page.inner_text("#status").startswith("Done: 0.00"), "done must not hide the error"
    # the next utterance clears the error
    speak(page, "Yes.")
    assert wait_settled(page)["state"] == "done"
    assert page.is_hidden("#error")


def test_text_of_only_emoji_is_reported_not_swallowed(page: Page) -> None:
    # The stream protocol speaks symbol-only phrases as silence (token streams send "🎉" on its own),
    # so the server ends the context with 0 samples; the page must say that nothing was spoken.
    speak(page, "😀🎉👍")
    state = wait_settled(page)
    assert state["state"] == "error" and state["samples"] == "0", state
    assert page.is_visible("#error")
    assert "Nothing to speak" in page.inner_text("#error")


def test_text_over_the_limit_gets_the_servers_error(page: Page, client: TestClient) -> None:
    limit = client.app.state.settings.max_text_chars  # type: ignore[attr-defined]
    speak(page, "word " * (limit // 5 + 1))
    state = wait_settled(page)
    assert state["state"] == "error" and state["samples"] == "0", state
    error = page.inner_text("#error")
    assert error.startswith("Error: ") and str(limit) in error, error


def test_stop_cancels_playback_mid_utterance(page: Page) -> None:
    speak(page, " ".join([SENTENCE] * 4))
    page.wait_for_function(
        "() => Number(document.getElementById('app').dataset.samples) > 0", timeout=SPEECH_TIMEOUT_MS
    )
    page.click("#stop")
    assert page.inner_text("#status") == "Stopped."
    assert page.is_enabled("#speak") and page.is_disabled("#stop")
    # frames still in flight for the cancelled context are dropped, not played (and do not throw)
    received = int(counters(page)["samples"])
    page.wait_for_timeout(500)
    assert int(counters(page)["samples"]) == received
    assert page.is_hidden("#error")
