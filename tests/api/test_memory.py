"""Amplification attacks on a real server in a subprocess under an address-space cap
(prlimit --as): each small request that would build gigabytes is refused with 413
before it allocates, an allowed big one stays under the 512 MiB budget, and the
server stays alive throughout. Heavy requests run in the server's evaluation processes
(`app.pool`), so peak memory is each process's VmHWM: the server's and its descendants'.
The largest growth of any one of them is what a request added."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.helpers import process_tree
from tests.e2e.browser import _free_port

CAP_BYTES = 3_000_000_000  # the server dies past this: a refusal must come first
BUDGET_KIB = 512 * 1024  # max_request_bytes's default
REPO = Path(__file__).resolve().parents[2]

# c (1000 x 1) @ r (1 x 1000): a 1000 x 1000 tensor from 2,000 numbers in the body
OUTER = [
    {"id": "c", "op": "input", "value": [[0.001 * i] for i in range(1000)]},
    {"id": "r", "op": "input", "value": [[0.001 * i for i in range(1000)]]},
    {"id": "T", "op": "matmul", "inputs": ["c", "r"]},
]


def with_outer(*nodes: dict[str, Any]) -> dict[str, Any]:
    return {"nodes": [*OUTER, *nodes], "output": nodes[-1]["id"]}


def chain(op: str, count: int) -> list[dict[str, Any]]:
    nodes = [{"id": "g0", "op": op, "inputs": ["T"] if op != "matmul" else ["T", "T"]}]
    for k in range(1, count):
        inputs = [f"g{k - 1}"] if op != "matmul" else [f"g{k - 1}", "T"]
        nodes.append({"id": f"g{k}", "op": op, "inputs": inputs})
    return [*nodes, {"id": "f", "op": "sum", "inputs": [nodes[-1]["id"]]}]


def fan_in(count: int) -> dict[str, Any]:
    """One add gate whose `count` inputs all name T, then its sum."""
    add = {"id": "s", "op": "add", "inputs": ["T"] * count}
    return with_outer(add, {"id": "f", "op": "sum", "inputs": ["s"]})


ATTACKS = {
    "fan-in add of T, 100 inputs": (fan_in(100), "/api/evaluate?trace=false"),
    "fan-in add of T, 300 inputs": (fan_in(300), "/api/evaluate?trace=false"),
    "fan-in add of T, 100 inputs, traced": (fan_in(100), "/api/evaluate"),
    "sum gates: 60 sums of T": (
        with_outer(
            *[{"id": f"s{k}", "op": "sum", "inputs": ["T"]} for k in range(60)],
            {"id": "f", "op": "add", "inputs": [f"s{k}" for k in range(60)]},
        ),
        "/api/evaluate",
    ),
    "matmul chain T @ T @ ... (20), traced": (with_outer(*chain("matmul", 20)), "/api/evaluate"),
    "trace of 30 tanh of T": (with_outer(*chain("tanh", 30)), "/api/evaluate"),
    "gradcheck of T's inputs": (with_outer(*chain("tanh", 2)), "/api/gradcheck"),
}


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def peaks(pid: int) -> dict[int, int]:
    return {member: peak_kib(member) for member in process_tree(pid)}


def growth_kib(before: dict[int, int], pid: int) -> int:
    """The most any process of the tree grew its peak since `before` (all of it for a
    process that was not there then)."""
    return max(peak - before.get(member, 0) for member, peak in peaks(pid).items())


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    if shutil.which("prlimit") is None:
        pytest.skip("prlimit (util-linux) is missing")
    port = _free_port()
    command = ["prlimit", f"--as={CAP_BYTES}", "--", sys.executable, "-m", "uvicorn"]
    command += ["app.main:app", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{url}/api/health")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        # start the evaluation processes, so that their own start-up is not counted
        small = with_outer(*chain("tanh", 1))
        warm = httpx.post(f"{url}/api/evaluate?trace=false", json=small, timeout=100)
        assert warm.status_code == 200, warm.text[:300]
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.parametrize("name", list(ATTACKS))
def test_amplification_attack_is_refused_before_it_allocates(
    server: tuple[str, int], name: str
) -> None:
    url, pid = server
    body, path = ATTACKS[name]
    before = peaks(pid)
    response = httpx.post(f"{url}{path}", json=body, timeout=100)
    assert response.status_code == 413, response.text[:300]
    assert "over the limit" in response.json()["detail"][0]["msg"]
    assert growth_kib(before, pid) < 64 * 1024  # refused before any big array was made
    assert httpx.get(f"{url}/api/health").status_code == 200


def test_an_allowed_big_request_stays_under_the_budget(server: tuple[str, int]) -> None:
    url, pid = server
    body = with_outer(
        {"id": "M", "op": "matmul", "inputs": ["T", "T"]}, {"id": "f", "op": "sum", "inputs": ["M"]}
    )
    before = peaks(pid)
    response = httpx.post(f"{url}/api/evaluate?trace=false", json=body, timeout=100)
    assert response.status_code == 200, response.text[:300]
    # d sum(T @ T) / dc is checked elsewhere; here: a full 1000 x 1000 gradient came back
    assert len(response.json()["gradients"]["T"]) == 1000
    assert growth_kib(before, pid) < BUDGET_KIB
