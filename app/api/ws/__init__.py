"""The WebSocket /v1/stream protocol (docs/PROTOCOL.md): messages, the bounded outbox, sessions."""

from app.api.ws.session import StreamSession

__all__ = ["StreamSession"]
