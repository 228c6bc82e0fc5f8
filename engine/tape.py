"""The scalar evaluator: a circuit as a tape of builtin calls, gradients by one edge loop.

`Tape.of(flat)` lays every value in one list (nodes, then each gate's constant, then the
rules' constants) and each gate as ``v[k] = f(v[a], v[b])``. The backward pass first asks
every gate row for its local gradients on numpy arrays, all gates of one op at once (local
gradients depend only on the forward values), and then runs the chain rule once per edge
in reverse topological order: ``grad[input] += local * grad[gate]``.

Anything the tape cannot vouch for (an arithmetic error, a value or gradient that is not
finite) raises `NotOnTape`; the caller then evaluates with `engine.evaluate`, the general
evaluator, which names the node and the rule exactly as it always has.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy as np

from engine.deadline import Deadline
from engine.flat import LEAF, Flat, present
from engine.gate import Local
from engine.gates import GATES
from engine.kernels import TENSOR
from engine.tape_ops import OPS, RULES, X, Y

CHUNK = 4096  # gates between two looks at the deadline
_ARITHMETIC = (ArithmeticError, ValueError)


class NotOnTape(Exception):
    """The tape stepped outside what it can vouch for: the general evaluator decides."""


@dataclass
class Group:
    """All gates of one op: the row's local-gradient rule applies to them at once."""

    local: Local
    gates: np.ndarray
    ports: list[np.ndarray]  # per input port: the edge of each gate
    params: dict[str, np.ndarray]  # per param name: the slot holding each gate's constant


@dataclass
class Sweep:
    """The backward pass gate by gate, from the output down: each gate's two input ports
    (a unary gate's second port feeds a scratch slot past the nodes, with local 0)."""

    gates: list[int]
    a: list[int]
    b: list[int]
    first: np.ndarray  # the edge of port 0
    second: np.ndarray  # the edge of port 1 (port 0's again for a unary gate)
    binary: np.ndarray

    @classmethod
    def of(cls, flat: Flat, gates: np.ndarray) -> Sweep:
        down = gates[gates <= flat.output][::-1]
        first = flat.first[down]
        binary = np.diff(flat.first)[down] == 2
        second = np.where(binary, first + 1, first)
        b = np.where(binary, flat.src[second], len(flat.ids))
        return cls(down.tolist(), flat.src[first].tolist(), b.tolist(), first, second, binary)


@dataclass
class Tape:
    """A compiled scalar circuit, ready to run with any values of its leaves."""

    flat: Flat
    slots: list[float]  # the value list before a run: constants in place, nodes 0.0
    calls: tuple[list[Any], list[int], list[int], list[int]]  # f, a, b, k per gate
    groups: list[Group]
    edge_order: np.ndarray  # edges into gates up to the output, reverse topological
    edge_dst: np.ndarray  # per edge: the gate that reads it
    sweep: Sweep

    @classmethod
    def of(cls, flat: Flat) -> Tape:
        count = len(flat.ids)
        constants = sorted({o for rule in RULES.values() for o in rule[1:] if type(o) is float})
        first_constant = count + len(flat.param_nodes)
        param_slot = np.full(count, -1)
        param_slot[flat.param_nodes] = np.arange(count, first_constant)
        operands: dict[Any, np.ndarray] = {
            c: np.array(first_constant + i) for i, c in enumerate(constants)
        }
        gates = np.flatnonzero(~LEAF[flat.codes])
        calls = np.empty((3, len(gates)), dtype=object)
        groups = []
        for code in present(flat.codes[gates]):
            mask = flat.codes[gates] == code
            group = _group(flat, code, gates[mask], param_slot)
            f, left, right = RULES[OPS[code]]
            operands.update(group.params)
            operands.update({X: flat.src[group.ports[0]], Y: flat.src[group.ports[-1]]})
            calls[0, mask] = f
            calls[1, mask] = operands[left]
            calls[2, mask] = operands[right]
            groups.append(group)
        edge_dst = np.repeat(np.arange(count), np.diff(flat.first))
        upto = int(flat.first[flat.output + 1])
        order = np.lexsort((np.arange(upto), -edge_dst[:upto]))
        slots = [0.0] * count + flat.param_values + constants
        f_a_b = [row.tolist() for row in calls]
        sweep = Sweep.of(flat, gates)
        return cls(flat, slots, (*f_a_b, gates.tolist()), groups, order, edge_dst, sweep)

    def run(
        self, leaves: list[float], deadline: Deadline | None = None, trace: bool = False
    ) -> tuple[list[float], list[float], Any]:
        """Values and gradients of every node (and the trace's raw steps when asked)."""
        slots = self.forward(leaves, deadline)
        local = self.local_gradients(slots)
        values = slots[: len(self.flat.ids)]
        if trace:
            grads, steps = self.backward_traced(local, deadline)
            return values, grads, steps
        return values, self.backward(local, deadline), None

    def forward(self, leaves: list[float], deadline: Deadline | None) -> list[float]:
        v = self.slots.copy()
        for k, value in zip(self.flat.leaves.tolist(), leaves, strict=True):
            v[k] = value
        calls = zip(*self.calls, strict=True)
        try:
            for chunk in _chunks(calls, len(self.calls[0]), deadline):
                for f, a, b, k in chunk:
                    v[k] = f(v[a], v[b])
        except _ARITHMETIC:
            raise NotOnTape from None
        return v

    def local_gradients(self, v: list[float]) -> np.ndarray:
        """Every edge's local gradient, from each gate row on all its gates at once."""
        values = np.array(v)
        if not np.isfinite(values).all():
            raise NotOnTape
        src, local = self.flat.src, np.empty(len(self.flat.src))
        with np.errstate(all="ignore"):
            for group in self.groups:
                xs = [values[src[port]] for port in group.ports]
                params = {name: values[slot] for name, slot in group.params.items()}
                for port, lg in zip(
                    group.ports, group.local(TENSOR, xs, values[group.gates], params), strict=True
                ):
                    local[port] = lg
        return local

    def backward(self, local: np.ndarray, deadline: Deadline | None) -> list[float]:
        flat, sweep = self.flat, self.sweep
        if not np.isfinite(local[self.edge_order]).all():
            raise NotOnTape
        grad = [0.0] * (len(flat.ids) + 1)
        grad[flat.output] = flat.output_grad
        first = local[sweep.first].tolist()
        second = np.where(sweep.binary, local[sweep.second], 0.0).tolist()
        gates = zip(sweep.gates, sweep.a, sweep.b, first, second, strict=True)
        for chunk in _chunks(gates, len(sweep.gates), deadline):
            for k, a, b, la, lb in chunk:
                g = grad[k]
                if g:
                    grad[a] += la * g
                    grad[b] += lb * g
        return _finite(grad[:-1])

    def backward_traced(
        self, local: np.ndarray, deadline: Deadline | None
    ) -> tuple[list[float], list[tuple[int, int, float, float, float]]]:
        """The same chain rule over the gates the output depends on, every step kept:
        (input, gate, local, sent, the input's total after the +=)."""
        flat = self.flat
        src, dst, loc = self._edges(local)
        needed = [False] * len(flat.ids)
        needed[flat.output] = True
        for s, d in zip(src, dst, strict=True):
            needed[s] = needed[s] or needed[d]
        grad = [0.0] * len(flat.ids)
        grad[flat.output] = flat.output_grad
        steps = []
        for chunk in _chunks(zip(src, dst, loc, strict=True), len(src), deadline):
            for s, d, lg in chunk:
                if needed[d]:
                    sent = lg * grad[d]
                    grad[s] = total = grad[s] + sent
                    steps.append((s, d, lg, sent, total))
        return _finite(grad), steps

    def _edges(self, local: np.ndarray) -> tuple[list[int], list[int], list[float]]:
        """Source, gate and local gradient of each edge, in the backward pass's order."""
        order = self.edge_order
        if not np.isfinite(local[order]).all():
            raise NotOnTape
        return self.flat.src[order].tolist(), self.edge_dst[order].tolist(), local[order].tolist()


def _group(flat: Flat, code: int, gates: np.ndarray, param_slot: np.ndarray) -> Group:
    gate = GATES[OPS[code]]
    assert gate.local is not None
    ports = [flat.first[gates] + port for port in range(gate.arity[0])]
    params = {name: param_slot[gates] for name in gate.params}
    return Group(gate.local, gates, ports, params)


def _finite(grad: list[float]) -> list[float]:
    if not np.isfinite(grad).all():
        raise NotOnTape
    return grad


def _chunks(items: Iterator[Any], count: int, deadline: Deadline | None) -> Iterator[Any]:
    """The `count` items a few thousand at a time, with a look at the deadline before each."""
    for _ in range(0, count, CHUNK):
        if deadline is not None:
            deadline.check()
        yield islice(items, CHUNK)
