"""A bounded load test of the production deployment: the README's command (several
uvicorn workers) behind nginx, and wrk's keep-alive clients sending mixed traffic.

    python -m bench.load [--clients 100] [--seconds 60] [--workers 4]

nginx and wrk (Debian's packages) are installed with apt when missing. nginx's
configuration is written into a temporary directory, and everything listens on
loopback only. One circuit is saved before the run, for the clients to open. Each
wrk connection sends, in turn, the requests of `mix`: evaluate (a circuit with its
trace, an expression without), parse, save, open, and codegen when the server answers
it. The server's save rate limit is raised for the run: a 429 is an error here.
Reported: requests/s, p50/p99, errors (non-2xx answers, socket errors and timeouts)
and the CPU wrk itself used.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.schemas import NOTES_CIRCUIT

REPO = Path(__file__).resolve().parent.parent
EXPRESSION = {
    "expression": "(x + sigmoid(y)) / (sigmoid(x) + (x + y) ** 2)",
    "values": {"x": 3, "y": -4},
}
Request = tuple[str, str, str]  # method, path, JSON body ("" for none)


def ensure_tools() -> None:
    """Install nginx and wrk with apt if they are missing (root, or sudo)."""
    missing = [tool for tool in ("nginx", "wrk") if shutil.which(tool) is None]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "RUNLEVEL": "1"}  # no service
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, seconds: float = 60.0) -> None:
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def start_server(
    port: int, workers: int, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """The README's production command on `port`, listening on loopback."""
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)]
    command += ["--workers", str(workers), "--http", "app.server:GuardedHttpToolsProtocol"]
    command += ["--loop", "uvloop"]
    command += ["--timeout-keep-alive", "5", "--limit-concurrency", "2000", "--proxy-headers"]
    server = subprocess.Popen([*command, "--log-level", "warning"], cwd=REPO, env=env)
    try:
        wait_for_port(port)
    except RuntimeError:
        server.terminate()
        raise
    return server


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 8m;
    keepalive_requests 1000000;
    upstream app {{ server 127.0.0.1:{app_port}; keepalive 128; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


@contextmanager
def nginx(port: int, app_port: int) -> Iterator[None]:
    """nginx on 127.0.0.1:`port` in front of the app, configured in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="bench-nginx-") as tmp:
        os.chmod(tmp, 0o755)  # nginx's workers run as another user
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, app_port=app_port))
        proxy = subprocess.Popen(["nginx", "-p", tmp, "-c", str(conf)])
        try:
            wait_for_port(port)
            yield
        finally:
            proxy.terminate()
            proxy.wait(timeout=30)


def call(port: int, method: str, path: str, body: object = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    data = None if body is None else json.dumps(body).encode()
    try:
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def mix(port: int) -> list[Request]:
    """The requests each client sends in turn. Codegen joins them once the server has
    POST /api/codegen (it answers the notes' circuit with 200)."""
    status, saved = call(port, "POST", "/api/circuits", {"circuit": NOTES_CIRCUIT})
    if status != 201:
        raise RuntimeError(f"saving the circuit to open failed: {status} {saved[:200]!r}")
    requests = [
        ("POST", "/api/evaluate", json.dumps(NOTES_CIRCUIT)),
        ("POST", "/api/evaluate?trace=false", json.dumps(EXPRESSION)),
        ("POST", "/api/parse", json.dumps(EXPRESSION)),
        ("POST", "/api/circuits", json.dumps({"circuit": NOTES_CIRCUIT, "title": "load"})),
        ("GET", f"/api/circuits/{json.loads(saved)['id']}", ""),
    ]
    if call(port, "POST", "/api/codegen", NOTES_CIRCUIT)[0] == 200:
        requests.append(("POST", "/api/codegen", json.dumps(NOTES_CIRCUIT)))
    return requests


LUA = """
local mixed, turn = {{}}, 0
function init(_)
  mixed = {{ {requests} }}  -- here, once wrk has set the Host header
end
function request()
  turn = turn + 1
  return mixed[turn % #mixed + 1]
end
function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.0f %.0f %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def lua(requests: list[Request]) -> str:
    """wrk's script: each connection's thread sends `requests` in turn."""
    formats = []
    for method, path, body in requests:
        if body:
            formats.append(
                f'wrk.format("{method}", "{path}", '
                f'{{["Content-Type"] = "application/json"}}, [==[{body}]==])'
            )
        else:
            formats.append(f'wrk.format("{method}", "{path}")')
    return LUA.format(requests=", ".join(formats))


def wrk(port: int, clients: int, seconds: float, requests: list[Request]) -> dict[str, float]:
    """Run wrk against `port`: its figures, and the CPU it used (share of one core)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(lua(requests))
        script.flush()
        command = ["wrk", "-t", str(min(2, clients)), "-c", str(clients)]
        command += ["-d", f"{seconds:g}s", "--timeout", "10s", "-s", script.name]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(
            [*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True
        ).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    count, duration_us, p50_us, p99_us, errors = map(int, line.split()[1:])
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {
        "requests": count,
        "requests_per_s": count / (duration_us / 1e6),
        "p50_ms": p50_us / 1000,
        "p99_ms": p99_us / 1000,
        "errors": errors,
        "client_cpu_percent": 100 * cpu / (duration_us / 1e6),
    }


def run(clients: int, seconds: float, workers: int) -> dict[str, float]:
    """The load test's figures (`wrk`), and how many kinds of request the mix held."""
    ensure_tools()
    app_port, port = free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as data:
        env = {**os.environ, "BACKPROP_SAVE_RATE_LIMIT": str(10**9), "BACKPROP_DATA_DIR": data}
        server = start_server(app_port, workers, env)
        try:
            with nginx(port, app_port):
                requests = mix(port)
                return {**wrk(port, clients, seconds, requests), "kinds": len(requests)}
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    seconds = min(args.seconds, 60.0)  # bounded: never longer than a minute
    for name, value in run(args.clients, seconds, args.workers).items():
        print(f"{name:>20}: {value:,.1f}")


if __name__ == "__main__":
    main()
