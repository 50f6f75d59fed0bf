"""One error shape for every HTTP error: OpenAI's `{"error": {"message", "type", "param", "code"}}`.

Using OpenAI's shape everywhere means OpenAI SDKs parse our errors on every route, and clients of the
native API get one shape to handle. Bad input is always a 4xx; a 500 means a bug and is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.engine.types import EngineBusy, SpeechTooLong, SynthesisError

log = logging.getLogger(__name__)

RETRY_AFTER_S = 1  # engine queue full / not ready yet: a short, fixed back-off hint


class ApiError(Exception):
    """An error with a status and a stable machine-readable code; rendered by the handler below."""

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        code: str,
        param: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.code = code
        self.param = param
        self.headers = dict(headers or {})


class ErrorDetail(BaseModel):
    message: str = Field(description="what went wrong, for people")
    type: str = Field(description="invalid_request_error, authentication_error, not_found_error, server_error, ...")
    param: str | None = Field(description="the request field at fault, if one is")
    code: str = Field(description="stable and machine-readable: text_too_long, unknown_voice, engine_busy, ...")


class ErrorResponse(BaseModel):
    """The body of every HTTP error."""

    error: ErrorDetail


_ERROR_DESCRIPTIONS = {
    400: "A body that cannot be read (not UTF-8); on the OpenAI-compatible routes, any invalid request (as OpenAI)",
    401: "Missing or wrong API key (only when the server has API keys)",
    413: "Text over the server's length limit",
    422: "Invalid request: a bad field, or text the engine cannot speak",
    503: "The engine is loading, busy or timed out; retry after Retry-After seconds",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the error statuses a route can answer, all with the ErrorResponse body.
    Declaring 422 also replaces FastAPI's default `HTTPValidationError`, which is not what we send."""
    return {status: {"model": ErrorResponse, "description": _ERROR_DESCRIPTIONS[status]} for status in statuses}


def error_type(status_code: int) -> str:
    if status_code == 401:
        return "authentication_error"
    if status_code == 403:
        return "permission_error"
    if status_code == 404:
        return "not_found_error"
    if status_code >= 500:
        return "server_error"
    return "invalid_request_error"


def error_body(status_code: int, message: str, *, code: str, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": error_type(status_code), "param": param, "code": code}}


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(
        error_body(error.status_code, error.message, code=error.code, param=error.param),
        status_code=error.status_code,
        headers=error.headers,
    )


def _location(loc: Sequence[Any]) -> str:
    # ("body", "voice") -> "voice"; the "body"/"query" prefix says nothing a client needs.
    parts = (
        [str(part) for part in loc[1:]]
        if loc and loc[0] in ("body", "query", "path", "header")
        else list(map(str, loc))
    )
    return ".".join(parts)


def validation_error(errors: Sequence[Any], status_code: int = 422) -> ApiError:
    """Summarize pydantic errors: every problem in the message, the first one's field as `param`."""
    problems: list[str] = []
    for error in errors:
        where = _location(error.get("loc", ()))
        if error.get("type") == "extra_forbidden":
            problems.append(f"unknown field '{where}'")
        else:
            problems.append(f"{where}: {error.get('msg', 'invalid value')}" if where else str(error.get("msg")))
    first = errors[0] if errors else {}
    return ApiError(
        status_code,
        "; ".join(problems) or "invalid request",
        code=str(first.get("type", "invalid_request")),
        param=_location(first.get("loc", ())) or None,
    )


def synthesis_error(exc: SynthesisError) -> ApiError:
    if isinstance(exc, SpeechTooLong):
        return ApiError(413, str(exc), code=exc.code)
    return ApiError(422, str(exc) or "the text cannot be synthesized", code="synthesis_error")


def engine_busy_error(message: str = "the engine is busy; retry shortly") -> ApiError:
    return ApiError(503, message, code="engine_busy", headers={"Retry-After": str(RETRY_AFTER_S)})


def install_error_handlers(app: FastAPI) -> None:
    def count(request: Request, code: str) -> None:
        metrics = getattr(request.app.state, "metrics", None)
        if metrics is not None:
            metrics.count_error(code)

    async def on_api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        count(request, exc.code)
        return error_response(exc)

    async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        error = validation_error(exc.errors())
        count(request, "validation_error")
        return error_response(error)

    async def on_synthesis_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, SynthesisError)
        return await on_api_error(request, synthesis_error(exc))

    async def on_engine_busy(request: Request, exc: Exception) -> JSONResponse:
        return await on_api_error(request, engine_busy_error())

    async def on_http_exception(request: Request, exc: Exception) -> JSONResponse:
        # Starlette's own errors: unknown route (404), wrong method (405), ...
        assert isinstance(exc, StarletteHTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        count(request, code)
        return JSONResponse(
            error_body(exc.status_code, str(exc.detail), code=code),
            status_code=exc.status_code,
            headers=dict(exc.headers or {}),
        )

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        count(request, "internal_error")
        return JSONResponse(error_body(500, "internal server error", code="internal_error"), status_code=500)

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(SynthesisError, on_synthesis_error)
    app.add_exception_handler(EngineBusy, on_engine_busy)
    app.add_exception_handler(StarletteHTTPException, on_http_exception)
    app.add_exception_handler(Exception, on_unexpected)
