"""Text in: pieces of text as a client (an LLM) sends them -> phrases for the engine, with their offsets."""

from __future__ import annotations

from dataclasses import dataclass

from app.text.segment import IncrementalSegmenter

# The first phrase of a stream (and after each flush) may be a short clause, so audio starts early; later
# clause cuts wait for this many characters, so a chatty LLM does not cost one engine pass per comma.
PHRASE_MIN_CHARS = 20
# Text with no sentence or clause boundary (an LLM's run-on sentence) is not held until `flush`: once this many
# characters wait, or the oldest of them has waited BUFFER_DELAY_MS while the listener has less than
# BUFFER_LOW_WATER_S of audio left, a phrase starts at the best break so far (IncrementalSegmenter.force).
# Chosen with benchmarks/buffering.py: see benchmarks/RESULTS.md.
BUFFER_CHARS = 150
BUFFER_DELAY_MS = 500.0
BUFFER_LOW_WATER_S = 0.3  # while more audio than this is still to play, waiting for punctuation costs nothing
BUFFER_RECHECK_MS = 100.0  # after a look that cut nothing, the next look (a delay of 0 must not spin the loop)


@dataclass(frozen=True)
class Buffering:
    """How long unpunctuated text may wait for a boundary (per stream; Cartesia's `max_buffer_delay_ms`,
    the first step of ElevenLabs' `chunk_length_schedule`). None: wait for punctuation, flush or close."""

    chars: int | None = BUFFER_CHARS
    delay_ms: float | None = BUFFER_DELAY_MS


def speakable(text: str) -> bool:
    """False for punctuation-only pieces of a token stream ("...", "—"): silence, not an error."""
    return any(char.isalnum() for char in text)


@dataclass(frozen=True)
class TextPiece:
    text: str
    offset: int  # where it starts in everything the client sent to this stream


class TextLimitExceeded(ValueError):
    """More text waiting to be spoken than a stream may hold."""


class TextIn:
    """One stream's incoming text: cut into phrases at sentence (then clause) boundaries as it arrives.

    Each phrase is located in the received text, so word offsets point into what the client sent (the
    segmenter may trim whitespace; if it rewrote the text, offsets are approximate). `max_chars` bounds the
    text received but not yet spoken (`spoken()` gives back what the engine has finished).
    """

    def __init__(
        self, max_chars: int | None = None, min_chars: int = PHRASE_MIN_CHARS, buffering: Buffering | None = None
    ) -> None:
        self.buffering = buffering or Buffering()
        self._segmenter = IncrementalSegmenter(min_chars=min_chars, soft_chars=self.buffering.chars)
        self._max_chars = max_chars
        self._unphrased = ""  # received but not yet part of a phrase ...
        self._unphrased_offset = 0  # ... and where it starts in the stream's text
        self._queued_chars = 0  # in phrases handed out but not yet spoken

    def push(self, text: str) -> list[TextPiece]:
        if self._max_chars is not None and self._queued_chars + len(self._unphrased) + len(text) > self._max_chars:
            raise TextLimitExceeded(
                f"more than {self._max_chars} characters waiting to be spoken; wait for audio or flush"
            )
        self._unphrased += text
        return self._pieces(self._segmenter.push(text))

    def flush(self) -> list[TextPiece]:
        """Whatever is buffered, as phrases now (end of input, or the client asked for audio)."""
        return self._pieces(self._segmenter.flush())

    @property
    def pending(self) -> bool:
        """Text received that no phrase has taken yet (the caller's buffering timer runs while this is true)."""
        return self._segmenter.pending

    def force(self) -> list[TextPiece]:
        """The buffering delay passed: a phrase up to the best break in what is buffered, complete words only."""
        return self._pieces(self._segmenter.force())

    def spoken(self, piece: TextPiece) -> None:
        self._queued_chars -= len(piece.text)

    def _pieces(self, phrases: list[str]) -> list[TextPiece]:
        out = []
        for phrase in phrases:
            start = max(self._unphrased.find(phrase), 0)
            consumed = min(len(self._unphrased), start + len(phrase))
            if speakable(phrase):
                out.append(TextPiece(phrase, self._unphrased_offset + start))
                self._queued_chars += len(phrase)
            self._unphrased = self._unphrased[consumed:]
            self._unphrased_offset += consumed
        return out
