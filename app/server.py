"""uvicorn's h11 protocol with a deadline on request headers (uvicorn has none).

A client that opens a connection, or starts a new request on a kept-alive one, must
finish its headers within ``BACKPROP_HEADER_TIMEOUT_SECONDS``; one that trickles them
in is disconnected. Bodies have their own deadline in `app.middleware`. Use it with
``uvicorn app.main:app --http app.server:GuardedH11Protocol``.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.settings import get_settings


class GuardedH11Protocol(H11Protocol):
    """H11Protocol that closes a connection whose request headers are late."""

    header_timeout: float = get_settings().header_timeout_seconds
    _header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        self._arm()

    def data_received(self, data: bytes) -> None:
        self._arm()
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm()  # the headers are in

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_deadline is None and self.conn.their_state is h11.IDLE:
            self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_late)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_late(self) -> None:
        self._header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.logger.info("request headers not complete in %g s: closed", self.header_timeout)
            self.transport.close()
