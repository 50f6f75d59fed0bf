"""What the Cartesia, ElevenLabs and Deepgram adapters share: the handshake (key, readiness, refusal), running a
session in a protocol's wire format, and the G.711 and float conversions of raw PCM some of them ask for."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import numpy as np
from starlette.responses import Response
from starlette.websockets import WebSocket

from app.api.deps import api_key_valid
from app.api.metrics import Metrics
from app.api.ws.messages import ProtocolError
from app.api.ws.session import StreamSession
from app.api.ws.wire import WireProtocol
from app.audio.encode import mulaw_encode
from app.engine.engine import Engine
from app.settings import Settings

log = logging.getLogger(__name__)

# Raw audio the adapters make from our 16-bit PCM (AudioOut's "pcm"); everything else is an AudioOut format.
RAW_CONVERSIONS = ("pcm_f32le", "mulaw", "alaw")


def json_object(raw: str) -> dict[str, Any]:
    """A client message that must be one JSON object (every compatible protocol's rule), else a ProtocolError."""
    try:
        data = json.loads(raw)
    except ValueError:
        raise ProtocolError("invalid_json", "message is not valid JSON") from None
    if not isinstance(data, dict):
        raise ProtocolError("invalid_message", "a message must be a JSON object")
    return data


def key_from_authorization(value: str, schemes: tuple[str, ...] = ("bearer",)) -> str | None:
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() in schemes and credentials.strip():
        return credentials.strip()
    return None


def key_accepted(settings: Settings, presented: str | None) -> bool:
    return api_key_valid(settings, presented)


async def refuse(websocket: WebSocket, response: Response, close_code: int, reason: str) -> None:
    """Refuse the handshake with an HTTP response (status, headers and body the protocol's clients read),
    or a close code where the server cannot send one."""
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(response)
    else:
        await websocket.close(close_code, reason[:120])


def engine_of(websocket: WebSocket) -> Engine | None:
    engine: Engine | None = websocket.app.state.engine
    return engine


async def serve(websocket: WebSocket, protocol: WireProtocol, *, subprotocol: str | None = None) -> None:
    """Accept the socket and run one session in `protocol`'s wire format until it closes."""
    settings: Settings = websocket.app.state.settings
    metrics: Metrics = websocket.app.state.metrics
    engine = engine_of(websocket)
    assert engine is not None  # checked by the route before accepting
    await websocket.accept(subprotocol=subprotocol)
    metrics.websocket_connections.inc()
    try:
        await StreamSession(websocket, engine, settings, metrics, protocol).run()
    finally:
        metrics.websocket_connections.dec()


def pcm16_to(encoding: str) -> Callable[[bytes], bytes]:
    """A converter of 16-bit little-endian PCM bytes to `encoding` (one of RAW_CONVERSIONS), sample for sample."""
    if encoding == "pcm_f32le":
        return lambda data: (np.frombuffer(data, "<i2").astype("<f4") / 32768.0).astype("<f4").tobytes()
    if encoding == "mulaw":
        return lambda data: mulaw_encode(np.frombuffer(data, "<i2").astype(np.float32) / 32767.0).tobytes()
    if encoding == "alaw":
        return lambda data: alaw_encode(np.frombuffer(data, "<i2")).tobytes()
    raise ValueError(f"no conversion to {encoding!r}")


def alaw_encode(pcm: np.ndarray) -> np.ndarray:
    """G.711 A-law of 16-bit samples (the ITU reference: 13-bit magnitude, segment and 4-bit mantissa, even
    bits inverted) -> uint8."""
    x = pcm.astype(np.int32) >> 3  # 13-bit
    sign = np.where(x >= 0, 0x80, 0x00)
    magnitude = np.where(x >= 0, x, -x - 1)
    magnitude = np.minimum(magnitude, 0x0FFF)
    segment = np.zeros_like(magnitude)
    for bound in (0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF):
        segment += magnitude > bound
    mantissa = np.where(segment == 0, magnitude >> 1, magnitude >> segment) & 0x0F
    codes = (sign | (segment << 4) | mantissa) ^ 0x55
    result: np.ndarray = codes.astype(np.uint8)
    return result
