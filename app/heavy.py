"""One way to answer a request that may be heavy. A small one (a short body of little
weight, such as the notes' neuron) is computed right here on the event loop: it costs
less than the hop to a worker thread and back. A light one is computed in a worker
thread of this process; a heavy one (holding a slot of `app.capacity`) in an evaluation
process (`app.pool`), whose job takes the raw body, the route's own arguments, the
limits, the answer-size limit and the time budget (`app.worker`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

import engine
from app.capacity import Capacity, Incoming
from app.jsonio import encode_answer
from app.pool import EvaluationPool
from app.settings import Settings

Compute = Callable[[Any, engine.Limits, engine.Deadline], dict[str, Any]]
Weigh = Callable[[Incoming], int]

SMALL_BYTES = 16 * 1024  # a body this short is decoded and weighed on the event loop
SMALL_WEIGHT = 256  # nodes + value elements (x sweep points) computed on the event loop


def _own_weight(incoming: Incoming) -> int:
    return incoming.weight


async def answer(
    raw: bytes,
    settings: Settings,
    capacity: Capacity,
    pool: EvaluationPool,
    job: Callable[..., bytes],
    args: tuple[Any, ...],
    compute: Compute,
    *,
    weigh: Weigh = _own_weight,
    trace: bool = False,
) -> Response:
    """`compute(body, limits, deadline)` here (on the event loop when small, else in a
    worker thread), or `job(raw, *args, ...)` in a process when the request's weight (as
    `weigh` tells it) is heavy."""

    def respond(incoming: Incoming) -> Response:
        limits, budget = settings.limits(), settings.time_budget_s
        max_bytes = settings.max_response_bytes
        with capacity.slot(weigh(incoming)) as heavy:
            if heavy:
                return pool.run(job, incoming.raw, *args, limits, max_bytes, budget=budget)
            result = compute(incoming.data(), limits, engine.Deadline(budget))
        return Response(encode_answer(result, max_bytes, trace), media_type="application/json")

    if len(raw) <= SMALL_BYTES:
        incoming = Incoming(raw)
        if weigh(incoming) < SMALL_WEIGHT:
            return respond(incoming)
        return await run_in_threadpool(respond, incoming)
    return await run_in_threadpool(lambda: respond(Incoming(raw)))
