"""Faults: a worker of the production command is killed in the middle of a request.
The client gets a clean transport error (no partial answer), the next request
succeeds, served by the other worker or the one uvicorn starts in its place, and the
killed worker's evaluation processes do not outlive it."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from app.schemas import NOTES_CIRCUIT
from bench.load import start_server
from tests.api.helpers import NOTES_GRADIENTS, children, process_tree
from tests.e2e.browser import _free_port

SLOW_CHAIN = {  # 100,000 nodes with the trace: a few seconds of work for one worker
    "nodes": [{"id": "x", "op": "input", "value": 0.5}]
    + [
        {
            "id": f"g{k}",
            "op": "add_const",
            "inputs": [f"g{k - 1}" if k else "x"],
            "params": {"c": 1},
        }
        for k in range(99_999)
    ]
}


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [
        int(pid) for pid in children if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()
    ]


def stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def evaluation_ticks(worker: int) -> int:
    """CPU used by a worker's evaluation processes: the children of its fork server,
    forked after the engine was imported, so their count starts at the work."""
    processes = [pid for server in children(worker) for pid in children(server)]
    return sum(int(stat(pid)[11]) + int(stat(pid)[12]) for pid in processes)  # utime + stime


def running(pid: int) -> bool:
    try:
        return stat(pid)[0] != "Z"
    except FileNotFoundError:
        return False


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Poll `condition` until it holds; fail if it does not within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


@pytest.fixture
def production() -> Iterator[tuple[str, int]]:
    """The production command with two workers; yields its URL and the master's pid."""
    port = _free_port()
    budget = {**os.environ, "BACKPROP_TIME_BUDGET_S": "300"}  # a loaded machine is slow
    server = start_server(port, workers=2, env=budget)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: len(workers(server.pid)) == 2)
        wait_for(lambda: httpx.get(f"{url}/api/health").status_code == 200)
        yield url, server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def kill_the_busy_worker(candidates: list[int]) -> list[int]:
    """SIGKILL the first worker whose evaluation processes have used 0.2 s of CPU: the
    one evaluating our request, seconds before its answer. Its processes are returned."""
    busy: list[int] = []

    def one_is_busy() -> bool:
        busy[:] = [pid for pid in candidates if evaluation_ticks(pid) > 20]
        return bool(busy)

    wait_for(one_is_busy)
    killed = process_tree(busy[0])
    os.kill(busy[0], signal.SIGKILL)
    return killed


def test_a_worker_killed_mid_request_gives_a_clean_error_and_the_next_request_succeeds(
    production: tuple[str, int],
) -> None:
    url, master = production
    candidates = workers(master)
    outcome: list[object] = []

    def send() -> None:
        try:
            outcome.append(httpx.post(f"{url}/api/evaluate", json=SLOW_CHAIN, timeout=120))
        except httpx.TransportError as error:
            outcome.append(error)

    sender = threading.Thread(target=send)
    sender.start()
    killed = kill_the_busy_worker(candidates)
    sender.join(timeout=120)
    assert len(outcome) == 1
    assert isinstance(outcome[0], httpx.TransportError), outcome[0]
    wait_for(lambda: not any(map(running, killed)))  # its evaluation processes ended with it
    answer = httpx.post(
        f"{url}/api/evaluate", json=NOTES_CIRCUIT, params={"trace": "false"}, timeout=60
    )
    assert answer.status_code == 200
    assert answer.json()["gradients"] == NOTES_GRADIENTS
    wait_for(lambda: len(workers(master)) == 2)  # uvicorn started a new worker
