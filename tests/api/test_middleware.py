"""The body limit at the ASGI level: refused on the header, or cut off mid-stream."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from app.middleware import BodyGuardMiddleware


async def reading_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Reads the whole body, then answers 200 with its length."""
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def run(headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> tuple[list[Message], int]:
    """Drive the middleware (limit 100 bytes) with `chunks`; the messages sent and chunks read."""
    sent: list[Message] = []
    read = 0

    async def receive() -> Message:
        nonlocal read
        read += 1
        body, more = chunks[read - 1], read < len(chunks)
        return {"type": "http.request", "body": body, "more_body": more}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    asyncio.run(BodyGuardMiddleware(reading_app, max_bytes=100)(scope, receive, send))
    return sent, read


def test_content_length_over_limit_is_refused_before_reading() -> None:
    sent, read = run([(b"content-length", b"101")], [b"x" * 101])
    assert sent[0]["status"] == 413
    assert b"100 bytes" in sent[1]["body"]
    assert read == 0


def test_chunked_body_is_cut_off_at_the_limit() -> None:
    sent, read = run([], [b"x" * 30] * 1000)
    assert sent[0]["status"] == 413
    assert read == 4  # 120 bytes: the first chunk past the limit, and no more


def test_body_within_limit_is_passed_through() -> None:
    sent, _ = run([(b"content-length", b"100")], [b"x" * 50, b"x" * 50])
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b"100"
