"""At most `limit` requests per `window` seconds from each client: a sliding log in memory.

One process's count (each uvicorn worker keeps its own). A refusal is `RateLimited`,
429 with `Retry-After`: the whole seconds until the client's oldest request in the
window leaves it.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from app.errors import ServiceError


class RateLimited(ServiceError):
    status = 429
    type = "rate_limited"

    def __init__(self, what: str, limit: int, window: int, wait: float) -> None:
        seconds = max(1, math.ceil(wait))
        super().__init__(
            f"too many {what} from this client: at most {limit} in {window} seconds; "
            f"try again in {seconds} s",
            headers={"Retry-After": str(seconds)},
        )


class RateLimiter:
    """Counts each client's requests in the last `window` seconds."""

    def __init__(
        self, what: str, limit: int, window: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.what = what
        self.limit = limit
        self.window = window
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    def hit(self, client: str) -> None:
        """Count one request from `client`, or raise `RateLimited` (which is not counted)."""
        now = self.clock()
        with self._lock:
            self._sweep(now)
            times = self._seen.setdefault(client, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                raise RateLimited(self.what, self.limit, self.window, times[0] + self.window - now)
            times.append(now)

    def _sweep(self, now: float) -> None:
        """Once a window, forget the clients with nothing left in it (memory stays bounded)."""
        if now - self._swept < self.window:
            return
        self._swept = now
        stale = [client for client, times in self._seen.items() if times[-1] <= now - self.window]
        for client in stale:
            del self._seen[client]
