"""uvicorn's HTTP protocols with a deadline on request headers (uvicorn has none).

A client that opens a connection, or starts a new request on a kept-alive one, must
finish its headers within ``BACKPROP_HEADER_TIMEOUT_SECONDS``; one that trickles them
in is disconnected. Bodies have their own deadline in `app.middleware`. Use
``uvicorn app.main:app --http app.server:GuardedHttpToolsProtocol`` (httptools' parser
in C, the production choice) or ``--http app.server:GuardedH11Protocol`` (pure Python).
"""

from __future__ import annotations

import asyncio
import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.settings import get_settings


class HeaderDeadline:
    """Closes a connection whose request headers are late (mixed into a protocol, before
    it: its connection_made and connection_lost run the protocol's own)."""

    header_timeout: float = get_settings().header_timeout_seconds
    _header_deadline: asyncio.TimerHandle | None = None
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    logger: logging.Logger

    def _awaiting_headers(self) -> bool:
        """Whether the connection is between requests or inside a request's headers."""
        raise NotImplementedError

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def _arm(self) -> None:
        if self._header_deadline is None and self._awaiting_headers():
            self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_late)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_late(self) -> None:
        self._header_deadline = None
        if self._awaiting_headers() and not self.transport.is_closing():
            self.logger.info("request headers not complete in %g s: closed", self.header_timeout)
            self.transport.close()


class GuardedH11Protocol(HeaderDeadline, H11Protocol):
    """H11Protocol that closes a connection whose request headers are late."""

    def _awaiting_headers(self) -> bool:
        return self.conn.their_state is h11.IDLE

    def data_received(self, data: bytes) -> None:
        self._arm()
        super().data_received(data)
        if not self._awaiting_headers():
            self._disarm()  # the headers are in


class GuardedHttpToolsProtocol(HeaderDeadline, HttpToolsProtocol):
    """HttpToolsProtocol that closes a connection whose request headers are late."""

    _headers_pending = True  # from the connection's start and after each request's end

    def _awaiting_headers(self) -> bool:
        return self._headers_pending

    def data_received(self, data: bytes) -> None:
        self._arm()
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._headers_pending = False
        self._disarm()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._headers_pending = True
