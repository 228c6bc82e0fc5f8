"""The one place errors become HTTP answers, in FastAPI's own error shape.

    CircuitError     -> 422 {"detail": [{"loc": ["body", ...], "msg", "type", "node"?, ...}]}
    LimitError       -> 413, same shape, the limit in `msg`
    DeadlineError    -> 503, same shape: the evaluation passed BACKPROP_TIME_BUDGET_S
    RecursionError   -> 422 (last resort: nesting too deep for some library)
    Busy             -> 503 with Retry-After (no slot for a heavy evaluation)
    ServiceError     -> its own status (404 unknown id, 429 rate limit, 503 database down...)
    ClientDisconnect -> one INFO line in the log (nobody is left to answer)
    anything else    -> 500 with a JSON body and no traceback (a bug: the tests say it
                        never happens), sent by `InternalErrorMiddleware` inside the
                        security headers so that a 500 carries them too

Routes hold no try/except: they call the engine and let its errors arrive here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from fastapi import FastAPI, Request
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.capacity import Busy
from app.jsonio import OrjsonResponse
from engine.errors import CircuitError, DeadlineError, LimitError, Loc, entry

log = logging.getLogger("app")


def error_response(
    status: int,
    msg: str,
    kind: str,
    loc: Sequence[str | int] = ("body",),
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A refusal with one `detail` entry: what went wrong (`msg`, `type`) and where (`loc`)."""
    return OrjsonResponse(detail(tuple(loc), msg, kind), status_code=status, headers=headers)


def detail(loc: Loc, msg: str, type: str, **extra: object) -> dict[str, object]:
    """A whole error body, ``{"detail": [one entry]}``, for the web layer's own refusals."""
    return {"detail": [entry(loc, msg, type, **extra)]}


class ServiceError(Exception):
    """A refusal by the app rather than the engine: an HTTP status, and headers to send."""

    status = 500
    type = "service_error"

    def __init__(self, msg: str, *, loc: Loc = (), headers: dict[str, str] | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.loc = loc
        self.headers = headers


def service_error(request: Request, exc: Exception) -> Response:
    """A `ServiceError` in the same shape as the engine's refusals."""
    assert isinstance(exc, ServiceError)
    return error_response(exc.status, exc.msg, exc.type, exc.loc, exc.headers)


_STATUS: dict[type[CircuitError], int] = {LimitError: 413, DeadlineError: 503}


def circuit_error(request: Request, exc: Exception) -> Response:
    """An engine refusal: 413 for a size limit, 503 past the time budget, 422 for anything
    else it finds wrong."""
    assert isinstance(exc, CircuitError)
    found = exc.to_dict()
    loc = found.get("loc")
    found["loc"] = ["body", *(loc if isinstance(loc, list) else [])]
    status = next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 422)
    return OrjsonResponse({"detail": [found]}, status_code=status)


def busy(request: Request, exc: Exception) -> Response:
    """Every slot for heavy evaluations is taken: come back in a second."""
    return error_response(503, str(exc), "busy", headers={"Retry-After": "1"})


def too_deep(request: Request, exc: Exception) -> Response:
    """A structure nested past Python's recursion limit is refused, not a crash."""
    return error_response(422, "the request is nested too deeply to process", "too_deep")


def client_gone(request: Request, exc: Exception) -> Response:
    """The client hung up before its body arrived: worth a line, not a traceback."""
    client = request.client.host if request.client else "a client"
    log.info("%s disconnected mid-body on %s %s", client, request.method, request.url.path)
    return error_response(400, "the client disconnected before the body arrived", "disconnect")


class TrackingSend:
    """Wraps `send` and remembers whether the response has started: past that point an
    error can no longer be answered, only raised."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self.send(message)


class InternalErrorMiddleware:
    """Last resort: a JSON 500 that names no internals (the traceback goes to the log)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tracking = TrackingSend(send)
        try:
            await self.app(scope, receive, tracking)
        except Exception:
            if tracking.started or scope["type"] != "http":
                raise
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            response = error_response(500, "internal server error", "internal_error", loc=[])
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Register every handler above on `app` (the middleware is added in `main`)."""
    app.add_exception_handler(CircuitError, circuit_error)
    app.add_exception_handler(RecursionError, too_deep)
    app.add_exception_handler(Busy, busy)
    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(ClientDisconnect, client_gone)
