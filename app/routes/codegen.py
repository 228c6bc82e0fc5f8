"""POST /api/codegen: a circuit as staged Python code, as the notes write backprop.

A light request is answered in this process; a heavy one takes a slot and runs in an
evaluation process (`app.capacity`, `app.pool`)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

import engine
from app import worker
from app.capacity import CapacityDep, Incoming
from app.jsonio import OrjsonResponse, RawBody, encode_answer
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
def generate_code(
    body: RawBody, settings: SettingsDep, capacity: CapacityDep, pool: PoolDep
) -> Response:
    """Python code computing the circuit's values, then its gradients in reverse."""
    incoming, limits, budget = Incoming(body), settings.limits(), settings.time_budget_s
    max_bytes = settings.max_response_bytes
    with capacity.slot(incoming.weight) as heavy:
        if heavy:
            return pool.run(worker.codegen, body, limits, max_bytes, budget=budget)
        deadline = engine.Deadline(budget)
        result = engine.codegen(incoming.data(), limits=limits, deadline=deadline)
    return Response(encode_answer(result, max_bytes), media_type="application/json")
