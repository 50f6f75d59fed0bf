"""WebSocket /v1/stream: incremental text in, audio frames out (protocol: docs/PROTOCOL.md)."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from app.api.deps import MetricsDep, SettingsDep, api_key_valid, unauthorized, websocket_api_key
from app.api.errors import RETRY_AFTER_S, ApiError, error_response
from app.api.ws import StreamSession

router = APIRouter(tags=["stream"])


async def _refuse(websocket: WebSocket, error: ApiError, close_code: int) -> None:
    """Refuse the handshake: with an HTTP error response where the server supports it, else a close code."""
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(error_response(error))
    else:
        await websocket.close(close_code, error.message)


@router.websocket("/v1/stream")
async def stream(websocket: WebSocket, settings: SettingsDep, metrics: MetricsDep) -> None:
    key, subprotocol = websocket_api_key(websocket)
    if not api_key_valid(settings, key):
        metrics.count_error("invalid_api_key")
        await _refuse(websocket, unauthorized(), 1008)  # 1008: policy violation
        return
    engine = websocket.app.state.engine
    if engine is None:
        error = ApiError(
            503,
            "the engine is still loading; retry shortly",
            code="not_ready",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
        await _refuse(websocket, error, 1013)  # 1013: try again later
        return
    await websocket.accept(subprotocol=subprotocol)
    metrics.websocket_connections.inc()
    try:
        await StreamSession(websocket, engine, settings, metrics).run()
    finally:
        metrics.websocket_connections.dec()
