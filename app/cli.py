"""Command-line entry points: `tts-server` (the HTTP/WebSocket service) and `tts-say` (text -> file)."""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.audio.encode import AUDIO_FORMATS
from app.settings import Settings, get_settings

if TYPE_CHECKING:  # the engine import is slow (onnxruntime, spaCy): `--help` should not wait for it
    from app.engine.engine import Engine


# glibc malloc settings for the server: mallopt parameter (<malloc.h>), the environment variable that sets the
# same thing at process start, and the value.
MALLOC_SETTINGS = {
    # Each thread that allocates gets an arena of its own (glibc's default: 8 per core), and memory freed in one
    # is not reused by the others: with two inference workers RSS rose 406 -> 740 MiB over 400 mixed syntheses,
    # 419-423 -> 576-590 with 2 arenas, at the same speed (benchmarks.memory, benchmarks/LAB-LOG.md).
    "arena_max": (-8, "MALLOC_ARENA_MAX", 2),
    # Blocks from 4 MiB up (a long phrase's attention scores, audio buffers) are mapped and unmapped on their
    # own. glibc's default threshold climbs to 32 MiB once such a block is freed, after which they come from
    # the heap and stay there: a request of sixteen 200-phoneme phrases raised peak RSS by +248 MiB, +101 with
    # the threshold fixed (benchmarks.hostile, lexicon_cap).
    "mmap_threshold": (-3, "MALLOC_MMAP_THRESHOLD_", 4 * 2**20),
}


def tune_malloc() -> list[str]:
    """Apply MALLOC_SETTINGS once Python runs, for a tts-server started without them in its environment; the
    names applied. glibc honours the variables fully only at process start (scripts/serve.sh and the image set
    them); this call comes before the engine's threads exist. A variable the operator set, or a libc that is not
    glibc, is left alone."""
    if not sys.platform.startswith("linux"):
        return []
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return []
    return [
        name
        for name, (param, variable, value) in MALLOC_SETTINGS.items()
        if variable not in os.environ and libc.mallopt(param, value)
    ]


def serve(argv: list[str] | None = None) -> None:
    """tts-server [--host H] [--port P]: run the service with uvicorn (defaults from Settings / TTS_*)."""
    tune_malloc()
    import uvicorn

    from app.api import create_app
    from app.api.server import server_config

    settings = get_settings()
    parser = argparse.ArgumentParser(prog="tts-server", description=serve.__doc__)
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.port)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = settings.model_copy(update={"host": args.host, "port": args.port})  # the Host check follows --host
    config = server_config(create_app(settings), settings, log_level=args.log_level)
    uvicorn.Server(config).run()


def _say_parser(settings: Settings) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tts-say", description="Synthesize text to an audio file.")
    parser.add_argument("text", help="text to speak ('-' reads standard input)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="output file; the suffix picks the format")
    parser.add_argument(
        "-f", "--format", choices=AUDIO_FORMATS, help="audio format (default: from the suffix, else wav)"
    )
    parser.add_argument("-v", "--voice", default=None, help=f"voice (default: {settings.default_voice})")
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--pitch", type=float, default=0.0, help="semitones")
    parser.add_argument("--energy", type=float, default=1.0)
    parser.add_argument("--sample-rate", type=int, default=None)
    parser.add_argument("--ssml", action="store_true", help="the text is SSML")
    return parser


def format_for(path: Path, explicit: str | None) -> str:
    if explicit:
        return explicit
    suffix = path.suffix.lower().lstrip(".")
    return {"ogg": "opus", "ulaw": "mulaw", "raw": "pcm", "m4a": "aac"}.get(
        suffix, suffix if suffix in AUDIO_FORMATS else "wav"
    )


async def say_to_file(engine: Engine, args: argparse.Namespace) -> float:
    """Synthesize args.text with `engine` into args.output; returns the audio's duration in seconds."""
    from app.audio.encode import encode
    from app.audio.resample import resample
    from app.engine.types import SynthesisOptions

    options = SynthesisOptions(voice=args.voice, speed=args.speed, pitch=args.pitch, energy=args.energy)
    voice = engine.voice(args.voice)
    samples, _ = await engine.synthesize(args.text, options, ssml=args.ssml)
    fmt = format_for(args.output, args.format)
    rate = args.sample_rate or voice.sample_rate
    args.output.write_bytes(encode(resample(samples, voice.sample_rate, rate), rate, fmt))
    return float(samples.size / voice.sample_rate)


def say(argv: list[str] | None = None) -> None:
    """tts-say "text" -o out.wav"""
    from app.engine.engine import Engine
    from app.engine.types import SynthesisError

    settings = get_settings()
    args = _say_parser(settings).parse_args(argv)
    if args.text == "-":
        args.text = sys.stdin.read()

    async def run() -> float:
        engine = Engine.load(settings.engine_config())
        try:
            return await say_to_file(engine, args)
        finally:
            await engine.close()

    try:
        seconds = asyncio.run(run())
    except (SynthesisError, ValueError) as exc:
        sys.exit(f"tts-say: {exc}")
    print(f"{args.output}: {seconds:.2f} s", file=sys.stderr)


def text(argv: list[str] | None = None) -> None:
    """tts-text normalize|phonemes "text": the front end's work, as the /v1/text endpoints show it."""
    import json

    parser = argparse.ArgumentParser(prog="tts-text", description=text.__doc__)
    parser.add_argument("what", choices=["normalize", "phonemes"])
    parser.add_argument("text", help="text ('-' reads standard input)")
    args = parser.parse_args(argv)
    source = sys.stdin.read() if args.text == "-" else args.text
    if args.what == "normalize":
        from app.text.normalize import normalize

        print(normalize(source))
        return
    from app.text.frontend import TextFrontend

    seq = TextFrontend().analyze(source)
    words = [{"word": source[w.text_start : w.text_end], "spoken": w.spoken, "phonemes": " ".join(w.phonemes),
              "text_start": w.text_start, "text_end": w.text_end} for w in seq.words]  # fmt: skip
    print(json.dumps({"phonemes": " ".join(seq.symbols), "words": words}, indent=2))


def main(argv: list[str] | None = None) -> None:
    """python -m app [serve|say] ...: `serve` (the default) runs tts-server, `say` runs tts-say."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "say":
        say(argv[1:])
    else:
        serve(argv[1:] if argv and argv[0] == "serve" else argv)
