"""POST /api/parse: an expression becomes a circuit that /api/evaluate accepts."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter
from starlette.responses import Response

import engine
from app.jsonio import JsonBody, OrjsonResponse
from app.openapi import request_body
from app.responses import answers
from app.schemas import EXPRESSION_EXAMPLES, Circuit, ExpressionRequest
from app.settings import SettingsDep

router = APIRouter(prefix="/api", tags=["parse"])


@router.post(
    "/parse",
    response_class=OrjsonResponse,
    openapi_extra=request_body(ExpressionRequest, examples=EXPRESSION_EXAMPLES),
    responses=answers(Circuit),
)
def parse_expression(body: JsonBody, settings: SettingsDep) -> Response:
    """The circuit of an expression, its variables as input nodes."""
    fields = body if isinstance(body, Mapping) else {}
    circuit = engine.parse(fields.get("expression"), fields.get("values"), settings.limits())
    return OrjsonResponse(circuit)
