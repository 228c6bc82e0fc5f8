"""Heavy requests run in evaluation processes, started with the app: they get the answers
and refusals of the server's own process, each process's cache is reported, work past
the time budget is stopped by ending its process, a process that dies gives 503 and is
replaced, and the files the bytes cross in are removed whatever the outcome."""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient

from app import worker
from app.main import create_app
from app.pool import EvaluationPool, StagingFailed, WorkerLost
from app.schemas import NOTES_CIRCUIT
from app.settings import Settings
from engine import Limits
from engine.errors import DeadlineError
from tests.api.conftest import MakeClient
from tests.api.helpers import JSON, NOTES_GRADIENTS, NOTES_VALUES, circuit, gate, inp
from tests.api.test_faults import wait_for


def test_a_heavy_request_is_answered_by_an_evaluation_process(make_client: MakeClient) -> None:
    client = make_client(heavy_request_weight=1, max_heavy_evaluations=1)
    for _ in range(2):
        response = client.post("/api/evaluate", json=NOTES_CIRCUIT)
        assert response.status_code == 200, response.text
        assert response.json()["values"] == NOTES_VALUES
        assert response.json()["gradients"] == NOTES_GRADIENTS
    stats = client.get("/api/stats").json()
    assert stats["cache"]["misses"] == 0  # nothing was evaluated in the server's process
    [process] = stats["evaluation_processes"]
    assert process["pid"] != os.getpid()
    assert (process["entries"], process["hits"], process["misses"]) == (1, 1, 1)


REQUESTS: dict[str, tuple[str, Any]] = {
    "trace": ("/api/evaluate", orjson.dumps(NOTES_CIRCUIT)),
    "expression": ("/api/evaluate", b'{"expression": "x * y + 1", "values": {"x": 2, "y": 3}}'),
    "gradcheck": ("/api/gradcheck", orjson.dumps(NOTES_CIRCUIT)),
    "unknown op": ("/api/evaluate", orjson.dumps(circuit(inp("x"), gate("f", "nope", "x")))),
    "cycle": ("/api/evaluate", orjson.dumps(circuit(gate("a", "neg", "b"), gate("b", "neg", "a")))),
    "not finite": ("/api/evaluate", b'{"nodes": [{"id": "x", "op": "input", "value": 1e400}]}'),
    "malformed": ("/api/evaluate", b'{"nodes": [}'),
    "over a limit": ("/api/evaluate", orjson.dumps(circuit(*[inp(f"x{k}") for k in range(20)]))),
    "log of 0": ("/api/evaluate", orjson.dumps(circuit(inp("x", 0.0), gate("f", "log", "x")))),
}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_an_evaluation_process_answers_as_the_server_process_does(
    make_client: MakeClient, name: str
) -> None:
    path, body = REQUESTS[name]
    here = make_client(max_nodes=10).post(path, content=body, headers=JSON)
    there = make_client(max_nodes=10, heavy_request_weight=1).post(path, content=body, headers=JSON)
    assert there.status_code == here.status_code
    assert there.json() == here.json()


def stall(raw: bytes, pid_file: str, budget: float) -> bytes:
    """A job that never ends on its own."""
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(600)
    raise AssertionError("still running after 600 s")


@pytest.fixture
def pool() -> Iterator[EvaluationPool]:
    evaluations = EvaluationPool(1, cache_entries=4, cache_nodes=1000)
    yield evaluations
    evaluations.close()


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def assert_answers_the_notes(pool: EvaluationPool) -> None:
    body = orjson.dumps(NOTES_CIRCUIT)
    response = pool.run(worker.evaluate, body, False, Limits(), 10**6, budget=30)
    assert orjson.loads(response.body)["gradients"] == NOTES_GRADIENTS


def test_work_past_the_time_budget_is_ended_with_its_process(
    pool: EvaluationPool, tmp_path: Path
) -> None:
    pid_file = tmp_path / "pid"
    with pytest.raises(DeadlineError, match="time budget of 1 s"):
        pool.run(stall, b"", str(pid_file), budget=1.0)
    assert gone(int(pid_file.read_text()))  # ended before the client was answered
    assert_answers_the_notes(pool)


def test_a_process_that_dies_gives_503_and_the_next_request_succeeds(
    pool: EvaluationPool, tmp_path: Path
) -> None:
    pid_file = tmp_path / "pid"
    raised: list[BaseException] = []

    def run() -> None:
        try:
            pool.run(stall, b"", str(pid_file), budget=300)
        except WorkerLost as error:
            raised.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    wait_for(lambda: pid_file.exists() and pid_file.read_text() != "")
    os.kill(int(pid_file.read_text()), signal.SIGKILL)
    thread.join(timeout=60)
    [error] = raised
    assert isinstance(error, WorkerLost) and error.status == 503
    assert error.headers == {"Retry-After": "1"} and "exit code -9" in error.msg
    assert_answers_the_notes(pool)


def test_a_pool_whose_idle_process_died_is_replaced(pool: EvaluationPool) -> None:
    assert_answers_the_notes(pool)
    [idle] = pool.caches()
    os.kill(idle["pid"], signal.SIGKILL)
    wait_for(lambda: gone(idle["pid"]))
    try:  # the request that finds the pool broken may be refused, as a lost one...
        assert_answers_the_notes(pool)
    except WorkerLost as error:
        assert error.status == 503
    assert_answers_the_notes(pool)  # ...the next one is answered


def worker_processes() -> set[multiprocessing.process.BaseProcess]:
    return set(multiprocessing.active_children())


def test_the_evaluation_processes_start_with_the_app_and_stop_with_it() -> None:
    before = worker_processes()
    app = create_app(Settings(max_heavy_evaluations=2))
    assert worker_processes() == before  # building the app starts nothing
    with TestClient(app):
        wait_for(lambda: len(worker_processes() - before) == 2)  # no request needed
        started = worker_processes() - before
    assert not any(process.is_alive() for process in started)


@pytest.fixture
def handover(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary directory the pool's files go to, for this test alone."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_the_body_crosses_in_a_file_that_is_removed_whatever_the_outcome(
    pool: EvaluationPool, handover: Path, tmp_path: Path
) -> None:
    pid_file, raised = tmp_path / "pid", []

    def run() -> None:
        with pytest.raises(WorkerLost) as lost:
            pool.run(stall, b'{"the": "body"}', str(pid_file), budget=300)
        raised.append(lost.value)

    thread = threading.Thread(target=run)
    thread.start()
    wait_for(lambda: pid_file.exists() and pid_file.read_text() != "")
    [folder] = handover.iterdir()
    assert folder.name.startswith("backprop-")
    assert (folder / "request").read_bytes() == b'{"the": "body"}'
    os.kill(int(pid_file.read_text()), signal.SIGKILL)
    thread.join(timeout=60)
    assert len(raised) == 1 and list(handover.iterdir()) == []
    assert_answers_the_notes(pool)
    with pytest.raises(RequestValidationError):
        pool.run(worker.evaluate, b'{"nodes": [}', False, Limits(), 10**6, budget=30)
    with pytest.raises(DeadlineError):
        pool.run(stall, b"", str(pid_file), budget=1.0)
    assert list(handover.iterdir()) == []


def test_a_temporary_folder_that_cannot_be_used_gives_503_naming_it(
    make_client: MakeClient, pool: EvaluationPool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no such folder"
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    with pytest.raises(StagingFailed) as failed:
        pool.run(worker.evaluate, orjson.dumps(NOTES_CIRCUIT), False, Limits(), 10**6, budget=30)
    assert failed.value.status == 503 and str(missing) in failed.value.msg
    client = make_client(heavy_request_weight=1, max_heavy_evaluations=1)
    response = client.post("/api/evaluate", json=NOTES_CIRCUIT)
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    [entry] = response.json()["detail"]
    assert entry["type"] == "staging_failed" and "temporary folder" in entry["msg"]
    monkeypatch.undo()
    assert_answers_the_notes(pool)


def test_a_request_file_gone_before_the_process_reads_it_gives_503(tmp_path: Path) -> None:
    class Gone(EvaluationPool):
        def _wait(self, job: Any, request: str, *args: Any, budget: float) -> None:
            Path(request).unlink()
            super()._wait(job, request, *args, budget=budget)

    lost = Gone(1, cache_entries=1, cache_nodes=10)
    try:
        with pytest.raises(StagingFailed, match="No such file"):
            lost.run(stall, b"{}", str(tmp_path / "pid"), budget=30)
        assert not (tmp_path / "pid").exists()  # the job never ran
    finally:
        lost.close()
