"""One way to answer a request that may be heavy: a light one is computed in this
process, a heavy one (holding a slot of `app.capacity`) in an evaluation process
(`app.pool`), whose job takes the raw body, the route's own arguments, the limits, the
answer-size limit and the time budget (`app.worker`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

import engine
from app import worker
from app.capacity import Capacity, Incoming
from app.jsonio import encode_answer
from app.pool import EvaluationPool
from app.settings import Settings

Compute = Callable[[Any, engine.Limits, engine.Deadline], dict[str, Any]]


def answer(
    incoming: Incoming,
    settings: Settings,
    capacity: Capacity,
    pool: EvaluationPool,
    job: Callable[..., worker.Answer],
    args: tuple[Any, ...],
    compute: Compute,
    *,
    weight: int | None = None,
    trace: bool = False,
) -> Response:
    """`compute(body, limits, deadline)` here, or `job(raw, *args, ...)` in a process when
    the request's weight (its own unless given) is heavy."""
    limits, budget, max_bytes = (
        settings.limits(),
        settings.time_budget_s,
        settings.max_response_bytes,
    )
    with capacity.slot(incoming.weight if weight is None else weight) as heavy:
        if heavy:
            return pool.run(job, incoming.raw, *args, limits, max_bytes, budget=budget)
        result = compute(incoming.data(), limits, engine.Deadline(budget))
    return Response(encode_answer(result, max_bytes, trace), media_type="application/json")
