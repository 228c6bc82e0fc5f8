"""Any other method on an /api path: OPTIONS lists the allowed ones, the rest get 405.

Without this route the static-file mount at / would answer them. Include it last:
it matches every /api path, and only requests no other route took arrive here.
The allowed methods are read from the OpenAPI document, which lists every API route.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from starlette.responses import Response
from starlette.routing import compile_path

from app.errors import error_response

router = APIRouter(prefix="/api", include_in_schema=False)
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """The methods the OpenAPI document gives `path`, and OPTIONS; none if it has no such path."""
    methods: set[str] = set()
    for template, operations in app.openapi()["paths"].items():
        if compile_path(template)[0].match(path):
            methods |= {method.upper() for method in operations}
    return sorted(methods | {"OPTIONS"}) if methods else []


@router.api_route("/{path:path}", methods=METHODS)
def answer_other_methods(request: Request) -> Response:
    """204 with `Allow` for OPTIONS, 405 with `Allow` for a method the path does not take."""
    path = request.url.path
    allowed = allowed_methods(request.app, path)
    if not allowed:
        return error_response(404, f"there is no API path {path}", "not_found", ("path",))
    allow = {"Allow": ", ".join(allowed)}
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=allow)
    msg = f"{path} does not take {request.method}; it takes {allow['Allow']}"
    return error_response(405, msg, "method_not_allowed", ("method",), headers=allow)
