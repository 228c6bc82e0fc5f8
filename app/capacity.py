"""A bound on concurrent heavy evaluations, so big requests cannot take every worker thread.

A request's weight is its node count plus the elements of the values it carries (a
seeded value weighs the elements its shape asks for).
Below `heavy_weight` it runs at once in this process, whatever else is running: small
requests never queue behind big ones. A heavy one takes one of `slots` places (each an
evaluation process, `app.pool`); when none is free it is refused at once with 503 and
``Retry-After`` instead of waiting.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Request

from app.jsonio import parse_json
from engine.values import seeded_elements

WEIGH_BYTES = 1024 * 1024  # larger bodies are heavy by their length, never decoded here


class Busy(Exception):
    """Every slot for heavy evaluations is taken."""

    def __init__(self, weight: int, slots: int) -> None:
        super().__init__(
            f"the server is busy with {slots} large evaluation(s); this request's weight "
            f"{weight} is heavy (nodes + value elements), so try again shortly"
        )


class Capacity:
    """At most `slots` heavy evaluations at once in this process."""

    def __init__(self, slots: int, heavy_weight: int) -> None:
        self.slots = slots
        self.heavy_weight = heavy_weight
        self._free = threading.BoundedSemaphore(slots)

    @contextmanager
    def slot(self, weight: int) -> Iterator[bool]:
        """Run the block now, told whether `weight` is heavy; a heavy one only while
        holding a slot (else `Busy`)."""
        if weight < self.heavy_weight:
            yield False
            return
        if not self._free.acquire(blocking=False):
            raise Busy(weight, self.slots)
        try:
            yield True
        finally:
            self._free.release()


class Incoming:
    """A request body, decoded and weighed here when it is at most `WEIGH_BYTES`. A larger
    one weighs its length, more than its nodes + value elements (each takes more than a
    byte), so it is heavy; it is decoded only where it is evaluated, in its own process."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self._small = len(raw) <= WEIGH_BYTES
        self._data = parse_json(raw) if self._small else None
        self.weight = request_weight(self._data) if self._small else len(raw)

    def data(self) -> Any:
        """The body as JSON."""
        return self._data if self._small else parse_json(self.raw)


def request_weight(body: Any) -> int:
    """Nodes plus value elements of a circuit (its groups' bodies included), or characters
    plus value elements of an expression request; what the engine will do grows with these."""
    if not isinstance(body, Mapping):
        return 0
    nodes = body.get("nodes")
    if isinstance(nodes, list):
        return _circuit_weight(nodes)
    expression, values = body.get("expression"), body.get("values")
    size = len(expression) if isinstance(expression, str) else 0
    return size + (sum(map(_elements, values.values())) if isinstance(values, Mapping) else 0)


def _circuit_weight(nodes: list[Any]) -> int:
    weight, levels = 0, [nodes]
    while levels:
        level = levels.pop()
        weight += len(level)
        for node in level:
            if not isinstance(node, Mapping):
                continue
            weight += _elements(node.get("value"))
            inside = node.get("body")
            if isinstance(inside, Mapping) and isinstance(inside.get("nodes"), list):
                levels.append(inside["nodes"])
    return weight


def _elements(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, Mapping):
        return seeded_elements(value)
    if not isinstance(value, list):
        return 1
    return len(value) * (len(value[0]) if value and isinstance(value[0], list) else 1)


async def get_capacity(request: Request) -> Capacity:
    """The app's capacity, made by `main.create_app`."""
    capacity: Capacity = request.app.state.capacity
    return capacity


CapacityDep = Annotated[Capacity, Depends(get_capacity)]
