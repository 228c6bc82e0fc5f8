"""POST /api/codegen: a circuit as staged Python code, as the notes write backprop."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

import engine
from app.capacity import CapacityDep
from app.jsonio import JsonBody, OrjsonResponse
from app.openapi import CIRCUIT_OR_EXPRESSION
from app.responses import StagedCode, answers
from app.settings import SettingsDep

router = APIRouter(prefix="/api", tags=["codegen"])


@router.post(
    "/codegen",
    response_class=OrjsonResponse,
    openapi_extra=CIRCUIT_OR_EXPRESSION,
    responses=answers(StagedCode, heavy=True),
)
def generate_code(body: JsonBody, settings: SettingsDep, capacity: CapacityDep) -> Response:
    """Python code computing the circuit's values, then its gradients in reverse."""
    deadline = engine.Deadline(settings.time_budget_s)
    with capacity.slot(body):
        result = engine.codegen(body, limits=settings.limits(), deadline=deadline)
    return OrjsonResponse(result)
