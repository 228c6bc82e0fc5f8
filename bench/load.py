"""A bounded load test against the production command: several uvicorn workers with
the guarded protocol, and keep-alive clients sending mixed traffic.

    python -m bench.load [--clients 100] [--seconds 60] [--workers 2]

Each client holds one HTTP/1.1 connection and sends, in turn, an evaluate of the
notes' circuit, an evaluate of an expression, a parse, the gate list and a health
check. The client is plain asyncio streams (no HTTP library) so that it is not the
bottleneck; it reports its own CPU time beside requests/s, p50/p99 and errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.schemas import NOTES_CIRCUIT

REPO = Path(__file__).resolve().parent.parent
EXPRESSION = {
    "expression": "(x + sigmoid(y)) / (sigmoid(x) + (x + y) ** 2)",
    "values": {"x": 3, "y": -4},
}


def request(method: str, path: str, body: object = None) -> bytes:
    data = b"" if body is None else json.dumps(body).encode()
    head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(data)}\r\n"
    if body is not None:
        head += "Content-Type: application/json\r\n"
    return head.encode() + b"\r\n" + data


MIX = [
    request("POST", "/api/evaluate", NOTES_CIRCUIT),
    request("POST", "/api/evaluate?trace=false", EXPRESSION),
    request("POST", "/api/parse", EXPRESSION),
    request("GET", "/api/gates"),
    request("GET", "/api/health"),
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


async def read_response(reader: asyncio.StreamReader) -> int:
    """The status of one response, its body read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def client(port: int, stop_at: float, tally: Tally, offset: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    turn = offset
    while time.monotonic() < stop_at:
        start = time.perf_counter()
        writer.write(MIX[turn % len(MIX)])
        turn += 1
        try:
            status = await read_response(reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            tally.errors += 1
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            continue
        tally.latencies.append(time.perf_counter() - start)
        tally.errors += status != 200
    writer.close()


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)]
    command += ["--workers", str(workers), "--http", "app.server:GuardedH11Protocol"]
    command += ["--timeout-keep-alive", "5", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=REPO)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("the server did not start")


def run(clients: int, seconds: float, workers: int, port: int = 8799) -> dict[str, float]:
    """Requests/s, p50/p99 in ms, errors and the load generator's CPU share."""
    server = start_server(port, workers)
    try:
        tally = Tally()
        cpu, wall = time.process_time(), time.perf_counter()

        async def main() -> None:
            stop_at = time.monotonic() + seconds
            await asyncio.gather(*(client(port, stop_at, tally, k) for k in range(clients)))

        asyncio.run(main())
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        server.terminate()
        server.wait(timeout=30)
    ms = sorted(1000 * latency for latency in tally.latencies)
    return {
        "requests": len(ms),
        "requests_per_s": len(ms) / wall,
        "p50_ms": statistics.median(ms),
        "p99_ms": ms[int(0.99 * (len(ms) - 1))],
        "errors": tally.errors,
        "client_cpu_percent": 100 * cpu / wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    seconds = min(args.seconds, 60.0)  # bounded: never longer than a minute
    for name, value in run(args.clients, seconds, args.workers).items():
        print(f"{name:>20}: {value:,.1f}")


if __name__ == "__main__":
    main()
