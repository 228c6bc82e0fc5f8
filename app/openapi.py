"""Request bodies in /docs for routes that read their JSON themselves.

FastAPI only documents a body it parses; ours is parsed by `app.jsonio`, so each
route names its models in `openapi_extra` and `install_openapi` adds their
schemas to the document's components.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app.schemas import (
    CIRCUIT_EXAMPLES,
    EXPRESSION_EXAMPLES,
    Circuit,
    CircuitSweep,
    ExpressionRequest,
    ExpressionSweep,
)

MODELS: tuple[type[BaseModel], ...] = (Circuit, ExpressionRequest, CircuitSweep, ExpressionSweep)
REF = "#/components/schemas/{model}"


def request_body(*models: type[BaseModel], examples: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` for a JSON body that is any one of `models`."""
    refs = [{"$ref": REF.format(model=model.__name__)} for model in models]
    schema = refs[0] if len(refs) == 1 else {"anyOf": refs}
    content = {"application/json": {"schema": schema, "examples": examples}}
    return {"requestBody": {"required": True, "content": content}}


CIRCUIT_OR_EXPRESSION = request_body(
    Circuit, ExpressionRequest, examples={**CIRCUIT_EXAMPLES, **EXPRESSION_EXAMPLES}
)
"""The body of the routes that take a circuit or ``{"expression", "values"}``."""


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` include the request models' schemas."""
    app.openapi = _build(app)  # type: ignore[method-assign]


def _build(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            _, defs = models_json_schema(
                [(model, "validation") for model in MODELS], ref_template=REF
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(defs["$defs"])
            app.openapi_schema = document
        return app.openapi_schema

    return openapi
