"""`x-request-id` on every response: the client's own id when it sent a sane one, else a new one.

HTTP responses carry it as a header (the openai SDK exposes it as `response.request_id`; LiveKit's plugins
log it and warn without one), and so do WebSocket handshake answers, accepted or refused. It is also logged
with every request that fails, so a client's report can be matched to the server's log.
"""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # echoed only if it cannot smuggle anything into a header or a log


def request_id(scope: Scope) -> str | None:
    """The id of the request or WebSocket `scope` (set by RequestId)."""
    state = scope.get("state") or {}
    value = state.get("request_id")
    return value if isinstance(value, str) else None


class RequestId:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        offered = next((value.decode("latin-1") for name, value in scope["headers"] if name == HEADER.encode()), "")
        rid = offered if _SANE.fullmatch(offered) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid

        async def send_with_id(message: Message) -> None:
            kind = message["type"]
            if kind in ("http.response.start", "websocket.http.response.start"):
                headers = MutableHeaders(scope=message)
                if HEADER not in headers:
                    headers.append(HEADER, rid)
            elif kind == "websocket.accept":
                headers_list = list(message.get("headers") or [])
                if not any(name.lower() == HEADER.encode() for name, _ in headers_list):
                    headers_list.append((HEADER.encode(), rid.encode()))
                message = {**message, "headers": headers_list}
            await send(message)

        await self.app(scope, receive, send_with_id)
