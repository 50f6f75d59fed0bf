"""tts-say writes a decodable file in the format its suffix names."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.cli import _say_parser, format_for, say_to_file
from app.settings import Settings


@pytest.mark.parametrize(("name", "fmt"), [("out.wav", "wav"), ("out.mp3", "mp3"), ("out.ogg", "opus")])
def test_say_writes_the_format_of_the_suffix(
    client: TestClient, engine, decode, tmp_path: Path, name: str, fmt: str
) -> None:
    path = tmp_path / name
    args = _say_parser(Settings()).parse_args(["Hello from the command line.", "-o", str(path)])
    assert format_for(path, None) == fmt
    assert client.portal is not None
    seconds = client.portal.call(say_to_file, engine, args)
    samples, rate = decode(path.read_bytes(), fmt)
    assert rate == (48000 if fmt == "opus" else engine.voice(None).sample_rate)
    assert abs(samples.size / rate - seconds) < 0.06


def test_format_for() -> None:
    assert format_for(Path("a.xyz"), None) == "wav"
    assert format_for(Path("a.wav"), "flac") == "flac"
    assert asyncio.iscoroutinefunction(say_to_file)


def test_text_cli_normalizes_and_phonemizes(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from app.cli import text

    text(["normalize", "Dr. Smith paid $5."])
    assert capsys.readouterr().out.strip() == "doctor smith paid five dollars."
    text(["phonemes", "I read it."])
    out = json.loads(capsys.readouterr().out)
    assert [w["word"] for w in out["words"]] == ["I", "read", "it"]
    assert out["words"][1]["phonemes"] in ("R IY1 D", "R EH1 D")
    assert out["phonemes"].startswith("^ AY1")


@pytest.mark.parametrize(
    ("env", "applied"),
    [
        ({}, ["arena_max", "mmap_threshold"]),
        ({"MALLOC_ARENA_MAX": "4"}, ["mmap_threshold"]),
        ({"MALLOC_ARENA_MAX": "4", "MALLOC_MMAP_THRESHOLD_": "65536"}, []),
    ],
)
def test_server_tunes_malloc_unless_told(env: dict[str, str], applied: list[str]) -> None:
    """glibc's mallopt is really called (in a fresh interpreter, as tts-server's first step); an operator's
    variable wins."""
    import os
    import subprocess
    import sys

    base = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    code = "from app.cli import tune_malloc; print(','.join(tune_malloc()))"
    out = subprocess.run([sys.executable, "-c", code], env=base | env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ",".join(applied)
