"""Operations: liveness, readiness and Prometheus metrics (no API key: probes and scrapers have none)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel

from app.api.deps import MetricsDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready", "loading", "failed"]
    voices: list[str]
    detail: str | None = None


@router.get("/health")
async def health() -> Health:
    """Liveness: the process answers. Always 200 while the server is up."""
    return Health()


@router.get("/ready", response_model=Readiness, responses={503: {"model": Readiness}})
async def ready(request: Request) -> JSONResponse:
    """Readiness: 200 once the voices are loaded and warmed up, 503 until then (or if loading failed)."""
    state = request.app.state
    engine = state.engine
    if engine is not None and state.ready:
        body = Readiness(status="ready", voices=sorted(engine.voices))
        return JSONResponse(body.model_dump(), status_code=200)
    status: Literal["loading", "failed"] = "failed" if state.load_error else "loading"
    body = Readiness(status=status, voices=[], detail=state.load_error)
    return JSONResponse(body.model_dump(), status_code=503, headers={"Retry-After": "1"})


@router.get("/metrics", response_class=Response)
async def metrics(request: Request, metrics: MetricsDep) -> Response:
    return Response(metrics.render(request.app.state.engine), media_type=CONTENT_TYPE_LATEST)
