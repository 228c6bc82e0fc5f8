"""Pure ASGI middleware that guards request bodies before any route reads them:
`BodyGuardMiddleware` refuses a body over the size limit (413, on the header or
mid-stream) and one that trickles in past the body deadline (408)."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import TrackingSend, error_response


class BodyTooLarge(Exception):
    """Raised from `receive` when a streamed body passes the limit."""


class BodyTooSlow(Exception):
    """Raised from `receive` when the body is still incomplete at its deadline."""


class BodyGuardMiddleware:
    """413 over `max_bytes` (by Content-Length or by counting); 408 past `timeout` seconds."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float = 10.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._check_header(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        tracking = TrackingSend(send)
        try:
            await self.app(scope, self._guarded(receive), tracking)
        except (BodyTooLarge, BodyTooSlow) as error:
            if tracking.started:
                raise
            await self._refusal(error)(scope, receive, send)

    def _refusal(self, error: Exception) -> ASGIApp:
        if isinstance(error, BodyTooLarge):
            msg = f"the request body is over the limit of {self.max_bytes} bytes"
            return error_response(413, msg, "too_large")
        msg = f"the request body did not arrive within the limit of {self.timeout:g} s"
        return error_response(408, msg, "body_timeout", headers={"connection": "close"})

    def _check_header(self, scope: Scope) -> ASGIApp | None:
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    return error_response(400, "Content-Length is not a number", "bad_header")
                return self._refusal(BodyTooLarge()) if length > self.max_bytes else None
        return None

    def _guarded(self, receive: Receive) -> Receive:
        seen, complete, deadline = 0, False, 0.0

        async def guarded_receive() -> Message:
            nonlocal seen, complete, deadline
            if complete:
                return await receive()
            now = asyncio.get_running_loop().time()
            deadline = deadline or now + self.timeout
            try:
                message = await asyncio.wait_for(receive(), max(deadline - now, 0))
            except TimeoutError:
                raise BodyTooSlow from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if seen > self.max_bytes:
                    raise BodyTooLarge
            return message

        return guarded_receive
