"""A bounded cache of compiled circuits, keyed by structure rather than values.

The browser sends the whole circuit again whenever a value changes; a hit skips
validation and compilation and runs the cached tape with the new values. Only circuits
that run on the tape are kept, and only while the entries' nodes fit the budget.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from itertools import repeat
from typing import Any

from engine import native
from engine.compiled import Compiled
from engine.deadline import Deadline
from engine.groups import GROUP
from engine.values import Limits

_get: Callable[..., Any] = dict.get


def structure_key(circuit: Any) -> Hashable | None:
    """Everything compilation reads except the inputs' values; None when that cannot be
    told cheaply (such a circuit is compiled every time). Types are part of the key, so
    that ``1`` and ``True`` or a list and a string never share an entry."""
    nodes = circuit.get("nodes") if type(circuit) is dict else None
    if type(nodes) is not list or set(map(type, nodes)) != {dict}:
        return None
    ops = tuple(map(_get, nodes, repeat("op")))
    if GROUP in ops:  # a group's body is not in the key, and its answer is rebuilt
        return None
    key = (
        _typed(circuit.get("version")),
        _typed(circuit.get("output")),
        _typed(circuit.get("output_grad")),
        tuple(map(_get, nodes, repeat("id"))),
        ops,
        tuple(map(_typed_inputs, map(_get, nodes, repeat("inputs")))),
        tuple(map(_typed_params, map(_get, nodes, repeat("params")))),
    )
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _typed(value: Any) -> tuple[type, Any]:
    return type(value), value


def _typed_inputs(inputs: Any) -> Any:
    return tuple(inputs) if type(inputs) is list else _typed(inputs)


def _typed_params(params: Any) -> Any:
    if type(params) is not dict:
        return _typed(params)
    return tuple((name, *_typed(value)) for name, value in params.items())


class CircuitCache:
    """Least recently used entries first out, at most `max_entries` and `max_nodes`."""

    def __init__(self, max_entries: int = 64, max_nodes: int = 1_000_000) -> None:
        self.max_entries, self.max_nodes = max_entries, max_nodes
        self._entries: OrderedDict[Hashable, Compiled] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = self.nodes = 0

    def evaluate(
        self, circuit: Any, limits: Limits, *, trace: bool, deadline: Deadline | None
    ) -> dict[str, Any]:
        """`Compiled(circuit, limits).evaluate(...)`, from the cache when the structure is known."""
        key = self._key(circuit)
        full_key = None if key is None else (key, limits)
        cached = self._get(full_key)
        leaves = None if cached is None else cached.leaves_of(circuit)
        if cached is not None and leaves is not None:
            with self._lock:
                self.hits += 1
            return cached.run_tape(leaves, trace, deadline)
        compiled = Compiled(circuit, limits)
        with self._lock:
            self.misses += 1
        if full_key is not None and compiled.tape is not None:
            self._put(full_key, compiled)
        return compiled.evaluate(trace=trace, deadline=deadline)

    def _key(self, circuit: Any) -> Hashable | None:
        """The circuit's structure key; None for one of more nodes than the cache holds,
        which is never kept (its key costs tens of ms at 100,000 nodes)."""
        nodes = circuit.get("nodes") if type(circuit) is dict else None
        if type(nodes) is list and len(nodes) > self.max_nodes:
            return None
        key: Hashable | None = native.structure(circuit)
        return structure_key(circuit) if key is None else key

    def stats(self) -> dict[str, Any]:
        """Size, bounds and hit rate, for GET /api/stats."""
        with self._lock:
            asked = self.hits + self.misses
            return {
                "entries": len(self._entries),
                "nodes": self.nodes,
                "max_entries": self.max_entries,
                "max_nodes": self.max_nodes,
                "hits": self.hits,
                "misses": self.misses,
                "hit_rate": self.hits / asked if asked else 0.0,
            }

    def _get(self, key: Hashable | None) -> Compiled | None:
        if key is None:
            return None
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def _put(self, key: Hashable, compiled: Compiled) -> None:
        size = _size(compiled)
        if size > self.max_nodes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = compiled
            self.nodes += size
            while len(self._entries) > self.max_entries or self.nodes > self.max_nodes:
                _, evicted = self._entries.popitem(last=False)
                self.nodes -= _size(evicted)


def _size(compiled: Compiled) -> int:
    return 0 if compiled.tape is None else len(compiled.tape.flat.ids)
