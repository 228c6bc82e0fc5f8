"""POST /api/codegen: a circuit as staged Python code, as the notes write backprop.

A light request is answered in this process; a heavy one takes a slot and runs in an
evaluation process (`app.capacity`, `app.pool`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

import engine
from app import worker
from app.capacity import CapacityDep
from app.heavy import answer
from app.jsonio import OrjsonResponse, RawBody
from app.openapi import CIRCUIT_OR_EXPRESSION
from app.pool import PoolDep
from app.responses import StagedCode, answers
from app.settings import SettingsDep

router = APIRouter(prefix="/api", tags=["codegen"])


@router.post(
    "/codegen",
    response_class=OrjsonResponse,
    openapi_extra=CIRCUIT_OR_EXPRESSION,
    responses=answers(StagedCode, heavy=True),
)
async def generate_code(
    body: RawBody, settings: SettingsDep, capacity: CapacityDep, pool: PoolDep
) -> Response:
    """Python code computing the circuit's values, then its gradients in reverse."""

    def compute(data: Any, limits: engine.Limits, deadline: engine.Deadline) -> dict[str, Any]:
        return engine.codegen(data, limits=limits, deadline=deadline)

    return await answer(body, settings, capacity, pool, worker.codegen, (), compute)
