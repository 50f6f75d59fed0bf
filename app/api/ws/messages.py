"""The WebSocket protocol's messages: what a client may send (validated) and the server's events."""

from __future__ import annotations

import contextlib
import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, TypeAdapter, ValidationError

from app.api.errors import validation_error
from app.api.schemas import SampleRate, StrictModel, VoiceParams
from app.audio.encode import AudioFormat
from app.streaming.text_in import BUFFER_CHARS, BUFFER_DELAY_MS

DEFAULT_CONTEXT_ID = "default"


def _fits_frame_header(context_id: str) -> str:
    if len(context_id.encode()) > 255:
        raise ValueError("context_id must be at most 255 bytes of UTF-8")
    return context_id


ContextId = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_fits_frame_header)]


class StartMessage(VoiceParams):
    type: Literal["start"]
    context_id: ContextId = DEFAULT_CONTEXT_ID
    format: AudioFormat = "pcm"
    sample_rate: SampleRate | None = None
    binary: bool = Field(default=True, description="false: audio as JSON events with base64 instead of binary frames")
    buffer_chars: int | None = Field(
        default=BUFFER_CHARS, ge=20, le=300, description="unpunctuated text this long starts a phrase; null: at 300"
    )
    buffer_delay_ms: float | None = Field(
        default=BUFFER_DELAY_MS, ge=0, le=10000, description="text waiting this long starts a phrase; null: never"
    )


class TextMessage(StrictModel):
    type: Literal["text"]
    context_id: ContextId = DEFAULT_CONTEXT_ID
    text: str


class FlushMessage(StrictModel):
    type: Literal["flush"]
    context_id: ContextId = DEFAULT_CONTEXT_ID


class CancelMessage(StrictModel):
    type: Literal["cancel"]
    context_id: ContextId = DEFAULT_CONTEXT_ID


class CloseMessage(StrictModel):
    type: Literal["close"]
    context_id: ContextId = DEFAULT_CONTEXT_ID


class CloseSocketMessage(StrictModel):
    type: Literal["close_socket"]


ClientMessage = Annotated[
    StartMessage | TextMessage | FlushMessage | CancelMessage | CloseMessage | CloseSocketMessage,
    Field(discriminator="type"),
]
_CLIENT_MESSAGE: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
MESSAGE_TYPES = ("start", "text", "flush", "cancel", "close", "close_socket")


class ProtocolError(Exception):
    """A client mistake, answered with an error event; the socket stays open."""

    def __init__(self, code: str, message: str, context_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.context_id = context_id


def _context_id_of(raw: str) -> str | None:
    """Best effort, for error events about a message that failed validation."""
    with contextlib.suppress(ValueError):
        data = json.loads(raw)
        if isinstance(data, dict) and isinstance(data.get("context_id"), str):
            return str(data["context_id"])[:64]
    return None


def parse_message(raw: str) -> ClientMessage:
    try:
        return _CLIENT_MESSAGE.validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors()
        kind = errors[0]["type"] if errors else ""
        if kind == "json_invalid":
            raise ProtocolError("invalid_json", f"message is not valid JSON: {errors[0]['msg']}") from None
        if kind in ("model_attributes_type", "model_type", "dict_type"):
            raise ProtocolError("invalid_message", "a message must be a JSON object") from None
        if kind == "union_tag_not_found":
            raise ProtocolError("invalid_message", "message has no 'type'", _context_id_of(raw)) from None
        if kind == "union_tag_invalid":
            tag = errors[0].get("ctx", {}).get("tag", "")
            expected = ", ".join(MESSAGE_TYPES)
            raise ProtocolError("unknown_type", f"unknown message type {tag!r}; expected one of {expected}") from None
        # loc starts with the message type (the union member): drop it, keep the field path
        fields = [{**error, "loc": tuple(error["loc"][1:])} for error in errors]
        summary = validation_error(fields)
        raise ProtocolError("invalid_message", summary.message, _context_id_of(raw)) from None


Outgoing = bytes | dict[str, Any]


def error_event(code: str, message: str, context_id: str | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if context_id is not None:
        event["context_id"] = context_id
    return event


def frame_prefix(context_id: str) -> bytes:
    """Binary audio frames start with: 1 byte N, then N bytes of the context id in UTF-8."""
    encoded = context_id.encode()
    return bytes([len(encoded)]) + encoded
