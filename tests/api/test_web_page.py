"""The web page at `/`, end to end in headless Chromium against the live server.

Debian's chromium, driven with Playwright (never `playwright install`: the browser comes from apt).
The page exposes live counters as data-* attributes on <main id="app"> (state, samples received,
samples played, buffers still scheduled to play, words, errors); the tests read those and the visible text.

Every page also runs SPY before its own script: it records the WebSocket messages both ways, the audio
buffers started and stopped, and the AudioContext, and lets a test act at a given moment of the stream
(the first audio frame, the server's `done`) inside the very task in which the page handled that message.
A MutationObserver callback on the page's counters is a microtask of that task, so no audio buffer can end
and no other message can arrive in between: the tests click Stop at a known moment instead of racing the
synthesis.
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
SPY = """(() => {
    const spy = { sent: [], received: [], sources: [], audio: null, onFirstAudio: null, onDone: null };
    window.__spy = spy;
    const NativeWebSocket = window.WebSocket;
    window.WebSocket = class extends NativeWebSocket {
        constructor(...args) {
            super(...args);
            this.addEventListener("message", (m) => {
                spy.received.push(typeof m.data === "string" ? JSON.parse(m.data) : { type: "audio" });
            });
        }
        send(data) { spy.sent.push(JSON.parse(data)); super.send(data); }
    };
    const NativeAudioContext = window.AudioContext;
    window.AudioContext = class extends NativeAudioContext {
        constructor(...args) { super(...args); spy.audio = this; }
    };
    const start = AudioBufferSourceNode.prototype.start;
    AudioBufferSourceNode.prototype.start = function (...args) {
        spy.sources.push(this);
        this.addEventListener("ended", () => { this.spyEnded = true; });
        return start.apply(this, args);
    };
    const stop = AudioBufferSourceNode.prototype.stop;
    AudioBufferSourceNode.prototype.stop = function (...args) {
        this.spyStopped = true;
        return stop.apply(this, args);
    };
    const $ = (id) => document.getElementById(id);
    // The page's state as a test sees it, plus the buffers started and neither stopped nor ended yet.
    spy.snapshot = () => ({
        ...$("app").dataset,
        status: $("status").textContent,
        speakDisabled: $("speak").disabled,
        stopDisabled: $("stop").disabled,
        live: spy.sources.filter((s) => !s.spyEnded && !s.spyStopped).length,
    });
    document.addEventListener("DOMContentLoaded", () => {
        new MutationObserver(() => {
            const d = $("app").dataset;
            const act = Number(d.samples) > 0 && spy.onFirstAudio ? "onFirstAudio"
                : d.state === "done" && spy.onDone ? "onDone" : null;
            if (act) { const hook = spy[act]; spy[act] = null; hook(); }
        }).observe($("app"), { attributes: true });
    });
})();"""

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
    page.add_init_script(SPY)
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
    page.evaluate("() => { __spy.onDone = () => { __spy.atDone = __spy.snapshot(); }; }")
    speak(page, SENTENCE)
    assert page.evaluate("window.buttonsOnClick") == [True, False]  # speak off, stop on while it speaks
    state = wait_settled(page)
    assert state["state"] == "done", (state, page.inner_text("#error"))
    # At the server's done, Stop stays on exactly while received audio is still scheduled to play.
    at_done = page.evaluate("__spy.atDone")
    assert int(at_done["playing"]) == at_done["live"], at_done
    assert at_done["stopDisabled"] == (at_done["live"] == 0) and not at_done["speakDisabled"], at_done
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
    assert page.is_enabled("#speak") and page.is_disabled("#stop")  # playback is over
    assert state["playing"] == "0"
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
    # Stop is clicked in the task that handles the first audio frame: the context is certainly still open
    # (its done cannot have been handled yet) and that frame is certainly still scheduled to play.
    page.evaluate(
        """() => { __spy.onFirstAudio = () => {
            __spy.beforeStop = __spy.snapshot();
            document.getElementById('stop').click();
            __spy.afterStop = __spy.snapshot();
        }; }"""
    )
    speak(page, " ".join([SENTENCE] * 4))
    page.wait_for_function("() => window.__spy.afterStop", timeout=SPEECH_TIMEOUT_MS)
    before, after = page.evaluate("[__spy.beforeStop, __spy.afterStop]")
    assert before["state"] == "speaking" and not before["stopDisabled"], before
    assert int(before["playing"]) == before["live"] > 0, before
    # the audio stops at once: every buffer scheduled is stopped, none is left to play
    assert after["status"] == "Stopped." and after["state"] == "stopped", after
    assert after["stopDisabled"] and not after["speakDisabled"], after
    assert after["playing"] == "0" and after["live"] == 0, after
    # ... and the context is cancelled on the server
    sent = page.evaluate("__spy.sent")
    context_id = sent[0]["context_id"]
    assert [m["type"] for m in sent] == ["start", "text", "close", "cancel"], sent
    assert sent[-1]["context_id"] == context_id
    # The server answers the cancel with `cancelled` if it was still synthesizing; if it had just sent
    # its last audio, the context is already finished (done) and the cancel gets `unknown_context`.
    # Either way the page drops the context's stragglers without an error.
    page.wait_for_function(
        """() => __spy.received.some(e => e.type === 'cancelled'
            || (e.type === 'error' && e.code === 'unknown_context'))""",
        timeout=SPEECH_TIMEOUT_MS,
    )
    received = page.evaluate("__spy.received")
    ends = [e for e in received if e["type"] in ("cancelled", "done", "error")]
    assert all(e.get("context_id") == context_id for e in ends), ends
    if ends[0]["type"] == "cancelled":
        assert received[-1] == ends[0] and len(ends) == 1, received[-3:]  # nothing of the context follows
    else:
        assert [e["type"] for e in ends] == ["done", "error"] and ends[1]["code"] == "unknown_context", ends
    # frames still in flight for the cancelled context were dropped, not played (and did not throw)
    state = counters(page)
    page.wait_for_timeout(500)
    assert counters(page) == state
    assert state["samples"] == after["samples"] and state["playedSamples"] == after["playedSamples"], state
    assert page.inner_text("#status") == "Stopped."
    assert page.is_enabled("#speak") and page.is_disabled("#stop")
    assert page.is_hidden("#error")


def test_stop_works_after_done_while_audio_still_plays(page: Page) -> None:
    # The server's done comes when the last audio is sent, usually seconds before it has played. To have
    # audio left at done however fast or slow the synthesis, the test holds the page's AudioContext clock
    # from the first frame on (nothing can end while it is suspended), then clicks Stop in the task that
    # handles done.
    page.evaluate(
        """() => {
            __spy.onFirstAudio = () => __spy.audio.suspend();
            __spy.onDone = () => {
                __spy.atDone = __spy.snapshot();
                document.getElementById('stop').click();
                __spy.afterStop = __spy.snapshot();
            };
        }"""
    )
    speak(page, " ".join([SENTENCE] * 2))
    page.wait_for_function("() => window.__spy.afterStop", timeout=SPEECH_TIMEOUT_MS)
    at_done, after = page.evaluate("[__spy.atDone, __spy.afterStop]")
    assert at_done["status"].startswith("Done: "), at_done
    assert not at_done["stopDisabled"] and not at_done["speakDisabled"], at_done  # Stop still works ...
    assert int(at_done["playing"]) == at_done["live"] > 0, at_done  # ... because audio is still to play
    assert int(at_done["playedSamples"]) < int(at_done["samples"]), at_done
    # Stop silences it at once: every scheduled buffer stopped, including those not started yet
    assert after["status"] == "Stopped." and after["state"] == "stopped", after
    assert after["stopDisabled"] and not after["speakDisabled"], after
    assert after["playing"] == "0" and after["live"] == 0, after
    # the context was finished on the server: nothing to cancel there
    assert [m["type"] for m in page.evaluate("__spy.sent")] == ["start", "text", "close"]
    # the clock runs again: the stopped buffers are not played
    page.evaluate("__spy.audio.resume()")
    page.wait_for_timeout(500)
    state = counters(page)
    assert state["playedSamples"] == after["playedSamples"] and state["playing"] == "0", state
    assert page.inner_text("#status") == "Stopped."
    assert page.is_enabled("#speak") and page.is_disabled("#stop")
    assert page.is_hidden("#error")
