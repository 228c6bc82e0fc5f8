"""Forward and backward passes over a compiled `Program`, and the teaching trace.

The chain rule lives here, once: a gate's upstream gradient times its local
gradient is what it sends to each input, and what an input receives from
several gates adds up (``+=``). The optional trace records every step in the
order it happened, for the animation, the staged code and anything else that
replays the computation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import errors
from engine.circuit import Program
from engine.deadline import Deadline
from engine.gate import not_finite
from engine.kernels import SCALAR, TENSOR, Value
from engine.shapes import unbroadcast

_ARITHMETIC = (ArithmeticError, ValueError)
CHECK_EVERY = 1024  # gates between two looks at the deadline


@dataclass
class Run:
    """The outcome of one forward and backward pass."""

    values: list[Value]
    grads: list[Value]
    forward_steps: list[dict[str, Any]] = field(default_factory=list)
    backward_steps: list[dict[str, Any]] = field(default_factory=list)


def _finite(value: Value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return bool(np.isfinite(value).all())


def _not_finite(program: Program, k: int, what: str, values: list[Value]) -> errors.NonFiniteError:
    xs = [values[j] for j in program.inputs[k]]
    return not_finite(program.gates[k], program.ids[k], xs, program.params[k], what)


def _on_time(deadline: Deadline | None, k: int) -> None:
    if deadline is not None and k % CHECK_EVERY == 0:
        deadline.check()


def forward(
    program: Program, init: list[Value] | None = None, deadline: Deadline | None = None
) -> list[Value]:
    """Every node's value, in topological order; `init` overrides the leaves' values
    (without it, the program's own, seeded ones drawn now)."""
    if init is None:
        program.draw()
    leaves = program.init if init is None else init
    values: list[Value] = [None] * len(program.ids)
    with np.errstate(all="ignore"):
        for k, gate in enumerate(program.gates):
            _on_time(deadline, k)
            if gate.leaf:
                values[k] = leaves[k]
                continue
            xs = [values[j] for j in program.inputs[k]]
            kernels = TENSOR if program.tensor[k] else SCALAR
            try:
                value = gate.forward(kernels, xs, program.params[k])
            except _ARITHMETIC:
                raise _not_finite(program, k, "value", values) from None
            if not _finite(value):
                raise _not_finite(program, k, "value", values)
            values[k] = value
    return values


def to_json(value: Value) -> Any:
    """A value as the contract's JSON: a float, or nested lists for a tensor."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    return float(value)


def _local_and_sent(
    program: Program, k: int, xs: list[Value], out: Value, upstream: Value
) -> tuple[Any, Any]:
    """Gate k's local gradients (None where its backward is not elementwise) and what it
    sends to each input: local gradient × upstream gradient, the chain rule."""
    gate, params = program.gates[k], program.params[k]
    if gate.local is None:
        if gate.vjp is None:
            raise TypeError(f"gate {gate.op!r} has no backward rule")
        return None, gate.vjp(xs, out, upstream, params)
    kernels = TENSOR if program.tensor[k] else SCALAR
    local = gate.local(kernels, xs, out, params)
    shapes = [program.shapes[j] for j in program.inputs[k]]
    return local, [
        unbroadcast(lg * upstream, shape) for lg, shape in zip(local, shapes, strict=True)
    ]


def backward(
    program: Program, values: list[Value], trace: bool = False, deadline: Deadline | None = None
) -> Run:
    """Gradients of the output with respect to every node, optionally with the trace."""
    program.draw()
    grads: list[Value] = [0.0] * len(program.ids)
    grads[program.output] = program.output_grad
    run = Run(values=values, grads=grads)
    received = [0] * len(program.ids)
    with np.errstate(all="ignore"):
        for k in range(program.output, -1, -1):
            _on_time(deadline, k)
            if not program.needed[k] or program.gates[k].leaf:
                continue
            upstream = grads[k]
            try:
                local, sent = _local_and_sent(
                    program, k, [values[j] for j in program.inputs[k]], values[k], upstream
                )
            except _ARITHMETIC:
                raise _not_finite(program, k, "gradient", values) from None
            ports = []
            for port, (j, s) in enumerate(zip(program.inputs[k], sent, strict=True)):
                if not _finite(s):
                    raise _not_finite(program, k, f"gradient sent to '{program.ids[j]}'", values)
                grads[j] = grads[j] + s  # gradients add up at forks
                if trace:
                    ports.append(_port_step(program, j, port, local, s, grads[j], received))
            if trace:
                run.backward_steps.append(_gate_step(program, k, upstream, ports))
    for k, shape in enumerate(program.shapes):
        if shape and isinstance(grads[k], float):
            grads[k] = np.zeros(shape)
    if trace:
        run.forward_steps = [_forward_step(program, k, values[k]) for k in range(len(values))]
    return run


def _port_step(
    program: Program,
    j: int,
    port: int,
    local: Any,
    sent: Value,
    total: Value,
    received: list[int],
) -> dict[str, Any]:
    received[j] += 1
    return {
        "port": port,
        "input": program.ids[j],
        "local": None if local is None else to_json(local[port]),
        "sent": to_json(sent),
        "total": to_json(total),
        "accumulated": received[j] > 1,
    }


def _gate_step(
    program: Program, k: int, upstream: Value, ports: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": program.ids[k],
        "op": program.gates[k].op,
        "upstream": to_json(upstream),
        "inputs": ports,
    }


def _forward_step(program: Program, k: int, value: Value) -> dict[str, Any]:
    return {
        "id": program.ids[k],
        "op": program.gates[k].op,
        "inputs": [program.ids[j] for j in program.inputs[k]],
        "value": to_json(value),
    }
