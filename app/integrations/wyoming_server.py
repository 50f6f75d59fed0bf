"""Wyoming protocol server: our voices for Home Assistant (or any Wyoming client), over TCP by default.

One connection serves its requests in order:

* ``describe`` → ``info``: one TtsProgram listing every voice;
* ``synthesize`` → ``audio-start``, ``audio-chunk``… (16-bit mono PCM at the voice's rate, ``chunk_ms``
  each, 50 ms by default), ``audio-stop``;
* ``synthesize-start``, ``synthesize-chunk``…, ``synthesize-stop`` → one audio stream spoken phrase by
  phrase while the text still arrives, closed by ``audio-stop`` and ``synthesize-stopped``. The plain
  ``synthesize`` that clients send inside such a stream (for servers without streaming) is ignored there,
  or the text would be spoken twice.

Anything that goes wrong is answered with an ``error`` event and the connection stays usable. Wyoming
has no authentication: bind it to localhost or a trusted network.

Run: ``tts-wyoming --uri tcp://0.0.0.0:10200`` (voices and engine options come from the TTS_ settings).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

import numpy as np
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event
from wyoming.info import Attribution, Describe, Info, TtsProgram, TtsVoice
from wyoming.ping import Ping, Pong
from wyoming.server import AsyncEventHandler, AsyncServer, HandlerFactory
from wyoming.tts import (
    Synthesize,
    SynthesizeChunk,
    SynthesizeStart,
    SynthesizeStop,
    SynthesizeStopped,
    SynthesizeTextFormat,
    SynthesizeVoice,
)

from app.engine.engine import Engine
from app.engine.types import CancelToken, EngineBusy, SynthesisError, SynthesisOptions, VoiceInfo
from app.settings import Settings, get_settings
from app.streaming.audio_out import AudioOut, close_stream
from app.streaming.text_in import TextIn, speakable

log = logging.getLogger(__name__)

DEFAULT_URI = "tcp://127.0.0.1:10200"  # 10200: the port Home Assistant's Wyoming TTS add-ons use
PROGRAM_NAME = "speakeasy-tts"
SAMPLE_WIDTH = 2  # bytes per sample: 16-bit PCM, what every Wyoming client plays
CHANNELS = 1


class InvalidEvent(ValueError):
    """An event we understand but whose content or timing is wrong (missing text, chunk outside a stream)."""


# -- describe -------------------------------------------------------------------------------------


def _version() -> str | None:
    try:
        return package_version("speakeasy-tts")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return None


def build_info(engine: Engine) -> Info:
    """The `info` answer: one TTS program whose voices are the engine's, the default voice first
    (Home Assistant takes the first voice as the default)."""
    attribution = Attribution(name="ours", url="")
    names = sorted(engine.voices, key=lambda name: (name != engine.default_voice, name))
    voices = [
        TtsVoice(
            name=name,
            attribution=attribution,
            installed=True,
            description=engine.voices[name].description
            or f"{name} ({engine.voices[name].language}, {engine.voices[name].sample_rate} Hz)",
            version=None,
            languages=[engine.voices[name].language],
        )
        for name in names
    ]
    program = TtsProgram(
        name=PROGRAM_NAME,
        attribution=attribution,
        installed=True,
        description="Streaming neural text-to-speech (FastSpeech 2 + HiFi-GAN)",
        version=_version(),
        voices=voices,
        supports_synthesize_streaming=True,
    )
    return Info(tts=[program])


# -- voice selection ------------------------------------------------------------------------------


def _language_key(language: str) -> str:
    return language.strip().replace("_", "-").lower()  # Wyoming clients send "en_US" as often as "en-US"


def resolve_voice(engine: Engine, requested: SynthesizeVoice | None) -> VoiceInfo:
    """The voice a request asks for: by name (unknown → SynthesisError), else the best match for its
    language (the default voice first, then an exact dialect, then the same base language), else the
    default voice. Our voices are single-speaker, so a requested speaker is ignored."""
    if requested is None or (not requested.name and not requested.language):
        return engine.voice(None)
    if requested.name:
        return engine.voice(requested.name)
    assert requested.language is not None
    wanted = _language_key(requested.language)
    candidates = [engine.voice(None), *(engine.voices[name] for name in sorted(engine.voices))]
    for info in candidates:  # the exact dialect first…
        if _language_key(info.language) == wanted:
            return info
    for info in candidates:  # …then the same base language ("en" or "en-GB" for an en-US voice)
        if _language_key(info.language).split("-")[0] == wanted.split("-")[0]:
            return info
    available = ", ".join(sorted({info.language for info in engine.voices.values()}))
    raise SynthesisError(f"no voice speaks {requested.language!r}; languages: {available}")


def _is_ssml(text_format: str | SynthesizeTextFormat | None) -> bool:
    if text_format is None or text_format == SynthesizeTextFormat.TEXT:
        return False
    if text_format == SynthesizeTextFormat.SSML:
        return True
    raise InvalidEvent(f"unsupported text_format {text_format!r}; use 'text' or 'ssml'")


# -- audio out ------------------------------------------------------------------------------------


class _AudioOut:
    """One Wyoming audio stream: `audio-start` before the first chunk, ~chunk_ms PCM chunks on an exact
    sample grid (22050 Hz × 50 ms = 1102.5 samples does not drift), `audio-stop`."""

    def __init__(self, handler: WyomingTtsHandler, voice: VoiceInfo, chunk_ms: float) -> None:
        self._handler = handler
        self.rate = voice.sample_rate
        self._audio = AudioOut(self.rate, self.rate, "pcm", chunk_ms)
        self._sent = 0  # samples written so far
        self.started = False
        self.stopped = False

    def _ms(self) -> int:
        return self._sent * 1000 // self.rate

    async def start(self) -> None:
        if not self.started:
            self.started = True
            await self._handler.write_event(AudioStart(self.rate, SAMPLE_WIDTH, CHANNELS, timestamp=0).event())

    async def push(self, samples: np.ndarray) -> None:
        await self._write(self._audio.push(samples))

    async def flush(self) -> None:
        """Send the buffered partial chunk now (the end of a phrase must not wait for the next one)."""
        await self._write(self._audio.flush())

    async def _write(self, pieces: list[bytes]) -> None:
        for data in pieces:
            await self.start()
            chunk = AudioChunk(self.rate, SAMPLE_WIDTH, CHANNELS, data, timestamp=self._ms())
            self._sent += len(data) // SAMPLE_WIDTH
            await self._handler.write_event(chunk.event())

    async def stop(self) -> None:
        """Flush and close the stream; no-op if it never started (nothing was spoken) or already stopped."""
        if self.stopped:
            return
        await self.flush()
        self.stopped = True
        self._audio.close()
        if self.started:
            await self._handler.write_event(AudioStop(timestamp=self._ms()).event())


# -- a streamed text ------------------------------------------------------------------------------


@dataclass
class _TextStream:
    """State between synthesize-start and synthesize-stop."""

    voice: VoiceInfo | None  # None: the start was refused (an error was sent); its text is dropped
    ssml: bool = False
    out: _AudioOut | None = None
    text: TextIn = field(default_factory=TextIn)
    ssml_text: list[str] = field(default_factory=list)  # SSML is spoken whole at the stop: it cannot be cut
    ssml_chars: int = 0
    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)  # phrases; None ends it
    speaker: asyncio.Task[None] | None = None


# -- the connection -------------------------------------------------------------------------------


class WyomingTtsHandler(AsyncEventHandler):
    """One client connection."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        engine: Engine,
        settings: Settings,
        info: Info,
    ) -> None:
        super().__init__(reader, writer)
        self._engine = engine
        self._settings = settings
        self._info = info
        # A streamed text's audio is written by a background task while this handler answers other
        # events (errors, describe): each event must reach the socket whole.
        self._write_lock = asyncio.Lock()
        self._cancel = CancelToken()  # set when the client goes away: stops whatever it was hearing
        self._stream: _TextStream | None = None

    async def write_event(self, event: Event) -> None:
        async with self._write_lock:
            await super().write_event(event)

    async def handle_event(self, event: Event) -> bool:
        try:
            await self._dispatch(event)
        except ConnectionError:
            return False  # the client is gone: stop reading
        except Exception as exc:
            try:
                await self.report(exc)
            except ConnectionError:
                return False
        return True

    async def disconnect(self) -> None:
        self._cancel.cancel()
        stream, self._stream = self._stream, None
        if stream is not None and stream.speaker is not None:
            stream.speaker.cancel()
            await asyncio.gather(stream.speaker, return_exceptions=True)

    async def report(self, exc: BaseException) -> None:
        """Answer a failure with an `error` event (the connection goes on)."""
        if isinstance(exc, SynthesisError):
            code = "synthesis-error"
        elif isinstance(exc, EngineBusy):
            code = "engine-busy"
        elif isinstance(exc, InvalidEvent):
            code = "invalid-event"
        else:
            log.error("wyoming request failed", exc_info=exc)
            code, exc = "internal-error", RuntimeError("synthesis failed")
        await self.write_event(Error(text=str(exc), code=code).event())

    async def _dispatch(self, event: Event) -> None:
        if Describe.is_type(event.type):
            await self.write_event(self._info.event())
        elif Ping.is_type(event.type):
            await self.write_event(Pong(text=Ping.from_event(event).text).event())
        elif Synthesize.is_type(event.type):
            if self._stream is None:  # inside a stream it only repeats the streamed text
                await self._synthesize(_parse_synthesize(event))
        elif SynthesizeStart.is_type(event.type):
            await self._start_stream(event)
        elif SynthesizeChunk.is_type(event.type):
            await self._stream_chunk(event)
        elif SynthesizeStop.is_type(event.type):
            await self._stop_stream()
        else:
            log.debug("ignoring a %r event", event.type)  # the protocol says: drop what you do not serve

    # -- one-shot ------------------------------------------------------------------------------

    async def _synthesize(self, request: Synthesize) -> None:
        voice = resolve_voice(self._engine, request.voice)
        ssml = _is_ssml(request.text_format)
        self._check_length(len(request.text))
        out = _AudioOut(self, voice, self._settings.chunk_ms)
        try:
            await self._speak(out, voice, request.text, ssml)
        except ConnectionError:
            raise
        except Exception as exc:
            if not out.started:
                raise  # refused before any audio: the error event is the whole answer
            await self.report(exc)  # failed midway: say why, then close the audio so players finish
        await out.stop()

    def _check_length(self, chars: int) -> None:
        if chars > self._settings.max_text_chars:
            raise SynthesisError(f"text is longer than {self._settings.max_text_chars} characters")

    async def _speak(self, out: _AudioOut, voice: VoiceInfo, text: str, ssml: bool) -> None:
        stream = self._engine.stream(text, SynthesisOptions(voice=voice.name), self._cancel, ssml=ssml)
        try:
            async for chunk in stream:
                await out.push(chunk.samples)
        finally:
            await close_stream(stream)

    # -- streaming -----------------------------------------------------------------------------

    async def _start_stream(self, event: Event) -> None:
        if self._stream is not None:
            raise InvalidEvent("synthesize-start inside an open stream; send synthesize-stop first")
        self._stream = _TextStream(voice=None)  # until the voice is known, so a refusal still gets its stop
        _check_voice_field(event)
        start = SynthesizeStart.from_event(event)
        ssml = _is_ssml(start.text_format)
        voice = resolve_voice(self._engine, start.voice)
        stream = _TextStream(voice=voice, ssml=ssml, out=_AudioOut(self, voice, self._settings.chunk_ms))
        stream.speaker = asyncio.create_task(self._speak_stream(stream), name="wyoming-speaker")
        self._stream = stream

    async def _stream_chunk(self, event: Event) -> None:
        stream = self._stream
        if stream is None:
            raise InvalidEvent("synthesize-chunk outside a stream; send synthesize-start first")
        text = event.data.get("text")
        if not isinstance(text, str):
            raise InvalidEvent("synthesize-chunk needs a 'text' string")
        if stream.voice is None:
            return  # the stream was refused at its start
        if stream.ssml:
            stream.ssml_chars += len(text)
            self._check_length(stream.ssml_chars)
            stream.ssml_text.append(text)
            return
        for piece in stream.text.push(text):
            stream.queue.put_nowait(piece.text)

    async def _stop_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            raise InvalidEvent("synthesize-stop outside a stream")
        if stream.speaker is not None and stream.out is not None:  # not refused at its start
            try:
                pieces = ["".join(stream.ssml_text)] if stream.ssml else [p.text for p in stream.text.flush()]
                for phrase in pieces:
                    stream.queue.put_nowait(phrase)
                stream.queue.put_nowait(None)
                try:
                    await stream.speaker
                except ConnectionError:
                    raise
                except Exception as exc:
                    await self.report(exc)
                await stream.out.stop()
            finally:
                stream.speaker.cancel()  # a no-op once it has finished
        # always sent, even after errors: clients wait for it to end the request
        await self.write_event(SynthesizeStopped().event())

    async def _speak_stream(self, stream: _TextStream) -> None:
        """Speak the stream's phrases as they are queued, one audio stream for all of them."""
        assert stream.voice is not None and stream.out is not None
        while (phrase := await stream.queue.get()) is not None:
            if not speakable(phrase):
                continue  # punctuation-only pieces of a token stream are silence, not errors (TextIn skips them)
            try:
                await self._speak(stream.out, stream.voice, phrase, stream.ssml)
            except (SynthesisError, EngineBusy) as exc:
                await self.report(exc)  # this phrase is lost; the rest of the stream goes on
            await stream.out.flush()


def _parse_synthesize(event: Event) -> Synthesize:
    if not isinstance(event.data.get("text"), str):
        raise InvalidEvent("synthesize needs a 'text' string")
    _check_voice_field(event)
    return Synthesize.from_event(event)


def _check_voice_field(event: Event) -> None:
    # The wyoming parsers index into whatever arrives; a malformed voice is the client's error, not ours.
    voice = event.data.get("voice")
    if voice is not None and not isinstance(voice, dict):
        raise InvalidEvent("voice must be an object with a name or a language")


# -- serving --------------------------------------------------------------------------------------


def handler_factory(engine: Engine, settings: Settings) -> HandlerFactory:
    """What an AsyncServer calls per connection (the `info` answer is built once)."""
    return partial(WyomingTtsHandler, engine=engine, settings=settings, info=build_info(engine))


async def serve(server: AsyncServer, settings: Settings, engine: Engine | None = None) -> None:
    """Load (unless given) and warm up the engine, then serve until stopped (SIGTERM or cancellation).
    Clients are accepted only once the voices are ready; Home Assistant retries until then."""
    owned = engine is None
    if engine is None:
        engine = await asyncio.to_thread(Engine.load, settings.engine_config())
    try:
        await engine.warmup()
        log.info("wyoming server ready: voices %s", ", ".join(sorted(engine.voices)))
        await server.run(handler_factory(engine, settings))
    finally:
        if owned:
            await engine.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="tts-wyoming",
        description="Serve the voices over the Wyoming protocol (Home Assistant). "
        "Engine options (voices dir, backend, device, threads) come from the TTS_ environment variables.",
    )
    parser.add_argument("--uri", default=DEFAULT_URI, help="tcp://HOST:PORT, unix://PATH or stdio:// (%(default)s)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args = parser.parse_args(argv)
    # stderr: with stdio:// the protocol itself owns stdout
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        server = AsyncServer.from_uri(args.uri)
    except ValueError as exc:
        parser.error(str(exc))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(server, get_settings()))


if __name__ == "__main__":
    main()
