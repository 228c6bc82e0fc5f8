"""The scalar evaluator: a circuit as a tape of builtin calls, gradients by one edge loop.

`Tape.of(flat)` lays every value in one array (nodes, then each gate's constant, then the
rules' constants) and each gate as ``v[k] = f(v[a], v[b])``. The backward pass first asks
every gate row for its local gradients on numpy arrays, all gates of one op at once (local
gradients depend only on the forward values), and then runs the chain rule once per edge
in reverse topological order: ``grad[input] += local * grad[gate]``. The loops run in C
(`engine.native`) where the extension is built, and in Python (`engine.tape_loops`)
otherwise, with the same bits.

Anything the tape cannot vouch for (an arithmetic error, a value or gradient that is not
finite) raises `NotOnTape`; the caller then evaluates with `engine.evaluate`, the general
evaluator, which names the node and the rule exactly as it always has.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any

import numpy as np

from engine import native
from engine import tape_loops as loops
from engine.deadline import Deadline
from engine.flat import LEAF, Flat, present
from engine.gate import Local
from engine.gates import GATES
from engine.kernels import TENSOR
from engine.tape_loops import Calls, NotOnTape, Sweep, finite, starts
from engine.tape_ops import OPS, RULES, X, Y


@dataclass
class Group:
    """All gates of one op: the row's local-gradient rule applies to them at once."""

    local: Local
    gates: np.ndarray
    ports: list[np.ndarray]  # per input port: the edge of each gate
    params: dict[str, np.ndarray]  # per param name: the slot holding each gate's constant


@dataclass
class Tape:
    """A compiled scalar circuit, ready to run with any values of its leaves."""

    flat: Flat
    slots: np.ndarray  # the values before a run: constants in place, nodes 0.0
    calls: Calls  # op code, a, b, k per gate
    kinds: np.ndarray  # per gate, the C loop's kind (-1: none)
    c: ModuleType | None  # engine._native, when its loops run every gate of this tape
    groups: list[Group]
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
        codes = flat.codes[gates]
        a, b = np.empty_like(gates), np.empty_like(gates)
        groups = []
        for code in present(codes):
            mask = codes == code
            group = _group(flat, code, gates[mask], param_slot)
            _, left, right = RULES[OPS[code]]
            operands.update(group.params)
            operands.update({X: flat.src[group.ports[0]], Y: flat.src[group.ports[-1]]})
            a[mask], b[mask] = operands[left], operands[right]
            groups.append(group)
        edge_dst = np.repeat(np.arange(count), np.diff(flat.first))
        slots = np.concatenate((np.zeros(count), flat.param_values, constants))
        kinds = native.KINDS[codes]
        c = None if (kinds < 0).any() else native.module
        sweep = Sweep.of(flat, gates)
        return cls(flat, slots, (codes, a, b, gates), kinds, c, groups, edge_dst, sweep)

    @cached_property
    def edge_order(self) -> np.ndarray:
        """The edges into gates up to the output, reverse topological (the traced pass's
        order; made on its first run)."""
        return _backward_order(self.flat, self.edge_dst)

    def run(
        self, leaves: list[float], deadline: Deadline | None = None, trace: bool = False
    ) -> tuple[np.ndarray, np.ndarray, Any]:
        """Values and gradients of every node (and the trace's raw steps when asked)."""
        slots = self.forward(leaves, deadline)
        local = self.local_gradients(slots)
        values = slots[: len(self.flat.ids)]
        if trace:
            grads, steps = self.backward_traced(local, deadline)
            return values, grads, steps
        return values, self.backward(local, deadline), None

    def forward(self, leaves: list[float], deadline: Deadline | None) -> np.ndarray:
        """Every slot's value after the run: nodes, then constants."""
        v = self.slots.copy()
        v[self.flat.leaves] = leaves
        if self.c is not None:
            f, a, b, k = self.kinds, *self.calls[1:]
            for start in starts(len(k), native.CHUNK, deadline):
                if self.c.forward(f, a, b, k, v, start, min(start + native.CHUNK, len(k))) >= 0:
                    raise NotOnTape
            return v
        return np.array(loops.forward(self.calls, v.tolist(), deadline))

    def local_gradients(self, values: np.ndarray) -> np.ndarray:
        """Every edge's local gradient, from each gate row on all its gates at once."""
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

    def backward(self, local: np.ndarray, deadline: Deadline | None) -> np.ndarray:
        """Every node's gradient: the chain rule gate by gate, from the output down."""
        flat, sweep = self.flat, self.sweep
        if not np.isfinite(local[: flat.first[flat.output + 1]]).all():  # up to the output
            raise NotOnTape
        first = local[sweep.first]
        second = np.where(sweep.binary, local[sweep.second], 0.0)
        if self.c is not None:
            grad = np.zeros(len(flat.ids) + 1)
            grad[flat.output] = flat.output_grad
            count = len(sweep.gates)
            for start in starts(count, native.CHUNK, deadline):
                stop = min(start + native.CHUNK, count)
                self.c.backward(sweep.gates, sweep.a, sweep.b, first, second, grad, start, stop)
            return finite(grad[:-1])
        return finite(np.array(loops.backward(flat, sweep, first, second, deadline)[:-1]))

    def backward_traced(
        self, local: np.ndarray, deadline: Deadline | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The same chain rule over the gates the output depends on, every step kept:
        (input, gate, local, sent, the input's total after the +=)."""
        order = self.edge_order
        if not np.isfinite(local[order]).all():
            raise NotOnTape
        src, dst, loc = self.flat.src[order], self.edge_dst[order], local[order]
        if self.c is None:
            return loops.traced(self.flat, src, dst, loc, deadline)
        if deadline is not None:
            deadline.check()
        grad = np.zeros(len(self.flat.ids))
        grad[self.flat.output] = self.flat.output_grad
        steps = np.empty((len(src), 5))
        kept = self.c.backward_traced(src, dst, loc, grad, steps, self.flat.output)
        return finite(grad), steps[:kept]


def _backward_order(flat: Flat, edge_dst: np.ndarray) -> np.ndarray:
    """The edges into gates up to the output, gate by gate from the output down, each
    gate's ports in order: edge e of gate d goes after every edge of the gates past d."""
    upto = int(flat.first[flat.output + 1])
    dst = edge_dst[:upto]
    order = np.empty(upto, dtype=np.int64)
    order[upto - flat.first[dst + 1] + np.arange(upto) - flat.first[dst]] = np.arange(upto)
    return order


def _group(flat: Flat, code: int, gates: np.ndarray, param_slot: np.ndarray) -> Group:
    gate = GATES[OPS[code]]
    assert gate.local is not None
    ports = [flat.first[gates] + port for port in range(gate.arity[0])]
    params = {name: param_slot[gates] for name in gate.params}
    return Group(gate.local, gates, ports, params)
