"""Guards in front of the routes: request bodies bounded in size and time, browser origins and Host names
checked (DNS rebinding), credentials kept out of the logs."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from urllib.parse import unquote_plus

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from app.api.errors import ApiError, error_response
from app.settings import Settings


def _settings(scope: Scope) -> Settings:
    settings: Settings = scope["app"].state.settings  # read per request, as the routes do
    return settings


class BodyLimit:
    """Read an HTTP request's body before the app sees it: at most `max_body_bytes` (413) within
    `body_timeout_s` (408), so neither a large body nor a slow one holds a handler. The app then reads the
    body from memory."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = _settings(scope)
        limit, timeout_s = settings.max_body_bytes, settings.body_timeout_s
        too_large = ApiError(413, f"request bodies are limited to {limit} bytes", code="body_too_large",
                             headers={"Connection": "close"})  # fmt: skip
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await error_response(too_large)(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        refusal: ApiError | None = None
        try:
            async with asyncio.timeout(timeout_s):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > limit:
                        refusal = too_large
                        break
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            refusal = ApiError(408, f"the request body did not arrive within {timeout_s:g} s", code="body_timeout",
                               headers={"Connection": "close"})  # fmt: skip
        if refusal is not None:
            await error_response(refusal)(scope, receive, send)
            return
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: the disconnect a streaming response listens for

        await self.app(scope, replay, send)


def _host_name(host: str) -> str:
    """'example.com:8000' -> 'example.com'; '[::1]:8000' -> '::1'."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(host: str, patterns: list[str]) -> bool:
    name = _host_name(host)
    for pattern in patterns:
        if pattern == "*" or name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:])):
            return True
    return False


_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}


def _authority(host: str, scheme: str) -> str:
    """'Example.com:80' for http -> 'example.com': the default port written or not is the same origin."""
    host = host.strip().lower()
    port = _DEFAULT_PORTS.get(scheme)
    return host[: -len(port) - 1] if port and host.endswith(f":{port}") else host


def origin_allowed(origin: str, host: str, cors_origins: list[str]) -> bool:
    """A browser's Origin: the page's own server (same origin), or one the CORS setting allows."""
    if origin in cors_origins or "*" in cors_origins:
        return True
    scheme, _, authority = origin.partition("://")
    return bool(authority) and _authority(authority, scheme) == _authority(
        host, "https" if scheme in ("https", "wss") else "http"
    )


class BrowserGuard:
    """Header size, Host and Origin checks. The Host header must name this server (`allowed_hosts`), which stops DNS
    rebinding (a web page whose own name resolves to 127.0.0.1). A WebSocket handshake that carries an Origin
    (every browser's does) must come from the same origin or one `cors_origins` allows: CORS does not cover
    WebSockets, so without this any page could drive a local server. With API keys set the key decides
    instead (a page without one can do nothing), so browser clients elsewhere may use their key."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        settings = _settings(scope)
        headers = {name: value.decode("latin-1") for name, value in scope["headers"]}
        host = headers.get(b"host", "")
        size = len(scope.get("raw_path", b"")) + len(scope.get("query_string", b""))
        size += sum(len(name) + len(value) + 4 for name, value in scope["headers"])
        error = None
        if size > settings.max_header_bytes:  # h11 bounds what it buffers; a block read at once lands here
            error = ApiError(431, f"request headers are limited to {settings.max_header_bytes} bytes",
                             code="headers_too_large")  # fmt: skip
        elif not host_allowed(host, settings.trusted_hosts()):
            error = ApiError(400, f"this server does not answer to host {host!r} (TTS_ALLOWED_HOSTS)",
                             code="invalid_host")  # fmt: skip
        elif (
            scope["type"] == "websocket"
            and not settings.api_keys
            and b"origin" in headers
            and not origin_allowed(headers[b"origin"], host, settings.cors_origins)
        ):
            error = ApiError(403, f"origin {headers[b'origin']!r} is not allowed", code="origin_not_allowed")
        if error is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await refuse_websocket(WebSocket(scope, receive, send), error, 1008)
        else:
            await error_response(error)(scope, receive, send)


async def refuse_websocket(websocket: WebSocket, error: ApiError, close_code: int) -> None:
    """Refuse a handshake: with an HTTP error response where the server supports it, else a close code."""
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(error_response(error))
    else:
        await websocket.close(close_code, error.message)


class ClientTooSlow(Exception):
    """The client keeps the server waiting longer than ReadPace allows."""


class ReadPace:
    """How long a client may keep the server waiting to send it more. Each send may wait `send_timeout_s`; over
    the whole stream the time spent waiting may not exceed `send_timeout_s` plus the seconds of audio made for it
    so far divided by `min_rate`. A player reading in real time waits on nothing it has not heard; a client that
    reads a trickle (fast enough for every single send) would otherwise hold an engine slot for hours. Only time
    the server spends blocked on the client counts: a slow engine never cuts a client off."""

    def __init__(self, send_timeout_s: float, min_rate: float, audio_s: Callable[[], float]) -> None:
        self.send_timeout_s = send_timeout_s
        self.min_rate = min_rate
        self._audio_s = audio_s
        self.waited_s = 0.0

    def allowance(self) -> float:
        """Seconds the next send may wait (0 or less: the client is too far behind)."""
        if self.min_rate <= 0:
            return self.send_timeout_s
        return min(self.send_timeout_s, self.send_timeout_s + self._audio_s() / self.min_rate - self.waited_s)

    async def send(self, sending: Callable[[], Awaitable[None]]) -> None:
        """Run one send within the allowance; raises ClientTooSlow."""
        allowance = self.allowance()
        if allowance <= 0:
            raise ClientTooSlow
        started = time.perf_counter()
        try:
            async with asyncio.timeout(allowance):
                await sending()
        except TimeoutError:
            raise ClientTooSlow from None
        finally:
            self.waited_s += time.perf_counter() - started


_QUERY_PARAMETER = re.compile(r"([?&])([^=&\s\"'?]+)=([^&\s\"']*)")
_CREDENTIAL_NAME = re.compile(r"(?i)[a-z_-]*api[_-]?key|key|token|access_token|auth|authorization|password")


def _redacted(match: re.Match[str]) -> str:
    sep, name, _ = match.groups()
    # the name as the server reads it: '?api%5Fkey=' and '?api+key=' reach the same parameter as '?api_key='
    if _CREDENTIAL_NAME.fullmatch(unquote_plus(name)):
        return f"{sep}{name}=[redacted]"
    return match.group(0)


def redact(text: str) -> str:
    """Credentials in a query string replaced: '/v1/stream?api_key=secret' -> '/v1/stream?api_key=[redacted]'."""
    return _QUERY_PARAMETER.sub(_redacted, text)


class RedactCredentials(logging.Filter):
    """Keeps API keys sent as query parameters (the browser WebSocket route) out of every log line that
    carries a path: uvicorn's access log and its WebSocket 'accepted' lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def redact_server_logs(loggers: tuple[str, ...] = ("uvicorn.access", "uvicorn.error", "app")) -> None:
    for name in loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactCredentials) for f in logger.filters):
            logger.addFilter(RedactCredentials())
