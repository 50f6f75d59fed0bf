"""The FastAPI application: routes, error handlers, CORS, and an engine that loads in the background."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from app.api.compat import cartesia, deepgram, elevenlabs
from app.api.errors import install_error_handlers
from app.api.guards import BodyLimit, BrowserGuard, redact_server_logs
from app.api.metrics import Metrics
from app.api.request_id import RequestId
from app.api.routes import health, openai, stream, text, tts
from app.engine.engine import Engine
from app.settings import Settings, get_settings

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"


async def _load_engine(app: FastAPI, settings: Settings, engine: Engine | None) -> None:
    """Load (unless given) and warm up the engine; /health answers meanwhile, /ready says 503."""
    try:
        if engine is None:
            engine = await asyncio.to_thread(Engine.load, settings.engine_config())
            app.state.owned_engine = engine
        await engine.warmup()
    except Exception as exc:
        log.exception("loading the engine failed")
        app.state.load_error = f"{type(exc).__name__}: {exc}"
        return
    app.state.engine = engine
    app.state.ready = True
    log.info("engine ready: voices %s", ", ".join(sorted(engine.voices)))


def _schema_without_auth(app: FastAPI) -> None:
    """Drop the security schemes FastAPI derives from the key dependencies: with no keys set, none applies."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)  # builds and caches app.openapi_schema
            schema.get("components", {}).pop("securitySchemes", None)
            for path in schema.get("paths", {}).values():
                for operation in path.values():
                    if isinstance(operation, dict):
                        operation.pop("security", None)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the app. An `engine` passed in is shared (warmed here, never closed here); otherwise the
    app loads its own from `settings` at startup and closes it at shutdown."""
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loading = asyncio.create_task(_load_engine(app, settings, engine), name="load-engine")
        try:
            yield
        finally:
            loading.cancel()
            await asyncio.gather(loading, return_exceptions=True)
            app.state.ready = False
            owned: Engine | None = app.state.owned_engine
            if owned is not None:
                await owned.close()

    app = FastAPI(
        title="Text-to-speech",
        summary="Streaming neural TTS: native, OpenAI-compatible and WebSocket APIs",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.state.engine = None
    app.state.owned_engine = None
    app.state.ready = False
    app.state.load_error = None

    install_error_handlers(app)
    redact_server_logs()
    app.add_middleware(BodyLimit)  # innermost of the three: a 413 still carries CORS headers
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key"],
            expose_headers=["X-Sample-Rate", "X-Audio-Duration", "Retry-After", "X-Request-Id"],
        )
    app.add_middleware(BrowserGuard)  # outermost: a foreign Host or WebSocket Origin goes no further
    app.add_middleware(RequestId)  # every answer carries x-request-id, refusals by the guards too

    for module in (health, tts, openai, text, stream, cartesia, elevenlabs, deepgram):
        app.include_router(module.router)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if not settings.api_keys:
        _schema_without_auth(app)  # the schema says what the server checks: no keys, no authentication

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    return app
