"""The HTTP server around the app: uvicorn with limits on what a client may send and how slowly.

uvicorn's default parser (httptools) takes request headers of any size, and no uvicorn parser times out a
client that trickles its first request's headers (the keep-alive timer starts after a first response). So
the service runs on h11, which caps the header block (`max_header_bytes`), with a timer from the moment a
connection opens until its request line and headers are complete (`header_timeout_s`). Bodies are bounded by
`app.api.guards.BodyLimit` (size and time), a middleware that works under any server.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import h11
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.settings import Settings


class _AbortingTransport:
    """The connection's transport, except that a close which cannot flush (a client that reads nothing: asyncio
    keeps the bytes and the socket until it does) becomes an abort after `grace_s`. Everything else is the
    transport's own; the WebSocket protocol an upgrade hands the connection to gets this one too."""

    def __init__(self, transport: asyncio.Transport, grace_s: float) -> None:
        self._transport = transport
        self._grace_s = grace_s

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)

    def close(self) -> None:
        self._transport.close()
        asyncio.get_running_loop().call_later(self._grace_s, self._abort_if_stuck)

    def _abort_if_stuck(self) -> None:
        if self._transport.get_write_buffer_size() > 0:
            self._transport.abort()


def header_timeout_protocol(
    timeout_s: float, close_grace_s: float = 15.0, send_buffer: int | None = None
) -> type[H11Protocol]:
    """h11 with a deadline for each request's line and headers, from the moment the connection opens or the
    previous response ends (uvicorn's keep-alive timer stops at the first byte, however slow the rest), and
    closes that give up after `close_grace_s` when the client reads nothing."""

    class HeaderTimeoutH11Protocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            sock = transport.get_extra_info("socket")
            if send_buffer is not None and sock is not None:
                # a fixed kernel buffer: autotuning lets megabytes (a minute of audio) pile up for a client that
                # reads nothing, and the send timeout only starts once the server's own writes block
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
            super().connection_made(_AbortingTransport(transport, close_grace_s))  # type: ignore[arg-type]
            self._arm_header_timer()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
            super().connection_lost(exc)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm_header_timer()

        def _arm_header_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
            self._header_timer = self.loop.call_later(timeout_s, self._headers_late)

        def _headers_late(self) -> None:
            self._header_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():  # no complete request yet
                self.logger.info("closing a connection whose request headers took over %g s", timeout_s)
                self.transport.close()

    return HeaderTimeoutH11Protocol


def server_config(app: ASGIApp, settings: Settings, **overrides: Any) -> uvicorn.Config:
    """The uvicorn configuration `tts-server` runs (the tests' live servers use it too)."""
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "http": header_timeout_protocol(
            settings.header_timeout_s, settings.send_timeout_s, settings.socket_send_buffer_bytes
        ),
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        # Above our own per-message limit, so an oversized message gets our error event, not a dropped socket.
        "ws_max_size": 4 * settings.ws_max_message_bytes,
        "server_header": False,
    }
    options.update(overrides)
    return uvicorn.Config(app, **options)
