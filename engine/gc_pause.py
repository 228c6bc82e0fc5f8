"""Pause the cyclic garbage collector while an evaluation allocates its many small objects.

A large request is some 100,000 small dicts; every few hundred new containers the
collector walks them all again, which once cost more than the evaluation itself. The
evaluators create no reference cycles, so nothing waits on the collector meanwhile.
Nested and concurrent evaluations share one pause; the last to finish ends it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_state = {"depth": 0, "was_enabled": False}


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block (unless another block still runs)."""
    with _lock:
        if _state["depth"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0 and _state["was_enabled"]:
                gc.enable()
