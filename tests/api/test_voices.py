"""One voice resolution for every entry point: OpenAI's names work on our WebSocket as on the HTTP API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.voices import OPENAI_VOICES, openai_alias, resolve_voice
from app.engine.engine import Engine
from app.engine.types import UnknownVoice


def test_resolution(engine: Engine) -> None:
    default = engine.voice(None)
    assert resolve_voice(engine, None) == default
    for name in engine.voices:
        assert resolve_voice(engine, name).name == name
    assert resolve_voice(engine, "Alloy") == default
    assert resolve_voice(engine, "onyx") == default
    assert resolve_voice(engine, "nova").name == resolve_voice(engine, "Shimmer").name == "slt"  # female names
    assert resolve_voice(engine, "x-1", foreign=lambda name: name.startswith("x-")) == default
    with pytest.raises(UnknownVoice, match="alloy"):  # the message lists what is accepted
        resolve_voice(engine, "x-1")


@pytest.mark.parametrize("voice", ["alloy", "NOVA"])
def test_websocket_accepts_openai_voice_names(client: TestClient, engine: Engine, voice: str) -> None:
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "context_id": "c", "voice": voice})
        started = ws.receive_json()
        assert started["type"] == "started" and started["voice"] == openai_alias(engine, voice).name
        ws.send_json({"type": "text", "context_id": "c", "text": "Hi."})
        ws.send_json({"type": "close", "context_id": "c"})
        events: list[dict[str, Any]] = []
        while not events or events[-1]["type"] != "done":
            message = ws.receive()
            if message.get("text"):
                events.append(json.loads(message["text"]))
        assert not [e for e in events if e["type"] == "error"]
    assert voice.lower() in OPENAI_VOICES


def test_unknown_voice_on_the_websocket_lists_the_aliases(client: TestClient) -> None:
    with client.websocket_connect("/v1/stream") as ws:
        ws.send_json({"type": "start", "voice": "nobody"})
        error = ws.receive_json()
        assert error["code"] == "unknown_voice" and "alloy" in error["message"]
