"""The tape's loops in Python: where the C extension is not built they run the tape, and
they are what the C loops (csrc/loops.c) are tested against, bit for bit.

`engine.tape.Tape` lays out the arrays; these walk them one gate, or one edge, at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy as np

from engine.deadline import Deadline
from engine.flat import Flat
from engine.tape_ops import OPS, RULES
from engine.tape_trace import Step

CHUNK = 4096  # gates between two looks at the deadline
_FUNCTIONS = np.array([RULES[op][0] if op in RULES else None for op in OPS], dtype=object)
_ARITHMETIC = (ArithmeticError, ValueError)
Calls = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # op code, a, b, k per gate


class NotOnTape(Exception):
    """The tape stepped outside what it can vouch for: the general evaluator decides."""


@dataclass
class Sweep:
    """The backward pass gate by gate, from the output down: each gate's two input ports
    (a unary gate's second port feeds a scratch slot past the nodes, with local 0)."""

    gates: np.ndarray
    a: np.ndarray
    b: np.ndarray
    first: np.ndarray  # the edge of port 0
    second: np.ndarray  # the edge of port 1 (port 0's again for a unary gate)
    binary: np.ndarray

    @classmethod
    def of(cls, flat: Flat, gates: np.ndarray) -> Sweep:
        down = np.ascontiguousarray(gates[gates <= flat.output][::-1])
        first = flat.first[down]
        binary = np.diff(flat.first)[down] == 2
        second = np.where(binary, first + 1, first)
        b = np.where(binary, flat.src[second], len(flat.ids))
        return cls(down, flat.src[first], b, first, second, binary)


def forward(calls: Calls, v: list[float], deadline: Deadline | None) -> list[float]:
    """`v[k] = f(v[a], v[b])` gate by gate, each gate's rule a Python builtin or row."""
    codes, *slots = calls
    rows = zip(_FUNCTIONS[codes].tolist(), *(s.tolist() for s in slots), strict=True)
    try:
        for chunk in chunks(rows, len(codes), deadline):
            for f, a, b, k in chunk:
                v[k] = f(v[a], v[b])
    except _ARITHMETIC:
        raise NotOnTape from None
    return v


def backward(
    flat: Flat, sweep: Sweep, first: np.ndarray, second: np.ndarray, deadline: Deadline | None
) -> list[float]:
    """The chain rule gate by gate, from the output down (a scratch slot past the nodes
    takes a unary gate's second port)."""
    grad = [0.0] * (len(flat.ids) + 1)
    grad[flat.output] = flat.output_grad
    columns = (sweep.gates, sweep.a, sweep.b, first, second)
    gates = zip(*(column.tolist() for column in columns), strict=True)
    for chunk in chunks(gates, len(sweep.gates), deadline):
        for k, a, b, la, lb in chunk:
            g = grad[k]
            if g:
                grad[a] += la * g
                grad[b] += lb * g
    return grad


def traced(
    flat: Flat, src: np.ndarray, dst: np.ndarray, loc: np.ndarray, deadline: Deadline | None
) -> tuple[np.ndarray, np.ndarray]:
    """The chain rule edge by edge over the gates the output depends on, every step kept."""
    needed = [False] * len(flat.ids)
    needed[flat.output] = True
    edges = src.tolist(), dst.tolist(), loc.tolist()
    for s, d in zip(*edges[:2], strict=True):
        needed[s] = needed[s] or needed[d]
    grad = [0.0] * len(flat.ids)
    grad[flat.output] = flat.output_grad
    steps: list[Step] = []
    for chunk in chunks(zip(*edges, strict=True), len(src), deadline):
        for s, d, lg in chunk:
            if needed[d]:
                sent = lg * grad[d]
                grad[s] = total = grad[s] + sent
                steps.append((s, d, lg, sent, total))
    return finite(np.array(grad)), np.array(steps, dtype=np.float64).reshape(-1, 5)


def finite(grad: np.ndarray) -> np.ndarray:
    if not np.isfinite(grad).all():
        raise NotOnTape
    return grad


def starts(count: int, size: int, deadline: Deadline | None) -> Iterator[int]:
    """0, size, 2 size... below `count`, with a look at the deadline before each."""
    for start in range(0, count, size):
        if deadline is not None:
            deadline.check()
        yield start


def chunks(items: Iterator[Any], count: int, deadline: Deadline | None) -> Iterator[Any]:
    """The `count` items a few thousand at a time, with a look at the deadline before each."""
    for _ in starts(count, CHUNK, deadline):
        yield islice(items, CHUNK)
