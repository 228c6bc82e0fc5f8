"""Heavy evaluations in processes of their own: they never hold the server's GIL, so its
event loop keeps answering (`/api/health`, small requests), and none outlives its time
budget.

One process per heavy slot (`app.capacity`), forked from a fork server that has the
engine imported, at a lower priority than the server's process. The app starts them
in the background as it starts (`start`), so that the first heavy request does not
wait seconds for the fork server's imports. The body goes in as bytes and the answer
comes out as bytes, through two files in a private folder of the temporary directory
(``TMPDIR``) that lives as long as the request. Past the time budget the process is
terminated, so no work is left running, and the client gets 503; a process that dies
(killed, out of memory) gives 503 with ``Retry-After``, and a fresh one takes its place
for the next request. Each process keeps its own compiled-circuit cache; `caches`
reports them.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from pebble import ProcessExpired, ProcessPool
from starlette.responses import Response

import engine
from app import worker
from app.errors import ServiceError

FORKSERVER = multiprocessing.get_context("forkserver")
FORKSERVER.set_forkserver_preload(["app.worker"])


class WorkerLost(ServiceError):
    """The process running an evaluation died before it answered."""

    status = 503
    type = "worker_lost"


class StagingFailed(ServiceError):
    """The request's or the answer's file could not be written or read (``TMPDIR``
    missing, full or read-only)."""

    status = 503
    type = "staging_failed"


class EvaluationPool:
    """`processes` evaluation processes, each with a cache of `cache_entries` compiled
    circuits of at most `cache_nodes` nodes together."""

    def __init__(self, processes: int, cache_entries: int, cache_nodes: int) -> None:
        self._settings = (processes, cache_entries, cache_nodes)
        self._pool = self._new_pool()
        self._caches: dict[int, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _new_pool(self) -> ProcessPool:
        processes, cache_entries, cache_nodes = self._settings
        return ProcessPool(
            processes,
            initializer=worker.start,
            initargs=(cache_entries, cache_nodes),
            context=FORKSERVER,
        )

    def _running(self) -> ProcessPool:
        """The pool, or a fresh one in its place if it broke (pebble gives a pool up when a
        process dies while none is working, e.g. an idle one killed)."""
        with self._lock:
            if not self._pool.active:
                self.close()
                self._pool = self._new_pool()
            return self._pool

    def start(self) -> None:
        """Start the processes now, and wait until one of them has run a (trivial) job."""
        self._running().schedule(os.getpid).result()

    def run(self, job: Callable[..., bytes], raw: bytes, *args: Any, budget: float) -> Response:
        """`job(raw, *args, budget)`'s answer, computed in one of the processes; its errors
        are raised here as they were there."""
        try:
            with tempfile.TemporaryDirectory(prefix="backprop-") as folder:
                request, answer = Path(folder, "request"), Path(folder, "answer")
                request.write_bytes(raw)
                self._wait(job, str(request), str(answer), *args, budget=budget)
                return Response(answer.read_bytes(), media_type="application/json")
        except OSError as error:
            raise StagingFailed(
                f"the server could not hand this request to an evaluation process through "
                f"its temporary folder ({tempfile.gettempdir()}: {error.strerror or error}); "
                "try again",
                loc=("body",),
                headers={"Retry-After": "5"},
            ) from None

    def _wait(self, *args: Any, budget: float) -> None:
        """`worker.guarded(*args, budget)` in a process, waited for."""
        deadline = engine.Deadline(budget)
        future = self._running().schedule(worker.guarded, (*args, budget), timeout=budget)
        try:
            answer = future.result()
        except TimeoutError:
            raise deadline.error() from None
        except (ProcessExpired, BrokenProcessPool) as error:
            code = getattr(error, "exitcode", "unknown")
            raise WorkerLost(
                f"the process evaluating this request stopped (exit code {code}) "
                "before it answered; try again",
                loc=("body",),
                headers={"Retry-After": "1"},
            ) from None
        with self._lock:
            self._caches[answer.pid] = answer.cache

    def caches(self) -> list[dict[str, Any]]:
        """The cache of each running process that has answered, as of its last answer."""
        running = {process.pid for process in multiprocessing.active_children()}
        with self._lock:
            return [{"pid": pid, **cache} for pid, cache in self._caches.items() if pid in running]

    def close(self) -> None:
        """Stop the processes (work in progress included)."""
        self._pool.stop()  # type: ignore[no-untyped-call]
        self._pool.join()


async def get_pool(request: Request) -> EvaluationPool:
    """The app's evaluation processes, made by `main.create_app`."""
    pool: EvaluationPool = request.app.state.evaluations
    return pool


PoolDep = Annotated[EvaluationPool, Depends(get_pool)]
