"""POST /api/evaluate, /api/gradcheck and /api/sweep: values, gradients, their numerical
check, and the output and its gradient along one input's range.

A light request is answered in this process; a heavy one takes a slot and runs in an
evaluation process (`app.capacity`, `app.pool`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

import engine
from app import worker
from app.capacity import WEIGH_BYTES, CapacityDep, Incoming
from app.jsonio import OrjsonResponse, RawBody, encode_answer
from app.openapi import CIRCUIT_OR_EXPRESSION, request_body
from app.pool import PoolDep
from app.responses import Evaluation, GradientCheck, SweepAnswer, answers
from app.routes.stats import CacheDep
from app.schemas import SWEEP_EXAMPLES, CircuitSweep, ExpressionSweep
from app.settings import SettingsDep

router = APIRouter(prefix="/api", tags=["evaluate"])
JSON = "application/json"


@router.post(
    "/evaluate",
    response_class=OrjsonResponse,
    openapi_extra=CIRCUIT_OR_EXPRESSION,
    responses=answers(Evaluation, heavy=True),
)
def evaluate_circuit(
    body: RawBody,
    settings: SettingsDep,
    cache: CacheDep,
    capacity: CapacityDep,
    pool: PoolDep,
    trace: Annotated[bool, Query(description="Include the forward/backward trace.")] = True,
) -> Response:
    """Every node's value and gradient for a circuit or an expression."""
    incoming, limits, budget = Incoming(body), settings.limits(), settings.time_budget_s
    max_bytes = settings.max_response_bytes
    with capacity.slot(incoming.weight) as heavy:
        if heavy:
            return pool.run(worker.evaluate, body, trace, limits, max_bytes, budget=budget)
        deadline = engine.Deadline(budget)
        result = engine.evaluate(
            incoming.data(), trace=trace, limits=limits, deadline=deadline, cache=cache
        )
    return Response(encode_answer(result, max_bytes, trace), media_type=JSON)


@router.post(
    "/gradcheck",
    response_class=OrjsonResponse,
    openapi_extra=CIRCUIT_OR_EXPRESSION,
    responses=answers(GradientCheck, heavy=True),
)
def check_gradients(
    body: RawBody,
    settings: SettingsDep,
    capacity: CapacityDep,
    pool: PoolDep,
    h: Annotated[float, Query(gt=0, lt=1, description="Central-difference step.")] = 1e-5,
) -> Response:
    """Backprop's gradient of each input beside a central difference."""
    incoming, limits, budget = Incoming(body), settings.limits(), settings.time_budget_s
    max_bytes = settings.max_response_bytes
    with capacity.slot(incoming.weight) as heavy:
        if heavy:
            return pool.run(worker.gradcheck, body, h, limits, max_bytes, budget=budget)
        deadline = engine.Deadline(budget)
        result = engine.gradcheck(incoming.data(), h=h, limits=limits, deadline=deadline)
    return Response(encode_answer(result, max_bytes), media_type=JSON)


@router.post(
    "/sweep",
    response_class=OrjsonResponse,
    openapi_extra=request_body(CircuitSweep, ExpressionSweep, examples=SWEEP_EXAMPLES),
    responses=answers(SweepAnswer, heavy=True),
)
def sweep_input(
    body: RawBody, settings: SettingsDep, capacity: CapacityDep, pool: PoolDep
) -> Response:
    """The output and its gradient over a range of one input, all points at once."""
    incoming, limits, budget = Incoming(body), settings.limits(), settings.time_budget_s
    max_bytes = settings.max_response_bytes
    with capacity.slot(incoming.weight * sweep_points(incoming)) as heavy:
        if heavy:
            return pool.run(worker.sweep, body, limits, max_bytes, budget=budget)
        deadline = engine.Deadline(budget)
        result = engine.sweep(incoming.data(), limits=limits, deadline=deadline)
    return Response(encode_answer(result, max_bytes), media_type=JSON)


def sweep_points(incoming: Incoming) -> int:
    """How many times a sweep evaluates its circuit: its `points` when they make sense
    (the engine refuses the rest), else once. A body too long to weigh here is heavy
    by its length already."""
    body = incoming.data() if len(incoming.raw) <= WEIGH_BYTES else None
    points = body.get("points") if isinstance(body, dict) else None
    if isinstance(points, int) and not isinstance(points, bool) and points > 0:
        return points
    return 1
