"""Adapters that serve the engine over third-party protocols (Wyoming for Home Assistant).

They depend on the engine, never on the HTTP layer (app.api), so each runs as its own process.
"""
