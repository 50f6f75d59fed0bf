"""Stream text to /v1/stream the way an LLM would (a few characters at a time) and save the audio.

    python examples/ws_client.py "Hello there! How are you today?" -o hello.wav
    python examples/ws_client.py --url ws://127.0.0.1:8000/v1/stream --api-key KEY --speed 1.2 "Text" -o out.wav

Prints the time to the first audio frame and each word's timestamp as it arrives. Needs `websockets`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import wave
from pathlib import Path

import websockets


async def stream(args: argparse.Namespace) -> None:
    url = args.url + (f"?api_key={args.api_key}" if args.api_key else "")
    context_id = "example"
    audio = bytearray()
    rate = args.sample_rate
    async with websockets.connect(url, max_size=None) as ws:
        await ws.send(
            json.dumps(
                {
                    "type": "start",
                    "context_id": context_id,
                    "voice": args.voice,
                    "format": "pcm",
                    "sample_rate": args.sample_rate,
                    "speed": args.speed,
                }
            )
        )
        sent_at = time.perf_counter()

        async def send_text() -> None:
            # Simulated LLM tokens: the server starts speaking at the first phrase boundary.
            for i in range(0, len(args.text), args.piece_chars):
                await ws.send(
                    json.dumps({"type": "text", "context_id": context_id, "text": args.text[i : i + args.piece_chars]})
                )
                await asyncio.sleep(args.piece_delay)
            await ws.send(json.dumps({"type": "close", "context_id": context_id}))

        sender = asyncio.create_task(send_text())
        first_audio = None
        async for message in ws:
            if isinstance(message, bytes):
                header = 1 + message[0]  # 1 byte N, N bytes of context id, then the audio
                if first_audio is None:
                    first_audio = time.perf_counter() - sent_at
                    print(f"first audio after {first_audio * 1000:.0f} ms", file=sys.stderr)
                audio += message[header:]
                continue
            event = json.loads(message)
            if event["type"] == "words":
                for word in event["words"]:
                    print(f"{word['start']:7.3f} {word['end']:7.3f}  {word['word']}")
            elif event["type"] == "started":
                rate = event["sample_rate"]
            elif event["type"] == "error":
                print(f"error {event['code']}: {event['message']}", file=sys.stderr)
                if event.get("context_id") == context_id:
                    break
            elif event["type"] == "done":
                break
        await sender
        await ws.send(json.dumps({"type": "close_socket"}))

    with wave.open(str(args.output), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(audio))
    print(f"{args.output}: {len(audio) / 2 / rate:.2f} s of audio", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("text")
    parser.add_argument("-o", "--output", type=Path, default=Path("out.wav"))
    parser.add_argument("--url", default="ws://127.0.0.1:8000/v1/stream")
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--voice", default=None)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--sample-rate", type=int, default=24000)
    parser.add_argument("--piece-chars", type=int, default=4, help="characters per simulated LLM token")
    parser.add_argument("--piece-delay", type=float, default=0.02, help="seconds between tokens")
    try:
        asyncio.run(stream(parser.parse_args()))
    except websockets.InvalidStatus as exc:  # refused: 401 bad API key, 503 still loading
        sys.exit(f"connection refused: HTTP {exc.response.status_code} {exc.response.body.decode(errors='replace')}")


if __name__ == "__main__":
    main()
