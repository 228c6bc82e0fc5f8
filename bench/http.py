"""The API over real HTTP: a uvicorn server in its own process, clients in this one.

- small requests: the notes' sigmoid neuron beside GET /api/health, one after another
  on a kept-alive connection: p50, p99 and requests per second;
- one large request: a 100,000-gate circuit posted with ?trace=false, timed from its
  JSON bytes sent to its answer's JSON bytes read, beside the same evaluation in-process
  (`engine.evaluate` from the circuit's dict to the answer's dicts); the client's own
  encoding of the circuit and decoding of the answer are timed apart (with the GC on and
  off), as is decoding the circuit's JSON;
- the event loop: GET /api/health latencies while four large evaluations run at once
  (the server allows four heavy evaluations, each in its own evaluation process).
"""

from __future__ import annotations

import gc
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson

Circuit = dict[str, Any]
JSON = {"content-type": "application/json"}


@contextmanager
def server() -> Iterator[int]:
    """A uvicorn server of the app on a free port (the production protocol and event loop:
    httptools, uvloop), with four heavy slots and a time budget
    of ten minutes. Its caches keep circuits of up to 50,000 nodes (the browser's), so the
    large circuit is compiled on every request."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = {**os.environ, "BACKPROP_MAX_NODES": "1000000", "BACKPROP_CACHE_NODES": "50000"}
    env["BACKPROP_MAX_BODY_BYTES"] = str(64 * 1024 * 1024)
    env["BACKPROP_MAX_HEAVY_EVALUATIONS"] = "4"
    env["BACKPROP_TIME_BUDGET_S"] = "600"  # a loaded machine must not turn speed into 503s
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)]
    command += ["--http", "app.server:GuardedHttpToolsProtocol", "--loop", "uvloop"]
    process = subprocess.Popen([*command, "--log-level", "warning"], env=env)
    try:
        _wait_until_up(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(port: int, seconds: float = 60.0) -> None:
    give_up = time.monotonic() + seconds  # a loaded machine takes a while to import the app
    while time.monotonic() < give_up:
        try:
            _request(http.client.HTTPConnection("127.0.0.1", port), "GET", "/api/health")
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server did not start")


def _request(conn: http.client.HTTPConnection, method: str, path: str, body: bytes = b"") -> float:
    return _exchange(conn, method, path, body)[0]


def _exchange(
    conn: http.client.HTTPConnection, method: str, path: str, body: bytes = b""
) -> tuple[float, bytes]:
    """Seconds from sending the request to having read the whole answer, and the answer."""
    start = time.perf_counter()
    conn.request(method, path, body=body or None, headers=JSON if body else {})
    response = conn.getresponse()
    answer = response.read()
    if response.status != 200:
        raise RuntimeError(f"{method} {path}: {response.status}")
    return time.perf_counter() - start, answer


def small_requests(port: int, neuron: Circuit, count: int) -> dict[str, dict[str, float]]:
    """p50/p99 (ms) and throughput (requests/s) of health and of the neuron's evaluation,
    taken in turns on one kept-alive connection, so that both meet the same machine."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    body = orjson.dumps(neuron)
    asks = {
        "GET /api/health": ("GET", "/api/health", b""),
        "POST /api/evaluate (sigmoid neuron)": ("POST", "/api/evaluate", body),
    }
    times: dict[str, list[float]] = {name: [] for name in asks}
    for _ in range(count):
        for name, ask in asks.items():
            times[name].append(_request(conn, *ask))
    return {name: _summary(sorted(taken)) for name, taken in times.items()}


def _summary(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": 1000 * times[len(times) // 2],
        "p99_ms": 1000 * times[int(len(times) * 0.99)],
        "per_second": len(times) / sum(times),
    }


def large_request(port: int, circuit: Circuit, repeat: int) -> dict[str, float]:
    """A large circuit over HTTP (no trace), best of `repeat`; the client's encoding of the
    circuit, and decoding of the circuit's JSON and of the answer's with the GC on and off."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    body = orjson.dumps(circuit)
    exchanges = [_exchange(conn, "POST", "/api/evaluate?trace=false", body) for _ in range(repeat)]
    answer = exchanges[0][1]
    return {
        "body_mb": len(body) / 1e6,
        "answer_mb": len(answer) / 1e6,
        "http_s": min(seconds for seconds, _ in exchanges),
        "encode_s": min(_timed(orjson.dumps, circuit) for _ in range(repeat)),
        "decode_gc_on_s": min(_decode(body, collect=True) for _ in range(repeat)),
        "decode_gc_off_s": min(_decode(body, collect=False) for _ in range(repeat)),
        "answer_gc_on_s": min(_decode(answer, collect=True) for _ in range(repeat)),
        "answer_gc_off_s": min(_decode(answer, collect=False) for _ in range(repeat)),
    }


def _decode(body: bytes, collect: bool) -> float:
    if not collect:
        gc.disable()
    try:
        return _timed(orjson.loads, body)
    finally:
        gc.enable()


def _timed(work: Any, argument: Any) -> float:
    """Seconds `work(argument)` takes (freeing its result is not timed)."""
    start = time.perf_counter()
    result = work(argument)
    seconds = time.perf_counter() - start
    del result
    return seconds


def event_loop(port: int, circuit: Circuit, workers: int = 4) -> dict[str, float]:
    """GET /api/health every 10 ms while `workers` large evaluations run at once; each
    evaluation must be answered (200), so that all of them ran."""
    body = orjson.dumps(circuit)
    answered: list[float] = []

    def evaluate() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        answered.append(_request(conn, "POST", "/api/evaluate?trace=false", body))

    threads = [threading.Thread(target=evaluate) for _ in range(workers)]
    for thread in threads:
        thread.start()
    conn = http.client.HTTPConnection("127.0.0.1", port)
    latencies = []
    while any(thread.is_alive() for thread in threads):
        latencies.append(_request(conn, "GET", "/api/health"))
        time.sleep(0.01)
    if len(answered) != workers:
        raise RuntimeError(f"{workers - len(answered)} of the large evaluations failed")
    latencies.sort()
    return {
        "health_checks": len(latencies),
        "health_max_ms": 1000 * latencies[-1],
        "health_p50_ms": 1000 * statistics.median(latencies),
        "health_p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "evaluations_s": max(answered),
    }
