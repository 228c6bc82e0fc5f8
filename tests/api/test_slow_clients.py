"""Slow clients on a real socket, with each of the app's guarded HTTP protocols: headers
or a body that trickle in are cut off at their deadline, and the server goes on
answering others meanwhile."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from app.server import GuardedH11Protocol, GuardedHttpToolsProtocol
from app.settings import Settings
from tests.e2e.browser import serve_app

DEADLINE = 0.5  # seconds, for headers and bodies alike
SLOW = 0.1  # seconds between two bytes of a trickling client


class QuickH11(GuardedH11Protocol):
    header_timeout = DEADLINE


class QuickHttpTools(GuardedHttpToolsProtocol):
    header_timeout = DEADLINE


@pytest.fixture(scope="module", params=[QuickH11, QuickHttpTools], ids=["h11", "httptools"])
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    settings = Settings(body_timeout_seconds=DEADLINE, max_body_bytes=1000)
    with serve_app(settings=settings, http=request.param) as url:
        yield url


def connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port))
    sock.settimeout(20)  # a bound on the test, far past the deadline it waits for
    return sock


def trickle(sock: socket.socket, data: bytes, stop: threading.Event) -> None:
    """Send `data` a byte at a time, SLOW apart, until it is sent, refused or `stop` is set."""
    for byte in data:
        if stop.wait(SLOW):
            return
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            return


def read_all(sock: socket.socket) -> bytes:
    """What the server sent until it closed the connection (a reset, when the client was
    still sending, counts as closed too)."""
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    return b"".join(chunks)


def test_headers_that_trickle_in_are_cut_off(server: str) -> None:
    headers = b"POST /api/evaluate HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 200 + b"\r\n\r\n"
    stop = threading.Event()
    with connect(server) as sock:
        sender = threading.Thread(target=trickle, args=(sock, headers, stop))
        sender.start()
        answer = read_all(sock)  # returns when the server closes the connection
        stop.set()
        sender.join()
    assert answer == b""  # closed without a word: the request never began
    assert httpx.get(f"{server}/api/health").status_code == 200


def test_headers_of_a_second_request_on_a_kept_alive_connection_are_cut_off(server: str) -> None:
    stop = threading.Event()
    second = b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
    with connect(server) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        sender = threading.Thread(target=trickle, args=(sock, second, stop))
        sender.start()
        answer = read_all(sock)
        stop.set()
        sender.join()
    assert answer.startswith(b"HTTP/1.1 200 ")  # the first request was answered...
    assert answer.count(b"HTTP/1.1 ") == 1  # ...and the slow second one never began


def test_a_body_that_trickles_in_gets_408(server: str) -> None:
    body = b'{"expression": "x * y", "values": {"x": 3, "y": 4}}'
    head = (
        b"POST /api/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
    )
    stop = threading.Event()
    with connect(server) as sock:
        sock.sendall(head)
        # three bytes, 0.3 s, then silence: the rest never comes
        sender = threading.Thread(target=trickle, args=(sock, body[:3], stop))
        sender.start()
        answer = read_all(sock)
        stop.set()
        sender.join()
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"body_timeout" in answer and b"0.5 s" in answer


def test_many_slow_connections_do_not_stop_the_server(server: str) -> None:
    socks = [connect(server) for _ in range(100)]
    try:
        for sock in socks:
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHo")
        assert httpx.get(f"{server}/api/health").status_code == 200
        assert all(read_all(sock) == b"" for sock in socks)
    finally:
        for sock in socks:
            sock.close()


def test_a_chunked_body_over_the_limit_gets_413_mid_stream(server: str) -> None:
    head = (
        b"POST /api/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"258\r\n" + b" " * 600 + b"\r\n"  # 0x258 = 600 bytes; two pass the 1000
    with connect(server) as sock:
        sock.sendall(head + chunk + chunk)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"1000 bytes" in answer


def test_a_prompt_client_on_the_same_server_is_answered(server: str) -> None:
    body = {"expression": "x * y", "values": {"x": 3, "y": 4}}
    response = httpx.post(f"{server}/api/evaluate", json=body)
    assert response.status_code == 200
    assert response.json()["gradients"]["x"] == 4
    assert response.json()["gradients"]["y"] == 3
