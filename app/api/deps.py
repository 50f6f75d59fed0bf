"""Request dependencies, as `Annotated` aliases: routes say `settings: SettingsDep`, `engine: EngineDep`."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from app.api.errors import RETRY_AFTER_S, ApiError
from app.api.metrics import Metrics
from app.engine.engine import Engine
from app.settings import Settings

# Browsers cannot set headers on a WebSocket handshake: they pass the key as a query parameter or as
# the subprotocol pair ["token", KEY] (see websocket_api_key).
API_KEY_QUERY_PARAM = "api_key"
API_KEY_SUBPROTOCOL = "token"


def get_settings(conn: HTTPConnection) -> Settings:
    settings: Settings = conn.app.state.settings
    return settings


def get_engine(conn: HTTPConnection) -> Engine:
    engine: Engine | None = conn.app.state.engine
    if engine is None:
        raise ApiError(
            503,
            "the engine is still loading; retry shortly",
            code="not_ready",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    return engine


def get_metrics(conn: HTTPConnection) -> Metrics:
    metrics: Metrics = conn.app.state.metrics
    return metrics


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]


def header_api_key(conn: HTTPConnection) -> str | None:
    """`Authorization: Bearer KEY` (what OpenAI SDKs send) or `X-API-Key: KEY`."""
    authorization = conn.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return conn.headers.get("x-api-key") or None


def websocket_api_key(conn: HTTPConnection) -> tuple[str | None, str | None]:
    """(presented key, subprotocol to accept). Browsers pass the key as `?api_key=` or as the subprotocol
    pair ["token", KEY] (`new WebSocket(url, ["token", key])`, as Deepgram does); we then accept "token"."""
    key = header_api_key(conn) or conn.query_params.get(API_KEY_QUERY_PARAM) or None
    offered = [p.strip() for p in conn.headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
    if API_KEY_SUBPROTOCOL in offered:
        index = offered.index(API_KEY_SUBPROTOCOL)
        if key is None and index + 1 < len(offered):
            key = offered[index + 1]
        return key, API_KEY_SUBPROTOCOL
    return key, None


def api_key_valid(settings: Settings, presented: str | None) -> bool:
    if not settings.api_keys:
        return True  # authentication is off
    if not presented:
        return False
    candidate = presented.encode()
    matched = False
    for key in settings.api_keys:  # check every key: the time taken says nothing about which one matched
        matched |= hmac.compare_digest(key.encode(), candidate)
    return matched


def unauthorized() -> ApiError:
    return ApiError(401, "invalid or missing API key", code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"})


# Declared for the OpenAPI schema (its securitySchemes); header_api_key reads the same two headers.
_BEARER = HTTPBearer(auto_error=False, description="an API key as `Authorization: Bearer KEY` (when keys are set)")
_KEY_HEADER = APIKeyHeader(name="X-API-Key", auto_error=False, description="an API key (when keys are set)")


async def require_api_key(
    conn: HTTPConnection,
    settings: SettingsDep,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
    _header: Annotated[str | None, Depends(_KEY_HEADER)],
) -> None:
    if not api_key_valid(settings, header_api_key(conn)):
        raise unauthorized()


Authenticated = Annotated[None, Depends(require_api_key)]
# For router-level use: APIRouter(dependencies=[REQUIRE_API_KEY]).
REQUIRE_API_KEY = Depends(require_api_key)
