"""What an evaluation process runs (`app.pool`): a heavy request from the bytes of its
body to the bytes of its answer, so that the server's process neither decodes nor
encodes the large JSON and its event loop keeps the GIL to itself. The bytes cross in
two files of a private temporary folder that the server makes and removes: only their
paths and the answer's length go through the pool's pipe. (Megabytes through the pipe
took some hundred alternations between the server's thread and this lower-priority
process, each a wait for the CPU on a busy machine.)

Each process keeps its own compiled-circuit cache, made by `start`.
"""

from __future__ import annotations

import ctypes
import logging
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.exceptions import RequestValidationError

import engine
from app.jsonio import encode_answer, parse_json

log = logging.getLogger("app.worker")
PR_SET_PDEATHSIG = 1  # prctl(2)
NICENESS = 10  # added to the server's; each step gives about 1.25x less CPU under contention
_cache = engine.CircuitCache()
_to_free: queue.SimpleQueue[list[Any]] | None = None  # made by `start`; else freed at once


@dataclass(frozen=True)
class Answer:
    """A 200's body was written, by this process, with its cache's figures then."""

    pid: int
    cache: dict[str, Any]


def start(cache_entries: int, cache_nodes: int) -> None:
    """Give this process its cache, its freeing thread, and a lower priority than the
    server's process, so that the CPU goes to the event loop first (the pool's
    initializer)."""
    global _cache, _to_free
    _cache = engine.CircuitCache(cache_entries, cache_nodes)
    _to_free = queue.SimpleQueue()
    threading.Thread(target=_free_in_turn, args=(_to_free,), daemon=True).start()
    os.nice(NICENESS)
    _end_with_parent()


def _free_in_turn(handed: queue.SimpleQueue[list[Any]]) -> None:
    """Drop each list of objects handed over, one after the other (the freeing thread)."""
    while True:
        handed.get()


def _end_with_parent() -> None:
    """On Linux, be killed when the fork server that started this process ends, as it does
    when the server's process ends (a SIGKILLed uvicorn worker), so that no evaluation
    outlives the process waiting for it."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def evaluate(
    raw: bytes, trace: bool, limits: engine.Limits, max_bytes: int, budget: float
) -> bytes:
    """POST /api/evaluate's answer (at most `max_bytes` long)."""

    def compute(request: Any, deadline: engine.Deadline) -> Any:
        return engine.evaluate(request, trace=trace, limits=limits, deadline=deadline, cache=_cache)

    return _respond(raw, compute, max_bytes, budget, trace)


def gradcheck(raw: bytes, h: float, limits: engine.Limits, max_bytes: int, budget: float) -> bytes:
    """POST /api/gradcheck's answer (at most `max_bytes` long)."""

    def compute(request: Any, deadline: engine.Deadline) -> Any:
        return engine.gradcheck(request, h=h, limits=limits, deadline=deadline)

    return _respond(raw, compute, max_bytes, budget)


def codegen(raw: bytes, limits: engine.Limits, max_bytes: int, budget: float) -> bytes:
    """POST /api/codegen's answer (at most `max_bytes` long)."""

    def compute(request: Any, deadline: engine.Deadline) -> Any:
        return engine.codegen(request, limits=limits, deadline=deadline)

    return _respond(raw, compute, max_bytes, budget)


def sweep(raw: bytes, limits: engine.Limits, max_bytes: int, budget: float) -> bytes:
    """POST /api/sweep's answer (at most `max_bytes` long)."""

    def compute(request: Any, deadline: engine.Deadline) -> Any:
        return engine.sweep(request, limits=limits, deadline=deadline)

    return _respond(raw, compute, max_bytes, budget)


def _respond(
    raw: bytes,
    compute: Callable[[Any, engine.Deadline], Any],
    max_bytes: int,
    budget: float,
    trace: bool = False,
) -> bytes:
    """`compute` on the decoded body, its result encoded. The request's and the result's
    objects (for a large circuit some 100,000 dicts each, tens of ms to free) go to the
    freeing thread, which frees them while the answer travels back, not before."""
    deadline = engine.Deadline(budget)
    made = [parse_json(raw)]
    made.append(compute(made[0], deadline))
    body = encode_answer(made[1], max_bytes, trace)
    if _to_free is not None:
        _to_free.put(made)
    return body


ANSWERED = (engine.errors.CircuitError, RequestValidationError, RecursionError)


def guarded(job: Callable[..., bytes], request: str, answer: str, *args: Any) -> Answer:
    """`job(body, *args)` on the body in file `request`, its answer written to file `answer`.
    The errors the web layer answers go back as they are, and so does an OSError of the
    files (the server answers it with 503); anything else (a bug) is logged here with its
    traceback and goes back as a plain RuntimeError, which always crosses
    between processes (an exception that cannot be rebuilt there would break the pool)."""
    raw = Path(request).read_bytes()  # an OSError of the files goes back as it is
    try:
        body = job(raw, *args)
    except ANSWERED:
        raise
    except Exception as error:
        log.exception("unhandled error in an evaluation process")
        raise RuntimeError(f"{type(error).__name__} in an evaluation process") from None
    Path(answer).write_bytes(body)
    return Answer(os.getpid(), _cache.stats())
