"""HTTP and WebSocket serving layer."""

from app.api.app import create_app

__all__ = ["create_app"]
