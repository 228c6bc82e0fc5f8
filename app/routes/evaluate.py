"""POST /api/evaluate, /api/gradcheck and /api/sweep: values, gradients, their numerical
check, and the output and its gradient along one input's range."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

import engine
from app.capacity import CapacityDep
from app.jsonio import JsonBody, OrjsonResponse
from app.openapi import CIRCUIT_OR_EXPRESSION, request_body
from app.responses import Evaluation, GradientCheck, SweepAnswer, answers
from app.routes.stats import CacheDep
from app.schemas import SWEEP_EXAMPLES, CircuitSweep, ExpressionSweep
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


@router.post(
    "/sweep",
    response_class=OrjsonResponse,
    openapi_extra=request_body(CircuitSweep, ExpressionSweep, examples=SWEEP_EXAMPLES),
    responses=answers(SweepAnswer, heavy=True),
)
def sweep_input(body: JsonBody, settings: SettingsDep, capacity: CapacityDep) -> Response:
    """The output and its gradient over a range of one input, all points at once."""
    deadline = engine.Deadline(settings.time_budget_s)
    points = body.get("points") if isinstance(body, dict) else None
    times = points if isinstance(points, int) and not isinstance(points, bool) and points > 0 else 1
    with capacity.slot(body, times):
        result = engine.sweep(body, limits=settings.limits(), deadline=deadline)
    return OrjsonResponse(result)
