"""POST /api/evaluate and /api/gradcheck: values, gradients and their numerical check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

import engine
from app.capacity import CapacityDep
from app.jsonio import JsonBody, OrjsonResponse
from app.openapi import CIRCUIT_OR_EXPRESSION
from app.responses import Evaluation, GradientCheck, answers
from app.routes.stats import CacheDep
from app.settings import SettingsDep

router = APIRouter(prefix="/api", tags=["evaluate"])


@router.post(
    "/evaluate",
    response_class=OrjsonResponse,
    openapi_extra=CIRCUIT_OR_EXPRESSION,
    responses=answers(Evaluation, heavy=True),
)
def evaluate_circuit(
    body: JsonBody,
    settings: SettingsDep,
    cache: CacheDep,
    capacity: CapacityDep,
    trace: Annotated[bool, Query(description="Include the forward/backward trace.")] = True,
) -> Response:
    """Every node's value and gradient for a circuit or an expression."""
    deadline = engine.Deadline(settings.time_budget_s)
    with capacity.slot(body):
        result = engine.evaluate(
            body, trace=trace, limits=settings.limits(), deadline=deadline, cache=cache
        )
    return OrjsonResponse(result)


@router.post(
    "/gradcheck",
    response_class=OrjsonResponse,
    openapi_extra=CIRCUIT_OR_EXPRESSION,
    responses=answers(GradientCheck, heavy=True),
)
def check_gradients(
    body: JsonBody,
    settings: SettingsDep,
    capacity: CapacityDep,
    h: Annotated[float, Query(gt=0, lt=1, description="Central-difference step.")] = 1e-5,
) -> Response:
    """Backprop's gradient of each input beside a central difference."""
    deadline = engine.Deadline(settings.time_budget_s)
    with capacity.slot(body):
        result = engine.gradcheck(body, h=h, limits=settings.limits(), deadline=deadline)
    return OrjsonResponse(result)
