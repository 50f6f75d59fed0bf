"""WebSocket /v1/stream: incremental text in, audio frames out (protocol: docs/PROTOCOL.md)."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from app.api.deps import MetricsDep, SettingsDep, api_key_valid, unauthorized, websocket_api_key
from app.api.errors import RETRY_AFTER_S, ApiError
from app.api.guards import refuse_websocket
from app.api.ws import StreamSession

router = APIRouter(tags=["stream"])


@router.websocket("/v1/stream")
async def stream(websocket: WebSocket, settings: SettingsDep, metrics: MetricsDep) -> None:
    key, subprotocol = websocket_api_key(websocket)
    if not api_key_valid(settings, key):
        metrics.count_error("invalid_api_key")
        await refuse_websocket(websocket, unauthorized(), 1008)  # 1008: policy violation
        return
    engine = websocket.app.state.engine
    if engine is None:
        error = ApiError(
            503,
            "the engine is still loading; retry shortly",
            code="not_ready",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
        await refuse_websocket(websocket, error, 1013)  # 1013: try again later
        return
    await websocket.accept(subprotocol=subprotocol)
    metrics.websocket_connections.inc()
    try:
        await StreamSession(websocket, engine, settings, metrics).run()
    finally:
        metrics.websocket_connections.dec()
