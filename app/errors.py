"""The one place engine errors become HTTP answers, in FastAPI's own error shape.

    CircuitError  -> 422 {"detail": [{"loc": ["body", ...], "msg", "type", "node"?, "position"?}]}
    LimitError    -> 413, same shape, the limit in `msg`
    DeadlineError -> 503, same shape: the evaluation passed BACKPROP_TIME_BUDGET_S
    RecursionError-> 422 (last resort: nesting too deep for some library)
    ServiceError  -> its own status (404 unknown id, 429 rate limit, 503 database down...)
    anything else -> 500 with a JSON body and no traceback (a bug: the tests say it never happens)

Routes hold no try/except: they call the engine and let its errors arrive here.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from starlette.responses import Response

from app.jsonio import OrjsonResponse
from engine.errors import CircuitError, DeadlineError, LimitError, Loc, entry

log = logging.getLogger("app")
_STATUS: dict[type[CircuitError], int] = {LimitError: 413, DeadlineError: 503}


def detail(loc: Loc, msg: str, type: str, **extra: object) -> dict[str, object]:
    """A whole error body, ``{"detail": [one entry]}``, for the web layer's own refusals."""
    return {"detail": [entry(loc, msg, type, **extra)]}


def _answer(
    status: int, body: dict[str, object], headers: dict[str, str] | None = None
) -> Response:
    return OrjsonResponse(body, status_code=status, headers=headers)


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
    return _answer(exc.status, detail(exc.loc, exc.msg, exc.type), exc.headers)


def circuit_error(request: Request, exc: Exception) -> Response:
    """An engine refusal: 413 for a size limit, 503 past the time budget, 422 for anything
    else it finds wrong."""
    assert isinstance(exc, CircuitError)
    found = exc.to_dict()
    loc = found.get("loc")
    found["loc"] = ["body", *(loc if isinstance(loc, list) else [])]
    status = next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 422)
    return _answer(status, {"detail": [found]})


def too_deep(request: Request, exc: Exception) -> Response:
    """A structure nested past Python's recursion limit is refused, not a crash."""
    msg = "the request is nested too deeply to process"
    return _answer(422, detail(("body",), msg, "too_deep"))


def internal_error(request: Request, exc: Exception) -> Response:
    """Last resort: a JSON 500 that names no internals (the traceback goes to the log)."""
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    msg = "internal server error"
    return _answer(500, detail((), msg, "internal_error"))


def install_error_handlers(app: FastAPI) -> None:
    """Register every handler above on `app`."""
    app.add_exception_handler(CircuitError, circuit_error)
    app.add_exception_handler(RecursionError, too_deep)
    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(Exception, internal_error)
