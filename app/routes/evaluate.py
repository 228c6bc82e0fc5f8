"""POST /api/evaluate, /api/gradcheck and /api/sweep: values, gradients, their numerical
check, and the output and its gradient along one input's range.

A light request is answered in this process; a heavy one takes a slot and runs in an
evaluation process (`app.capacity`, `app.pool`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.responses import Response

import engine
from app import worker
from app.capacity import WEIGH_BYTES, CapacityDep, Incoming
from app.heavy import answer
from app.jsonio import OrjsonResponse, RawBody
from app.openapi import CIRCUIT_OR_EXPRESSION, request_body
from app.pool import PoolDep
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
async def evaluate_circuit(
    body: RawBody,
    settings: SettingsDep,
    cache: CacheDep,
    capacity: CapacityDep,
    pool: PoolDep,
    trace: Annotated[bool, Query(description="Include the forward/backward trace.")] = True,
) -> Response:
    """Every node's value and gradient for a circuit or an expression."""

    def compute(data: Any, limits: engine.Limits, deadline: engine.Deadline) -> dict[str, Any]:
        return engine.evaluate(data, trace=trace, limits=limits, deadline=deadline, cache=cache)

    return await answer(
        body, settings, capacity, pool, worker.evaluate, (trace,), compute, trace=trace
    )


@router.post(
    "/gradcheck",
    response_class=OrjsonResponse,
    openapi_extra=CIRCUIT_OR_EXPRESSION,
    responses=answers(GradientCheck, heavy=True),
)
async def check_gradients(
    body: RawBody,
    settings: SettingsDep,
    capacity: CapacityDep,
    pool: PoolDep,
    h: Annotated[float, Query(gt=0, lt=1, description="Central-difference step.")] = 1e-5,
) -> Response:
    """Backprop's gradient of each input beside a central difference."""

    def compute(data: Any, limits: engine.Limits, deadline: engine.Deadline) -> dict[str, Any]:
        return engine.gradcheck(data, h=h, limits=limits, deadline=deadline)

    return await answer(body, settings, capacity, pool, worker.gradcheck, (h,), compute)


@router.post(
    "/sweep",
    response_class=OrjsonResponse,
    openapi_extra=request_body(CircuitSweep, ExpressionSweep, examples=SWEEP_EXAMPLES),
    responses=answers(SweepAnswer, heavy=True),
)
async def sweep_input(
    body: RawBody, settings: SettingsDep, capacity: CapacityDep, pool: PoolDep
) -> Response:
    """The output and its gradient over a range of one input, all points at once."""

    def compute(data: Any, limits: engine.Limits, deadline: engine.Deadline) -> dict[str, Any]:
        return engine.sweep(data, limits=limits, deadline=deadline)

    return await answer(
        body, settings, capacity, pool, worker.sweep, (), compute, weigh=sweep_weight
    )


def sweep_weight(incoming: Incoming) -> int:
    """A sweep weighs its circuit once per point."""
    return incoming.weight * sweep_points(incoming)


def sweep_points(incoming: Incoming) -> int:
    """How many times a sweep evaluates its circuit: its `points` when they make sense
    (the engine refuses the rest), else once. A body too long to weigh here is heavy
    by its length already."""
    body = incoming.data() if len(incoming.raw) <= WEIGH_BYTES else None
    points = body.get("points") if isinstance(body, dict) else None
    if isinstance(points, int) and not isinstance(points, bool) and points > 0:
        return points
    return 1
