"""What an evaluation process runs (`app.pool`): a heavy request from the bytes of its
body to the bytes of its answer, so that the server's process neither decodes nor
encodes the large JSON and its event loop keeps the GIL to itself.

Each process keeps its own compiled-circuit cache, made by `start`.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi.exceptions import RequestValidationError

import engine
from app.jsonio import encode_answer, parse_json

log = logging.getLogger("app.worker")
PR_SET_PDEATHSIG = 1  # prctl(2)
NICENESS = 10  # added to the server's; each step gives about 1.25x less CPU under contention
_cache = engine.CircuitCache()


@dataclass(frozen=True)
class Answer:
    """A 200's body, and which process made it with its cache's figures then."""

    body: bytes
    pid: int
    cache: dict[str, Any]


def start(cache_entries: int, cache_nodes: int) -> None:
    """Give this process its cache, and a lower priority than the server's process, so
    that the CPU goes to the event loop first (the pool's initializer)."""
    global _cache
    _cache = engine.CircuitCache(cache_entries, cache_nodes)
    os.nice(NICENESS)
    _end_with_parent()


def _end_with_parent() -> None:
    """On Linux, be killed when the fork server that started this process ends, as it does
    when the server's process ends (a SIGKILLed uvicorn worker), so that no evaluation
    outlives the process waiting for it."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def evaluate(
    raw: bytes, trace: bool, limits: engine.Limits, max_bytes: int, budget: float
) -> Answer:
    """POST /api/evaluate's answer (at most `max_bytes` long)."""
    deadline = engine.Deadline(budget)
    request = parse_json(raw)
    result = engine.evaluate(request, trace=trace, limits=limits, deadline=deadline, cache=_cache)
    return _answer(encode_answer(result, max_bytes, trace))


def gradcheck(raw: bytes, h: float, limits: engine.Limits, max_bytes: int, budget: float) -> Answer:
    """POST /api/gradcheck's answer (at most `max_bytes` long)."""
    deadline = engine.Deadline(budget)
    request = parse_json(raw)
    result = engine.gradcheck(request, h=h, limits=limits, deadline=deadline)
    return _answer(encode_answer(result, max_bytes))


def codegen(raw: bytes, limits: engine.Limits, max_bytes: int, budget: float) -> Answer:
    """POST /api/codegen's answer (at most `max_bytes` long)."""
    deadline = engine.Deadline(budget)
    result = engine.codegen(parse_json(raw), limits=limits, deadline=deadline)
    return _answer(encode_answer(result, max_bytes))


def sweep(raw: bytes, limits: engine.Limits, max_bytes: int, budget: float) -> Answer:
    """POST /api/sweep's answer (at most `max_bytes` long)."""
    deadline = engine.Deadline(budget)
    result = engine.sweep(parse_json(raw), limits=limits, deadline=deadline)
    return _answer(encode_answer(result, max_bytes))


def _answer(body: bytes) -> Answer:
    return Answer(body, os.getpid(), _cache.stats())


ANSWERED = (engine.errors.CircuitError, RequestValidationError, RecursionError)


def guarded(job: Callable[..., Answer], *args: Any) -> Answer:
    """`job(*args)`. The errors the web layer answers go back as they are; anything else
    (a bug) is logged here with its traceback and goes back as a plain RuntimeError, which
    always crosses between processes (an exception that cannot be rebuilt there would
    break the pool)."""
    try:
        return job(*args)
    except ANSWERED:
        raise
    except Exception as error:
        log.exception("unhandled error in an evaluation process")
        raise RuntimeError(f"{type(error).__name__} in an evaluation process") from None
