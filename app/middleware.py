"""Pure ASGI middleware: refuse oversized bodies before reading them, and add safe headers."""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import detail


class BodyTooLarge(Exception):
    """Raised from `receive` when a streamed body passes the limit."""


def _refusal(status: int, msg: str, kind: str) -> tuple[Message, Message]:
    body = orjson.dumps(detail(("body",), msg, kind))
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


class BodyLimitMiddleware:
    """413 for a Content-Length over `max_bytes`; counts chunked bodies and stops at the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> tuple[Message, Message]:
        msg = f"the request body is over the limit of {self.max_bytes} bytes"
        return _refusal(413, msg, "too_large")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._check_header(scope)
        if refusal is not None:
            await _send_all(send, refusal)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, self._counting(receive), tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await _send_all(send, self._too_large())

    def _check_header(self, scope: Scope) -> tuple[Message, Message] | None:
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    return _refusal(400, "Content-Length is not a number", "bad_header")
                return self._too_large() if length > self.max_bytes else None
        return None

    def _counting(self, receive: Receive) -> Receive:
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
            return message

        return counting_receive


async def _send_all(send: Send, messages: tuple[Message, ...]) -> None:
    for message in messages:
        await send(message)


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class SecurityHeadersMiddleware:
    """Adds headers that cost nothing and close common holes (no CSP yet: see the roadmap)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)
